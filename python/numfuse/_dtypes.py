"""The 13 dtypes numfuse supports.

numfuse reports dtypes as NumPy dtype objects (`a.dtype == np.float64` holds and prints as
NumPy's do) and accepts anything that names one for NumPy: `nf.float32`, `np.float32`, 'f4',
`np.dtype('float32')`, or Python's `float`/`int`/`bool`/`complex`.
"""
import numpy as _np

__all__ = [
    "bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float32", "float64", "complex64", "complex128", "intp", "uint", "float_", "complex_",
    "inf", "nan", "pi", "e", "newaxis",
]

bool_ = _np.bool_
int8, int16, int32, int64 = _np.int8, _np.int16, _np.int32, _np.int64
uint8, uint16, uint32, uint64 = _np.uint8, _np.uint16, _np.uint32, _np.uint64
float32, float64 = _np.float32, _np.float64
complex64, complex128 = _np.complex64, _np.complex128
intp, uint = _np.intp, _np.uint
float_, complex_ = _np.float64, _np.complex128

inf, nan, pi, e = _np.inf, _np.nan, _np.pi, _np.e
newaxis = None

SUPPORTED = frozenset(
    _np.dtype(t) for t in (bool_, int8, int16, int32, int64, uint8, uint16, uint32, uint64,
                           float32, float64, complex64, complex128)
)


# Answers for dtype arguments seen before (np.result_type and np.can_cast cost 0.7-1.4 us a call,
# through NumPy's __array_function__ dispatch; a small array's whole op costs about that). Keyed by
# the arguments' ids, which stay unique because each entry holds its arguments (hashing a NumPy
# dtype costs ~0.3 us). Bounded; only answers for dtype, type and str arguments are kept, so
# errors are raised as before.
_CACHE_LIMIT = 4096
_DTYPES = {}
_RESULT_TYPES = {}
_CASTS = {}


def _remember(cache, key, arguments, value):
    if len(cache) < _CACHE_LIMIT:
        cache[key] = (arguments, value)
    return value


def _plain(obj):
    return isinstance(obj, (_np.dtype, type, str))


def dtype(obj):
    """The NumPy dtype object for anything naming one of numfuse's dtypes; TypeError otherwise."""
    hit = _DTYPES.get(id(obj))
    if hit is not None:
        return hit[1]
    d = _np.dtype(obj)
    if d not in SUPPORTED:
        raise TypeError(f"numfuse does not support the data type '{d}'")
    return _remember(_DTYPES, id(obj), obj, d) if _plain(obj) else d


def result_type_of(*arrays_and_dtypes):
    """NumPy 2's result_type, restricted to numfuse's dtypes."""
    key = tuple(map(id, arrays_and_dtypes))
    hit = _RESULT_TYPES.get(key)
    if hit is not None:
        return hit[1]
    d = dtype(_np.result_type(*arrays_and_dtypes))
    if all(isinstance(a, _np.dtype) for a in arrays_and_dtypes):
        _remember(_RESULT_TYPES, key, arrays_and_dtypes, d)
    return d


def can_cast_dtype(from_, to, casting="safe"):
    """np.can_cast for two NumPy dtypes (cached)."""
    key = (id(from_), id(to), casting)
    hit = _CASTS.get(key)
    if hit is not None:
        return hit[1]
    answer = bool(_np.can_cast(from_, to, casting=casting))
    if isinstance(from_, _np.dtype) and isinstance(to, _np.dtype) and type(casting) is str:
        _remember(_CASTS, key, (from_, to), answer)
    return answer
