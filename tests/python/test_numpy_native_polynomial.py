"""Native polyval, polyadd, polysub, polymul, polyder, polyint vs NumPy (arrays, lists,
np.poly1d in and out)."""

import numpy as np
import pytest

import numfuse as nf
from native_cases import DTYPES
from native_close import close, assert_native_with_numpys_signatures

NAMES = ("polyval", "polyadd", "polysub", "polymul", "polyder", "polyint")


def test_names_are_native_with_numpys_signatures():
    assert_native_with_numpys_signatures(*NAMES)


def _coefficients(dtype):
    c = np.array([3, 0, 2, 1, 2]).astype(dtype)
    return [c, c[::-2], c[:1], c[:0], c[2], np.array([0, 0, 1, 2]).astype(dtype)]


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_polyval(dtype):
    x = (np.arange(-3, 9) % 4).astype(dtype)
    for p in _coefficients(dtype):
        for arg in (x, x.reshape(3, 4).T, x[:0], x[3], 2.5, 3, [1, 2]):
            close("polyval", p, arg, check_warnings=False)
    close("polyval", np.arange(6).reshape(3, 2).astype(dtype), x[:2])


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_add_sub_mul(dtype):
    cases = _coefficients(dtype) + [[1.5, 2], 4, [[1, 2]], np.array([1j, 2])]
    for a1 in cases:
        for a2 in _coefficients(np.int16)[:4] + [[2.0, 1.0, 0.5], 7]:
            for name in ("polyadd", "polysub", "polymul"):
                close(name, a1, a2, check_warnings=False)
                close(name, a2, a1, check_warnings=False)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_der_int(dtype):
    for p in _coefficients(dtype):
        for m in (0, 1, 2, 4, 6, -1, 2.7):
            close("polyder", p, m, check_warnings=False)
            close("polyint", p, m, check_warnings=False)
        for k in (None, 3, [1, 2], [1, 2, 3], 1.5j, [[1, 2]]):
            close("polyint", p, 2, k, check_warnings=False)
            close("polyint", p, 1, k, check_warnings=False)


def test_poly1d_in_poly1d_out():
    p, q = np.poly1d([1.0, 2.0, 3.0]), np.poly1d([0.5, -1.0])
    for name, args in (("polyadd", (p, q)), ("polysub", (p, [1, 2])), ("polymul", ([1, 2], q)),
                       ("polyder", (p,)), ("polyint", (p, 2, [1, 2])), ("polyval", (p, q)),
                       ("polyder", (p, 0)), ("polyint", (p, 0))):
        want, got = getattr(np, name)(*args), getattr(nf, name)(*args)
        assert type(got) is type(want) is np.poly1d, name
        np.testing.assert_allclose(got.coeffs, want.coeffs, rtol=1e-15, err_msg=name)
    close("polyval", p, np.arange(4.0))
    close("polyval", [1, 2], np.float32(2))
