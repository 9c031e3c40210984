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
import codecs as _codecs
import gzip as _gzip
import io as _io
import lzma as _lzma
import operator as _operator
import os as _os
import re as _re
import sys as _sys
import warnings as _warnings

import numpy as _np

from . import _core
from ._creation import ascontiguousarray as _ascontiguousarray
from ._dtypes import SUPPORTED as _SUPPORTED
from ._fallback import call_numpy as _call_numpy

__all__ = ["loadtxt", "savetxt", "genfromtxt", "read_csv"]

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
            open(fname, "rb").close()  # FileNotFoundError, IsADirectoryError, ... as NumPy raises them
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


# ---- read_csv ----------------------------------------------------------------------------------

# pandas' default missing-value strings (its STR_NA_VALUES); an empty field is always missing.
PANDAS_NA_VALUES = ("", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
                    "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null")
_PROGRESS_LINE_BYTES = 100 << 20  # progress=True draws a line on stderr only for files above this


def _stderr_progress(done, total):
    width = 30
    filled = width * done // max(total, 1)
    end = "\n" if done >= total else ""
    _sys.stderr.write(f"\rread_csv [{'#' * filled}{'.' * (width - filled)}] "
                      f"{done / 1e6:.0f}/{total / 1e6:.0f} MB{end}")
    _sys.stderr.flush()


def _mangle_duplicates(names):
    """pandas' names for repeated headers: a, a.1, a.2, ..."""
    seen, result = {}, []
    for name in names:
        count = seen.get(name, 0)
        candidate = name
        while count and candidate in seen:
            candidate = f"{name}.{count}"
            count += 1
        seen[name] = max(count, 1)
        seen.setdefault(candidate, 1)
        result.append(candidate)
    return result


def _cast_column(name, column, dtype):
    target = _np.dtype(dtype)
    if target == column.dtype:
        return column
    if target.kind in "iub" and column.dtype.kind == "f" and bool(column.__ne__(column).any()):
        raise ValueError(f"Integer column has NA values in column {name!r}")
    return column.astype(target)


def read_csv(filepath_or_buffer, delimiter=",", header="infer", usecols=None, dtype=None, *, sep=None,
             names=None, skiprows=0, comment=None, na_values=None, keep_default_na=True, quotechar='"',
             encoding=None, progress=False):
    """A CSV file as a dict {column name: 1-D numfuse array}, like pandas.read_csv's C engine.

    Columns are inferred as bool ("True"/"true"/"TRUE", "False"/...), int64 or float64; a missing
    value (an empty field or one of pandas' NA strings, plus `na_values`) makes an int column
    float64 with NaN. Anything else -- text columns, rows with too many or too few fields, a
    missing value in a bool column, an unclosed quote -- raises ValueError naming line and column
    (pandas would give an object column or fill NaN). header="infer"/True/0: the first non-blank
    line names the columns; None/False: they are named 0, 1, ... Blank lines are skipped.
    names: the column names (the first line is then data unless header=0 says it is a header to
    replace); skiprows: lines skipped before the header; comment: one character starting a
    comment (comment-only lines are skipped).
    dtype: one dtype for all columns, or a dict name -> dtype; usecols: names or positions.
    progress: a callable progress(bytes_done, bytes_total), called between batches of pieces, or
    True for a progress line on stderr for files above 100 MB.
    The file (a path is memory-mapped) is parsed in 1 MiB pieces in parallel with the GIL released.
    """
    if sep is not None:
        delimiter = sep
    if not _ascii_char(delimiter) or delimiter is None:
        raise ValueError("read_csv: delimiter must be one ASCII character")
    if not _ascii_char(quotechar):
        raise ValueError("read_csv: quotechar must be one ASCII character or None")
    if header == "infer" and names is not None:
        has_header = False
    elif header in ("infer", True, 0):
        has_header = True
    elif header is None or header is False:
        has_header = False
    else:
        raise ValueError(f"read_csv: header must be 'infer', True, 0, None or False, not {header!r}")
    missing = list(PANDAS_NA_VALUES) if keep_default_na else [""]
    if na_values is not None:
        missing += [na_values] if isinstance(na_values, str) else [str(v) for v in na_values]
    callback = progress if callable(progress) else None
    source = _text_source(filepath_or_buffer, encoding)
    if progress is True:
        size = _os.path.getsize(source) if isinstance(source, str) else len(source)
        callback = _stderr_progress if size > _PROGRESS_LINE_BYTES else None
    if comment is not None and not (_ascii_char(comment) and comment not in (delimiter, quotechar)):
        raise ValueError("read_csv: comment must be one ASCII character other than the delimiter and quote")
    raw_names, columns = _core._read_csv(source, delimiter, quotechar, has_header,
                                         [m.encode() for m in missing], callback,
                                         [] if comment is None else [comment.encode()],
                                         _nonnegative(skiprows, "skiprows"))
    # the bytes are the file's own for ASCII-compatible encodings, else re-encoded as UTF-8
    name_encoding = encoding if encoding and encoding.lower() in _PASSTHROUGH_ENCODINGS - {"bytes"} else "utf-8"
    if names is None:
        names = (_mangle_duplicates([n.decode(name_encoding, "replace") for n in raw_names])
                 if has_header else list(range(len(raw_names))))
    else:
        names = list(names)
        if len(names) != len(columns) or len(set(names)) != len(names):
            raise ValueError(f"read_csv: {len(names)} distinct names expected for {len(columns)} columns, got {names}")
    table = dict(zip(names, columns))
    if usecols is not None:
        wanted = [usecols] if isinstance(usecols, (str, int)) else list(usecols)
        positions = [names[w] if isinstance(w, int) and 0 <= w < len(names) else w
                     for w in wanted]
        absent = [w for w in positions if w not in table]
        if absent:
            raise ValueError(f"Usecols do not match columns, columns expected but not found: {absent}")
        table = {name: column for name, column in table.items() if name in positions}
    if dtype is not None:
        per_column = dtype if isinstance(dtype, dict) else dict.fromkeys(table, dtype)
        for name, target in per_column.items():
            if name in table:
                table[name] = _cast_column(name, table[name], target)
    return table


# ---- savetxt -----------------------------------------------------------------------------------

_CONVERSION = _re.compile(r"%(?:(?P<percent>%)|(?P<flags>[-+ 0#]*)(?P<width>\d*)(?:\.(?P<precision>\d*))?"
                          r"(?P<type>[diueEfFgG]))")
_ROWS_PER_WRITE = 1 << 16


def _row_format(format, ncol):
    """(literals, conversions) of a row format NumPy would apply with %, or None when some part of
    it is not a printf-style conversion the native writer renders as Python does."""
    literals, conversions, text, position = [], [], "", 0
    for match in _CONVERSION.finditer(format):
        gap = format[position:match.start()]
        if "%" in gap:
            return None
        text += gap
        position = match.end()
        if match.group("percent"):
            text += "%"
            continue
        flags, kind = match.group("flags"), match.group("type")
        precision = match.group("precision")
        if kind in "diu" and ("#" in flags or ("0" in flags and precision is not None)):
            return None  # C and Python differ there (C ignores 0 with a precision)
        literals.append(text)
        text = ""
        conversions.append((flags, int(match.group("width") or -1),
                            -1 if precision is None else int(precision or 0), kind))
    rest = format[position:]
    if "%" in rest or len(conversions) != ncol:
        return None
    literals.append(text + rest)
    return literals, conversions


def _numpy_row_format(fmt, delimiter, ncol):
    """The row format numpy.savetxt builds from fmt (None where NumPy would raise: it then does)."""
    if isinstance(fmt, (list, tuple)):
        return delimiter.join(fmt) if len(fmt) == ncol else None
    if isinstance(fmt, str):
        if fmt.count("%") == 1:
            return delimiter.join([fmt] * ncol)
        return fmt if fmt.count("%") == ncol else None
    return None


def _is_ascii_compatible(encoding):
    try:
        return "a".encode(encoding) == b"a" and _codecs.lookup(encoding).name not in ("utf-7",)
    except LookupError:
        return False


def savetxt(fname, X, fmt="%.18e", delimiter=" ", newline="\n", header="", footer="", comments="# ",
            encoding=None):
    """numpy.savetxt, the same bytes; rows are rendered natively in parallel blocks (complex
    arrays, formats other than printf's d/i/u/e/E/f/F/g/G and non-ASCII-compatible encodings are
    NumPy's)."""
    array = X if isinstance(X, _core.ndarray) else _np.asarray(X)
    numpy_call = dict(fmt=fmt, delimiter=delimiter, newline=newline, header=header, footer=footer,
                      comments=comments, encoding=encoding)
    if array.ndim not in (1, 2) or array.dtype not in _SUPPORTED or array.dtype.kind == "c":
        return _call_numpy(_np.savetxt, "savetxt", (fname, X), numpy_call)
    table = array.reshape(-1, 1) if array.ndim == 1 else array
    texts = (delimiter, newline, header, footer, comments)
    row_format = (_numpy_row_format(fmt, delimiter, table.shape[1])
                  if all(isinstance(t, str) for t in texts) else None)
    parts = None if row_format is None else _row_format(row_format, table.shape[1])
    text_encoding = encoding or "latin1"
    if parts is None or not _is_ascii_compatible(text_encoding):
        return _call_numpy(_np.savetxt, "savetxt", (fname, X), numpy_call)
    table = _ascontiguousarray(table)
    literals = [part.encode(text_encoding) for part in parts[0]]
    literals[-1] += newline.encode(text_encoding)

    def blocks():
        if header:
            yield (comments + header.replace("\n", "\n" + comments) + newline).encode(text_encoding)
        for first in range(0, table.shape[0], _ROWS_PER_WRITE):
            last = min(first + _ROWS_PER_WRITE, table.shape[0])
            text = _core._format_rows(table, literals, parts[1], first, last)
            if text is None:  # values Python's % must write (or refuse): as NumPy does
                rows = _np.asarray(table)[first:last]
                try:
                    text = "".join(row_format % tuple(row) + newline for row in rows).encode(text_encoding)
                except TypeError as e:
                    raise TypeError(f"Mismatch between array dtype ('{table.dtype}') and format "
                                    f"specifier ('{row_format}')") from e
            yield text
        if footer:
            yield (comments + footer.replace("\n", "\n" + comments) + newline).encode(text_encoding)

    if isinstance(fname, _os.PathLike):
        fname = _os.fspath(fname)
    if isinstance(fname, str):
        opener = _gzip.open if fname.endswith(".gz") else open
        with opener(fname, "wb") as f:
            for block in blocks():
                f.write(block)
    elif hasattr(fname, "write"):
        text_mode = isinstance(fname, _io.TextIOBase)
        for block in blocks():
            fname.write(block.decode(text_encoding) if text_mode else block)
    else:
        raise ValueError("fname must be a string or file handle")


# ---- genfromtxt --------------------------------------------------------------------------------

_GENFROMTXT_DEFAULTS = dict(skip_footer=0, converters=None, names=None, excludelist=None,
                            deletechars=None, replace_space="_", autostrip=False, case_sensitive=True,
                            defaultfmt="f%i", usemask=False, loose=True, invalid_raise=True, like=None)


def genfromtxt(fname, dtype=float, comments="#", delimiter=None, skip_header=0, skip_footer=0,
               converters=None, missing_values=None, filling_values=None, usecols=None, names=None,
               excludelist=None, deletechars=None, replace_space="_", autostrip=False,
               case_sensitive=True, defaultfmt="f%i", unpack=None, usemask=False, loose=True,
               invalid_raise=True, max_rows=None, encoding=None, *, ndmin=0, like=None):
    """numpy.genfromtxt; float tables with missing values are read natively, as NumPy's loose
    reading does: a field that is no number (empty, a `missing_values` marker, any other text)
    becomes `filling_values` (one number; NaN by default), blank and comment lines are skipped, and
    a ragged line raises NumPy's ValueError ("Line #L (got N columns instead of M)"). names,
    converters, per-column filling values, skip_footer, other dtypes, invalid_raise=False,
    usemask and the other options are NumPy's genfromtxt. Unlike Python's float(), the native
    reader takes no '_' digit separators ("1_0" is filled, not 10)."""
    given = dict(skip_footer=skip_footer, converters=converters, names=names, excludelist=excludelist,
                 deletechars=deletechars, replace_space=replace_space, autostrip=autostrip,
                 case_sensitive=case_sensitive, defaultfmt=defaultfmt, usemask=usemask, loose=loose,
                 invalid_raise=invalid_raise, like=like)
    try:
        dt = _np.dtype(dtype)
    except TypeError:
        dt = None
    native = (dt in (_np.dtype(_np.float64), _np.dtype(_np.float32))
              and all(given[k] is v or given[k] == v for k, v in _GENFROMTXT_DEFAULTS.items())
              and _ascii_char(delimiter)
              and (filling_values is None or isinstance(filling_values, (int, float)))
              and (comments is None or isinstance(comments, str)) and ndmin in (0, 1, 2))
    if not native:
        return _call_numpy(_np.genfromtxt, "genfromtxt", (fname,), dict(
            dtype=dtype, comments=comments, delimiter=delimiter, skip_header=skip_header,
            missing_values=missing_values, filling_values=filling_values, usecols=usecols,
            unpack=unpack, max_rows=max_rows, encoding=encoding, ndmin=ndmin, **given))
    comment_bytes = [] if comments is None else [comments.encode()]
    columns = _usecols_list(usecols)
    skip_header = _nonnegative(skip_header, "skip_header")
    max_rows = -1 if max_rows is None else _nonnegative(max_rows, "max_rows")
    filling = float("nan") if filling_values is None else float(filling_values)
    source = _text_source(fname, encoding)
    table, _ = _core._loadtxt(source, delimiter, None, comment_bytes, dt, skip_header, max_rows, columns,
                              lenient=True, filling=filling)
    if table.shape[0] == 0:
        _warnings.warn(f'genfromtxt: Empty input file: "{fname}"', UserWarning, stacklevel=2)
        return _ensure_ndmin(table.reshape(0), ndmin)
    arr = _ensure_ndmin(table, ndmin)
    return arr.T if unpack else arr
