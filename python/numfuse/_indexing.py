"""Advanced indexing (integer arrays, boolean masks) with NumPy's rules, plus take and nonzero.

ndarray.__getitem__/__setitem__ (C++) handle keys made only of ints, slices, None and Ellipsis;
any other key comes here. A key is reduced to
  * a basic view of the array: every array-indexed axis kept whole (slice(None)), a 0-d boolean
    becoming a new length-1 axis (None), and
  * one integer array per indexed axis of that view: a boolean mask of k dims becomes its k
    nonzero() coordinate arrays, and integers that sit beside arrays become 0-d arrays, as in NumPy,
and the C++ core gathers / scatters over the byte offsets those arrays select
(core/include/numfuse/core/indexing.hpp).

Where the index dimensions go follows NumPy: if all array indices (integers included) sit next to
each other in the key, the broadcast index dimensions replace them in place; otherwise they go
first.
"""
import operator as _operator

import numpy as _np

from . import _core
from ._core import ndarray, AxisError

__all__ = ["take", "take_along_axis", "nonzero", "flatnonzero", "count_nonzero"]

_INVALID_INDEX = ("only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and "
                  "integer or boolean arrays are valid indices")
_NOT_INTEGER_ARRAY = "arrays used as indices must be of integer (or boolean) type"

# Kinds of key components.
_INT, _SLICE, _NEWAXIS, _ELLIPSIS, _INT_ARRAY, _BOOL_ARRAY, _BOOL_0D = range(7)
_FANCY = (_INT_ARRAY, _BOOL_ARRAY, _BOOL_0D)


def _as_index_array(arr):
    """An array-valued key component: (kind, value) for an integer or boolean array."""
    kind = arr.dtype.kind
    if kind == "b":
        return (_BOOL_0D, bool(arr[()])) if arr.ndim == 0 else (_BOOL_ARRAY, arr)
    if kind in "iu":
        return _INT_ARRAY, arr  # even 0-d: NumPy makes a copy, not a view, for an array index
    raise IndexError(_NOT_INTEGER_ARRAY)


def _classify(item):
    if item is None:
        return _NEWAXIS, None
    if item is Ellipsis:
        return _ELLIPSIS, None
    if isinstance(item, slice):
        return _SLICE, item
    if isinstance(item, (bool, _np.bool_)):
        return _BOOL_0D, bool(item)
    if isinstance(item, (ndarray, _np.ndarray)):
        return _as_index_array(item)
    if isinstance(item, _np.generic) and item.dtype.kind not in "iu":
        raise IndexError(_INVALID_INDEX)
    if isinstance(item, int) or hasattr(item, "__index__"):
        return _INT, _operator.index(item)
    if isinstance(item, (list, tuple)) or hasattr(item, "__array_interface__") or hasattr(item, "__array__"):
        arr = _np.asarray(item)  # ragged lists raise NumPy's ValueError, as in NumPy
        if isinstance(item, (list, tuple)):
            if arr.size == 0 and arr.dtype.kind == "f":
                arr = arr.astype(_np.intp)  # [] indexes nothing, as an integer array
            elif arr.dtype.kind not in "iub":
                raise IndexError(_INVALID_INDEX)
        return _as_index_array(arr)
    raise IndexError(_INVALID_INDEX)


def _mask_mismatch(axis, size, mask_size):
    return IndexError(f"boolean index did not match indexed array along axis {axis}; size of axis "
                      f"is {size} but size of corresponding boolean axis is {mask_size}")


def _plan(a, key):
    """(view, axes, index arrays, error axes, insert_at, scalar, mask_count) for an advanced key.

    scalar: the key is one integer per dimension (getitem returns a NumPy scalar).
    mask_count: for a key that is one boolean array covering every dimension, the number of
    selected elements (NumPy assigns through such a key with its own rules); otherwise None.
    """
    parsed = [_classify(item) for item in (key if isinstance(key, tuple) else (key,))]
    kinds = [k for k, _ in parsed]
    if kinds.count(_ELLIPSIS) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    consumed = sum(1 for k in kinds if k in (_INT, _SLICE, _INT_ARRAY))
    consumed += sum(v.ndim for k, v in parsed if k == _BOOL_ARRAY)
    if consumed > a.ndim:
        raise IndexError(f"too many indices for array: array is {a.ndim}-dimensional, but "
                         f"{consumed} were indexed")

    basic, axes, indices, error_axes, fancy_items = [], [], [], [], []
    source_dim = view_dim = 0

    def index_axis(array, error_axis, new_axis=False):
        nonlocal source_dim, view_dim
        basic.append(None if new_axis else slice(None))
        axes.append(view_dim)
        indices.append(array)
        error_axes.append(error_axis)
        view_dim += 1
        source_dim += 0 if new_axis else 1

    for position, (kind, value) in enumerate(parsed):
        if kind == _ELLIPSIS:
            span = a.ndim - consumed
            basic.append(Ellipsis)
            source_dim += span
            view_dim += span
        elif kind == _NEWAXIS:
            basic.append(None)
            view_dim += 1
        elif kind == _SLICE:
            basic.append(value)
            source_dim += 1
            view_dim += 1
        elif kind in (_INT, _INT_ARRAY):
            fancy_items.append(position)
            if kind == _INT or value.ndim == 0:
                # NumPy checks integers up front, even when the other index arrays are empty.
                i = value if kind == _INT else int(_np.asarray(value).astype(_np.intp))
                size = a.shape[source_dim]
                if not -size <= i < size:
                    raise IndexError(f"index {i} is out of bounds for axis {source_dim} with size {size}")
            array = _core._wrap(_np.intp(value), None) if kind == _INT else value
            index_axis(array, source_dim)
        elif kind == _BOOL_ARRAY:
            fancy_items.append(position)
            for j, mask_size in enumerate(value.shape):
                # NumPy 2.x lets a mask axis of length 0 stand for any axis length (it selects nothing).
                if mask_size != a.shape[source_dim + j] and mask_size != 0:
                    raise _mask_mismatch(source_dim + j, a.shape[source_dim + j], mask_size)
            mask = value if isinstance(value, ndarray) else _core._wrap(value, None)
            for coords in _core._nonzero(mask):
                index_axis(coords, source_dim)
        else:  # _BOOL_0D: a new length-1 axis indexed by [0] (True) or [] (False)
            fancy_items.append(position)
            index_axis(_core._wrap(_np.zeros(1 if value else 0, _np.intp), None), 0, new_axis=True)

    adjacent = fancy_items[-1] - fancy_items[0] == len(fancy_items) - 1
    insert_at = axes[0] if adjacent else 0
    view = a[tuple(basic)]
    # Integers and 0-d integer arrays only, one per dimension: NumPy returns a scalar.
    scalar = len(parsed) == a.ndim and all(k == _INT or (k == _INT_ARRAY and v.ndim == 0)
                                           for k, v in parsed)
    mask_count = None
    if len(parsed) == 1 and kinds[0] == _BOOL_ARRAY and parsed[0][1].ndim == a.ndim:
        mask_count = int(indices[0].shape[0])
    elif len(parsed) == 1 and kinds[0] == _BOOL_0D and a.ndim == 0:
        mask_count = int(parsed[0][1])
    return view, axes, indices, error_axes, insert_at, scalar, mask_count


def _whole_mask(a, key):
    """The key as a numfuse bool array when it is one boolean array of exactly a's shape."""
    item = key[0] if isinstance(key, tuple) and len(key) == 1 else key
    if isinstance(item, tuple) or getattr(item, "shape", None) != a.shape or a.ndim == 0:
        return None
    kind, value = _classify(item)
    if kind != _BOOL_ARRAY:
        return None
    return value if isinstance(value, ndarray) else _core._wrap(value, None)


def advanced_getitem(a, key):
    mask = _whole_mask(a, key)
    if mask is not None:
        return _core._mask_get(a, mask)
    view, axes, indices, error_axes, insert_at, scalar, _ = _plan(a, key)
    result = _core._fancy_get(view, axes, indices, error_axes, insert_at)
    return result[()] if scalar else result


def advanced_setitem(a, key, value):
    if not a._writeable:
        raise ValueError("assignment destination is read-only")
    if not isinstance(value, ndarray):
        # NumPy's conversion to the target dtype raises NumPy's errors (300 into int8, ...).
        value = value if hasattr(value, "__array_interface__") else _np.asarray(value, dtype=a.dtype)
        value = _core._wrap(value, None)
    mask = _whole_mask(a, key)
    if mask is not None:
        _core._mask_set(a, mask, value)
        return
    view, axes, indices, error_axes, insert_at, _, mask_count = _plan(a, key)
    if mask_count is not None:
        # a[mask] = v with a whole-array mask: NumPy wants v 0-d or 1-d of size 1 or the count.
        if value.ndim > 1:
            raise TypeError("NumPy boolean array indexing assignment requires a 0 or 1-dimensional "
                            f"input, input has {value.ndim} dimensions")
        if value.size not in (1, mask_count):
            raise ValueError(f"NumPy boolean array indexing assignment cannot assign {value.size} "
                             f"input values to the {mask_count} output values where the mask is true")
    _core._fancy_set(view, axes, indices, error_axes, insert_at, value)


def _asarray(a):
    return a if isinstance(a, ndarray) else _core._wrap(a, None)


def nonzero(a):
    """Indices of the non-zero elements: a tuple of int64 arrays, one per dimension."""
    return _core._nonzero(_asarray(a))


def flatnonzero(a):
    """Indices of the non-zero elements of the flattened array."""
    return _core._nonzero(_asarray(a).reshape(-1))[0]


def count_nonzero(a, axis=None, *, keepdims=False):
    """The number of non-zero elements, in all of `a` or along `axis` (intp counts)."""
    if axis is None and not keepdims:
        return _np.intp(_core._count_nonzero(_asarray(a)))
    return (_asarray(a) != 0).sum(axis=axis, dtype=_np.intp, keepdims=keepdims)


def _normalize_axis(axis, ndim):
    axis = _operator.index(axis)
    if not -ndim <= axis < ndim:
        raise AxisError(f"axis {axis} is out of bounds for array of dimension {ndim}")
    return axis % ndim


def _take_indices(indices, length, mode):
    """Indices as an integer index for take(): bools count as 0/1, floats are refused."""
    if isinstance(indices, ndarray) and indices.dtype.kind in "iu" and mode == "raise":
        return indices
    if not hasattr(indices, "dtype"):
        # Python numbers and sequences convert straight to intp, as NumPy's take does (1.5 -> 1).
        idx = _np.asarray(indices, dtype=_np.intp)
    else:
        idx = _np.asarray(indices)
    if idx.dtype.kind == "b":
        idx = idx.astype(_np.intp)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"Cannot cast array data from {idx.dtype!r} to dtype('int64') according to "
                        "the rule 'same_kind'")
    if mode == "wrap":
        if length == 0 and idx.size:
            raise IndexError("cannot do a non-empty take from an empty axes.")
        idx = _np.mod(idx, length) if length else idx
    elif mode == "clip":
        if length == 0 and idx.size:
            raise IndexError("cannot do a non-empty take from an empty axes.")
        idx = _np.clip(idx, 0, max(length - 1, 0))
    elif mode != "raise":
        raise ValueError(f"clipmode must be one of 'clip', 'raise', or 'wrap' (got {mode!r})")
    return _np.asarray(idx)  # mod/clip of a 0-d array give a scalar; take still indexes by array


def take(a, indices, axis=None, out=None, mode="raise"):
    """Elements of `a` at `indices` along `axis` (of the flattened array when axis is None)."""
    a = _asarray(a)
    if axis is None:
        a, axis = a.reshape(-1), 0
    else:
        axis = _normalize_axis(axis, a.ndim)
    idx = _take_indices(indices, a.shape[axis], mode)
    if isinstance(idx, _np.ndarray):
        idx = _core._wrap(idx.astype(_np.intp, copy=False), None)
    result = a[(slice(None),) * axis + (idx,)]  # an array index: always a copy, as take is
    if out is not None:
        out[...] = result
        return out
    return result


def take_along_axis(arr, indices, axis=-1):
    """Elements of `arr` at `indices` along `axis`, matched up elementwise on the other axes
    (`indices` has arr's number of dimensions; its other axes broadcast against arr's)."""
    arr, indices = _asarray(arr), _asarray(indices)
    if indices.dtype.kind not in "iu":
        raise IndexError("`indices` must be an integer array")
    if axis is None:
        if indices.ndim != 1:
            raise ValueError("when axis=None, `indices` must have a single dimension.")
        arr, axis = arr.reshape(-1), 0
    else:
        axis = _normalize_axis(axis, arr.ndim)
    if arr.ndim != indices.ndim:
        raise ValueError("`indices` and `arr` must have the same number of dimensions")
    # One integer array per axis: `indices` on `axis`, a broadcastable arange on the others.
    key = []
    for d, n in enumerate(arr.shape):
        if d == axis:
            key.append(indices)
        else:
            positions = _core._arange(0, 1, n, _np.dtype(_np.intp))
            key.append(positions.reshape((1,) * d + (n,) + (1,) * (arr.ndim - d - 1)))
    return arr[tuple(key)]
