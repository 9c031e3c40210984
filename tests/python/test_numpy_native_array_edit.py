"""Native copyto (and the other array edits of _array_edit.py) vs NumPy."""

import numpy as np
import pytest

import numfuse as nf
from native_cases import DTYPES, check, check_call
from native_close import assert_native_with_numpys_signatures

NAMES = ("copyto",)


def test_names_are_native_with_numpys_signatures():
    assert_native_with_numpys_signatures(*NAMES)


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
    check("copyto", dst, 1.0, where=np.array([1, 0, 1, 0]), inplace=True)  # int mask: TypeError
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


EDIT_NAMES = ("append", "insert", "delete", "resize", "rollaxis", "trim_zeros")


def test_edit_names_are_native_with_numpys_signatures():
    assert_native_with_numpys_signatures(*EDIT_NAMES)


def _arrays(dtype):
    base = (np.arange(24) % 5).astype(dtype).reshape(2, 3, 4)
    return [base, base[:, ::-1, ::2], base.transpose(2, 0, 1), base[0, 0], base[0, 0, 0],
            base[:, :0]]


DELETE_OBJS = [0, -1, 3, 5, -7, np.int64(1), slice(None, None, 2), slice(3, 0, -1), slice(5, 6),
               [0, 2], [], [1, 1, -1], np.array([0]), np.array([True, False, True]),
               np.array([True, False]), np.array([[0, 1]]), np.array([0.5]), [7]]


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_delete_and_insert(dtype):
    for arr in _arrays(dtype):
        for axis in (None, 0, 1, -1, 3):
            for obj in DELETE_OBJS:
                check("delete", arr, obj, axis=axis)
            for obj in (0, -1, 2, 9, [1], [0, 2, 2, -1], slice(None, None, 2), [], np.array(1),
                        np.array([True, False, True]), np.array([[1]]), 1.5, np.array([1.0, 2.0])):
                check("insert", arr, obj, 7, axis=axis)
                check("insert", arr, obj, np.array([1, 2]).astype(dtype), axis=axis)
    arr = _arrays(dtype)[0]
    check("insert", arr, 1, np.ones((2, 4)).astype(dtype), axis=1)
    check("insert", arr, [1], np.ones((2, 1, 4)).astype(dtype), axis=1)
    check("insert", arr, 1, np.ones((2, 5)).astype(dtype), axis=1)   # does not broadcast
    check("insert", arr, [0, 3], [[1], [2]], axis=2)
    check("insert", arr.astype(np.int8), 0, 300)                      # Python int too big
    check("insert", arr, 0, 2.7)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_append_resize_rollaxis(dtype):
    for arr in _arrays(dtype):
        for axis in (None, 0, -1, 2):
            check("append", arr, arr, axis=axis)
            check("append", arr, [1, 2], axis=axis)
        check("append", arr, 1.5)
        for shape in (7, (2, 5), (0, 3), (), (4, 0), (2, -1), np.int32(3), (3, 2, 2)):
            check("resize", arr, shape)
        for axis in (0, -1, 2, 3):
            for start in (0, 1, 3, -1, 4, -4):
                check("rollaxis", arr, axis, start)
    check("append", [1, 2], [[3.5]])
    check("resize", [1, 2, 3], (2, 2))
    check("resize", 5, (2, 2))
    check("rollaxis", [1, 2], 0)          # lists have no ndim: AttributeError, as in NumPy
    check_call(lambda m: m.rollaxis(m.ones((2, 3, 4)), 2, 1)[0, 1, 0])


TRIM_CASES = [np.array([0, 0, 1, 2, 0, 3, 0]), np.zeros(4), np.array([]), np.array([5]),
              np.array([[0, 0, 0], [0, 1, 0], [0, 0, 2], [0, 0, 0]]), np.zeros((2, 3)),
              np.array([0.0, -0.0, np.nan, 0.0]), np.array([0j, 1j, 0j]),
              np.array([False, True, False]), np.array(0), np.array(3),
              np.arange(24).reshape(2, 3, 4) % 7 == 3]


@pytest.mark.parametrize("filt", TRIM_CASES, ids=str)
def test_trim_zeros(filt):
    for trim in ("fb", "f", "b", "BF", "x"):
        for axis in (None, 0, -1, (0, 1), (), 5):
            check("trim_zeros", filt, trim, axis=axis)
    check("trim_zeros", filt.tolist())
    check("trim_zeros", filt, 3)
