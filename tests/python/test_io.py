"""nf.save / nf.load against NumPy's .npy reader and writer, and against corrupt files."""
import io
import pathlib
import struct
import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings, strategies as st

import numfuse as nf

ALL_DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
              np.uint64, np.float32, np.float64, np.complex64, np.complex128]


def numpy_bytes(n, version=None):
    buf = io.BytesIO()
    if version is None:
        np.save(buf, n)
    else:
        np.lib.format.write_array(buf, n, version=version)
    return buf.getvalue()


def numfuse_bytes(a):
    buf = io.BytesIO()
    nf.save(buf, a)
    return buf.getvalue()


def values(dtype, shape):
    n = np.asarray(np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape) * 37 - 11)
    return n.astype(dtype)


@st.composite
def arrays(draw):
    dtype = draw(st.sampled_from(ALL_DTYPES))
    shape = tuple(draw(st.lists(st.integers(0, 5), min_size=0, max_size=4)))
    n = values(dtype, shape)
    layout = draw(st.sampled_from(["C", "F", "strided"]))
    if layout == "F":
        n = np.asfortranarray(n)
    elif layout == "strided" and n.ndim:
        n = values(dtype, (shape[0] * 2,) + shape[1:])[::-2]
    return n


@settings(max_examples=200, deadline=None)
@given(arrays())
def test_numpy_reads_ours_byte_identical(n):
    data = numfuse_bytes(nf.asarray(n))
    assert data == numpy_bytes(n)  # same header, same padding, same element order
    back = np.load(io.BytesIO(data))
    assert back.dtype == n.dtype and back.shape == n.shape
    np.testing.assert_array_equal(back, n)


@settings(max_examples=200, deadline=None)
@given(arrays(), st.sampled_from([None, (1, 0), (2, 0), (3, 0)]))
def test_we_read_numpys(n, version):
    a = nf.load(io.BytesIO(numpy_bytes(n, version)))
    assert a.dtype == n.dtype and a.shape == n.shape
    np.testing.assert_array_equal(np.asarray(a), n)
    fortran_file = n.flags.f_contiguous and not n.flags.c_contiguous  # NumPy's rule for writing
    assert a._f_contiguous if fortran_file else a._c_contiguous


def test_fortran_files_load_as_fortran_arrays():
    n = np.asfortranarray(np.arange(12.0).reshape(3, 4))
    a = nf.load(io.BytesIO(numpy_bytes(n)))
    assert a._f_contiguous and not a._c_contiguous
    assert a.strides == n.strides
    np.testing.assert_array_equal(np.asarray(a), n)


@pytest.mark.parametrize("dtype", [">i2", ">i4", ">i8", ">u2", ">u8", ">f4", ">f8", ">c8", ">c16"])
def test_big_endian_files_are_swapped_to_native(dtype):
    n = values(dtype, (3, 4))
    a = nf.load(io.BytesIO(numpy_bytes(n)))
    assert a.dtype == n.dtype.newbyteorder("=") and a.dtype.isnative
    np.testing.assert_array_equal(np.asarray(a), n)
    f = np.asfortranarray(n)
    b = nf.load(io.BytesIO(numpy_bytes(f)))
    assert b._f_contiguous
    np.testing.assert_array_equal(np.asarray(b), n)


def test_paths_and_suffix(tmp_path):
    a = nf.arange(6.0).reshape(2, 3)
    nf.save(str(tmp_path / "plain"), a)  # '.npy' appended, as NumPy does
    np.testing.assert_array_equal(np.load(tmp_path / "plain.npy"), np.asarray(a))
    nf.save(tmp_path / "p.npy", a)  # pathlib, suffix already there
    np.testing.assert_array_equal(np.asarray(nf.load(tmp_path / "p.npy")), np.asarray(a))
    np.save(tmp_path / "theirs.npy", np.eye(3, dtype=np.complex64))
    np.testing.assert_array_equal(np.asarray(nf.load(str(tmp_path / "theirs.npy"))), np.eye(3))
    with open(tmp_path / "f.npy", "wb") as f:
        nf.save(f, a)
    with open(tmp_path / "f.npy", "rb") as f:
        np.testing.assert_array_equal(np.asarray(nf.load(f)), np.asarray(a))


def test_several_arrays_in_one_stream():
    buf = io.BytesIO()
    nf.save(buf, nf.arange(3))
    np.save(buf, np.ones((2, 2), np.float32))
    nf.save(buf, nf.zeros(()))
    buf.seek(0)
    np.testing.assert_array_equal(np.asarray(nf.load(buf)), np.arange(3))
    np.testing.assert_array_equal(np.load(buf), np.ones((2, 2)))
    assert float(nf.load(buf)) == 0.0


class ChunkyReader:
    """A stream that hands out at most 3 bytes per call and cannot seek."""

    def __init__(self, data):
        self.data, self.pos = data, 0

    def read(self, n=-1):
        n = 3 if n < 0 else min(n, 3)
        chunk = self.data[self.pos:self.pos + n]
        self.pos += len(chunk)
        return chunk


def test_short_reads_and_unseekable_streams():
    n = np.arange(50, dtype=np.int16).reshape(5, 10)
    data = numpy_bytes(n)
    np.testing.assert_array_equal(np.asarray(nf.load(ChunkyReader(data))), n)
    with pytest.raises(ValueError, match="EOF"):
        nf.load(ChunkyReader(data[:-3]))
    with pytest.raises(ValueError, match="binary"):
        nf.load(io.StringIO("\x93NUMPY"))


def test_unsupported_arrays_refuse_to_save():
    for bad in (np.array([object()]), np.zeros(2, np.float16), np.array(["x"])):
        with pytest.raises(ValueError):
            nf.save(io.BytesIO(), bad)


def test_mmap_is_not_supported_yet(tmp_path):
    nf.save(tmp_path / "m.npy", nf.zeros(3))
    with pytest.raises(NotImplementedError):
        nf.load(tmp_path / "m.npy", mmap_mode="r")


def with_header(header, data=b"", version=(1, 0)):
    text = header.encode("latin1") + b"\n"
    length = struct.pack("<H" if version == (1, 0) else "<I", len(text))
    return b"\x93NUMPY" + bytes(version) + length + text + data


GOOD = numpy_bytes(np.arange(10.0))

CORRUPT = {
    "bad magic": b"\x93NUMPZ\x01\x00" + GOOD[8:],
    "truncated magic": GOOD[:4],
    "npz": b"PK\x03\x04" + b"\x00" * 60,
    "unknown version": GOOD[:6] + b"\x04\x00" + GOOD[8:],
    "truncated length": GOOD[:9],
    "truncated header": GOOD[:40],
    "header not a literal": with_header("{'descr': __import__('os').getcwd()}"),
    "header not a dict": with_header("[1, 2, 3]"),
    "header syntax error": with_header("{'descr': '<f8', "),
    "missing key": with_header("{'descr': '<f8', 'shape': (2,)}", b"\x00" * 16),
    "extra key": with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': 1}",
                             b"\x00" * 16),
    "negative dim": with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (-2,)}"),
    "float dim": with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (2.0,)}",
                             b"\x00" * 16),
    "shape not tuple": with_header("{'descr': '<f8', 'fortran_order': False, 'shape': 2}",
                                   b"\x00" * 16),
    "fortran not bool": with_header("{'descr': '<f8', 'fortran_order': 1, 'shape': (2,)}",
                                    b"\x00" * 16),
    "float16": with_header("{'descr': '<f2', 'fortran_order': False, 'shape': (2,)}", b"\x00" * 4),
    "object": with_header("{'descr': '|O', 'fortran_order': False, 'shape': (2,)}", b"\x00" * 16),
    "structured": with_header("{'descr': [('x', '<f8')], 'fortran_order': False, 'shape': (2,)}",
                              b"\x00" * 16),
    "garbage descr": with_header("{'descr': 'not a dtype', 'fortran_order': False, 'shape': (2,)}"),
    "descr not str": with_header("{'descr': 8, 'fortran_order': False, 'shape': (2,)}"),
    "truncated data": GOOD[:-1],
    "shape larger than data": with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (3,)}",
                                          b"\x00" * 16),
    "absurd shape": with_header("{'descr': '<f8', 'fortran_order': False, "
                                "'shape': (2**40, 2**40)}", b"\x00" * 16),
    "huge header length": GOOD[:8] + struct.pack("<I", 2**31) + GOOD[12:],
    "bad utf8 in v3": with_header("{'descr': '<f8'}", version=(3, 0)).replace(b"descr", b"\xff\xfe"),
}


def test_an_empty_stream_raises_eof_error_as_numpy():
    buf = io.BytesIO()
    nf.save(buf, nf.arange(3))
    buf.seek(0)
    nf.load(buf)
    with pytest.raises(EOFError):
        np.load(buf)
    with pytest.raises(EOFError):  # how a reader of several arrays in one stream finds the end
        nf.load(buf)


@pytest.mark.parametrize("name", sorted(CORRUPT))
def test_corrupt_files_raise_value_error(name):
    with pytest.raises(ValueError):
        nf.load(io.BytesIO(CORRUPT[name]))


@settings(max_examples=300, deadline=None)
@given(cut=st.integers(1, len(GOOD) - 1))  # 0 bytes: EOFError, as NumPy (test above)
def test_every_truncation_raises_value_error(cut):
    with pytest.raises(ValueError):
        nf.load(io.BytesIO(GOOD[:cut]))


@settings(max_examples=300, deadline=None)
@given(position=st.integers(0, 127), byte=st.integers(0, 255))
@example(position=21, byte=44)  # descr "<f8" -> ",f8": NumPy's dtype parser raised SyntaxError
def test_random_header_damage_loads_or_raises_value_error(position, byte):
    damaged = bytearray(GOOD)
    damaged[position] = byte
    try:
        a = nf.load(io.BytesIO(bytes(damaged)))
    except ValueError:
        return
    assert a.nbytes <= len(GOOD) - 128  # whatever loaded came from the file's data


@pytest.mark.parametrize("descr, shape, fortran, loads", [
    ("1b1", (), False, True),        # one-element subarray: the base type's bytes (npy fuzzer seed 2083341)
    ("1i1", (4, 2, 2), True, True),  # the same in Fortran order (seed 2105948)
    ("2f4", (3,), False, False),     # element counts disagree: NumPy fails to read it too
    ("2f4", (0, 3), False, True),    # nothing to read
])
def test_subarray_descr_loads_exactly_when_numpy_does(descr, shape, fortran, loads):
    base = np.dtype(descr).base
    data = np.arange(int(np.prod(shape)), dtype=base).tobytes()
    header = f"{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {shape}, }}"
    blob = with_header(header, data)
    if not loads:
        with pytest.raises(ValueError):
            np.load(io.BytesIO(blob))
        with pytest.raises(ValueError):
            nf.load(io.BytesIO(blob))
        return
    expected = np.load(io.BytesIO(blob))
    got = nf.load(io.BytesIO(blob))
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(np.asarray(got), expected)


@pytest.mark.parametrize("header, version", [
    ("{'descr': '<f8', 'fortran_order': False, 'shape': (0,), }   \n      ", (1, 0)),  # fuzz seed 2043894
    ("{'descr': '<f8', 'fortran_order': False, 'shape': (2L, 3L), }", (1, 0)),  # written by Python 2
    ("{'descr': '<f8', 'fortran_order': False, 'shape': (2L, 3L), }", (2, 0)),
    ("{'descr': '<f8', 'fortran_order': False, 'shape': (2L, 3L), }", (3, 0)),  # v3 is never filtered
])
def test_headers_numpy_filters_before_parsing(header, version):
    shape = (0,) if "(0,)" in header else (2, 3)
    blob = with_header(header, np.arange(float(np.prod(shape))).tobytes(), version)

    def load(module):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = module.load(io.BytesIO(blob))
            except ValueError:
                result = ValueError
        return result, sorted({type(w.message).__name__ for w in caught})

    (expected, numpy_warned), (got, we_warned) = load(np), load(nf)
    assert we_warned == numpy_warned
    if expected is ValueError:
        assert got is ValueError
        return
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(np.asarray(got), expected)
