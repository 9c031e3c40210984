"""Thread stress (issue 11): several Python threads force shared and separate lazy expressions,
some of which raise inside kernels on pool threads, while another thread keeps changing
nf.set_num_threads. Every value is checked against NumPy and every error must be NumPy's type;
nothing may crash, hang or deadlock. Bounded work, fixed seeds, no timed assertions."""
import threading

import numpy as np
import pytest

import numfuse as nf

# A regression here is a crash or a hang: it must fail this case, not end the session.
pytestmark = pytest.mark.isolated

WORKERS = 4
ROUNDS = 12
SIZES = (1_000, 70_000, 150_000)  # below and above the size that runs on the pool


def power_error():
    try:
        np.arange(1, 4) ** np.array([1, -1, 2])
    except Exception as e:  # noqa: BLE001 - NumPy's type is the oracle
        return type(e)
    raise AssertionError("NumPy raised nothing")


POWER_ERROR = power_error()


class Shared:
    """Pending expressions made before the threads start, forced by all of them."""

    def __init__(self):
        rng = np.random.default_rng(1234)
        self.nx = rng.random(150_000)
        x = nf.asarray(self.nx)
        self.good = [nf.sqrt(x * x + k) - x for k in range(WORKERS * 2)]
        self.good_sums = [x * k + 1.0 for k in range(WORKERS)]  # summed (fused) by the threads
        ni = np.arange(1, 150_001)
        ne = np.full(150_000, 2)
        ne[77_777] = -1
        i, e = nf.asarray(ni), nf.asarray(ne)
        self.bad = [i ** e + k for k in range(WORKERS)]

    def check(self, rng):
        k = int(rng.integers(len(self.good)))
        np.testing.assert_allclose(np.asarray(self.good[k]), np.sqrt(self.nx * self.nx + k) - self.nx,
                                   rtol=1e-12)
        k = int(rng.integers(len(self.good_sums)))
        assert float(self.good_sums[k].sum()) == pytest.approx(float((self.nx * k + 1.0).sum()), rel=1e-12)
        with pytest.raises(POWER_ERROR):
            np.asarray(self.bad[int(rng.integers(len(self.bad)))])


def separate_round(rng):
    """Expressions only this thread sees: values, reductions, in-place ops, writes, errors."""
    n = int(rng.choice(SIZES))
    na = rng.random(n)
    nb = rng.random(n) + 0.5
    a, b = nf.asarray(na.copy()), nf.asarray(nb)
    r = a * b + nf.exp(-a) / b
    s = (a - b).sum()
    m = (a * 2).reshape(-1, 10).max(axis=1) if n % 10 == 0 else None
    expected_r = na * nb + np.exp(-na) / nb
    expected_s = (na - nb).sum()
    a[0] = 7.0  # a write into an input: the pending readers see the old values
    np.testing.assert_allclose(np.asarray(r), expected_r, rtol=1e-12)
    assert float(s) == pytest.approx(float(expected_s), rel=1e-9, abs=1e-9)
    if m is not None:
        np.testing.assert_array_equal(np.asarray(m), (na * 2).reshape(-1, 10).max(axis=1))
    c = nf.asarray(nb.copy())
    c += a  # in place, pending
    np.testing.assert_allclose(np.asarray(c), nb + np.concatenate([[7.0], na[1:]]), rtol=1e-15)

    # An error inside a kernel, at a random place, sometimes read through a reduction, sometimes
    # by a write into its input.
    ni = np.arange(1, n + 1)
    ne = rng.integers(0, 3, n)
    ne[int(rng.integers(n))] = -1
    i, e = nf.asarray(ni.copy()), nf.asarray(ne)
    bad = i ** e
    how = int(rng.integers(3))
    if how == 0:
        with pytest.raises(POWER_ERROR):
            bad.eval()
    elif how == 1:
        with pytest.raises(POWER_ERROR):
            (bad * 2).sum()
    else:
        i[:] = 1  # the failing reader keeps its error; the write goes through
        assert int(i.sum()) == n
    with pytest.raises(POWER_ERROR):
        np.asarray(bad)
    ok = nf.asarray(ni) ** nf.asarray(np.abs(ne))
    np.testing.assert_array_equal(np.asarray(ok), ni ** np.abs(ne))


def test_threads_force_shared_and_separate_expressions_with_errors():
    old = nf.get_num_threads()
    shared = Shared()
    failures = []
    done = threading.Event()

    def worker(seed):
        rng = np.random.default_rng(seed)
        try:
            for _ in range(ROUNDS):
                if rng.random() < 0.5:
                    shared.check(rng)
                else:
                    separate_round(rng)
        except BaseException as e:  # noqa: BLE001 - reported by the main thread
            failures.append((seed, repr(e)))

    def resizer():
        k = 0
        while not done.is_set():
            nf.set_num_threads(1 + k % 4)
            k += 1
            done.wait(0.002)

    try:
        changer = threading.Thread(target=resizer)
        threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(WORKERS)]
        changer.start()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        done.set()
        changer.join(timeout=60)
        assert not any(t.is_alive() for t in threads + [changer]), "a thread hung"
    finally:
        done.set()
        nf.set_num_threads(old)
    assert not failures, failures
    # After the storm: the engine still computes, on every thread count.
    for k in (1, 2, 3):
        nf.set_num_threads(k)
        np.testing.assert_allclose(np.asarray(shared.good[1]), np.sqrt(shared.nx * shared.nx + 1) - shared.nx,
                                   rtol=1e-12)
    nf.set_num_threads(old)
