"""Shape functions, attributes and conversions against NumPy: values, dtypes, strides, views."""
import copy as _copy
import operator

import numpy as np
import pytest

import numfuse as nf

BASE = np.arange(24.0).reshape(2, 3, 4)
LAYOUTS = {
    "c": BASE,
    "transposed": BASE.transpose(2, 0, 1),
    "negative": BASE[:, ::-1],
    "fortran": np.asfortranarray(BASE),
}


def check(fn, n):
    """fn(np, n) and fn(nf, nf.asarray(n)) agree: values, dtype, shape, view-ness, strides."""
    a = nf.asarray(n)
    want = fn(np, n)
    got = fn(nf, a)
    if isinstance(want, (tuple, list)):
        assert type(got) is type(want) and len(got) == len(want)
        for g, w in zip(got, want):
            compare(g, w, n, a)
    else:
        compare(got, want, n, a)


def compare(got, want, n, a):
    if not isinstance(want, np.ndarray):
        assert got == want
        return
    assert isinstance(got, nf.ndarray)
    g = np.asarray(got)
    assert g.shape == want.shape and g.dtype == want.dtype
    np.testing.assert_array_equal(g, want)
    is_view = np.shares_memory(want, n)
    assert np.shares_memory(g, np.asarray(a)) == is_view
    if is_view and want.size > 1:
        keep = [i for i, d in enumerate(want.shape) if d > 1]
        assert [g.strides[i] for i in keep] == [want.strides[i] for i in keep]


@pytest.mark.parametrize("layout", list(LAYOUTS) + ["stepped", "permuted-negative"])
@pytest.mark.parametrize("order", "CFAK")
def test_ravel_flatten_order(layout, order):
    n = {"stepped": BASE[:, ::-1, ::2], "permuted-negative": BASE.transpose(1, 2, 0)[::-1]}.get(layout)
    n = LAYOUTS[layout] if n is None else n
    check(lambda m, x: m.ravel(x, order=order), n)
    check(lambda m, x: x.ravel(order), n)
    check(lambda m, x: x.flatten(order), n)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("order", "CFA")
@pytest.mark.parametrize("shape", [(4, -1), (-1,), (3, 2, 4), (1, 24, 1), (6, 1, 4)])
def test_reshape_views_and_copies(layout, order, shape):
    check(lambda m, x: m.reshape(x, shape, order=order), LAYOUTS[layout])
    check(lambda m, x: x.reshape(*shape, order=order), LAYOUTS[layout])


def test_reshape_any_negative_infers_and_zero_size():
    check(lambda m, x: x.reshape(-2, 12), BASE)
    check(lambda m, x: x.reshape(-1, 5), np.zeros((0, 5)))
    check(lambda m, x: x.reshape(()), np.ones((1, 1)))
    check(lambda m, x: x.reshape([]), np.ones((1,)))
    check(lambda m, x: x.reshape(1, 1), np.array(3.0, dtype=np.float32))


def test_reshape_copy_keyword():
    t = LAYOUTS["transposed"]
    a = nf.asarray(t)
    with pytest.raises(ValueError):
        nf.reshape(a, (6, 4), copy=False)
    r = nf.reshape(nf.asarray(BASE), (4, 6), copy=True)
    assert not np.shares_memory(np.asarray(r), BASE)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_transposes(layout):
    n = LAYOUTS[layout]
    check(lambda m, x: x.T, n)
    check(lambda m, x: x.mT, n)
    check(lambda m, x: m.transpose(x), n)
    check(lambda m, x: m.transpose(x, (1, 0, 2)), n)
    check(lambda m, x: m.transpose(x, (-1, 0, 1)), n)
    check(lambda m, x: x.transpose(2, 0, 1), n)
    check(lambda m, x: x.transpose((2, 0, 1)), n)
    check(lambda m, x: m.permute_dims(x, (2, 0, 1)), n)
    check(lambda m, x: m.swapaxes(x, 0, -1), n)
    check(lambda m, x: x.swapaxes(1, 2), n)
    check(lambda m, x: m.moveaxis(x, 0, -1), n)
    check(lambda m, x: m.moveaxis(x, [0, 1], [-1, 0]), n)


def test_expand_squeeze():
    check(lambda m, x: m.expand_dims(x, 1), BASE)
    check(lambda m, x: m.expand_dims(x, -1), BASE)
    check(lambda m, x: m.expand_dims(x, (0, -1)), BASE)
    check(lambda m, x: m.expand_dims(x, (3, 0, 5)), BASE)
    check(lambda m, x: m.squeeze(m.expand_dims(x, (0, 2))), BASE)
    check(lambda m, x: m.squeeze(m.expand_dims(x, (0, 2)), axis=(0, 2)), BASE)
    check(lambda m, x: m.squeeze(m.expand_dims(x, (0, 2)), axis=-3), BASE)
    check(lambda m, x: m.expand_dims(x, 0).squeeze(0), BASE)
    check(lambda m, x: m.squeeze(x), np.ones((1, 1)))


def test_broadcasting_views():
    check(lambda m, x: m.broadcast_to(x, (5, 2, 3, 4)), BASE)
    check(lambda m, x: m.broadcast_to(x[0, 0, :1], 5), BASE)
    check(lambda m, x: m.broadcast_to(x[:, :1], (2, 7, 4)), BASE)
    check(lambda m, x: m.broadcast_arrays(x, x[0], x[:, :1, :1]), BASE)
    assert nf.broadcast_shapes((2, 3), (3,), (4, 1, 1)) == np.broadcast_shapes((2, 3), (3,), (4, 1, 1))
    assert nf.broadcast_shapes() == np.broadcast_shapes()
    assert nf.broadcast_shapes(5, (1,)) == np.broadcast_shapes(5, (1,))
    b = nf.broadcast_to(nf.asarray(BASE.copy()), (2, 2, 3, 4))
    assert not b.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        b[0] = 1


def test_concatenate_stack():
    check(lambda m, x: m.concatenate([x, x], axis=1), BASE)
    check(lambda m, x: m.concatenate([x, x], axis=None), BASE)
    check(lambda m, x: m.concatenate([x, x[..., :1]], axis=-1), BASE)
    check(lambda m, x: m.concatenate([x, x.astype(np.int32)]), BASE)
    check(lambda m, x: m.concatenate([x.astype(np.int8), x.astype(np.uint8)]), BASE)
    check(lambda m, x: m.concatenate([x, x], dtype=np.int32, casting="unsafe"), BASE)
    check(lambda m, x: m.concatenate([x[:0], x]), BASE)
    check(lambda m, x: m.stack([x, x], axis=1), BASE)
    check(lambda m, x: m.stack([x, x, x], axis=-1), BASE)
    check(lambda m, x: m.stack([x[0, 0, 0], x[1, 1, 1]]), BASE)
    out = nf.zeros((4, 3, 4))
    assert nf.concatenate([nf.asarray(BASE), nf.asarray(BASE)], out=out) is out
    np.testing.assert_array_equal(np.asarray(out), np.concatenate([BASE, BASE]))


def test_atleast_and_queries():
    for x in (BASE[0, 0, 0], BASE[0, 0], BASE[0], BASE):
        check(lambda m, v: m.atleast_1d(v), np.asarray(x))
        check(lambda m, v: m.atleast_2d(v), np.asarray(x))
        check(lambda m, v: m.atleast_3d(v), np.asarray(x))
    a = nf.asarray(BASE)
    assert nf.shape(a) == BASE.shape and nf.ndim(a) == 3 and nf.size(a) == 24 and nf.size(a, -1) == 4


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("order", "CFAK")
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int16])
def test_astype_copy_semantics(layout, order, dtype):
    check(lambda m, x: x.astype(dtype, order=order), LAYOUTS[layout])
    check(lambda m, x: x.astype(dtype, order=order, copy=False), LAYOUTS[layout])
    n = LAYOUTS[layout]
    got = nf.asarray(n).astype(dtype, order=order)
    want = n.astype(dtype, order=order)
    assert got.flags.c_contiguous == want.flags.c_contiguous
    assert got.flags.f_contiguous == want.flags.f_contiguous


def test_astype_casting_rule():
    a = nf.asarray(BASE)
    with pytest.raises(TypeError):
        BASE.astype(np.int64, casting="safe")
    with pytest.raises(TypeError, match="safe"):
        a.astype(np.int64, casting="safe")
    assert a.astype(np.float32, casting="same_kind").dtype == np.float32


@pytest.mark.parametrize("layout", LAYOUTS)
def test_attributes(layout):
    n = LAYOUTS[layout]
    a = nf.asarray(n)
    assert a.shape == n.shape and a.ndim == n.ndim and a.size == n.size
    assert a.dtype == n.dtype and a.itemsize == n.itemsize and a.nbytes == n.nbytes
    assert a.strides == n.strides
    for flag in ("c_contiguous", "f_contiguous", "writeable"):
        assert getattr(a.flags, flag) == getattr(n.flags, flag)
    for key in ("C_CONTIGUOUS", "F_CONTIGUOUS", "WRITEABLE", "C", "F", "W"):
        assert a.flags[key] == n.flags[key]
    assert len(a) == len(n)


@pytest.mark.parametrize("n", [
    np.arange(6.0).reshape(2, 3), np.array(3.5), np.array([], dtype=np.int8), np.zeros((2, 0, 3)),
    np.array([[True, False]]), np.array([1 + 2j, -0.5j], dtype=np.complex64), np.arange(2000),
    np.array([1e-10, 1e10, np.nan, -np.inf]), np.array(7, dtype=np.uint16), np.arange(24).reshape(2, 3, 4)[:, ::-1],
], ids=lambda n: f"{n.dtype}{n.shape}")
def test_repr_str_iteration(n):
    a = nf.asarray(n)
    assert repr(a) == repr(n)
    assert str(a) == str(n)
    if n.ndim:
        rows = list(a)
        assert len(rows) == len(n)
        for got, want in zip(rows, n):
            if isinstance(want, np.ndarray):
                np.testing.assert_array_equal(np.asarray(got), want)
                assert want.size == 0 or np.shares_memory(np.asarray(got), n)  # rows are views
            else:
                assert type(got) is type(want) and (got == want or got != got)
    else:
        with pytest.raises(TypeError, match="0-d"):
            iter(a)
        with pytest.raises(TypeError, match="unsized"):
            len(a)


@pytest.mark.parametrize("convert", [float, int, complex, bool, operator.index])
@pytest.mark.parametrize("n", [np.array(2.5), np.array(3), np.array(True), np.array(1 + 2j), np.array([4]),
                               np.array([1, 2]), np.array([]), np.array([[0.0]]), np.array(3, np.uint8)],
                         ids=repr)
def test_scalar_conversions(convert, n):
    a = nf.asarray(n)
    try:
        want = convert(n)
    except Exception as e:  # noqa: BLE001 - the oracle decides which exception is right
        with pytest.raises(type(e)) as info:
            convert(a)
        assert str(info.value)
        return
    got = convert(a)
    assert type(got) is type(want) and got == want


def test_copy_protocol_and_writes_through_views():
    a = nf.asarray(BASE.copy())
    c = _copy.copy(a)
    d = _copy.deepcopy(a)
    c[0] = -1
    d[1] = -2
    np.testing.assert_array_equal(np.asarray(a), BASE)
    v = a.T[1:, ::2]
    v[...] = 0
    expected = BASE.copy()
    expected.T[1:, ::2] = 0
    np.testing.assert_array_equal(np.asarray(a), expected)
