"""The Python array API standard's namespace-level names: version, inspection, dtype queries.

numfuse's main namespace is the array API namespace (as NumPy 2's is): `x.__array_namespace__()`
returns `numfuse` itself. This module holds what the standard adds on top of NumPy's API:
`__array_namespace_info__()`, `finfo`/`iinfo` objects whose attributes are Python scalars (the
standard's types; NumPy's are NumPy scalars), `isdtype`, `can_cast`/`result_type` that take
numfuse arrays without computing them, and the device helpers. numfuse has one device, the
CPU, named "cpu" as NumPy names it; any other device raises ValueError.
"""
import numpy as _np

from . import _core
from ._dtypes import dtype as _dtype

__all__ = [
    "__array_api_version__", "__array_namespace_info__", "finfo", "iinfo", "isdtype",
    "can_cast", "result_type", "astype",
]

__array_api_version__ = "2024.12"  # the revision NumPy 2.x (its behaviour numfuse follows) implements
SUPPORTED_VERSIONS = ("2021.12", "2022.12", "2023.12", "2024.12")  # x.__array_namespace__(api_version=)

CPU = "cpu"
# The 13 dtypes in the standard's order (bool, signed, unsigned, real floating, complex).
_DTYPE_NAMES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                "float32", "float64", "complex64", "complex128")


def check_device(device):
    """None or the CPU; ValueError for anything else (the standard's contract for device=)."""
    if device is None or (type(device) is str and device == CPU):
        return
    raise ValueError(f'Device not understood. Only "cpu" is allowed, but received: {device!r}')


def _dtype_of(dtype_or_array):
    if isinstance(dtype_or_array, _core.ndarray):
        return dtype_or_array.dtype
    return _dtype(dtype_or_array)


class __array_namespace_info__:
    """The standard's inspection namespace: `nf.__array_namespace_info__().dtypes()`, ..."""

    __module__ = "numfuse"

    def capabilities(self):
        return {"boolean indexing": True, "data-dependent shapes": True, "max dimensions": 64}

    def default_device(self):
        return CPU

    def devices(self):
        return [CPU]

    def default_dtypes(self, *, device=None):
        check_device(device)
        return {"real floating": _np.dtype(_np.float64), "complex floating": _np.dtype(_np.complex128),
                "integral": _np.dtype(_np.int64), "indexing": _np.dtype(_np.intp)}

    def dtypes(self, *, device=None, kind=None):
        """{name: dtype} of the dtypes of `kind` (None: all; a kind name or a tuple of them)."""
        check_device(device)
        return {name: _np.dtype(name) for name in _DTYPE_NAMES
                if kind is None or isdtype(_np.dtype(name), kind)}


def isdtype(dtype, kind):
    """Whether `dtype` is of `kind`: a dtype, a kind name ('bool', 'signed integer', 'unsigned
    integer', 'integral', 'real floating', 'complex floating', 'numeric') or a tuple of those.
    numfuse's dtypes are NumPy's dtype objects: NumPy's isdtype answers (and checks) exactly."""
    return _np.isdtype(dtype, kind)


def can_cast(from_, to, casting="safe"):
    """Whether `from_` (a dtype or an array: only its dtype counts) casts to `to` under `casting`."""
    return _np.can_cast(_dtype_of(from_), _dtype(to), casting=casting)


def result_type(*arrays_and_dtypes):
    """The dtype NumPy 2's promotion gives these arrays, dtypes and Python scalars (weak)."""
    if not arrays_and_dtypes:
        raise ValueError("at least one array or dtype is required")
    # An array promotes as its dtype does (NumPy 2 never looks at values): its pending work
    # is not run.
    args = [a.dtype if isinstance(a, _core.ndarray) else a for a in arrays_and_dtypes]
    return _dtype(_np.result_type(*args))


def astype(x, dtype, /, *, copy=True, device=None):
    """`x` converted to `dtype` (a new array unless copy=False and nothing changes)."""
    check_device(device)
    if not isinstance(x, _core.ndarray):
        raise TypeError(f"Input should be a numfuse array. It is a {type(x)} instead.")
    return x.astype(dtype, copy=copy)


def _python_scalar(value, kind):
    return kind(value.item() if hasattr(value, "item") else value)


class _Float32Limit(float):
    """A float32 limit as the standard's Python float that prints as NumPy's np.float32 does
    (print(nf.finfo(nf.float32).max) shows 3.4028235e+38, as with NumPy)."""

    __slots__ = ()

    def __repr__(self):
        return repr(_np.float32(self))

    def __str__(self):
        return str(_np.float32(self))


def _limit(value, dtype):
    return (_Float32Limit if dtype == _np.float32 else float)(_python_scalar(value, float))


class finfo:
    """Machine limits of a floating dtype (or an array's): bits, eps, max, min, smallest_normal
    as Python int/floats (the standard's types; float32's print as NumPy's float32 scalars do),
    dtype (the real dtype: float32 for complex64).
    NumPy's other attributes (tiny, resolution, precision, ...) are NumPy's values."""

    __module__ = "numfuse"

    def __init__(self, type, /):
        info = _np.finfo(_dtype_of(type))
        self._numpy = info
        self.bits = int(info.bits)
        self.eps = _limit(info.eps, info.dtype)
        self.max = _limit(info.max, info.dtype)
        self.min = _limit(info.min, info.dtype)
        self.smallest_normal = _limit(info.smallest_normal, info.dtype)
        self.dtype = info.dtype

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._numpy, name)

    def __repr__(self):
        return (f"finfo(resolution={self._numpy.resolution}, min={self.min}, max={self.max}, "
                f"dtype={self.dtype})")


class iinfo:
    """Machine limits of an integer dtype (or an array's): bits, max, min as Python ints, dtype."""

    __module__ = "numfuse"

    def __init__(self, type, /):
        info = _np.iinfo(_dtype_of(type))
        self.bits = int(info.bits)
        self.max = int(info.max)
        self.min = int(info.min)
        self.dtype = info.dtype
        self.kind = info.kind

    def __repr__(self):
        return f"iinfo(min={self.min}, max={self.max}, dtype={self.dtype})"


def to_device(self, device, /, *, stream=None):
    """ndarray.to_device: `self` (the CPU is numfuse's only device)."""
    check_device(device)
    if stream is not None:
        raise ValueError("The stream argument in to_device() is not supported")
    return self


device_property = property(lambda self: CPU, doc="The array's device: always 'cpu'.")
