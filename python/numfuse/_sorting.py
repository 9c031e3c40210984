"""Sorting, searching, unique and set operations over the native kernels of algorithms/.

The sorts are native (``_core._sort``, ``_argsort``, ``_lexsort``: Highway's vqsort on the parallel
runner) and always stable, so every ``kind`` gives NumPy's stable answer. Signatures, result
dtypes and errors are NumPy 2's; ``sort``/``argsort`` also take the array API's ``descending``.
"""
import math as _math
import operator as _operator
from typing import NamedTuple as _NamedTuple

import numpy as _np

from . import _core
from ._creation import asarray as _asarray
from ._indexing import nonzero as _nonzero
from ._manipulation import concatenate as _concatenate, moveaxis as _moveaxis, stack as _stack
from ._reductions import all as _all, any as _any, argmax as _argmax, argmin as _argmin, cumsum as _cumsum
from ._ufuncs import isnan as _isnan, where as _where

__all__ = [
    "sort", "argsort", "lexsort", "sort_complex",
    "unique", "unique_values", "unique_counts", "unique_inverse", "unique_all",
    "isin", "intersect1d", "union1d", "setdiff1d", "setxor1d",
    "searchsorted", "digitize", "argwhere", "nanargmax", "nanargmin",
]

_KIND_LETTERS = "qhms"  # quicksort, heapsort, mergesort, stable (NumPy reads the first letter)


def _check_sort_options(kind, order, stable):
    if kind is not None and stable is not None:
        raise ValueError("`kind` and keyword parameters can't be provided at the same time. "
                         "Use only one of them.")
    if kind is not None:
        if not isinstance(kind, str):
            raise TypeError(f"sort kind must be str, not {type(kind).__name__}")
        if not kind or kind[0].lower() not in _KIND_LETTERS:
            raise ValueError(f"sort kind must be one of 'quick', 'heap', or 'stable' (got {kind!r})")
    if order is not None:
        raise ValueError("Cannot specify order when the array has no fields.")


def _flipped(a, axis):
    """`a` reversed along `axis` (a view; AxisError when out of range)."""
    axis = _np.lib.array_utils.normalize_axis_index(axis, a.ndim)
    return a[(slice(None),) * axis + (slice(None, None, -1),)]


def sort(a, axis=-1, kind=None, order=None, *, stable=None, descending=False):
    """A sorted copy of `a` along `axis` (None: flattened); NaNs last, equal elements in order.

    `descending` (array API) keeps equal elements in their original order too, NaNs first."""
    _check_sort_options(kind, order, stable)
    a = _asarray(a)
    if axis is None:
        a, axis = a.reshape(-1), -1
    axis = _operator.index(axis)
    if descending:
        return _flipped(_core._sort(_flipped(a, axis), axis), axis)
    return _core._sort(a, axis)


def argsort(a, axis=-1, kind=None, order=None, *, stable=None, descending=False):
    """The int64 indices that sort `a` along `axis` (None: flattened), equal elements in order."""
    _check_sort_options(kind, order, stable)
    a = _asarray(a)
    if axis is None:
        a, axis = a.reshape(-1), -1
    elif a.ndim == 0:  # NumPy argsorts a 0-d array as a 1-d one
        a = a.reshape(1)
    axis = _operator.index(axis)
    if descending:
        flipped = _flipped(_core._argsort(_flipped(a, axis), axis), axis)
        return (a.shape[axis] - 1) - flipped
    return _core._argsort(a, axis)


def lexsort(keys, axis=-1):
    """Indices sorting by the last key, then the one before, ... (NumPy's lexsort)."""
    if isinstance(keys, (tuple, list)):
        keys = [_asarray(k) for k in keys]
    else:
        array = _asarray(keys)
        if array.ndim == 0:
            raise TypeError("need sequence of keys with len > 0 in lexsort")
        keys = [array[i] for i in range(array.shape[0])]
    if not keys:
        raise TypeError("need sequence of keys with len > 0 in lexsort")
    axis = _operator.index(axis)
    if keys[0].ndim == 0:
        if any(k.shape != () for k in keys):
            raise ValueError("all keys need to be the same shape")
        return _np.intp(0)
    return _core._lexsort(keys, axis)


def sort_complex(a):
    """`a` sorted along its last axis, as a complex array (NumPy's result dtypes)."""
    b = sort(a)
    if b.dtype.kind != "c":
        return b.astype(_np.complex64 if b.dtype.char in "bhBH" else _np.complex128)
    return b


def _sort_method(self, axis=-1, kind=None, order=None, *, stable=None):
    """ndarray.sort: sorts in place."""
    if not self.flags.writeable:
        raise ValueError("sort array is read-only")
    self[...] = sort(self, _operator.index(axis), kind, order, stable=stable)


def _argsort_method(self, axis=-1, kind=None, order=None, *, stable=None):
    return argsort(self, axis, kind, order, stable=stable)




# ---- unique and sets -------------------------------------------------------------------------

class UniqueAllResult(_NamedTuple):
    values: object
    indices: object
    inverse_indices: object
    counts: object


class UniqueCountsResult(_NamedTuple):
    values: object
    counts: object


class UniqueInverseResult(_NamedTuple):
    values: object
    inverse_indices: object


def _picked(values, index, inverse, counts, return_index, return_inverse, return_counts):
    result = (values,) + ((index,) if return_index else ()) + ((inverse,) if return_inverse else ()) + \
        ((counts,) if return_counts else ())
    return result[0] if len(result) == 1 else result


def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, *,
           equal_nan=True, sorted=True):
    """The sorted distinct values of `ar` (flattened, or its distinct slices along `axis`), with
    first indices, the inverse and counts on request. `sorted=False` is accepted (the result is
    sorted anyway, which NumPy allows)."""
    ar = _asarray(ar)
    flags = bool(return_index), bool(return_inverse), bool(return_counts)
    if axis is None or ar.ndim == 1:
        if axis is not None:
            _np.lib.array_utils.normalize_axis_index(_operator.index(axis), ar.ndim)
        values, index, inverse, counts = _core._unique(ar, bool(equal_nan), *flags)
        if inverse is not None:
            inverse = inverse.reshape(ar.shape)
        return _picked(values, index, inverse, counts, *flags)
    return _unique_slices(ar, _operator.index(axis), flags)


def _unique_slices(ar, axis, flags):
    """unique along an axis: the slices compared as rows, in lexicographic order (NaN rows are
    never equal, as for NumPy's structured view)."""
    try:
        moved = _moveaxis(ar, axis, 0)
    except _np.exceptions.AxisError:
        raise _np.exceptions.AxisError(axis, ar.ndim) from None
    n, width = moved.shape[0], _math.prod(moved.shape[1:])
    rows = moved.reshape(n, width)
    if width:
        order = lexsort([rows[:, j] for j in range(width - 1, -1, -1)])
    else:
        order = _asarray(_np.arange(n))
    ordered = rows[order]
    if n:
        changed = _any(ordered[1:] != ordered[:-1], axis=1) if width else _asarray(_np.zeros(n - 1, bool))
        first = _concatenate([_asarray(_np.ones(1, bool)), changed])
    else:
        first = _asarray(_np.zeros(0, bool))
    values = _moveaxis(ordered[first].reshape((int(first.sum()),) + moved.shape[1:]), 0, axis)
    inverse = counts = None
    if flags[1]:
        inverse = _asarray(_np.empty(n, _np.intp))
        inverse[order] = _cumsum(first.astype(_np.intp)) - 1
    if flags[2]:
        starts = _np.append(_np.flatnonzero(_np.asarray(first)), n)
        counts = _asarray(_np.diff(starts))
    return _picked(values, order[first], inverse, counts, *flags)


def unique_values(x):
    return unique(x, equal_nan=False, sorted=False)


def unique_counts(x):
    return UniqueCountsResult(*unique(x, return_counts=True, equal_nan=False))


def unique_inverse(x):
    return UniqueInverseResult(*unique(x, return_inverse=True, equal_nan=False))


def unique_all(x):
    return UniqueAllResult(*unique(x, return_index=True, return_inverse=True, return_counts=True,
                                   equal_nan=False))


def _membership(ar1, ar2, invert, kind):
    """ar1 in ar2 elementwise (ar1's shape), both converted to their common dtype."""
    if kind not in {None, "sort", "table"}:
        raise ValueError(f"Invalid kind: '{kind}'. Please use None, 'sort' or 'table'.")
    if kind == "table":
        if not all(a.dtype.kind in "uib" for a in (ar1, ar2)):
            raise ValueError("The 'table' method is only supported for boolean or integer arrays. "
                             "Please select 'sort' or None for kind.")
        if ar2.size and int(ar2.max()) - int(ar2.min()) > _np.iinfo(_np.dtype(ar2.dtype).name.replace(
                "bool", "uint8")).max:
            raise RuntimeError("You have specified kind='table', but the range of values in `ar2` or "
                               "`ar1` exceed the maximum integer of the datatype. "
                               "Please set `kind` to None or 'sort'.")
    common = _np.result_type(ar1.dtype, ar2.dtype)
    return _core._isin(ar1.astype(common) if ar1.dtype != common else ar1,
                       ar2.astype(common) if ar2.dtype != common else ar2, bool(invert))


def isin(element, test_elements, assume_unique=False, invert=False, *, kind=None):
    """A bool array of element's shape: whether each element is in test_elements."""
    return _membership(_asarray(element), _asarray(test_elements), invert, kind)


def _flat(a):
    return _asarray(a).reshape(-1)


def intersect1d(ar1, ar2, assume_unique=False, return_indices=False):
    """Sorted values in both arrays (NumPy's algorithm on the native sorts)."""
    if not assume_unique:
        if return_indices:
            ar1, ind1 = unique(ar1, return_index=True)
            ar2, ind2 = unique(ar2, return_index=True)
        else:
            ar1, ar2 = unique(ar1), unique(ar2)
    else:
        ar1, ar2 = _flat(ar1), _flat(ar2)
    aux = _concatenate((ar1, ar2))
    if return_indices:
        aux_sort_indices = argsort(aux)
        aux = aux[aux_sort_indices]
    else:
        aux = sort(aux)
    mask = aux[1:] == aux[:-1]
    int1d = aux[:-1][mask]
    if not return_indices:
        return int1d
    ar1_indices = aux_sort_indices[:-1][mask]
    ar2_indices = aux_sort_indices[1:][mask] - ar1.size
    if not assume_unique:
        ar1_indices, ar2_indices = ind1[ar1_indices], ind2[ar2_indices]
    return int1d, ar1_indices, ar2_indices


def union1d(ar1, ar2):
    return unique(_concatenate((_flat(ar1), _flat(ar2))))


def setdiff1d(ar1, ar2, assume_unique=False):
    """Sorted values of ar1 not in ar2 (ar1's order kept when assume_unique)."""
    if assume_unique:
        ar1 = _flat(ar1)
    else:
        ar1, ar2 = unique(ar1), unique(ar2)
    return ar1[_membership(ar1, _flat(ar2), True, None)]


def setxor1d(ar1, ar2, assume_unique=False):
    """Sorted values in exactly one of the arrays."""
    if not assume_unique:
        ar1, ar2 = unique(ar1), unique(ar2)
    aux = _concatenate((_flat(ar1), _flat(ar2)))
    if aux.size == 0:
        return aux
    aux = sort(aux)
    true = _asarray(_np.ones(1, bool))
    flag = _concatenate((true, aux[1:] != aux[:-1], true))
    return aux[flag[1:] & flag[:-1]]


# ---- searching -------------------------------------------------------------------------------

def _common_dtype(a, v):
    """The dtype NumPy compares a sorted array and its queries in."""
    return _np.result_type(a.dtype, v.dtype)


def searchsorted(a, v, side="left", sorter=None):
    """Indices where v's elements go into the sorted 1-D `a` (int64, v's shape; a scalar for a
    scalar v)."""
    if not isinstance(side, str):
        raise TypeError(f"search side must be str, not {type(side).__name__}")
    if side not in ("left", "right"):
        raise ValueError(f"search side must be 'left' or 'right' (got {side!r})")
    a, queries = _asarray(a), _asarray(v)
    if a.ndim == 0:
        raise ValueError("object of too small depth for desired array")
    if sorter is not None:
        sorter = _asarray(sorter)
        if sorter.ndim != 1:
            raise TypeError("could not parse sorter argument")
        if sorter.dtype.kind not in "iu":
            raise TypeError("sorter must only contain integers")
    common = _common_dtype(a, queries)
    result = _core._searchsorted(a.astype(common) if a.dtype != common else a,
                                 queries.astype(common) if queries.dtype != common else queries,
                                 side == "right", sorter)
    return _np.intp(result.reshape(())[()]) if queries.ndim == 0 else result


def digitize(x, bins, right=False):
    """The index of the bin each element of x falls in (NumPy's digitize, over searchsorted)."""
    x, bins = _asarray(x), _asarray(bins)
    if x.dtype.kind == "c":
        raise TypeError("x may not be complex")
    if bins.ndim != 1:
        raise ValueError("object too deep for desired array" if bins.ndim > 1
                         else "object of too small depth for desired array")
    monotonic = _core._bins_monotonicity(bins)
    if monotonic == 0:
        raise ValueError("bins must be monotonically increasing or decreasing")
    side = "left" if right else "right"
    if monotonic == -1:
        return len(bins) - searchsorted(bins[::-1], x, side=side)
    return searchsorted(bins, x, side=side)


def argwhere(a):
    """The indices of the non-zero elements, one row each (shape (N, a.ndim), int64)."""
    a = _asarray(a)
    if a.ndim == 0:
        return argwhere(a.reshape(1))[:, :0]
    return _stack(_nonzero(a), axis=1)


def _nan_arg(pick, fill, a, axis, out, keepdims):
    a = _asarray(a)
    if a.dtype.kind in "fc":
        mask = _isnan(a)
        slices = mask.reshape(1) if mask.ndim == 0 else mask  # NumPy lets axis 0 address a 0-d array
        if mask.size and bool(_any(_all(slices, axis=axis))):
            raise ValueError("All-NaN slice encountered")
        a = _where(mask, _asarray(_np.array(fill, a.dtype)), a)
    return pick(a, axis=axis, out=out, keepdims=keepdims)


def nanargmax(a, axis=None, out=None, *, keepdims=False):
    """argmax ignoring NaNs; ValueError for a slice of NaNs only (NumPy's nanargmax)."""
    return _nan_arg(_argmax, -_np.inf, a, axis, out, keepdims)


def nanargmin(a, axis=None, out=None, *, keepdims=False):
    """argmin ignoring NaNs; ValueError for a slice of NaNs only (NumPy's nanargmin)."""
    return _nan_arg(_argmin, _np.inf, a, axis, out, keepdims)


def _searchsorted_method(self, v, side="left", sorter=None):
    return searchsorted(self, v, side, sorter)


ndarray_methods = {"sort": _sort_method, "argsort": _argsort_method, "searchsorted": _searchsorted_method}
