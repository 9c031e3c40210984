"""interp: piecewise-linear interpolation with NumPy's exact arithmetic and edge rules.

One searchsorted of x into the sample points finds each interval; the value is then a fused
elementwise expression over gathered interval ends, choosing among NumPy's cases in its order of
precedence (NaN x, left of the samples, right of them, on the last sample, on a sample point,
inside). Inside an interval the value is slope * (x - xp[j]) + fp[j], retried from the right end
when that is NaN (infinite slopes) and fp[j] when both ends are equal, as NumPy computes it.
"""
import numpy as _np

from ._creation import asarray, empty
from ._indexing import take
from ._manipulation import concatenate
from . import _ufuncs as _u

__all__ = ["interp"]

_FLOAT = _np.dtype(_np.float64)


def _points(values, name):
    a = asarray(values)
    if a.ndim != 1:
        raise ValueError(f"object {'too deep' if a.ndim > 1 else 'of too small depth'} for desired "
                         "array")
    return a


def _real_interp(x, xp, fp, left, right, inverse_dx=False):
    """interp of real float64 data (sorted xp with at least one point). NumPy's complex version
    computes each part's slope as dy * (1 / dx), its real one as dy / dx: `inverse_dx` picks."""
    n = xp.shape[0]
    lval = fp[0] if left is None else left
    rval = fp[n - 1] if right is None else right
    if n == 1:
        # NumPy's single-point case has no NaN test: NaN compares false both ways and gives fp[0]
        return _u.where(x < xp[0], lval, _u.where(x > xp[0], rval, fp[0])).astype(_FLOAT)
    import numfuse
    j = numfuse.searchsorted(xp, x, side="right") - 1  # the last sample <= x
    jc = j.clip(0, n - 2)
    x0, x1 = take(xp, jc), take(xp, jc + 1)
    y0, y1 = take(fp, jc), take(fp, jc + 1)
    slope = (y1 - y0) * (1.0 / (x1 - x0)) if inverse_dx else (y1 - y0) / (x1 - x0)
    value = slope * (x - x0) + y0
    value = _u.where(_u.isnan(value), slope * (x - x1) + y1, value)
    value = _u.where(_u.isnan(value) & (y0 == y1), y0, value)
    value = _u.where(x == x0, y0, value)
    value = _u.where(j == n - 1, fp[n - 1], value)
    value = _u.where(j < 0, lval, value)
    value = _u.where(x > xp[n - 1], rval, value)
    return _u.where(_u.isnan(x), x, value).astype(_FLOAT)


def _parts(value):
    if value is None:
        return None, None
    value = complex(value)
    return value.real, value.imag


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
    x = x_in.astype(_FLOAT)
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
    xp = _points(xp, "xp").astype(_FLOAT)
    fp = _points(fp, "fp").astype(fp_dtype)
    if xp.shape[0] == 0:
        raise ValueError("array of sample points is empty")
    if xp.shape[0] != fp.shape[0]:
        raise ValueError("fp and xp are not of the same length.")
    if not is_complex:
        left = None if left is None else float(left)
        right = None if right is None else float(right)
        result = _real_interp(x, xp, fp, left, right)
    else:
        (left_re, left_im), (right_re, right_im) = _parts(left), _parts(right)
        real = _real_interp(x, xp, _u.real(fp).astype(_FLOAT), left_re, right_re, True)
        imag = _real_interp(x, xp, _u.imag(fp).astype(_FLOAT), left_im, right_im, True)
        result = empty(x.shape, dtype=fp_dtype)
        pairs = result.reshape(-1).view(_FLOAT)  # (re, im) interleaved: no re + 1j*im (inf * 0j)
        pairs[0::2] = real.reshape(-1)
        pairs[1::2] = imag.reshape(-1)
    return result[()] if result.ndim == 0 else result
