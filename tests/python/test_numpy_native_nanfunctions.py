"""Native nanprod, nanvar, nanstd vs NumPy: result types, dtypes, shapes, values (to a few ULP:
the sums may be grouped differently), exception types and warnings."""
import warnings

import numpy as np
import pytest

import numfuse as nf
from native_cases import DTYPES, check
from native_close import close as _close, assert_native_with_numpys_signatures

NAMES = ("nanprod", "nanvar", "nanstd")


def test_names_are_native_with_numpys_signatures():
    assert_native_with_numpys_signatures(*NAMES)


def close(name, *args, **kwargs):
    # integer input is plain var/std, whose warnings are nf.var's (not this module's)
    _close(name, *args, check_warnings=np.asarray(args[0]).dtype.kind in "fc", **kwargs)


def _data(dtype):
    rng = np.random.default_rng(3)
    x = (rng.standard_normal((3, 4, 5)) * 3 + 1).astype(dtype)
    if np.dtype(dtype).kind in "fc":
        x[0, 1, :] = np.nan        # a slice with no numbers
        x[2, 0, 2] = np.nan
        x[1, :, 3] = np.nan
    return x


AXES = [None, 0, 1, -1, (0, 2), ()]


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_over_dtypes_axes_and_keepdims(dtype):
    x = _data(dtype)
    for axis in AXES:
        for keepdims in (False, True):
            for name in NAMES:
                close(name, x, axis=axis, keepdims=keepdims)
    for name in NAMES:
        close(name, x[::2, ::-1].transpose(2, 0, 1), axis=1)
        close(name, x[0, 1])      # all NaN for inexact dtypes
        close(name, x[1, 1, 1])   # 0-d
        close(name, x[:, :0], axis=1)
        close(name, x[:, :0])
        close(name, x, axis=3)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64, np.complex128], ids=str)
def test_moments_options(dtype):
    x = _data(dtype)
    mask = np.arange(5) % 2 == 0
    for name in ("nanvar", "nanstd"):
        for ddof in (0, 1, 2.5, 4):
            close(name, x, axis=1, ddof=ddof)
        close(name, x, axis=2, correction=1)
        close(name, x, axis=2, ddof=1, correction=1)
        close(name, x, axis=0, dtype=np.complex128 if x.dtype.kind == "c" else np.float64)
        close(name, x, axis=0, dtype=np.int64)
        close(name, x, axis=None, where=mask)
        close(name, x, axis=2, where=mask, keepdims=True)
        close(name, x, axis=1, mean=np.nanmean(x, axis=1, keepdims=True))
        out = np.zeros((3, 5), np.complex128 if dtype == np.complex128 else np.float64)
        close(name, x, axis=1, out=out)
        close(name, x, axis=1, out=np.zeros((3, 5), np.int64))
        close(name, x, axis=None, out=np.zeros((), np.float64))
    close("nanprod", x, axis=1, dtype=np.complex128)
    close("nanprod", x, axis=(0, 1), initial=2.0)
    close("nanprod", x, axis=2, where=mask, keepdims=True)
    close("nanprod", x, axis=0, out=np.zeros((4, 5), dtype))


def test_python_and_list_inputs():
    for name in NAMES:
        close(name, [1.0, float("nan"), 3.0])
        close(name, [[1, 2], [3, 4]], axis=0)
        close(name, 2.5)
        close(name, [])
        close(name, [float("nan")] * 3)
        close(name, "text")
    close("nanprod", [True, False, True])
    check("nanprod", np.array([[1.0, np.nan], [np.nan, np.nan]]), axis=1)


def test_no_stray_warnings_for_ordinary_input():
    x = nf.asarray(_data(np.float64))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nf.nanvar(x[1:], axis=2)
        nf.nanstd(x, axis=None)
        nf.nanprod(x, axis=0)


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint16, np.int64, np.uint64], ids=str)
def test_integer_moments_with_where_and_mean(dtype):
    x = _data(dtype)
    mask = np.arange(5) % 2 == 0
    for name in ("nanvar", "nanstd"):
        close(name, x, axis=None, where=mask)
        close(name, x, axis=2, where=mask, keepdims=True, ddof=1)
        close(name, x, axis=(0, 2), where=np.zeros(5, bool))
        close(name, x, axis=1, mean=np.mean(x, axis=1, keepdims=True))
        close(name, x, axis=0, where=mask, dtype=np.float32, correction=1)
        close(name, x, axis=0, where=mask, out=np.zeros((4, 5)))
