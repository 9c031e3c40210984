"""Shape manipulation: views whenever NumPy gives a view, joins otherwise."""
import itertools as _itertools
import operator as _operator

import numpy as _np

from . import _core
from ._core import ndarray, AxisError
from ._creation import asarray, empty
from ._indexing import take
from ._dtypes import can_cast_dtype, result_type_of

__all__ = [
    "reshape", "ravel", "transpose", "permute_dims", "swapaxes", "moveaxis", "expand_dims",
    "squeeze", "broadcast_to", "broadcast_arrays", "broadcast_shapes", "concatenate", "stack",
    "atleast_1d", "atleast_2d", "atleast_3d", "shape", "ndim", "size",
    "concat", "flip", "fliplr", "flipud", "rot90", "roll", "repeat", "tile", "unstack",
]


def _normalize_axis(axis, ndim, argname=None):
    axis = _operator.index(axis)
    if not -ndim <= axis < ndim:
        raise AxisError(axis, ndim, argname)
    return axis % ndim if ndim else 0


def _normalize_axes(axes, ndim, argname=None):
    if isinstance(axes, (int,)) or hasattr(axes, "__index__"):
        axes = (axes,)
    out = tuple(_normalize_axis(a, ndim, argname) for a in axes)
    if len(set(out)) != len(out):
        raise ValueError(f"repeated axis in `{argname}` argument" if argname else "repeated axis")
    return out


def reshape(a, shape=None, order="C", *, newshape=None, copy=None):
    a = asarray(a)
    shape = newshape if shape is None else shape
    if isinstance(shape, int) or hasattr(shape, "__index__"):
        shape = (shape,)
    return a.reshape(tuple(shape), order=order, copy=copy)


def _memory_order_axes(a):
    """Axes from the largest stride to the smallest (stable): the order 'K' walks memory in."""
    return sorted(range(a.ndim), key=lambda i: -abs(a.strides[i]))


def ravel(a, order="C"):
    """A 1-D view when the elements are contiguous in the requested order, else a copy (unlike
    reshape(-1), a strided array is copied, as in NumPy)."""
    a = asarray(a)
    if order == "K":
        dense = a.transpose(_memory_order_axes(a))  # contiguous with positive strides: a view
        return dense.reshape(-1) if dense._c_contiguous else dense.copy().reshape(-1)
    if order == "A":
        order = "F" if a._f_contiguous and not a._c_contiguous else "C"
    if not isinstance(order, str):
        raise TypeError(f"order must be str, not {type(order).__name__}")
    if order not in ("C", "F"):
        raise ValueError(f"order must be one of 'C', 'F', 'A', or 'K' (got {order!r})")
    if not (a._c_contiguous if order == "C" else a._f_contiguous):
        a = a.copy(order=order)
    return a.reshape(-1, order=order)


def flatten(a, order="C"):
    """Always a copy, in the order `ravel` would read."""
    a = asarray(a)
    out = ravel(a, order)
    return out.copy() if out._same_buffer(a) else out


def transpose(a, axes=None):
    a = asarray(a)
    return a.transpose() if axes is None else a.transpose(tuple(axes))


def permute_dims(a, axes=None):
    return transpose(a, axes)


def swapaxes(a, axis1, axis2):
    a = asarray(a)
    i, j = _normalize_axis(axis1, a.ndim, "axis1"), _normalize_axis(axis2, a.ndim, "axis2")
    perm = list(range(a.ndim))
    perm[i], perm[j] = perm[j], perm[i]
    return a.transpose(perm)


def moveaxis(a, source, destination):
    a = asarray(a)
    src = _normalize_axes(source, a.ndim, "source")
    dst = _normalize_axes(destination, a.ndim, "destination")
    if len(src) != len(dst):
        raise ValueError("`source` and `destination` arguments must have the same number of elements")
    order = [n for n in range(a.ndim) if n not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return a.transpose(order)


def expand_dims(a, axis):
    a = asarray(a)
    axes = (axis,) if isinstance(axis, int) or hasattr(axis, "__index__") else tuple(axis)
    return a._expand_dims([_operator.index(x) for x in axes])


def squeeze(a, axis=None):
    a = asarray(a)
    if axis is not None and not isinstance(axis, int):
        axis = list(axis)
    return a._squeeze(axis)


def broadcast_shapes(*shapes):
    shapes = [(s,) if isinstance(s, int) else tuple(s) for s in shapes]
    ndim = max((len(s) for s in shapes), default=0)
    out = [1] * ndim
    owner = [None] * ndim  # which argument set each output dimension, for the error message
    for k, s in enumerate(shapes):
        for i, d in enumerate(s):
            d = _operator.index(d)
            if d < 0:
                raise ValueError("negative dimensions are not allowed")
            j = ndim - len(s) + i
            if d == out[j] or d == 1:
                continue
            if out[j] == 1:
                out[j], owner[j] = d, k
                continue
            raise ValueError("shape mismatch: objects cannot be broadcast to a single shape.  "
                             f"Mismatch is between arg {owner[j]} with shape {shapes[owner[j]]} and "
                             f"arg {k} with shape {s}.")
    return tuple(out)


def broadcast_to(array, shape):
    """A read-only view of `array` with the given shape (zero strides on broadcast axes)."""
    shape = (shape,) if isinstance(shape, int) or hasattr(shape, "__index__") else tuple(shape)
    return asarray(array)._broadcast_to([_operator.index(d) for d in shape])


def broadcast_arrays(*args):
    """Views of the arguments broadcast against each other. Arrays that had to be broadcast are
    read-only (NumPy still lets one write to them with a FutureWarning; writing through zero
    strides is almost always a bug)."""
    arrays = [asarray(a) for a in args]
    shape = broadcast_shapes(*(a.shape for a in arrays))
    return tuple(a if a.shape == shape else a._broadcast_to(list(shape)) for a in arrays)


def concatenate(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    if out is None and dtype is None and casting == "same_kind":
        joined = _core._concatenate_same(arrays, axis)  # the common case in C++; None otherwise
        if joined is not None:
            return joined
    if out is not None and dtype is not None:
        raise TypeError("concatenate() only takes `out` or `dtype` as an argument, but both were provided.")
    arrays = [asarray(a) for a in arrays]
    if not arrays:
        raise ValueError("need at least one array to concatenate")
    if axis is None:
        arrays = [a.reshape(-1) for a in arrays]
        axis = 0
    first = arrays[0]
    if first.ndim == 0:
        raise ValueError("zero-dimensional arrays cannot be concatenated")
    axis = _normalize_axis(axis, first.ndim)
    for i, a in enumerate(arrays[1:], 1):
        if a.ndim != first.ndim:
            raise ValueError(
                "all the input arrays must have same number of dimensions, but the array at index 0 "
                f"has {first.ndim} dimension(s) and the array at index {i} has {a.ndim} dimension(s)")
        for d in range(first.ndim):
            if d != axis and a.shape[d] != first.shape[d]:
                raise ValueError(
                    "all the input array dimensions except for the concatenation axis must match "
                    f"exactly, but along dimension {d}, the array at index 0 has size "
                    f"{first.shape[d]} and the array at index {i} has size {a.shape[d]}")
    shape = list(first.shape)
    shape[axis] = sum(a.shape[axis] for a in arrays)
    result_dtype = dtype if dtype is not None else result_type_of(*[a.dtype for a in arrays])
    target = _np.dtype(result_dtype if out is None else out.dtype)
    for a in arrays:
        if not can_cast_dtype(a.dtype, target, casting):
            raise TypeError(f"Cannot cast array data from {a.dtype!r} to {target!r} according to the "
                            f"rule {casting!r}")
    if out is None:
        out = empty(tuple(shape), dtype=result_dtype)
    elif out.shape != tuple(shape):
        raise ValueError("Output array is the wrong shape")
    position = 0
    lead = (slice(None),) * axis
    for a in arrays:
        n = a.shape[axis]
        out[lead + (slice(position, position + n),)] = a
        position += n
    return out


def stack(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    arrays = [asarray(a) for a in arrays]
    if not arrays:
        raise ValueError("need at least one array to stack")
    shapes = {a.shape for a in arrays}
    if len(shapes) != 1:
        raise ValueError("all input arrays must have the same shape")
    axis = _normalize_axis(axis, arrays[0].ndim + 1)
    return concatenate([expand_dims(a, axis) for a in arrays], axis=axis, out=out, dtype=dtype,
                       casting=casting)


def atleast_1d(*arys):
    res = [asarray(a) if asarray(a).ndim >= 1 else asarray(a).reshape(1) for a in arys]
    return res[0] if len(res) == 1 else tuple(res)


def atleast_2d(*arys):
    res = []
    for a in arys:
        a = asarray(a)
        res.append(a.reshape(1, 1) if a.ndim == 0 else a[None, :] if a.ndim == 1 else a)
    return res[0] if len(res) == 1 else tuple(res)


def atleast_3d(*arys):
    res = []
    for a in arys:
        a = asarray(a)
        if a.ndim == 0:
            a = a.reshape(1, 1, 1)
        elif a.ndim == 1:
            a = a[None, :, None]
        elif a.ndim == 2:
            a = a[:, :, None]
        res.append(a)
    return res[0] if len(res) == 1 else tuple(res)


def shape(a):
    return asarray(a).shape


def ndim(a):
    return asarray(a).ndim


def size(a, axis=None):
    a = asarray(a)
    return a.size if axis is None else a.shape[_normalize_axis(axis, a.ndim)]


def _index_tuple(value):
    """An int or a sequence of ints as a tuple of ints."""
    if isinstance(value, int) or hasattr(value, "__index__"):
        return (_operator.index(value),)
    return tuple(_operator.index(v) for v in value)


# The array API's name for concatenate (NumPy 2's np.concat is np.concatenate).
concat = concatenate


def flip(m, axis=None):
    """A view of `m` with the order of the elements along `axis` (all axes if None) reversed."""
    m = asarray(m)
    axes = range(m.ndim) if axis is None else _normalize_axes(axis, m.ndim, "axis")
    return m[tuple(slice(None, None, -1) if d in axes else slice(None) for d in range(m.ndim))]


def fliplr(m):
    """A view with the columns (axis 1) reversed."""
    m = asarray(m)
    if m.ndim < 2:
        raise ValueError("Input must be >= 2-d.")
    return m[:, ::-1]


def flipud(m):
    """A view with the rows (axis 0) reversed."""
    m = asarray(m)
    if m.ndim < 1:
        raise ValueError("Input must be >= 1-d.")
    return m[::-1]


def rot90(m, k=1, axes=(0, 1)):
    """A view of `m` rotated by 90 degrees k times in the plane of `axes`, from the first axis
    towards the second (NumPy's rot90)."""
    axes = tuple(axes)
    if len(axes) != 2:
        raise ValueError("len(axes) must be 2.")
    m = asarray(m)
    first, second = axes
    if first == second or abs(first - second) == m.ndim:
        raise ValueError("Axes must be different.")
    if not (-m.ndim <= first < m.ndim and -m.ndim <= second < m.ndim):
        raise ValueError(f"Axes={axes} out of range for array of ndim={m.ndim}.")
    k = _operator.index(k) % 4
    if k == 0:
        return m[...]
    if k == 2:
        return flip(flip(m, first), second)
    order = list(range(m.ndim))
    order[first], order[second] = order[second], order[first]
    # a quarter turn: reverse the second axis, then swap the two (three quarters: the other way)
    return transpose(flip(m, second), order) if k == 1 else flip(transpose(m, order), second)


def roll(a, shift, axis=None):
    """Elements shifted along `axis` (of the flattened array if None), wrapping around."""
    a = asarray(a)
    if axis is None:
        return roll(a.reshape(-1), shift, 0).reshape(a.shape)
    pairs = _np.broadcast(_np.asarray(shift), _np.asarray(axis))
    if pairs.nd > 1:
        raise ValueError("'shift' and 'axis' should be scalars or 1D sequences")
    net = [0] * a.ndim  # shifts along the same axis add up
    for step, ax in pairs:
        net[_normalize_axis(int(ax), a.ndim, "axis")] += _operator.index(step)
    out = empty(a.shape, dtype=a.dtype)
    # Each shifted axis is two blocks (the tail moves to the front); copy every combination.
    blocks = [[(slice(None), slice(None))] for _ in range(a.ndim)]
    for d, step in enumerate(net):
        k = step % a.shape[d] if a.shape[d] else 0
        if k:
            blocks[d] = [(slice(None, -k), slice(k, None)), (slice(-k, None), slice(None, k))]
    for combination in _itertools.product(*blocks):
        source = tuple(src for src, _ in combination)
        target = tuple(dst for _, dst in combination)
        out[target] = a[source]
    return out


def repeat(a, repeats, axis=None):
    """Each element repeated `repeats` times along `axis` (of the flattened array if None);
    `repeats` is one count or one count per element."""
    a = asarray(a)
    if axis is None:
        a, axis = a.reshape(-1), 0
    axis = _normalize_axis(axis, a.ndim, "axis")
    if _np.ndim(repeats) == 0:
        count = _operator.index(repeats)
        if count < 0:
            raise ValueError("repeats may not contain negative values.")
        # The result seen with a length-`count` axis after `axis` takes `a` broadcast along it.
        shape = a.shape
        out = empty(shape[:axis] + (shape[axis] * count,) + shape[axis + 1:], dtype=a.dtype)
        out.reshape(shape[:axis + 1] + (count,) + shape[axis + 1:])[...] = a._expand_dims([axis + 1])
        return out
    # One count per element: the gathered positions (NumPy's checks on the counts), then take.
    counts = _np.asarray(repeats)
    positions = _np.repeat(_np.arange(a.shape[axis]), counts)
    return take(a, asarray(positions), axis=axis)


def tile(A, reps):
    """`A` repeated `reps` times along each axis (always a new array)."""
    reps = _index_tuple(reps)
    a = asarray(A)
    ndim = max(a.ndim, len(reps))
    reps = (1,) * (ndim - len(reps)) + reps
    shape = (1,) * (ndim - a.ndim) + a.shape
    if any(r < 0 for r in reps):
        raise ValueError("negative dimensions are not allowed")
    # The result seen as (r0, s0, r1, s1, ...) takes `a` seen as (1, s0, 1, s1, ...), broadcast.
    out = empty(tuple(r * s for r, s in zip(reps, shape)), dtype=a.dtype)
    out.reshape(tuple(x for r, s in zip(reps, shape) for x in (r, s)))[...] = \
        a.reshape(tuple(x for s in shape for x in (1, s)))
    return out


def unstack(x, /, *, axis=0):
    """The views of `x` along `axis`, as a tuple (0-d arrays for a 1-D x, where NumPy's
    iteration gives scalars: the standard asks for arrays)."""
    x = asarray(x)
    if x.ndim == 0:
        raise ValueError("Input array must be at least 1-d.")
    moved = moveaxis(x, axis, 0)
    return tuple(moved[i, ...] for i in range(moved.shape[0]))
