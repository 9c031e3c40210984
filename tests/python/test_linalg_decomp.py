"""nf.linalg against numpy.linalg: every routine over dtypes, batch shapes (including empty and
1x1), layouts, and NumPy's exceptions. Where results are not unique (eigenvectors, singular
vectors, rank-deficient least squares) the tests compare residuals and invariants instead."""
import numpy as np
import pytest

import numfuse as nf

RNG = np.random.default_rng(7)
LAPACK_TYPES = [np.float32, np.float64, np.complex64, np.complex128]
BATCHES = [(), (3,), (2, 2), (0,)]


def random(shape, dtype=np.float64):
    dtype = np.dtype(dtype)
    if dtype.kind in "iub":
        return RNG.integers(-5, 6, shape).astype(dtype)
    x = RNG.standard_normal(shape)
    if dtype.kind == "c":
        x = x + 1j * RNG.standard_normal(shape)
    return x.astype(dtype)


def well_conditioned(batch, n, dtype):
    return (random(batch + (n, n), dtype) + 3 * n * np.eye(n)).astype(dtype)


def hermitian_pd(batch, n, dtype):
    x = random(batch + (n, n), dtype)
    return (x @ np.conj(np.swapaxes(x, -1, -2)) + n * np.eye(n)).astype(dtype)


def tol(dtype):
    return 5e-4 if np.dtype(dtype) in (np.float32, np.complex64) else 1e-9


def close(result, expected, dtype=None, check_dtype=True):
    got = np.asarray(result)
    expected = np.asarray(expected)
    if check_dtype:
        assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    t = tol(dtype or expected.dtype)
    np.testing.assert_allclose(got, expected, rtol=t, atol=t)


def N(x):
    return np.asarray(x)


@pytest.mark.parametrize("dtype", LAPACK_TYPES)
@pytest.mark.parametrize("batch", BATCHES)
def test_solve_inv_det_slogdet(dtype, batch):
    a = well_conditioned(batch, 4, dtype)
    b = random(batch + (4, 2), dtype)
    close(nf.linalg.solve(a, b), np.linalg.solve(a, b))
    close(nf.linalg.inv(a), np.linalg.inv(a))
    close(nf.linalg.det(a), np.linalg.det(a))
    sign, logdet = nf.linalg.slogdet(a)
    ns, nl = np.linalg.slogdet(a)
    close(sign, ns)
    close(logdet, nl)


def test_solve_vector_rhs_and_broadcast_batches():
    a = well_conditioned((3, 1), 4, np.float64)
    b = random((2, 4, 5), np.float64)
    close(nf.linalg.solve(a, b), np.linalg.solve(a, b))
    v = random((4,), np.float64)
    close(nf.linalg.solve(a, v), np.linalg.solve(a, v))


@pytest.mark.parametrize("layout", ["F", "T", "strided"])
def test_inputs_in_other_layouts(layout):
    a = well_conditioned((), 5, np.float64)
    x = {"F": np.asfortranarray(a), "T": np.ascontiguousarray(a.T).T,
         "strided": np.repeat(np.repeat(a, 2, 0), 2, 1)[::2, ::2]}[layout]
    close(nf.linalg.inv(x), np.linalg.inv(a))
    close(nf.linalg.eigvalsh(x + x.T), np.linalg.eigvalsh(a + a.T))


@pytest.mark.parametrize("dtype", [np.int32, np.bool_, np.int64])
def test_integer_inputs_compute_in_float64(dtype):
    a = np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1]]).astype(dtype)
    close(nf.linalg.inv(a), np.linalg.inv(a))
    close(nf.linalg.det(a), np.linalg.det(a))
    close(nf.linalg.svd(a, compute_uv=False), np.linalg.svd(a, compute_uv=False))


def test_det_is_a_numpy_scalar_for_one_matrix_and_one_for_empty():
    assert isinstance(nf.linalg.det(np.eye(3)), np.float64)
    assert nf.linalg.det(np.zeros((0, 0))) == 1.0
    assert nf.linalg.det(np.zeros((3, 3))) == 0.0
    assert tuple(nf.linalg.slogdet(np.zeros((2, 2)))) == (0.0, -np.inf)


@pytest.mark.parametrize("dtype", LAPACK_TYPES)
@pytest.mark.parametrize("batch", [(), (3,), (0,)])
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky(dtype, batch, upper):
    a = hermitian_pd(batch, 4, dtype)
    close(nf.linalg.cholesky(a, upper=upper), np.linalg.cholesky(a, upper=upper))


@pytest.mark.parametrize("dtype", LAPACK_TYPES)
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (4, 4), (2, 6, 3), (1, 1), (0, 3), (3, 0)])
@pytest.mark.parametrize("mode", ["reduced", "complete", "r", "raw"])
def test_qr(dtype, shape, mode):
    a = random(shape, dtype)
    ours, theirs = nf.linalg.qr(a, mode=mode), np.linalg.qr(a, mode=mode)
    if mode == "r":
        close(np.abs(N(ours)), np.abs(theirs))
        return
    if mode == "raw":
        for x, y in zip(ours, theirs):
            close(x, y)
        return
    q, r = N(ours[0]), N(ours[1])
    assert q.shape == theirs[0].shape and r.shape == theirs[1].shape
    assert q.dtype == theirs[0].dtype
    close(q @ r, a, dtype)
    eye = np.broadcast_to(np.eye(q.shape[-1]), q.shape[:-2] + (q.shape[-1],) * 2)
    close(np.conj(np.swapaxes(q, -1, -2)) @ q, eye, dtype, check_dtype=False)
    close(np.triu(r), r)


@pytest.mark.parametrize("dtype", LAPACK_TYPES)
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (4, 4), (2, 3, 6, 4), (1, 1), (0, 3), (2, 0, 0)])
@pytest.mark.parametrize("full_matrices", [True, False])
def test_svd(dtype, shape, full_matrices):
    a = random(shape, dtype)
    u, s, vh = (N(x) for x in nf.linalg.svd(a, full_matrices=full_matrices))
    nu, ns, nvh = np.linalg.svd(a, full_matrices=full_matrices)
    assert (u.shape, s.shape, vh.shape) == (nu.shape, ns.shape, nvh.shape)
    assert (u.dtype, s.dtype, vh.dtype) == (nu.dtype, ns.dtype, nvh.dtype)
    close(s, ns)
    k = s.shape[-1]
    close((u[..., :, :k] * s[..., None, :]) @ vh[..., :k, :], a, dtype)
    close(nf.linalg.svdvals(a), np.linalg.svdvals(a))
    close(nf.linalg.svd(a, compute_uv=False), ns)


@pytest.mark.parametrize("dtype", LAPACK_TYPES)
@pytest.mark.parametrize("batch", BATCHES)
@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigh_and_eigvalsh(dtype, batch, uplo):
    a = hermitian_pd(batch, 5, dtype)
    a = a + np.triu(random(batch + (5, 5), dtype), 1) * (uplo == "L")  # junk in the unused half
    w, v = (N(x) for x in nf.linalg.eigh(a, UPLO=uplo))
    nw, nv = np.linalg.eigh(a, UPLO=uplo)
    close(w, nw)
    assert v.dtype == nv.dtype and v.shape == nv.shape
    full = np.linalg.eigh(a, UPLO=uplo)
    recon = full.eigenvectors @ (full.eigenvalues[..., None] * np.conj(np.swapaxes(full.eigenvectors, -1, -2)))
    close((v * w[..., None, :]) @ np.conj(np.swapaxes(v, -1, -2)), recon, dtype)
    close(nf.linalg.eigvalsh(a, UPLO=uplo), np.linalg.eigvalsh(a, UPLO=uplo))


@pytest.mark.parametrize("dtype", LAPACK_TYPES)
@pytest.mark.parametrize("batch", [(), (3,), (0,)])
def test_eig_and_eigvals(dtype, batch):
    a = random(batch + (5, 5), dtype)
    w, v = (N(x) for x in nf.linalg.eig(a))
    nw, nv = np.linalg.eig(a)
    assert w.dtype == nw.dtype and v.dtype == nv.dtype and v.shape == nv.shape
    close(np.sort_complex(w.reshape(-1, 5)), np.sort_complex(nw.reshape(-1, 5)))
    close(a @ v, v * w[..., None, :], dtype, check_dtype=False)  # A v = v diag(w)
    close(np.sort_complex(N(nf.linalg.eigvals(a)).reshape(-1, 5)), np.sort_complex(nw.reshape(-1, 5)))


def test_eig_of_symmetric_real_matrix_stays_real():
    a = hermitian_pd((), 4, np.float64)
    assert nf.linalg.eig(a).eigenvalues.dtype == np.linalg.eig(a).eigenvalues.dtype == np.float64
    rot = np.array([[0.0, -1.0], [1.0, 0.0]])
    assert nf.linalg.eigvals(rot).dtype == np.complex128
    close(np.sort_complex(N(nf.linalg.eigvals(rot))), np.sort_complex(np.linalg.eigvals(rot)))


@pytest.mark.parametrize("dtype", LAPACK_TYPES)
@pytest.mark.parametrize("m,n,k", [(6, 3, 2), (6, 3, None), (3, 6, 2), (4, 4, 1), (0, 3, 2)])
def test_lstsq(dtype, m, n, k):
    a = random((m, n), dtype)
    b = random((m,) if k is None else (m, k), dtype)
    x, res, rank, s = nf.linalg.lstsq(a, b)
    nx, nres, nrank, ns = np.linalg.lstsq(a, b)
    close(x, nx)
    close(res, nres)
    assert rank == nrank
    close(s, ns)


def test_lstsq_rank_deficient_gives_the_minimum_norm_solution():
    a = random((6, 2))
    a = np.hstack([a, a[:, :1] * 2])  # rank 2
    b = random((6,))
    x, res, rank, _ = nf.linalg.lstsq(a, b)
    assert rank == 2 and N(res).shape == (0,)
    close(x, np.linalg.pinv(a) @ b)


@pytest.mark.parametrize("dtype", LAPACK_TYPES)
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (2, 4, 4), (0, 3)])
def test_pinv_and_matrix_rank(dtype, shape):
    a = random(shape, dtype)
    close(nf.linalg.pinv(a), np.linalg.pinv(a))
    close(nf.linalg.pinv(a, rtol=None), np.linalg.pinv(a, rtol=None))
    if 0 not in shape:
        assert np.array_equal(N(nf.linalg.matrix_rank(a)), np.linalg.matrix_rank(a))
        low = a[..., :, :1] @ a[..., :1, :]
        assert np.array_equal(N(nf.linalg.matrix_rank(low)), np.linalg.matrix_rank(low))
        assert np.array_equal(N(nf.linalg.matrix_rank(low, tol=1e-300)),
                              np.linalg.matrix_rank(low, tol=1e-300))


def test_matrix_rank_of_vectors_and_scalars():
    for x in (np.zeros(3), np.array([0.0, 1.0]), np.float64(0), np.array([np.nan])):
        assert nf.linalg.matrix_rank(x) == np.linalg.matrix_rank(x)


@pytest.mark.parametrize("p", [None, 1, -1, 2, -2, np.inf, -np.inf, "fro", "nuc"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex128])
def test_cond(p, dtype):
    a = well_conditioned((2,), 4, dtype)
    close(nf.linalg.cond(a, p), np.linalg.cond(a, p), dtype, check_dtype=False)
    singular = np.ones((3, 3), dtype)
    if p == "nuc":  # the NaN inverse of a singular matrix makes the SVD fail, in NumPy too
        raises_like_numpy(lambda m: m.linalg.cond(singular, p))
    elif p not in (None, 2, -2):  # (LAPACK's SVD of a singular matrix gives tiny, not zero, values)
        assert np.isinf(N(nf.linalg.cond(singular, p))) == np.isinf(np.linalg.cond(singular, p))


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, -1, -3])
@pytest.mark.parametrize("dtype", [np.float64, np.int64, np.complex64])
def test_matrix_power(n, dtype):
    a = well_conditioned((2,), 3, np.float64).round().astype(dtype) if dtype != np.complex64 else \
        well_conditioned((2,), 3, dtype)
    if n < 0 and dtype == np.int64:
        a = a.astype(np.float64)
    close(nf.linalg.matrix_power(a, n), np.linalg.matrix_power(a, n), dtype)


def test_multi_dot_matches_chained_products():
    shapes = [(10,), (10, 30), (30, 5), (5, 60), (60,)]
    arrays = [random(s) for s in shapes]
    close(nf.linalg.multi_dot(arrays), np.linalg.multi_dot(arrays))
    close(nf.linalg.multi_dot(arrays[1:4]), np.linalg.multi_dot(arrays[1:4]))
    close(nf.linalg.multi_dot(arrays[1:3]), np.linalg.multi_dot(arrays[1:3]))


# --- errors: NumPy's exception types -----------------------------------------------------------

def raises_like_numpy(fn, *args, **kwargs):
    with pytest.raises(Exception) as theirs:
        fn(np, *args, **kwargs)
    with pytest.raises(type(theirs.value)) as ours:
        fn(nf, *args, **kwargs)
    return ours.value


def test_linalg_error_is_numpys():
    assert nf.linalg.LinAlgError is np.linalg.LinAlgError
    assert issubclass(nf.linalg.LinAlgError, ValueError)


@pytest.mark.parametrize("name", ["solve", "inv"])
def test_singular_matrix_raises(name):
    a = np.array([[1.0, 2.0], [2.0, 4.0]])
    args = (a, np.ones(2)) if name == "solve" else (a,)
    e = raises_like_numpy(lambda m: getattr(m.linalg, name)(*args))
    assert "Singular matrix" in str(e)


def test_not_positive_definite_raises():
    e = raises_like_numpy(lambda m: m.linalg.cholesky(-np.eye(3)))
    assert "positive definite" in str(e)


@pytest.mark.parametrize("name", ["inv", "det", "eig", "eigh", "cholesky", "slogdet"])
def test_non_square_and_1d_inputs_raise(name):
    raises_like_numpy(lambda m: getattr(m.linalg, name)(np.ones((2, 3))))
    raises_like_numpy(lambda m: getattr(m.linalg, name)(np.ones(3)))


def test_shape_mismatch_in_solve_is_a_valueerror_naming_shapes():
    e = raises_like_numpy(lambda m: m.linalg.solve(np.eye(3), np.ones((4, 2))))
    assert "(3, 3)" in str(e) and "(4, 2)" in str(e)


@pytest.mark.parametrize("name", ["svd", "eigvals", "eig", "svdvals"])
def test_non_finite_input_raises_like_numpy(name):
    a = random((4, 4))
    a[1, 2] = np.nan
    raises_like_numpy(lambda m: getattr(m.linalg, name)(a))


@pytest.mark.parametrize("name", ["inv", "det", "solve", "pinv", "eigvalsh", "norm", "cond"])
def test_non_finite_input_gives_numpys_result(name):
    a = well_conditioned((), 4, np.float64)
    a[0, 3] = np.nan
    args = (a, np.ones(4)) if name == "solve" else (a,)
    try:
        expected = ("value", getattr(np.linalg, name)(*args))
    except np.linalg.LinAlgError:
        expected = ("error", None)
    if expected[0] == "error":
        with pytest.raises(np.linalg.LinAlgError):
            getattr(nf.linalg, name)(*args)
    else:
        np.testing.assert_array_equal(np.isnan(N(getattr(nf.linalg, name)(*args))), np.isnan(expected[1]))


def test_bad_arguments_raise_like_numpy():
    raises_like_numpy(lambda m: m.linalg.qr(np.eye(2), mode="bogus"))
    raises_like_numpy(lambda m: m.linalg.eigh(np.eye(2), UPLO="X"))
    raises_like_numpy(lambda m: m.linalg.matrix_power(np.eye(2), 1.5))
    raises_like_numpy(lambda m: m.linalg.cond(np.zeros((0, 0))))
    raises_like_numpy(lambda m: m.linalg.lstsq(np.eye(3), np.ones(4)))
    raises_like_numpy(lambda m: m.linalg.inv(np.eye(2, dtype=np.float16)))
