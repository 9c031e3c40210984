"""Data-dependent errors inside kernels (issue 11, reproducers 1-3): an error raised on a pool
thread reaches the caller as NumPy's exception type (never an abort), a failed evaluation frees
what it allocated, and a failed pending expression keeps its error without blocking writes into
its inputs."""
import gc

import numpy as np
import pytest

import numfuse as nf

# A regression here is a crash (terminate/SIGSEGV): it must fail its case, not end the session.
pytestmark = pytest.mark.isolated

NEGATIVE_POWER = "Integers to negative integer powers are not allowed."


def numpy_error(fn):
    """The exception type NumPy raises for fn (the oracle for numfuse's type)."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the type is what we want
        return type(e)
    raise AssertionError("NumPy raised nothing")


@pytest.fixture
def threads():
    old = nf.get_num_threads()
    yield nf.set_num_threads
    nf.set_num_threads(old)


def bad_exponents(n, where=(-1,)):
    e = np.full(n, 2, dtype=np.int64)
    for i in where:
        e[i] = -1
    return e


POWER_ERROR = numpy_error(lambda: np.arange(1, 4) ** np.array([1, -1, 2]))


@pytest.mark.parametrize("nthreads", [1, 2, 4])
@pytest.mark.parametrize("n", [10**3, 10**5, 10**6])
def test_threaded_kernel_error_is_raised_on_the_caller(threads, nthreads, n):
    threads(nthreads)
    a = nf.arange(1, n + 1)
    e = nf.full(n, -1)
    assert POWER_ERROR is ValueError
    with pytest.raises(POWER_ERROR, match=NEGATIVE_POWER):
        (a ** e).eval()
    # The process and the engine go on: the same expression on good data, and a fresh one.
    na = np.arange(1, n + 1)
    np.testing.assert_array_equal(np.asarray(a ** nf.full(n, 1)), na)
    np.testing.assert_array_equal(np.asarray((a % 7) * 3 + 1), (na % 7) * 3 + 1)
    gc.collect()


@pytest.mark.parametrize("reduce", ["sum", "prod", "min", "max", "any", "all"])
@pytest.mark.parametrize("where", [(0,), (-1,), (10**6 // 2, 17)])
def test_fused_full_reduction_error(threads, reduce, where):
    threads(2)
    n = 10**6
    a, e = nf.arange(1, n + 1), nf.asarray(bad_exponents(n, where))
    with pytest.raises(POWER_ERROR, match=NEGATIVE_POWER):
        getattr(a ** e, reduce)()
    assert getattr(a ** nf.full(n, 0), reduce)() == getattr(np.ones(n, dtype=np.int64), reduce)()


@pytest.mark.parametrize("axis", [0, 1])
def test_fused_axis_reduction_error(threads, axis):
    threads(2)
    shape = (600, 500)
    a = nf.asarray(np.arange(1, 300_001).reshape(shape))
    e = bad_exponents(300_000, (123_456,)).reshape(shape)
    with pytest.raises(POWER_ERROR):
        (a ** nf.asarray(e)).sum(axis=axis).eval()
    ok = np.ones(shape, dtype=np.int64)
    np.testing.assert_array_equal(np.asarray((a ** nf.asarray(ok)).sum(axis=axis)),
                                  np.arange(1, 300_001).reshape(shape).sum(axis=axis))


def test_error_in_the_epilogue_of_a_product(threads):
    threads(2)
    rng = np.random.default_rng(0)
    m, k = rng.integers(0, 3, (400, 8)).astype(np.float64), rng.integers(0, 3, (8, 300)).astype(np.float64)
    e = np.ones((400, 300), dtype=np.int64)
    e[-1, -1] = -1
    r = (nf.asarray(m) @ nf.asarray(k)).astype(np.int64) ** nf.asarray(e)
    with pytest.raises(POWER_ERROR):
        r.eval()
    with pytest.raises(POWER_ERROR):
        np.asarray(r)
    good = (nf.asarray(m) @ nf.asarray(k)).astype(np.int64) ** nf.asarray(np.abs(e))
    np.testing.assert_array_equal(np.asarray(good), (m @ k).astype(np.int64))


def test_eval_of_several_roots_raises_and_leaves_the_good_ones_computable(threads):
    threads(2)
    n = 10**5
    a = nf.arange(1, n + 1)
    good, bad = a * 3, a ** nf.asarray(bad_exponents(n))
    with pytest.raises(POWER_ERROR):
        nf.eval(good, bad)
    np.testing.assert_array_equal(np.asarray(good), np.arange(1, n + 1) * 3)
    with pytest.raises(POWER_ERROR):
        bad.eval()


def test_a_failed_intermediate_fails_its_users_only(threads):
    threads(2)
    n = 10**5
    a = nf.arange(1, n + 1)
    t = a ** nf.asarray(bad_exponents(n))
    independent = a + 1
    r = t * independent
    with pytest.raises(POWER_ERROR):
        r.eval()
    with pytest.raises(POWER_ERROR):
        t.eval()
    np.testing.assert_array_equal(np.asarray(independent), np.arange(2, n + 2))


@pytest.mark.parametrize("n, nthreads", [(3, 1), (10**5, 2)])
def test_failed_evaluations_do_not_leak(threads, n, nthreads):
    threads(nthreads)
    ia, ie = nf.arange(1, n + 1), nf.asarray(bad_exponents(n))

    def fail_many(times):
        for _ in range(times):
            with pytest.raises(POWER_ERROR):
                (ia ** ie).eval()
            with pytest.raises(POWER_ERROR):
                (ia ** ie + 1).sum()
            b = ia ** ie
            with pytest.raises(POWER_ERROR):
                np.asarray(b)
            del b
        gc.collect()

    fail_many(5)  # caches, thread-local block buffers and the pool's size classes
    before = nf.memory_stats()["bytes_in_use"]
    fail_many(300 if n < 1000 else 30)
    assert nf.memory_stats()["bytes_in_use"] == before


def test_write_into_the_input_of_a_failed_pending_expression():
    a = nf.arange(1, 4)
    e = nf.asarray([1, -1, 2])
    doubled = a * 2
    b = a ** e
    c = b + 1  # recorded before b fails: b's error is c's too
    a[0] = 5  # runs the readers: b fails, doubled does not; the write goes through
    np.testing.assert_array_equal(np.asarray(a), [5, 2, 3])
    np.testing.assert_array_equal(np.asarray(doubled), [2, 4, 6])
    observers = [lambda: b.eval(), lambda: np.asarray(b), lambda: repr(b), lambda: b[0],
                 lambda: int(b[1]), lambda: b.sum(), lambda: b + 1, lambda: np.asarray(b[::2]),
                 lambda: nf.eval(b), lambda: np.asarray(c), lambda: b.tolist()]
    for _ in range(2):  # every time it is observed
        for observe in observers:
            with pytest.raises(POWER_ERROR, match=NEGATIVE_POWER):
                observe()
    assert b.shape == (3,) and b.dtype == np.int64  # known without the value
    a[1] = 7  # later writes go through too
    np.testing.assert_array_equal(np.asarray(a), [5, 7, 3])
    np.testing.assert_array_equal(np.asarray(a ** nf.asarray([1, 1, 2])), [5, 7, 9])


def test_write_into_the_input_of_a_failed_threaded_expression(threads):
    threads(2)
    n = 10**5
    a = nf.arange(1, n + 1)
    b = a ** nf.asarray(bad_exponents(n))
    a[:] = 0
    assert int(a.sum()) == 0
    with pytest.raises(POWER_ERROR):
        b.eval()


def test_failed_in_place_op_raises_when_its_array_is_read():
    # NumPy raises at the `**=` line; numfuse finds the error when the values are computed, and
    # then every read of the array raises it (never half-written values).
    c = nf.arange(1, 4)
    with pytest.raises(POWER_ERROR):
        c **= nf.asarray([1, -1, 2])
        np.asarray(c)
    for _ in range(2):
        with pytest.raises(POWER_ERROR):
            np.asarray(c)


def test_failed_in_place_op_run_by_a_write_into_its_input():
    c = nf.arange(1, 4)
    x = nf.arange(1, 4)
    c += x ** nf.asarray([1, -1, 2])
    x[0] = 10  # runs c's pending update, which fails; the write into x goes through
    np.testing.assert_array_equal(np.asarray(x), [10, 2, 3])
    with pytest.raises(POWER_ERROR):
        np.asarray(c)
