"""Products and diagonals in NumPy's top-level namespace: matmul (the `@` operator), dot, vdot,
inner, outer, tensordot, einsum, kron, trace, diagonal, cross.

Every product is expressed through the compiled matmul (BLAS for float/complex, a wrapping loop
for integers and bool), with views (transposes, diagonals, 1-D promotion) arranging the operands
so that BLAS reads them in place where it can.
"""
import operator as _operator
import warnings as _warnings

import numpy as _np

from . import _core
from ._core import ndarray as _ndarray
from ._creation import asarray as _asarray, ascontiguousarray as _contig, full as _full
from ._dtypes import dtype as _dtype
from ._manipulation import (broadcast_shapes as _broadcast_shapes, broadcast_to as _broadcast_to,
                            moveaxis as _moveaxis)

__all__ = ["matmul", "dot", "vdot", "inner", "outer", "tensordot", "einsum", "kron", "trace",
           "diagonal", "cross", "vecdot", "matrix_transpose"]

_k = _core._linalg


_RESULT_DTYPES = {}


def _result_dtype(a, b):
    """np.result_type of two arrays' dtypes, memoized: `@` pays for it once per dtype pair."""
    key = (a.dtype, b.dtype)
    dt = _RESULT_DTYPES.get(key)
    if dt is None:
        dt = _RESULT_DTYPES[key] = _np.result_type(a.dtype, b.dtype)
    return dt


def _finish(r, out):
    if out is not None:
        out[...] = r
        return out
    return r[()] if r.ndim == 0 else r


def matmul(x1, x2, /, out=None, *, dtype=None, casting="same_kind", order="K", subok=True):
    """Matrix product with NumPy's rules (1-D promotion, broadcast batch axes)."""
    a = x1 if type(x1) is _ndarray else _asarray(x1)
    b = x2 if type(x2) is _ndarray else _asarray(x2)
    dt = _result_dtype(a, b) if dtype is None else _dtype(dtype)
    return _finish(_k.matmul(a, b, dt), out)


def _matmul_operator(self, other):
    if type(other) is _ndarray:  # the common case in one compiled call (dtype promotion included)
        return _k.matmul_arrays(self, other)
    try:
        other = other if type(other) is _ndarray else _asarray(other)
    except (TypeError, ValueError):
        return NotImplemented
    return matmul(self, other)


def _rmatmul_operator(self, other):
    try:
        other = _asarray(other)
    except (TypeError, ValueError):
        return NotImplemented
    return matmul(other, self)


def _imatmul_operator(self, other):
    """`a @= b`: NumPy computes into a, so the product must keep a's shape and castable dtype."""
    r = matmul(self, other)
    if r.shape != self.shape:
        raise ValueError(f"matmul: In-place matrix multiplication would change the shape of the "
                         f"left operand from {self.shape} to {r.shape}")
    if not _np.can_cast(r.dtype, self.dtype, "same_kind"):
        raise TypeError(f"Cannot cast ufunc 'matmul' output from {r.dtype!r} to {self.dtype!r} "
                        "with casting rule 'same_kind'")
    self[...] = r
    return self


def _multiply(a, b):
    """Elementwise product of a 0-d operand and an array, as a rank-1 matmul."""
    dt = _result_dtype(a, b)
    shape = a.shape if b.ndim == 0 else b.shape
    size = 1
    for d in shape:
        size *= d
    if a.ndim == 0:
        r = _k.matmul(a.reshape(1, 1), b.reshape(1, size), dt)
    else:
        r = _k.matmul(a.reshape(size, 1), b.reshape(1, 1), dt)
    return r.reshape(shape)


def _not_aligned(a, b, ia, ib):
    return ValueError(f"shapes {a.shape} and {b.shape} not aligned: {a.shape[ia]} (dim {ia}) != "
                      f"{b.shape[ib]} (dim {ib})")


def dot(a, b, out=None):
    """NumPy's dot: inner product for vectors, matmul for matrices, sum over a's last and b's
    second-to-last axis otherwise."""
    a, b = _asarray(a), _asarray(b)
    if a.ndim == 0 or b.ndim == 0:
        return _finish(_multiply(a, b), out)
    ib = 0 if b.ndim == 1 else b.ndim - 2
    if a.shape[-1] != b.shape[ib]:
        raise _not_aligned(a, b, a.ndim - 1, ib)
    if b.ndim <= 2:
        return _finish(_k.matmul(a, b, _result_dtype(a, b)), out)
    return _finish(tensordot(a, b, axes=([-1], [-2])), out)


def vdot(a, b, /):
    """Dot product of the flattened arrays, conjugating the first."""
    a, b = _asarray(a), _asarray(b)
    if a.size != b.size:
        raise ValueError("cannot reshape array of size %d into shape (%d,)" % (b.size, a.size))
    a = a.reshape(a.size)
    if a.dtype.kind == "c":
        a = _k.conjugate(a)
    return _k.matmul(a, b.reshape(b.size), _result_dtype(a, b))[()]


def inner(a, b, /):
    a, b = _asarray(a), _asarray(b)
    if a.ndim == 0 or b.ndim == 0:
        return _finish(_multiply(a, b), None)
    if a.shape[-1] != b.shape[-1]:
        raise _not_aligned(a, b, a.ndim - 1, b.ndim - 1)
    return _finish(tensordot(a, b, axes=([-1], [-1])), None)


def outer(a, b, out=None):
    a, b = _asarray(a), _asarray(b)
    r = _k.matmul(a.reshape(a.size, 1), b.reshape(1, b.size), _result_dtype(a, b))
    return _finish(r, out)


def tensordot(a, b, axes=2):
    """Sum of products over the given axes, as one matmul of the reshaped operands."""
    a, b = _asarray(a), _asarray(b)
    try:
        axes_a, axes_b = axes
        axes_a = [axes_a] if isinstance(axes_a, int) or hasattr(axes_a, "__index__") else list(axes_a)
        axes_b = [axes_b] if isinstance(axes_b, int) or hasattr(axes_b, "__index__") else list(axes_b)
    except TypeError:
        n = _operator.index(axes)
        axes_a = list(range(a.ndim - n, a.ndim)) if n else []
        axes_b = list(range(n))
    if len(axes_a) != len(axes_b):
        raise ValueError("shape-mismatch for sum")
    axes_a = [x % a.ndim if a.ndim else x for x in axes_a]
    axes_b = [x % b.ndim if b.ndim else x for x in axes_b]
    for x, y in zip(axes_a, axes_b):
        if a.shape[x] != b.shape[y]:
            raise ValueError("shape-mismatch for sum")
    free_a = [d for d in range(a.ndim) if d not in axes_a]
    free_b = [d for d in range(b.ndim) if d not in axes_b]
    m = _prod(a.shape[d] for d in free_a)
    n = _prod(b.shape[d] for d in free_b)
    k = _prod(a.shape[d] for d in axes_a)
    a2 = a.transpose(free_a + axes_a).reshape(m, k)
    b2 = b.transpose(axes_b + free_b).reshape(k, n)
    r = _k.matmul(a2, b2, _result_dtype(a, b))
    shape = tuple(a.shape[d] for d in free_a) + tuple(b.shape[d] for d in free_b)
    return r.reshape(shape)


def _prod(values):
    p = 1
    for v in values:
        p *= v
    return p


def kron(a, b):
    """Kronecker product: the outer product with its axes interleaved."""
    a, b = _asarray(a), _asarray(b)
    if a.ndim == 0 or b.ndim == 0:
        return _multiply(a, b)
    nd = max(a.ndim, b.ndim)
    as_ = (1,) * (nd - a.ndim) + a.shape
    bs = (1,) * (nd - b.ndim) + b.shape
    r = _k.matmul(a.reshape(a.size, 1), b.reshape(1, b.size), _result_dtype(a, b))
    r = r.reshape(as_ + bs)
    interleaved = [axis for pair in zip(range(nd), range(nd, 2 * nd)) for axis in pair]
    return r.transpose(interleaved).reshape(tuple(x * y for x, y in zip(as_, bs)))


def _normalize_axis(axis, ndim):
    axis = _operator.index(axis)
    if not -ndim <= axis < ndim:
        raise _core.AxisError(f"axis {axis} is out of bounds for array of dimension {ndim}")
    return axis % ndim


def diagonal(a, offset=0, axis1=0, axis2=1):
    """The diagonal as a view (no copy), moved to the last axis as in NumPy."""
    a = _asarray(a)
    if a.ndim < 2:
        raise ValueError("diag requires an array of at least two dimensions")
    ax1, ax2 = _normalize_axis(axis1, a.ndim), _normalize_axis(axis2, a.ndim)
    if ax1 == ax2:
        raise ValueError("axis1 and axis2 cannot be the same")
    n1, n2 = a.shape[ax1], a.shape[ax2]
    s1, s2 = a.strides[ax1], a.strides[ax2]
    offset = _operator.index(offset)
    if offset >= 0:
        length, start = max(0, min(n1, n2 - offset)), offset * s2
    else:
        length, start = max(0, min(n1 + offset, n2)), -offset * s1
    if length == 0:
        start = 0
    rest = [d for d in range(a.ndim) if d not in (ax1, ax2)]
    shape = [a.shape[d] for d in rest] + [length]
    strides = [a.strides[d] for d in rest] + [s1 + s2]
    view = a._with_layout(a._offset + start, shape, strides)
    if view._writeable:
        # read-only, as NumPy's diagonal view; like it, it may be made writeable again
        from ._ndarray import _set_writeable
        _set_writeable(view, False)
    return view


def _sum_dtype(dt):
    """The dtype NumPy's sum gives: small integers and bool widen to 64 bits."""
    if dt.kind in "bi" and (dt.kind == "b" or dt.itemsize < 8):
        return _np.dtype(_np.int64)
    if dt.kind == "u" and dt.itemsize < 8:
        return _np.dtype(_np.uint64)
    return dt


def _sum_last_axis(x, dt):
    """Sum over the last axis as a product with a vector of ones (BLAS for float types)."""
    if x.dtype != dt:
        x = x.astype(dt)
    ones = _full((x.shape[-1],), 1, dtype=dt)
    return _k.matmul(x, ones, dt)


def trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    d = diagonal(a, offset, axis1, axis2)
    dt = _sum_dtype(d.dtype) if dtype is None else _dtype(dtype)
    return _finish(_sum_last_axis(d, dt), out)


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Cross product of 2- or 3-vectors along the given axes, broadcasting the rest."""
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = _asarray(a), _asarray(b)
    if a.ndim < 1 or b.ndim < 1:
        raise ValueError("At least one array has zero dimension")
    a = _moveaxis(a, axisa, -1)
    b = _moveaxis(b, axisb, -1)
    if a.shape[-1] not in (2, 3) or b.shape[-1] not in (2, 3):
        raise ValueError("incompatible dimensions for cross product\n(dimension must be 2 or 3)")
    if a.shape[-1] == 2 and b.shape[-1] == 2:
        _warnings.warn("Arrays of 2-dimensional vectors are deprecated. Use arrays of "
                       "3-dimensional vectors instead. (deprecated in NumPy 2.0)",
                       DeprecationWarning, stacklevel=2)
    dt = _result_dtype(a, b)
    batch = _broadcast_shapes(a.shape[:-1], b.shape[:-1])
    n = _prod(batch)
    a2 = _contig(_broadcast_to(a, batch + a.shape[-1:]), dtype=dt).reshape(n, a.shape[-1])
    b2 = _contig(_broadcast_to(b, batch + b.shape[-1:]), dtype=dt).reshape(n, b.shape[-1])
    r = _k.cross_rows(a2, b2)
    if r.ndim == 1:
        return r.reshape(batch)
    r = r.reshape(batch + (3,))
    return _moveaxis(r, -1, axisc)


def vecdot(x1, x2, /, *, axis=-1):
    """Conjugated dot product of vectors along `axis`, broadcasting the rest (array API)."""
    a, b = _asarray(x1), _asarray(x2)
    if a.dtype.kind == "c":
        a = _k.conjugate(a)
    a = _moveaxis(a, axis, -1)
    b = _moveaxis(b, axis, -1)
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(f"vecdot: shapes {x1.shape} and {x2.shape} differ along axis {axis}")
    r = _k.matmul(a[..., None, :], b[..., :, None], _result_dtype(a, b))
    return _finish(r[..., 0, 0], None)


def matrix_transpose(x, /):
    x = _asarray(x)
    if x.ndim < 2:
        raise ValueError("Input array must be at least 2-dimensional")
    axes = list(range(x.ndim))
    axes[-1], axes[-2] = axes[-2], axes[-1]
    return x.transpose(axes)


from ._einsum import einsum  # noqa: E402
