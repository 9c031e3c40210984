"""Native sinc and unwrap vs NumPy."""

import numpy as np
import pytest

from native_cases import DTYPES
from native_close import close, assert_native_with_numpys_signatures

NAMES = ("sinc", "unwrap")


def test_names_are_native_with_numpys_signatures():
    assert_native_with_numpys_signatures(*NAMES)


def _shapes(x):
    return [x, x.reshape(2, 3, 4)[:, ::-1, ::2], x.reshape(4, 6).T, x[:0], x[5]]


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_sinc(dtype):
    x = np.linspace(-3, 3, 24)
    x = x.astype(dtype) if np.dtype(dtype).kind in "fc" else (np.arange(24) % 4).astype(dtype)
    if np.dtype(dtype).kind == "c":
        x = x + 0.5j * x[::-1]
    for arg in _shapes(x):
        close("sinc", arg, check_warnings=False)
    close("sinc", np.array([0.0, -0.0, np.inf, np.nan, 1e-30]).astype(
        dtype if np.dtype(dtype).kind in "fc" else float), check_warnings=False)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_unwrap(dtype):
    rng = np.random.default_rng(5)
    if np.dtype(dtype).kind in "fc":
        x = (np.cumsum(rng.uniform(-4, 4, 24)) % (2 * np.pi)).astype(dtype)
    else:
        x = rng.integers(0, 9, 24).astype(dtype)
    for arg in _shapes(x):
        for axis in (-1, 0, 1, 3):
            close("unwrap", arg, axis=axis, check_warnings=False)
            close("unwrap", arg, 1.0, axis=axis, check_warnings=False)
        for period in (4, 5, 6.5, np.float32(3)):
            close("unwrap", arg, period=period, check_warnings=False)
            close("unwrap", arg, 2, period=period, check_warnings=False)


def test_unwrap_lists_and_boundaries():
    close("unwrap", [0, 1, 2, 7, 9, 10], period=4)
    close("unwrap", [0.0, np.pi, 0.0, -np.pi, 0.0])
    close("unwrap", [[0.0, 4.0], [1.0, 8.0]], axis=0)
    close("unwrap", [])
    close("unwrap", 3.0)
    close("unwrap", [0.0, np.nan, 7.0, np.inf])
