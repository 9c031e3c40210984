"""Native may_share_memory and shares_memory vs NumPy, on numfuse arrays and NumPy arrays over
the same memory."""
import numpy as np
import pytest

import numfuse as nf
from native_close import assert_native_with_numpys_signatures


def test_names_are_native_with_numpys_signatures():
    assert_native_with_numpys_signatures("may_share_memory", "shares_memory")


def _pairs(x):
    """(name, a, b) views of one buffer `x` (NumPy or numfuse)."""
    grid = x.reshape(6, 8)
    return [("same", x, x), ("halves", x[:24], x[24:]), ("overlap", x[:30], x[20:]),
            ("interleaved", x[::2], x[1::2]), ("every-4th", x[::2], x[4::4]),
            ("reversed", x[::-1], x[10:12]), ("transposed", grid.T, grid[2]),
            ("columns", grid[:, 0], grid[:, 1]), ("column-row", grid[:, 3], grid[5]),
            ("gap-hit", x[4:5], x[::8]), ("gap-miss", x[5:6], x[::8]), ("empty", x[:0], x),
            ("bytes", x.view(np.uint8)[3:11], x[1:2]), ("0-d", x[7:8].reshape(()), x[::7])]


PAIRS = _pairs(np.arange(48.0))


@pytest.mark.parametrize("case", range(len(PAIRS)), ids=[p[0] for p in PAIRS])
def test_overlap_answers(case):
    numpy_pairs = _pairs(np.arange(48.0))
    numfuse_pairs = _pairs(nf.arange(48.0))
    _, a, b = numpy_pairs[case]
    _, na, nb = numfuse_pairs[case]
    for max_work in (None, 0, 1, -1, -2, 10**6):
        for name in ("may_share_memory", "shares_memory"):
            kwargs = {} if max_work is None else {"max_work": max_work}
            want = _outcome(getattr(np, name), a, b, kwargs)
            assert _outcome(getattr(nf, name), na, nb, kwargs) == want, (name, max_work)
            # NumPy arrays passed to numfuse, and the dispatch from NumPy's own name
            assert _outcome(getattr(nf, name), a, b, kwargs) == want, (name, max_work)
            assert _outcome(getattr(np, name), na, nb, kwargs) == want, (name, max_work)


def _outcome(func, a, b, kwargs):
    try:
        return func(a, b, **kwargs)
    except Exception as error:  # noqa: BLE001  (its type is compared)
        return type(error)


def test_numfuse_and_numpy_views_of_one_buffer():
    base = nf.arange(10.0)
    seen = np.asarray(base)
    assert nf.shares_memory(base[2:4], seen[3:]) and np.shares_memory(seen[3:], base[2:4])
    assert not nf.shares_memory(base[:3], seen[3:])
    assert not nf.may_share_memory(base, base + 1)


@pytest.mark.parametrize("max_work", [1.5, -3, 2**70, "x", True])
def test_bad_max_work_and_other_objects(max_work):
    a = np.arange(5.0)
    for name in ("may_share_memory", "shares_memory"):
        want = _outcome(getattr(np, name), a, a, {"max_work": max_work})
        assert _outcome(getattr(nf, name), nf.asarray(a), a, {"max_work": max_work}) == want
    for other in ([1, 2], 3.0, None):
        for name in ("may_share_memory", "shares_memory"):
            assert _outcome(getattr(nf, name), a, other, {}) == \
                _outcome(getattr(np, name), a, other, {})
