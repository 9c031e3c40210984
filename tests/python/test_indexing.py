"""Advanced and basic indexing against NumPy: values, shapes, dtypes, layout, views vs copies."""
import operator

import numpy as np
import pytest

import numfuse as nf


def pair(shape=(5, 3, 4), dtype=np.int64):
    n = np.arange(int(np.prod(shape))).astype(dtype).reshape(shape)
    return n, nf.asarray(n.copy())


def assert_same(got, expected, *, base=None, nf_base=None):
    """Same values/shape/dtype; for non-trivial axes the same strides; view iff NumPy's is a view."""
    if not isinstance(expected, np.ndarray):  # NumPy scalar
        assert type(got) is type(expected)
        assert got == expected or (got != got and expected != expected)
        return
    assert isinstance(got, nf.ndarray)
    g = np.asarray(got)
    assert g.shape == expected.shape
    assert g.dtype == expected.dtype
    np.testing.assert_array_equal(g, expected)
    if expected.size > 1:
        keep = [i for i, d in enumerate(expected.shape) if d > 1]
        assert [g.strides[i] for i in keep] == [expected.strides[i] for i in keep]
    if base is not None:
        assert np.shares_memory(g, np.asarray(nf_base)) == np.shares_memory(expected, base)


B = np.array([True, False, True])
M = np.arange(60).reshape(5, 3, 4) % 3 == 0

GETITEM_KEYS = [
    [0, 2], [-1, -5, 0], [[0, 1], [2, 3]], [], np.array([4, 0], np.uint8), np.array([1], np.int16),
    (slice(None), [0, 1]), (slice(None), slice(None), [0, 1]), ([0, 1], slice(None), [0, 1]),
    (0, slice(None), [0, 1]), (slice(None), 0, [0, 1]), (slice(None), [[0], [1]], [0, 1, 2]),
    (Ellipsis, [3, 0]), ([1, 2], Ellipsis), (None, [0], None), (slice(None, None, -1), [0, 2]),
    (slice(1, None, 2), [2, 2, 2], slice(None, None, -2)), ([[1]], [[0, 1]], [[2], [3]]),
    M, (slice(None), M[0]), (2, M[0]), M[:, 0, 0], (slice(None), B), (slice(1, None), B), (B.nonzero()[0], B), (Ellipsis, M[0, 0]),
    True, False, (Ellipsis, True), ([0, 1], True), (slice(None), True, [0, 1, 2]),
    (slice(None), [0, 1, 2], True, [0, 1, 2]), (slice(None), [0, 1, 2], Ellipsis, [0, 1, 2]),
    (slice(None), [0, 1, 2], None, [0, 1, 2]), (np.True_, 0), (np.intp(1), [0, 2]),
    [True, False, True, True, False], ([0, 1], np.array(1)),
]


@pytest.mark.parametrize("key", GETITEM_KEYS, ids=repr)
def test_getitem_matches_numpy(key):
    n, a = pair()
    assert_same(a[key], n[key], base=n, nf_base=a)


@pytest.mark.parametrize("key", GETITEM_KEYS, ids=repr)
def test_getitem_with_numfuse_index_arrays(key):
    """Index arrays given as numfuse arrays behave as the NumPy arrays they hold."""
    def to_nf(k):
        return nf.asarray(k) if isinstance(k, np.ndarray) else k
    key_nf = tuple(to_nf(k) for k in key) if isinstance(key, tuple) else to_nf(key)
    n, a = pair()
    assert_same(a[key_nf], n[key])


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint16, np.int32, np.float32, np.float64,
                                   np.complex64, np.complex128])
def test_getitem_every_dtype(dtype):
    n, a = pair((4, 6), dtype)
    for key in ([3, 1, 3], (slice(None), [5, 0]), n != 0, ([0, 3], [1, 2])):
        assert_same(a[key], n[key])


def test_advanced_getitem_of_views_and_zero_size():
    n, a = pair((6, 5))
    nv, av = n[::-2, 1:], a[::-2, 1:]
    assert_same(av[[0, 2], [3, -1]], nv[[0, 2], [3, -1]])
    assert_same(av[:, [1, 1, 0]], nv[:, [1, 1, 0]])
    n0, a0 = pair((0, 3))
    assert_same(a0[:, [0, 2]], n0[:, [0, 2]])
    assert_same(a0[n0 > 0], n0[n0 > 0])
    z, az = np.array(7), nf.asarray(np.array(7))
    assert_same(az[True], z[True])
    assert_same(az[np.array(False)], z[np.array(False)])
    assert_same(az[..., None, True], z[..., None, True])


def test_getitem_copies():
    n, a = pair((4, 3))
    r = a[[0, 1]]
    r[...] = -1
    np.testing.assert_array_equal(np.asarray(a), n)


SETITEM_CASES = [
    ([0, 2], 1),
    ([0, 0, 2], np.arange(3)[:, None, None] * np.ones((3, 4))),
    ((slice(None), [0, 1]), np.arange(4.0)),
    (M, -1),
    (M, np.arange(int(M.sum()))),
    ((slice(None), [0, 1], [1, 2]), np.ones((1, 1, 5, 2))),
    ((0, slice(None), [0, 1]), np.arange(6.0).reshape(2, 3)),
    ((slice(None), B), 7.9),
    (([1, 1, 1], [0, 1, 2]), [10, 20, 30, 40]),
    ([4, 4, 4], np.array([[1], [2], [3]])[:, :, None]),  # last write wins
    ((Ellipsis, [0, -1]), np.array([5, 6])),
    (True, 3),
    (False, 3),
]


@pytest.mark.parametrize("key,value", SETITEM_CASES, ids=repr)
def test_setitem_matches_numpy(key, value):
    n, a = pair()
    n[key] = value
    a[key] = value
    np.testing.assert_array_equal(np.asarray(a), n)


def test_setitem_with_numfuse_values_and_masks():
    n, a = pair((4, 5), np.float64)
    mask = n % 2 == 1
    n[mask] = 0
    a[nf.asarray(mask)] = nf.zeros(1)
    np.testing.assert_array_equal(np.asarray(a), n)
    n[[0, 3]] = n[[3, 0]]  # value aliases the target: read before written
    a[[0, 3]] = a[[3, 0]]
    np.testing.assert_array_equal(np.asarray(a), n)
    n[[1, 2], 1:] = n[1:3, :4]
    a[[1, 2], 1:] = a[1:3, :4]
    np.testing.assert_array_equal(np.asarray(a), n)


def test_repeated_index_update_applies_once():
    """`a[[0, 0]] += 1` is get, add, set: the element goes up once, as in NumPy."""
    n, a = pair((4,))
    tmp = a[[0, 0, 2]]
    a[[0, 0, 2]] = np.asarray(tmp) + 1
    n[[0, 0, 2]] += 1
    np.testing.assert_array_equal(np.asarray(a), n)


def test_setitem_casts_like_numpy():
    n, a = pair((3,), np.int8)
    n[[0, 1]] = np.array([1.9, -2.7])
    a[[0, 1]] = np.array([1.9, -2.7])
    np.testing.assert_array_equal(np.asarray(a), n)
    c = nf.zeros(3, dtype=np.complex128)
    c[[2]] = 1 + 2j
    assert np.asarray(c)[2] == 1 + 2j


def test_setitem_writes_through_to_numpy_memory():
    n = np.zeros((3, 4))
    a = nf.asarray(n)
    a[[0, 2], [1, 3]] = 5
    assert n[0, 1] == 5 and n[2, 3] == 5 and n.sum() == 10


def test_basic_index_gives_views_and_scalars():
    n, a = pair((4, 5))
    assert_same(a[1:3, ::-2], n[1:3, ::-2], base=n, nf_base=a)
    assert_same(a[None, ..., 2], n[None, ..., 2], base=n, nf_base=a)
    assert_same(a[2, 3], n[2, 3])
    assert_same(a[np.int8(1), np.uint64(2)], n[np.int8(1), np.uint64(2)])
    assert_same(a[nf.asarray(np.array(1))], n[np.array(1)], base=n, nf_base=a)  # a copy
    assert_same(a[np.array(1), np.array(2)], n[np.array(1), np.array(2)])  # a scalar
    assert_same(a[..., np.array(1)], n[..., np.array(1)], base=n, nf_base=a)
    assert_same(a[()], n[()], base=n, nf_base=a)


def test_take():
    n, a = pair((3, 4))
    assert_same(nf.take(a, [5, 0, -1]), np.take(n, [5, 0, -1]))
    assert_same(nf.take(a, [[1]], axis=1), np.take(n, [[1]], axis=1))
    assert_same(nf.take(a, 2, axis=-1), np.take(n, 2, axis=-1))
    assert_same(nf.take(a, 7), np.take(n, 7))
    assert_same(nf.take(a, [True, False]), np.take(n, [True, False]))
    assert_same(nf.take(a, [1.5, 2.7]), np.take(n, [1.5, 2.7]))  # Python floats truncate, as in NumPy
    assert_same(nf.take(a, [13, -14], mode="wrap"), np.take(n, [13, -14], mode="wrap"))
    assert_same(nf.take(a, [13, -14], axis=0, mode="clip"), np.take(n, [13, -14], axis=0, mode="clip"))
    assert_same(a.take([1, 2], axis=0), n.take([1, 2], axis=0))
    r = nf.take(a, 1, axis=0)
    r[...] = -1  # take copies even for a scalar index
    np.testing.assert_array_equal(np.asarray(a), n)
    out = nf.zeros(2, dtype=np.int64)
    assert nf.take(a, [0, 1], out=out) is out
    np.testing.assert_array_equal(np.asarray(out), [0, 1])


@pytest.mark.parametrize("dtype", [np.bool_, np.int16, np.uint64, np.float32, np.complex128])
def test_nonzero_count_nonzero_flatnonzero(dtype):
    rng = np.random.default_rng(0)
    n = (rng.integers(0, 3, size=(4, 5)) * (1 + 1j if np.dtype(dtype).kind == "c" else 1)).astype(dtype)
    a = nf.asarray(n)
    for src, nsrc in ((a, n), (a.T, n.T), (a[::-1, ::2], n[::-1, ::2])):
        got, want = nf.nonzero(src), np.nonzero(nsrc)
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            assert_same(g, w)
        assert nf.count_nonzero(src) == np.count_nonzero(nsrc)
        assert type(nf.count_nonzero(src)) is type(np.count_nonzero(nsrc))
        assert_same(nf.flatnonzero(src), np.flatnonzero(nsrc))
    for g, w in zip(a.nonzero(), n.nonzero()):
        assert_same(g, w)


def test_nonzero_special_values():
    n = np.array([0.0, -0.0, np.nan, np.inf, 1e-300])
    got = nf.nonzero(nf.asarray(n))[0]
    np.testing.assert_array_equal(np.asarray(got), np.nonzero(n)[0])


def test_operator_index_on_0d_integers():
    assert operator.index(nf.asarray(np.array(3, np.uint8))) == 3
    assert [10, 20, 30][nf.asarray(np.array(2))] == 30


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.int16, np.float32, np.float64, np.complex128])
def test_whole_array_mask_any_layout(dtype):
    """a[mask] / a[mask] = v with a mask of a's shape (the one-pass path), through strided views."""
    rng = np.random.default_rng(1)
    base = (rng.integers(-3, 4, size=(6, 8)) * (1 + 1j if np.dtype(dtype).kind == "c" else 1)).astype(dtype)
    for view in (lambda x: x, lambda x: x.T, lambda x: x[::-2, 1::3], lambda x: x[:, ::-1].T):
        n = base.copy()
        a = nf.asarray(base.copy())
        nv, av = view(n), view(a)
        mask = np.asfortranarray(rng.random(nv.shape) > 0.4)
        assert_same(av[mask], nv[mask])
        assert_same(av[nf.asarray(mask)], nv[mask])
        nv[mask] = 1
        av[mask] = 1
        np.testing.assert_array_equal(np.asarray(a), n)
        values = np.arange(int(mask.sum())).astype(dtype)
        nv[mask] = values
        av[nf.asarray(mask)] = nf.asarray(values)
        np.testing.assert_array_equal(np.asarray(a), n)
    for fill in (np.zeros, np.ones):
        n, a = pair((3, 4))
        mask = fill((3, 4), bool)
        n[mask] = -5
        a[mask] = -5
        np.testing.assert_array_equal(np.asarray(a), n)


@pytest.mark.parametrize("shape, mask_shape, leading_ellipsis", [
    ((0, 1), (0,), True), ((2, 1), (0,), True), ((0, 2), (1,), True), ((3,), (0,), False),
    ((2, 1), (0, 1), False), ((2, 1), (2, 0), False), ((3, 4), (0, 5), False),
    ((3, 4), (5, 0), False), ((0, 4), (1, 0), False),
])
def test_mask_axes_of_length_zero_match_any_axis(shape, mask_shape, leading_ellipsis):
    """NumPy lets a length-0 mask axis stand for an axis of any length; other mismatches raise."""
    mask = np.zeros(mask_shape, bool)
    key = (Ellipsis, mask) if leading_ellipsis else mask
    outcomes = []
    for module in (np, nf):
        x = module.zeros(shape)
        try:
            outcomes.append(x[key].shape)
        except IndexError:
            outcomes.append(IndexError)
        try:
            x[key] = 1
            outcomes.append("assigned")
        except IndexError:
            outcomes.append(IndexError)
    assert outcomes[:2] == outcomes[2:]
