"""sort, argsort, ndarray.sort/argsort, lexsort and sort_complex against NumPy: values, dtypes,
stability (NumPy's stable kind), NaN/±0 order, axes, views, errors, and inputs above the
threaded-sort threshold."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import numfuse as nf
from sorting_cases import DTYPES, array_pairs, assert_same, raises_like

AXES = st.one_of(st.none(), st.integers(-4, 3))
KINDS = st.sampled_from([None, "quicksort", "stable", "heapsort", "mergesort"])


def assert_same_signs(ours, expected):
    """Stable float sorts: -0.0 and 0.0 keep their order, so the signs match NumPy's too."""
    got, expected = np.asarray(ours), np.asarray(expected)
    if got.dtype.kind == "f":
        np.testing.assert_array_equal(np.signbit(got), np.signbit(expected))


@pytest.mark.parametrize("name", ["sort", "argsort"])
@settings(max_examples=50, deadline=None)
@given(pair=array_pairs(), axis=AXES, kind=KINDS)
def test_sort_and_argsort_give_numpys_stable_results(name, pair, axis, kind):
    a, x = pair
    expected, ours = raises_like(lambda: getattr(np, name)(a, axis=axis, kind="stable"),
                                 lambda: getattr(nf, name)(x, axis=axis, kind=kind))
    if expected is not None:
        assert isinstance(ours, nf.ndarray)
        assert_same(ours, expected)
        assert_same_signs(ours, expected)


@settings(max_examples=40, deadline=None)
@given(array_pairs(min_dims=1), st.integers(-3, 2), st.booleans())
def test_descending_keeps_equal_elements_in_order(pair, axis, stable):
    """The array API's descending sort: the reverse order, equal elements in their original
    order (array_api_compat's flip-sort-flip is the reference)."""
    a, x = pair
    if not -a.ndim <= axis < a.ndim:
        return
    ref_idx = np.flip(np.argsort(np.flip(a, axis), axis=axis, kind="stable"), axis)
    ref_idx = a.shape[axis] - 1 - ref_idx
    assert_same(nf.argsort(x, axis=axis, descending=True, stable=stable), ref_idx)
    assert_same(nf.sort(x, axis=axis, descending=True), np.take_along_axis(a, ref_idx, axis))


@settings(max_examples=40, deadline=None)
@given(array_pairs(min_dims=1), st.integers(-3, 2))
def test_ndarray_sort_in_place_and_argsort_method(pair, axis):
    a, x = pair
    expected, _ = raises_like(lambda: np.sort(a, axis=axis, kind="stable"), lambda: nf.sort(x, axis=axis))
    if expected is None:
        return
    x.sort(axis=axis)
    assert_same(x, expected)
    assert_same(nf.asarray(a).argsort(axis=axis), np.argsort(a, axis=axis, kind="stable"))


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 3), st.integers(0, 4), st.integers(0, 30), st.data())
def test_lexsort_matches_numpy(nkeys, side, n, data):
    dtypes = data.draw(st.lists(st.sampled_from(DTYPES), min_size=nkeys, max_size=nkeys))
    keys = [np.array(data.draw(st.lists(st.sampled_from([0, 1, 2, -1]), min_size=n * max(side, 1),
                                        max_size=n * max(side, 1)))).astype(dt)
            for dt in dtypes]
    if side:
        keys = [k.reshape(side, n) for k in keys]
    axis = data.draw(st.integers(-1, keys[0].ndim - 1))
    assert_same(nf.lexsort([nf.asarray(k) for k in keys], axis=axis), np.lexsort(keys, axis=axis))
    assert_same(nf.lexsort(tuple(keys), axis=axis), np.lexsort(tuple(keys), axis=axis))


@pytest.mark.parametrize("dtype", [np.int8, np.uint16, np.int32, np.float32, np.float64, np.complex64])
def test_sort_complex_result_dtype(dtype):
    a = np.array([3, 1, 2, 0], dtype=dtype)
    assert_same(nf.sort_complex(nf.asarray(a)), np.sort_complex(a))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int16, np.uint8, np.complex128])
def test_large_inputs_take_the_threaded_path(dtype):
    """300k elements: chunks sorted on the runner and merged; ties, NaNs and -0.0 included."""
    rng = np.random.default_rng(5)
    a = rng.integers(-1000, 1000, 300_000).astype(dtype)
    if a.dtype.kind in "fc":
        a[rng.integers(0, a.size, 500)] = np.nan
        a[rng.integers(0, a.size, 500)] = -0.0
    x = nf.asarray(a)
    assert_same(nf.argsort(x), np.argsort(a, kind="stable"))
    expected = np.sort(a, kind="stable")
    assert_same(nf.sort(x), expected)
    assert_same_signs(nf.sort(x), expected)
    two_d = a.reshape(300, 1000)
    assert_same(nf.sort(nf.asarray(two_d), axis=0), np.sort(two_d, axis=0))


def test_result_does_not_depend_on_the_thread_count():
    a = np.random.default_rng(1).standard_normal(400_000)
    a[::7] = 0.0
    a[::11] = -0.0
    a[::13] = np.nan
    expected = np.sort(a, kind="stable"), np.argsort(a, kind="stable")
    results = []
    for threads in (1, 2, 4):
        previous = nf.get_num_threads()
        nf.set_num_threads(threads)
        try:
            results.append((np.asarray(nf.sort(a)), np.asarray(nf.argsort(a))))
        finally:
            nf.set_num_threads(previous)
    for values, indices in results:  # 1, 2 and 4 threads: one chunk, one merge round, two
        np.testing.assert_array_equal(values, expected[0])
        np.testing.assert_array_equal(np.signbit(values), np.signbit(expected[0]))
        np.testing.assert_array_equal(indices, expected[1])


def test_argument_errors_match_numpy():
    a = np.array([3.0, 1.0])
    x = nf.asarray(a)
    for kwargs in [dict(kind="bogus"), dict(kind=3), dict(order="f0"), dict(axis=1.0),
                   dict(kind="stable", stable=True), dict(axis=2)]:
        raises_like(lambda: np.sort(a, **kwargs), lambda: nf.sort(x, **kwargs))
        raises_like(lambda: np.argsort(a, **kwargs), lambda: nf.argsort(x, **kwargs))
    raises_like(lambda: np.lexsort([]), lambda: nf.lexsort([]))
    raises_like(lambda: np.lexsort([a, a[:1]]), lambda: nf.lexsort([x, x[:1]]))
    frozen = nf.asarray(a)
    frozen.flags.writeable = False
    ro = a.copy()
    ro.flags.writeable = False
    raises_like(lambda: ro.sort(), lambda: frozen.sort())
    raises_like(lambda: np.array(1.0).sort(), lambda: nf.asarray(1.0).sort())
    raises_like(lambda: np.sort(np.array(1.0)), lambda: nf.sort(nf.asarray(1.0), descending=True))
    assert_same(nf.argsort(nf.asarray(5.0)), np.argsort(np.array(5.0)))


def test_lazy_input_is_sorted():
    a = np.array([3.0, -1.0, 2.0])
    x = nf.asarray(a)
    assert_same(nf.sort(x * 2 + 1), np.sort(a * 2 + 1))
    assert_same(nf.argsort(x * -1), np.argsort(-a, kind="stable"))
