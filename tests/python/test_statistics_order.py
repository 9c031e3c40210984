"""partition/argpartition and the order statistics (median, percentile, quantile, nan- versions)
against NumPy. Selection is exact and the interpolation is NumPy's formula on the selected
values, so values are compared exactly (NaN == NaN), with dtypes and shapes.
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import numfuse as nf
from statistics_cases import both, check, same

SETTINGS = settings(max_examples=50, deadline=None)
METHODS = ["linear", "lower", "higher", "nearest", "midpoint", "inverted_cdf", "averaged_inverted_cdf",
           "closest_observation", "interpolated_inverted_cdf", "hazen", "weibull", "median_unbiased",
           "normal_unbiased"]
DTYPES = [np.float64, np.float32, np.int64, np.int16, np.uint8]


def elements(dtype, nan):
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        # few distinct values: ties are common
        return st.sampled_from([-2.5, -1.0, 0.0, 0.5, 3.0, 7.25, 1e3] + ([np.nan] if nan else []))
    if dtype.kind == "b":
        return st.booleans()
    info = np.iinfo(dtype)
    return st.integers(max(info.min, -50), min(info.max, 50))


@st.composite
def arrays(draw, min_dims=1, nan=True, dtypes=DTYPES):
    dtype = draw(st.sampled_from(dtypes))
    shape = draw(hnp.array_shapes(min_dims=min_dims, max_dims=3, min_side=0, max_side=6))
    a = draw(hnp.arrays(dtype, shape, elements=elements(dtype, nan)))
    if draw(st.booleans()) and a.ndim >= 1 and a.shape[-1] > 1:
        a = a[..., ::2]  # strided view
    return a


@st.composite
def axes(draw, ndim):
    if ndim == 0:
        return None
    kind = draw(st.sampled_from(["none", "int", "tuple"]))
    if kind == "none":
        return None
    if kind == "int":
        return draw(st.integers(-ndim, ndim - 1))
    return tuple(draw(st.sets(st.integers(0, ndim - 1), min_size=1, max_size=ndim)))


# ---- partition, argpartition -------------------------------------------------------------------

def check_partitioned(p, a_sorted, ranks, axis):
    p = np.moveaxis(np.asarray(p), axis, -1)
    s = np.moveaxis(a_sorted, axis, -1)
    for r in ranks:
        np.testing.assert_array_equal(p[..., r], s[..., r])
        key = np.where(np.isnan(p), np.inf, p) if p.dtype.kind == "f" else p
        pivot = key[..., r:r + 1]
        assert (key[..., :r] <= pivot).all() and (key[..., r + 1:] >= pivot).all()


@SETTINGS
@given(data=st.data(), a=arrays(dtypes=DTYPES + [np.bool_]))
def test_partition_and_argpartition(data, a):
    axis = data.draw(st.integers(-a.ndim, a.ndim - 1))
    n = a.shape[axis]
    if a.size == 0:  # NumPy does not look at kth then
        same(nf.partition(a, 3, axis=axis), np.partition(a, 3, axis=axis))
        same(nf.argpartition(a, 3, axis=axis), np.argpartition(a, 3, axis=axis))
        return
    kth = data.draw(st.one_of(st.integers(-n, n - 1), st.lists(st.integers(-n, n - 1), min_size=1, max_size=3)))
    ranks = [k % n for k in np.atleast_1d(kth)]
    p = nf.partition(a, kth, axis=axis)
    assert np.asarray(p).dtype == a.dtype
    check_partitioned(p, np.sort(a, axis=axis), ranks, axis)
    idx = np.asarray(nf.argpartition(a, kth, axis=axis))
    assert idx.dtype == np.intp
    np.testing.assert_array_equal(np.sort(idx, axis=axis), np.sort(np.argsort(a, axis=axis), axis=axis))
    check_partitioned(np.take_along_axis(a, idx, axis=axis), np.sort(a, axis=axis), ranks, axis)


def test_partition_methods():
    a = np.array([[3.0, np.nan, 1.0, 2.0], [0.5, -1.0, 7.0, 7.0]])
    ours = nf.asarray(a.copy())
    assert ours.partition(1, axis=1) is None  # in place, as ndarray.partition
    check_partitioned(ours, np.sort(a, axis=1), [1], 1)
    idx = np.asarray(nf.asarray(a).argpartition([0, -1], axis=0))
    check_partitioned(np.take_along_axis(a, idx, axis=0), np.sort(a, axis=0), [0, 1], 0)


def test_partition_axis_none_large_and_errors():
    rng = np.random.default_rng(5)
    a = rng.integers(0, 100, (300, 700)).astype(np.float64)
    a[rng.random(a.shape) < 0.01] = np.nan
    check_partitioned(nf.partition(a, [0, 50, 699], axis=1), np.sort(a, axis=1), [0, 50, 699], 1)
    flat = nf.partition(a, 1000, axis=None)
    check_partitioned(flat, np.sort(a, axis=None), [1000], 0)
    for kw in [dict(kth=700), dict(kth=-701), dict(kth=1.5), dict(kth=0, kind="quick"), dict(kth=0, axis=2),
               dict(kth=0, order="x")]:
        result, expected = both(lambda: nf.partition(a, **kw), lambda: np.partition(a, **kw))
        assert expected is None, kw  # each of these raises
    both(lambda: nf.partition(np.float64(3), 0), lambda: np.partition(np.float64(3), 0))


# ---- median, percentile, quantile --------------------------------------------------------------

@SETTINGS
@given(data=st.data(), a=arrays(min_dims=0, dtypes=DTYPES + [np.bool_]), keepdims=st.booleans())
def test_median_and_nanmedian(data, a, keepdims):
    axis = data.draw(axes(a.ndim))
    for name in ("median", "nanmedian"):
        result, expected = both(lambda: getattr(nf, name)(a, axis=axis, keepdims=keepdims),
                                lambda: getattr(np, name)(a, axis=axis, keepdims=keepdims))
        if expected is not None:
            same(result, expected)


@SETTINGS
@given(data=st.data(), a=arrays(), method=st.sampled_from(METHODS), keepdims=st.booleans())
def test_quantile_percentile_every_method(data, a, method, keepdims):
    axis = data.draw(axes(a.ndim))
    q = data.draw(st.one_of(st.floats(0, 1), st.lists(st.floats(0, 1), min_size=1, max_size=3),
                            st.sampled_from([0, 1, [0, 1], np.float32(0.25)])))
    for name, scale in (("quantile", 1), ("nanquantile", 1), ("percentile", 100), ("nanpercentile", 100)):
        qq = q * scale if isinstance(q, (float, int, np.floating)) else [x * scale for x in q]
        result, expected = both(lambda: getattr(nf, name)(a, qq, axis=axis, method=method, keepdims=keepdims),
                                lambda: getattr(np, name)(a, qq, axis=axis, method=method, keepdims=keepdims))
        if expected is not None:
            same(result, expected)


def test_order_statistics_long_lanes_threaded():
    # Lanes past the sampled-band threshold (131072): ties, NaNs, every rank near the ends.
    rng = np.random.default_rng(6)
    for a in (rng.normal(size=400_001), rng.integers(0, 7, 400_000).astype(np.int32),
              np.full(300_000, 2.5), rng.random(300_000).astype(np.float32)):
        same(nf.median(a), np.median(a))
        for q in ([0, 0.5, 1], [1e-7, 0.25, 0.75, 1 - 1e-7], 0.3):
            for method in ("linear", "nearest", "inverted_cdf", "hazen"):
                same(nf.quantile(a, q, method=method), np.quantile(a, q, method=method))
        same(nf.percentile(a, [5, 50, 95]), np.percentile(a, [5, 50, 95]))
        # ranks near both ends (band edges do not grow with the rank there), up to 8 bands and
        # past them (the copy path)
        for q in (np.linspace(0, 1, 8) ** 7, 1 - np.linspace(0, 1, 8) ** 7, np.linspace(0, 1, 21)):
            same(nf.quantile(a, q), np.quantile(a, q))
        b = a.astype(np.float64)
        b[rng.random(b.size) < 0.1] = np.nan
        same(nf.median(b), np.median(b))
        same(nf.nanmedian(b), np.nanmedian(b))
        same(nf.nanpercentile(b, [1, 50, 99]), np.nanpercentile(b, [1, 50, 99]))
    two = rng.normal(size=(3, 200_000))
    same(nf.median(two, axis=1), np.median(two, axis=1))
    same(nf.quantile(two, [0.1, 0.9], axis=0), np.quantile(two, [0.1, 0.9], axis=0))
    lazy = nf.asarray(two) * 3.0 - 1.0
    same(nf.median(lazy, axis=1), np.median(two * 3.0 - 1.0, axis=1))


def test_order_statistics_out_empty_and_errors():
    a = np.arange(24.0).reshape(2, 3, 4)
    out = nf.empty((3,))
    assert nf.median(a, axis=(0, 2), out=out) is out
    same(out, np.median(a, axis=(0, 2)))
    out = np.empty((2, 2, 1, 4))
    nf.percentile(a, [10, 90], axis=1, keepdims=True, out=out)
    same(out, np.percentile(a, [10, 90], axis=1, keepdims=True))
    for f in ("median", "nanmedian"):
        same(*both(lambda: getattr(nf, f)(np.array([])), lambda: getattr(np, f)(np.array([]))))
        same(*both(lambda: getattr(nf, f)(np.empty((0, 3)), axis=0), lambda: getattr(np, f)(np.empty((0, 3)), axis=0)))
    same(*both(lambda: nf.nanmedian([np.nan, np.nan]), lambda: np.nanmedian([np.nan, np.nan])))
    same(*both(lambda: nf.nanquantile([[np.nan], [1.0]], 0.5, axis=1), lambda: np.nanquantile([[np.nan], [1.0]], 0.5, axis=1)))
    for call in [lambda m: m.quantile(a, 1.5), lambda m: m.percentile(a, -1), lambda m: m.quantile(a, 0.5, method="x"),
                 lambda m: m.quantile(a + 1j, 0.5), lambda m: m.median(a, axis=3), lambda m: m.quantile(a, [[[0.5]]]),
                 lambda m: m.quantile(a, 0.5, weights=np.ones_like(a)), lambda m: m.quantile(np.array([]), 0.5),
                 lambda m: m.percentile([True, False], 50)]:
        both(lambda: call(nf), lambda: call(np))
    w = np.arange(1.0, 25.0).reshape(a.shape)
    same(*both(lambda: nf.quantile(a, [0.2, 0.6], axis=1, method="inverted_cdf", weights=w),
               lambda: np.quantile(a, [0.2, 0.6], axis=1, method="inverted_cdf", weights=w)))


@pytest.mark.parametrize("name,q", [("nanquantile", np.float32(0.25)), ("nanpercentile", np.float32(25)),
                                    ("nanquantile", np.array([0.1, 0.9], np.float32)), ("nanpercentile", [0, 100])])
@pytest.mark.parametrize("a", [np.array([-2.5], np.float32), np.array([[1, np.nan, 3], [np.nan, np.nan, np.nan]], np.float32)],
                         ids=["one", "nan-lanes"])
def test_nan_quantiles_of_float32_take_numpys_dtype(name, q, a):
    # found by hypothesis: a float32 q (or an all-NaN first lane) keeps NumPy's result dtype
    for axis in (None, 1):
        result, expected = both(lambda: getattr(nf, name)(a, q, axis=axis), lambda: getattr(np, name)(a, q, axis=axis))
        same(result, expected)
