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


def dtype(obj):
    """The NumPy dtype object for anything naming one of numfuse's dtypes; TypeError otherwise."""
    d = _np.dtype(obj)
    if d not in SUPPORTED:
        raise TypeError(f"numfuse does not support the data type '{d}'")
    return d


def result_type_of(*arrays_and_dtypes):
    """NumPy 2's result_type, restricted to numfuse's dtypes."""
    return dtype(_np.result_type(*arrays_and_dtypes))
