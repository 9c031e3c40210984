"""Hypothesis strategies shared by the sorting, searching and unique tests: arrays of every
dtype with many ties, NaNs, infinities and both zeros, as plain, transposed or strided views
(the same view taken of the NumPy array and of its numfuse copy)."""
import math

import numpy as np
from hypothesis import strategies as st

import numfuse as nf

REAL_DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
               np.uint64, np.float32, np.float64]
DTYPES = REAL_DTYPES + [np.complex64, np.complex128]

_FLOATS = [0.0, -0.0, 1.5, -2.0, 3.0, np.inf, -np.inf, np.nan, -np.nan, 1e30]


def value_pool(dtype):
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return [False, True]
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return sorted({int(info.min), int(info.max), 0, 1, 2, 7, int(info.max) // 3} |
                      ({-1, -5} if dtype.kind == "i" else set()))
    if dtype.kind == "f":
        return _FLOATS
    return [complex(r, i) for r in (0.0, -0.0, 1.0, np.nan) for i in (0.0, -1.0, np.nan)]


@st.composite
def array_pairs(draw, dtypes=DTYPES, min_dims=0, max_dims=3, max_side=6):
    """(numpy array, numfuse array) holding the same values in the same view geometry."""
    dtype = draw(st.sampled_from(dtypes))
    shape = tuple(draw(st.lists(st.integers(0, max_side), min_size=min_dims, max_size=max_dims)))
    view = draw(st.sampled_from(["plain", "transposed", "strided"])) if shape else "plain"
    base_shape = (shape[0] * 2,) + shape[1:] if view == "strided" else shape[::-1] if view == "transposed" else shape
    pool = value_pool(dtype)
    values = draw(st.lists(st.sampled_from(pool), min_size=math.prod(base_shape), max_size=math.prod(base_shape)))
    base = np.array(values, dtype=dtype).reshape(base_shape)
    ours = nf.asarray(base.copy())
    if view == "strided":
        return base[::2], ours[::2]
    if view == "transposed":
        return base.T, ours.T
    return base, ours


def assert_same(ours, expected):
    """Values (NaNs equal), dtype and shape of a numfuse result equal NumPy's."""
    got = np.asarray(ours)
    expected = np.asarray(expected)
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    np.testing.assert_array_equal(got, expected)


def raises_like(fn_numpy, fn_ours):
    """Both raise, the same exception type (or both succeed); returns the two results."""
    try:
        expected = fn_numpy()
    except Exception as e:  # noqa: BLE001 - the type is what is compared
        try:
            fn_ours()
        except Exception as mine:  # noqa: BLE001
            assert type(mine) is type(e) or isinstance(mine, type(e)), (mine, e)
            return None, None
        raise AssertionError(f"numfuse did not raise; NumPy raised {e!r}")
    return expected, fn_ours()
