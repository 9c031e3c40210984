"""a[i] / a[i, j, ...] with one Python int per dimension (a fast path in front of __getitem__) and
NumPy scalars made from element bytes: the same values, scalar types and errors as NumPy's for
every dtype, views with offsets and negative strides, pending (lazy) arrays, and keys the fast path
leaves to the general one."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import numfuse as nf

DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
          np.float32, np.float64, np.complex64, np.complex128]


def sample(dtype, shape, seed=0):
    rng = np.random.default_rng(seed)
    values = rng.integers(-100, 100, size=shape)
    if np.dtype(dtype).kind == "c":
        return (values + 1j * rng.integers(-5, 5, size=shape)).astype(dtype)
    if np.dtype(dtype).kind == "u":
        values = np.abs(values)
    return values.astype(dtype)


def same_scalar(got, want):
    assert type(got) is type(want), (type(got), type(want))
    assert got == want or (got != got and want != want)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_every_element_of_every_dtype(dtype):
    expected = sample(dtype, (3, 4))
    ours = nf.asarray(expected)
    for i in range(-3, 3):
        for j in range(-4, 4):
            same_scalar(ours[i, j], expected[i, j])
    flat = nf.asarray(expected.ravel())
    for i in range(-12, 12):
        same_scalar(flat[i], expected.ravel()[i])


def test_bool_elements_are_numpys_singletons():
    a = nf.asarray([True, False])
    assert a[0] is np.True_ and a[1] is np.False_


def test_extreme_values_round_trip():
    for dtype in (np.int64, np.uint64, np.float64, np.float32):
        info = np.iinfo(dtype) if np.dtype(dtype).kind in "iu" else np.finfo(dtype)
        expected = np.array([info.min, info.max, 0], dtype=dtype)
        for i in range(3):
            same_scalar(nf.asarray(expected)[i], expected[i])
    nan = nf.asarray([np.nan, -0.0])
    assert np.isnan(nan[0]) and np.signbit(nan[1])


@settings(max_examples=60, deadline=None)
@given(shape=st.lists(st.integers(1, 5), min_size=1, max_size=4), data=st.data())
def test_views_match_numpy(shape, data):
    base = sample(np.float64, shape, seed=len(shape))
    slices = tuple(data.draw(st.sampled_from([slice(None), slice(None, None, -1), slice(1, None), slice(None, None, 2)]))
                   for _ in shape)
    want_view = base[slices]
    if want_view.size == 0:
        return
    got_view = nf.asarray(base)[slices]
    index = tuple(data.draw(st.integers(-n, n - 1)) for n in want_view.shape)
    same_scalar(got_view[index], want_view[index])
    same_scalar(got_view.T[index[::-1]], want_view.T[index[::-1]])


def test_pending_arrays_are_computed_first():
    a = nf.arange(10.0)
    lazy = a * 2 + 1  # not evaluated yet
    same_scalar(lazy[3], np.float64(7.0))
    a[3] = 100.0      # a write after the expression was made: the expression keeps the old value
    same_scalar(lazy[3], np.float64(7.0))
    same_scalar(a[3], np.float64(100.0))


@pytest.mark.parametrize("key", [10, -11, (1, 5), (3, 0), (0, -5)])
def test_out_of_range_is_numpys_index_error(key):
    expected = np.zeros((3, 4)) if isinstance(key, tuple) else np.zeros(10)
    with pytest.raises(IndexError) as want:
        expected[key]
    with pytest.raises(IndexError) as got:
        nf.asarray(expected)[key]
    assert str(got.value) == str(want.value)


@pytest.mark.parametrize("key", [np.int64(2), True, (1,), (1, 2, 3), 2**70, (np.int32(1), 2), ()])
def test_keys_the_fast_path_leaves_alone(key):
    expected = sample(np.int32, (3, 4))
    ours = nf.asarray(expected)
    try:
        want = expected[key]
    except Exception as e:
        with pytest.raises(type(e)):
            ours[key]
        return
    got = ours[key]
    if isinstance(want, np.ndarray):
        np.testing.assert_array_equal(np.asarray(got), want)
        assert np.asarray(got).dtype == want.dtype
    else:
        same_scalar(got, want)


def test_zero_d_array():
    a = nf.asarray(np.float32(2.5))
    same_scalar(a[()], np.float32(2.5))


# ---- a[i, ...] = python_scalar (a fast path in front of __setitem__) ---------------------------

VALUES = [0, 1, -1, 127, 128, 255, 256, -129, 2**31, 2**63 - 1, 2**63, -2**63, 2**64, True, False,
          0.5, -2.75, 1e30, 1e300, float("inf"), float("nan"), -0.0, 1 + 2j, 3j]


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_element_assignment_matches_numpy(dtype):
    for value in VALUES:
        expected = sample(dtype, (2, 3))
        ours = nf.asarray(expected.copy())
        try:
            with np.errstate(all="ignore"):
                expected[1, -1] = value
        except Exception as e:
            with pytest.raises(type(e)):
                ours[1, -1] = value
            continue
        with np.errstate(all="ignore"):  # the general path converts through NumPy, which warns as NumPy
            ours[1, -1] = value
        got = np.asarray(ours)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected, err_msg=f"{value!r} into {np.dtype(dtype)}")


def test_assignment_runs_pending_reads_first():
    a = nf.arange(6.0)
    doubled = a * 2          # pending: reads a
    a[2] = 100.0             # must not be seen by doubled
    np.testing.assert_array_equal(np.asarray(doubled), np.arange(6.0) * 2)
    assert a[2] == 100.0
    view = a[::-1]
    view[0] = -1.0           # through a view with a negative stride
    assert a[5] == -1.0


def test_assignment_to_pending_and_read_only_arrays():
    lazy = nf.arange(4.0) + 1
    lazy[0] = 9.0
    np.testing.assert_array_equal(np.asarray(lazy), [9.0, 2.0, 3.0, 4.0])
    frozen = nf.arange(3.0)
    frozen.flags.writeable = False
    with pytest.raises(ValueError):
        frozen[0] = 1.0
    with pytest.raises(IndexError):
        nf.zeros(3)[3] = 1.0


def test_fill_and_full_take_python_scalars_as_numpy():
    for dtype in DTYPES:
        for value in (0, 1, 2.5, True):
            try:
                want = np.full(4, value, dtype=dtype)
            except Exception as e:
                with pytest.raises(type(e)):
                    nf.full(4, value, dtype=dtype)
                continue
            got = np.asarray(nf.full(4, value, dtype=dtype))
            assert got.dtype == want.dtype
            np.testing.assert_array_equal(got, want)
