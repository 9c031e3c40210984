"""Native put / place / putmask / choose / compress / extract / select / piecewise /
put_along_axis and pad (every mode; shapes, widths and modes drawn by hypothesis) vs NumPy."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import numfuse as nf
from native_cases import DTYPES, assert_native, check, check_call

A = np.arange(6)
F = np.arange(12.0).reshape(3, 4)


def test_names_are_native_and_numpy_dispatches_to_them():
    assert_native("put", "place", "putmask", "choose", "compress", "extract", "select",
                  "piecewise", "put_along_axis", "pad")
    assert isinstance(np.pad(nf.arange(3), 1), nf.ndarray)
    target = nf.zeros(4)
    np.put(target, [1], [5.0])
    assert float(target[1]) == 5.0


PUT_ARGS = [([0, 2], [9, 8]), ([0, 2, 4], [9]), ([1], 1.5), ([10], [1]), ([-1], [3]),
            ([10, -10], [1, 2]), ([1.0], [2]), ([], [1]), ([1], [])]


@pytest.mark.parametrize("args", PUT_ARGS, ids=str)
@pytest.mark.parametrize("mode", ["raise", "wrap", "clip", "bogus"])
def test_put(args, mode):
    check("put", A, *args, mode=mode, inplace=True)
    check_call(lambda m: (lambda a: (m.put(a, *args, mode=mode), a)[1])(m.asarray(F.copy()).T))


def test_put_errors():
    check("put", np.zeros(0), [0], [1], inplace=True)
    check("put", [1, 2], [0], [1])


@pytest.mark.parametrize("mask,values", [(A > 2, [10, 20]), (A > 2, []), (A > 10, []),
                                         (np.ones(3, bool), [1]), (A % 2 == 0, 7.5),
                                         (A > 2, np.array([1.5]))], ids=str)
def test_place_and_putmask(mask, values):
    check("place", A, mask, values, inplace=True)
    check("putmask", A, mask, values, inplace=True)


@pytest.mark.parametrize("dtype", DTYPES)
def test_place_putmask_put_dtypes(dtype):
    a = np.arange(8).astype(dtype)
    values = np.array([1, 0, 3]).astype(dtype)
    check("place", a, a != a[1], values, inplace=True)
    check("putmask", a, np.arange(8) % 3 == 0, values, inplace=True)
    check("put", a, [7, 0, 3], values, inplace=True)
    check_call(lambda m: (lambda t: (m.putmask(t, t != t[0], m.asarray(values)), t)[1])(
        m.asarray(a.copy()).reshape(2, 4).T))


CHOICES = [np.arange(4), np.arange(4) * 10, np.array([100])]


@pytest.mark.parametrize("index", [np.array([0, 1, 2, 1]), np.array([0, 3, 1, -1]),
                                   np.array([[0], [2]]), np.array([0.0, 1.0]), np.array(1)], ids=str)
@pytest.mark.parametrize("mode", ["raise", "wrap", "clip", "bogus"])
def test_choose(index, mode):
    check("choose", index, CHOICES, mode=mode)


def test_choose_dtypes_and_out():
    check("choose", np.array([1, 0]), np.array([[1, 2], [3, 4]]))
    check("choose", np.array([1, 0]), [np.array([1, 2], np.int8), np.array([0.5, 1])])
    check("choose", np.array([1, 0]), [])
    check_call(lambda m: (lambda out: (m.choose(m.asarray([1, 0]), [m.asarray([1, 2]), m.asarray([3, 4])],
                                                 out=out), out)[1])(m.zeros(2, dtype=np.int64)))


@pytest.mark.parametrize("condition", [[True, False, True], [0, 1], [True] * 4,
                                       np.ones((2, 2), bool), []], ids=str)
@pytest.mark.parametrize("axis", [None, 0, 1, -1, 2])
def test_compress(condition, axis):
    check("compress", condition, F, axis=axis)
    check_call(lambda m: m.compress(condition, m.asarray(F).T, axis=axis))


def test_extract():
    check("extract", F > 4, F)
    check("extract", [1, 0, 1], F)
    check_call(lambda m: m.extract(m.asarray(F).T > 4, m.asarray(F).T))


X = np.arange(10)


@pytest.mark.parametrize("condlist,choicelist,default", [
    ([X < 3, X > 5], [X, X ** 2], 0), ([X < 3, X > 5], [X, 1.5], -1), ([X < 3], [X], np.nan),
    ([], [], 0), ([X < 3], [X, X], 0), ([X], [X], 0), ([X < 3, (X > 5)[:, None]], [X, 2], 0),
    ([np.array(True)], [3], 0), ([X < 3], [X.astype(np.int8)], 300),
    ([X < 3], [X.astype(np.uint8)], np.int8(-1)), ([X < 2], [X + 1j], 0)], ids=str)
def test_select(condlist, choicelist, default):
    check("select", condlist, choicelist, default)


XX = np.linspace(-2.5, 2.5, 6)


@pytest.mark.parametrize("x,condlist,funclist", [
    (XX, [XX < 0, XX >= 0], [-1, 1]), (XX, [XX < 0, XX >= 0], [lambda v: -v, lambda v: v]),
    (XX, [XX < 0], [lambda v: -v, lambda v: v * 2]), (XX, [XX < 0], [1, 2, 3]),
    (np.array(3.0), [True, False], [1, 2]), (X, X > 5, [lambda v: v * 2]),
    (X.reshape(2, 5), [X.reshape(2, 5) > 5], [lambda v: v + 100, -1])], ids=str)
def test_piecewise(x, condlist, funclist):
    check("piecewise", x, condlist, funclist)


IND = np.argsort(F, axis=1)[:, :2]


@pytest.mark.parametrize("indices,axis", [(IND, 0), (IND, 1), (IND, -1), (np.array([0, 5, 11]), None),
                                          (IND, 2), (IND.astype(float), 1), (IND[0], 1),
                                          (np.array([[0, 5]]), None)], ids=str)
def test_put_along_axis(indices, axis):
    check("put_along_axis", F, indices, 99, axis, inplace=True)
    check("put_along_axis", F, indices, np.arange(2.0), axis, inplace=True)
    check_call(lambda m: (lambda t: (m.put_along_axis(t, m.asarray(indices).T, -1, axis), t)[1])(
        m.asarray(F.copy()).T))


# ---- pad --------------------------------------------------------------------------------

MODES = ["constant", "edge", "linear_ramp", "maximum", "mean", "median", "minimum", "reflect",
         "symmetric", "wrap", "empty"]
MODE_OPTIONS = {
    "constant": [{}, {"constant_values": 2.7}, {"constant_values": ((1, 2), (3, 4))}],
    "linear_ramp": [{}, {"end_values": (5, -3)}],
    "reflect": [{}, {"reflect_type": "odd"}],
    "symmetric": [{}, {"reflect_type": "odd"}],
    "mean": [{}, {"stat_length": 2}],
    "maximum": [{}, {"stat_length": ((1, 2),)}],
    "minimum": [{}, {"stat_length": 0}],
    "median": [{}, {"stat_length": (3, 1)}],
}


def _same_pad(a, width, mode, options, view=lambda x: x):
    def call(m):
        return m.pad(view(m.asarray(a)), width, mode, **options)
    if mode != "empty":
        check_call(call)
        return

    def layout(m):  # uninitialized pad areas: only the layout is compared
        result = call(m)
        return (result.dtype, result.shape)
    check_call(layout)


@settings(max_examples=50, deadline=None)
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=3), data=st.data(),
       dtype=st.sampled_from([np.int8, np.uint8, np.int64, np.float32, np.float64, np.complex128,
                              np.bool_]),
       mode=st.sampled_from(MODES), transposed=st.booleans())
def test_pad_matches_numpy(shape, data, dtype, mode, transposed):
    a = (np.arange(int(np.prod(shape))).reshape(shape) * 3 % 7 - 2).astype(dtype)
    width = data.draw(st.one_of(st.integers(0, 9), st.tuples(st.integers(0, 9), st.integers(0, 9)),
                                st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)),
                                         min_size=len(shape), max_size=len(shape))))
    options = data.draw(st.sampled_from(MODE_OPTIONS.get(mode, [{}])))
    if "constant_values" in options and isinstance(options["constant_values"], tuple) and len(shape) != 2:
        options = {}
    _same_pad(a, width, mode, options, (lambda x: x.T) if transposed else (lambda x: x))


@pytest.mark.parametrize("a", [np.array(3.0), np.zeros((0, 3)), np.array([7]), np.arange(5),
                               (np.arange(4) + 1j).reshape(2, 2)], ids=str)
@pytest.mark.parametrize("width", [1, (2, 3), ((1, 2),), 0, 7, -1, 1.5, ((0, 1), (2, 0)),
                                   ((1, 2), (3, 4), (5, 6))], ids=str)
@pytest.mark.parametrize("mode", MODES)
def test_pad_edge_cases(a, width, mode):
    for options in MODE_OPTIONS.get(mode, [{}]):
        _same_pad(a, width, mode, options)


def test_pad_bad_mode_and_keywords_and_callable():
    check("pad", A, 1, "bogus")
    check("pad", A, 1, "edge", foo=1)
    check("pad", A, 1, None)

    def ends(vector, width, axis, kwargs):
        vector[:width[0]] = kwargs.get("before", 10)
        vector[len(vector) - width[1]:] = 20 + axis

    check("pad", F, 2, ends)
    check("pad", F, ((1, 0), (0, 2)), ends, before=-5)
