"""Index arithmetic and index helpers: indices, unravel_index / ravel_multi_index, ndindex,
ndenumerate, mgrid / ogrid / r_ / c_, and the diagonal / triangle index sets.

All are built from numfuse arrays and elementwise ops (integer division and remainder for the
index arithmetic, broadcast comparisons for the triangles), with NumPy's signatures, result
dtypes (intp indices) and exception types.
"""
import itertools as _itertools
import math as _math
import operator as _operator

import numpy as _np

from ._core import ndarray
from ._creation import arange, array, asarray, empty, linspace
from ._dtypes import dtype as _dtype
from ._indexing import nonzero
from ._manipulation import concatenate

__all__ = [
    "indices", "unravel_index", "ravel_multi_index", "ndindex", "ndenumerate", "mgrid", "ogrid",
    "r_", "c_", "diag_indices", "diag_indices_from", "tril_indices", "triu_indices",
    "tril_indices_from", "triu_indices_from", "ix_", "fill_diagonal",
]

_INTP = _np.dtype(_np.intp)


def _shape_tuple(shape):
    """A shape given as an int or a sequence of ints, as a tuple of Python ints."""
    try:
        return (_operator.index(shape),)
    except TypeError:
        return tuple(_operator.index(d) for d in shape)


def indices(dimensions, dtype=int, sparse=False):
    """The grid of each axis' index: shape (len(dimensions),) + dimensions (or, sparse, one
    broadcastable arange per axis)."""
    dimensions = tuple(dimensions)
    n = len(dimensions)
    dt = _dtype(dtype)
    grids = []
    for axis, length in enumerate(dimensions):
        shape = (1,) * axis + (length,) + (1,) * (n - axis - 1)
        grids.append(arange(length, dtype=dt).reshape(shape))
    if sparse:
        return tuple(grids)
    result = empty((n,) + dimensions, dtype=dt)
    for axis, grid in enumerate(grids):
        result[axis] = grid
    return result


def _check_order(order):
    if order not in ("C", "F"):
        raise ValueError("only 'C' or 'F' order is permitted")
    return order


def _index_array(values):
    """Integer index values as an intp array (NumPy's "only int indices permitted" otherwise)."""
    a = asarray(values)
    if a.dtype.kind not in "iub":
        raise TypeError("only int indices permitted")
    return a.astype(_INTP) if a.dtype != _INTP else a


def _axis_order(ndim, order):
    """Axes from the fastest-varying to the slowest for a C or F ravel."""
    _check_order(order)
    return range(ndim - 1, -1, -1) if order == "C" else range(ndim)


def _scalars_if_0d(arrays, zero_d):
    return tuple(a[()] if zero_d else a for a in arrays)


def unravel_index(indices, shape, order="C"):
    """The coordinate arrays (intp) of flat `indices` into an array of `shape`."""
    dims = _shape_tuple(shape)
    if any(d < 0 for d in dims):
        raise ValueError("dimensions must be non-negative")
    flat = _index_array(indices)
    size = _math.prod(dims)
    if flat.size:
        bad = (flat < 0) | (flat >= size)
        if bad.any():
            first = int(flat[bad].reshape(-1)[0])
            raise ValueError(f"index {first} is out of bounds for array with size {size}")
    coords = [None] * len(dims)
    rest = flat
    for axis in _axis_order(len(dims), order):
        coords[axis] = rest % dims[axis] if dims[axis] else rest
        rest = rest // dims[axis] if dims[axis] else rest
    return _scalars_if_0d(coords, flat.ndim == 0)


def _modes(mode, n):
    modes = (mode,) * n if isinstance(mode, str) else tuple(mode)
    if len(modes) != n:
        raise ValueError("mode sequence must have the same length as the number of dimensions")
    for m in modes:
        if m not in ("raise", "wrap", "clip"):
            raise ValueError(f"clipmode must be one of 'clip', 'raise', or 'wrap' (got {m!r})")
    return modes


def ravel_multi_index(multi_index, dims, mode="raise", order="C"):
    """The flat indices (intp) of the coordinates in `multi_index` into an array of `dims`."""
    dims = _shape_tuple(dims)
    if len(multi_index) != len(dims):
        raise ValueError(f"parameter multi_index must be a sequence of length {len(dims)}")
    if any(d < 0 for d in dims):
        raise ValueError("dimensions must be non-negative")
    modes = _modes(mode, len(dims))
    coords = [_index_array(c) for c in multi_index]
    zero_d = all(c.ndim == 0 for c in coords)
    flat = asarray(0, dtype=_INTP)
    stride = 1
    for axis in _axis_order(len(dims), order):
        c, d, m = coords[axis], dims[axis], modes[axis]
        if m == "wrap" and d:
            c = c % d
        elif m == "clip":
            c = c.clip(0, max(d - 1, 0))
        elif c.size and bool(((c < 0) | (c >= d)).any()):
            raise ValueError("invalid entry in coordinates array")
        flat = flat + c * stride
        stride *= d
    if not coords:
        return _INTP.type(0)
    return flat[()] if zero_d else flat


class ndindex:
    """Iterates over the index tuples of an array of the given shape, last axis fastest."""

    def __init__(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], tuple):
            shape = shape[0]
        self._shape = tuple(_operator.index(d) for d in shape)
        if any(d < 0 for d in self._shape):
            raise ValueError("negative dimensions are not allowed")
        self._it = _itertools.product(*(range(d) for d in self._shape))

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._it)


class ndenumerate:
    """Iterates over (index tuple, value) of an array, last axis fastest; values are the
    array's NumPy scalars."""

    def __init__(self, arr):
        self._array = asarray(arr)
        self._indices = ndindex(self._array.shape)
        # One read of the values (pending lazy work computed once), then NumPy-scalar items.
        self._values = iter(_np.asarray(self._array).reshape(-1))

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._indices), next(self._values)


# ---- mgrid / ogrid ----------------------------------------------------------------------

def _slice_parts(key):
    start = 0 if key.start is None else key.start
    step = 1 if key.step is None else key.step
    return start, key.stop, step


def _is_count(step):
    """A complex step (5j) asks for that many points, end included."""
    return isinstance(step, (complex, _np.complexfloating))


def _slice_length(key):
    start, stop, step = _slice_parts(key)
    if _is_count(step):
        return int(abs(step))
    return int(_math.ceil((stop - start) / step))


def _slice_step(key):
    """(start, step) mapping 0, 1, ... to the slice's points."""
    start, stop, step = _slice_parts(key)
    if _is_count(step):
        count = int(abs(step))
        step = (stop - start) / float(count - 1) if count != 1 else 1
    return start, step


class _Grid:
    """mgrid (dense arrays) and ogrid (open, broadcastable ones) from slice keys."""

    def __init__(self, sparse):
        self.sparse = sparse

    def __getitem__(self, key):
        if isinstance(key, slice):
            return self._one(key)
        key = tuple(key)
        sizes = [_slice_length(k) for k in key]
        parts = [0]
        for k in key:
            start, stop, step = _slice_parts(k)
            parts += [start, stop, abs(step) if _is_count(step) else step]
        dt = _np.result_type(*parts)
        grids = list(indices(sizes, dt, sparse=True))
        grids = [g * step + start for g, (start, step) in zip(grids, map(_slice_step, key))]
        if self.sparse:
            return tuple(grids)
        dense = empty((len(sizes),) + tuple(sizes), dtype=dt)
        for axis, grid in enumerate(grids):
            dense[axis] = grid
        return dense

    @staticmethod
    def _one(key):
        start, stop, step = _slice_parts(key)
        if _is_count(step):
            length = int(abs(step))
            start, scale = _slice_step(key)
            dt = _np.result_type(start, stop, abs(step))
            return arange(0, length, 1, dtype=dt) * scale + start
        return arange(start, stop, step)

    def __len__(self):
        return 0


mgrid = _Grid(sparse=False)
ogrid = _Grid(sparse=True)


# ---- r_ / c_ ----------------------------------------------------------------------------

class _Concatenator:
    """r_ and c_: slices, scalars and arrays joined along an axis, with NumPy's string
    directives ('axis', 'axis,ndmin', 'axis,ndmin,trans1d'). The matrix directives 'r' / 'c'
    make np.matrix, a subclass numfuse arrays cannot be: those run NumPy's."""

    def __init__(self, numpy_indexer, axis=0, ndmin=1, trans1d=-1):
        self._numpy = numpy_indexer
        self.axis, self.ndmin, self.trans1d = axis, ndmin, trans1d

    def __getitem__(self, key):
        if not isinstance(key, tuple):
            key = (key,)
        if key and isinstance(key[0], str) and key[0] in ("r", "c"):
            from ._fallback import call_numpy
            return call_numpy(self._numpy.__getitem__, "r_", (key,), {})
        axis, ndmin, trans1d = self.axis, self.ndmin, self.trans1d
        objs, kinds = [], []
        for k, item in enumerate(key):
            if isinstance(item, str):
                if k != 0:
                    raise ValueError("special directives must be the first entry.")
                axis, ndmin, trans1d = self._directive(item, ndmin, trans1d)
                continue
            if isinstance(item, slice):
                start, stop, step = _slice_parts(item)
                if _is_count(step):
                    obj = linspace(start, stop, num=int(abs(step)))
                else:
                    obj = arange(start, stop, step)
                if ndmin > 1:
                    obj = array(obj, copy=None, ndmin=ndmin)
                    if trans1d != -1:
                        obj = obj.swapaxes(-1, trans1d)
                kinds.append(obj.dtype)
            elif type(item) in _np.ScalarType:
                obj = item
                kinds.append(item)
            else:
                item_ndim = _np.ndim(item)
                obj = array(item, copy=None, ndmin=ndmin)
                if trans1d != -1 and item_ndim < ndmin:
                    k2, k1 = ndmin - item_ndim, trans1d
                    if k1 < 0:
                        k1 += k2 + 1
                    axes = list(range(ndmin))
                    obj = obj.transpose(axes[:k1] + axes[k2:] + axes[k1:k2])
                kinds.append(obj.dtype)
            objs.append(obj)
        if kinds:
            final = _np.result_type(*kinds)
            # scalars through NumPy: an out-of-range Python int raises its OverflowError
            objs = [array(o if isinstance(o, ndarray) else _np.asarray(o, dtype=final), dtype=final,
                          copy=None, ndmin=ndmin) for o in objs]
        return concatenate(tuple(objs), axis=axis)

    @staticmethod
    def _directive(item, ndmin, trans1d):
        try:
            if "," in item:
                parts = [int(x) for x in item.split(",")]
                axis, ndmin = parts[:2]
                if len(parts) == 3:
                    trans1d = parts[2]
                return axis, ndmin, trans1d
            return int(item), ndmin, trans1d
        except Exception as error:
            raise ValueError(f"unknown special directive {item!r}") from error

    def __len__(self):
        return 0


r_ = _Concatenator(_np.r_, axis=0)
c_ = _Concatenator(_np.c_, axis=-1, ndmin=2, trans1d=0)


# ---- diagonal and triangle index sets ---------------------------------------------------

def diag_indices(n, ndim=2):
    """The indices of the main diagonal of an n x ... x n array: `ndim` times arange(n)."""
    idx = arange(n)
    return (idx,) * ndim


def diag_indices_from(arr):
    arr = asarray(arr)
    if arr.ndim < 2:
        raise ValueError("input array must be at least 2-d")
    if len(set(arr.shape)) != 1:
        raise ValueError("All dimensions of input must be of equal length")
    return diag_indices(arr.shape[0], arr.ndim)


def _triangle_indices(n, k, m, lower):
    m = n if m is None else m
    rows = arange(n).reshape(n, 1)
    cols = arange(m).reshape(1, m)
    mask = (cols - rows <= k) if lower else (cols - rows >= k)
    return tuple(i.astype(_INTP) for i in nonzero(mask))


def tril_indices(n, k=0, m=None):
    """The (row, column) indices of the lower triangle of an (n, m) array, diagonal k."""
    return _triangle_indices(n, k, m, lower=True)


def triu_indices(n, k=0, m=None):
    """The (row, column) indices of the upper triangle of an (n, m) array, diagonal k."""
    return _triangle_indices(n, k, m, lower=False)


def _square_2d(arr):
    arr = asarray(arr)
    if arr.ndim != 2:
        raise ValueError("input array must be 2-d")
    return arr.shape


def tril_indices_from(arr, k=0):
    n, m = _square_2d(arr)
    return tril_indices(n, k=k, m=m)


def triu_indices_from(arr, k=0):
    n, m = _square_2d(arr)
    return triu_indices(n, k=k, m=m)


def ix_(*args):
    """Open-mesh index arrays: the k-th sequence as an array along axis k of len(args) axes
    (boolean ones as their nonzero positions)."""
    out = []
    for k, seq in enumerate(args):
        if not isinstance(seq, (ndarray, _np.ndarray)):
            seq = asarray(seq)
            if seq.size == 0:
                seq = seq.astype(_INTP)  # an empty list indexes nothing, as integers
        seq = asarray(seq)
        if seq.ndim != 1:
            raise ValueError("Cross index must be 1 dimensional")
        if seq.dtype == _np.bool_:
            seq = nonzero(seq)[0]
        out.append(seq.reshape((1,) * k + (seq.size,) + (1,) * (len(args) - k - 1)))
    return tuple(out)


def fill_diagonal(a, val, wrap=False):
    """Writes `val` (repeated as needed) on the main diagonal of `a`, in place; for tall 2-D
    arrays `wrap` continues below the first N columns as NumPy does."""
    if a.ndim < 2:
        raise ValueError("array must be at least 2-d")
    end = None
    if a.ndim == 2:
        step = a.shape[1] + 1
        if not wrap:
            end = a.shape[1] * a.shape[1]
    else:
        if len(set(a.shape)) != 1:
            raise ValueError("All dimensions of input must be of equal length")
        step = 1 + sum(_math.prod(a.shape[:i + 1]) for i in range(a.ndim - 1))
    a.flat[:end:step] = val
