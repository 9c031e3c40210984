"""The array API functions numfuse implements natively for the standard (manipulation: concat,
flip, roll, repeat, tile, unstack; creation: tril, triu, meshgrid; indexing: take_along_axis;
statistics: cumulative_sum, cumulative_prod), against NumPy 2 (same inputs: values, dtype,
shape, exception types) on hypothesis-drawn arrays."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import numfuse as nf

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DTYPES = st.sampled_from([np.bool_, np.int8, np.uint16, np.int32, np.int64, np.float32,
                          np.float64, np.complex64])
NUMERIC = st.sampled_from([np.int8, np.uint8, np.int32, np.int64, np.float32, np.float64,
                           np.complex128])


def arrays(dtypes=DTYPES, min_dims=0, max_dims=4, max_side=4):
    return hnp.arrays(dtypes, hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=0,
                                               max_side=max_side),
                      )


def layouts(a):
    """`a` as a numfuse array, C-contiguous and as a reversed, non-contiguous view."""
    yield nf.asarray(a)
    if a.ndim:
        doubled = np.concatenate([a, a], axis=-1)
        yield nf.asarray(doubled)[..., ::2] if a.shape[-1] else nf.asarray(a)


def same(got, want):
    """Equal results (tuples element by element), numfuse arrays with NumPy's dtype and shape."""
    if isinstance(want, (tuple, list)):
        assert isinstance(got, tuple) and len(got) == len(want)  # NumPy gives lists at times
        for g, w in zip(got, want):
            same(g, w)
        return
    assert isinstance(got, nf.ndarray), type(got)  # arrays, where NumPy may give scalars
    want = np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(np.asarray(got), want)


def check(fn, *arrays_np):
    """fn(np, *arrays) and fn(nf, *numfuse arrays) agree, or raise the same exception type."""
    try:
        want = fn(np, *arrays_np)
    except Exception as e:  # noqa: BLE001 - the type is what is compared
        with pytest.raises(type(e)):
            fn(nf, *[nf.asarray(a) for a in arrays_np])
        return
    same(fn(nf, *[nf.asarray(a) for a in arrays_np]), want)


def axis_for(data, a):
    return data.draw(st.integers(-a.ndim, a.ndim - 1)) if a.ndim else 0


@SETTINGS
@given(a=arrays(), data=st.data())
def test_flip(a, data):
    if a.ndim == 0:
        return  # np.flip of a 0-d array returns a NumPy scalar; numfuse keeps a 0-d array
    axes = data.draw(st.one_of(st.none(), st.lists(st.integers(-a.ndim, a.ndim - 1), max_size=a.ndim,
                                                   unique_by=lambda i: i % a.ndim).map(tuple)))
    for x in layouts(a):
        got = nf.flip(x, axis=axes)
        same(got, np.flip(np.asarray(x), axis=axes))


@SETTINGS
@given(a=arrays(min_dims=1), data=st.data())
def test_roll(a, data):
    shift = data.draw(st.integers(-10, 10))
    axis = data.draw(st.one_of(st.none(), st.just(axis_for(data, a))))
    for x in layouts(a):
        same(nf.roll(x, shift, axis=axis), np.roll(np.asarray(x), shift, axis=axis))
    if a.ndim >= 2:
        shifts, axes = (shift, -shift + 1, 3), (0, 1, 0)  # repeated axes add up
        same(nf.roll(nf.asarray(a), shifts, axis=axes), np.roll(a, shifts, axis=axes))


@SETTINGS
@given(a=arrays(max_dims=3), data=st.data())
def test_repeat(a, data):
    axis = data.draw(st.one_of(st.none(), st.just(axis_for(data, a)))) if a.ndim else None
    count = data.draw(st.integers(0, 3))
    for x in layouts(a):
        same(nf.repeat(x, count, axis=axis), np.repeat(np.asarray(x), count, axis=axis))
    n = a.size if axis is None else a.shape[axis]
    counts = np.array(data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), dtype=np.int64)
    same(nf.repeat(nf.asarray(a), nf.asarray(counts), axis=axis), np.repeat(a, counts, axis=axis))


def test_repeat_errors_and_copy():
    a = np.arange(6).reshape(2, 3)
    check(lambda m, x: m.repeat(x, -1), a)
    check(lambda m, x: m.repeat(x, [1, 2, 3], axis=0), a)  # wrong number of counts
    check(lambda m, x: m.repeat(x, [1, -1], axis=0), a)
    check(lambda m, x: m.repeat(x, 2, axis=2), a)
    x = nf.asarray(a)
    once = nf.repeat(x, 1, axis=0)
    once[0, 0] = 99  # always a new array
    assert int(x[0, 0]) == 0


@SETTINGS
@given(a=arrays(max_dims=3), reps=st.lists(st.integers(0, 3), max_size=4))
def test_tile(a, reps):
    for x in layouts(a):
        same(nf.tile(x, tuple(reps)), np.tile(np.asarray(x), tuple(reps)))
    same(nf.tile(nf.asarray(a), 2), np.tile(a, 2))
    ones = nf.tile(nf.asarray(a), 1)  # a new array even when nothing repeats
    if a.size:
        assert not np.shares_memory(np.asarray(ones), np.asarray(nf.asarray(a)))


@SETTINGS
@given(a=arrays(min_dims=1), data=st.data())
def test_unstack(a, data):
    axis = axis_for(data, a)
    for x in layouts(a):
        same(nf.unstack(x, axis=axis), np.unstack(np.asarray(x), axis=axis))
    check(lambda m, x: m.unstack(x, axis=a.ndim), a)
    check(lambda m, x: m.unstack(x), np.asarray(1.0))


@SETTINGS
@given(data=st.data(), dtypes=st.lists(NUMERIC, min_size=1, max_size=3))
def test_concat(data, dtypes):
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=3))
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    parts = []
    for dt in dtypes:
        s = list(shape)
        s[axis] = data.draw(st.integers(0, 3))
        parts.append(data.draw(hnp.arrays(dt, tuple(s))))
    got = nf.concat([nf.asarray(p) for p in parts], axis=axis)
    same(got, np.concat(parts, axis=axis))
    same(nf.concat(tuple(nf.asarray(p) for p in parts), axis=None), np.concat(parts, axis=None))


@SETTINGS
@given(a=arrays(min_dims=1, max_dims=4), k=st.integers(-4, 4))
def test_tril_triu(a, k):
    for x in layouts(a):
        same(nf.tril(x, k=k), np.tril(np.asarray(x), k=k))
        same(nf.triu(x, k=k), np.triu(np.asarray(x), k=k))


@SETTINGS
@given(vectors=st.lists(hnp.arrays(NUMERIC, st.integers(0, 4)), max_size=4),
       indexing=st.sampled_from(["xy", "ij"]), sparse=st.booleans(), copy=st.booleans())
def test_meshgrid(vectors, indexing, sparse, copy):
    got = nf.meshgrid(*[nf.asarray(v) for v in vectors], indexing=indexing, sparse=sparse, copy=copy)
    same(got, np.meshgrid(*vectors, indexing=indexing, sparse=sparse, copy=copy))
    if copy and vectors and got[0].size:
        got[0][(0,) * got[0].ndim] = 1  # copies are writeable, independent arrays


def test_meshgrid_bad_indexing():
    with pytest.raises(ValueError):
        nf.meshgrid(nf.arange(2), indexing="xx")


@SETTINGS
@given(a=arrays(dtypes=NUMERIC, min_dims=1, max_dims=3, max_side=4), data=st.data())
def test_take_along_axis(a, data):
    axis = axis_for(data, a)
    n = a.shape[axis]
    if n == 0:
        return
    shape = list(a.shape)
    shape[axis] = data.draw(st.integers(0, 5))
    indices = data.draw(hnp.arrays(np.int64, tuple(shape), elements=st.integers(-n, n - 1)))
    for x in layouts(a):
        same(nf.take_along_axis(x, nf.asarray(indices), axis=axis),
             np.take_along_axis(np.asarray(x), indices, axis=axis))
    flat = indices.reshape(-1) % a.size
    same(nf.take_along_axis(nf.asarray(a), nf.asarray(flat), axis=None),
         np.take_along_axis(a, flat, axis=None))


def test_take_along_axis_errors():
    a = np.arange(6.0).reshape(2, 3)
    check(lambda m, x: m.take_along_axis(x, m.asarray([[0.0]]), axis=1), a)  # float indices
    check(lambda m, x: m.take_along_axis(x, m.asarray([0]), axis=1), a)  # ndim mismatch
    check(lambda m, x: m.take_along_axis(x, m.asarray([[0]]), axis=2), a)
    check(lambda m, x: m.take_along_axis(x, m.asarray([[0]]), axis=None), a)


@SETTINGS
@given(a=arrays(dtypes=NUMERIC, max_dims=3), data=st.data(), include_initial=st.booleans(),
       dtype=st.sampled_from([None, np.int64, np.float64]))
def test_cumulative_sum_prod(a, data, include_initial, dtype):
    if a.dtype.kind == "c" and dtype is not None:
        dtype = None  # complex to real is a ComplexWarning cast in NumPy
    axis = None if a.ndim <= 1 and data.draw(st.booleans()) else axis_for(data, a)
    if np.issubdtype(a.dtype, np.floating):
        a = np.nan_to_num(a, nan=0.5, posinf=2.0, neginf=-2.0) % 4
    for name in ("cumulative_sum", "cumulative_prod"):
        def fn(m, x, name=name):
            return getattr(m, name)(x, axis=axis, dtype=dtype, include_initial=include_initial)
        for x in layouts(a):
            got = fn(nf, x)
            want = fn(np, np.asarray(x))
            assert got.dtype == want.dtype and got.shape == want.shape
            np.testing.assert_allclose(np.asarray(got), want, rtol=1e-5)


def test_cumulative_out_and_errors():
    a = np.arange(1, 7).reshape(2, 3)
    out_np, out_nf = np.empty((2, 4), np.int64), nf.empty((2, 4), dtype=nf.int64)
    want = np.cumulative_sum(a, axis=1, include_initial=True, out=out_np)
    got = nf.cumulative_sum(nf.asarray(a), axis=1, include_initial=True, out=out_nf)
    assert got is out_nf
    np.testing.assert_array_equal(np.asarray(got), want)
    check(lambda m, x: m.cumulative_sum(x), a)  # axis needed for >1-D input
    check(lambda m, x: m.cumulative_prod(x, axis=2), a)
    check(lambda m, x: m.cumulative_sum(x, axis=-3, include_initial=True), a)
