"""bincount, histogram, histogram_bin_edges, histogram2d, histogramdd against NumPy.

Counts are compared exactly. Weighted equal-bin histograms are exact too (the kernel adds per
65536-value block, in NumPy's order). Weighted bincount and weighted histograms over array bins
sum in another order than NumPy (per-chunk partials; NumPy: one running sum, or differences of
a cumulative sum) and are compared with a tight rtol.
"""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import numfuse as nf

SETTINGS = settings(max_examples=50, deadline=None)
INT_DTYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.bool_]


def same(result, expected, exact=True):
    r = np.asarray(result)
    assert r.dtype == expected.dtype, (r.dtype, expected.dtype)
    assert r.shape == expected.shape
    if exact:
        np.testing.assert_array_equal(r, expected)
    else:
        np.testing.assert_allclose(r, expected, rtol=1e-12, atol=1e-12)


def same_error(f_nf, f_np):
    with pytest.raises(Exception) as expected:
        f_np()
    with pytest.raises(type(expected.value)):
        f_nf()


# ---- bincount ---------------------------------------------------------------------------------

@SETTINGS
@given(data=st.data(), dtype=st.sampled_from(INT_DTYPES), n=st.integers(0, 300),
       minlength=st.integers(0, 40), weighted=st.booleans())
def test_bincount_matches_numpy(data, dtype, n, minlength, weighted):
    hi = 1 if dtype == np.bool_ else min(60, np.iinfo(dtype).max)
    x = data.draw(hnp.arrays(dtype, n, elements=st.integers(0, hi)))
    w = np.random.default_rng(n).normal(size=n) if weighted else None
    same(nf.bincount(x, w, minlength=minlength), np.bincount(x, w, minlength=minlength), exact=not weighted)


def test_bincount_large_threaded_and_strided():
    rng = np.random.default_rng(1)
    x = rng.integers(0, 1000, 600_001)
    w = rng.random(600_001)
    same(nf.bincount(nf.asarray(x)[::3]), np.bincount(x[::3]))
    same(nf.bincount(x), np.bincount(x))
    same(nf.bincount(x, w), np.bincount(x, w), exact=False)
    same(nf.bincount(x, w.astype(np.float32)), np.bincount(x, w.astype(np.float32)), exact=False)
    sparse = np.array([3, 5_000_000, 3])  # past the grown tables' limit: the two-pass path
    same(nf.bincount(sparse), np.bincount(sparse))
    same(nf.bincount(sparse, [0.5, 1.0, 2.0], minlength=7), np.bincount(sparse, [0.5, 1.0, 2.0], minlength=7))
    same_error(lambda: nf.bincount(np.array([5_000_000, -1])), lambda: np.bincount(np.array([5_000_000, -1])))
    lazy = nf.asarray(x) % 7  # a pending expression is computed first
    same(nf.bincount(lazy, minlength=10), np.bincount(x % 7, minlength=10))


def test_bincount_errors():
    same_error(lambda: nf.bincount([1, -1]), lambda: np.bincount([1, -1]))
    same_error(lambda: nf.bincount(np.array([1.0, 2.0])), lambda: np.bincount(np.array([1.0, 2.0])))
    same_error(lambda: nf.bincount(np.ones((2, 2), int)), lambda: np.bincount(np.ones((2, 2), int)))
    same_error(lambda: nf.bincount(np.int64(3)), lambda: np.bincount(np.int64(3)))
    same_error(lambda: nf.bincount([1, 2], [1.0]), lambda: np.bincount([1, 2], [1.0]))
    same_error(lambda: nf.bincount([1, 2], minlength=-1), lambda: np.bincount([1, 2], minlength=-1))
    big = np.array([2**63 + 5], np.uint64)  # NumPy takes uint64; past int64 it reads as negative
    same_error(lambda: nf.bincount(big), lambda: np.bincount(big))
    same(nf.bincount(np.array([1, 3], np.uint64)), np.bincount(np.array([1, 3], np.uint64)))
    same_error(lambda: nf.bincount(np.array([1 + 0j])), lambda: np.bincount(np.array([1 + 0j])))
    same(nf.bincount([]), np.bincount([]))
    same(nf.bincount([], minlength=3), np.bincount([], minlength=3))


# ---- histogram --------------------------------------------------------------------------------

finite = st.floats(-1e6, 1e6, allow_nan=False, width=64)


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # density, no counts
@SETTINGS
@given(data=st.data(), dtype=st.sampled_from([np.float64, np.float32, np.int64, np.int16, np.uint8]),
       n=st.integers(1, 200), bins=st.integers(1, 40), weighted=st.booleans(), density=st.booleans(),
       use_range=st.booleans())
def test_histogram_equal_bins(data, dtype, n, bins, weighted, density, use_range):
    if np.dtype(dtype).kind == "f":
        elements = st.floats(-1e3, 1e3, allow_nan=False, width=np.dtype(dtype).itemsize * 8)
    else:
        info = np.iinfo(dtype)
        elements = st.integers(max(info.min, -1000), min(info.max, 1000))
    a = data.draw(hnp.arrays(dtype, n, elements=elements))
    rng = None
    if use_range:
        lo = data.draw(st.floats(-1e3, 1e3))
        rng = (lo, lo + data.draw(st.floats(0.5, 1e3)))
    w = np.random.default_rng(n).random(n) if weighted else None
    h, e = nf.histogram(a, bins, range=rng, weights=w, density=density)
    h0, e0 = np.histogram(a, bins, range=rng, weights=w, density=density)
    same(e, e0)
    same(h, h0, exact=not density)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_histogram_values_on_and_near_edges(dtype):
    # Every edge, and the neighbours one ulp either side: NumPy's index formula is off by one
    # near some edges and corrected against them; the corrections must match.
    for first, last, bins in [(0.0, 1.0, 10), (-3.3, 7.1, 37), (0.1, 0.7, 3), (1e-3, 1e3, 97)]:
        edges = np.linspace(first, last, bins + 1, dtype=dtype)
        a = np.concatenate([edges, np.nextafter(edges, dtype(np.inf)), np.nextafter(edges, dtype(-np.inf))])
        for rng in [None, (first, last), (dtype(first), dtype(last))]:
            h, e = nf.histogram(a, bins, range=rng)
            h0, e0 = np.histogram(a, bins, range=rng)
            same(e, e0)
            same(h, h0)


def test_histogram_large_threaded_exact_weights():
    rng = np.random.default_rng(2)
    a = rng.normal(size=700_001)
    w = rng.random(700_001)
    for arr in (a, a.astype(np.float32), (a * 100).astype(np.int64)):
        same(nf.histogram(arr, 100)[0], np.histogram(arr, 100)[0])
        same(nf.histogram(arr, 100, weights=w)[0], np.histogram(arr, 100, weights=w)[0])
        same(nf.histogram(arr, 57, range=(-1, 2), weights=w)[0], np.histogram(arr, 57, range=(-1, 2), weights=w)[0])
    strided = nf.asarray(a)[::5]
    same(nf.histogram(strided, 33)[0], np.histogram(a[::5], 33)[0])
    lazy = nf.asarray(a) * 2.0 + 1.0
    same(nf.histogram(lazy, 20)[0], np.histogram(a * 2.0 + 1.0, 20)[0])


@SETTINGS
@given(data=st.data(), n=st.integers(0, 150), weighted=st.booleans())
def test_histogram_array_bins(data, n, weighted):
    a = data.draw(hnp.arrays(np.float64, n, elements=st.floats(-10, 10)))
    edges = data.draw(hnp.arrays(np.float64, st.integers(2, 12), elements=st.floats(-12, 12)))
    edges = np.sort(np.concatenate([edges, a[:2]]))  # some data exactly on edges
    w = np.random.default_rng(n).random(n) if weighted else None
    h, e = nf.histogram(a, edges, weights=w)
    h0, e0 = np.histogram(a, edges, weights=w)
    same(e, e0)
    same(h, h0, exact=not weighted)
    ints = np.round(a).astype(np.int32)
    same(nf.histogram(ints, [-5, -1, 0, 0, 3, 9])[0], np.histogram(ints, [-5, -1, 0, 0, 3, 9])[0])


@pytest.mark.parametrize("rule", ["auto", "fd", "doane", "scott", "stone", "rice", "sturges", "sqrt"])
def test_histogram_bin_rules(rule):
    a = np.random.default_rng(3).gamma(2.0, size=5000)
    h, e = nf.histogram(a, rule)
    h0, e0 = np.histogram(a, rule)
    same(e, e0)
    same(h, h0)
    same(nf.histogram_bin_edges(a, rule, range=(0.5, 4)), np.histogram_bin_edges(a, rule, range=(0.5, 4)))


def test_histogram_special_inputs():
    with pytest.warns(RuntimeWarning):
        h, e = nf.histogram(np.array([True, False, True]), 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        h0, e0 = np.histogram(np.array([True, False, True]), 3)
    same(h, h0)
    same(e, e0)
    same(nf.histogram([])[0], np.histogram([])[0])
    same(nf.histogram([5.0, 5.0])[1], np.histogram([5.0, 5.0])[1])
    nan = np.array([1.0, np.nan, 2.0])
    same(nf.histogram(nan, 4, range=(0, 3))[0], np.histogram(nan, 4, range=(0, 3))[0])
    cw = np.array([1 + 2j, 3 - 1j, 0.5j])
    same(nf.histogram([0.1, 0.5, 0.9], 2, weights=cw)[0], np.histogram([0.1, 0.5, 0.9], 2, weights=cw)[0])
    iw = np.array([3, 4, 5])
    same(nf.histogram([0.1, 0.5, 0.9], 2, weights=iw)[0], np.histogram([0.1, 0.5, 0.9], 2, weights=iw)[0])


def test_histogram_errors():
    cases = [
        dict(a=[1.0, np.nan]), dict(a=[1.0, np.inf]), dict(a=[1.0], bins=0), dict(a=[1.0], bins=-2),
        dict(a=[1.0], bins=2.5), dict(a=[1.0], bins=[[1, 2]]), dict(a=[1.0], bins=[3, 1]),
        dict(a=[1.0], range=(2, 1)), dict(a=[1.0], range=(0, np.inf)), dict(a=[1.0], bins="nope"),
        dict(a=[1.0, 2.0], bins="auto", weights=[1, 1]), dict(a=[1.0, 2.0], weights=[1.0]),
    ]
    for kw in cases:
        same_error(lambda: nf.histogram(**kw), lambda: np.histogram(**kw))


# ---- histogram2d / histogramdd ---------------------------------------------------------------

@SETTINGS
@given(data=st.data(), n=st.integers(1, 120), d=st.integers(1, 3), bins=st.integers(1, 8),
       weighted=st.booleans(), density=st.booleans())
def test_histogramdd_matches_numpy(data, n, d, bins, weighted, density):
    sample = data.draw(hnp.arrays(np.float64, (n, d), elements=st.floats(-100, 100)))
    w = np.random.default_rng(n).random(n) if weighted else None
    h, edges = nf.histogramdd(sample, bins=bins, weights=w, density=density)
    h0, edges0 = np.histogramdd(sample, bins=bins, weights=w, density=density)
    same(h, h0, exact=not (weighted or density))
    for e, e0 in zip(edges, edges0):
        same(e, e0)


def test_histogram2d_matches_numpy():
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=300_000), rng.normal(size=300_000)
    for bins in (10, [5, 7], [np.linspace(-3, 3, 9), 4], np.linspace(-2, 2, 6)):
        H, xe, ye = nf.histogram2d(x, y, bins=bins)
        H0, xe0, ye0 = np.histogram2d(x, y, bins=bins)
        same(H, H0)
        same(xe, xe0)
        same(ye, ye0)
    H, xe, ye = nf.histogram2d(x, y, bins=6, range=[[-1, 1], [0, 2]], weights=x * y, density=True)
    H0, xe0, ye0 = np.histogram2d(x, y, bins=6, range=[[-1, 1], [0, 2]], weights=x * y, density=True)
    same(H, H0, exact=False)
    same_error(lambda: nf.histogram2d(x, y[:-1]), lambda: np.histogram2d(x, y[:-1]))
    same_error(lambda: nf.histogramdd(np.ones((3, 2)), bins=[2, 3, 4]), lambda: np.histogramdd(np.ones((3, 2)), bins=[2, 3, 4]))
