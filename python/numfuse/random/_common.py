"""Argument handling shared by Generator and RandomState: output shapes, float64 parameters,
NumPy's constraint checks and output-array checks."""
import numpy as _np

from .. import _core
from .._core import ndarray
from .._creation import asarray as _asarray, empty as _empty


def shape_of(size):
    """The output shape for `size`, or None for a scalar result."""
    if size is None:
        return None
    return tuple(_core._shape_tuple(size))


def param(value):
    """A distribution parameter as a float64 numfuse array (0-d for scalars)."""
    if isinstance(value, ndarray):
        return value if value.dtype == _np.float64 else value.astype(_np.float64)
    return _asarray(_np.asarray(value, dtype=_np.float64))


def check_non_negative(value, name):
    """NumPy's CONS_NON_NEGATIVE: a negative sign bit (even -0.0) is an error, NaN is not."""
    v = _np.asarray(value)
    if _np.any(_np.signbit(v) & ~_np.isnan(v)):
        raise ValueError(f"{name} < 0")


def param_shape(size, *params):
    """NumPy's rule: without size, the parameters' broadcast shape; with size, they must
    broadcast to it (raising NumPy's ValueError otherwise)."""
    shapes = [p.shape for p in params]
    if size is None:
        return _np.broadcast_shapes(*shapes)
    shape = shape_of(size)
    if _np.broadcast_shapes(shape, *shapes) != shape:  # the call itself raises on a clash
        raise ValueError(f"shape mismatch: parameters of shapes {shapes} cannot be broadcast to "
                         f"size {shape}")
    return shape


def sample_with_params(fill, size, *params, dtype=_np.float64):
    """fill(out, *params) into a new array (float64, or int64 for counts) of the parameters'
    output shape; a Python float (int) for all-scalar calls without size, as NumPy returns."""
    out = _empty(param_shape(size, *params), dtype=dtype)
    fill(out, *params)
    if size is None and all(p.ndim == 0 for p in params):
        return float(out) if dtype == _np.float64 else int(out)
    return out


def check_positive(value, name):
    """NumPy's CONS_POSITIVE (NaN passes)."""
    if _np.any(_np.less_equal(_np.asarray(value), 0)):
        raise ValueError(f"{name} <= 0")


def check_probability(value, name):
    """NumPy's CONS_BOUNDED_0_1."""
    v = _np.asarray(value)
    if not _np.all(_np.greater_equal(v, 0)) or not _np.all(_np.less_equal(v, 1)):
        raise ValueError(f"{name} < 0, {name} > 1 or {name} is NaN")


_POISSON_LAM_MAX = float(_np.iinfo("l").max - _np.sqrt(_np.iinfo("l").max) * 10)


def check_poisson(value, name):
    """NumPy's CONS_POISSON."""
    v = _np.asarray(value)
    if not _np.all(_np.greater_equal(v, 0)):
        raise ValueError(f"{name} < 0 or {name} is NaN")
    if _np.any(_np.greater(v, _POISSON_LAM_MAX)):
        raise ValueError(f"{name} value too large")


def binomial(fill, n, p, size):
    """binomial() for both APIs: n as int64 (passed on as exact float64), p in [0, 1]."""
    trials = _np.asarray(_np.asarray(n) if isinstance(n, ndarray) else n).astype(_np.int64)
    prob = param(p)
    check_probability(prob, "p")
    check_non_negative(trials, "n")
    if _np.any(trials > 2**53):
        raise NotImplementedError("numfuse's binomial takes n up to 2**53")
    return sample_with_params(fill, size, param(trials), prob, dtype=_np.int64)


def poisson(fill, lam, size):
    rate = param(lam)
    check_poisson(rate, "lam")
    return sample_with_params(fill, size, rate, dtype=_np.int64)


def real_dtype(dtype, sampler):
    dtype = _np.dtype(dtype)
    if dtype not in (_np.dtype(_np.float64), _np.dtype(_np.float32)):
        raise TypeError(f"Unsupported dtype {dtype!r} for {sampler}")
    return dtype


def fill_output(fill, size, dtype, out):
    """NumPy's double_fill/float_fill: a new array of `size` (a Python float when size is None),
    or the user's contiguous `out` of the right dtype, filled in memory order."""
    if out is None:
        shape = shape_of(size)
        result = _empty(() if shape is None else shape, dtype=dtype)
        fill(result)
        return float(result) if shape is None else result
    if not isinstance(out, ndarray):
        raise TypeError("out must be a numfuse ndarray")
    if not (out.flags.c_contiguous or out.flags.f_contiguous) or not out.flags.writeable:
        raise ValueError("Supplied output array must be contiguous, writable and aligned.")
    if out.dtype != dtype:
        raise TypeError(f"Supplied output array has the wrong type. Expected {dtype}, got {out.dtype}")
    if size is not None and shape_of(size) != out.shape:
        raise ValueError("size must match out.shape when used together")
    fill(out if out.flags.c_contiguous else out.T)  # an F-order array's transpose is C-order
    return out


def choice_probabilities(p, pop_size):
    """choice()'s p as a float64 NumPy array, checked as NumPy checks it (its tolerance on the
    sum widens for a low-precision float array)."""
    atol = _np.sqrt(_np.finfo(_np.float64).eps)
    p_np = _np.asarray(p) if isinstance(p, ndarray) else p
    if isinstance(p_np, _np.ndarray) and _np.issubdtype(p_np.dtype, _np.floating):
        atol = max(atol, _np.sqrt(_np.finfo(p_np.dtype).eps))
    p = _np.ascontiguousarray(p_np, dtype=_np.float64)
    if p.ndim != 1:
        raise ValueError("p must be 1-dimensional")
    if p.size != pop_size:
        raise ValueError("a and p must have same size")
    p_sum = _np.sum(p)
    if _np.isnan(p_sum):
        raise ValueError("Probabilities contain NaN")
    if _np.logical_or.reduce(p < 0):
        raise ValueError("Probabilities are not non-negative")
    if abs(p_sum - 1.0) > atol:
        raise ValueError("Probabilities do not sum to 1")
    return p


def choice_indices(size, pop_size, p, replace, random, integers, unique):
    """The indices choice() draws, as NumPy draws them (the same for both APIs up to how
    `random(shape)` floats, `integers(shape)` and `unique(count)` (the p-less draw without
    replacement) are made). Returns (indices, is_scalar); a Python int when size is None."""
    is_scalar = size is None
    shape = () if is_scalar else shape_of(size)
    count = 1 if is_scalar else int(_np.prod(shape, dtype=_np.intp))
    if replace:
        if p is not None:
            cdf = p.cumsum()
            cdf /= cdf[-1]
            idx = _np.array(cdf.searchsorted(_np.asarray(random(shape)), side="right"), dtype=_np.int64)
        else:
            idx = _np.asarray(integers(shape))
    else:
        if count > pop_size:
            raise ValueError("Cannot take a larger sample than population when replace is False")
        if p is not None:
            if _np.count_nonzero(p > 0) < count:
                raise ValueError("Fewer non-zero entries in p than size")
            idx = _weighted_unique(random, p.copy(), count, shape)
        else:
            idx = _np.asarray(unique(count)).reshape(shape)
    if is_scalar and isinstance(idx, _np.ndarray):
        idx = idx.item(0)
    return idx, is_scalar


def _weighted_unique(random, p, count, shape):
    """Without replacement, with p: draw from the CDF of the not-yet-chosen, keeping the first
    occurrence of each index, until `count` are chosen (NumPy's loop)."""
    n_uniq = 0
    found = _np.zeros(shape, dtype=_np.int64)
    flat_found = found.ravel()
    while n_uniq < count:
        x = _np.asarray(random((count - n_uniq,)))
        if n_uniq > 0:
            p[flat_found[0:n_uniq]] = 0
        cdf = _np.cumsum(p)
        cdf /= cdf[-1]
        new = cdf.searchsorted(x, side="right")
        _, unique_indices = _np.unique(new, return_index=True)
        unique_indices.sort()
        new = new.take(unique_indices)
        flat_found[n_uniq:n_uniq + new.size] = new
        n_uniq += new.size
    return found


def shuffle_target(x, shuffle_rows):
    """What shuffle(x) shuffles in place, as NumPy's shuffle takes it: a numfuse array as is, a
    NumPy array through a zero-copy numfuse view of its memory, and a mutable sequence (a list)
    through the permutation the same swaps make of arange(len(x)): NumPy swaps its items with the
    same Fisher-Yates steps, so the result is NumPy's. Returns the numfuse array to shuffle, or
    None when the sequence is done."""
    if isinstance(x, ndarray):
        return x
    if isinstance(x, _np.ndarray):
        return _asarray(x)
    if not (hasattr(x, "__len__") and hasattr(x, "__setitem__") and hasattr(x, "__getitem__")):
        raise TypeError(f"shuffle takes an array or a mutable sequence, not {type(x).__name__}")
    order = _asarray(_np.arange(len(x)))
    shuffle_rows(order)
    items = list(x)
    for k, i in enumerate(order.tolist()):
        x[k] = items[i]
    return None

