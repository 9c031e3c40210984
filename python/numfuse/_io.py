"""nf.save / nf.load: NumPy's .npy format, read and written here (NumPy's own code is not used).

A .npy file is: the magic b"\\x93NUMPY", a version (1.0, 2.0 or 3.0), the header length
(uint16 little-endian in 1.0, uint32 after), a header that is a Python dict literal
{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4)} padded with spaces to a multiple of
64 bytes and ending in a newline (latin-1 in 1.0/2.0, UTF-8 in 3.0), then the raw elements in
C order, or in Fortran order when fortran_order is True.

Loading reads the data with readinto straight into a fresh numfuse buffer: no intermediate
bytes object. Fortran-order files load as F-ordered arrays (no transpose copy) and big-endian
files are byte-swapped in place into native order. Anything malformed raises ValueError; an
empty stream raises EOFError, as NumPy's does.
"""
import ast as _ast
import io as _io
import math as _math
import os as _os
import struct as _struct
import tokenize as _tokenize
import warnings as _warnings

import numpy as _np

from . import _core
from ._creation import asarray as _asarray, empty as _empty
from ._dtypes import SUPPORTED as _SUPPORTED

__all__ = ["save", "load"]

MAGIC = b"\x93NUMPY"
_ALIGN = 64  # NumPy pads headers so the data starts 64-byte aligned
_GROWTH_AXIS_MAX_DIGITS = 21  # len(str(8 * 2**64 - 1)), as NumPy reserves
_MAX_HEADER = 1 << 24  # a sanity bound well above any real header, against corrupt lengths
_HEADER_KEYS = {"descr", "fortran_order", "shape"}
# version -> (struct format of the header length, header text encoding)
_VERSIONS = {(1, 0): ("<H", "latin1"), (2, 0): ("<I", "latin1"), (3, 0): ("<I", "utf8")}


# ---- writing ----------------------------------------------------------------------------------

def _header_bytes(array, fortran_order):
    """The header NumPy would write, byte for byte (same key order, trailing ', ', and the spare
    spaces that let a writer grow the growth axis in place)."""
    shape = tuple(array.shape)
    fields = {"descr": array.dtype.str, "fortran_order": fortran_order, "shape": shape}
    header = "{" + "".join(f"{key!r}: {value!r}, " for key, value in fields.items()) + "}"
    if shape:
        growth_axis = shape[-1] if fortran_order else shape[0]
        header += " " * (_GROWTH_AXIS_MAX_DIGITS - len(repr(growth_axis)))
    for version, (length_format, encoding) in _VERSIONS.items():
        try:
            text = header.encode(encoding)
        except UnicodeEncodeError:
            continue
        prefix = len(MAGIC) + 2 + _struct.calcsize(length_format)
        # Pad with spaces, newline last, so that prefix + header is a multiple of _ALIGN.
        padded_length = -(-(prefix + len(text) + 1) // _ALIGN) * _ALIGN - prefix
        if padded_length < 1 << (8 * _struct.calcsize(length_format)):
            text += b" " * (padded_length - len(text) - 1) + b"\n"
            return MAGIC + bytes(version) + _struct.pack(length_format, padded_length) + text
    raise ValueError("array header too large to write")  # needs a 4 GiB shape tuple


def _write_all(file, array):
    """Writes a contiguous array's bytes through a flat byte view (no copy)."""
    if array.size == 0:
        return
    view = memoryview(_core._byte_view(array))
    written = 0
    while written < len(view):
        n = file.write(view[written:])
        written += len(view) - written if n is None else n  # raw files may write partially


def save(file, arr, allow_pickle=True, fix_imports=True):
    """Writes `arr` to a .npy file (a path, to which '.npy' is appended if missing, or a binary
    file object). F-contiguous arrays are stored in Fortran order, as NumPy does."""
    del allow_pickle, fix_imports  # object arrays are refused, so pickling never comes up
    try:
        array = _asarray(arr)
    except TypeError as exc:
        raise ValueError(f"numfuse cannot save this array: {exc}") from exc
    fortran_order = array._f_contiguous and not array._c_contiguous
    if not fortran_order and not array._c_contiguous:
        array = array.copy(order="C")
    # The array is now contiguous in the order the header names: its bytes go out as they lie.
    header = _header_bytes(array, fortran_order)
    if hasattr(file, "write"):
        file.write(header)
        _write_all(file, array)
        return
    path = _os.fspath(file)
    if isinstance(path, str) and not path.endswith(".npy"):
        path += ".npy"
    with open(path, "wb") as f:
        f.write(header)
        _write_all(f, array)


# ---- reading ----------------------------------------------------------------------------------

def _read_exactly(file, n, what):
    """n bytes from the file; pipes and raw streams may return fewer per call, so loop."""
    data = b""
    while len(data) < n:
        chunk = file.read(n - len(data))
        if not chunk:
            raise ValueError(f"EOF: reading {what}, expected {n} bytes got {len(data)}")
        if not isinstance(chunk, bytes):
            raise ValueError("the file must be opened in binary mode")
        data += chunk
    return data


def _without_python2_longs(text):
    """The header re-spelled from its tokens without Python 2's long suffixes ('(3L, 4L)').

    NumPy retries a version 1.0/2.0 header that does not parse this way (its format documents
    headers written by Python 2); rebuilding from tokens also drops stray line breaks and
    indentation in the padding."""
    tokens, after_number = [], False
    for token in _tokenize.generate_tokens(_io.StringIO(text).readline):
        if not (after_number and token.type == _tokenize.NAME and token.string == "L"):
            tokens.append(token)
        after_number = token.type == _tokenize.NUMBER
    return _tokenize.untokenize(tokens)


def _literal(text):
    with _warnings.catch_warnings():  # odd escapes in a damaged header warn; they are data
        _warnings.simplefilter("ignore")
        return _ast.literal_eval(text)


def _parse_header(text, version=(1, 0)):
    """The (dtype, fortran_order, shape) of a header; ValueError for anything malformed."""
    failures = (SyntaxError, ValueError, TypeError, MemoryError, RecursionError)
    try:
        header = _literal(text)
    except failures as exc:
        if version > (2, 0):
            raise ValueError(f"Cannot parse header: {text!r}") from exc
        try:
            header = _literal(_without_python2_longs(text))
        except failures + (_tokenize.TokenError,) as exc2:
            raise ValueError(f"Cannot parse header: {text!r}") from exc2
        _warnings.warn("Reading `.npy` file required additional header parsing as it was created on "
                       "Python 2. Save the file again to speed up loading and avoid this warning.",
                       UserWarning, stacklevel=4)
    if not isinstance(header, dict):
        raise ValueError(f"Header is not a dictionary: {header!r}")
    if set(header) != _HEADER_KEYS:
        raise ValueError(f"Header does not contain exactly the keys {sorted(_HEADER_KEYS)}: {sorted(map(str, header))}")
    shape, fortran_order, descr = header["shape"], header["fortran_order"], header["descr"]
    if not isinstance(shape, tuple) or not all(type(n) is int and n >= 0 for n in shape):
        raise ValueError(f"shape is not a valid shape: {shape!r}")
    if not isinstance(fortran_order, bool):
        raise ValueError(f"fortran_order is not a valid bool: {fortran_order!r}")
    if not isinstance(descr, str):
        # Structured dtypes are spelled as lists; numfuse has none.
        raise ValueError(f"numfuse does not support the data type {descr!r}")
    try:
        dtype = _np.dtype(descr)
    except (TypeError, ValueError, SyntaxError) as exc:  # NumPy parses comma strings with ast
        raise ValueError(f"descr is not a valid dtype descriptor: {descr!r}") from exc
    if dtype.subdtype is not None:
        # A subarray descr ('2f4'): NumPy reads the file as the base type in the header's shape,
        # which only succeeds when the element counts agree: an empty shape, or a subarray of
        # one element ('1f4'), whose bytes are those of the base type.
        if 0 not in shape and _math.prod(dtype.shape) != 1:
            raise ValueError(f"Failed to read all data for array: subarray data type {descr!r}")
        dtype = dtype.base
    if dtype.hasobject:
        raise ValueError("Object arrays cannot be loaded: numfuse has no object dtype")
    if dtype.newbyteorder("=") not in _SUPPORTED:
        raise ValueError(f"numfuse does not support the data type {dtype}")
    return dtype, fortran_order, shape


def _remaining_bytes(file):
    """Bytes left in a seekable file, or None when it cannot tell."""
    try:
        position = file.tell()
        end = file.seek(0, _os.SEEK_END)
        file.seek(position)
        return end - position
    except (AttributeError, OSError, ValueError):
        return None


def _read_into(file, out):
    """Fills out's bytes from the file; ValueError if the file ends first."""
    view = memoryview(_core._byte_view(out))
    filled = 0
    readinto = getattr(file, "readinto", None)
    while filled < len(view):
        if readinto is not None:
            n = readinto(view[filled:])
        else:
            chunk = file.read(len(view) - filled)
            n = len(chunk)
            view[filled:filled + n] = chunk
        if not n:
            raise ValueError(f"EOF: reading array data, expected {len(view)} bytes got {filled}")
        filled += n


def _load_from(file):
    first = file.read(len(MAGIC))
    if not first:  # as NumPy: how a reader of several arrays in one stream finds the end
        raise EOFError("No data left in file")
    if not isinstance(first, bytes):
        raise ValueError("the file must be opened in binary mode")
    magic = first + _read_exactly(file, len(MAGIC) - len(first), "the magic string")
    if magic != MAGIC:
        if magic.startswith(b"PK"):
            raise ValueError("This is a .npz archive; numfuse reads single-array .npy files only")
        raise ValueError(f"the magic string is not correct; expected {MAGIC!r}, got {magic!r}")
    version = tuple(_read_exactly(file, 2, "the format version"))
    if version not in _VERSIONS:
        raise ValueError(f"we only support format versions 1.0, 2.0 and 3.0, not {version[0]}.{version[1]}")
    length_format, encoding = _VERSIONS[version]
    (header_length,) = _struct.unpack(length_format, _read_exactly(file, _struct.calcsize(length_format),
                                                                  "the header length"))
    if header_length > _MAX_HEADER:
        raise ValueError(f"header length {header_length} is not plausible")
    try:
        text = _read_exactly(file, header_length, "the array header").decode(encoding)
    except UnicodeDecodeError as exc:
        raise ValueError("the array header is not valid text") from exc
    dtype, fortran_order, shape = _parse_header(text, version)

    nbytes = dtype.itemsize
    for n in shape:
        nbytes *= n
    remaining = _remaining_bytes(file)
    if remaining is not None and remaining < nbytes:
        # Checked before allocating: a corrupt shape must not ask for terabytes.
        raise ValueError(f"EOF: array data needs {nbytes} bytes but the file holds {remaining}; "
                         f"shape {shape} does not match the data")
    native = dtype.newbyteorder("=")
    try:
        out = _empty(shape, dtype=native, order="F" if fortran_order else "C")
    except (TypeError, ValueError) as exc:  # e.g. a shape whose size overflows
        raise ValueError(f"cannot create an array of shape {shape}: {exc}") from exc
    _read_into(file, out)
    if not dtype.isnative:
        _core._byteswap_inplace(out)
    return out


def load(file, mmap_mode=None, allow_pickle=False, fix_imports=True, encoding="ASCII", *,
         max_header_size=None):
    """Reads a .npy file (a path or a binary file object) into a numfuse array."""
    del allow_pickle, fix_imports, encoding, max_header_size  # object arrays are always refused
    if mmap_mode is not None:
        raise NotImplementedError("numfuse.load does not memory-map files yet")
    if hasattr(file, "read"):
        return _load_from(file)
    with open(_os.fspath(file), "rb") as f:
        return _load_from(f)

