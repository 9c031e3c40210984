"""fliplr, flipud and rot90 against NumPy: values, dtypes, views (writes show through) and errors."""
import numpy as np
import pytest

import numfuse as nf

SHAPES = [(3,), (2, 3), (2, 3, 4), (1, 0, 2), ()]


def outcome(fn, *args, **kwargs):
    try:
        return "ok", np.asarray(fn(*args, **kwargs))
    except Exception as e:
        return "raises", type(e)


def check(name, array, *args, **kwargs):
    got = outcome(getattr(nf, name), nf.asarray(array), *args, **kwargs)
    want = outcome(getattr(np, name), array, *args, **kwargs)
    assert got[0] == want[0], (name, array.shape, args, got, want)
    if got[0] == "ok":
        assert got[1].dtype == want[1].dtype and got[1].shape == want[1].shape
        np.testing.assert_array_equal(got[1], want[1])
    else:
        assert got[1] is want[1]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", [np.int16, np.float32, np.complex128, np.bool_])
def test_flips_and_rotations_match_numpy(shape, dtype):
    array = (np.arange(int(np.prod(shape))) % 5).reshape(shape).astype(dtype)
    check("fliplr", array)
    check("flipud", array)
    for k in range(-5, 6):
        check("rot90", array, k)
    for axes in [(0, 1), (1, 0), (-1, 0), (0, 2), (2, -3), (0, 0), (0, 3), (0,), (0, 1, 2), (-1, 1)]:
        check("rot90", array, 1, axes)
        check("rot90", array, 3, axes)


def test_results_are_views():
    a = nf.arange(6.0).reshape(2, 3)
    nf.rot90(a)[0, 0] = -1.0
    nf.fliplr(a)[1, 0] = -2.0
    assert a[0, 2] == -1.0 and a[1, 2] == -2.0
    b = nf.arange(24).reshape(2, 3, 4)[:, ::2, 1:]
    np.testing.assert_array_equal(np.asarray(nf.rot90(b, 1, (1, 2))), np.rot90(np.asarray(b), 1, (1, 2)))
