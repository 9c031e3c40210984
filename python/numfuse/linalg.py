"""numfuse.linalg: NumPy's linalg API over OpenBLAS and LAPACK.

Functions take numfuse or NumPy arrays (or anything array-like), batch over leading axes where
NumPy's do, and compute in NumPy's types: float32 and complex64 stay single precision, integer
and bool inputs become float64. The arithmetic runs in the compiled kernels
(numfuse._core._linalg); this module only checks arguments and arranges shapes.

Errors: ``LinAlgError`` *is* ``numpy.linalg.LinAlgError`` (not a subclass), so code written
against NumPy (``except np.linalg.LinAlgError``) catches numfuse's failures unchanged, and it is
a ValueError as in NumPy. Singular matrices, non-positive-definite input to cholesky and
non-convergence raise it with NumPy's messages; shape mismatches raise ValueError naming the
shapes. LAPACK's arguments are validated before every call, so LAPACK never prints or aborts.

Differences from NumPy: matrix results of LAPACK routines are returned as views of LAPACK's
column-major output (Fortran-ordered matrices) instead of being copied to C order; values,
shapes and dtypes are NumPy's. ``svd(..., hermitian=True)`` and ``pinv(..., hermitian=True)``
use the general SVD (same singular values; singular vectors are unique only up to phase anyway).
"""
import operator as _operator
from collections import namedtuple as _namedtuple

import numpy as _np

from . import _core
from ._core import ndarray as _ndarray
from ._creation import asarray as _asarray, empty as _empty, full as _full, ascontiguousarray as _contig
from ._manipulation import broadcast_shapes as _broadcast_shapes, broadcast_to as _broadcast_to
from ._linalg_ops import (  # noqa: F401  (array-API names re-exported by numpy.linalg)
    matmul as _matmul, dot as _dot, outer as _outer_any, tensordot as _tensordot_any,
    trace as _trace_any, diagonal as _diagonal_any, cross as _cross_any, vecdot,
    matrix_transpose,
)

__all__ = [
    "LinAlgError", "solve", "inv", "det", "slogdet", "lstsq", "cholesky", "qr", "svd", "svdvals",
    "eig", "eigvals", "eigh", "eigvalsh", "norm", "matrix_norm", "vector_norm", "pinv",
    "matrix_rank", "matrix_power", "cond", "multi_dot", "matmul", "outer", "tensordot", "trace",
    "diagonal", "cross", "vecdot", "matrix_transpose", "set_blas_threads", "get_blas_threads",
]

_k = _core._linalg
LinAlgError = _np.linalg.LinAlgError

SlogdetResult = _namedtuple("SlogdetResult", ["sign", "logabsdet"])
QRResult = _namedtuple("QRResult", ["Q", "R"])
SVDResult = _namedtuple("SVDResult", ["U", "S", "Vh"])
EigResult = _namedtuple("EigResult", ["eigenvalues", "eigenvectors"])
EighResult = _namedtuple("EighResult", ["eigenvalues", "eigenvectors"])

_F32, _F64 = _np.dtype(_np.float32), _np.dtype(_np.float64)
_C64, _C128 = _np.dtype(_np.complex64), _np.dtype(_np.complex128)


class _NoValue:
    """Marks an argument that was not passed (NumPy's pinv tells rtol=None from no rtol)."""


def set_blas_threads(n):
    """Sets OpenBLAS's thread count (numfuse's kernels and OpenBLAS share the cores)."""
    _k.set_blas_threads(_operator.index(n))


def get_blas_threads():
    return _k.blas_threads()


# --- argument checks and NumPy's type rules -------------------------------------------------

def _common_type(*arrays):
    """NumPy's linalg computation type: single stays single, everything else is double."""
    is_complex = False
    double = False
    for a in arrays:
        kind = a.dtype.kind
        if kind == "c":
            is_complex = True
            double |= a.dtype == _C128
        elif kind == "f":
            double |= a.dtype == _F64
        elif kind in "biu":
            double = True
        else:
            raise TypeError(f"array type {a.dtype} is unsupported in linalg")
    if is_complex:
        return _C128 if double else _C64
    return _F64 if double else _F32


def _real(dtype):
    return {_C64: _F32, _C128: _F64}.get(dtype, dtype)


def _assert_stacked_2d(*arrays):
    for a in arrays:
        if a.ndim < 2:
            raise LinAlgError(f"{a.ndim}-dimensional array given. Array must be at least "
                              "two-dimensional")


def _assert_stacked_square(*arrays):
    _assert_stacked_2d(*arrays)
    for a in arrays:
        if a.shape[-1] != a.shape[-2]:
            raise LinAlgError("Last 2 dimensions of the array must be square")


def _scalar_if_0d(r):
    return r[()] if r.ndim == 0 else r


def _batch_float64(values, batch):
    """A C-contiguous float64 array of the batch shape holding `values` broadcast (cutoffs)."""
    v = _asarray(values, dtype=_F64)
    return _contig(_broadcast_to(v, batch))


def _matrix_batch(a):
    return tuple(a.shape[:-2])


# --- solving and inverting --------------------------------------------------------------------

def solve(a, b):
    """Solves a @ x = b; b is a vector when 1-D, otherwise a stack of (M, K) matrices."""
    a, b = _asarray(a), _asarray(b)
    _assert_stacked_square(a)
    dt = _common_type(a, b)
    b_is_vector = b.ndim == 1
    if b_is_vector:
        b = b[:, None]
    if b.ndim < 2:
        raise ValueError(f"solve: b has shape {b.shape}; expected (M,) or (..., M, K)")
    batch = _broadcast_shapes(_matrix_batch(a), _matrix_batch(b))
    a = _broadcast_to(a, batch + a.shape[-2:])
    b = _broadcast_to(b, batch + b.shape[-2:])
    x = _k.solve(a, b, dt)
    return x[..., 0] if b_is_vector else x


def inv(a):
    a = _asarray(a)
    _assert_stacked_square(a)
    return _k.inv(a, _common_type(a), False)


def det(a):
    a = _asarray(a)
    _assert_stacked_square(a)
    return _scalar_if_0d(_k.det(a, _common_type(a)))


def slogdet(a):
    a = _asarray(a)
    _assert_stacked_square(a)
    sign, logdet = _k.slogdet(a, _common_type(a))
    return SlogdetResult(_scalar_if_0d(sign), _scalar_if_0d(logdet))


def lstsq(a, b, rcond=None):
    """Least-squares solution of a @ x = b (2-D a; b (M,) or (M, K)), NumPy's return values."""
    a, b = _asarray(a), _asarray(b)
    if a.ndim != 2:
        raise LinAlgError(f"{a.ndim}-dimensional array given. Array must be two-dimensional")
    if b.ndim not in (1, 2):
        raise LinAlgError(f"{b.ndim}-dimensional array given. Array must be one or two-dimensional")
    b_is_vector = b.ndim == 1
    if b_is_vector:
        b = b[:, None]
    m, n = a.shape
    if m != b.shape[0]:
        raise LinAlgError(f"Incompatible dimensions: a has shape {a.shape}, b has shape {b.shape}")
    dt = _common_type(a, b)
    if rcond is None:
        rcond = float(_np.finfo(dt).eps) * max(n, m)
    x, resids, rank, s = _k.lstsq(a, b, dt, float(rcond))
    if b_is_vector:
        x = x[:, 0]
    return x, resids, _np.int32(rank), s


# --- factorizations ---------------------------------------------------------------------------

def cholesky(a, /, *, upper=False):
    a = _asarray(a)
    _assert_stacked_square(a)
    return _k.cholesky(a, _common_type(a), bool(upper))


def qr(a, mode="reduced"):
    if mode not in ("reduced", "complete", "r", "raw"):
        raise ValueError(f"Unrecognized mode '{mode}'")
    a = _asarray(a)
    _assert_stacked_2d(a)
    out = _k.qr(a, _common_type(a), mode)
    if mode == "r":
        return out[0]
    if mode == "raw":
        return tuple(out)
    return QRResult(*out)


def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    a = _asarray(a)
    _assert_stacked_2d(a)
    out = _k.svd(a, _common_type(a), bool(full_matrices), bool(compute_uv))
    return SVDResult(*out) if compute_uv else out[0]


def svdvals(x, /):
    return svd(x, compute_uv=False)


def eig(a):
    a = _asarray(a)
    _assert_stacked_square(a)
    return EigResult(*_k.eig(a, _common_type(a), True))


def eigvals(a):
    a = _asarray(a)
    _assert_stacked_square(a)
    return _k.eig(a, _common_type(a), False)[0]


def _uplo(UPLO):
    UPLO = str(UPLO).upper()
    if UPLO not in ("L", "U"):
        raise ValueError("UPLO argument must be 'L' or 'U'")
    return UPLO


def eigh(a, UPLO="L"):
    UPLO = _uplo(UPLO)
    a = _asarray(a)
    _assert_stacked_square(a)
    return EighResult(*_k.eigh(a, _common_type(a), UPLO, True))


def eigvalsh(a, UPLO="L"):
    UPLO = _uplo(UPLO)
    a = _asarray(a)
    _assert_stacked_square(a)
    return _k.eigh(a, _common_type(a), UPLO, False)[0]


# --- norms --------------------------------------------------------------------------------------

def _as_inexact(x):
    x = _asarray(x)
    if x.dtype.kind not in "fc":
        x = x.astype(_F64)
    return x


def _normalize_axis(axis, ndim):
    axis = _operator.index(axis)
    if not -ndim <= axis < ndim:
        raise _core.AxisError(f"axis {axis} is out of bounds for array of dimension {ndim}")
    return axis % ndim


def _reduce_axes(x, axes, ord, keepdims):
    """Vector norm over `axes` (merged into one) of an inexact x; always an array."""
    nd = x.ndim
    rest = [d for d in range(nd) if d not in axes]
    length = 1
    for d in axes:
        length *= x.shape[d]
    flat = x.transpose(rest + list(axes)).reshape(tuple(x.shape[d] for d in rest) + (length,))
    r = _k.vector_norm_last_axis(flat, float(ord))
    if keepdims:
        r = r.reshape(tuple(1 if d in axes else x.shape[d] for d in range(nd)))
    return r


def _vector_ord(ord):
    if ord is None:
        return 2.0
    if isinstance(ord, str):
        raise ValueError(f"Invalid norm order '{ord}' for vectors")
    return float(ord)


def _matrix_norm(x, row_axis, col_axis, ord, keepdims):
    nd = x.ndim
    if ord in (2, -2, "nuc"):
        rest = [d for d in range(nd) if d not in (row_axis, col_axis)]
        s = svd(x.transpose(rest + [row_axis, col_axis]), compute_uv=False)
        r = _k.vector_norm_last_axis(s, {2: _np.inf, -2: -_np.inf, "nuc": 1.0}[ord])
    elif ord in (1, -1, _np.inf, -_np.inf):
        # 1-norms: largest (smallest) absolute column sum; inf-norms: the same over rows.
        sum_axis, pick_axis = (row_axis, col_axis) if ord in (1, -1) else (col_axis, row_axis)
        sums = _reduce_axes(x, (sum_axis,), 1, False)
        if pick_axis > sum_axis:
            pick_axis -= 1
        r = _reduce_axes(sums, (pick_axis,), _np.inf if ord > 0 else -_np.inf, False)
    elif ord in (None, "fro", "f"):
        r = _reduce_axes(x, (row_axis, col_axis), 2, False)
    else:
        raise ValueError("Invalid norm order for matrices.")
    if keepdims:
        r = r.reshape(tuple(1 if d in (row_axis, col_axis) else x.shape[d] for d in range(nd)))
    return r


def _norm_array(x, ord=None, axis=None, keepdims=False):
    x = _as_inexact(x)
    nd = x.ndim
    if axis is None:
        if ord is None or (ord == 2 and nd == 1) or (ord in ("f", "fro") and nd == 2):
            r = _reduce_axes(x, tuple(range(nd)), 2, keepdims)
            return r
        if nd == 1:
            axis = (0,)
        elif nd == 2:
            axis = (0, 1)
        else:
            raise ValueError("Improper number of dimensions to norm.")
    elif not isinstance(axis, tuple):
        axis = (axis,)
    if len(axis) == 1:
        return _reduce_axes(x, (_normalize_axis(axis[0], nd),), _vector_ord(ord), keepdims)
    if len(axis) == 2:
        row_axis, col_axis = (_normalize_axis(a, nd) for a in axis)
        if row_axis == col_axis:
            raise ValueError("Duplicate axes given.")
        return _matrix_norm(x, row_axis, col_axis, ord, keepdims)
    raise ValueError("Improper number of dimensions to norm.")


def norm(x, ord=None, axis=None, keepdims=False):
    """Matrix or vector norm with NumPy's orders, axis handling and result dtypes."""
    return _scalar_if_0d(_norm_array(x, ord, axis, keepdims))


def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):
    x = _as_inexact(x)
    if axis is None:
        axes = tuple(range(x.ndim))
    elif isinstance(axis, tuple):
        axes = tuple(_normalize_axis(a, x.ndim) for a in axis)
    else:
        axes = (_normalize_axis(axis, x.ndim),)
    return _scalar_if_0d(_reduce_axes(x, axes, _vector_ord(ord), keepdims))


def matrix_norm(x, /, *, keepdims=False, ord="fro"):
    x = _asarray(x)
    _assert_stacked_2d(x)
    return norm(x, ord=ord, axis=(-2, -1), keepdims=keepdims)


# --- built on the factorizations ------------------------------------------------------------------

def pinv(a, rcond=None, hermitian=False, *, rtol=_NoValue):
    """Moore-Penrose pseudo-inverse through the SVD with NumPy's cutoff rules."""
    a = _asarray(a)
    _assert_stacked_2d(a)
    dt = _common_type(a)
    if rcond is None:
        if rtol is _NoValue:
            rcond = 1e-15
        elif rtol is None:
            rcond = max(a.shape[-2:]) * float(_np.finfo(dt).eps)
        else:
            rcond = rtol
    elif rtol is not _NoValue:
        raise ValueError("`rtol` and `rcond` can't be both set.")
    batch = _matrix_batch(a)
    m, n = a.shape[-2:]
    if m == 0 or n == 0:
        return _empty(batch + (n, m), dtype=dt)
    return _k.pinv(a, dt, _batch_float64(rcond, batch))


def matrix_rank(A, tol=None, hermitian=False, *, rtol=None):
    """Number of singular values above the tolerance (NumPy's default tolerance)."""
    A = _asarray(A)
    if A.ndim < 2:
        nonzero = _k.vector_norm_last_axis(_as_inexact(A).reshape(1, A.size), 0.0)
        return int(float(nonzero[0]) > 0)
    S = svd(A, compute_uv=False)
    batch = _matrix_batch(A)
    if tol is None:
        if rtol is None:
            rtol = max(A.shape[-2:]) * float(_np.finfo(S.dtype).eps)
        return _scalar_if_0d(_k.count_above(S, _batch_float64(rtol, batch), True))
    return _scalar_if_0d(_k.count_above(S, _batch_float64(tol, batch), False))


def cond(x, p=None):
    """Condition number in NumPy's norms; singular matrices give inf (not an error)."""
    x = _asarray(x)
    if x.ndim >= 2 and x.size == 0 and x.shape[-1] * x.shape[-2] == 0:
        raise LinAlgError("cond is not defined on empty arrays")
    if p is None or (not isinstance(p, str) and p in (2, -2)):
        s = svd(x, compute_uv=False)
        r = _k.singular_value_ratio(s, p == -2)
    else:
        _assert_stacked_square(x)
        dt = _common_type(x)
        invx = _k.inv(x, dt, True)
        r = _k.multiply_real(_norm_array(x, p, (-2, -1)), _norm_array(invx, p, (-2, -1)))
    r = _k.nan_to_inf_unless_input_nan(r, x)
    return _scalar_if_0d(r)


def matrix_power(a, n):
    """a raised to the integer power n by repeated squaring (inverse first for n < 0)."""
    a = _asarray(a)
    _assert_stacked_square(a)
    try:
        n = _operator.index(n)
    except TypeError as e:
        raise TypeError("exponent must be an integer") from e
    if n == 0:
        out = _empty(a.shape, dtype=a.dtype)
        eye = _core.zeros((a.shape[-1], a.shape[-1]), a.dtype, "C")
        if a.shape[-1]:
            eye._with_layout(eye._offset, [a.shape[-1]], [eye.strides[0] + eye.strides[1]])._fill_from(1)
        out[...] = eye
        return out
    if n < 0:
        a = inv(a)
        n = -n
    if n == 1:
        return a
    if n == 2:
        return _matmul(a, a)
    if n == 3:
        return _matmul(_matmul(a, a), a)
    z = result = None
    while n > 0:
        z = a if z is None else _matmul(z, z)
        n, bit = divmod(n, 2)
        if bit:
            result = z if result is None else _matmul(result, z)
    return result


def _chain_order(shapes):
    """NumPy's multi_dot dynamic program: the cheapest parenthesization of a matrix chain."""
    dims = [shapes[0][0]] + [s[1] for s in shapes]
    n = len(shapes)
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = None
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if cost[i][j] is None or c < cost[i][j]:
                    cost[i][j] = c
                    split[i][j] = k
    return split


def multi_dot(arrays, *, out=None):
    """Product of a chain of matrices in the cheapest order; first/last may be 1-D."""
    arrays = [_asarray(a) for a in arrays]
    n = len(arrays)
    if n < 2:
        raise ValueError("Expecting at least two arrays.")
    if n == 2:
        r = _dot(arrays[0], arrays[1])
        if out is not None:
            out[...] = r
            return out
        return r
    first_1d, last_1d = arrays[0].ndim == 1, arrays[-1].ndim == 1
    if first_1d:
        arrays[0] = arrays[0][None, :]
    if last_1d:
        arrays[-1] = arrays[-1][:, None]
    for a in arrays:
        if a.ndim != 2:
            raise LinAlgError(f"{a.ndim}-dimensional array given. Array must be two-dimensional")
    split = _chain_order([a.shape for a in arrays])

    def product(i, j):
        if i == j:
            return arrays[i]
        k = split[i][j]
        return _dot(product(i, k), product(k + 1, j))

    r = product(0, n - 1)
    if first_1d and last_1d:
        r = r[0, 0]
    elif first_1d:
        r = r[0]
    elif last_1d:
        r = r[:, 0]
    if out is not None:
        out[...] = r
        return out
    return r


# --- numpy.linalg's array-API names -------------------------------------------------------------

def matmul(x1, x2, /):
    return _matmul(x1, x2)


def outer(x1, x2, /):
    x1, x2 = _asarray(x1), _asarray(x2)
    if x1.ndim != 1 or x2.ndim != 1:
        raise ValueError(f"Input arrays must be one-dimensional, but they are "
                         f"x1.ndim={x1.ndim} and x2.ndim={x2.ndim}.")
    return _outer_any(x1, x2)


def tensordot(x1, x2, /, *, axes=2):
    return _tensordot_any(x1, x2, axes=axes)


def trace(x, /, *, offset=0, dtype=None):
    return _trace_any(x, offset=offset, axis1=-2, axis2=-1, dtype=dtype)


def diagonal(x, /, *, offset=0):
    return _diagonal_any(x, offset=offset, axis1=-2, axis2=-1)


def cross(x1, x2, /, *, axis=-1):
    x1, x2 = _asarray(x1), _asarray(x2)
    if x1.shape[axis] != 3 or x2.shape[axis] != 3:
        raise ValueError("Both input arrays must be (arrays of) 3-dimensional vectors, but they "
                         f"are {x1.shape[axis]} and {x2.shape[axis]} dimensional instead.")
    return _cross_any(x1, x2, axis=axis)


del _full
