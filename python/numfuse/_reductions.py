"""Reductions and cumulative ops: sum, prod, min/amin, max/amax, mean, var, std, argmin, argmax,
any, all, nansum, nanmean, nanmin, nanmax, cumsum, cumprod.

Every function is a thin layer over one entry of the op table's reduction list
(``numfuse._core._reduction_table()``), run by the C++ engine; the signatures, result dtypes,
errors and warnings are NumPy 2's. The same functions are the ndarray methods (``x.sum(axis=0)``).
"""
import operator as _operator
import warnings as _warnings

import numpy as _np

from . import _core
from ._creation import asarray as _asarray
from ._manipulation import broadcast_to as _broadcast_to, _normalize_axis
from ._ufuncs import where as _select, true_divide as _true_divide

__all__ = [
    "sum", "prod", "min", "max", "amin", "amax", "mean", "var", "std", "argmin", "argmax",
    "any", "all", "nansum", "nanmean", "nanmin", "nanmax", "cumsum", "cumprod",
    "cumulative_sum", "cumulative_prod",
]

# Rows of the op table's reduction list: name -> {kind, folds, dtype_rule, identity}.
TABLE = {row["name"]: row for row in _core._reduction_table()}


class _NoValueType:
    """Marks an argument that was not passed (NumPy's np._NoValue)."""

    def __repr__(self):
        return "<no value>"


_NoValue = _NoValueType()

# NumPy's RuntimeWarning texts for the flags the engine returns.
_EMPTY_SLICE, _ALL_NAN_SLICE, _NONPOSITIVE_DOF = 1, 2, 4
_WARNINGS = {
    "mean": {_EMPTY_SLICE: "Mean of empty slice."},
    "nanmean": {_EMPTY_SLICE: "Mean of empty slice"},
    "nanmin": {_ALL_NAN_SLICE: "All-NaN slice encountered"},
    "nanmax": {_ALL_NAN_SLICE: "All-NaN slice encountered"},
    "var": {_NONPOSITIVE_DOF: "Degrees of freedom <= 0 for slice"},
    "std": {_NONPOSITIVE_DOF: "Degrees of freedom <= 0 for slice"},
}


def _check_where(name, where):
    if where is not True and where is not _NoValue:
        raise NotImplementedError(f"numfuse.{name}: where= is not supported yet")


def _no_mask(where):
    return where is True or where is _NoValue


# Fill values that make excluded elements neutral: where= becomes a select before the reduction.
_WHERE_FILL = {"sum": 0, "nansum": 0, "prod": 1, "any": False, "all": True}
_NO_IDENTITY = {"min": "minimum", "max": "maximum", "nanmin": "fmin", "nanmax": "fmax"}


def _masked(name, a, where, initial):
    """`a` with the elements outside `where` replaced by the reduction's identity (or initial)."""
    a = _asarray(a)
    if name in _NO_IDENTITY:
        if initial is _NoValue:
            raise ValueError(f"reduction operation '{_NO_IDENTITY[name]}' does not have an "
                             "identity, so to use a where mask one has to specify 'initial'")
        fill = initial
    else:
        fill = _WHERE_FILL[name]
    return _select(where, a, _asarray(_np.asarray(fill).astype(a.dtype)))


def _reduce_where(name, a, axis, dtype, out, keepdims, initial, where):
    if not _no_mask(where):
        a = _masked(name, a, where, initial)
    if type(axis) is int and axis in (0, -1) and getattr(a, "ndim", None) == 0:
        # the ufunc reductions of a 0-d array take axis 0 or -1 as the whole array (NumPy's
        # ufunc.reduce does; mean/var/std do not)
        axis = None
    return _reduce(name, a, axis, dtype, out, keepdims, initial)


def _mean_where(a, axis, dtype, out, keepdims, where):
    """mean with where=: the masked sum over the count of selected elements, as NumPy does."""
    a = _asarray(a)
    if dtype is not None:
        result_dtype = _np.dtype(dtype)
    elif a.dtype.kind in "biu":
        result_dtype = _np.dtype(_np.float64)
    else:
        result_dtype = a.dtype
    total = _reduce("sum", _masked("sum", a, where, _NoValue), axis, result_dtype, None, keepdims)
    count = _reduce("sum", _broadcast_to(_asarray(where), a.shape), axis, None, None, keepdims)
    if _np.any(_np.asarray(count) == 0):
        _warnings.warn("Mean of empty slice.", RuntimeWarning, stacklevel=3)
    with _np.errstate(invalid="ignore", divide="ignore"):
        if isinstance(total, _np.generic):
            result = result_dtype.type(total / count)
        else:
            result = _true_divide(total, count).astype(result_dtype)
    if out is not None:
        out[...] = result
        return out
    return result


def _reduce(name, a, axis, dtype=None, out=None, keepdims=False, initial=_NoValue, ddof=0):
    if keepdims is _NoValue:
        keepdims = False
    initial = None if initial is _NoValue else initial
    if out is not None and not isinstance(out, (_core.ndarray, _np.ndarray)):
        raise TypeError("return arrays must be of ArrayType")
    if isinstance(ddof, (str, bytes)):
        raise TypeError(f"ddof must be a number, not {type(ddof).__name__}")
    result, flags = _core._reduce(name, a, axis, bool(keepdims), dtype, out, initial, float(ddof))
    if flags:
        for bit, message in _WARNINGS.get(name, {}).items():
            if flags & bit:
                _warnings.warn(message, RuntimeWarning, stacklevel=3)
    return result


def sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=_NoValue, where=True):
    return _reduce_where("sum", a, axis, dtype, out, keepdims, initial, where)


def prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=_NoValue, where=True):
    return _reduce_where("prod", a, axis, dtype, out, keepdims, initial, where)


def nansum(a, axis=None, dtype=None, out=None, keepdims=False, initial=_NoValue, where=True):
    return _reduce_where("nansum", a, axis, dtype, out, keepdims, initial, where)


def min(a, axis=None, out=None, keepdims=False, initial=_NoValue, where=True):
    return _reduce_where("min", a, axis, None, out, keepdims, initial, where)


def max(a, axis=None, out=None, keepdims=False, initial=_NoValue, where=True):
    return _reduce_where("max", a, axis, None, out, keepdims, initial, where)


amin, amax = min, max


def nanmin(a, axis=None, out=None, keepdims=False, initial=_NoValue, where=True):
    return _reduce_where("nanmin", a, axis, None, out, keepdims, initial, where)


def nanmax(a, axis=None, out=None, keepdims=False, initial=_NoValue, where=True):
    return _reduce_where("nanmax", a, axis, None, out, keepdims, initial, where)


def mean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
    if not _no_mask(where):
        return _mean_where(a, axis, dtype, out, keepdims, where)
    return _reduce("mean", a, axis, dtype, out, keepdims)


def nanmean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
    _check_where("nanmean", where)
    return _reduce("nanmean", a, axis, dtype, out, keepdims)


def _ddof(ddof, correction):
    if correction is _NoValue:
        return ddof
    if ddof != 0:
        raise ValueError("ddof and correction can't be provided simultaneously.")
    return correction


def _moment(name, a, axis, dtype, out, ddof, keepdims, where, mean, correction):
    """var and std: the same checks and the same call, only the reduction's name differs."""
    _check_where(name, where)
    if mean is not _NoValue:
        raise NotImplementedError(f"numfuse.{name}: mean= is not supported yet")
    return _reduce(name, a, axis, dtype, out, keepdims, ddof=_ddof(ddof, correction))


def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True,
        mean=_NoValue, correction=_NoValue):
    return _moment("var", a, axis, dtype, out, ddof, keepdims, where, mean, correction)


def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True,
        mean=_NoValue, correction=_NoValue):
    return _moment("std", a, axis, dtype, out, ddof, keepdims, where, mean, correction)


def _single_axis(axis):
    # argmin/argmax/cumsum take one axis; a tuple is a TypeError as in NumPy.
    return None if axis is None else _operator.index(axis)


def _at_least_1d(a, axis):
    # NumPy treats a 0-d input of argmax/cumsum with an explicit axis as 1-d (axis 0 or -1 valid).
    a = _asarray(a)
    return a.reshape(1) if a.ndim == 0 and axis is not None else a


def argmin(a, axis=None, out=None, *, keepdims=False):
    axis, a = _single_axis(axis), _asarray(a)
    keepdims = keepdims and a.ndim > 0  # keepdims of a 0-d input stays 0-d
    return _reduce("argmin", _at_least_1d(a, axis), axis, None, out, keepdims)


def argmax(a, axis=None, out=None, *, keepdims=False):
    axis, a = _single_axis(axis), _asarray(a)
    keepdims = keepdims and a.ndim > 0  # keepdims of a 0-d input stays 0-d
    return _reduce("argmax", _at_least_1d(a, axis), axis, None, out, keepdims)


def any(a, axis=None, out=None, keepdims=False, *, where=True):
    return _reduce_where("any", a, axis, None, out, keepdims, _NoValue, where)


def all(a, axis=None, out=None, keepdims=False, *, where=True):
    return _reduce_where("all", a, axis, None, out, keepdims, _NoValue, where)


def cumsum(a, axis=None, dtype=None, out=None):
    axis = _single_axis(axis)
    return _core._cumulative("cumsum", _at_least_1d(a, axis), axis, dtype, out)


def cumprod(a, axis=None, dtype=None, out=None):
    axis = _single_axis(axis)
    return _core._cumulative("cumprod", _at_least_1d(a, axis), axis, dtype, out)


def _cumulative_with_initial(name, identity, x, axis, dtype, out, include_initial):
    """The array API's cumulative_sum/prod (NumPy 2's): a 0-d x counts as 1-d, axis may be
    omitted for 1-d x only, and include_initial puts the identity before the first sum."""
    x = _asarray(x)
    if x.ndim == 0:
        x = x.reshape(1)
    if axis is None:
        if x.ndim >= 2:
            raise ValueError("For arrays which have more than one dimension ``axis`` argument is required.")
        axis = 0
    if not include_initial:
        return _core._cumulative(name, x, _single_axis(axis), dtype, out)
    axis = _normalize_axis(axis, x.ndim)
    lead = (slice(None),) * axis
    if out is None:
        sums = _core._cumulative(name, x, axis, dtype, None)
        shape = list(sums.shape)
        shape[axis] += 1
        out = _core.empty(tuple(shape), sums.dtype, "C")
        out[lead + (slice(1, None),)] = sums
    else:
        _core._cumulative(name, x, axis, dtype, out[lead + (slice(1, None),)])
    out[lead + (slice(0, 1),)] = identity
    return out


def cumulative_sum(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
    return _cumulative_with_initial("cumsum", 0, x, axis, dtype, out, include_initial)


def cumulative_prod(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
    return _cumulative_with_initial("cumprod", 1, x, axis, dtype, out, include_initial)


# ndarray methods: the same functions with the array as `self` (NumPy's method signatures match
# its function signatures for all of these).
ndarray_methods = {
    name: globals()[name]
    for name in ("sum", "prod", "min", "max", "mean", "var", "std", "argmin", "argmax",
                 "any", "all", "cumsum", "cumprod")
}
