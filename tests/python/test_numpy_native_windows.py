"""Native bartlett, blackman, hamming, hanning, kaiser and i0 vs NumPy."""

import numpy as np
import pytest

from native_cases import DTYPES
from native_close import close, assert_native_with_numpys_signatures

NAMES = ("bartlett", "blackman", "hamming", "hanning", "kaiser", "i0")
# (warnings of the values themselves, e.g. sqrt of a negative for a fractional M, come from
# numfuse's kernels and are checked there; here the results)
LENGTHS = [0, 1, 2, 3, 8, 51, 7.5, -3, np.int16(6), np.float32(4), True, 1j, "5"]


def test_names_are_native_with_numpys_signatures():
    assert_native_with_numpys_signatures(*NAMES)


@pytest.mark.parametrize("M", LENGTHS, ids=repr)
def test_windows(M):
    for name in ("bartlett", "blackman", "hamming", "hanning"):
        close(name, M, check_warnings=False)
    for beta in (0, 2.5, 14.0, -3, np.float32(5)):
        close("kaiser", M, beta, check_warnings=False)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_i0_over_dtypes_and_shapes(dtype):
    x = np.linspace(-12, 12, 61)
    x = x.astype(dtype) if np.dtype(dtype).kind in "fc" else (x > 0).astype(dtype) * 7
    for arg in (x, x.reshape(61, 1)[::3], x[:0], x[5], x[1:61].reshape(3, 4, 5).transpose(2, 0, 1)):
        close("i0", arg, check_warnings=False)


def test_i0_special_values():
    close("i0", np.array([0.0, -0.0, 8.0, 8.000001, np.nan, np.inf, -np.inf, 700, 720, 1e-300]),
          check_warnings=False)
    close("i0", np.float32([0, 8, np.nan, 90]), check_warnings=False)
    for value in (0.5, 3, [1, 9], True):  # (a string: numfuse's TypeError for dtypes it lacks)
        close("i0", value, check_warnings=False)
