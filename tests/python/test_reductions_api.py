"""Reductions beyond the value grid: dtype=, out=, initial=, ddof, methods, NumPy's errors and
warnings, and the accuracy of float sums (NumPy's pairwise summation, bit for bit)."""
import warnings

import numpy as np
import pytest

import numfuse as nf


def as_np(x):
    return np.asarray(x) if isinstance(x, nf.ndarray) else x


# ---- dtype rules -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["sum", "prod", "cumsum", "cumprod", "nansum"])
@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.int16, np.int32, np.uint8, np.uint16,
                                   np.uint32, np.int64, np.uint64])
def test_sum_like_upcasts_small_integers_like_numpy(name, dtype):
    a = np.arange(1, 7).astype(dtype).reshape(2, 3)
    got, expected = getattr(nf, name)(nf.asarray(a)), getattr(np, name)(a)
    assert as_np(got).dtype == expected.dtype
    np.testing.assert_array_equal(as_np(got), expected)


@pytest.mark.parametrize("name,dtype,acc", [
    ("sum", np.int8, np.int8),          # wraps around in int8, as NumPy's accumulator does
    ("sum", np.float32, np.float64),
    ("sum", np.int32, np.float32),
    ("prod", np.uint8, np.uint8),
    ("mean", np.int16, np.float32),
    ("mean", np.float32, np.float64),
    ("cumsum", np.int8, np.int8),
    ("cumsum", np.float32, np.float64),
    ("cumprod", np.int32, np.complex128),
    ("var", np.float32, np.float64),
    ("std", np.complex64, np.complex128),
])
def test_dtype_argument(name, dtype, acc):
    rng = np.random.default_rng(3)
    a = (rng.integers(1, 100, size=(40, 7))).astype(dtype)
    expected = getattr(np, name)(a, axis=0, dtype=acc)
    got = getattr(nf, name)(nf.asarray(a), axis=0, dtype=acc)
    assert as_np(got).dtype == expected.dtype
    np.testing.assert_allclose(as_np(got), expected, rtol=1e-6)


def test_var_of_complex_is_real_and_mean_of_ints_is_float64():
    c = np.array([1 + 2j, 3 - 1j, -2 + 0.5j], dtype=np.complex64)
    assert nf.var(nf.asarray(c)).dtype == np.float32
    assert nf.std(nf.asarray(c.astype(np.complex128))).dtype == np.float64
    assert nf.mean(nf.arange(5)).dtype == np.float64
    assert nf.mean(nf.asarray(np.array([True, False]))).dtype == np.float64


# ---- out=, initial=, ddof, keepdims --------------------------------------------------------------

def test_out_receives_the_result_and_is_returned():
    a = np.arange(12.0).reshape(3, 4)
    out = nf.zeros(4)
    assert nf.sum(nf.asarray(a), axis=0, out=out) is out
    np.testing.assert_array_equal(np.asarray(out), a.sum(axis=0))
    out_i = nf.zeros(3, dtype=np.int64)
    assert nf.argmax(nf.asarray(a), axis=1, out=out_i) is out_i
    np.testing.assert_array_equal(np.asarray(out_i), a.argmax(axis=1))
    out_c = nf.zeros((3, 4))
    assert nf.cumsum(nf.asarray(a), axis=1, out=out_c) is out_c
    np.testing.assert_array_equal(np.asarray(out_c), a.cumsum(axis=1))
    out_k = nf.zeros((1, 4))
    nf.mean(nf.asarray(a), axis=0, keepdims=True, out=out_k)
    np.testing.assert_allclose(np.asarray(out_k), a.mean(axis=0, keepdims=True))


def test_out_dtype_is_the_default_accumulator_for_sum():
    a = np.full(300, 1, dtype=np.int8)
    out = nf.zeros((), dtype=np.int8)
    nf.sum(nf.asarray(a), out=out)
    expected = np.zeros((), dtype=np.int8)
    np.sum(a, out=expected)
    assert out.item() == expected.item() == 44  # 300 mod 256


def test_out_with_wrong_shape_is_a_value_error():
    a = nf.ones((3, 4))
    with pytest.raises(ValueError):
        nf.sum(a, axis=0, out=nf.zeros(3))
    with pytest.raises(ValueError):
        nf.cumsum(a, axis=0, out=nf.zeros(12))


@pytest.mark.parametrize("name", ["sum", "prod", "min", "max", "nansum", "nanmin", "nanmax"])
def test_initial(name):
    a = np.array([[3.0, -1.0, 7.0], [2.0, 5.0, -4.0]])
    for initial in (10.0, -10.0, 0.5):
        expected = getattr(np, name)(a, axis=1, initial=initial)
        got = getattr(nf, name)(nf.asarray(a), axis=1, initial=initial)
        np.testing.assert_array_equal(np.asarray(got), expected)


def test_initial_makes_empty_min_max_valid():
    e = np.zeros((0, 3))
    for name in ("min", "max"):
        expected = getattr(np, name)(e, axis=0, initial=2.5)
        np.testing.assert_array_equal(np.asarray(getattr(nf, name)(nf.asarray(e), axis=0, initial=2.5)), expected)


@pytest.mark.parametrize("ddof", [0, 1, 2, 0.5])
def test_ddof(ddof):
    a = np.random.default_rng(5).standard_normal((6, 5))
    for name in ("var", "std"):
        for axis in (None, 0, 1):
            expected = getattr(np, name)(a, axis=axis, ddof=ddof)
            got = getattr(nf, name)(nf.asarray(a), axis=axis, ddof=ddof)
            np.testing.assert_allclose(as_np(got), expected, rtol=1e-12)
    np.testing.assert_allclose(as_np(nf.var(nf.asarray(a), correction=1)), np.var(a, correction=1))


def test_var_is_accurate_with_a_large_mean():
    a = np.random.default_rng(6).standard_normal(100_000) + 1e8
    np.testing.assert_allclose(nf.var(nf.asarray(a)), np.var(a), rtol=1e-9)
    b = a.reshape(1000, 100)
    np.testing.assert_allclose(np.asarray(nf.var(nf.asarray(b), axis=0)), np.var(b, axis=0), rtol=1e-9)


def test_argmax_keepdims_and_flat_index_of_views():
    a = np.random.default_rng(8).standard_normal((4, 5, 6))
    f = nf.asarray(a)
    assert nf.argmax(f, keepdims=True).shape == np.argmax(a, keepdims=True).shape
    for view_np, view_nf in ((a.transpose(2, 0, 1), f.transpose(2, 0, 1)), (a[::-1, ::2], f[::-1, ::2])):
        assert nf.argmax(view_nf) == np.argmax(view_np)
        assert nf.argmin(view_nf) == np.argmin(view_np)


# ---- methods and NumPy's own functions ---------------------------------------------------------

def test_methods_match_numpy():
    a = np.random.default_rng(9).standard_normal((3, 4))
    f = nf.asarray(a)
    cases = [
        ("sum", (0,), {}), ("sum", (), {"axis": (0, 1), "keepdims": True}), ("prod", (1,), {}),
        ("min", (), {"axis": 1, "keepdims": True}), ("max", (), {}), ("mean", (), {}),
        ("var", (), {"ddof": 1}), ("std", (0,), {}), ("argmin", (), {}), ("argmax", (1,), {}),
        ("any", (), {}), ("all", (0,), {}), ("cumsum", (), {}), ("cumprod", (1,), {}),
    ]
    for name, args, kwargs in cases:
        got, expected = getattr(f, name)(*args, **kwargs), getattr(a, name)(*args, **kwargs)
        np.testing.assert_allclose(as_np(got), expected, rtol=1e-12, err_msg=name)


def test_numpy_functions_on_numfuse_arrays_stay_in_numfuse():
    f = nf.arange(12.0).reshape(3, 4)
    assert isinstance(np.sum(f, axis=0), nf.ndarray)
    assert np.mean(f) == 5.5
    assert isinstance(np.cumsum(f), nf.ndarray)


def test_python_lists_and_numpy_arrays_are_accepted():
    assert nf.sum([1, 2, 3]) == 6
    assert nf.max(np.array([[1, 9], [3, 4]])) == 9


# ---- errors and warnings -----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["sum", "min", "mean", "var", "any", "nanmax"])
def test_axis_errors(name):
    f = nf.ones((2, 3))
    with pytest.raises(np.exceptions.AxisError):
        getattr(nf, name)(f, axis=2)
    with pytest.raises(np.exceptions.AxisError):
        getattr(nf, name)(f, axis=(0, -3))
    with pytest.raises(ValueError, match="duplicate value in 'axis'"):
        getattr(nf, name)(f, axis=(1, -1))
    with pytest.raises(TypeError):
        getattr(nf, name)(f, axis=1.0)


def test_single_axis_ops_reject_tuples_and_bad_axes():
    f = nf.ones((2, 3))
    for name in ("argmin", "argmax", "cumsum", "cumprod"):
        with pytest.raises(TypeError):
            getattr(nf, name)(f, axis=(0, 1))
        with pytest.raises(np.exceptions.AxisError):
            getattr(nf, name)(f, axis=-3)


@pytest.mark.parametrize("name,message", [
    ("min", "zero-size array to reduction operation minimum which has no identity"),
    ("max", "zero-size array to reduction operation maximum which has no identity"),
    ("nanmin", "zero-size array to reduction operation fmin which has no identity"),
    ("argmin", "attempt to get argmin of an empty sequence"),
    ("argmax", "attempt to get argmax of an empty sequence"),
])
def test_empty_reduction_without_identity(name, message):
    with pytest.raises(ValueError, match=message):
        getattr(nf, name)(nf.zeros((0, 3)), axis=0)
    assert getattr(nf, name)(nf.zeros((0, 3)), axis=1).shape == (0,)  # nothing to reduce: fine


def test_empty_sum_and_prod_give_identities():
    assert nf.sum(nf.zeros(0)) == 0.0 and nf.prod(nf.zeros(0)) == 1.0
    assert nf.sum(nf.zeros((0, 3), dtype=np.int8)).dtype == np.int64
    assert nf.any(nf.zeros(0)) == np.False_ and nf.all(nf.zeros(0)) == np.True_


@pytest.mark.parametrize("name,a,kwargs", [
    ("mean", np.zeros(0), {}),
    ("mean", np.zeros((0, 3)), {"axis": 0}),
    ("nanmean", np.array([np.nan, np.nan]), {}),
    ("nanmin", np.array([[np.nan, np.nan], [1.0, 2.0]]), {"axis": 1}),
    ("nanmax", np.array([np.nan]), {}),
    ("var", np.ones(3), {"ddof": 3}),
    ("std", np.ones(1), {"ddof": 1}),
])
def test_runtime_warnings_like_numpy(name, a, kwargs):
    with pytest.warns(RuntimeWarning):
        expected = getattr(np, name)(a, **kwargs)
    with pytest.warns(RuntimeWarning):
        got = getattr(nf, name)(nf.asarray(a), **kwargs)
    np.testing.assert_array_equal(as_np(got), expected)


def test_no_warning_for_ordinary_input():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nf.mean(nf.ones(3))
        nf.nanmax(nf.asarray(np.array([np.nan, 1.0])))
        nf.var(nf.ones(3), ddof=1)


@pytest.mark.parametrize("name,kwargs", [
    ("sum", {}), ("prod", {}), ("nansum", {}), ("any", {}), ("all", {}), ("mean", {}),
    ("min", {"initial": 9.0}), ("max", {"initial": -9.0}), ("nanmin", {"initial": 9.0}),
    ("nanmax", {"initial": -9.0}),
])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int16])
def test_where(name, kwargs, dtype):
    rng = np.random.default_rng(14)
    a = (rng.standard_normal((4, 5)) * 4).astype(dtype)
    mask = rng.random((4, 5)) < 0.5
    mask[1] = False  # an empty row
    row_mask = np.array([True, False, True, True, False])  # broadcast over rows
    for where in (mask, row_mask):
        for axis in (None, 0, 1):
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                expected = getattr(np, name)(a, axis=axis, where=where, **kwargs)
                got = getattr(nf, name)(nf.asarray(a), axis=axis, where=where, **kwargs)
            assert as_np(got).dtype == np.asarray(expected).dtype
            np.testing.assert_allclose(as_np(got), expected, rtol=1e-6, equal_nan=True)


def test_where_needs_initial_for_min_max_and_is_not_silently_ignored():
    with pytest.raises(ValueError, match="to use a where mask one has to specify 'initial'"):
        nf.max(nf.ones(3), where=np.array([True, False, True]))
    with pytest.warns(RuntimeWarning):
        assert np.isnan(nf.mean(nf.ones(3), where=False))
    with pytest.raises(NotImplementedError):
        nf.var(nf.ones(3), where=np.array([True, False, True]))


def test_reductions_of_lazy_expressions():
    a, b = np.arange(12.0).reshape(3, 4), np.linspace(0, 1, 12).reshape(3, 4)
    fa, fb = nf.asarray(a), nf.asarray(b)
    np.testing.assert_allclose(nf.sum(fa * fb + 1), np.sum(a * b + 1))
    np.testing.assert_allclose(np.asarray((fa - fb).T.max(axis=0)), (a - b).T.max(axis=0))
    np.testing.assert_allclose(np.asarray(nf.cumsum(fa / 2, axis=0)), np.cumsum(a / 2, axis=0))


# ---- accuracy of float sums --------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64, np.complex128])
def test_contiguous_sums_are_bit_identical_to_numpy(dtype):
    rng = np.random.default_rng(12)
    for n in list(range(1, 300)) + [1000, 4097, 65_536 + 3, 300_001]:
        a = rng.standard_normal(n).astype(dtype)
        if np.dtype(dtype).kind == "c":
            a = (a + 1j * rng.standard_normal(n)).astype(dtype)
        assert nf.sum(nf.asarray(a)) == np.sum(a), n
        assert nf.mean(nf.asarray(a)) == np.mean(a), n


def test_float32_sum_of_ten_million_is_as_accurate_as_numpy():
    a = np.random.default_rng(13).random(10_000_000, dtype=np.float32)
    reference = np.sum(a, dtype=np.float64)
    ours, numpys = nf.sum(nf.asarray(a)), np.sum(a)
    assert ours.dtype == np.float32
    assert abs(float(ours) - reference) <= abs(float(numpys) - reference)
    # ...and far better than a sequential float32 loop would be (error ~ n * eps * mean).
    assert abs(float(ours) - reference) / reference < 1e-5


# ---- threads -----------------------------------------------------------------------------------
# Eager reductions of large arrays (>= 2**16 elements) run on the thread pool. A float sum is cut
# only along the top of NumPy's pairwise tree, so every thread count gives NumPy's bits; exact
# reductions (integers, min/max, arg*, any/all) may be cut anywhere; axis reductions deal out
# disjoint output elements. Sizes straddle the threshold, and odd sizes give pairwise cuts that are
# not halves (n/2 rounded down to a multiple of 8).

THREAD_COUNTS = [1, 2, 3, 4]
THREADED_SIZES = [2**16 - 1, 2**16, 2**16 + 3, 100_003, 2**18 + 17, 1_000_003]


@pytest.fixture
def restore_threads():
    old = nf.get_num_threads()
    yield
    nf.set_num_threads(old)


def random_of(dtype, shape, rng):
    a = rng.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        a = a + 1j * rng.standard_normal(shape)
    elif np.dtype(dtype).kind in "iu":
        a = a * 1e6
    return a.astype(dtype)


def assert_same_bits(ours, expected, what):
    ours, expected = np.asarray(ours), np.asarray(expected)
    assert ours.dtype == expected.dtype, what
    assert ours.shape == expected.shape, what
    # Bit patterns, so that -0.0 != 0.0; NaNs only need to be NaN where NumPy has one.
    nan = np.isnan(expected) if expected.dtype.kind in "fc" else np.zeros(expected.shape, bool)
    np.testing.assert_array_equal(np.isnan(ours) if ours.dtype.kind in "fc" else nan, nan, what)
    assert np.array_equal(ours[~nan].view(np.uint8), expected[~nan].view(np.uint8)), what


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64, np.complex128])
def test_threaded_float_sums_are_bit_identical_to_numpy(dtype, restore_threads):
    rng = np.random.default_rng(21)
    for n in THREADED_SIZES:
        a = random_of(dtype, n, rng)
        with_nans = a.copy()
        with_nans[rng.integers(0, n, 50)] = np.nan
        views = {"contiguous": a, "strided": a[::3], "2-D C-contiguous": a[: n - n % 7].reshape(7, -1)}
        for threads in THREAD_COUNTS:
            nf.set_num_threads(threads)
            for label, v in views.items():
                what = f"n={n} {label} threads={threads}"
                assert_same_bits(nf.sum(nf.asarray(v)), np.sum(v), "sum " + what)
                assert_same_bits(nf.asarray(v).mean(), v.mean(), "mean " + what)
            what = f"n={n} threads={threads}"
            assert_same_bits(nf.nansum(nf.asarray(with_nans)), np.nansum(with_nans), "nansum " + what)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex128, np.int64])
def test_threaded_var_and_std_do_not_depend_on_the_thread_count(dtype, restore_threads):
    """var/std of one long run are cut along their block tree across threads, every piece
    shifted by the run's first value: the bits are those of one thread, and within NumPy's
    rounding of its two-pass formula."""
    rng = np.random.default_rng(23)
    for n in THREADED_SIZES + [1024 * 97, 1024 * 97 + 1]:
        a = random_of(dtype, n, rng) + (1e4 if np.dtype(dtype).kind != "c" else 0)
        cases = {"contiguous": a, "strided": a[::3]}
        if np.dtype(dtype).kind == "f":
            late_nan = a.copy()
            late_nan[n - 3] = np.nan
            cases["nan"] = late_nan
        for label, v in cases.items():
            x = nf.asarray(v)
            nf.set_num_threads(1)
            one = (nf.var(x), nf.std(x, ddof=1))
            for threads in THREAD_COUNTS[1:]:
                nf.set_num_threads(threads)
                for got, want in zip((nf.var(x), nf.std(x, ddof=1)), one):
                    assert_same_bits(got, want, f"n={n} {label} threads={threads}")
            rtol = 1e-4 if np.dtype(dtype) == np.float32 else 1e-10
            np.testing.assert_allclose(float(one[0]), np.var(v), rtol=rtol)
            np.testing.assert_allclose(float(one[1]), np.std(v, ddof=1), rtol=rtol)


def test_threaded_sums_keep_numpys_signed_zeros(restore_threads):
    for threads in THREAD_COUNTS:
        nf.set_num_threads(threads)
        for a in [np.full(300_001, -0.0), np.concatenate([np.full(150_000, -0.0), [0.0]])]:
            assert_same_bits(nf.sum(nf.asarray(a)), np.sum(a), f"threads={threads}")


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint8, np.float32, np.float64, np.complex128])
def test_threaded_exact_reductions_match_numpy(dtype, restore_threads):
    rng = np.random.default_rng(22)
    names = ["min", "max", "argmin", "argmax", "any", "all"]
    if np.dtype(dtype).kind in "iu":
        names += ["sum", "prod", "mean"]  # integer sums wrap around exactly, in any order
    for n in [2**16 + 3, 1_000_003]:
        a = random_of(dtype, n, rng)
        cases = {"random": a}
        if np.dtype(dtype).kind in "fc":
            late_nan = a.copy()
            late_nan[n - 5] = np.nan  # in the last thread's piece: it must still win
            cases["late nan"] = late_nan
        ties = np.zeros(n, dtype)
        ties[[n // 3, 2 * n // 3]] = 1  # argmax: the first of two maxima, in different pieces
        cases["ties"] = ties
        # several runs into one state, dealt out by rows (late NaN / tie in a later row)
        cases["2-D strided"] = ties[: n - n % 11].reshape(11, -1)[:, ::2]
        cases["2-D strided late nan" if "late nan" in cases else "2-D strided random"] = \
            cases.get("late nan", a)[: n - n % 11].reshape(11, -1)[::-1, 1::3]
        for threads in THREAD_COUNTS:
            nf.set_num_threads(threads)
            for label, v in cases.items():
                for name in names:
                    with np.errstate(all="ignore"):
                        expected = getattr(np, name)(v)
                    assert_same_bits(getattr(nf, name)(nf.asarray(v)), expected,
                                     f"{name} n={n} {label} threads={threads}")


@pytest.mark.parametrize("shape", [(1000, 1000), (257, 4099), (3, 100_003), (100_003, 3), (40, 50, 61)])
def test_threaded_axis_reductions_match_numpy(shape, restore_threads):
    rng = np.random.default_rng(23)
    a = rng.standard_normal(shape)
    axes = list(range(a.ndim)) + ([(0, 2)] if a.ndim == 3 else [])
    nf.set_num_threads(1)
    one_thread = {(name, axis): getattr(nf, name)(nf.asarray(a), axis=axis)
                  for name in ["var", "std"] for axis in axes}
    for threads in THREAD_COUNTS:
        nf.set_num_threads(threads)
        for axis in axes:
            what = f"axis={axis} threads={threads}"
            # NumPy adds rows into the output for an outer axis and sums each row pairwise for an
            # inner one: both orders are kept exactly.
            for name in ["sum", "mean", "max", "argmax", "nansum"]:
                if name == "argmax" and isinstance(axis, tuple):
                    continue
                assert_same_bits(getattr(nf, name)(nf.asarray(a), axis=axis),
                                 getattr(np, name)(a, axis=axis), f"{name} {what}")
            for name in ["var", "std"]:  # numfuse's own one-pass algorithm: same bits on any count
                ours = getattr(nf, name)(nf.asarray(a), axis=axis)
                assert_same_bits(ours, one_thread[(name, axis)], f"{name} {what}")
                np.testing.assert_allclose(np.asarray(ours), getattr(np, name)(a, axis=axis), rtol=1e-12)


def test_concurrent_python_threads_get_numpys_sums(restore_threads):
    # The pool runs one job at a time: reductions that find it busy run on their own thread, with
    # the same cuts, hence the same bits.
    import concurrent.futures

    rng = np.random.default_rng(24)
    arrays = [rng.standard_normal(500_003 + 8 * k) for k in range(4)]
    expected = [(np.sum(x), np.max(x), np.mean(x[:500_000].reshape(1000, 500), axis=0)) for x in arrays]
    nf.set_num_threads(2)

    def work(k):
        x = nf.asarray(arrays[k])
        out = []
        for _ in range(5):
            out.append((nf.sum(x), nf.max(x), nf.mean(x[:500_000].reshape(1000, 500), axis=0)))
        return out

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(work, range(4)))
    for k, runs in enumerate(results):
        for s, m, column_means in runs:
            assert_same_bits(s, expected[k][0], f"sum {k}")
            assert_same_bits(m, expected[k][1], f"max {k}")
            assert_same_bits(column_means, expected[k][2], f"mean axis=0 {k}")


@pytest.mark.parametrize("name", ["max", "min", "sum", "prod", "any", "all", "nanmax", "nanmin", "nansum",
                                  "mean", "std", "argmax"])
@pytest.mark.parametrize("axis", [0, -1, (0,), 1, None])
@pytest.mark.parametrize("keepdims", [False, True])
def test_zero_d_array_with_axis_zero_as_numpy(name, axis, keepdims):
    # NumPy's ufunc reductions take axis 0 or -1 of a 0-d array as the whole array; mean/std and
    # tuples or other axes raise AxisError
    a = np.array(3.0)
    def run(module, x):
        try:
            return "ok", np.asarray(getattr(module, name)(x, axis=axis, keepdims=keepdims))
        except Exception as e:
            return "raises", type(e)
    got, want = run(nf, nf.asarray(a)), run(np, a)
    assert got[0] == want[0], (got, want)
    if got[0] == "ok":
        assert got[1].dtype == want[1].dtype and got[1].shape == want[1].shape
        np.testing.assert_array_equal(got[1], want[1])
    else:
        assert got[1] is want[1]


@pytest.mark.parametrize("take", [lambda m, a: m.diagonal(a), lambda m, a: a.diagonal(1), lambda m, a: m.diag(a),
                                  lambda m, a: m.linalg.diagonal(a)], ids=["diagonal", "method", "diag", "linalg"])
def test_diagonal_views_are_read_only_as_numpys(take):
    for module in (np, nf):
        a = module.eye(3)
        d = take(module, a)
        assert not d.flags.writeable
        with pytest.raises(ValueError):
            d[0] = 5.0
        d.flags.writeable = True  # the base is writeable: allowed, as in NumPy
        d[0] = 5.0
        assert float(take(module, a)[0]) == 5.0  # written through to a
        frozen = module.eye(3)
        frozen.flags.writeable = False
        with pytest.raises(ValueError):
            take(module, frozen).flags.writeable = True


@pytest.mark.parametrize("name", ["var", "std"])
def test_nonpositive_degrees_of_freedom_warn_as_numpy(name):
    import warnings

    def messages(module):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            getattr(module, name)(module.asarray([1.0, 2.0]), ddof=2)
        return {str(w.message) for w in caught if "freedom" in str(w.message)}

    assert messages(nf) == messages(np) == {"Degrees of freedom <= 0 for slice"}
