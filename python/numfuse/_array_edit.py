"""copyto, append, insert, delete, resize, rollaxis, trim_zeros: copying values into an array
and building edited copies (elements added, removed, repeated), from numfuse's own selects,
concatenations and indexing."""

import numpy as _np

from ._core import ndarray as _ndarray
from ._creation import array as _array, asarray as _asarray, empty as _empty, ones as _ones, \
    zeros_like as _zeros_like
from ._manipulation import _normalize_axis, _normalize_axes, broadcast_to as _broadcast_to, \
    concatenate as _concatenate, moveaxis as _moveaxis, ravel as _ravel, reshape as _reshape
from ._reductions import any as _any, argmax as _argmax
from ._ufuncs import where as _where, not_equal as _not_equal

__all__ = ["copyto", "append", "insert", "delete", "resize", "rollaxis", "trim_zeros"]

_PYTHON_SCALARS = (bool, int, float, complex)


def _cast_for(dst_dtype, src, casting):
    """`src` as a numfuse array of `dst_dtype`, after NumPy's casting check."""
    if type(src) in _PYTHON_SCALARS:
        # NumPy 2's rules for a weak Python scalar (by kind, by value for out-of-range ints, by
        # the default dtype under 'no'/'equiv') are applied by NumPy itself on one 0-d element,
        # with its errors and cast warnings; the copy into `dst` is numfuse's
        element = _np.empty((), dst_dtype)
        _np.copyto(element, src, casting=casting)
        return _asarray(element)
    src = _asarray(src)
    if not _np.can_cast(src.dtype, dst_dtype, casting):
        raise TypeError(f"Cannot cast array data from {src.dtype!r} to {dst_dtype!r} "
                        f"according to the rule {casting!r}")
    return src if src.dtype == dst_dtype else src.astype(dst_dtype)


def copyto(dst, src, casting="same_kind", where=True):
    """Copies `src` (broadcast) into `dst` where `where` holds, after NumPy's casting check."""
    if not isinstance(dst, (_ndarray, _np.ndarray)):
        raise TypeError(f"copyto() argument 1 must be a numpy.ndarray, not {type(dst).__name__}")
    if casting not in ("no", "equiv", "safe", "same_kind", "unsafe"):
        raise ValueError("casting must be one of 'no', 'equiv', 'safe', 'same_kind', or 'unsafe'")
    target = _asarray(dst)
    values = _cast_for(target.dtype, src, casting)
    if where is True:
        target[...] = values
        return
    mask = _asarray(where)
    if mask.dtype != _np.bool_:
        raise TypeError(f"Cannot cast array data from {mask.dtype!r} to dtype('bool') "
                        "according to the rule 'safe'")
    target[...] = _where(mask, values, target)


def append(arr, values, axis=None):
    """`values` joined after `arr` along `axis` (both flattened when axis is None)."""
    arr = _asarray(arr)
    if axis is None:
        if arr.ndim != 1:
            arr = _ravel(arr)
        values = _ravel(values)
        axis = arr.ndim - 1
    return _concatenate((arr, values), axis=axis)


def _edited_axis(arr, axis):
    """The array and the axis an insert/delete works on (the flat array when axis is None)."""
    arr = _asarray(arr)
    if axis is None:
        return (arr if arr.ndim == 1 else _ravel(arr)), 0
    return arr, _normalize_axis(axis, arr.ndim)


def _along(axis, index):
    return (slice(None),) * axis + (index,)


def delete(arr, obj, axis=None):
    """A copy of `arr` without the entries `obj` (an index, slice, index list or boolean mask)
    along `axis`: one boolean selection."""
    arr, axis = _edited_axis(arr, axis)
    n = arr.shape[axis]
    if isinstance(obj, slice):
        keep = _ones(n, dtype=bool)
        keep[obj] = False
        return arr[_along(axis, keep)]
    single = isinstance(obj, (int, _np.integer)) and not isinstance(obj, bool)
    if not single:
        given = obj
        obj = _np.asarray(obj)
        if obj.size == 0 and not isinstance(given, (_np.ndarray, _ndarray)):
            obj = obj.astype(_np.intp)
        elif obj.size == 1 and obj.dtype.kind in "ui":
            obj, single = obj.item(), True
    if single:
        if obj < -n or obj >= n:
            raise IndexError(f"index {obj} is out of bounds for axis {axis} with size {n}")
        keep = _ones(n, dtype=bool)
        keep[obj] = False
    elif obj.dtype == bool:
        if obj.shape != (n,):
            raise ValueError("boolean array argument obj to delete must be one dimensional and "
                             f"match the axis length of {n}")
        keep = _asarray(~obj)
    else:
        keep = _np.ones(n, dtype=bool)
        keep[obj,] = False  # NumPy's indexing rules and errors for the index list
        keep = _asarray(keep)
    return arr[_along(axis, keep)]


def _insert_indices(obj, n):
    """NumPy's index array for insert (a slice as its range, a mask as its True positions)."""
    if isinstance(obj, slice):
        return _np.arange(*obj.indices(n), dtype=_np.intp)
    indices = _np.array(obj)
    if indices.dtype == bool:
        if indices.ndim != 1:
            raise ValueError("boolean array argument obj to insert must be one dimensional")
        return _np.flatnonzero(indices)
    if indices.ndim > 1:
        raise ValueError("index array argument obj to insert must be one dimensional or scalar")
    return indices


def insert(arr, obj, values, axis=None):
    """A copy of `arr` with `values` (cast to arr's dtype) placed before the given indices
    along `axis`."""
    arr, axis = _edited_axis(arr, axis)
    n = arr.shape[axis]
    indices = _insert_indices(obj, n)
    if indices.size == 1:
        index = indices.item()
        if index < -n or index > n:
            raise IndexError(f"index {obj} is out of bounds for axis {axis} with size {n}")
        if index < 0:
            index += n
        values = _array(values, copy=None, ndmin=arr.ndim, dtype=arr.dtype)
        if indices.ndim == 0:
            values = _moveaxis(values, 0, axis)  # a scalar index inserts like a[:, i:i+1]
        slot = arr.shape[:axis] + (values.shape[axis],) + arr.shape[axis + 1:]
        return _concatenate((arr[_along(axis, slice(None, index))], _broadcast_to(values, slot),
                             arr[_along(axis, slice(index, None))]), axis=axis)
    if indices.size == 0 and not isinstance(obj, (_np.ndarray, _ndarray)):
        indices = indices.astype(_np.intp)
    indices = indices.copy()
    indices[indices < 0] += n
    count = len(indices)
    indices[indices.argsort(kind="mergesort")] += _np.arange(count)
    old_places = _np.ones(n + count, dtype=bool)
    old_places[indices] = False
    new = _empty(arr.shape[:axis] + (n + count,) + arr.shape[axis + 1:], dtype=arr.dtype)
    new[_along(axis, indices)] = _array(values, copy=None, dtype=arr.dtype)
    new[_along(axis, _asarray(old_places))] = arr
    return new


def resize(a, new_shape):
    """`a`'s values repeated (flat, in order) to fill `new_shape`; zeros if either is empty."""
    if isinstance(new_shape, (int, _np.integer)):
        new_shape = (new_shape,)
    a = _ravel(a)
    new_size = 1
    for length in new_shape:
        new_size *= length
        if length < 0:
            raise ValueError("all elements of `new_shape` must be non-negative")
    if a.size == 0 or new_size == 0:
        return _zeros_like(a, shape=new_shape)
    repeats = -(-new_size // a.size)
    return _reshape(_concatenate((a,) * repeats)[:new_size], new_shape)


def rollaxis(a, axis, start=0):
    """`a` with `axis` moved to before position `start` (a view)."""
    if isinstance(a, _np.ndarray):
        a = _asarray(a)
    n = a.ndim
    axis = _normalize_axis(axis, n)
    if start < 0:
        start += n
    if not 0 <= start < n + 1:
        raise _np.exceptions.AxisError(f"'start' arg requires {-n} <= start < {n + 1}, "
                                       f"but {start} was passed in")
    if axis < start:
        start -= 1
    if axis == start:
        return a[...]
    axes = list(range(n))
    axes.remove(axis)
    axes.insert(start, axis)
    return a.transpose(axes)


def trim_zeros(filt, trim="fb", axis=None):
    """`filt` without its leading ('f') and/or trailing ('b') all-zero slices along the axes
    (a slice of the input: a list stays a list)."""
    if isinstance(filt, _np.ndarray):
        filt = _asarray(filt)
    values = _asarray(filt)
    trim = trim.lower()
    if trim not in {"fb", "bf", "f", "b"}:
        raise ValueError(f"unexpected character(s) in `trim`: {trim!r}")
    axes = tuple(range(values.ndim)) if axis is None else \
        _normalize_axes(axis, values.ndim, "axis")
    if not axes:
        return filt
    nonzero = _not_equal(values, 0)
    bounds = []
    for ax in range(values.ndim):
        # the positions along `ax` holding a nonzero anywhere in the other axes
        lane = _any(nonzero, axis=tuple(a for a in range(values.ndim) if a != ax))
        if not bool(lane.any()):
            bounds = [(0, 0)] * values.ndim
            break
        first = int(_argmax(lane))
        last = lane.shape[0] - int(_argmax(lane[::-1]))
        bounds.append((first if "f" in trim else None, last if "b" in trim else None))
    index = tuple(slice(*bounds[ax]) if ax in axes else slice(None) for ax in range(values.ndim))
    return filt[index[0]] if len(index) == 1 else filt[index]
