"""Broadcast fills (full, ones, fill, a[...] = value, a[::k] = value): one value written to many
elements, in every dtype pair the copy table holds, contiguous and strided, against NumPy."""
import warnings

import numpy as np
import pytest

import numfuse as nf

DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "float32",
          "float64", "complex64", "complex128"]


@pytest.mark.parametrize("target", DTYPES)
@pytest.mark.parametrize("source", DTYPES)
def test_fill_from_a_0d_array_of_each_dtype(source, target):
    value = np.array(-3.75 + 2j).astype(source) if source.startswith("c") else \
        np.array(-3.75 if source.startswith("f") else 5).astype(source)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NumPy's ComplexWarning for complex -> real
        for n in (1, 7, 1000):
            want = np.zeros(n, target)
            want[...] = value
            got = nf.zeros(n, target)
            got[...] = nf.asarray(value)
            np.testing.assert_array_equal(np.asarray(got), want)
            strided_want = np.zeros(3 * n, target)
            strided_want[::3] = value
            strided = nf.zeros(3 * n, target)
            strided[::3] = nf.asarray(value)
            np.testing.assert_array_equal(np.asarray(strided), strided_want)


@pytest.mark.parametrize("dtype", DTYPES)
def test_full_ones_and_fill(dtype):
    for shape in ((), (0,), (5, 3), (1000,)):
        np.testing.assert_array_equal(np.asarray(nf.ones(shape, dtype)), np.ones(shape, dtype))
        np.testing.assert_array_equal(np.asarray(nf.full(shape, 7, dtype)), np.full(shape, 7, dtype))
        a, b = nf.empty(shape, dtype), np.empty(shape, dtype)
        a.fill(1)
        b.fill(1)
        np.testing.assert_array_equal(np.asarray(a), b)
    fortran = nf.full((4, 6), 2, dtype, order="F")[:, ::2]
    np.testing.assert_array_equal(np.asarray(fortran), np.full((4, 6), 2, dtype, order="F")[:, ::2])
