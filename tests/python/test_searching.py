"""searchsorted, digitize, argwhere, nanargmax/nanargmin against NumPy: values, dtypes, NaN
order, sorter=, the many-queries (sorted, galloping) path, errors."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import numfuse as nf
from sorting_cases import DTYPES, REAL_DTYPES, array_pairs, assert_same, raises_like

SIDES = st.sampled_from(["left", "right"])


@settings(max_examples=60, deadline=None)
@given(array_pairs(min_dims=1, max_dims=1, max_side=20), array_pairs(max_dims=2, max_side=12), SIDES,
       st.booleans())
def test_searchsorted_matches_numpy(sorted_pair, query_pair, side, use_sorter):
    (a, _), (v, w) = sorted_pair, query_pair
    if use_sorter:
        sorter = np.argsort(a, kind="stable")
        expected = np.searchsorted(a, v, side=side, sorter=sorter)
        ours = nf.searchsorted(nf.asarray(a), w, side=side, sorter=nf.asarray(sorter))
    else:
        a = np.sort(a)
        expected = np.searchsorted(a, v, side=side)
        ours = nf.searchsorted(nf.asarray(a), w, side=side)
    assert_same(ours, expected)
    assert type(ours) is type(expected) if np.ndim(v) == 0 else isinstance(ours, nf.ndarray)
    if not use_sorter:
        assert_same(nf.asarray(a).searchsorted(w, side), a.searchsorted(v, side))


@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.uint8, np.complex128])
@pytest.mark.parametrize("side", ["left", "right"])
def test_many_queries_take_the_sorted_path(dtype, side):
    rng = np.random.default_rng(2)
    a = np.sort(rng.integers(0, 5000, 300_000).astype(dtype))
    v = rng.integers(-10, 5010, 100_000).astype(dtype)
    if a.dtype.kind in "fc":
        a[-50:] = np.nan
        v[::13] = np.nan
    assert_same(nf.searchsorted(nf.asarray(a), nf.asarray(v), side=side), np.searchsorted(a, v, side=side))
    sorter = rng.permutation(a.size)
    shuffled = a[sorter]
    inverse = np.argsort(sorter, kind="stable")
    assert_same(nf.searchsorted(nf.asarray(shuffled), nf.asarray(v), side=side, sorter=nf.asarray(inverse)),
                np.searchsorted(shuffled, v, side=side, sorter=inverse))


@settings(max_examples=50, deadline=None)
@given(array_pairs(dtypes=REAL_DTYPES, max_dims=2, max_side=8), st.sampled_from(["inc", "dec", "const", "bad"]),
       st.booleans(), st.data())
def test_digitize_matches_numpy(pair, shape, right, data):
    x, y = pair
    bins = np.array(data.draw(st.lists(st.sampled_from([-2.0, 0.0, 1.0, 1.5, 3.0, np.inf]), min_size=0, max_size=6)))
    bins = {"inc": np.sort(bins), "dec": np.sort(bins)[::-1], "const": np.ones_like(bins), "bad": bins}[shape]
    expected, ours = raises_like(lambda: np.digitize(x, bins, right=right),
                                 lambda: nf.digitize(y, nf.asarray(bins), right=right))
    if expected is not None:
        assert_same(ours, expected)


@settings(max_examples=50, deadline=None)
@given(array_pairs())
def test_argwhere_matches_numpy(pair):
    a, x = pair
    assert_same(nf.argwhere(x), np.argwhere(a))


@settings(max_examples=60, deadline=None)
@given(array_pairs(dtypes=DTYPES), st.one_of(st.none(), st.integers(-3, 2)), st.booleans())
def test_nanargmax_nanargmin_match_numpy(pair, axis, keepdims):
    a, x = pair
    for name in ("nanargmax", "nanargmin"):
        expected, ours = raises_like(lambda: getattr(np, name)(a, axis=axis, keepdims=keepdims),
                                     lambda: getattr(nf, name)(x, axis=axis, keepdims=keepdims))
        if expected is not None:
            assert_same(ours, expected)


def test_errors_match_numpy():
    a = np.array([1.0, 2.0, 3.0])
    x = nf.asarray(a)
    for kwargs in [dict(side="x"), dict(side=3), dict(side="l"), dict(sorter=[0.0, 1.0, 2.0]),
                   dict(sorter=[0, 1]), dict(sorter=[[0, 1, 2]])]:
        raises_like(lambda: np.searchsorted(a, 2.0, **kwargs), lambda: nf.searchsorted(x, 2.0, **kwargs))
    raises_like(lambda: np.searchsorted(np.array(1.0), 2.0), lambda: nf.searchsorted(nf.asarray(1.0), 2.0))
    raises_like(lambda: np.searchsorted(np.ones((2, 2)), 2.0), lambda: nf.searchsorted(nf.ones((2, 2)), 2.0))
    with pytest.raises(ValueError):
        nf.searchsorted(x, 2.0, sorter=[0, 1, 7])  # never reads outside `a`
    raises_like(lambda: np.digitize([1j], [1, 2]), lambda: nf.digitize([1j], [1, 2]))
    raises_like(lambda: np.digitize([1], np.ones((2, 2))), lambda: nf.digitize([1], nf.ones((2, 2))))
    raises_like(lambda: np.nanargmax([np.nan, np.nan]), lambda: nf.nanargmax([np.nan, np.nan]))
    raises_like(lambda: np.nanargmin(np.zeros(0)), lambda: nf.nanargmin(nf.zeros(0)))


def test_consistent_with_argmax_and_nonzero():
    a = np.array([[0.0, 3.0, np.nan], [2.0, 0.0, 1.0]])
    x = nf.asarray(a)
    clean = np.nan_to_num(a, nan=-np.inf)
    assert_same(nf.nanargmax(x, axis=1), nf.argmax(nf.asarray(clean), axis=1))
    assert_same(nf.argwhere(x), np.stack([np.asarray(i) for i in nf.nonzero(x)], axis=1))
