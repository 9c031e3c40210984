"""Native copyto (and the other array edits of _array_edit.py) vs NumPy."""
import inspect

import numpy as np
import pytest

import numfuse as nf
from native_cases import DTYPES, assert_native, check, check_call

NAMES = ("copyto",)


def test_names_are_native_with_numpys_signatures():
    assert_native(*NAMES)
    for name in NAMES:
        assert inspect.signature(getattr(nf, name)) == inspect.signature(getattr(np, name)), name


CASTINGS = ("no", "equiv", "safe", "same_kind", "unsafe")


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_copyto_python_scalars_under_every_casting_rule(dtype):
    for casting in CASTINGS:
        for value in (True, 5, -1, 300, 1.5, 1e300, 1j, 2**70):
            check("copyto", np.zeros(3, dtype), value, casting=casting, inplace=True)


@pytest.mark.parametrize("src_dtype", DTYPES, ids=str)
def test_copyto_arrays_under_every_casting_rule(src_dtype):
    src = (np.arange(6).reshape(2, 3) % 3).astype(src_dtype)
    for dst_dtype in (np.bool_, np.int8, np.uint16, np.int64, np.float32, np.float64, np.complex64):
        for casting in CASTINGS:
            check("copyto", np.ones((2, 3), dst_dtype), src, casting=casting, inplace=True)
    check("copyto", np.ones((4, 2, 3), np.float64), src, casting="unsafe", inplace=True)


def test_copyto_where_views_and_errors():
    dst = np.arange(12.0).reshape(3, 4)
    mask = np.array([True, False, True, False])
    check("copyto", dst, -1.0, where=mask, inplace=True)
    check("copyto", dst, np.arange(4) * 10, where=mask, inplace=True)
    check("copyto", dst, np.arange(3)[:, None], where=dst > 5, inplace=True)
    check("copyto", dst, 1.0, where=np.array([1, 0, 1, 0]), inplace=True)       # int mask: TypeError
    check("copyto", dst, np.arange(5.0), inplace=True)                            # ValueError
    check("copyto", dst, 1.0, where=np.ones((2, 3, 4), bool), inplace=True)     # ValueError
    check("copyto", dst, 1.0, casting="bogus", inplace=True)
    check("copyto", [1.0, 2.0], 1.0)
    check("copyto", np.zeros(0), 1.0, inplace=True)
    check("copyto", np.zeros(()), np.array([[4.0]]), inplace=True)
    check("copyto", dst, [[1, 2, 3, 4]], inplace=True)
    check_call(lambda m: (lambda a: (m.copyto(a.T[::2], 9.0), a)[1])(m.asarray(dst.copy())))
    numpy_owned = dst.copy()
    nf.copyto(numpy_owned, nf.asarray(np.ones(4)), where=mask)
    expected = dst.copy()
    np.copyto(expected, 1.0, where=mask)
    np.testing.assert_array_equal(numpy_owned, expected)
