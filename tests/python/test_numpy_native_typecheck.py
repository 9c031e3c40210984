"""Native nan_to_num, isposinf, isneginf, isreal, iscomplex, isrealobj, iscomplexobj, isscalar,
real_if_close and asarray_chkfinite vs NumPy."""
import warnings

import numpy as np
import pytest

import numfuse as nf
from native_cases import DTYPES, check, check_call
from native_close import assert_native_with_numpys_signatures

NAMES = ("nan_to_num", "isposinf", "isneginf", "isreal", "iscomplex", "isrealobj", "iscomplexobj",
         "isscalar", "real_if_close", "asarray_chkfinite")


def test_names_are_native_with_numpys_signatures():
    assert_native_with_numpys_signatures(*NAMES)


SPECIAL = [1.5, np.nan, np.inf, -np.inf, -0.0, 0.0, -2.5, 3.0]


def _values(dtype):
    """Specials in every shape of interest: 1-D, 3-D, 0-d and empty."""
    dtype = np.dtype(dtype)
    if dtype.kind == "c":
        flat = np.array([complex(r, i) for r, i in zip(SPECIAL, SPECIAL[::-1])], dtype)
    elif dtype.kind == "f":
        flat = np.array(SPECIAL, dtype)
    else:
        flat = np.arange(8).astype(dtype)
    return [flat, np.resize(flat, 24).reshape(2, 3, 4), flat[1:2].reshape(()), flat[:0]]


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_nan_to_num_and_infinity_tests(dtype):
    for x in _values(dtype):
        check("nan_to_num", x)
        check("nan_to_num", x, nan=-1, posinf=7.0, neginf=-7)
        check("nan_to_num", x, copy=False, inplace=True)
        check("isposinf", x)
        check("isneginf", x)
        check("isreal", x)
        check("iscomplex", x)
        check("isrealobj", x)
        check("iscomplexobj", x)
        check("real_if_close", x)
        check("asarray_chkfinite", x)
    x = _values(dtype)[1]
    check_call(lambda m: m.nan_to_num(m.asarray(x).transpose(2, 0, 1)[:, ::-1, ::2]))
    check_call(lambda m: m.isposinf(m.asarray(x)[:, ::2]))


def test_nan_to_num_options_and_in_place_views():
    f = np.array([[np.nan, np.inf], [-np.inf, 2.0]])
    check("nan_to_num", f, nan=np.array([10.0, 20.0]))
    check("nan_to_num", f, nan=np.array([1.0, 2.0, 3.0]))  # does not broadcast: ValueError
    check("nan_to_num", f, nan=1j)                          # complex into float: TypeError
    check("nan_to_num", f, posinf=np.nan)                   # a NaN fill is not replaced again
    check("nan_to_num", f.astype(np.float32), posinf=1e300)  # overflows to inf, as NumPy
    check("nan_to_num", [1.0, float("nan")], copy=False)    # a list cannot be changed in place
    for value in (np.nan, np.float32(np.inf), -np.inf, 2, True, 1 + 2j, complex(np.nan, np.inf)):
        check("nan_to_num", value)
    check_call(lambda m: (lambda a: (m.nan_to_num(a.T[0], copy=False), a)[1])(m.asarray(f.copy())))
    numpy_owned = f.copy()
    assert nf.nan_to_num(numpy_owned, copy=False) is not None
    np.testing.assert_array_equal(numpy_owned, np.nan_to_num(f))  # NumPy's memory written


def test_infinity_tests_out_and_errors():
    f = np.array([np.inf, -np.inf, 1.0])
    check("isposinf", f, np.zeros(3, bool), inplace=True)
    check("isneginf", f, np.zeros(3, np.int64), inplace=True)
    check("isposinf", np.array([1j, np.inf]))
    check("isneginf", "a")
    for value in (np.inf, -np.inf, 1, [np.inf, 1.0], np.float32(-np.inf)):
        check("isposinf", value)
        check("isneginf", value)


PYTHON_VALUES = [1, 1.5, 1j, 2 + 0j, True, np.float32(1), np.complex64(1), np.complex128(1 + 1j),
                 [1, 2j], [1.0, 2.0], [], "text", b"x", None, (1, 2), np.array(1j),
                 np.array([1, 2])]


@pytest.mark.parametrize("value", PYTHON_VALUES, ids=repr)
def test_type_tests_on_python_and_numpy_values(value):
    for name in ("isrealobj", "iscomplexobj", "isscalar"):
        check(name, value)
    if value is None or isinstance(value, (str, bytes)):
        return
    for name in ("isreal", "iscomplex", "real_if_close", "asarray_chkfinite", "nan_to_num"):
        check(name, value)


def test_isscalar_on_numfuse_values():
    assert nf.isscalar(nf.asarray(np.float32(1))[()]) and not nf.isscalar(nf.asarray(1.0))
    assert not nf.isscalar(nf.arange(3))
    assert nf.iscomplexobj(nf.asarray([1j])) and nf.isrealobj(nf.arange(3))


def test_real_if_close_tolerances():
    c = np.array([1 + 1e-15j, 2 + 1e-14j])
    for tol in (100, 1000, 1e-13, 1, 0.5):
        check("real_if_close", c, tol=tol)
        check("real_if_close", c.astype(np.complex64), tol=tol)
    check("real_if_close", np.array([1 + 1j]), tol=1e300)
    check("real_if_close", np.zeros((0, 2), complex))


def test_asarray_chkfinite_errors_and_dtypes():
    check("asarray_chkfinite", [1, 2, np.nan])
    check("asarray_chkfinite", [1, 2], dtype=np.float32)
    check("asarray_chkfinite", np.array([1, 2]), dtype=float, order="F")
    check("asarray_chkfinite", np.array([[1.0, np.inf]]).T, order="C")
    check("asarray_chkfinite", [1 + 1j, complex(0, np.inf)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert nf.asarray_chkfinite(nf.arange(3.0)).shape == (3,)


def test_nan_to_num_copy_is_taken_before_the_input_changes():
    for make in (np.array, lambda v: nf.asarray(v) * 1):
        source = make([1.0, np.nan, np.inf])
        result = nf.nan_to_num(source)
        source[0] = 100.0
        np.testing.assert_array_equal(np.asarray(result), [1.0, 0.0, np.finfo(float).max])
