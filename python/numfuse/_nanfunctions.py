"""nanprod, nanvar, nanstd: NaN-ignoring reductions as fused numfuse selects and sums, step by
step NumPy's lib/_nanfunctions_impl.py (same sums, same casts, so the same values to an ULP or
two, the same "Degrees of freedom <= 0 for slice." warning for slices without numbers)."""
import warnings as _warnings

import numpy as _np

from . import _core
from ._creation import asarray as _asarray
from ._manipulation import _normalize_axis, broadcast_to as _broadcast_to
from . import _reductions as _r
from . import _ufuncs as _u

__all__ = ["nanprod", "nanvar", "nanstd"]


def _given(**options):
    """The options that were passed (NumPy's np._NoValue marks the others)."""
    return {name: value for name, value in options.items() if value is not _np._NoValue}


def nanprod(a, axis=None, dtype=None, out=None, keepdims=_np._NoValue, initial=_np._NoValue,
            where=_np._NoValue):
    """prod with NaNs counted as ones."""
    a = _asarray(a)
    if a.dtype.kind in "fc":
        a = _u.where(_u.isnan(a), a.dtype.type(1), a)
    return _r.prod(a, axis=axis, dtype=dtype, out=out,
                   **_given(keepdims=keepdims, initial=initial, where=where))


def _divide_by_count(values, count):
    """values / count kept in values' dtype, 0/0 and x/0 silently NaN and inf (NumPy's
    _divide_by_count); the operands' own pending work is evaluated first, under the caller's
    error modes."""
    scalar = isinstance(values, _np.generic)
    values = _asarray(values)
    count = _asarray(count)
    _core.eval(values, count)
    with _np.errstate(invalid="ignore", divide="ignore"):
        quotient = _u.true_divide(values, count).astype(values.dtype)
        _core.eval(quotient)
    return quotient[()] if scalar else quotient


def _check_inexact(dtype, out):
    if dtype is not None and _np.dtype(dtype).kind not in "fc":
        raise TypeError("If a is inexact, then dtype must be inexact")
    if out is not None and out.dtype.kind not in "fc":
        raise TypeError("If a is inexact, then out must be inexact")


def _store(result, out):
    if out is None:
        return result
    out[...] = result
    return out


def _ddof(ddof, correction):
    if correction is _np._NoValue:
        return ddof
    if ddof != 0:
        raise ValueError("ddof and correction can't be provided simultaneously.")
    return correction


def _masked_integer_var(arr, axis, dtype, out, ddof, keepdims, where, mean):
    """np.var of integer/bool input with where= or mean= (NumPy's _methods._var: float64 mean
    over the selected count, squared deviations, sum / max(count - ddof, 0))."""
    where = True if where is _np._NoValue else where
    if where is True:
        reduced = range(arr.ndim) if axis is None else \
            (axis if isinstance(axis, tuple) else (axis,))
        count = _np.intp(_np.prod([arr.shape[_normalize_axis(ax, arr.ndim)] for ax in reduced],
                                  dtype=_np.intp))
    else:
        count = _r.sum(_broadcast_to(_asarray(where), arr.shape), axis=axis, dtype=_np.intp,
                       keepdims=keepdims)
    if bool(_u.greater_equal(ddof, count).any()):
        _warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=3)
    dtype = _np.dtype(_np.float64) if dtype is None else dtype
    options = {} if where is True else {"where": where}
    if mean is not _np._NoValue:
        average = mean
    else:
        total = _r.sum(arr, axis=axis, dtype=dtype, keepdims=True, **options)
        average = _divide_by_count(total, _asarray(count).reshape(total.shape)
                                   if _np.ndim(count) else count)
    deviation = _u.subtract(arr, average)
    squares = _u.square(deviation)
    variance = _r.sum(squares, axis=axis, dtype=dtype, out=out, keepdims=keepdims, **options)
    return _store(_divide_by_count(variance, _u.maximum(_u.subtract(count, ddof), 0)), out)


def nanvar(a, axis=None, dtype=None, out=None, ddof=0, keepdims=_np._NoValue, *,
           where=_np._NoValue, mean=_np._NoValue, correction=_np._NoValue):
    """Variance of the non-NaN values: mean of the kept values, squared deviations (in the
    input's dtype) summed and divided by count - ddof; NaN where that is <= 0."""
    arr = _asarray(a)
    if arr.dtype.kind not in "fc":
        if where is _np._NoValue and mean is _np._NoValue:
            return _r.var(arr, axis=axis, dtype=dtype, out=out, ddof=ddof,
                          **_given(keepdims=keepdims, correction=correction))
        return _masked_integer_var(arr, axis, dtype, out, _ddof(ddof, correction),
                                   keepdims is not _np._NoValue and bool(keepdims), where, mean)
    _check_inexact(dtype, out)
    ddof = _ddof(ddof, correction)
    masked = _given(where=where)
    is_nan = _u.isnan(arr)
    kept = _u.where(is_nan, arr.dtype.type(0), arr)
    count = _r.sum(_u.logical_not(is_nan), axis=axis, dtype=_np.intp, keepdims=True, **masked)
    if mean is not _np._NoValue:
        average = mean
    else:
        average = _divide_by_count(_r.sum(kept, axis=axis, dtype=dtype, keepdims=True, **masked),
                                   count)
    # NumPy subtracts into the input's own dtype (casting='unsafe') and squares there
    deviation = _u.where(is_nan, arr.dtype.type(0), _u.subtract(kept, average).astype(arr.dtype))
    if arr.dtype.kind == "c":
        squares = _u.multiply(deviation, _u.conjugate(deviation)).real
    else:
        squares = _u.multiply(deviation, deviation)
    # (into `out` as NumPy does: the sum then runs in out's dtype)
    variance = _r.sum(squares, axis=axis, dtype=dtype, out=out,
                      **_given(keepdims=keepdims, where=where))
    if _np.ndim(variance) < count.ndim:
        count = count.reshape(_np.shape(variance)) if axis is None else count.squeeze(axis)
    dof = _u.subtract(count, ddof)
    variance = _divide_by_count(variance, dof)
    is_bad = _u.less_equal(dof, 0)
    if bool(is_bad.any()):
        _warnings.warn("Degrees of freedom <= 0 for slice.", RuntimeWarning, stacklevel=2)
        if isinstance(variance, _np.generic):
            variance = variance.dtype.type(_np.nan)
        else:
            variance = _u.where(is_bad, variance.dtype.type(_np.nan), variance)
    return _store(variance, out)


def nanstd(a, axis=None, dtype=None, out=None, ddof=0, keepdims=_np._NoValue, *,
           where=_np._NoValue, mean=_np._NoValue, correction=_np._NoValue):
    """Square root of nanvar."""
    variance = nanvar(a, axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims,
                      where=where, mean=mean, correction=correction)
    if isinstance(variance, _np.generic):
        return variance.dtype.type(_u.sqrt(variance))
    return _store(_u.sqrt(variance), variance if out is not None else None)
