"""Native split / array_split / hsplit / vsplit / dsplit and hstack / vstack / dstack /
column_stack / row_stack / block vs NumPy (values, dtypes, shapes, views, exception types)."""
import numpy as np
import pytest

import numfuse as nf
from native_cases import DTYPES, assert_native, check, check_call

F = np.arange(12.0).reshape(3, 4)
A1, A2 = np.arange(3), np.arange(3, 6).astype(np.float32)


def test_names_are_native_and_numpy_dispatches_to_them():
    assert_native("split", "array_split", "hsplit", "vsplit", "dsplit", "hstack", "vstack",
                  "dstack", "column_stack", "block")
    assert all(isinstance(p, nf.ndarray) for p in np.split(nf.arange(6), 3))
    assert isinstance(np.vstack([nf.arange(3), nf.arange(3)]), nf.ndarray)


@pytest.mark.parametrize("name", ["split", "array_split", "hsplit", "vsplit", "dsplit"])
@pytest.mark.parametrize("a", [np.arange(9), F, np.zeros((2, 4, 6)), np.array(5)], ids=str)
@pytest.mark.parametrize("sections", [3, 2, [1, 3], [], [2, 1], 0, [-1], [1, 10], np.array([1, 2])],
                         ids=str)
def test_splits(name, a, sections):
    check(name, a, sections)


def test_split_axes_and_views():
    check("array_split", F, 3, axis=1)
    check("array_split", F, 3, axis=5)
    check("split", F, [1], axis=-1)
    check_call(lambda m: m.array_split(m.asarray(F).T, 2, axis=1))
    parts = nf.split(nf.asarray(F.copy()), 3)
    parts[1][0, 0] = -1  # views: the write shows in the source
    assert float(nf.concatenate(parts)[1, 0]) == -1


STACK_INPUTS = [[A1, A2], [F, F], [np.array(1), np.array(2)], [F, np.ones((3, 1))], [A1, F], [],
                [np.zeros((2, 3, 4)), np.ones((2, 3, 4), np.int8)], (A1,), [np.zeros((0, 2))] * 2]


@pytest.mark.parametrize("name", ["hstack", "vstack", "dstack", "column_stack"])
@pytest.mark.parametrize("arrays", STACK_INPUTS, ids=str)
def test_stacks(name, arrays):
    check(name, arrays)


@pytest.mark.parametrize("dtype", DTYPES)
def test_stack_dtypes(dtype):
    a = np.arange(6).reshape(2, 3).astype(dtype)
    for name in ("hstack", "vstack", "dstack", "column_stack"):
        check(name, [a, a[:, ::-1]])
    check("hstack", [a, np.ones((2, 1), np.int8)])


def test_stack_options_and_errors():
    check_call(lambda m: m.hstack(m.asarray(A1) for _ in range(2)))
    check("hstack", [A1, A2], dtype=np.int8, casting="unsafe")
    check("hstack", [A1, A2], dtype=np.int8)
    check("vstack", [A1, A2], dtype=np.float64)
    check_call(lambda m: m.column_stack([m.asarray(F).T, m.asarray(F)[0, :3]]))
    with pytest.warns(DeprecationWarning):
        got = nf.row_stack([nf.asarray(A1), nf.asarray(A1)])
    assert got.shape == (2, 3)


EYE2, EYE3 = np.eye(2) * 2, np.eye(3) * 3
BLOCKS = [[[EYE2, np.zeros((2, 3))], [np.ones((3, 2)), EYE3]], [A1, 10, A2], [[1, 2], [3, 4]],
          [EYE2, [EYE3]], [], [[1], []], (EYE2, EYE3), [EYE2, (EYE3,)], 5, EYE2, [[[1]]],
          [np.array(1)], [[A1], [A2]], [[A1, 1], [A2, 2]], [[np.ones((2, 2, 2))], [np.zeros((1, 2, 2))]],
          [[EYE2, np.ones((3, 3))]]]


@pytest.mark.parametrize("arrays", BLOCKS, ids=str)
def test_block(arrays):
    check("block", arrays)


def test_block_copies_a_single_array():
    a = nf.arange(3)
    b = nf.block(a)
    b[0] = 9
    assert int(a[0]) == 0
