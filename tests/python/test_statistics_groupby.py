"""nf.groupby_reduce against pandas' Series.groupby(keys).<op>() (the oracle for this non-NumPy
function). Keys, counts, min/max and integer sums are exact; float sums, means and variances are
accumulated per chunk and merged (pandas: one compensated running sum), so they are compared with
a tight rtol (float32: pandas accumulates in float32, so the tolerance follows the magnitudes
summed).
"""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import numfuse as nf

SETTINGS = settings(max_examples=50, deadline=None)
OPS = ["sum", "mean", "min", "max", "count", "var"]


def expected(keys, values, op):
    r = getattr(pd.Series(values).groupby(keys), op)()
    return r.index.values, r.values


def check(keys, values, op, lazy_values=None):
    k, v = nf.groupby_reduce(keys, values if lazy_values is None else lazy_values, op)
    ek, ev = expected(keys, values, op)
    k, v = np.asarray(k), np.asarray(v)
    if op == "mean" and v.dtype == np.float32 and len(ek) == 1:
        ev = ev.astype(np.float32)  # pandas quirk: the mean of one float32 group comes as float64
    assert k.dtype == ek.dtype and v.dtype == ev.dtype, (op, k.dtype, ek.dtype, v.dtype, ev.dtype)
    np.testing.assert_array_equal(k, ek)
    if v.dtype.kind == "f" and op in ("sum", "mean", "var"):
        if v.dtype == np.float32:
            # pandas adds float32 values in float32 (numfuse in float64): its rounding error grows
            # with the magnitudes summed, not with the (possibly cancelled) result
            scale = float(np.nansum(np.abs(np.asarray(values, dtype=np.float64))))
            np.testing.assert_allclose(v, ev, rtol=1e-6, atol=2e-5 * scale + 1e-12)
        else:
            np.testing.assert_allclose(v, ev, rtol=1e-12, atol=1e-12)
    else:
        np.testing.assert_array_equal(v, ev)


key_strategy = st.one_of(
    hnp.arrays(np.int64, st.integers(1, 200), elements=st.integers(-5, 20)),              # dense table
    hnp.arrays(np.int64, st.integers(1, 200), elements=st.sampled_from([-2**62, 0, 7, 2**40, 2**62])),  # hash
    hnp.arrays(np.int8, st.integers(1, 200), elements=st.integers(-3, 3)),
    hnp.arrays(np.uint32, st.integers(1, 200), elements=st.integers(0, 2**32 - 1)),
    hnp.arrays(np.float64, st.integers(1, 200), elements=st.sampled_from([0.0, -0.0, 1.5, -3.0, np.nan, np.inf])),
    hnp.arrays(np.float32, st.integers(1, 200), elements=st.sampled_from([0.5, 2.0, np.nan])),
)


@SETTINGS
@given(data=st.data(), keys=key_strategy, op=st.sampled_from(OPS),
       vdtype=st.sampled_from([np.float64, np.float32, np.int64, np.int32, np.uint8, np.bool_]))
def test_groupby_reduce_matches_pandas(data, keys, op, vdtype):
    n = keys.shape[0]
    if np.dtype(vdtype).kind == "f":
        elements = st.one_of(st.floats(-1e3, 1e3, width=np.dtype(vdtype).itemsize * 8), st.just(np.nan))
    elif vdtype == np.bool_:
        elements = st.booleans()
    else:
        elements = st.integers(0, 100)
    values = data.draw(hnp.arrays(vdtype, n, elements=elements))
    if np.isnan(keys.astype(np.float64)).all():
        return  # pandas gives an empty float result index for all-NaN keys; nothing to group
    check(keys, values, op)


@pytest.mark.parametrize("op", OPS)
def test_groupby_reduce_large_threaded_and_lazy(op):
    rng = np.random.default_rng(7)
    n = 600_000
    dense = rng.integers(0, 1000, n)
    sparse = rng.integers(-2**60, 2**60, 5000)[rng.integers(0, 5000, n)]
    values = rng.normal(size=n)
    values[rng.random(n) < 0.01] = np.nan
    check(dense, values, op)
    check(sparse, values, op)
    check(dense, values, op, lazy_values=nf.asarray(values) * 1.0)  # a pending expression
    ints = rng.integers(-1000, 1000, n)
    check(dense, ints, op)


def test_groupby_reduce_small_int_sums():
    # pandas keeps the values' dtype when every sum fits it, else gives the 64-bit type
    keys = np.array([0, 0, 1, 1, 2])
    for values in (np.array([100, 100, 1, 2, 3], np.int8), np.array([200, 200, 1, 2, 3], np.uint8),
                   np.array([-100, -100, 1, 2, 3], np.int8), np.array([1, 2, 3, 4, 5], np.int16)):
        check(keys, values, "sum")


def test_groupby_reduce_errors():
    with pytest.raises(ValueError):
        nf.groupby_reduce([1, 2], [1.0], "sum")
    with pytest.raises(ValueError):
        nf.groupby_reduce([1, 2], [1.0, 2.0], "median")
    with pytest.raises(ValueError):
        nf.groupby_reduce(np.ones((2, 2)), np.ones((2, 2)))
    with pytest.raises(TypeError):
        nf.groupby_reduce([1, 2], [1j, 2j])
    k, v = nf.groupby_reduce(np.array([], np.int64), np.array([]))
    assert np.asarray(k).shape == (0,) and np.asarray(v).shape == (0,)
    k, v = nf.groupby_reduce([3, 1, 3], [1.0, 2.0, 4.0], "var", ddof=0)
    np.testing.assert_array_equal(np.asarray(v), [0.0, 2.25])


def test_results_do_not_depend_on_the_thread_count():
    # Float sums are merged per chunk in a fixed order: bit-identical on 1 and 2 threads.
    rng = np.random.default_rng(9)
    keys = rng.integers(0, 300, 700_000)
    values = rng.normal(size=700_000)
    data = rng.normal(size=700_000)
    saved = nf.get_num_threads()
    runs = []
    try:
        for threads in (1, 2):
            nf.set_num_threads(threads)
            runs.append([np.asarray(nf.groupby_reduce(keys, values, "sum")[1]),
                         np.asarray(nf.groupby_reduce(keys, values, "var")[1]),
                         np.asarray(nf.bincount(keys, values)),
                         np.asarray(nf.histogram(data, [-3, -1, 0, 0.5, 2, 3], weights=values)[0]),
                         np.asarray(nf.median(data))])
    finally:
        nf.set_num_threads(saved)
    for one, two in zip(*runs):
        np.testing.assert_array_equal(one, two)
