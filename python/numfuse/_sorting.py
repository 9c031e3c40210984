"""Sorting, searching, unique and set operations over the native kernels of algorithms/.

The sorts are native (``_core._sort``, ``_argsort``, ``_lexsort``: Highway's vqsort on the parallel
runner) and always stable, so every ``kind`` gives NumPy's stable answer. Signatures, result
dtypes and errors are NumPy 2's; ``sort``/``argsort`` also take the array API's ``descending``.
"""
import operator as _operator

import numpy as _np

from . import _core
from ._creation import asarray as _asarray

__all__ = ["sort", "argsort", "lexsort", "sort_complex"]

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
    """`a` reversed along `axis` (a view)."""
    axis = _operator.index(axis) % a.ndim if a.ndim else 0
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
        return (a.shape[axis % a.ndim] - 1) - flipped
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


ndarray_methods = {"sort": _sort_method, "argsort": _argsort_method}
