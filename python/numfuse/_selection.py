"""Selecting and scattering by index or mask: put, place, putmask, choose, compress, extract,
select, piecewise, put_along_axis.

Reads are numfuse gathers (take, boolean indexing) and fused `where` chains; writes go through
numfuse's indexed assignment (a scatter in C++), into the target array's own memory whatever its
strides.
"""
import collections.abc as _abc
import operator as _operator

import numpy as _np

from ._core import ndarray, AxisError
from ._creation import arange, asarray, zeros_like
from ._dtypes import result_type_of
from ._indexing import nonzero, take
from ._manipulation import broadcast_arrays, concatenate
from . import _ufuncs as _u

__all__ = ["put", "place", "putmask", "choose", "compress", "extract", "select", "piecewise",
           "put_along_axis"]

_INTP = _np.dtype(_np.intp)


def _target(a, name):
    if not isinstance(a, ndarray):
        raise TypeError(f"{name}: first argument must be an array (numfuse.ndarray), not "
                        f"{type(a).__name__}")
    return a


def _check_safe_cast(values, dt):
    """place and putmask take array values only where NumPy's 'safe' rule allows."""
    if not _np.can_cast(values.dtype, dt, casting="safe"):
        raise TypeError(f"Cannot cast array data from {values.dtype!r} to {dt!r} according to the "
                        "rule 'safe'")


def _cycled(values, count):
    """`values` flattened and repeated cyclically to `count` elements."""
    flat = asarray(values).reshape(-1)
    if flat.shape[0] == count:
        return flat
    return take(flat, arange(count) % flat.shape[0])


def _set_flat(a, flat_index, values):
    """a.flat[flat_index] = values for any layout of `a` (a flat view when C-contiguous,
    coordinates otherwise)."""
    if a._c_contiguous:
        a.reshape(-1)[flat_index] = values
    else:
        from ._index_tricks import unravel_index
        a[unravel_index(flat_index, a.shape)] = values


def _wrap_indices(index, size, mode, axis_name="axis 0"):
    if mode == "wrap":
        return index % size
    if mode == "clip":
        return index.clip(0, size - 1)
    if mode != "raise":
        raise ValueError(f"clipmode must be one of 'clip', 'raise', or 'wrap' (got {mode!r})")
    if index.size:
        bad = (index < -size) | (index >= size)
        if bad.any():
            first = int(index[bad].reshape(-1)[0])
            raise IndexError(f"index {first} is out of bounds for {axis_name} with size {size}")
    return index


def put(a, ind, v, mode="raise"):
    """a.flat[ind] = v, v repeated cyclically; indices checked, wrapped or clipped per `mode`."""
    a = _target(a, "put")
    if mode not in ("raise", "wrap", "clip"):
        raise ValueError(f"clipmode must be one of 'clip', 'raise', or 'wrap' (got {mode!r})")
    index = asarray(ind).reshape(-1).astype(_INTP)  # NumPy casts the indices unsafely too
    values = asarray(v)
    if index.size == 0 or values.size == 0:
        return
    if a.size == 0:
        if mode != "raise":
            return
        raise IndexError("cannot replace elements of an empty array")
    index = _wrap_indices(index, a.size, mode)
    _set_flat(a, index % a.size, _cycled(values, index.size).astype(a.dtype))


def place(arr, mask, vals):
    """arr[mask] = vals, the values repeated cyclically over the True positions."""
    arr = _target(arr, "place")
    mask = asarray(mask)
    if mask.size != arr.size:
        raise ValueError("place: mask and data must be the same size")
    mask = mask.reshape(arr.shape).astype(bool)
    count = int(mask.sum())
    if count == 0:
        return
    checked = isinstance(vals, (ndarray, _np.ndarray))
    values = asarray(vals)
    if checked and values.size:
        _check_safe_cast(values, arr.dtype)
    if values.size == 0:
        raise ValueError("Cannot insert from an empty array!")
    arr[mask] = _cycled(values, count).astype(arr.dtype)


def putmask(a, mask, values):
    """a[i] = values[i % len(values)] where mask[i] (flat positions, not compacted)."""
    a = _target(a, "putmask")
    mask = asarray(mask)
    if mask.size != a.size:
        raise ValueError("putmask: mask and data must be the same size")
    checked = isinstance(values, (ndarray, _np.ndarray))  # lists and scalars cast unsafely
    values = asarray(values)
    if values.size == 0 or a.size == 0:
        return
    if checked:
        _check_safe_cast(values, a.dtype)
    mask = mask.reshape(a.shape).astype(bool)
    full = _cycled(values, a.size).reshape(a.shape).astype(a.dtype)
    a[mask] = full[mask]


def _choices(choices):
    if isinstance(choices, (ndarray, _np.ndarray)):
        return [asarray(choices)[i] for i in range(asarray(choices).shape[0])]
    return [asarray(c) for c in choices]


def choose(a, choices, out=None, mode="raise"):
    """choices[a[i]][i] for each i (all broadcast together), as a fused chain of `where`s."""
    if mode not in ("raise", "wrap", "clip"):
        raise ValueError(f"clipmode must be one of 'clip', 'raise', or 'wrap' (got {mode!r})")
    index = asarray(a)
    if index.dtype.kind not in "iub":
        raise TypeError(f"Cannot cast array data from {index.dtype!r} to dtype('int64') according "
                        "to the rule 'safe'")
    options = _choices(choices)
    if not options:
        raise ValueError("0-length sequence.")
    n = len(options)
    if mode == "wrap":
        index = index % n
    elif mode == "clip":
        index = index.clip(0, n - 1)
    elif index.size and bool(((index < 0) | (index >= n)).any()):
        raise ValueError("invalid entry in choice array")
    dt = result_type_of(*[c.dtype for c in options])
    parts = broadcast_arrays(index, *options)
    index, options = parts[0], parts[1:]
    result = options[0].astype(dt)
    for k in range(1, n):
        result = _u.where(index == k, options[k], result)
    result = result.astype(dt, copy=False) if result.dtype != dt else result
    if out is not None:
        out[...] = result
        return out
    return result


def _selected_positions(condition):
    condition = asarray(condition)
    if condition.ndim != 1:
        raise ValueError("condition must be a 1-d array")
    return nonzero(condition)[0]


def compress(condition, a, axis=None, out=None):
    """The slices of `a` along `axis` (flattened if None) where `condition` is true."""
    positions = _selected_positions(condition)
    a = asarray(a)
    if axis is None:
        a, axis = a.reshape(-1), 0
    else:
        axis = _operator.index(axis)
        if not -a.ndim <= axis < a.ndim:
            raise AxisError(axis, a.ndim)
    result = take(a, positions, axis=axis)
    if out is not None:
        out[...] = result
        return out
    return result


def extract(condition, arr):
    """The elements of `arr` (flattened) where the flattened `condition` is nonzero."""
    return take(asarray(arr).reshape(-1), nonzero(asarray(condition).reshape(-1))[0])


def _operand(value):
    return value if type(value) in (int, float, complex) else asarray(value)


def select(condlist, choicelist, default=0):
    """choicelist[i] where condlist[i] is first true, `default` where none is: one fused chain
    of `where`s, the last condition innermost."""
    if len(condlist) != len(choicelist):
        raise ValueError("list of cases must be same length as list of conditions")
    if len(condlist) == 0:
        raise ValueError("select with an empty condition list is not possible")
    choices = [_operand(c) for c in choicelist] + [_operand(default)]
    try:
        dt = result_type_of(*[getattr(c, "dtype", c) if hasattr(c, "dtype") else c for c in choices])
    except TypeError as error:
        raise TypeError("Choicelist and default value do not have a common dtype") from error
    conditions = [asarray(c) for c in condlist]
    # Python scalars convert at their own type first: 300 into int8 wraps, as NumPy's casts do
    arrays = broadcast_arrays(*conditions, *[asarray(c).astype(dt) for c in choices])
    conditions, choices = arrays[:len(conditions)], arrays[len(conditions):]
    for i, cond in enumerate(conditions):
        if cond.dtype != _np.bool_:
            raise TypeError(f"invalid entry {i} in condlist: should be boolean ndarray")
    result = choices[-1]
    for cond, choice in zip(conditions[::-1], choices[-2::-1]):
        result = _u.where(cond, choice, result)
    return result.astype(dt) if result.dtype != dt else result.copy()


def piecewise(x, condlist, funclist, *args, **kw):
    """funclist[i](x[condlist[i]]) (or the constant funclist[i]) where condlist[i] holds; an
    extra function is the 'otherwise' case."""
    x = asarray(x)
    n_funcs = len(funclist)
    if _np.isscalar(condlist) or (not isinstance(condlist[0], (list, ndarray, _np.ndarray)) and x.ndim != 0):
        condlist = [condlist]
    conditions = asarray(_np.asarray([_np.asarray(c) if isinstance(c, ndarray) else c for c in condlist],
                                     dtype=bool))
    n = conditions.shape[0]
    if n == n_funcs - 1:
        otherwise = ~conditions.any(axis=0, keepdims=True)
        conditions = concatenate([conditions, otherwise], axis=0)
        n += 1
    elif n != n_funcs:
        raise ValueError(f"with {n} condition(s), either {n} or {n + 1} functions are expected")
    y = zeros_like(x)
    for cond, func in zip(conditions, funclist):
        if not isinstance(func, _abc.Callable):
            y[cond] = func
        else:
            values = x[cond]
            if values.size > 0:
                y[cond] = func(values, *args, **kw)
    return y


def put_along_axis(arr, indices, values, axis):
    """arr[..., indices, ...] = values along `axis`, the other axes matched position by position
    (the inverse of take_along_axis)."""
    arr = _target(arr, "put_along_axis")
    indices = asarray(indices)
    if axis is None and indices.ndim != 1:
        raise ValueError("when axis=None, `indices` must have a single dimension.")
    if indices.dtype.kind not in "iu":
        raise IndexError("`indices` must be an integer array")
    if axis is None:
        if not arr._c_contiguous:
            # NumPy writes through np.array(arr.flat): a view only when C-contiguous, otherwise
            # a read-only copy it refuses to write
            raise ValueError("assignment destination is read-only")
        index = _wrap_indices(indices.astype(_INTP), arr.size, "raise")
        values = asarray(values)
        _set_flat(arr, index % max(arr.size, 1), _broadcast_values(values, index.shape, arr.dtype))
        return
    axis = _operator.index(axis)
    if not -arr.ndim <= axis < arr.ndim:
        raise AxisError(axis, arr.ndim)
    axis %= arr.ndim
    if indices.ndim != arr.ndim:
        raise ValueError("`indices` and `arr` must have the same number of dimensions")
    key = []
    for d in range(arr.ndim):
        if d == axis:
            key.append(indices)
        else:
            shape = [1] * arr.ndim
            shape[d] = arr.shape[d]
            key.append(arange(arr.shape[d]).reshape(shape))
    arr[tuple(key)] = asarray(values).astype(arr.dtype)


def _broadcast_values(values, shape, dt):
    from ._manipulation import broadcast_to
    return broadcast_to(values.astype(dt), shape)
