"""Matrix products in the lazy graph: `a @ b` of 2-D BLAS-dtype matrices is a pending node whose
rows BLAS makes at evaluation; an elementwise expression reading a temporary product runs over
it panel by panel (jit::produced). Every result is compared with NumPy's."""
import numpy as np
import pytest

import numfuse as nf
from numfuse import _core


@pytest.fixture
def small_panels():
    """Panels of 256 KiB, so that modest products with a short k are made in many panels (with a
    remainder); linalg asks for panels of at least 32k rows."""
    old = _core._set_product_panel_bytes(1 << 18)
    yield
    _core._set_product_panel_bytes(old)


def operands(m, k, n, dtype, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((m, k)).astype(dtype)
    b = rng.standard_normal((k, n)).astype(dtype)
    bias = rng.standard_normal(n).astype(dtype)
    if np.issubdtype(dtype, np.complexfloating):
        a = a + 1j * rng.standard_normal((m, k)).astype(dtype)
    return a, b, bias


def close(got, want):
    got = np.asarray(got)
    assert got.dtype == want.dtype and got.shape == want.shape
    tol = 1e-4 if want.dtype in (np.float32, np.complex64) else 1e-10
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol * 10)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.complex64])
@pytest.mark.parametrize("shape", [(5000, 2, 120), (3000, 4, 100), (200, 300, 150)])
def test_epilogue_over_panels_matches_numpy(small_panels, dtype, shape):
    na, nb, nbias = operands(*shape, dtype)
    a, b, bias = nf.asarray(na), nf.asarray(nb), nf.asarray(nbias)
    product = a @ b
    assert _core._is_pending(product)
    del product
    before = nf.jit_stats()["groups_run"]
    if np.issubdtype(dtype, np.complexfloating):
        got, want = nf.abs(a @ b + bias) * 2, np.abs(na @ nb + nbias) * 2
    else:
        got, want = nf.maximum(a @ b + bias, 0), np.maximum(na @ nb + nbias, 0)
    close(got, want)
    assert nf.jit_stats()["groups_run"] == before + 1  # the product is not a group of its own


def test_product_alone_and_held_products(small_panels):
    na, nb, nbias = operands(1500, 20, 60, np.float64)
    a, b, bias = nf.asarray(na), nf.asarray(nb), nf.asarray(nbias)
    c = a @ b
    r = nf.maximum(c + bias, 0)  # c is held: computed whole into its own memory, then read
    close(r, np.maximum(na @ nb + nbias, 0))
    close(c, na @ nb)
    c2 = a @ b
    close(c2, na @ nb)  # forced alone
    c2[0, 0] = 7.0  # writable like any result
    assert float(np.asarray(c2)[0, 0]) == 7.0


def test_a_temporary_product_read_by_two_expressions(small_panels):
    na, nb, _ = operands(4000, 10, 30, np.float64)
    a, b = nf.asarray(na), nf.asarray(nb)
    p = a @ b
    x = p + 1
    y = p * 2
    del p
    close(x, na @ nb + 1)
    close(y, (na @ nb) * 2)


def test_writes_after_the_product_line_are_not_seen(small_panels):
    na, nb, nbias = operands(5000, 12, 20, np.float64)
    a, b, bias = nf.asarray(na.copy()), nf.asarray(nb.copy()), nf.asarray(nbias)
    want = np.maximum(na @ nb + nbias, 0)
    r = nf.maximum(a @ b + bias, 0)
    a[0, :] = 100.0
    b *= 3
    close(r, want)
    # In place, the product reading the destination itself.
    sq = np.random.default_rng(1).random((150, 150))
    s = nf.asarray(sq.copy())
    s += s @ s
    close(s, sq + sq @ sq)


@pytest.mark.parametrize("layout", ["F", "T", "strided", "pending"])
def test_operand_layouts(small_panels, layout):
    na, nb, nbias = operands(4000, 8, 40, np.float64)
    a, b, bias = nf.asarray(na), nf.asarray(nb), nf.asarray(nbias)
    if layout == "F":
        a = nf.asarray(np.asfortranarray(na))
    elif layout == "T":
        b = nf.asarray(np.ascontiguousarray(nb.T)).T
    elif layout == "strided":
        wide = np.repeat(na, 2, axis=1)
        a = nf.asarray(wide)[:, ::2]
    else:
        a = nf.asarray(na) * 1.0
    close(nf.maximum(a @ b + bias, 0), np.maximum(na @ nb + nbias, 0))


def test_reductions_and_promotion_of_products():
    na, nb, _ = operands(200, 150, 100, np.float64)
    a, b = nf.asarray(na), nf.asarray(nb)
    np.testing.assert_allclose(float((a @ b).sum()), (na @ nb).sum(), rtol=1e-12)
    close((a @ b).max(axis=0), (na @ nb).max(axis=0))
    ints = np.arange(200 * 150).reshape(200, 150) % 7
    close(nf.asarray(ints) @ b + 1, ints @ nb + 1)  # int64 @ float64 -> float64, lazily


def test_small_products_stay_eager_and_laziness_can_be_off():
    na, nb, _ = operands(10, 10, 10, np.float64)
    assert not _core._is_pending(nf.asarray(na) @ nf.asarray(nb))
    big_a, big_b, _ = operands(200, 200, 200, np.float64)
    nf.set_lazy(False)
    try:
        r = nf.asarray(big_a) @ nf.asarray(big_b)
        assert not _core._is_pending(r)
        close(r, big_a @ big_b)
    finally:
        nf.set_lazy(True)
