"""Fuzz target: nf.load on damaged .npy files, with np.load on the same bytes as the oracle.

A case starts from a valid file NumPy wrote (a random dtype, including ones numfuse lacks, byte
order, shape, memory order and format version) and damages it: bytes overwritten, inserted or
deleted, the file cut short, header fields swapped for odd values, the version or the header
length field rewritten. Then:
  - np.load gives an array numfuse supports -> nf.load gives the same dtype, shape and bytes;
  - np.load gives an array of a dtype numfuse lacks -> nf.load raises ValueError;
  - np.load raises -> nf.load raises an exception of the same built-in type;
and nf.load never crashes or hangs (the runners isolate cases in subprocesses).
"""
import io
import random
import struct
import warnings

import numpy as np

import numfuse as nf

SUPPORTED_KINDS = {np.dtype(t) for t in (np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8,
                                         np.uint16, np.uint32, np.uint64, np.float32, np.float64,
                                         np.complex64, np.complex128)}
DTYPES = ["<f8", ">f8", "<f4", ">i4", "<i8", "|u1", "|i1", "<u2", ">u8", "|b1", "<c8", ">c16",
          "<f2", "<U3", "|S2", "<M8[D]", "<m8[s]", "|V4", [("x", "<f8"), ("y", "<i4")]]
SHAPES = [(), (0,), (1,), (5,), (2, 3), (3, 1), (0, 4), (2, 0, 3), (1, 1, 1, 1), (4, 2, 2)]
VERSIONS = [None, (1, 0), (2, 0), (3, 0)]
# Odd values for one header field; the rest of the header stays valid.
FIELD_VALUES = {
    "descr": ["'<f8'", "'>f8'", "'f8'", "'=i4'", "'<f8 '", "'<f16'", "'<q'", "'<c32'", "'<i3'",
              "'bogus'", "''", "'<U'", "'|O'", "'<M8'", "8", "None", "'<f8,<i4'", ",f8",
              "[('x', '<f8')]", "[]", "'<f8'*1000", "b'<f8'", "'\\x00'", "'float64'", "'d'"],
    "fortran_order": ["True", "False", "1", "0", "None", "'True'", "[]", "true"],
    "shape": ["()", "(0,)", "(-1,)", "(2**62, 2**62)", "(0, 2**62, 2**62)", "(2**63,)",
              "(2**64,)", "(1.0,)", "(True,)", "'abc'", "[2, 3]", "(2, 3)", "(3, 2)", "(7,)",
              "((2,),)", "(None,)", "(1,)*65", "(1,)*64", "(10**30,)", "(0,)*100", "(2, -3)"],
}
KEYS = ["descr", "fortran_order", "shape"]


def valid_file(rng):
    """Bytes of a .npy file NumPy wrote, and a description."""
    descr = rng.choice(DTYPES)
    dtype = np.dtype(descr)
    shape = rng.choice(SHAPES)
    size = int(np.prod(shape))
    raw = np.frombuffer(rng.randbytes(size * dtype.itemsize), dtype=np.uint8)
    if dtype.kind == "M" or dtype.kind == "m":  # keep datetimes printable (NaT is fine too)
        raw = np.zeros(size * dtype.itemsize, np.uint8)
    array = raw.view(dtype).reshape(shape) if size else np.zeros(shape, dtype)
    if len(shape) >= 2 and rng.random() < 0.4:
        array = np.asfortranarray(array)
    buffer = io.BytesIO()
    version = rng.choice(VERSIONS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.lib.format.write_array(buffer, array, version=version, allow_pickle=False)
    return buffer.getvalue(), f"dtype={dtype.descr if dtype.names else dtype.str} shape={shape} " \
                              f"fortran={array.flags.f_contiguous and not array.flags.c_contiguous} version={version}"


def header_span(data):
    """(start, end) of the header text within the file, for the version the file declares."""
    if len(data) < 10 or data[6] not in (1, 2, 3):
        return 8, min(len(data), 128)
    fmt = "<H" if data[6] == 1 else "<I"
    start = 8 + struct.calcsize(fmt)
    if len(data) < start:
        return 8, len(data)
    (length,) = struct.unpack(fmt, data[8:start])
    return start, min(len(data), start + length)


def with_header_text(data, text, keep_length):
    """The file with its header text replaced (length field rewritten unless keep_length)."""
    start, end = header_span(data)
    fmt = "<H" if start == 10 else "<I"
    body = text.encode("utf8" if data[6:7] == b"\x03" else "latin1", errors="replace")
    length = max(0, end - start) if keep_length else len(body)
    length = struct.pack(fmt, min(length, 2 ** (8 * struct.calcsize(fmt)) - 1))
    return data[:8] + length + body + data[end:]


def mutate(rng, data):
    """One damage to the file, and its description."""
    data = bytearray(data)
    start, end = header_span(bytes(data))
    kind = rng.choice(["byte", "header byte", "truncate", "field", "drop key", "extra key", "length",
                       "version", "insert", "delete", "append"])
    if kind == "byte" and data:
        i = rng.randrange(len(data))
        data[i] = rng.randrange(256)
        return bytes(data), f"byte {i} = {data[i]}"
    if kind == "header byte" and end > start:
        i = rng.randrange(start, end)
        data[i] = rng.choice([rng.randrange(256), ord(rng.choice("{}()[],:'\"0123456789-. \n\\"))])
        return bytes(data), f"header byte {i} = {data[i]!r}"
    if kind == "truncate":
        cut = rng.randrange(len(data) + 1)
        return bytes(data[:cut]), f"truncated to {cut} bytes"
    if kind in ("field", "drop key", "extra key"):
        fields = {"descr": "'<f8'", "fortran_order": "False", "shape": "(2,)"}
        try:
            text = bytes(data[start:end]).decode("latin1")
            import ast
            parsed = ast.literal_eval(text)
            fields = {k: repr(parsed[k]) for k in KEYS}
        except Exception:  # an already damaged header: start from a plain one
            pass
        what = rng.choice(KEYS)
        if kind == "field":
            fields[what] = rng.choice(FIELD_VALUES[what])
        elif kind == "drop key":
            del fields[what]
        else:
            fields[rng.choice(["'extra'", "'Descr'", "1", "None"])] = "1"
        items = ", ".join(f"{k if k.startswith(chr(39)) or not k.isidentifier() or k == 'None' else repr(k)}: {v}"
                          for k, v in fields.items())
        text = "{" + items + "}"
        text += " " * rng.choice([0, 1, 30]) + ("\n" if rng.random() < 0.9 else "")
        return with_header_text(bytes(data), text, keep_length=rng.random() < 0.1), f"{kind} {what}: {text!r}"
    if kind == "length" and len(data) >= 10:
        size = 2 if data[6] == 1 else 4
        value = rng.choice([0, 1, end - start - 1, end - start + 1, 2 ** 16 - 1, 10001, 2 ** 31,
                            2 ** (8 * size) - 1, rng.randrange(2 ** (8 * size))])
        value %= 2 ** (8 * size)
        data[8:8 + size] = value.to_bytes(size, "little")
        return bytes(data), f"header length = {value}"
    if kind == "version" and len(data) >= 8:
        data[6], data[7] = rng.choice([(0, 0), (1, 1), (2, 0), (3, 0), (4, 0), (255, 255), (1, 0)])
        return bytes(data), f"version = {data[6]}.{data[7]}"
    if kind == "insert":
        i = rng.randrange(len(data) + 1)
        chunk = rng.randbytes(rng.randrange(1, 5))
        return bytes(data[:i] + chunk + data[i:]), f"inserted {chunk!r} at {i}"
    if kind == "delete" and data:
        i = rng.randrange(len(data))
        n = rng.randrange(1, 5)
        return bytes(data[:i] + data[i + n:]), f"deleted {n} bytes at {i}"
    tail = rng.randbytes(rng.randrange(1, 40))
    return bytes(data) + tail, f"appended {len(tail)} bytes"


# The exception types a caller of np.load can rely on; NumPy raises subclasses of them
# (UnicodeDecodeError is a ValueError).
FAMILIES = (EOFError, ValueError, TypeError, OSError, MemoryError, OverflowError)


def family(exc):
    return next((cls for cls in FAMILIES if isinstance(exc, cls)), Exception)


def same_error_family(np_error, nf_error):
    """nf's error is of NumPy's type; where NumPy's header parser leaks an internal error on a
    damaged header (tokenize.TokenError, a TypeError from sorting non-str keys or from int() of
    a shape entry), numfuse's documented ValueError ("anything malformed") is the clean answer."""
    if family(np_error) in (Exception, TypeError) and isinstance(nf_error, ValueError):
        return True
    return family(nf_error) is family(np_error)


def np_load(data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.load(io.BytesIO(data), allow_pickle=False)


def check(data, what):
    """nf.load against np.load on `data`; AssertionError naming `what` if they disagree."""
    try:
        expected, np_error = np_load(data), None
    except Exception as exc:  # noqa: BLE001 -- any NumPy error is the oracle
        expected, np_error = None, exc
    try:
        got, nf_error = nf.load(io.BytesIO(data)), None
    except Exception as exc:  # noqa: BLE001
        got, nf_error = None, exc
    if np_error is not None:
        assert nf_error is not None, f"{what}: np.load raised {np_error!r}, nf.load returned {got!r}"
        assert same_error_family(np_error, nf_error), (
            f"{what}: np.load raised {np_error!r}, nf.load raised {nf_error!r}")
        return
    if not isinstance(expected, np.ndarray):
        assert nf_error is not None, f"{what}: np.load gave {type(expected)}, nf.load {got!r}"
        return
    if expected.dtype.newbyteorder("=") not in SUPPORTED_KINDS:
        assert isinstance(nf_error, ValueError), (
            f"{what}: dtype {expected.dtype} numfuse lacks: nf.load gave {nf_error!r} / {got!r}")
        return
    assert nf_error is None, f"{what}: np.load gave {expected.dtype} {expected.shape}, nf.load raised {nf_error!r}"
    native = expected.astype(expected.dtype.newbyteorder("="))
    assert got.dtype == native.dtype and got.shape == native.shape, (
        f"{what}: np.load {native.dtype} {native.shape}, nf.load {got.dtype} {got.shape}")
    assert np.asarray(got).tobytes(order="A") == native.tobytes(order="A"), f"{what}: values differ"


def run_case(seed):
    rng = random.Random(seed)
    data, what = valid_file(rng)
    steps = [what]
    for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
        data, damage = mutate(rng, data)
        steps.append(damage)
    check(data, f"seed {seed}: " + "; ".join(steps))
