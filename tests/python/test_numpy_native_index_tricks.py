"""Native index tricks vs NumPy: indices, unravel_index / ravel_multi_index (round trips drawn by
hypothesis), ndindex, ndenumerate, mgrid / ogrid / r_ / c_, diag / triangle index sets,
diag, diagflat."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import numfuse as nf
from native_cases import DTYPES, assert_native, assert_same, check, check_call


def test_names_are_native_and_numpy_dispatches_to_them():
    assert_native("indices", "unravel_index", "ravel_multi_index", "diag_indices",
                  "diag_indices_from", "tril_indices", "triu_indices", "tril_indices_from",
                  "triu_indices_from", "diag", "diagflat")
    for name in ("mgrid", "ogrid", "r_", "c_", "ndindex", "ndenumerate"):
        assert name not in nf.fallbacks() and getattr(nf, name) is not getattr(np, name)
    got = np.unravel_index(nf.asarray([3, 5]), (3, 4))
    assert all(isinstance(g, nf.ndarray) for g in got)
    assert isinstance(np.diag(nf.arange(3)), nf.ndarray)


@pytest.mark.parametrize("dims,kwargs", [((2, 3), {}), ((2, 0, 3), {"dtype": np.uint8}), ((), {}),
                                         ((4,), {"dtype": float}), ((2, 3), {"sparse": True}),
                                         ((3, 1, 2), {"sparse": True, "dtype": np.int16})])
def test_indices(dims, kwargs):
    check("indices", dims, **kwargs)


@pytest.mark.parametrize("args", [
    (5, (3, 2)), ([0, 5, 3], (3, 2)), ([0, 5, 3], (3, 2), "F"), (7, (3, 2)), (-1, (3, 2)),
    (1.0, (3,)), (np.array([1, 2], dtype=np.uint8), (4, 4)), ([], (3,)), (0, ()), (3, 5),
    (2, (0, 3)), ([[1, 2], [3, 4]], (5, 5)), (True, (3,)), (1, (3,), "X"), (1, (-2, 3)),
    (np.array([[4], [11]]), (2, 3, 2), "F")])
def test_unravel_index(args):
    check("unravel_index", *args)


@pytest.mark.parametrize("args", [
    (([1, 2], [0, 3]), (3, 4)), (([1, 2], [0, 3]), (3, 4), "raise", "F"),
    (([1, 5], [0, 3]), (3, 4)), (([1, 5], [0, -3]), (3, 4), "wrap"),
    (([1, 5], [0, -3]), (3, 4), "clip"), (([1, 5], [0, -3]), (3, 4), ("clip", "wrap")),
    ((1, 2), (3, 4)), (([1],), (3, 4)), (([1.0], [2]), (3, 4)), (([[1], [2]], [0, 3]), (3, 4)),
    ((), ()), ((1, 2), (3, 4), "bogus"), ((np.array([1], np.uint8), 2), (3, 4))])
def test_ravel_multi_index(args):
    check("ravel_multi_index", *args)


@settings(max_examples=50, deadline=None)
@given(shape=st.lists(st.integers(1, 5), min_size=1, max_size=4), order=st.sampled_from("CF"),
       data=st.data())
def test_unravel_ravel_round_trip(shape, order, data):
    size = int(np.prod(shape))
    flat = np.array(data.draw(st.lists(st.integers(0, size - 1), max_size=8)), dtype=np.intp)
    want = np.unravel_index(flat, shape, order=order)
    got = nf.unravel_index(nf.asarray(flat), shape, order=order)
    assert_same(got, want)
    back = nf.ravel_multi_index(got, shape, order=order)
    assert_same(back, flat)


def test_ndindex_and_ndenumerate():
    for shape in [(2, 3), ((2, 3),), (), (0, 2), (1,)]:
        check_call(lambda m: list(m.ndindex(*shape)))
    for a in [np.arange(6).reshape(2, 3), np.array(2.5), np.zeros((0, 2)), np.arange(4.0)[::-1]]:
        want = list(np.ndenumerate(a))
        got = list(nf.ndenumerate(nf.asarray(a)))
        assert [i for i, _ in got] == [i for i, _ in want]
        assert [(type(v), v) for _, v in got] == [(type(v), v) for _, v in want]
    with pytest.raises(ValueError):
        nf.ndindex(2, -1)


GRID_KEYS = [np.s_[0:5], np.s_[0:5:2], np.s_[1:2:5j], np.s_[0:3, 0:2], np.s_[0:3:4j, 0:2],
             np.s_[-1:1:0.5], np.s_[0:3, 0:1:0.25], np.s_[1:2:1j], np.s_[0:2, 0:3, 1:2]]


@pytest.mark.parametrize("key", GRID_KEYS, ids=str)
def test_mgrid_ogrid(key):
    check_call(lambda m: m.mgrid[key])
    check_call(lambda m: m.ogrid[key])


CONCAT_KEYS = [
    np.s_[1, 2, 3], np.s_[np.array([1, 2]), 0, np.array([3.0])], np.s_[0:3, 5, 6],
    np.s_["0,2", [1, 2], [3, 4]], np.s_["1,2", [1, 2], [3, 4]], np.s_["0,2,0", [1, 2], [3, 4]],
    np.s_[-1:1:5j], np.s_[[1, 2], 3.5], np.s_[np.array([1, 2], dtype=np.int8), 300],
    np.s_[np.array([1, 2], dtype=np.int8), 3], np.s_[np.array([[1, 2]]), np.array([[3, 4]])],
    np.s_["-1", np.ones((2, 2)), np.zeros((2, 1))], np.s_["bad", 1], np.s_[1, "0"],
    np.s_[np.array([True]), np.array([2 + 1j])]]


@pytest.mark.parametrize("key", CONCAT_KEYS, ids=str)
def test_r_and_c(key):
    check_call(lambda m: m.r_[key])
    check_call(lambda m: m.c_[key])


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_r_matrix_directive_is_numpys_matrix():
    assert type(nf.r_["r", [1, 2], [3, 4]]) is np.matrix


@pytest.mark.parametrize("args", [(3,), (3, 3), (0, 4), (2, 1)])
def test_diag_indices(args):
    check("diag_indices", *args)


@pytest.mark.parametrize("a", [np.ones((3, 3)), np.ones((3, 4)), np.ones(3), np.ones((2, 2, 2)),
                               np.ones((0, 0))], ids=str)
def test_index_sets_from(a):
    check("diag_indices_from", a)
    check("tril_indices_from", a)
    check("triu_indices_from", a, 1)
    check("tril_indices_from", a, k=-1)


@pytest.mark.parametrize("args", [(3,), (3, 1), (3, -1, 5), (4, 0, 2), (0,), (3, 5, 2), (3, -5)])
def test_triangle_indices(args):
    check("tril_indices", *args)
    check("triu_indices", *args)


@pytest.mark.parametrize("dtype", DTYPES)
def test_diag_and_diagflat_dtypes(dtype):
    v = np.arange(1, 4).astype(dtype)
    for k in (0, 2, -1):
        check("diag", v, k)
        check("diagflat", v.reshape(3, 1), k)
    check("diag", np.arange(12).astype(dtype).reshape(3, 4), 1)


@pytest.mark.parametrize("v", [np.zeros((2, 3, 4)), np.array(1), np.array([], np.int8),
                               np.arange(4.0).reshape(2, 2)], ids=str)
@pytest.mark.parametrize("k", [0, 1, -2, 5])
def test_diag_shapes(v, k):
    check("diag", v, k)
    check("diagflat", v, k)


def test_diag_of_views():
    base = np.arange(20.0).reshape(4, 5)
    check_call(lambda m: m.diag(m.asarray(base).T, 1))
    check_call(lambda m: m.diag(m.asarray(base)[::2, 1], -1))


@pytest.mark.parametrize("args", [([0, 1], [2, 4]), ([True, False, True], [1]), ([],),
                                  (np.array([], dtype=float), [1]), ([[1]],), (np.arange(3, dtype=np.uint8),),
                                  ()], ids=str)
def test_ix_(args):
    check("ix_", *args)


@pytest.mark.parametrize("shape", [(3, 3), (5, 3), (3, 5), (3, 3, 3), (2, 3, 2), (4,), (0, 0)], ids=str)
@pytest.mark.parametrize("wrap", [False, True])
def test_fill_diagonal(shape, wrap):
    base = np.arange(int(np.prod(shape)), dtype=float).reshape(shape)
    for val in (9, [7, 8], np.array([1.5, 2.5, 3.5]), []):
        check("fill_diagonal", base, val, wrap, inplace=True)
    check_call(lambda m: (lambda a: (m.fill_diagonal(a, -1), a)[1])(m.asarray(np.zeros((4, 3))).T))
