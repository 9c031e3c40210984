"""Binning, order statistics, group-by and descriptive statistics.

The heavy loops are native (numfuse._core._stats, algorithms/src/bin_*.cpp and stats_*.cpp):
bincount, the histogram counting, selection for partition/median/percentile/quantile and
groupby_reduce. NumPy's rules around them (argument checks, bin edges and their dtypes, the
quantile methods' virtual indices and interpolation weights) come from NumPy's own helpers, run
on the small arrays they produce (the bin edges, one row per requested quantile), so the results
follow the installed NumPy exactly. The simpler statistics (average, cov, ptp, diff, ...) are
written over numfuse's (lazy, fused) array operations.
"""
import operator as _operator
import warnings as _warnings

import numpy as _np
from numpy.lib import _function_base_impl as _fb
from numpy.lib import _histograms_impl as _hi

from . import _core
from ._creation import asarray as _asarray
from ._manipulation import moveaxis as _moveaxis, reshape as _reshape, transpose as _transpose

_k = _core._stats

from ._statistics_describe import *  # noqa: E402,F401,F403
from ._statistics_describe import __all__ as _describe_all  # noqa: E402

__all__ = _describe_all + [
    "bincount", "histogram", "histogram_bin_edges", "histogram2d", "histogramdd",
    "partition", "argpartition",
    "median", "percentile", "quantile", "nanmedian", "nanpercentile", "nanquantile",
    "groupby_reduce",
]


def _out(value):
    """NumPy's result as numfuse returns it: arrays as numfuse arrays, 0-d as NumPy scalars."""
    if isinstance(value, _np.ndarray):
        if value.ndim == 0:
            return value[()]
        return _asarray(value)
    return value


def _np_view(a):
    """A NumPy array over the same memory (computes pending values first)."""
    return _np.asarray(a)


# ---- binning ---------------------------------------------------------------------------------

def bincount(x, /, weights=None, minlength=0):
    """Number of occurrences of each value in an array of non-negative ints (NumPy's bincount)."""
    if minlength is None:
        raise TypeError("use 0 instead of None for minlength")
    minlength = _operator.index(minlength)
    if minlength < 0:
        raise ValueError("'minlength' must not be negative")
    xs = _np_view(x) if not isinstance(x, _core.ndarray) else x
    if xs.ndim != 1:
        raise ValueError("object too deep for desired array" if xs.ndim > 1
                         else "object of too small depth for desired array")
    if xs.size == 0 and not isinstance(x, _core.ndarray):
        xs = _np.asarray(x, dtype=_np.intp)  # [] counts as an empty int list, as in NumPy
    dt = _np.dtype(xs.dtype)
    if dt.kind not in "biu":  # NumPy takes uint64 too (values past int64 wrap to negative)
        raise TypeError(f"Cannot cast array data from {dt!r} to dtype('int64') according "
                        "to the rule 'safe'")
    if xs.size == 0:  # NumPy answers empty input with int counts, weights or not
        return _asarray(_np.zeros(minlength, _np.intp))
    xs = _asarray(xs).astype(_np.int64, copy=False)
    w = None
    if weights is not None:
        w = _asarray(weights)
        if w.ndim != 1 or w.shape[0] != xs.shape[0]:
            raise ValueError("The weights and list don't have the same length.")
        w = w.astype(_np.float64, copy=False)
    return _k.bincount(xs, w, minlength)


def _float_dtype_pair(edges_dtype, first_edge, norm_denom):
    """(subtract in float32, divide in float32): NumPy's promotions in its bin-index formula."""
    diff = _np.result_type(_np.empty(0, edges_dtype), first_edge)
    div = _np.result_type(_np.empty(0, diff), norm_denom)
    return diff == _np.float32, div == _np.float32


def _counts(a, bin_edges, uniform_bins, weights):
    """NumPy's histogram counts (int64) or weight sums (float64) of 1-D `a`."""
    wk = None if weights is None else _asarray(weights).astype(_np.float64, copy=False)
    if uniform_bins is not None and bin_edges.dtype in (_np.float32, _np.float64):
        first_edge, last_edge, n_equal_bins = uniform_bins
        norm_denom = _hi._unsigned_subtract(last_edge, first_edge)
        data = _asarray(a).astype(bin_edges.dtype, copy=False)
        sub32, div32 = _float_dtype_pair(bin_edges.dtype, first_edge, norm_denom)
        return _k.histogram_uniform(data, float(first_edge), float(last_edge), float(norm_denom),
                                    int(n_equal_bins), _asarray(bin_edges), sub32, div32, wk)
    return _k.histogram_edges(_asarray(a), _asarray(bin_edges.astype(_np.float64)), wk)


def histogram(a, bins=10, range=None, density=None, weights=None):  # noqa: A002
    """Histogram of `a` (NumPy's histogram: same edges, counts, dtypes and errors)."""
    a_np, w_np = _hi._ravel_and_check_weights(_np_view(a), None if weights is None else _np_view(weights))
    bin_edges, uniform_bins = _hi._get_bin_edges(a_np, bins, range, w_np)
    ntype = _np.dtype(_np.intp) if w_np is None else w_np.dtype
    if w_np is not None and w_np.dtype.kind == "c":
        n = (_np.asarray(_counts(a_np, bin_edges, uniform_bins, w_np.real))
             + 1j * _np.asarray(_counts(a_np, bin_edges, uniform_bins, w_np.imag)))
    else:
        n = _np.asarray(_counts(a_np, bin_edges, uniform_bins, w_np))
    n = n.astype(ntype, copy=False)
    if density:
        db = _np.diff(bin_edges).astype(float)
        return _asarray(n / db / n.sum()), _asarray(bin_edges)
    return _asarray(n), _asarray(bin_edges)


def histogram_bin_edges(a, bins=10, range=None, weights=None):  # noqa: A002
    """The bin edges histogram would use (NumPy's histogram_bin_edges)."""
    a_np, w_np = _hi._ravel_and_check_weights(_np_view(a), None if weights is None else _np_view(weights))
    bin_edges, _ = _hi._get_bin_edges(a_np, bins, range, w_np)
    return _asarray(bin_edges)


def histogramdd(sample, bins=10, range=None, density=None, weights=None):  # noqa: A002
    """Multidimensional histogram (NumPy's histogramdd): bin indices and counts natively."""
    try:
        N, D = sample.shape
        sample = _np_view(sample)
    except (AttributeError, ValueError):
        sample = _np.atleast_2d(_np.asarray(sample) if not isinstance(sample, (list, tuple))
                                else [_np_view(s) for s in sample]).T
        N, D = sample.shape
    nbin = _np.empty(D, _np.intp)
    edges = D * [None]
    dedges = D * [None]
    if weights is not None:
        weights = _np_view(weights)
    try:
        if len(bins) != D:
            raise ValueError("The dimension of bins must be equal to the dimension of the sample x.")
    except TypeError:
        bins = D * [bins]
    if range is None:
        range = (None,) * D  # noqa: A001
    elif len(range) != D:
        raise ValueError("range argument must have one entry per dimension")
    for i in _np.arange(D):
        if _np.ndim(bins[i]) == 0:
            if bins[i] < 1:
                raise ValueError(f"`bins[{i}]` must be positive, when an integer")
            smin, smax = _hi._get_outer_edges(sample[:, i], range[i])
            try:
                n = _operator.index(bins[i])
            except TypeError as e:
                raise TypeError(f"`bins[{i}]` must be an integer, when a scalar") from e
            edges[i] = _np.linspace(smin, smax, n + 1)
        elif _np.ndim(bins[i]) == 1:
            edges[i] = _np.asarray(bins[i])
            if _np.any(edges[i][:-1] > edges[i][1:]):
                raise ValueError(f"`bins[{i}]` must be monotonically increasing, when an array")
        else:
            raise ValueError(f"`bins[{i}]` must be a scalar or 1d array")
        nbin[i] = len(edges[i]) + 1  # an outlier bin on each end
        dedges[i] = _np.diff(edges[i])
    # Flat bin number: NumPy's ravel_multi_index of the per-dimension indices, fused lazily.
    xy = None
    for i in _np.arange(D):
        idx = _k.bin_indices(_asarray(sample[:, i]), _asarray(edges[i].astype(_np.float64)))
        xy = idx if xy is None else xy * int(nbin[i]) + idx
    if xy is None:
        xy = _asarray(_np.zeros(N, _np.int64))
    wk = None if weights is None else _asarray(weights).astype(_np.float64, copy=False)
    hist = _np.asarray(_k.bincount(xy, wk, int(nbin.prod()))).reshape(nbin)
    hist = hist.astype(float, casting="safe")
    hist = hist[D * (slice(1, -1),)]
    if density:
        s = hist.sum()
        for i in _np.arange(D):
            shape = _np.ones(D, int)
            shape[i] = nbin[i] - 2
            hist = hist / dedges[i].reshape(shape)
        hist /= s
    return _asarray(hist), [_asarray(e) for e in edges]


def histogram2d(x, y, bins=10, range=None, density=None, weights=None):  # noqa: A002
    """Two-dimensional histogram (NumPy's histogram2d, over histogramdd)."""
    if len(x) != len(y):
        raise ValueError("x and y must have the same length.")
    try:
        N = len(bins)
    except TypeError:
        N = 1
    if N not in (1, 2):
        xedges = yedges = _np.asarray(bins)
        bins = [xedges, yedges]
    hist, edges = histogramdd([_np_view(x), _np_view(y)], bins, range, density, weights)
    return hist, edges[0], edges[1]


# ---- selection: partition, argpartition ------------------------------------------------------

def _lanes_last(a, axis):
    """`a` with `axis` moved last and the rest flattened: (lanes 2-D, shape of the moved array)."""
    moved = _moveaxis(a, axis, -1)
    n = moved.shape[-1]
    lanes = 1
    for s in moved.shape[:-1]:
        lanes *= s
    return _reshape(moved, (lanes, n)), moved.shape


def _selectable(a):
    """Booleans select as uint8 (the kernel's types); the dtype to give back."""
    if a.dtype == _np.bool_:
        return a.astype(_np.uint8), _np.dtype(_np.bool_)
    return a, None


def _partition(a, kth, axis, kind, order, arg):
    if kind != "introselect":
        raise ValueError(f"Unknown selection kind {kind!r}" if isinstance(kind, str)
                         else "kind must be a string")
    if order is not None:
        raise ValueError("Cannot specify order when the array has no fields.")
    a = _asarray(a)
    if axis is None:
        a, axis = _reshape(a, (-1,)), 0
    if a.ndim == 0:
        raise _np.exceptions.AxisError("axis -1 is out of bounds for array of dimension 0"
                                       if axis == -1 else f"axis {axis} is out of bounds for array of dimension 0")
    axis = _np.lib.array_utils.normalize_axis_index(_operator.index(axis), a.ndim)
    n = a.shape[axis]
    kth_arr = _np.asarray(kth)
    if kth_arr.dtype.kind not in "iub":
        raise TypeError("Partition index must be integer")
    if kth_arr.dtype.kind == "b":
        raise ValueError("Booleans unacceptable as partition index")
    if a.size == 0:  # NumPy does not check kth then
        return _asarray(_np.empty(a.shape, _np.intp if arg else a.dtype))
    ranks = set()
    for k in kth_arr.ravel().tolist():
        r = k + n if k < 0 else k
        if not 0 <= r < n:
            raise ValueError(f"kth(={k}) out of bounds ({n})")
        ranks.add(r)
    a, back = _selectable(a)
    lanes, moved_shape = _lanes_last(a, axis)
    result = _k.partition(lanes, sorted(ranks), arg)
    result = _moveaxis(_reshape(result, moved_shape), -1, axis)
    if back is not None and not arg:
        result = result.astype(back)
    return result


def partition(a, kth, axis=-1, kind="introselect", order=None):
    """A copy of `a` with the kth elements in sorted position (NumPy's partition, NaNs last)."""
    return _partition(a, kth, axis, kind, order, False)


def argpartition(a, kth, axis=-1, kind="introselect", order=None):
    """Indices that partition `a` (NumPy's argpartition)."""
    return _partition(a, kth, axis, kind, order, True)


def _partition_method(self, kth, axis=-1, kind="introselect", order=None):
    """a.partition(kth): partitions in place, like NumPy's ndarray.partition."""
    self[...] = _partition(self, kth, axis, kind, order, False)


def _argpartition_method(self, kth, axis=-1, kind="introselect", order=None):
    """a.argpartition(kth): NumPy's ndarray.argpartition."""
    return _partition(self, kth, axis, kind, order, True)


# Attached by numfuse/_ndarray.py.
ndarray_methods = {"partition": _partition_method, "argpartition": _argpartition_method}


# ---- order statistics: median, percentile, quantile and their nan- versions -----------------

def _reduced_lanes(a, axis):
    """(lanes 2-D with the reduced axes last, shape of the kept axes, normalized axes or None)."""
    if axis is None:
        return _reshape(a, (1, -1)), (), None
    axes = _np.lib.array_utils.normalize_axis_tuple(axis, a.ndim)
    keep = [i for i in range(a.ndim) if i not in axes]
    moved = _transpose(a, keep + list(axes))
    kept = tuple(a.shape[i] for i in keep)
    lanes = 1
    for s in kept:
        lanes *= s
    n = 1
    for i in axes:
        n *= a.shape[i]
    return _reshape(moved, (lanes, n)), kept, axes


def _finish(result, kept_ndim, a_ndim, axes, keepdims, out, lead=()):
    """keepdims and out= as NumPy's _ureduce applies them; result shape lead + kept."""
    result = _np.asarray(result) if not isinstance(result, _np.generic) else result
    if keepdims:
        if axes is None:
            shape = tuple(lead) + (1,) * a_ndim
        else:
            it = iter(_np.shape(result)[len(lead):])
            shape = tuple(lead) + tuple(1 if i in axes else next(it) for i in range(a_ndim))
        result = _np.reshape(result, shape)
    if out is not None:
        out[...] = result
        return out
    if isinstance(result, _np.ndarray):
        return _asarray(result) if keepdims else _out(result)  # keepdims: 0-d stays an array
    return result


def _order_values(lanes, ranks, skip_nan, dtype):
    """Values of the given ranks in each lane, in `dtype` (booleans are selected as uint8)."""
    values, nans = _k.order_statistics(lanes, _asarray(_np.ascontiguousarray(ranks, _np.int64)), skip_nan)
    return _np.asarray(values).astype(dtype, copy=False), _np.asarray(nans)


def _numpy_answer(name, a, *args, **kwargs):
    """NumPy's own answer, as numfuse values: for empty input (NaN and its warning, or its error),
    complex medians and weighted quantiles (which need NumPy's full sort)."""
    out = kwargs.get("out")
    result = getattr(_np, name)(_np_view(a), *args, **kwargs)
    return out if out is not None else _out(_np.asarray(result)) if not isinstance(result, _np.generic) else result


def _check_keepdims(keepdims):
    return False if keepdims is _np._NoValue else keepdims


def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """Median along the axes (NumPy's median), by selection."""
    return _median(a, axis, out, keepdims, skip_nan=False)


def nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=_np._NoValue):
    """Median ignoring NaNs (NumPy's nanmedian), by selection."""
    return _median(a, axis, out, _check_keepdims(keepdims), skip_nan=True)


def _median(a, axis, out, keepdims, skip_nan):
    a = _asarray(a)
    name = "nanmedian" if skip_nan else "median"
    if a.dtype.kind == "c":
        return _numpy_answer(name, a, axis=axis, out=out, keepdims=keepdims)
    lanes, kept, axes = _reduced_lanes(a, axis)
    if lanes.size == 0:
        return _numpy_answer(name, a, axis=axis, out=out, keepdims=keepdims)
    lanes, _ = _selectable(lanes)
    n = lanes.shape[1]
    floating = a.dtype.kind == "f"
    if skip_nan and floating:
        valid = n - _nan_counts(lanes)
    else:
        valid = _np.full(lanes.shape[0], n, _np.int64)
    all_nan = valid == 0
    v = _np.where(all_nan, 1, valid)
    lo, hi = (v - 1) // 2, v // 2
    values, nans = _order_values(lanes, _np.stack([lo, hi], axis=1), skip_nan and floating, a.dtype)
    pair = values.T  # (2, lanes): the middle value(s) of each lane
    odd = (v % 2) == 1
    if odd.all():
        result = _np.mean(pair[:1], axis=0)
    elif not odd.any():
        result = _np.mean(pair, axis=0)
    else:
        result = _np.where(odd, _np.mean(pair[:1], axis=0), _np.mean(pair, axis=0))
    if floating:
        bad = all_nan if skip_nan else nans > 0
        if bad.any():
            result[bad] = _np.nan
            if skip_nan:
                _warnings.warn("All-NaN slice encountered", RuntimeWarning, stacklevel=3)
    result = result.reshape(kept)
    return _finish(result, len(kept), a.ndim, axes, keepdims, out)


def _nan_counts(lanes):
    """NaNs in each lane (int64, one per row), fused into one pass by the lazy engine."""
    from ._reductions import sum as nf_sum
    from ._ufuncs import isnan
    return _np.atleast_1d(_np.asarray(nf_sum(isnan(lanes), axis=-1))).astype(_np.int64)


def _lerp_weak(prev, nxt, gamma):
    """NumPy's _lerp with a Python-float weight (weak promotion), for a weight per lane."""
    res = _np.result_type(prev.dtype, 0.5)
    t, omt = gamma.astype(res), (1 - gamma).astype(res)
    diff = nxt - prev
    return _np.where(gamma >= 0.5, nxt - diff * omt, prev + diff * t).astype(res, copy=False)


def _quantile_values(lanes, a_dtype, q, method, weak_q, skip_nan):
    """Quantiles q (NumPy array, any shape) of each lane: array of shape q.shape + (lanes,)."""
    try:
        props = _fb._QuantileMethods[method]
    except KeyError:
        raise ValueError(f"{method!r} is not a valid method. Use one of: "
                         f"{_fb._QuantileMethods.keys()}") from None
    L, n = lanes.shape
    floating = a_dtype.kind == "f"
    per_lane = skip_nan and floating
    if per_lane:
        valid = (n - _nan_counts(lanes)).astype(_np.intp)
        all_nan = valid == 0
        count = _np.where(all_nan, 1, valid).reshape((1,) * q.ndim + (L,))
        qq = q.reshape(q.shape + (1,))
    else:
        count, qq, all_nan = n, q, None
    # NumPy computes a lane's virtual indices with its count as a Python int (weak): in q's float
    # type when q is a float array (float32 q, float32 indices)
    vcount = count.astype(qq.dtype) if per_lane and qq.dtype.kind == "f" else count
    vi = _np.asanyarray(props["get_virtual_index"](vcount, qq))
    if props["fix_gamma"] is None:
        supports_integers = True
    else:
        supports_integers = method == "linear" and _np.issubdtype(vi.dtype, _np.integer)
    last = count - 1
    if supports_integers:
        idx = _np.where(vi < 0, vi + count, vi)
        ranks = _np.broadcast_to(idx, _np.broadcast_shapes(idx.shape, (1,) * q.ndim + ((L,) if per_lane else ())))
        flat = ranks.reshape(-1, L).T if per_lane else ranks.reshape(1, -1)
        values, nans = _order_values(lanes, flat, per_lane, a_dtype)
        result = values.T.reshape(q.shape + (L,))
    else:
        prev, nxt = _fb._get_indexes(_np.empty(0, a_dtype), vi, count)
        prev = _np.where(prev < 0, prev + count, prev)
        nxt = _np.where(nxt < 0, nxt + count, nxt)
        k = prev.size // (L if per_lane else 1)
        if per_lane:
            both = _np.concatenate([prev.reshape(-1, L), nxt.reshape(-1, L)]).T
        else:
            both = _np.concatenate([prev.ravel(), nxt.ravel()]).reshape(1, -1)
        values, nans = _order_values(lanes, both, per_lane, a_dtype)
        lo = values[:, :k].T.reshape(q.shape + (L,))
        hi = values[:, k:].T.reshape(q.shape + (L,))
        gamma = _fb._get_gamma(vi, prev, props)
        if weak_q and not per_lane:
            result = _fb._lerp(lo, hi, float(gamma))
        elif weak_q:
            result = _lerp_weak(lo, hi, _np.asarray(gamma).reshape(q.shape + (L,)))
        else:
            gamma = _np.asarray(gamma).reshape(q.shape + ((L,) if per_lane else (1,)))
            result = _fb._lerp(lo, hi, gamma)
    result = _np.asarray(result)
    if floating:
        bad = all_nan if per_lane else nans > 0
        if bad.any():
            if result.dtype.kind != "f":
                result = result.astype(a_dtype)
            result[..., bad] = _np.nan
            if per_lane:
                _warnings.warn("All-NaN slice encountered", RuntimeWarning, stacklevel=4)
                if bad[0]:
                    # NumPy answers an all-NaN lane with NaN of the input's dtype, and its
                    # apply_along_axis gives every lane the dtype of the first lane's answer
                    result = result.astype(a_dtype)
    return result


def _quantile(name, a, q, axis, out, method, keepdims, weights, as_percent):
    a = _asarray(a)
    if a.dtype.kind == "c":
        raise TypeError("a must be an array of real numbers")
    if weights is not None or a.size == 0:
        # Weighted quantiles need the full sort NumPy does; empty input has NumPy's own outcome.
        kw = {} if weights is None else {"weights": _np_view(weights)}
        return _numpy_answer(name, a, q, axis=axis, out=out, method=method, keepdims=keepdims, **kw)
    weak_q = type(q) in (int, float)
    if as_percent:
        q = _np.true_divide(q, 100)
        q = _np.asanyarray(q)
        if not _fb._quantile_is_valid(q):
            raise ValueError("Percentiles must be in the range [0, 100]")
    else:
        q = _np.asanyarray(q)
        if not _fb._quantile_is_valid(q):
            raise ValueError("Quantiles must be in the range [0, 1]")
    if q.ndim > 2:
        raise ValueError("q must be a scalar or 1d")
    lanes, kept, axes = _reduced_lanes(a, axis)
    lanes, _ = _selectable(lanes)
    result = _quantile_values(lanes, a.dtype, q, method, weak_q, name.startswith("nan"))
    result = result.reshape(q.shape + kept)
    return _finish(result, len(kept), a.ndim, axes, keepdims, out, lead=q.shape)


def quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *, weights=None):
    """q-th quantiles (NumPy's quantile, every method), by selection."""
    return _quantile("quantile", a, q, axis, out, method, keepdims, weights, False)


def percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *,
               weights=None):
    """q-th percentiles (NumPy's percentile, every method), by selection."""
    return _quantile("percentile", a, q, axis, out, method, keepdims, weights, True)


def nanquantile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=_np._NoValue, *,
                weights=None):
    """q-th quantiles ignoring NaNs (NumPy's nanquantile), by selection."""
    return _quantile("nanquantile", a, q, axis, out, method, _check_keepdims(keepdims), weights, False)


def nanpercentile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=_np._NoValue, *,
                  weights=None):
    """q-th percentiles ignoring NaNs (NumPy's nanpercentile), by selection."""
    return _quantile("nanpercentile", a, q, axis, out, method, _check_keepdims(keepdims), weights, True)


# ---- group-by --------------------------------------------------------------------------------

_GROUP_OPS = ("sum", "mean", "min", "max", "count", "var")


def groupby_reduce(keys, values, op="sum", *, ddof=1):
    """One reduction of `values` per distinct key: (sorted distinct keys, reduced values).

    The result of pandas' ``Series(values).groupby(keys).<op>()`` (beyond NumPy): NaN values are
    skipped, NaN keys dropped, var uses ``ddof`` (pandas' default 1). `values` may be a lazy
    numfuse expression. Result dtypes are pandas': sum the values' dtype when every sum fits it
    (else int64/uint64; int64 for bool), mean/var float64 (float32 for float32), count int64,
    min/max the values' dtype; keys keep their dtype.
    """
    if op not in _GROUP_OPS:
        raise ValueError(f"groupby_reduce: op must be one of {_GROUP_OPS}, not {op!r}")
    keys = _asarray(keys)
    values = _asarray(values)
    if keys.ndim != 1 or values.ndim != 1:
        raise ValueError("groupby_reduce: keys and values must be 1-D")
    if keys.shape[0] != values.shape[0]:
        raise ValueError(f"groupby_reduce: keys and values differ in length "
                         f"({keys.shape[0]} != {values.shape[0]})")
    kd = _np.dtype(keys.dtype)
    if kd.kind == "c" or values.dtype.kind == "c":
        raise TypeError("groupby_reduce: complex keys or values are not supported")
    if kd.kind == "u" and kd.itemsize == 8 and keys.size and int(keys.max()) > _np.iinfo(_np.int64).max:
        raise OverflowError("groupby_reduce: uint64 keys above the int64 range")
    native_keys = keys.astype(_np.float64 if kd.kind == "f" else _np.int64, copy=False)
    out_keys, out_values = _k.groupby_reduce(native_keys, values, op, float(ddof))
    return out_keys.astype(kd, copy=False), out_values.astype(_group_dtype(op, values.dtype, out_values), copy=False)


def _group_dtype(op, dtype, sums):
    """pandas' result dtype. The kernel sums integers in 64 bits; pandas gives them back in the
    values' dtype when every sum fits it, else in the 64-bit type."""
    dtype = _np.dtype(dtype)
    if op == "count":
        return _np.dtype(_np.int64)
    if op == "sum":
        if dtype.kind == "b":
            return _np.dtype(_np.int64)
        if dtype.kind in "iu" and sums.size:
            info = _np.iinfo(dtype)
            if int(sums.min()) < info.min or int(sums.max()) > info.max:
                return _np.dtype(sums.dtype)
        return dtype
    if op in ("mean", "var"):
        return dtype if dtype == _np.float32 else _np.dtype(_np.float64)
    return dtype
