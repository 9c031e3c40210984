"""tri, vander, logspace, geomspace: structured arrays built from numfuse ranges, comparisons,
cumulative products and powers, step for step as NumPy builds them (so the same values)."""
import numpy as _np

from ._creation import arange as _arange, asarray as _asarray, linspace as _linspace, \
    ones as _ones
from ._manipulation import broadcast_to as _broadcast_to, concatenate as _concatenate, \
    expand_dims as _expand_dims, moveaxis as _moveaxis
from ._reductions import cumprod as _cumprod
from . import _ufuncs as _u

__all__ = ["tri", "vander", "logspace", "geomspace"]


def tri(N, M=None, k=0, dtype=float, *, like=None):
    """Ones at and below the k-th diagonal of an N x M array."""
    if M is None:
        M = N
    rows = _arange(N)
    columns = _arange(-k, M - k)
    return _u.greater_equal(rows.reshape(-1, 1), columns.reshape(1, -1)).astype(dtype)


def vander(x, N=None, increasing=False):
    """Columns of powers of x (x^(N-1) ... x^0, or increasing), by cumulative products."""
    x = _asarray(x)
    if x.ndim != 1:
        raise ValueError("x must be a one-dimensional array or sequence.")
    if N is None:
        N = len(x)
    dtype = _np.promote_types(x.dtype, int)
    if N < 0:
        raise ValueError("negative dimensions are not allowed")
    columns = [_ones((len(x), min(N, 1)), dtype=dtype)]
    if N > 1:
        repeated = _broadcast_to(x.astype(dtype).reshape(-1, 1), (len(x), N - 1))
        columns.append(_cumprod(repeated, axis=1))
    powers = _concatenate(columns, axis=1)
    return powers if increasing else powers[:, ::-1]


def _as_array_or_number(value):
    return value if isinstance(value, (int, float, complex)) else _asarray(value)


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    """base ** linspace(start, stop): points evenly spaced on a log scale."""
    if not isinstance(base, (float, int)) and _np.ndim(base):
        ndmax = len(_np.broadcast_shapes(*(_np.shape(v) for v in (start, stop, base))))
        start, stop, base = (_asarray(v).reshape((1,) * (ndmax - _np.ndim(v)) + _np.shape(v))
                             for v in (start, stop, base))
        base = _expand_dims(base, axis=axis)
    y = _linspace(_as_array_or_number(start), _as_array_or_number(stop), num=num,
                  endpoint=endpoint, axis=axis)
    powers = _u.power(_as_array_or_number(base), y)
    return powers if dtype is None else powers.astype(dtype)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """Points evenly spaced on a log scale from start to stop (negative and complex endpoints
    as NumPy: the sign of start is factored out; the endpoints are set exactly)."""
    start, stop = _asarray(start), _asarray(stop)
    if bool(_u.equal(start, 0).any()) or bool(_u.equal(stop, 0).any()):
        raise ValueError("Geometric sequence cannot include zero")
    dt = _np.result_type(start.dtype, stop.dtype, float(num),
                         _np.zeros((), dtype).dtype)
    dtype = dt if dtype is None else _np.dtype(dtype)
    start, stop = start.astype(dt), stop.astype(dt)
    out_sign = _u.sign(start)
    start = _u.true_divide(start, out_sign).astype(dt)
    stop = _u.true_divide(stop, out_sign).astype(dt)
    result = logspace(_u.log10(start), _u.log10(stop), num=num, endpoint=endpoint, base=10.0,
                      dtype=dt)
    if num > 0:
        result[0] = start
        if num > 1 and endpoint:
            result[-1] = stop
    result = _u.multiply(result, out_sign).astype(dt)
    if axis != 0:
        result = _moveaxis(result, 0, axis)
    return result.astype(dtype)
