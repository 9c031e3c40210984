"""Norms and the top-level products (dot, vdot, inner, outer, tensordot, einsum, kron, trace,
diagonal, cross) against NumPy: values, dtypes, shapes and exception types."""
import numpy as np
import pytest

import numfuse as nf

RNG = np.random.default_rng(99)


def random(shape, dtype=np.float64):
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return RNG.integers(0, 2, shape).astype(bool)
    if dtype.kind in "iu":
        return RNG.integers(0 if dtype.kind == "u" else -50, 50, shape).astype(dtype)
    x = RNG.standard_normal(shape)
    if dtype.kind == "c":
        x = x + 1j * RNG.standard_normal(shape)
    return x.astype(dtype)


def same(result, expected, rtol=None):
    got = np.asarray(result)
    expected = np.asarray(expected)
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    if expected.dtype.kind in "biu":
        np.testing.assert_array_equal(got, expected)
    else:
        single = expected.dtype in (np.float32, np.complex64)
        t = rtol or (2e-5 if single else 1e-12)
        np.testing.assert_allclose(got, expected, rtol=t, atol=t * 10)


def raises_like_numpy(fn):
    with pytest.raises(Exception) as theirs:
        fn(np)
    with pytest.raises(type(theirs.value)):
        fn(nf)


# --- norms ---------------------------------------------------------------------------------------

VECTOR_ORDS = [None, 2, 1, 0, np.inf, -np.inf, 3, 0.5, -1, -2]
MATRIX_ORDS = [None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf]


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64, np.int32, np.bool_])
@pytest.mark.parametrize("ord", VECTOR_ORDS)
def test_vector_norms(dtype, ord):
    x = random((7,), dtype)
    same(nf.linalg.norm(x, ord), np.linalg.norm(x, ord), rtol=1e-5)
    m = random((3, 4, 5), dtype)
    for axis in (0, 1, -1):
        same(nf.linalg.norm(m, ord, axis=axis), np.linalg.norm(m, ord, axis=axis), rtol=1e-5)
        same(nf.linalg.norm(m, ord, axis=axis, keepdims=True),
             np.linalg.norm(m, ord, axis=axis, keepdims=True), rtol=1e-5)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex128])
@pytest.mark.parametrize("ord", MATRIX_ORDS)
def test_matrix_norms(dtype, ord):
    m = random((4, 5), dtype)
    same(nf.linalg.norm(m, ord), np.linalg.norm(m, ord), rtol=1e-5)
    b = random((2, 3, 4), dtype)
    for axis in ((1, 2), (2, 0), (-1, -2)):
        same(nf.linalg.norm(b, ord, axis=axis), np.linalg.norm(b, ord, axis=axis), rtol=1e-5)
        same(nf.linalg.norm(b, ord, axis=axis, keepdims=True),
             np.linalg.norm(b, ord, axis=axis, keepdims=True), rtol=1e-5)
    same(nf.linalg.matrix_norm(b, ord=ord or "fro"), np.linalg.matrix_norm(b, ord=ord or "fro"), rtol=1e-5)


def test_whole_array_norms_and_array_api_vector_norm():
    x = random((3, 4, 2))
    same(nf.linalg.norm(x), np.linalg.norm(x))
    same(nf.linalg.norm(x, keepdims=True), np.linalg.norm(x, keepdims=True))
    same(nf.linalg.vector_norm(x), np.linalg.vector_norm(x))
    same(nf.linalg.vector_norm(x, axis=(0, 2), ord=1), np.linalg.vector_norm(x, axis=(0, 2), ord=1))
    same(nf.linalg.norm(np.zeros((0, 3))), np.linalg.norm(np.zeros((0, 3))))
    assert isinstance(nf.linalg.norm(x), np.float64)


def test_norm_overflow_and_nan_behave_like_numpy():
    big = np.array([1e200, 1e200])
    assert nf.linalg.norm(big) == np.linalg.norm(big)
    assert np.isnan(nf.linalg.norm(np.array([1.0, np.nan]), np.inf))


def test_norm_errors():
    raises_like_numpy(lambda m: m.linalg.norm(np.ones(3), "fro"))
    raises_like_numpy(lambda m: m.linalg.norm(np.ones((2, 2)), "bogus"))
    raises_like_numpy(lambda m: m.linalg.norm(np.ones((2, 2, 2)), 1))
    raises_like_numpy(lambda m: m.linalg.norm(np.ones((2, 2)), axis=(0, 0)))
    raises_like_numpy(lambda m: m.linalg.norm(np.ones((2, 2)), axis=2))
    raises_like_numpy(lambda m: m.linalg.norm(np.ones((0,)), -np.inf))
    same(nf.linalg.norm(np.ones((0, 3)), np.inf, axis=0), np.linalg.norm(np.ones((0, 3)), np.inf, axis=0))


# --- products ------------------------------------------------------------------------------------

@pytest.mark.parametrize("sa,sb", [((), (3,)), ((3,), ()), ((4,), (4,)), ((2, 4), (4,)),
                                   ((4,), (4, 3)), ((2, 4), (4, 3)), ((2, 3, 4), (4, 5)),
                                   ((2, 3, 4), (5, 4, 6)), ((4,), (2, 4, 3)), ((0, 4), (4, 2))])
@pytest.mark.parametrize("dtype", [np.float64, np.int16, np.complex64])
def test_dot(sa, sb, dtype):
    a, b = random(sa, dtype), random(sb, dtype)
    same(nf.dot(a, b), np.dot(a, b))
    if len(sa) and len(sb):
        same(nf.asarray(a).dot(b), a.dot(b))


def test_dot_misaligned_shapes():
    raises_like_numpy(lambda m: m.dot(np.ones((2, 3)), np.ones((4, 5))))
    raises_like_numpy(lambda m: m.dot(np.ones((2, 3, 4)), np.ones((2, 5, 6))))


@pytest.mark.parametrize("dtype", [np.float32, np.complex128, np.int64, np.bool_])
def test_vdot_inner_outer(dtype):
    a, b = random((3, 4), dtype), random((3, 4), dtype)
    same(nf.vdot(a, b), np.vdot(a, b))
    same(nf.inner(a, b), np.inner(a, b))
    same(nf.inner(a[0], b[0]), np.inner(a[0], b[0]))
    same(nf.outer(a, b[1]), np.outer(a, b[1]))
    same(nf.linalg.outer(a[0], b[1]), np.linalg.outer(a[0], b[1]))
    assert type(nf.vdot(a, b)) is type(np.vdot(a, b))


def test_inner_of_higher_rank_and_errors():
    a, b = random((2, 3, 4)), random((5, 4))
    same(nf.inner(a, b), np.inner(a, b))
    raises_like_numpy(lambda m: m.inner(np.ones((2, 3)), np.ones((2, 4))))
    raises_like_numpy(lambda m: m.vdot(np.ones(3), np.ones(4)))


@pytest.mark.parametrize("axes,sa,sb", [
    (0, (3, 4), (2, 3)), (1, (3, 4, 5), (5, 2)), (2, (3, 4, 5), (4, 5, 6)),
    (([1, 0], [0, 1]), (3, 4, 5), (4, 3, 2)), (([2], [0]), (3, 4, 5), (5, 2)),
    (((0, 2), (1, 0)), (3, 4, 5), (5, 3, 7)),
])
def test_tensordot(axes, sa, sb):
    a, b = random(sa), random(sb)
    same(nf.tensordot(a, b, axes), np.tensordot(a, b, axes))
    same(nf.linalg.tensordot(a, b, axes=axes), np.linalg.tensordot(a, b, axes=axes))


def test_tensordot_mismatch():
    raises_like_numpy(lambda m: m.tensordot(np.ones((2, 3)), np.ones((4, 5)), 1))


@pytest.mark.parametrize("spec,shapes", [
    ("ij,jk->ik", [(3, 4), (4, 5)]),
    ("ij,jk", [(3, 4), (4, 5)]),
    ("ji,jk->ik", [(4, 3), (4, 5)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("...ij,...jk->...ik", [(2, 1, 3, 4), (5, 4, 2)]),
    ("ii", [(4, 4)]),
    ("ii->i", [(4, 4)]),
    ("bii->b", [(3, 4, 4)]),
    ("ij->ji", [(3, 4)]),
    ("ij->", [(3, 4)]),
    ("ij->j", [(3, 4)]),
    ("i,j->ij", [(3,), (4,)]),
    ("i,i->", [(5,), (5,)]),
    ("i,i->i", [(5,), (5,)]),
    ("ijk,jil->kl", [(2, 3, 4), (3, 2, 5)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]),
    ("i,ij,j", [(3,), (3, 4), (4,)]),
    ("...i,...i", [(2, 3, 4), (2, 3, 4)]),
    ("ab,cd->abcd", [(2, 3), (4, 1)]),
])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32, np.complex128])
def test_einsum(spec, shapes, dtype):
    ops = [random(s, dtype) for s in shapes]
    same(nf.einsum(spec, *ops), np.einsum(spec, *ops), rtol=1e-4 if dtype == np.float32 else None)


def test_einsum_sublist_form_and_errors():
    a, b = random((3, 4)), random((4, 5))
    same(nf.einsum(a, [0, 1], b, [1, 2], [0, 2]), np.einsum(a, [0, 1], b, [1, 2], [0, 2]))
    raises_like_numpy(lambda m: m.einsum("ij,jk->ik", np.ones((2, 3)), np.ones((4, 5))))
    raises_like_numpy(lambda m: m.einsum("ij->ik", np.ones((2, 3))))
    raises_like_numpy(lambda m: m.einsum("ijk", np.ones((2, 3))))


@pytest.mark.parametrize("sa,sb", [((2,), (3,)), ((2, 3), (4, 5)), ((2, 3), (4,)), ((3,), (2, 2)),
                                   ((2, 1, 2), (3, 2))])
@pytest.mark.parametrize("dtype", [np.float64, np.int8, np.bool_])
def test_kron(sa, sb, dtype):
    a, b = random(sa, dtype), random(sb, dtype)
    same(nf.kron(a, b), np.kron(a, b))


@pytest.mark.parametrize("dtype", [np.float32, np.int8, np.uint16, np.bool_, np.complex64])
@pytest.mark.parametrize("offset", [0, 1, -2, 5])
def test_trace_and_diagonal(dtype, offset):
    a = random((4, 5), dtype)
    same(nf.trace(a, offset), np.trace(a, offset))
    same(nf.diagonal(a, offset), np.diagonal(a, offset))
    b = random((3, 4, 5), dtype)
    same(nf.trace(b, offset, 1, 2), np.trace(b, offset, 1, 2))
    same(nf.trace(b, offset, 2, 0), np.trace(b, offset, 2, 0))
    same(nf.diagonal(b, offset, 0, 2), np.diagonal(b, offset, 0, 2))
    same(nf.linalg.trace(b, offset=offset), np.linalg.trace(b, offset=offset))
    same(nf.linalg.diagonal(b, offset=offset), np.linalg.diagonal(b, offset=offset))
    same(nf.asarray(a).trace(offset), a.trace(offset))


def test_diagonal_is_a_view():
    a = nf.asarray(random((4, 4))).copy()
    d = nf.diagonal(a)
    assert d._same_buffer(a)
    raises_like_numpy(lambda m: m.diagonal(np.ones(3)))
    raises_like_numpy(lambda m: m.trace(np.ones((2, 2)), axis1=0, axis2=0))


@pytest.mark.parametrize("sa,sb", [((3,), (3,)), ((4, 3), (3,)), ((2, 1, 3), (4, 3)),
                                   ((3,), (2,)), ((2, 3), (2, 2))])
@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.complex64])
def test_cross(sa, sb, dtype):
    a, b = random(sa, dtype), random(sb, dtype)
    same(nf.cross(a, b), np.cross(a, b))


def test_cross_axes_planar_vectors_and_errors():
    a, b = random((3, 5)), random((5, 3))
    same(nf.cross(a, b, axisa=0, axisb=1, axisc=0), np.cross(a, b, axisa=0, axisb=1, axisc=0))
    planar = random((4, 2))
    with pytest.warns(DeprecationWarning):
        ours = nf.cross(planar, np.ones(2))
    with pytest.warns(DeprecationWarning):
        same(ours, np.cross(planar, np.ones(2)))
    raises_like_numpy(lambda m: m.cross(np.ones(4), np.ones(3)))
    raises_like_numpy(lambda m: m.cross(np.ones(3, bool), np.ones(3, bool)))
    same(nf.linalg.cross(a.T, b), np.linalg.cross(a.T, b))
