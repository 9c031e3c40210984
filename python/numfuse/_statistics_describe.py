"""Descriptive statistics and differences written over numfuse's array operations (lazy and
fused where they chain): average, cov, corrcoef, ptp, diff, ediff1d, gradient, trapezoid,
nancumsum, nancumprod; and convolve/correlate over a native sliding dot product. Each follows
NumPy's own implementation step by step, so dtypes, shapes and errors are NumPy's.
"""
import operator as _operator
import warnings as _warnings

import numpy as _np
from numpy.lib import _function_base_impl as _fb
from numpy.lib.array_utils import normalize_axis_index as _normalize_axis_index
from numpy.lib.array_utils import normalize_axis_tuple as _normalize_axis_tuple

import numfuse as _nf
from . import _core

__all__ = ["average", "cov", "corrcoef", "ptp", "diff", "ediff1d", "gradient", "trapezoid",
           "nancumsum", "nancumprod", "convolve", "correlate"]

_NoValue = _np._NoValue


def _is_complex(a):
    return _np.dtype(a.dtype).kind == "c"


# ---- differences -------------------------------------------------------------------------------

def _edge_values(values, a, axis):
    values = _nf.asarray(values)
    if values.ndim == 0:
        shape = list(a.shape)
        shape[axis] = 1
        values = _nf.broadcast_to(values, tuple(shape))
    return values


def diff(a, n=1, axis=-1, prepend=_NoValue, append=_NoValue):
    """n-th discrete difference along axis (NumPy's diff; None for prepend/append means none,
    as in the array API's diff(x, /, *, axis=-1, n=1, prepend=None, append=None))."""
    if n == 0:
        return a
    if n < 0:
        raise ValueError("order must be non-negative but got " + repr(n))
    a = _nf.asarray(a)
    nd = a.ndim
    if nd == 0:
        raise ValueError("diff requires input that is at least one dimensional")
    axis = _normalize_axis_index(axis, nd)
    combined = []
    if prepend is not _NoValue and prepend is not None:
        combined.append(_edge_values(prepend, a, axis))
    combined.append(a)
    if append is not _NoValue and append is not None:
        combined.append(_edge_values(append, a, axis))
    if len(combined) > 1:
        a = _nf.concatenate(combined, axis)
    later = tuple(slice(1, None) if i == axis else slice(None) for i in range(nd))
    earlier = tuple(slice(None, -1) if i == axis else slice(None) for i in range(nd))
    op = _nf.not_equal if a.dtype == _np.bool_ else _nf.subtract
    for _ in range(n):
        a = op(a[later], a[earlier])
    return a


def _same_kind_edge(values, dtype, name):
    values = _np.asanyarray(values)
    if not _np.can_cast(values, dtype, casting="same_kind"):
        raise TypeError(f"dtype of `{name}` must be compatible with input `ary` under the `same_kind` rule.")
    return values.ravel()


def ediff1d(ary, to_end=None, to_begin=None):
    """Differences between consecutive elements of the flattened array (NumPy's ediff1d)."""
    ary = _nf.ravel(_nf.asarray(ary))
    if to_begin is None and to_end is None:
        return ary[1:] - ary[:-1]
    begin = None if to_begin is None else _same_kind_edge(to_begin, ary.dtype, "to_begin")
    end = None if to_end is None else _same_kind_edge(to_end, ary.dtype, "to_end")
    l_begin = 0 if begin is None else len(begin)
    l_end = 0 if end is None else len(end)
    l_diff = max(ary.shape[0] - 1, 0)
    result = _nf.empty(l_diff + l_begin + l_end, ary.dtype)
    if l_begin > 0:
        result[:l_begin] = _nf.asarray(begin).astype(ary.dtype)
    if l_end > 0:
        result[l_begin + l_diff:] = _nf.asarray(end).astype(ary.dtype)
    if l_diff > 0:
        result[l_begin:l_begin + l_diff] = ary[1:] - ary[:-1]
    return result


def _spacings(varargs, f, axes):
    """NumPy's gradient spacing rules: one entry per axis, a scalar or the 1-D differences."""
    n = len(varargs)
    if n == 0:
        return [1.0] * len(axes)
    if n == 1 and _np.ndim(varargs[0]) == 0:
        return list(varargs) * len(axes)
    if n != len(axes):
        raise TypeError("invalid number of arguments")
    dx = list(varargs)
    for i, distances in enumerate(dx):
        distances = _np.asanyarray(distances)
        if distances.ndim == 0:
            continue
        if distances.ndim != 1:
            raise ValueError("distances must be either scalars or 1d")
        if len(distances) != f.shape[axes[i]]:
            raise ValueError("when 1d, distances must match the length of the corresponding dimension")
        if _np.issubdtype(distances.dtype, _np.integer):
            distances = distances.astype(_np.float64)
        diffx = _np.diff(distances)
        if (diffx == diffx[0]).all():
            diffx = diffx[0]
        dx[i] = diffx
    return dx


def _at(nd, axis, index):
    return tuple(index if i == axis else slice(None) for i in range(nd))


def _stencil(out, f, axis, targets, coefficients):
    """out[target] = sum of coefficient * f[source] (NumPy's order of terms)."""
    nd = f.ndim
    dst, sources = targets
    total = None
    for c, src in zip(coefficients, sources):
        term = c * f[_at(nd, axis, src)]
        total = term if total is None else total + term
    out[_at(nd, axis, dst)] = total


def _shaped(coef, nd, axis):
    if _np.ndim(coef) == 0:
        return coef
    shape = [1] * nd
    shape[axis] = -1
    return _nf.asarray(_np.asarray(coef).reshape(shape))


def gradient(f, *varargs, axis=None, edge_order=1):
    """Gradient by central differences inside and one-sided at the edges (NumPy's gradient)."""
    f = _nf.asarray(f)
    N = f.ndim
    axes = tuple(range(N)) if axis is None else _normalize_axis_tuple(axis, N)
    dx = _spacings(varargs, f, axes)
    if edge_order > 2:
        raise ValueError("'edge_order' greater than 2 not supported")
    otype = _np.dtype(f.dtype)
    if otype.kind not in "fc":
        if otype.kind in "iu":
            f = f.astype(_np.float64)
        otype = _np.dtype(_np.float64)
    outvals = []
    for ax, ax_dx in zip(axes, dx):
        if f.shape[ax] < edge_order + 1:
            raise ValueError("Shape of array too small to calculate a numerical gradient, "
                             "at least (edge_order + 1) elements are required.")
        out = _nf.empty(f.shape, otype)
        uniform = _np.ndim(ax_dx) == 0
        if uniform:
            out[_at(N, ax, slice(1, -1))] = (f[_at(N, ax, slice(2, None))] - f[_at(N, ax, slice(None, -2))]) / (2. * ax_dx)
        else:
            dx1, dx2 = ax_dx[0:-1], ax_dx[1:]
            a = -(dx2) / (dx1 * (dx1 + dx2))
            b = (dx2 - dx1) / (dx1 * dx2)
            c = dx1 / (dx2 * (dx1 + dx2))
            _stencil(out, f, ax, (slice(1, -1), (slice(None, -2), slice(1, -1), slice(2, None))),
                     [_shaped(a, N, ax), _shaped(b, N, ax), _shaped(c, N, ax)])
        if edge_order == 1:
            dx_0 = ax_dx if uniform else ax_dx[0]
            out[_at(N, ax, 0)] = (f[_at(N, ax, 1)] - f[_at(N, ax, 0)]) / dx_0
            dx_n = ax_dx if uniform else ax_dx[-1]
            out[_at(N, ax, -1)] = (f[_at(N, ax, -1)] - f[_at(N, ax, -2)]) / dx_n
        else:
            if uniform:
                a, b, c = -1.5 / ax_dx, 2. / ax_dx, -0.5 / ax_dx
            else:
                dx1, dx2 = ax_dx[0], ax_dx[1]
                a = -(2. * dx1 + dx2) / (dx1 * (dx1 + dx2))
                b = (dx1 + dx2) / (dx1 * dx2)
                c = - dx1 / (dx2 * (dx1 + dx2))
            _stencil(out, f, ax, (0, (0, 1, 2)), [a, b, c])
            if uniform:
                a, b, c = 0.5 / ax_dx, -2. / ax_dx, 1.5 / ax_dx
            else:
                dx1, dx2 = ax_dx[-2], ax_dx[-1]
                a = (dx2) / (dx1 * (dx1 + dx2))
                b = - (dx2 + dx1) / (dx1 * dx2)
                c = (2. * dx2 + dx1) / (dx2 * (dx1 + dx2))
            _stencil(out, f, ax, (-1, (-3, -2, -1)), [a, b, c])
        outvals.append(out)
    if len(axes) == 1:
        return outvals[0]
    return tuple(outvals)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """Integral by the composite trapezoidal rule (NumPy's trapezoid)."""
    y = _nf.asarray(y)
    if x is None:
        d = dx
    else:
        x = _nf.asarray(x)
        if x.ndim == 1:
            d = diff(x)
            shape = [1] * y.ndim
            shape[axis] = d.shape[0]
            d = _nf.reshape(d, shape)
        else:
            d = diff(x, axis=axis)
    nd = y.ndim
    later = _at(nd, _normalize_axis_index(axis, nd), slice(1, None))
    earlier = _at(nd, _normalize_axis_index(axis, nd), slice(None, -1))
    return _nf.sum(d * (y[later] + y[earlier]) / 2.0, axis=axis)


# ---- average, cov, corrcoef, ptp ----------------------------------------------------------------

def average(a, axis=None, weights=None, returned=False, *, keepdims=_NoValue):
    """Weighted average along the axes (NumPy's average)."""
    a = _nf.asarray(a)
    if axis is not None:
        axis = _normalize_axis_tuple(axis, a.ndim, argname="axis")
    keepdims_kw = {} if keepdims is _NoValue else {"keepdims": keepdims}
    if weights is None:
        avg = _nf.mean(a, axis, **keepdims_kw)
        avg_dtype = _np.asarray(avg).dtype
        size = int(_np.prod(_np.shape(avg)))
        scl = avg_dtype.type(a.size / size)  # a Python division, as NumPy (empty result: ZeroDivisionError)
    else:
        wgt = _nf.asarray(_fb._weights_are_valid(weights=_np.asarray(weights), a=a, axis=axis))
        if _np.dtype(a.dtype).kind in "biu":
            result_dtype = _np.result_type(a.dtype, wgt.dtype, "f8")
        else:
            result_dtype = _np.result_type(a.dtype, wgt.dtype)
        scl = _nf.sum(_nf.broadcast_to(wgt, a.shape) if axis is None and wgt.shape != a.shape else wgt,
                      axis=axis, dtype=result_dtype, **keepdims_kw)
        if _np.any(_np.asarray(scl) == 0.0):
            raise ZeroDivisionError("Weights sum to zero, can't be normalized")
        avg = _nf.sum(_nf.multiply(a, wgt, dtype=result_dtype), axis, **keepdims_kw) / scl
    if returned:
        avg_shape = _np.shape(avg)
        if _np.shape(scl) != avg_shape:
            scl = _nf.asarray(_np.broadcast_to(_np.asarray(scl), avg_shape).copy())
        return avg, scl
    return avg


def _sample_weights(w, name, samples, check_integer):
    w = _np.asarray(w, dtype=float)
    if check_integer and not _np.all(w == _np.around(w)):
        raise TypeError(f"{name} must be integer")
    if w.ndim > 1:
        raise RuntimeError(f"cannot handle multidimensional {name}")
    if w.shape[0] != samples:
        raise RuntimeError(f"incompatible numbers of samples and {name}")
    if any(w < 0):
        raise ValueError(f"{name} cannot be negative")
    return w


def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *, dtype=None):
    """Covariance matrix (NumPy's cov)."""
    if ddof is not None and ddof != int(ddof):
        raise ValueError("ddof must be integer")
    m = _nf.asarray(m)
    if m.ndim > 2:
        raise ValueError("m has more than 2 dimensions")
    if y is not None:
        y = _nf.asarray(y)
        if y.ndim > 2:
            raise ValueError("y has more than 2 dimensions")
    if dtype is None:
        dtype = _np.result_type(m.dtype, _np.float64) if y is None else _np.result_type(m.dtype, y.dtype, _np.float64)
    # The cast through NumPy's array(): its casting warnings (ComplexWarning) come with it.
    X = _nf.asarray(_np.array(_np.asarray(m), ndmin=2, dtype=dtype))
    if not rowvar and m.ndim != 1:
        X = X.T
    if X.shape[0] == 0:
        return _nf.asarray(_np.array([]).reshape(0, 0))
    if y is not None:
        y = _nf.asarray(_np.array(_np.asarray(y), ndmin=2, dtype=dtype))
        if not rowvar and y.shape[0] != 1:
            y = y.T
        X = _nf.concatenate((X, y), axis=0)
    if ddof is None:
        ddof = 1 if bias == 0 else 0
    w = None
    if fweights is not None:
        w = _sample_weights(fweights, "fweights", X.shape[1], True)
    if aweights is not None:
        aweights = _sample_weights(aweights, "aweights", X.shape[1], False)
        w = aweights if w is None else w * aweights
    avg, w_sum = average(X, axis=1, weights=w, returned=True)
    w_sum = _np.asarray(w_sum)[0]
    if w is None:
        fact = X.shape[1] - ddof
    elif ddof == 0:
        fact = w_sum
    elif aweights is None:
        fact = w_sum - ddof
    else:
        fact = w_sum - ddof * sum(w * aweights) / w_sum
    if fact <= 0:
        _warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=2)
        fact = 0.0
    X = X - avg[:, None]
    X_T = X.T if w is None else (X * _nf.asarray(w)).T
    c = _nf.dot(X, _nf.conj(X_T))
    c = c * _np.true_divide(1, fact)
    return _nf.squeeze(c)


def corrcoef(x, y=None, rowvar=True, *, dtype=None):
    """Pearson correlation coefficients (NumPy's corrcoef)."""
    c = cov(x, y, rowvar, dtype=dtype)
    if c.ndim < 1:
        return c / c  # NumPy's answer for a single variable (diag raises there)
    d = _nf.diag(c)
    stddev = _nf.sqrt(_nf.real(d) if _is_complex(d) else d)
    c = c / stddev[:, None]
    c = c / stddev[None, :]
    if _is_complex(c):
        return _nf.clip(_nf.real(c), -1, 1) + 1j * _nf.clip(_nf.imag(c), -1, 1)
    return _nf.clip(c, -1, 1)


def ptp(a, axis=None, out=None, keepdims=_NoValue):
    """Range of values, maximum - minimum, along the axes (NumPy's ptp)."""
    keepdims = False if keepdims is _NoValue else keepdims
    a = _nf.asarray(a)
    result = _nf.subtract(_nf.max(a, axis=axis, keepdims=keepdims), _nf.min(a, axis=axis, keepdims=keepdims))
    if out is not None:
        out[...] = result
        return out
    return result


# ---- cumulative with NaNs -----------------------------------------------------------------------

def _replace_nan(a, value):
    a = _nf.asarray(a)
    if _np.dtype(a.dtype).kind in "fc":
        return _nf.where(_nf.isnan(a), _nf.asarray(_np.asarray(value, dtype=a.dtype)), a)
    return a


def nancumsum(a, axis=None, dtype=None, out=None):
    """Cumulative sum treating NaN as zero (NumPy's nancumsum)."""
    return _nf.cumsum(_replace_nan(a, 0), axis=axis, dtype=dtype, out=out)


def nancumprod(a, axis=None, dtype=None, out=None):
    """Cumulative product treating NaN as one (NumPy's nancumprod)."""
    return _nf.cumprod(_replace_nan(a, 1), axis=axis, dtype=dtype, out=out)


# ---- correlate, convolve ------------------------------------------------------------------------

_MODES = {"valid": 0, "same": 1, "full": 2, 0: 0, 1: 1, 2: 2, "v": 0, "s": 1, "f": 2}


def _mode(mode):
    try:
        return _MODES[mode]
    except (KeyError, TypeError):
        raise ValueError(f"mode must be one of 'valid', 'same', or 'full' (got {mode!r})") from None


def _vectors(a, v):
    a = _nf.asarray(a)
    v = _nf.asarray(v)
    if a.ndim > 1 or v.ndim > 1:
        raise ValueError("object too deep for desired array")
    a, v = _nf.reshape(a, (-1,)), _nf.reshape(v, (-1,))
    dtype = _np.result_type(a.dtype, v.dtype)
    return a.astype(dtype, copy=False), v.astype(dtype, copy=False)


def _window(mode, n, m, same_offset):
    """(first lag, count) of the full correlation's lags -(m - 1) .. n - 1 that `mode` keeps."""
    longer, shorter = max(n, m), min(n, m)
    if mode == 2:
        return -(m - 1), n + m - 1
    if mode == 1:
        return -(m - 1) + same_offset(shorter), longer
    return -(m - 1) + (shorter - 1), longer - shorter + 1


def correlate(a, v, mode="valid"):
    """Cross-correlation of two 1-D sequences, z[k] = sum_n a[n + k] * conj(v[n]) (NumPy's correlate)."""
    mode = _mode(mode)
    a, v = _vectors(a, v)
    n, m = a.shape[0], v.shape[0]
    if n == 0:
        raise ValueError("first array argument cannot be empty")
    if m == 0:
        raise ValueError("second array argument cannot be empty")
    # NumPy swaps the operands when v is longer and reverses the result: its 'same' window then
    # sits one lag further for an even shorter length.
    swapped = m > n
    first_lag, count = _window(mode, n, m, (lambda s: s // 2) if swapped else (lambda s: s - 1 - s // 2))
    w = _nf.conj(v) if _is_complex(v) else v
    return _core._stats.sliding_dot(a, w, first_lag, count)


def convolve(a, v, mode="full"):
    """Discrete linear convolution of two 1-D sequences (NumPy's convolve)."""
    mode = _mode(mode)
    a, v = _vectors(a, v)
    if v.shape[0] > a.shape[0]:
        a, v = v, a
    if a.shape[0] == 0:
        raise ValueError("a cannot be empty")
    if v.shape[0] == 0:
        raise ValueError("v cannot be empty")
    n, m = a.shape[0], v.shape[0]
    first_lag, count = _window(mode, n, m, lambda s: s - 1 - s // 2)
    return _core._stats.sliding_dot(a, v[::-1], first_lag, count)
