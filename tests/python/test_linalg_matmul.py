"""matmul / @ against NumPy: dtypes, 1-D promotion, batch broadcasting, operand layouts, the
no-copy guarantee for BLAS-readable operands, and NumPy's errors."""
import numpy as np
import pytest

import numfuse as nf

RNG = np.random.default_rng(20240611)
FLOAT_TYPES = [np.float32, np.float64, np.complex64, np.complex128]
INT_TYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
             np.uint64]


def random(shape, dtype):
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return RNG.integers(0, 2, shape).astype(bool)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return RNG.integers(max(info.min, -1000), min(info.max, 1000), shape, endpoint=True).astype(dtype)
    x = RNG.standard_normal(shape)
    if dtype.kind == "c":
        x = x + 1j * RNG.standard_normal(shape)
    return x.astype(dtype)


def tolerance(dtype):
    return 2e-4 if np.dtype(dtype) in (np.float32, np.complex64) else 1e-11


def check(result, expected):
    got = np.asarray(result)
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    if expected.dtype.kind in "biu":
        np.testing.assert_array_equal(got, expected)
    else:
        scale = max(1.0, float(np.max(np.abs(expected), initial=0)))
        np.testing.assert_allclose(got, expected, rtol=tolerance(expected.dtype),
                                   atol=tolerance(expected.dtype) * scale)


def layout(x, kind):
    """x's values in the given memory layout (NumPy array, wrapped by numfuse without a copy)."""
    if kind == "C":
        return np.ascontiguousarray(x)
    if kind == "F":
        return np.asfortranarray(x)
    if kind == "T":  # the transpose of a C-contiguous array
        return np.ascontiguousarray(np.swapaxes(x, -1, -2)).swapaxes(-1, -2)
    if kind == "strided":  # every other column and row of a bigger array
        big = np.zeros(x.shape[:-2] + (2 * x.shape[-2], 2 * x.shape[-1]), x.dtype)
        big[..., ::2, ::2] = x
        return big[..., ::2, ::2]
    if kind == "negative":
        big = np.ascontiguousarray(x[..., ::-1, ::-1])
        return big[..., ::-1, ::-1]
    raise ValueError(kind)


@pytest.mark.parametrize("dtype", FLOAT_TYPES)
@pytest.mark.parametrize("n", [3, 40])  # the small-matrix loop and BLAS
def test_matrix_product_matches_numpy(dtype, n):
    a, b = random((n, n + 2), dtype), random((n + 2, n - 1), dtype)
    check(nf.asarray(a) @ nf.asarray(b), a @ b)
    check(nf.matmul(a, b), np.matmul(a, b))


@pytest.mark.parametrize("dtype", INT_TYPES)
def test_integer_and_bool_products_wrap_like_numpy(dtype):
    a, b = random((5, 7), dtype), random((7, 3), dtype)
    check(nf.matmul(a, b), a @ b)
    check(nf.matmul(a[0], b), a[0] @ b)


@pytest.mark.parametrize("ta,tb", [(np.float32, np.float64), (np.int32, np.float32),
                                   (np.int8, np.uint8), (np.bool_, np.int16),
                                   (np.float32, np.complex64), (np.float64, np.complex64),
                                   (np.int64, np.complex64)])
def test_mixed_dtypes_promote_like_numpy(ta, tb):
    a, b = random((4, 6), ta), random((6, 30), tb)
    check(nf.matmul(a, b), a @ b)


@pytest.mark.parametrize("sa,sb", [
    ((3,), (3,)), ((3,), (3, 4)), ((2, 3), (3,)), ((5, 2, 3), (3,)), ((3,), (5, 3, 2)),
    ((4, 2, 3), (4, 3, 5)), ((4, 2, 3), (3, 5)), ((2, 3), (4, 3, 5)), ((1, 2, 3), (6, 3, 2)),
    ((6, 1, 2, 3), (5, 3, 4)), ((2, 1, 40, 30), (3, 30, 20)), ((0, 3), (3, 4)), ((2, 0), (0, 3)),
    ((3, 0, 2, 4), (4, 5)), ((1, 1), (1, 1)),
])
def test_shapes_promotion_and_batch_broadcasting(sa, sb):
    a, b = random(sa, np.float64), random(sb, np.float64)
    check(nf.matmul(a, b), np.matmul(a, b))


def test_vector_product_is_a_numpy_scalar():
    a = random((5,), np.float64)
    r = nf.matmul(a, a)
    assert isinstance(r, np.float64)
    assert r == pytest.approx(a @ a)


@pytest.mark.parametrize("dtype", [np.float64, np.complex64, np.int32])
@pytest.mark.parametrize("la", ["C", "F", "T", "strided", "negative"])
@pytest.mark.parametrize("lb", ["C", "F", "T", "strided", "negative"])
def test_operand_layouts(dtype, la, lb):
    a, b = random((3, 24, 17), dtype), random((3, 17, 33), dtype)
    check(nf.matmul(layout(a, la), layout(b, lb)), a @ b)


def test_vector_operands_with_strides():
    a, m = random((60,), np.float64), random((30, 40), np.float64)
    check(nf.matmul(nf.asarray(a)[::2], m), a[::2] @ m)
    check(nf.matmul(m, nf.asarray(a)[::-1][:40]), m @ a[::-1][:40])
    check(nf.matmul(m.T, a[:30]), m.T @ a[:30])


def _allocations_of(fn):
    before = nf.memory_stats()["allocations"]
    out = fn()
    return nf.memory_stats()["allocations"] - before, out


@pytest.mark.parametrize("n", [4, 64])
def test_transposed_operand_reaches_blas_without_a_copy(n):
    a = nf.asarray(random((n, n), np.float64)).copy()
    b = nf.asarray(random((n, n), np.float64)).copy()
    count, c = _allocations_of(lambda: a.T @ b)
    assert count == 1  # the result only
    check(c, np.asarray(a).T @ np.asarray(b))


def test_fortran_and_sliced_operands_are_not_copied_but_negative_strides_are():
    base = nf.asarray(random((80, 80), np.float64)).copy()
    f = nf.asfortranarray(base)
    col_slice = base[:, 8:72]
    assert _allocations_of(lambda: f @ col_slice)[0] == 1
    assert _allocations_of(lambda: base[::-1] @ col_slice)[0] == 2  # one copy, one result


def test_batched_operands_are_not_copied():
    a = nf.asarray(random((10, 8, 8), np.float64)).copy()
    b = nf.asarray(random((8, 8), np.float64)).copy()
    assert _allocations_of(lambda: a @ b.T)[0] == 1


def test_operators_rmatmul_and_imatmul():
    a, b = random((4, 4), np.float64), random((4, 4), np.float64)
    check(a @ nf.asarray(b), a @ b)  # NumPy's operator defers to ours or converts: same values
    check(nf.asarray(a).__rmatmul__(b), b @ a)
    x = nf.asarray(a.copy())
    y = x
    y @= b
    assert y is x
    check(x, a @ b)
    with pytest.raises(ValueError):
        z = nf.asarray(random((4, 3), np.float64))
        z @= random((3, 5), np.float64)


@pytest.mark.parametrize("sa,sb", [((2, 3), (4, 5)), ((3,), (4,)), ((2, 3, 4), (2, 5, 6)),
                                   ((3, 2, 3), (4, 3, 2))])
def test_mismatched_shapes_raise_valueerror_naming_shapes(sa, sb):
    a, b = random(sa, np.float64), random(sb, np.float64)
    with pytest.raises(ValueError) as numpy_error:
        np.matmul(a, b)
    with pytest.raises(type(numpy_error.value)) as ours:
        nf.matmul(a, b)
    if sa[-1] != sb[-2 if len(sb) > 1 else 0]:
        assert "matmul" in str(ours.value) and str(sa) in str(ours.value) and str(sb) in str(ours.value)


def test_zero_dimensional_operand_raises_like_numpy():
    with pytest.raises(ValueError, match="does not have enough dimensions"):
        nf.matmul(nf.asarray(2.0), random((2, 2), np.float64))
    with pytest.raises(ValueError):
        nf.asarray(random((2, 2), np.float64)) @ 3.0


def test_nan_and_inf_propagate_like_numpy():
    a = random((30, 30), np.float64)
    a[3, 4] = np.nan
    a[7, 1] = np.inf
    b = random((30, 30), np.float64)
    np.testing.assert_array_equal(np.isnan(np.asarray(nf.matmul(a, b))), np.isnan(a @ b))


def test_blas_thread_count_is_settable():
    old = nf.linalg.get_blas_threads()
    try:
        nf.linalg.set_blas_threads(1)
        assert nf.linalg.get_blas_threads() == 1
    finally:
        nf.linalg.set_blas_threads(old)
