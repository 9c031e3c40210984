"""The small-matrix product kernel (real products up to 128 on a side, taken instead of BLAS)
and the `@` fast path for two numfuse arrays, against NumPy: every remainder of its 4-row x
3-vector blocking, both sides of the size limits, operand layouts it reads in place, batches,
NaN/inf, and the fast path's dtypes, 0-d results and errors."""
import numpy as np
import pytest

import numfuse as nf

RNG = np.random.default_rng(7)
REAL = [np.float32, np.float64]


def close(got, expected):
    got = np.asarray(got)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    tol = 2e-5 if expected.dtype == np.float32 else 1e-12
    scale = max(1.0, float(np.max(np.abs(expected), initial=0)))
    np.testing.assert_allclose(got, expected, rtol=tol * 10, atol=tol * scale * 10)


def matrix(*shape, dtype=np.float64):
    return RNG.standard_normal(shape).astype(dtype)


# m: whole 4-row blocks and 1..3 leftover rows; n: whole 3-vector blocks (12 float64 / 24
# float32), single vectors and a scalar tail; k: 1 to the side limit.
@pytest.mark.parametrize("dtype", REAL)
@pytest.mark.parametrize("m,k,n", [(1, 9, 9), (2, 3, 5), (3, 7, 13), (4, 4, 4), (5, 17, 25),
                                   (7, 1, 31), (9, 33, 12), (13, 64, 24), (16, 16, 29),
                                   (32, 32, 32), (61, 5, 47), (64, 64, 64), (96, 96, 96),
                                   (128, 50, 128), (100, 128, 3)])
def test_products_match_numpy_across_block_remainders(dtype, m, k, n):
    a, b = matrix(m, k, dtype=dtype), matrix(k, n, dtype=dtype)
    close(nf.asarray(a).copy() @ nf.asarray(b).copy(), a @ b)


@pytest.mark.parametrize("dtype", REAL)
@pytest.mark.parametrize("n", [97, 127, 129, 200])
def test_sizes_around_the_kernel_limit_match_numpy(dtype, n):
    a, b = matrix(n, n, dtype=dtype), matrix(n, n, dtype=dtype)
    close(nf.matmul(a, b), a @ b)


@pytest.mark.parametrize("dtype", REAL)
def test_operands_read_in_place(dtype):
    big_a, big_b = matrix(80, 90, dtype=dtype), matrix(90, 100, dtype=dtype)
    fa, fb = nf.asarray(big_a).copy(), nf.asarray(big_b).copy()
    cases = [
        (lambda x: x[:33, :40].T, lambda y: y[:33, 5:45]),     # transposed a, sliced b rows
        (lambda x: x[3:40, 7:50], lambda y: y[10:53, 20:61]),  # row-strided a and b
        (lambda x: x[::2, ::3][:20, :25], lambda y: y[:25, :30]),  # a with element strides
        (lambda x: x[:30, :30], lambda y: y[:30, :30].T),      # transposed b: BLAS
    ]
    for pick_a, pick_b in cases:
        close(pick_a(fa) @ pick_b(fb), pick_a(big_a) @ pick_b(big_b))


@pytest.mark.parametrize("dtype", REAL)
def test_batched_and_broadcast_small_products(dtype):
    a, b = matrix(50, 32, 32, dtype=dtype), matrix(50, 32, 32, dtype=dtype)
    close(nf.asarray(a).copy() @ nf.asarray(b).copy(), a @ b)
    shared = matrix(32, 20, dtype=dtype)
    close(nf.asarray(a).copy() @ nf.asarray(shared).copy(), a @ shared)
    lhs = matrix(7, 3, 1, 9, 10, dtype=dtype)
    rhs = matrix(1, 4, 10, 11, dtype=dtype)
    close(nf.asarray(lhs).copy() @ nf.asarray(rhs).copy(), lhs @ rhs)


@pytest.mark.parametrize("dtype", REAL)
@pytest.mark.parametrize("side", [2, 3, 4, 5, 6, 8, 12, 16, 24, 32, 48, 64])
def test_batches_of_every_small_size_match_numpy(dtype, side):
    """Tiny products take the small kernel too, and large batches run split across threads:
    batches big enough to be threaded, a shared right operand, a broadcast left one, a
    transposed right operand (matmul_loop / BLAS) and matrix-vector batches (BLAS gemv)."""
    count = max(4, (1 << 18) // side**3)  # above the threading threshold
    a, b = matrix(count, side, side, dtype=dtype), matrix(count, side, side, dtype=dtype)
    fa, fb = nf.asarray(a).copy(), nf.asarray(b).copy()
    close(fa @ fb, a @ b)
    close(fa @ fb[0], a @ b[0])
    close(fa[:1] @ fb, a[:1] @ b)
    close(fa @ fb.transpose(0, 2, 1), a @ b.transpose(0, 2, 1))
    close(fa @ fb[:, :, :1], a @ b[:, :, :1])
    close(fa[:, :1, :] @ fb, a[:, :1, :] @ b)
    previous = nf.get_num_threads()
    nf.set_num_threads(1)
    try:
        single = np.asarray(fa @ fb)
    finally:
        nf.set_num_threads(previous)
    np.testing.assert_array_equal(np.asarray(fa @ fb), single)  # the thread count never shows


def test_nan_and_inf_propagate_in_the_small_kernel():
    a, b = matrix(20, 20), matrix(20, 20)
    a[3, 4], a[17, 0], b[5, 19] = np.nan, np.inf, -np.inf
    with np.errstate(invalid="ignore"):
        expected = a @ b
    got = np.asarray(nf.asarray(a).copy() @ nf.asarray(b).copy())
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
    np.testing.assert_array_equal(np.isinf(got), np.isinf(expected))
    finite = np.isfinite(expected)
    np.testing.assert_allclose(got[finite], expected[finite], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("ta,tb", [(np.int8, np.uint8), (np.int64, np.uint64), (np.bool_, np.bool_),
                                   (np.int32, np.float32), (np.float32, np.complex128),
                                   (np.uint16, np.float64), (np.bool_, np.int16)])
def test_operator_fast_path_promotes_like_numpy(ta, tb):
    a = (np.arange(12).reshape(3, 4) % 3).astype(ta)
    b = (np.arange(20).reshape(4, 5) % 4).astype(tb)
    got = np.asarray(nf.asarray(a).copy() @ nf.asarray(b).copy())
    expected = a @ b
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)


def test_operator_fast_path_scalar_result_and_errors():
    v = np.arange(5.0)
    fv = nf.asarray(v).copy()
    r = fv @ fv
    assert type(r) is np.float64 and r == v @ v
    with pytest.raises(ValueError, match="mismatch in its core dimension"):
        nf.ones((3, 4)) @ nf.ones((5, 2))
    with pytest.raises(ValueError, match="does not have enough dimensions"):
        nf.asarray(np.float64(2.0)).copy() @ nf.ones((2, 2))
