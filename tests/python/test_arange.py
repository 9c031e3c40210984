"""nf.arange against np.arange: lengths, dtypes and values for Python ints, floats and mixes (the
fast path for them and the general one), explicit dtypes, and NumPy's errors."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import numfuse as nf

ints = st.integers(-2**64, 2**64)
small_ints = st.integers(-1000, 1000)
floats = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


def outcome(fn, *args, **kwargs):
    try:
        return "ok", np.asarray(fn(*args, **kwargs))
    except Exception as e:
        return "raises", type(e)


def check(*args, **kwargs):
    got, want = outcome(nf.arange, *args, **kwargs), outcome(np.arange, *args, **kwargs)
    if want[0] == "ok" and want[1].dtype == object:  # numfuse has no object dtype: its TypeError
        want = ("raises", TypeError)
    assert got[0] == want[0], (args, kwargs, got, want)
    if got[0] == "ok":
        assert got[1].dtype == want[1].dtype and got[1].shape == want[1].shape, (args, got, want)
        np.testing.assert_array_equal(got[1], want[1])
    else:
        assert got[1] is want[1], (args, got, want)


@settings(max_examples=80, deadline=None)
@given(st.lists(small_ints | ints, min_size=1, max_size=3))
def test_python_ints(args):
    if len(args) == 3 and args[2] != 0 and abs((args[1] - args[0]) // args[2]) > 10**5:
        return  # a huge array: not what this checks
    if len(args) < 3 and abs(args[-1] - (args[0] if len(args) == 2 else 0)) > 10**5:
        return
    check(*args)


@settings(max_examples=80, deadline=None)
@given(st.lists(floats | small_ints, min_size=1, max_size=3).filter(lambda a: any(isinstance(v, float) for v in a)))
def test_floats_and_mixes(args):
    start, stop, step = (0, args[0], 1) if len(args) == 1 else (args[0], args[1], args[2] if len(args) == 3 else 1)
    if step == 0 or not math.isfinite((stop - start) / step) or (stop - start) / step > 10**5:
        return
    check(*args)


@pytest.mark.parametrize("args,kwargs", [
    ((10,), {"dtype": np.float32}), ((1, 10, 2), {"dtype": np.int8}), ((0.5, 4), {"dtype": np.int64}),
    ((5,), {"dtype": np.uint8}), ((3,), {"dtype": np.complex64}), ((True, 5), {}), ((np.int32(3),), {}),
    ((np.float32(2.5),), {}), ((0, 5, 0), {}), ((0.0, 1.0, 0.0), {}), ((float("nan"),), {}),
    ((0, float("inf")), {}), ((300,), {"dtype": np.int8}), ((2**63, 2**63 + 3), {}), ((0, 0, 2**63), {}),
    ((0.0, 1.0, -1e-234), {}), ((np.float32(0), np.float32(2.5), np.float32(0.5)), {}),
    # Past int64 the range is float64 (NumPy promotes from int64), even when all are uint64.
    ((2**63, 2**63, 2**63), {}), ((2**63, 2**63 + 4, 2), {}),
    ((np.uint64(5), np.uint64(9), np.uint64(2)), {}), ((np.uint64(2**63), 2**63 + 4), {}),
    # The second value is start + step in Python's arithmetic (exact past 2**53), then rounded.
    ((-1, 2**63, 9007199254743039), {}), ((1, 10**17, 10**16 + 1), {"dtype": np.float64}),
    ((0.1, 1.0, 0.3), {"dtype": np.float32}),
])
def test_special_arguments(args, kwargs):
    check(*args, **kwargs)
