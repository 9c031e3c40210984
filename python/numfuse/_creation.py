"""Array creation: from data, filled, ranges and identity matrices."""
import math as _math
import operator as _operator

import numpy as _np

from . import _core
from ._core import ndarray
from ._array_api import check_device as _check_device
from ._dtypes import dtype as _dtype
from ._ufuncs import where as _where

__all__ = [
    "array", "asarray", "ascontiguousarray", "asfortranarray", "empty", "zeros", "ones", "full",
    "arange", "linspace", "eye", "identity", "empty_like", "zeros_like", "ones_like", "full_like",
    "copy", "tril", "triu", "meshgrid",
]


def _check_order(order):
    if not isinstance(order, str):
        raise TypeError(f"order must be str, not {type(order).__name__}")
    if order not in ("C", "F"):
        raise ValueError(f"only 'C' or 'F' order is permitted, got {order!r}")
    return order


def _asarray(a, dtype=None, order=None, *, device=None, copy=None):
    """Converts to a numfuse array without copying when possible (NumPy arrays are wrapped)."""
    _check_device(device)
    if copy:
        return array(a, dtype=dtype, order=order or "K", copy=True)
    want = None if dtype is None else _dtype(dtype)
    if isinstance(a, ndarray) and (want is None or a.dtype == want):
        out = a
    else:
        if copy is False and want is not None and getattr(a, "dtype", want) != want:
            raise ValueError("Unable to avoid copy while creating an array as requested.")
        if copy is False:
            # NumPy decides which objects are viewable (buffers, __array_interface__, ...) and
            # raises ValueError for the rest (lists, scalars), as the array API asks.
            a = _np.asarray(a, dtype=want, copy=False)
        out = _core._wrap(a, want)
    if order == "C" and not out._c_contiguous:
        if copy is False:
            raise ValueError("Unable to avoid copy while creating an array as requested.")
        out = out.copy(order="C")
    elif order == "F" and not out._f_contiguous:
        if copy is False:
            raise ValueError("Unable to avoid copy while creating an array as requested.")
        out = out.copy(order="F")
    return out


# The C entry takes asarray(x) for numfuse and NumPy arrays, the hot calls; the rest come here.
asarray = _core._fast_asarray(_asarray)


def array(obj, dtype=None, *, copy=True, order="K", ndmin=0):
    """A new numfuse array holding a copy of `obj`'s values (no copy only if copy=False/None allows)."""
    if not copy:
        out = asarray(obj, dtype=dtype, copy=copy)
    else:
        # Python objects convert straight to the dtype asked for (exact uint64 past 2**63).
        python_objects = dtype is not None and not isinstance(obj, (ndarray, _np.ndarray))
        src = asarray(obj, dtype=dtype) if python_objects else asarray(obj)
        want = src.dtype if dtype is None else _dtype(dtype)
        out = src._astype(want, "K" if order in ("K", "A", None) else order)
        if not src._buffer_pooled:
            # A copy of memory numfuse does not own (a NumPy array) is taken now: a lazy one
            # would read whatever NumPy writes there before it is looked at.
            _core.eval(out)
    if ndmin > out.ndim:
        out = out.reshape((1,) * (ndmin - out.ndim) + out.shape)
    return out


def ascontiguousarray(a, dtype=None):
    return asarray(a, dtype=dtype, order="C")


def asfortranarray(a, dtype=None):
    return asarray(a, dtype=dtype, order="F")


# empty(shape, dtype=None, order="C") and zeros(...): C functions taking the arguments as these
# functions here would (bind_creation.cpp), without a Python frame: nf.empty(10) costs about what
# np.empty(10) does.
empty = _core.empty
zeros = _core.zeros


def full(shape, fill_value, dtype=None, order="C", *, device=None):
    _check_device(device)
    if dtype is None:
        dtype = _np.asarray(fill_value).dtype if not isinstance(fill_value, ndarray) else fill_value.dtype
    out = _core.empty(shape, _dtype(dtype), _check_order(order))
    out._fill_from(fill_value)
    return out


def ones(shape, dtype=None, order="C", *, device=None):
    _check_device(device)
    return full(shape, 1, dtype=_np.float64 if dtype is None else dtype, order=order)


def _like(a, dtype, order, shape, device):
    _check_device(device)
    a = asarray(a)
    dtype = a.dtype if dtype is None else _dtype(dtype)
    if shape is None:
        shape = a.shape
    if order == "K" or order == "A":
        order = "F" if (a._f_contiguous and not a._c_contiguous) else "C"
    return _core.empty(shape, dtype, _check_order(order))


def empty_like(prototype, dtype=None, order="K", *, shape=None, device=None):
    return _like(prototype, dtype, order, shape, device)


def zeros_like(a, dtype=None, order="K", *, shape=None, device=None):
    out = _like(a, dtype, order, shape, device)
    out._fill_from(0)
    return out


def ones_like(a, dtype=None, order="K", *, shape=None, device=None):
    out = _like(a, dtype, order, shape, device)
    out._fill_from(1)
    return out


def full_like(a, fill_value, dtype=None, order="K", *, shape=None, device=None):
    out = _like(a, dtype, order, shape, device)
    out._fill_from(fill_value)
    return out


def copy(a, order="K"):
    return asarray(a).copy(order=order)


def arange(start, stop=None, step=None, *, dtype=None, device=None):
    """Evenly spaced values in [start, stop) with NumPy's length and dtype rules."""
    _check_device(device)
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    # Python ints or floats and no dtype: the common loop-header case, without the general path's
    # NumPy dtype inference (3.5 -> ~1.1 us a call, loaded machine). Values bounded: lengths exact.
    if dtype is None and step:
        kinds = {type(start), type(stop), type(step)}
        if kinds == _INTS and abs(start) + abs(stop) + abs(step) < 2**62:
            return _core._arange(start, step, max(0, -((start - stop) // step)), _INT64)
        if kinds <= _REALS and float in kinds:
            length = (stop - start) / step
            if _math.isfinite(length) and abs(length) < _INTP_MAX:
                return _core._arange(float(start), float(step), max(0, _math.ceil(length)), _FLOAT64)
    if dtype is not None:
        _dtype(dtype)  # a dtype numfuse lacks (datetime64[D], ...) is its clear TypeError first
    if step == 0:
        raise ZeroDivisionError("division by zero")  # NumPy's message for arange(0, 5, 0)
    for v in (start, stop, step):
        if isinstance(v, complex):
            raise TypeError("arange does not support complex arguments")
    # NumPy's arange promotes the default dtype of each value's kind (int64, uint64 for values past
    # it, float64, complex128), whatever the value's own: arange(np.float32(2.5)) is float64; and
    # it starts from int64 (intp), so values past int64 make float64: arange(2**63, 2**63 + 4, 2).
    # The length first, as NumPy: arange(2**64) is its ValueError, not a dtype error.
    length = _arange_length(start, stop, step)
    inferred = _np.result_type(_np.int64, *[_ARANGE_KIND_DTYPES.get(d, d) for d in (
        v.dtype if isinstance(v, ndarray) else _np.asarray(v).dtype for v in (start, stop, step))])
    target = _dtype(inferred if dtype is None else dtype)
    if target.kind in "iub":
        # NumPy computes the range in the inferred type, then casts: ints stay exact.
        if inferred.kind == "f":
            start, step = int(start), int(start + step) - int(start)
        else:
            start, step = _operator.index(start), _operator.index(step)
    if target.kind in "iu":
        # NumPy stores the first two values as Python integers (NEP 50: out of range raises);
        # the rest wrap around like C.
        info = _np.iinfo(target)
        for value in (start, start + step)[:min(length, 2)]:
            if not info.min <= value <= info.max:
                raise OverflowError(f"Python integer {value} out of bounds for {target}")
        start, step = _wrap_int64(start), _wrap_int64(step)
    return _core._arange(start, step, length, target)


def _arange_length(start, stop, step):
    """ceil((stop - start) / step) clipped at 0, with NumPy's errors for NaN and for a range
    longer than an array can be."""
    try:
        length = _math.ceil((stop - start) / step)
    except ValueError:  # NaN
        raise ValueError("arange: cannot compute length") from None
    except OverflowError:  # infinite
        raise ValueError("Maximum allowed size exceeded") from None
    if length > _INTP_MAX:
        raise ValueError("Maximum allowed size exceeded")
    if length < -_INTP_MAX - 1:
        raise ValueError("arange: cannot compute length")
    return max(0, length)


_INTP_MAX = 2**63 - 1
_INT64, _FLOAT64 = _dtype(_np.int64), _dtype(_np.float64)
_INTS, _REALS = {int}, {int, float}
_ARANGE_KIND_DTYPES = {_np.dtype(t): _np.dtype(_np.uint64 if t == _np.uint64 else k)
                       for k, ts in ((_np.int64, "bBhHiIlLqQ"), (_np.float64, "efdg"), (_np.complex128, "FDG"))
                       for t in map(_np.dtype, ts)}


def _wrap_int64(value):
    """The int64 with the same low 64 bits (the kernel's arithmetic wraps like NumPy's)."""
    return (value + 2**63) % 2**64 - 2**63


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, *, device=None):
    """`num` evenly spaced samples over [start, stop] (NumPy's arithmetic and dtype rules)."""
    _check_device(device)
    num = _operator.index(num)
    if num < 0:
        raise ValueError(f"Number of samples, {num}, must be non-negative.")
    if num > _INTP_MAX:
        raise ValueError("Maximum allowed size exceeded")
    if axis != 0 or _np.ndim(start) or _np.ndim(stop):
        # Array-valued endpoints: NumPy's broadcasting rules, computed there and wrapped.
        res = _np.linspace(_np.asarray(start), _np.asarray(stop), num, endpoint, retstep, dtype, axis)
        return (asarray(res[0]), res[1]) if retstep else asarray(res)
    is_complex = isinstance(start, complex) or isinstance(stop, complex) or \
        _np.iscomplexobj(start) or _np.iscomplexobj(stop)
    values, step = _core._linspace(complex(start), complex(stop), num, bool(endpoint), bool(is_complex))
    result_dtype = _np.result_type(start, stop, float(num))
    if dtype is not None:
        target = _dtype(dtype)
        if target.kind in "iu":
            values = _np.floor(_np.asarray(values)) if not is_complex else values
            values = asarray(values)
    else:
        target = _dtype(result_dtype)
    out = values if values.dtype == target else values._astype(target, "C")
    return (out, step) if retstep else out


def eye(N, M=None, k=0, dtype=float, order="C", *, device=None):
    """A 2-D array with ones on the k-th diagonal."""
    _check_device(device)
    M = N if M is None else M
    out = zeros((N, M), dtype=dtype, order=order)
    if k >= M or -k >= N:
        return out
    length = min(N - max(-k, 0), M - max(k, 0))
    s0, s1 = out.strides
    start = max(-k, 0) * s0 + max(k, 0) * s1
    diagonal = out._with_layout(out._offset + start, [length], [s0 + s1])
    diagonal._fill_from(1)
    return out


def identity(n, dtype=None):
    return eye(n, dtype=float if dtype is None else dtype)


def _triangle(m, k, keep):
    """`m` with the elements where keep(column - row - k) is false set to zero (the last two
    axes; a 1-D `m` is a row repeated, as NumPy's tril/triu take it)."""
    m = asarray(m)
    if m.ndim == 0:
        raise ValueError("tril/triu need an array of at least one dimension")
    rows, cols = m.shape[-2:] if m.ndim >= 2 else (m.shape[-1], m.shape[-1])
    offset = arange(cols) - arange(rows).reshape(rows, 1) - _operator.index(k)
    return _where(keep(offset), m, zeros((), dtype=m.dtype))


def tril(m, k=0):
    """The lower triangle of (a stack of) matrices: elements above the k-th diagonal zeroed."""
    return _triangle(m, k, lambda offset: offset <= 0)


def triu(m, k=0):
    """The upper triangle of (a stack of) matrices: elements below the k-th diagonal zeroed."""
    return _triangle(m, k, lambda offset: offset >= 0)


def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    """Coordinate arrays from 1-D coordinate vectors, as a tuple (NumPy 2's meshgrid): with
    indexing='xy' the first two axes are swapped; sparse=True keeps the size-1 axes; copy=False
    gives read-only broadcast views."""
    if indexing not in ("xy", "ij"):
        raise ValueError("Valid values for `indexing` are 'xy' and 'ij'.")
    vectors = [asarray(x).reshape(-1) for x in xi]
    sizes = [v.shape[0] for v in vectors]
    axes = list(range(len(vectors)))
    if indexing == "xy" and len(vectors) > 1:
        axes[0], axes[1] = 1, 0
        sizes[0], sizes[1] = sizes[1], sizes[0]
    out = []
    for v, axis in zip(vectors, axes):
        shape = [1] * len(vectors)
        shape[axis] = v.shape[0]
        grid = v.reshape(tuple(shape))
        if not sparse:
            grid = grid._broadcast_to(sizes)
        out.append(grid.copy() if copy else grid)
    return tuple(out)
