"""Native tri, vander, logspace, geomspace vs NumPy."""

import numpy as np
import pytest

import numfuse as nf
from native_cases import DTYPES, check
from native_close import close, assert_native_with_numpys_signatures

NAMES = ("tri", "vander", "logspace", "geomspace")


def test_names_are_native_with_numpys_signatures():
    assert_native_with_numpys_signatures(*NAMES)


@pytest.mark.parametrize("N", [0, 1, 3, 5, -1, np.int8(4)])
def test_tri(N):
    for M in (None, 0, 2, 6):
        for k in (0, 1, -2, 9, -9):
            check("tri", N, M, k)
    for dtype in DTYPES + [None, "f4", int]:
        check("tri", N, 4, -1, dtype=dtype)
    check("tri", N, like=np.array(1.0))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_vander(dtype):
    x = (np.arange(-3, 4) % 5).astype(dtype)
    for arg in (x, x[::-2], x[:0], x[:1]):
        for N in (None, 0, 1, 2, 5):
            for increasing in (False, True):
                check("vander", arg, N, increasing)
    check("vander", x.reshape(7, 1))
    check("vander", x, -1)
    check("vander", x[3])
    check("vander", [1, 2.5, 3], 3)


ENDPOINTS = [(0, 2), (2, 0), (1.5, -3), (np.float32(0), np.float32(1)), ([0, 1], [2, 3]),
             (np.array([[0.0], [1.0]]), [2.0, 3.0, 4.0]), (0, 1j), (np.arange(3), 5)]


@pytest.mark.parametrize("start, stop", ENDPOINTS, ids=str)
def test_logspace(start, stop):
    for num in (0, 1, 2, 7):
        for endpoint in (True, False):
            close("logspace", start, stop, num, endpoint, check_warnings=False)
    for base in (2, 10.0, np.e, np.array([2.0, 3.0]), np.array([[2.0], [3.0]]), np.float32(2)):
        close("logspace", start, stop, 5, base=base, check_warnings=False)
    for dtype in (np.float32, np.complex128, np.int64):
        close("logspace", start, stop, 4, dtype=dtype, check_warnings=False)
    for axis in (0, -1, 1, 3):
        close("logspace", start, stop, 4, axis=axis, check_warnings=False)


GEOM_ENDPOINTS = [(1, 1000), (1000, 1), (-1, -1000), (2.5, 7.25), (np.float32(1), 1e4),
                  (1j, 1000j), (-1 + 0j, 1 + 0j), (1 + 1j, 4 + 4j), (-1, 1), (0, 5), (3, 0),
                  ([1, 2], [10, 20]), (np.array([[1], [-2]]), [10, -20, 30]), (1, 1),
                  (np.uint8(2), 200), (True, 8), (np.complex64(1j), 100)]


@pytest.mark.parametrize("start, stop", GEOM_ENDPOINTS, ids=str)
def test_geomspace(start, stop):
    for num in (0, 1, 2, 5):
        for endpoint in (True, False):
            close("geomspace", start, stop, num, endpoint, check_warnings=False)
    for dtype in (np.float32, np.int32, np.complex64, np.complex128):
        close("geomspace", start, stop, 4, dtype=dtype, check_warnings=False)
    for axis in (0, -1, 1, 2):
        close("geomspace", start, stop, 4, axis=axis, check_warnings=False)


def test_geomspace_sets_endpoints_exactly():
    for start, stop in ((3, 729), (-1e-3, -7.77), (2j, 2048j), (1 + 2j, 3 - 4j)):
        result = np.asarray(nf.geomspace(start, stop, 7))
        assert result[0] == start and result[-1] == stop
