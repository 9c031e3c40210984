"""interp: piecewise-linear interpolation with NumPy's exact arithmetic and edge rules.

NumPy's argument handling (dtypes, shapes, period) is here; the values come from the C++ kernel
(algorithms/interp.hpp): one threaded pass over x that finds each interval from the previous
one (a merge walk for sorted x) and computes NumPy's cases in its order of precedence (NaN x,
left of the samples, right of them, on the last sample, on a sample point, inside, with NumPy's
slope arithmetic and its NaN retries).
"""
import numpy as _np

from . import _core
from ._creation import asarray
from ._indexing import take
from ._manipulation import concatenate

__all__ = ["interp"]

_FLOAT = _np.dtype(_np.float64)


def _points(values):
    a = asarray(values)
    if a.ndim != 1:
        raise ValueError(f"object {'too deep' if a.ndim > 1 else 'of too small depth'} for desired "
                         "array")
    return a


def _contiguous(a, dt):
    a = asarray(a)  # 0-d arithmetic (x % period) may have given a NumPy scalar
    a = a.astype(dt, copy=False) if a.dtype != dt else a
    return a if a._c_contiguous else a.copy(order="C")


def interp(x, xp, fp, left=None, right=None, period=None):
    """One-dimensional linear interpolation of (xp, fp) at x (float64, complex128 for complex
    fp); left/right beyond the ends (fp's end values by default); periodic x with `period`."""
    fp = asarray(fp)
    is_complex = fp.dtype.kind == "c"
    fp_dtype = _np.dtype(_np.complex128 if is_complex else _np.float64)
    if period is not None and period == 0:
        raise ValueError("period must be a non-zero value")
    x_in = asarray(x)
    if not _np.can_cast(x_in.dtype, _FLOAT, casting="same_kind"):
        raise TypeError(f"Cannot cast array data from {x_in.dtype!r} to dtype('float64') according "
                        "to the rule 'safe'")
    x = x_in.astype(_FLOAT, copy=False)
    if period is not None:
        period = abs(period)
        left = right = None
        xp, fp = asarray(xp).astype(_FLOAT), fp.astype(fp_dtype)
        if xp.ndim != 1 or fp.ndim != 1:
            raise ValueError("Data points must be 1-D sequences")
        if xp.shape[0] != fp.shape[0]:
            raise ValueError("fp and xp are not of the same length")
        x, xp = x % period, xp % period
        import numfuse
        order = numfuse.argsort(xp)
        xp, fp = take(xp, order), take(fp, order)
        xp = concatenate((xp[-1:] - period, xp, xp[0:1] + period))
        fp = concatenate((fp[-1:], fp, fp[0:1]))
    xp, fp = _points(xp), _points(fp)
    if xp.shape[0] == 0:
        raise ValueError("array of sample points is empty")
    if xp.shape[0] != fp.shape[0]:
        raise ValueError("fp and xp are not of the same length.")
    convert = complex if is_complex else float
    left = None if left is None else convert(left)
    right = None if right is None else convert(right)
    result = _core._interp(_contiguous(x, _FLOAT), _contiguous(xp, _FLOAT), _contiguous(fp, fp_dtype),
                           left, right)
    return result[()] if result.ndim == 0 else result
