"""Text I/O: loadtxt, savetxt, genfromtxt and read_csv over the native parser of algorithms/.

The text is parsed as bytes (ASCII-compatible encodings: UTF-8, Latin-1; other encodings are
decoded here and re-encoded as UTF-8), in pieces of about 1 MiB cut at line starts and parsed in
parallel with the GIL released; a path is memory-mapped. Results never depend on the thread count.

What stays NumPy's (run through the fallback machinery, results converted to numfuse arrays where
numfuse has the dtype): loadtxt/genfromtxt with `converters`, with dtypes numfuse lacks (strings,
structured, float16, byte-swapped), with a non-ASCII delimiter/quote, or with `like=`; genfromtxt
with `names`, non-float dtypes or the other rarely used options; savetxt of complex arrays or
formats C's printf does not render as Python's % does ('%s', '%r', named fields).
"""
import bz2 as _bz2
import gzip as _gzip
import lzma as _lzma
import operator as _operator
import os as _os
import warnings as _warnings

import numpy as _np

from . import _core
from ._dtypes import SUPPORTED as _SUPPORTED
from ._fallback import call_numpy as _call_numpy

__all__ = ["loadtxt"]

_PASSTHROUGH_ENCODINGS = {None, "bytes", "utf-8", "utf8", "latin1", "latin-1", "iso-8859-1", "ascii"}
_COMPRESSED = {".gz": _gzip.open, ".bz2": _bz2.open, ".xz": _lzma.open}


# ---- input -------------------------------------------------------------------------------------

def _text_source(fname, encoding):
    """What the native parser reads: a path (str, mapped there) or bytes."""
    if isinstance(fname, _os.PathLike):
        fname = _os.fspath(fname)
    passthrough = encoding is None or encoding.lower() in _PASSTHROUGH_ENCODINGS
    if isinstance(fname, str):
        opener = _COMPRESSED.get(_os.path.splitext(fname)[1])
        if opener is not None:
            with opener(fname, "rb") as f:
                data = f.read()
            return data if passthrough else data.decode(encoding).encode()
        if passthrough:
            _os.stat(fname)  # FileNotFoundError etc. as NumPy raises them
            return fname
        with open(fname, encoding=encoding) as f:
            return f.read().encode()
    if hasattr(fname, "read"):
        data = fname.read()
        if isinstance(data, str):
            return data.encode()
        return data if passthrough else data.decode(encoding).encode()
    try:
        lines = iter(fname)
    except TypeError as e:
        raise ValueError(f"fname must be a string, filehandle, list of strings,\n"
                         f"or generator. Got {type(fname)} instead.") from e
    parts = []
    for line in lines:
        if isinstance(line, str):
            line = line.encode()
        elif not isinstance(line, bytes):
            raise TypeError("non-string returned while reading data")
        elif not passthrough:
            line = line.decode(encoding).encode()
        parts.append(line if line.endswith(b"\n") else line + b"\n")
    return b"".join(parts)


def _native_dtype(dtype):
    """The NumPy dtype when numfuse parses it natively, else None."""
    try:
        dt = _np.dtype(dtype)
    except TypeError:
        return None
    return dt if dt in _SUPPORTED and dt.isnative else None


def _ascii_char(value):
    return value is None or (isinstance(value, str) and len(value) == 1 and value.isascii())


def _comment_list(comments, delimiter, quotechar):
    """loadtxt's checks and normalization of `comments` (a str, a sequence of str, or None)."""
    if comments is None:
        return []
    comments = [comments] if isinstance(comments, (str, bytes)) else list(comments)
    comments = [c.decode("latin1") if isinstance(c, bytes) else c for c in comments]
    if "" in comments:
        raise ValueError("comments cannot be an empty string. Use comments=None to disable comments.")
    if len(comments) > 1 and delimiter in comments:
        raise TypeError(f"Comment characters '{tuple(comments)}' cannot include the delimiter '{delimiter}'")
    if (len(comments) > 1 or any(len(c) > 1 for c in comments)) and quotechar is not None:
        raise ValueError("when multiple comments or a multi-character comment is given, quotes are not "
                         "supported.  In this case quotechar must be set to None.")
    return [c.encode() for c in comments]


def _usecols_list(usecols):
    if usecols is None:
        return None
    try:
        usecols = list(usecols)
    except TypeError:
        usecols = [usecols]
    for col in usecols:
        if not isinstance(col, int) and not hasattr(col, "__index__") or isinstance(col, bool):
            raise TypeError("usecols must be an int or a sequence of ints but it contains at least one "
                            f"element of type '{type(col).__name__}'")
    return [_operator.index(col) for col in usecols]


def _nonnegative(value, name):
    value = _operator.index(value)
    if value < 0:
        raise ValueError(f"argument must be nonnegative ({name})")
    return value


def _ensure_ndmin(a, ndmin):
    """NumPy's _ensure_ndmin_ndarray: squeeze above ndmin, then grow to it."""
    if a.ndim > ndmin:
        a = a.reshape(tuple(n for n in a.shape if n != 1))
    if a.ndim < ndmin:
        if ndmin == 1:
            a = a.reshape(1)
        else:
            a = a.reshape((1, -1) if a.ndim == 1 else (1, 1)).T
    return a


# ---- loadtxt -----------------------------------------------------------------------------------

def loadtxt(fname, dtype=float, comments="#", delimiter=None, converters=None, skiprows=0,
            usecols=None, unpack=False, ndmin=0, encoding=None, max_rows=None, *, quotechar=None,
            like=None):
    """numpy.loadtxt, parsed natively (see the module docstring for what goes to NumPy)."""
    if ndmin not in (0, 1, 2):
        raise ValueError(f"Illegal value of ndmin keyword: {ndmin}")
    if isinstance(delimiter, bytes):
        delimiter = delimiter.decode("latin1")
    if dtype is None:
        raise TypeError("a dtype must be provided.")
    native = _native_dtype(dtype)
    if (converters is not None or like is not None or native is None
            or not _ascii_char(delimiter) or not _ascii_char(quotechar)):
        return _call_numpy(_np.loadtxt, "loadtxt", (fname,), dict(
            dtype=dtype, comments=comments, delimiter=delimiter, converters=converters,
            skiprows=skiprows, usecols=usecols, unpack=unpack, ndmin=ndmin, encoding=encoding,
            max_rows=max_rows, quotechar=quotechar, like=like))
    comment_bytes = _comment_list(comments, delimiter, quotechar)
    columns = _usecols_list(usecols)
    skiprows = _nonnegative(skiprows, "skiprows")
    max_rows = -1 if max_rows is None else _nonnegative(max_rows, "max_rows")
    source = _text_source(fname, encoding)
    table, first_empty_line = _core._loadtxt(source, delimiter, quotechar, comment_bytes, native,
                                             skiprows, max_rows, columns)
    if max_rows >= 0 and first_empty_line:
        _warnings.warn(
            f"Input line {first_empty_line} contained no data and will not be counted towards "
            f"`max_rows={max_rows}`.  This differs from the behaviour in NumPy <=1.22 which counted "
            "lines rather than rows.  If desired, the previous behaviour can be achieved by using "
            "`itertools.islice`.\nPlease see the 1.23 release notes for an example on how to do "
            "this.  If you wish to ignore this warning, use `warnings.filterwarnings`.  This warning "
            "is expected to be removed in the future and is given only once per `loadtxt` call.",
            UserWarning, stacklevel=2)
    arr = _ensure_ndmin(table, ndmin)
    if arr.shape and arr.shape[0] == 0:
        _warnings.warn(f'loadtxt: input contained no data: "{fname}"', UserWarning, stacklevel=2)
    return arr.T if unpack else arr
