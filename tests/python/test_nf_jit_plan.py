"""@nf.jit's planned replay (jit/src/trace_plan.cpp): a small function that is one fused group runs
its kernel directly on later calls. Every case checks the values against NumPy, on calls made
after the plan exists, with arguments that differ from those it was made with."""
import warnings

import numpy as np
import pytest

import numfuse as nf
from thread_util import run_on_threads

RNG = np.random.default_rng(11)


def check(result, expected):
    got = np.asarray(result)
    assert got.dtype == np.asarray(expected).dtype
    assert got.shape == np.asarray(expected).shape
    if got.dtype.kind == "c":
        # NumPy's SIMD complex multiply fuses a*b+c*d (its 1-element loop and Python do not):
        # numfuse rounds as the latter, so the two differ by an ulp on some elements.
        np.testing.assert_allclose(got, expected, rtol=1e-15)
    else:
        np.testing.assert_array_equal(got, expected)


def update_loop(u, v):
    for _ in range(10):
        u = u + 0.1 * (v - u)
    return u


def calls(f, make_args, reference, n=6):
    """Calls f n times on fresh arguments, checking each result against reference(*numpy args)."""
    for _ in range(n):
        args = make_args()
        nf_args = [nf.asarray(a) if isinstance(a, np.ndarray) else a for a in args]
        check(f(*nf_args), reference(*args))


def test_hot_loop_runs_planned_and_matches_numpy():
    f = nf.jit(update_loop)
    calls(f, lambda: (RNG.random(1000), RNG.random(1000)), update_loop)
    stats = f._stats()
    assert stats["replays"] == 6 and stats["planned_replays"] >= 5


def test_planned_results_are_computed_arrays():
    f = nf.jit(lambda a, b: a * b + 1)
    a, b = nf.asarray(RNG.random(50)), nf.asarray(RNG.random(50))
    for _ in range(3):
        r = f(a, b)
    assert f._stats()["planned_replays"] >= 1
    assert not nf._core._is_pending(r)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int8, np.uint16, np.bool_,
                                   np.complex128])
def test_dtypes(dtype):
    def fn(a, b):
        return (a * b + a) ^ b if dtype in (np.int64, np.int8, np.uint16, np.bool_) else a * b + a

    def make():
        if dtype == np.bool_:
            return RNG.random(37) > 0.5, RNG.random(37) > 0.5
        if np.issubdtype(dtype, np.integer):
            return RNG.integers(0, 100, 37).astype(dtype), RNG.integers(0, 100, 37).astype(dtype)
        if dtype == np.complex128:
            return RNG.random(37) + 1j * RNG.random(37), RNG.random(37) - 1j * RNG.random(37)
        return RNG.random(37).astype(dtype), RNG.random(37).astype(dtype)

    f = nf.jit(fn)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # int8 overflow wraps in both
        calls(f, make, fn)
    assert f._stats()["planned_replays"] >= 4


def test_python_scalar_arguments_change_per_call():
    f = nf.jit(lambda x, k, j: x * k + j)
    x = RNG.random(20)
    for k, j in [(2.0, 2.0), (2.0, 3.0), (5.0, -1.0), (3, 4), (0.5, 0.5)]:
        check(f(nf.asarray(x), k, j), x * k + j)
    assert f._stats()["planned_replays"] >= 1


def test_python_int_out_of_the_loops_range_is_numpys_error():
    f = nf.jit(lambda x, k: x + k)
    x = np.arange(5, dtype=np.int8)
    for k in (1, 2, 3):
        check(f(nf.asarray(x), k), x + k)
    with pytest.raises(OverflowError):
        x + 300
    with pytest.raises(OverflowError):
        f(nf.asarray(x), 300)


def test_arguments_that_alias_when_the_plan_is_made():
    f = nf.jit(lambda a, b: a * 2 + b)
    a, b = RNG.random(10), RNG.random(10)
    for _ in range(4):
        check(f(nf.asarray(a), nf.asarray(a)), a * 2 + a)  # one array for both
    check(f(nf.asarray(a), nf.asarray(b)), a * 2 + b)
    g = nf.jit(lambda a, b: a * 2 + b)
    for _ in range(4):
        check(g(nf.asarray(a), nf.asarray(b)), a * 2 + b)
    na = nf.asarray(a)
    check(g(na, na), a * 2 + a)


def test_equal_scalars_when_the_plan_is_made():
    f = nf.jit(lambda x, k, j: x * k - j)
    x = RNG.random(8)
    for _ in range(4):
        check(f(nf.asarray(x), 2.0, 2.0), x * 2.0 - 2.0)
    check(f(nf.asarray(x), 2.0, 7.0), x * 2.0 - 7.0)


def test_views_of_arguments_stencil():
    f = nf.jit(lambda u: u[2:] - 2 * u[1:-1] + u[:-2])
    calls(f, lambda: (RNG.random(64),), lambda u: u[2:] - 2 * u[1:-1] + u[:-2])
    assert f._stats()["planned_replays"] >= 4


def test_strided_arguments_with_other_strides_per_call():
    f = nf.jit(lambda a, b: a - b * 3)
    base = RNG.random((12, 9))
    for step in (2, 3, 1, 2):
        a, b = base[::step, ::3][:3], base.T[::2][:3, :3]
        check(f(nf.asarray(a), nf.asarray(b)), a - b * 3)
    bc = np.broadcast_to(RNG.random(3), (3, 3))  # stride 0: another kernel than the plan's
    check(f(nf.asarray(bc), nf.asarray(base[:3, :3])), bc - base[:3, :3] * 3)


def test_pending_arguments_fuse_and_stay_correct():
    f = nf.jit(lambda a, b: a * b + 1)
    a, b = RNG.random(30), RNG.random(30)
    for _ in range(4):
        check(f(nf.asarray(a), nf.asarray(b)), a * b + 1)
    check(f(nf.asarray(a) + 1, nf.asarray(b)), (a + 1) * b + 1)


def test_captured_array_read_at_each_call():
    w = nf.asarray(np.array([1.0, 2.0, 3.0]))
    f = nf.jit(lambda x: x * w + 0.5)
    x = np.ones(3)
    for _ in range(4):
        check(f(nf.asarray(x)), x * np.array([1.0, 2.0, 3.0]) + 0.5)
    w[1] = 20.0
    check(f(nf.asarray(x)), x * np.array([1.0, 20.0, 3.0]) + 0.5)
    w += 1.0  # in place, lazily: the plan computes it first
    check(f(nf.asarray(x)), x * np.array([2.0, 21.0, 4.0]) + 0.5)


def test_several_outputs_duplicates_and_arguments():
    f = nf.jit(lambda a, b: (a + b, a * b, a + b, a, {"d": a - b}))
    for _ in range(4):
        a, b = RNG.random(6), RNG.random(6)
        na = nf.asarray(a)
        s, p, s2, same, d = f(na, nf.asarray(b))
        check(s, a + b)
        check(p, a * b)
        check(s2, a + b)
        check(d["d"], a - b)
        assert same is na
    assert f._stats()["planned_replays"] >= 1


def test_unused_step_and_broadcast_inputs():
    def fn(a, row):
        unused = a * 100  # noqa: F841 - computed by NumPy, never by the plan
        return a * row + 1

    f = nf.jit(fn)
    calls(f, lambda: (RNG.random((4, 5)), RNG.random(5)), fn)
    assert f._stats()["planned_replays"] >= 4


def test_zero_dimensional_arrays_give_numpy_scalars():
    f = nf.jit(lambda x, y: x * y + 1)
    for v in (2.0, 3.0, 4.0):
        r = f(nf.asarray(np.float64(v)), nf.asarray(np.float64(v + 1)))
        expected = np.float64(v) * np.float64(v + 1) + 1
        assert type(r) is type(expected) and r == expected


def test_floating_point_errors_at_the_call():
    f = nf.jit(lambda x, y: x / y)
    x, y = np.ones(3), np.array([1.0, 0.0, 2.0])
    for _ in range(3):
        with pytest.warns(RuntimeWarning, match="divide by zero encountered in divide"):
            r = f(nf.asarray(x), nf.asarray(y))
        check(r, np.array([1.0, np.inf, 0.5]))
    assert f._stats()["planned_replays"] >= 1
    with np.errstate(divide="raise"):
        with pytest.raises(FloatingPointError, match="divide by zero"):
            f(nf.asarray(x), nf.asarray(y))
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("error")
        check(f(nf.asarray(x), nf.asarray(y)), np.array([1.0, np.inf, 0.5]))


def test_large_arrays_stay_lazy():
    f = nf.jit(lambda a, b: a * b + 1)
    a, b = nf.asarray(RNG.random(1 << 17)), nf.asarray(RNG.random(1 << 17))
    for _ in range(4):
        r = f(a, b)
    assert f._stats()["planned_replays"] == 0
    assert nf._core._is_pending(r)
    check(r, np.asarray(a) * np.asarray(b) + 1)


@pytest.mark.parametrize("mode", ["interp", "native"])
def test_under_each_tier(mode):
    if mode == "native" and not nf._core.native_available():
        pytest.skip("the native tier is not available")
    previous = nf._core._set_jit_mode(mode)
    try:
        f = nf.jit(update_loop)
        calls(f, lambda: (RNG.random(300), RNG.random(300)), update_loop)
        assert f._stats()["planned_replays"] >= 4
    finally:
        nf._core._set_jit_mode(previous)


def test_concurrent_calls_from_threads():
    f = nf.jit(update_loop)
    inputs = [(RNG.random(100), RNG.random(100)) for _ in range(6)]

    def work(i):
        u, v = inputs[i]
        for _ in range(50):
            check(f(nf.asarray(u), nf.asarray(v)), update_loop(u, v))

    run_on_threads(work, len(inputs))
    assert f._stats()["planned_replays"] > 0


def test_casts_where_and_kernel_errors():
    f = nf.jit(lambda a, b: nf.where(a > b, a.astype(np.float32) * 2, b.astype(np.float32)))
    calls(f, lambda: (RNG.integers(0, 9, 40), RNG.integers(0, 9, 40)),
          lambda a, b: np.where(a > b, a.astype(np.float32) * 2, b.astype(np.float32)))
    assert f._stats()["planned_replays"] >= 4
    g = nf.jit(lambda a, b: a ** b + 1)
    a = np.arange(1, 6)
    for _ in range(4):
        check(g(nf.asarray(a), nf.asarray(a % 3)), a ** (a % 3) + 1)
    with pytest.raises(ValueError):
        a ** (a - 3)
    with pytest.raises(ValueError):
        g(nf.asarray(a), nf.asarray(a - 3))
    check(g(nf.asarray(a), nf.asarray(a % 2)), a ** (a % 2) + 1)  # the plan still runs after


@pytest.mark.parametrize("reduce", ["sum", "mean", "max", "min", "prod", "any", "all"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32])
def test_a_fused_full_reduction_is_planned(reduce, dtype):
    def fn(x, w, y):
        return getattr((x * w - y) ** 2, reduce)()

    def make():
        if dtype == np.int32:
            return tuple(RNG.integers(-5, 5, 300).astype(dtype) for _ in range(3))
        return tuple(RNG.standard_normal(300).astype(dtype) for _ in range(3))

    f = nf.jit(fn)
    for _ in range(6):
        x, w, y = make()
        got = f(nf.asarray(x), nf.asarray(w), nf.asarray(y))
        want = fn(x, w, y)
        assert type(got) is type(want)
        if dtype != np.int32 and reduce in ("sum", "mean", "prod"):
            # Fused sums fold blocks of 256 pairwise (ARCHITECTURE: reductions in the group), not
            # NumPy's halving of the whole run: the last bits may differ.
            np.testing.assert_allclose(got, want, rtol=1e-5 if dtype == np.float32 else 1e-13)
        else:
            assert got == want or (np.isnan(got) and np.isnan(want))
    assert f._stats()["planned_replays"] >= 4


def test_a_planned_reduction_matches_the_recorded_one_bit_for_bit():
    def loss(w, x, y):
        return ((x * w - y) ** 2).mean()

    planned, recorded = nf.jit(loss), nf.jit(loss)
    x, y = RNG.standard_normal(1000), RNG.standard_normal(1000)
    for w in (0.5, 1.5, 2.5, 3.5):
        a = planned(w, nf.asarray(x), nf.asarray(y))
        b = nf.asarray(loss(w, nf.asarray(x), nf.asarray(y)))  # the plain lazy path
        assert np.asarray(a).tobytes() == np.asarray(b).tobytes()
        assert abs(a - loss(w, x, y)) <= 1e-12 * abs(loss(w, x, y))
    assert planned._stats()["planned_replays"] >= 2


def test_reductions_that_cannot_be_planned_still_replay():
    f = nf.jit(lambda x: (x * 2).sum() + x.sum())  # two reductions, and an op on their results
    g = nf.jit(lambda x: (x - x.mean()) * 2)        # a reduction read by a later op
    h = nf.jit(lambda x: ((x * 2).sum(), x + 1))    # a reduction beside an elementwise output
    x = RNG.standard_normal(50)
    for _ in range(4):
        np.testing.assert_allclose(f(nf.asarray(x)), (x * 2).sum() + x.sum(), rtol=1e-12)
        np.testing.assert_allclose(np.asarray(g(nf.asarray(x))), (x - x.mean()) * 2, rtol=1e-12)
        s, p = h(nf.asarray(x))
        np.testing.assert_allclose(s, (x * 2).sum(), rtol=1e-12)
        check(p, x + 1)
    for fn in (f, g, h):
        assert fn._stats()["planned_replays"] == 0 and fn._stats()["replays"] == 4


def test_reduction_overflow_warns_at_the_call():
    f = nf.jit(lambda x: (x * 10).sum())
    x = np.full(400, 1e306)
    for _ in range(4):
        with pytest.warns(RuntimeWarning, match="overflow"):
            r = f(nf.asarray(x))
        assert r == np.inf
    assert f._stats()["planned_replays"] >= 1
