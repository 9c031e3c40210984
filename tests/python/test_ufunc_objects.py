"""numfuse's ufunc objects against NumPy's: every op of the table, its attributes (nin, nout,
nargs, identity, signature, __name__, types) and its methods (__call__, reduce, accumulate,
reduceat, outer, at) over dtypes, axes, shapes (zero-size, 0-d, broadcasting, non-contiguous
views), out=, keepdims, initial, where, and the exception types of what NumPy refuses."""
import itertools
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import numfuse as nf
from numfuse._ufuncs import OPS, _CUSTOM, _FUNCTIONS

DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
          np.uint64, np.float32, np.float64, np.complex64, np.complex128]
UFUNCS = [d["name"] for d in OPS if d["name"] not in _CUSTOM]
BINARY = [d["name"] for d in OPS if d["name"] not in _CUSTOM and d["arity"] == 2]
UNARY = [d["name"] for d in OPS if d["name"] not in _CUSTOM and d["arity"] == 1]
SHAPES = [(), (0,), (1,), (5,), (3, 0), (0, 3), (3, 4), (2, 3, 4)]


def np_ufunc(name):
    return getattr(np, name)


def sample(shape, dtype, seed=0):
    """Values every op takes without undefined behaviour: small positives (shift counts, integer
    powers and divisors stay in range), a few negatives for the signed and inexact types."""
    rng = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return rng.integers(0, 2, shape).astype(dt)
    if dt.kind in "iu":
        return rng.integers(1, 4, shape).astype(dt)
    values = rng.uniform(0.25, 2.0, shape)
    if dt.kind == "c":
        values = values + 1j * rng.uniform(-1.0, 1.0, shape)
    return values.astype(dt)


def expected_error(exc):
    """The exception class numfuse must raise where NumPy raised `exc`."""
    if isinstance(exc, np.exceptions.AxisError):
        return np.exceptions.AxisError
    for base in (TypeError, IndexError, ValueError):
        if isinstance(exc, base):
            return base
    return type(exc)


def run_numpy(call, args):
    """NumPy's answer; where NumPy picks a float16 loop numfuse uses float32 (it has no float16),
    so those calls are rerun with float32 inputs."""
    result = call(*args)
    if np.asarray(result).dtype == np.float16:
        args = [a.astype(np.float32) if isinstance(a, np.ndarray) and a.dtype.kind in "biu" else a
                for a in args]
        result = call(*args)
    return result


def compare(np_call, nf_call, np_args, nf_args=None):
    nf_args = np_args if nf_args is None else nf_args
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            expected = run_numpy(np_call, np_args)
        except Exception as exc:  # noqa: BLE001  (any NumPy error: numfuse must raise its type)
            with pytest.raises(expected_error(exc)):
                nf_call(*nf_args)
            return
        got = nf_call(*nf_args)
    assert_same(got, expected)


def assert_same(got, expected):
    expected_arr = np.asarray(expected)
    got_arr = np.asarray(got)
    assert got_arr.dtype == expected_arr.dtype, (got_arr.dtype, expected_arr.dtype)
    assert got_arr.shape == expected_arr.shape
    assert isinstance(got, np.generic) == isinstance(expected, np.generic)
    if expected_arr.dtype.kind in "fc":
        rtol = 1e-4 if expected_arr.dtype in (np.float32, np.complex64) else 1e-10
        np.testing.assert_allclose(got_arr, expected_arr, rtol=rtol, atol=0, equal_nan=True)
    else:
        np.testing.assert_array_equal(got_arr, expected_arr)


def check_out(np_method, nf_method, a, **kwargs):
    """out= as a numfuse array and as a 1-tuple holding a NumPy array: filled and returned."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            expected = np_method(a, **kwargs)
        except TypeError:
            return
        out = nf.zeros(expected.shape, expected.dtype)
        assert nf_method(nf.asarray(a), out=out, **kwargs) is out
        assert_same(np.asarray(out), expected)
        out_np = np.zeros(expected.shape, expected.dtype)
        assert nf_method(nf.asarray(a), out=(out_np,), **kwargs) is out_np
        assert_same(out_np, expected)


# ---- attributes ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", UFUNCS)
def test_attributes_match_numpy(name):
    ours, theirs = getattr(nf, name), np_ufunc(name)
    assert isinstance(ours, nf.ufunc)
    assert ours.__name__ == theirs.__name__
    assert repr(ours) == repr(theirs).replace("numpy", "numfuse") or repr(ours) == f"<ufunc '{theirs.__name__}'>"
    assert (ours.nin, ours.nout, ours.nargs, ours.signature) == (theirs.nin, theirs.nout,
                                                                  theirs.nargs, theirs.signature)
    if isinstance(theirs.identity, float) and math.isinf(theirs.identity):
        assert ours.identity == theirs.identity
    else:
        assert ours.identity == theirs.identity and type(ours.identity) is type(theirs.identity)
    # types: numfuse's loops in NumPy's notation; every one is also a NumPy loop of the ufunc.
    assert ours.ntypes == len(ours.types) > 0
    assert set(ours.types) <= set(theirs.types), set(ours.types) - set(theirs.types)
    nf_chars = {t.split("->")[0][0] for t in ours.types}
    # Where NumPy has a loop over one of numfuse's dtypes, so does numfuse (and its output agrees).
    ours_by_input = {t.split("->")[0]: t for t in ours.types}
    for t in theirs.types:
        inputs = t.split("->")[0]
        if len(set(inputs)) == 1 and inputs[0] in nf_chars:
            assert ours_by_input.get(inputs) == t


def test_aliases_are_the_same_object():
    assert nf.divide is nf.true_divide and nf.divide.__name__ == "divide"
    assert nf.abs is nf.absolute and nf.pow is nf.power and nf.mod is nf.remainder
    assert nf.add is _FUNCTIONS["add"]


@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("method", ["reduce", "accumulate", "reduceat", "outer"])
def test_binary_methods_of_unary_ufuncs_raise_value_error(name, method):
    args = {"reduce": ([1.0],), "accumulate": ([1.0],), "reduceat": ([1.0], [0]),
            "outer": ([1.0], [1.0])}[method]
    with pytest.raises(ValueError) as theirs:
        getattr(np_ufunc(name), method)(*args)
    with pytest.raises(ValueError) as ours:
        getattr(getattr(nf, name), method)(*args)
    assert str(ours.value) == str(theirs.value)


# ---- __call__ ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", UFUNCS)
def test_call_with_and_without_keywords(name):
    theirs, ours = np_ufunc(name), getattr(nf, name)
    for dtype in (np.int32, np.float64):
        args = [sample((3, 4), dtype, seed=k) for k in range(theirs.nin)]
        compare(theirs, ours, args)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                expected = run_numpy(theirs, args)
            except TypeError:
                continue
            out = nf.zeros(expected.shape, expected.dtype)
            assert ours(*args, out=out) is out
            assert_same(np.asarray(out), expected)
            mask = sample((3, 4), np.bool_, seed=9)
            out_np, out_nf = np.zeros_like(expected), nf.zeros(expected.shape, expected.dtype)
            theirs(*args, out=out_np, where=mask)
            ours(*args, out=out_nf, where=mask)
            assert_same(np.asarray(out_nf), out_np)


def test_call_broadcasts_and_accepts_views_and_scalars():
    a = sample((4, 6), np.float64)
    b = sample((6,), np.float64, seed=1)
    compare(np.add, nf.add, [a[:, ::2], b[::2]], [nf.asarray(a)[:, ::2], nf.asarray(b)[::2]])
    compare(np.multiply, nf.multiply, [a.T, 2.5], [nf.asarray(a).T, 2.5])
    assert_same(nf.add(np.float64(1.0), 2), np.add(np.float64(1.0), 2))


# ---- reduce --------------------------------------------------------------------------------

def inputs():
    """Every dtype over a few shapes; int32, float64 and bool over all of SHAPES."""
    for dtype in DTYPES:
        for shape in SHAPES if dtype in (np.int32, np.float64, np.bool_) else [(5,), (3, 4)]:
            yield sample(shape, dtype)


def reduce_cases(ndim):
    yield {}
    yield {"axis": None}
    for axis in range(-ndim, ndim):
        yield {"axis": axis}
        yield {"axis": axis, "keepdims": True}
    if ndim >= 2:
        yield {"axis": (0, ndim - 1)}
        yield {"axis": (0, 1), "keepdims": True}
    yield {"axis": ()}
    yield {"axis": ndim}  # AxisError


@pytest.mark.parametrize("name", BINARY)
def test_reduce_matches_numpy(name):
    theirs, ours = np_ufunc(name), getattr(nf, name)
    for a in inputs():
        for kwargs in reduce_cases(a.ndim):
            compare(lambda x: theirs.reduce(x, **kwargs), lambda x: ours.reduce(x, **kwargs),
                    [a], [nf.asarray(a)])


@pytest.mark.parametrize("name", BINARY)
def test_reduce_options(name):
    theirs, ours = np_ufunc(name), getattr(nf, name)
    a = sample((4, 5), np.float64)
    view = a[::2, ::-2]  # non-contiguous, negative stride
    compare(lambda x: theirs.reduce(x, axis=1), lambda x: ours.reduce(x, axis=1),
            [view], [nf.asarray(a)[::2, ::-2]])
    for kwargs in ({"initial": 2.0}, {"initial": 2.0, "axis": None}, {"dtype": np.float32},
                   {"where": np.array([True, False, True, True, False]), "initial": 1.0},
                   {"where": np.array([True, False, True, True, False])}):
        compare(lambda x: theirs.reduce(x, **kwargs), lambda x: ours.reduce(x, **kwargs),
                [a], [nf.asarray(a)])
    check_out(theirs.reduce, ours.reduce, a, axis=0)


def test_reduce_errors_name_the_ufunc():
    with pytest.raises(ValueError, match="zero-size array to reduction operation subtract which has no identity"):
        nf.subtract.reduce(nf.zeros(0))
    with pytest.raises(ValueError, match="zero-size array to reduction operation maximum which has no identity"):
        nf.maximum.reduce(nf.zeros((3, 0)), axis=1)
    with pytest.raises(ValueError, match="reduction operation 'divide' is not reorderable"):
        nf.divide.reduce(nf.ones((2, 2)), axis=(0, 1))
    with pytest.raises(ValueError, match="to use a where mask one has to specify 'initial'"):
        nf.fmax.reduce(nf.ones(3), where=nf.asarray([True, False, True]))
    assert nf.subtract.reduce(nf.zeros(0), initial=5.0) == 5.0
    assert nf.bitwise_and.reduce(nf.zeros(0, nf.uint8)) == 255


def test_reduce_of_a_lazy_expression_and_a_large_generic_fold():
    a = sample((300, 257), np.float64)
    x = nf.asarray(a)
    assert_same(nf.add.reduce(x * 2, axis=0), np.add.reduce(a * 2, axis=0))
    for name in ("subtract", "logaddexp", "fmax", "hypot"):  # >= 2**16 elements: several threads
        for axis in (0, 1, None):
            if axis is None and name == "subtract":
                continue
            compare(lambda v: np_ufunc(name).reduce(v, axis=axis),
                    lambda v: getattr(nf, name).reduce(v, axis=axis), [a], [x])
    big = sample((70000,), np.int64)
    assert_same(nf.bitwise_xor.reduce(nf.asarray(big)), np.bitwise_xor.reduce(big))
    assert_same(nf.subtract.accumulate(nf.asarray(a), axis=0), np.subtract.accumulate(a, axis=0))


# ---- accumulate ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", BINARY)
def test_accumulate_matches_numpy(name):
    theirs, ours = np_ufunc(name), getattr(nf, name)
    for a in inputs():
        cases = [{}] + [{"axis": ax} for ax in range(-a.ndim, a.ndim + 1)]
        cases += [{"axis": None}, {"axis": (0,)}, {"axis": (0, 1)}]
        for kwargs in cases:
            compare(lambda x: theirs.accumulate(x, **kwargs),
                    lambda x: ours.accumulate(x, **kwargs), [a], [nf.asarray(a)])
    a = sample((3, 4), np.float64)
    compare(lambda x: theirs.accumulate(x, axis=1, dtype=np.float32),
            lambda x: ours.accumulate(x, axis=1, dtype=np.float32), [a], [nf.asarray(a)])
    compare(lambda x: theirs.accumulate(x, axis=0), lambda x: ours.accumulate(x, axis=0),
            [a.T[::-1]], [nf.asarray(a).T[::-1]])
    check_out(theirs.accumulate, ours.accumulate, a, axis=1)


# ---- reduceat ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", BINARY)
def test_reduceat_matches_numpy(name):
    theirs, ours = np_ufunc(name), getattr(nf, name)
    for dtype in (np.bool_, np.int8, np.int64, np.uint32, np.float32, np.float64, np.complex128):
        a = sample((8, 3), dtype)
        for indices, axis in [([0, 3, 5], 0), ([0, 3, 1, 7], 0), ([5, 5, 2], 0), ([0], 1),
                              ([2, 0, 1], 1), ([], 0), ([0, 8], 0), ([-1], 0), ([0, 3], 2)]:
            compare(lambda x: theirs.reduceat(x, indices, axis=axis),
                    lambda x: ours.reduceat(x, indices, axis=axis), [a], [nf.asarray(a)])
    a = sample((8,), np.float64)
    compare(lambda x: theirs.reduceat(x, [1, 4]), lambda x: ours.reduceat(x, [1, 4]),
            [a[::-1]], [nf.asarray(a)[::-1]])


# ---- outer ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", BINARY)
def test_outer_matches_numpy(name):
    theirs, ours = np_ufunc(name), getattr(nf, name)
    for dtype in (np.int32, np.float64, np.complex128, np.bool_):
        a, b = sample((3,), dtype), sample((2, 2), dtype, seed=1)
        compare(theirs.outer, ours.outer, [a, b], [nf.asarray(a), nf.asarray(b)])
        compare(theirs.outer, ours.outer, [a[::-1], b.T], [nf.asarray(a)[::-1], nf.asarray(b).T])
        compare(theirs.outer, ours.outer, [a[:0], b], [nf.asarray(a)[:0], nf.asarray(b)])
    compare(theirs.outer, ours.outer, [np.int64(2), np.int64(3)])


# ---- at ------------------------------------------------------------------------------------

def check_at(name, shape, dtype, key, values=None):
    theirs, ours = np_ufunc(name), getattr(nf, name)
    a = sample(shape, dtype)
    expected = a.copy()
    x = nf.asarray(a.copy())
    args = () if values is None else (values,)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            theirs.at(expected, key, *args)
        except Exception as exc:  # noqa: BLE001
            with pytest.raises(expected_error(exc)):
                ours.at(x, key, *args)
            return
        assert ours.at(x, key, *args) is None
    assert_same(np.asarray(x), expected)


@pytest.mark.parametrize("name", BINARY)
def test_at_binary(name):
    for dtype in (np.int8, np.int64, np.uint16, np.float32, np.float64, np.complex128, np.bool_):
        check_at(name, (5,), dtype, [0, 0, 1, 4, 0], sample((5,), dtype, seed=3))
        check_at(name, (5,), dtype, [0, 0, 1], 2)
    check_at(name, (3, 4), np.float64, ([0, 0, 2], [1, 1, 3]), 1.5)
    check_at(name, (3, 4), np.float64, [1, 1], np.arange(4.0))  # rows, values broadcast
    check_at(name, (3, 4), np.float64, (slice(None), [0, 0]), 2.0)
    check_at(name, (3, 4), np.float64, sample((3, 4), np.bool_), 2.0)
    check_at(name, (3, 4), np.float64, (1, slice(1, 3)), 3.0)  # basic index
    check_at(name, (3, 4), np.float64, 2, 3.0)
    check_at(name, (3, 4), np.float64, (1, 2), 3.0)
    check_at(name, (5,), np.int32, [5], 1)  # IndexError
    check_at(name, (5,), np.int32, [0, 1], [1, 2, 3])  # shapes do not broadcast


@pytest.mark.parametrize("name", UNARY)
def test_at_unary(name):
    for dtype in (np.int32, np.float64, np.complex64, np.bool_):
        check_at(name, (6,), dtype, [0, 0, 3, 5])
    with pytest.raises(ValueError):
        getattr(nf, name).at(nf.ones(3), [0], 1.0)


def test_at_edge_cases():
    a = nf.zeros(3, nf.int8)
    nf.add.at(a, [0, 0], 300)  # NumPy: the value is an int64 array, cast back unsafely
    expected = np.zeros(3, np.int8)
    np.add.at(expected, [0, 0], 300)
    assert_same(np.asarray(a), expected)
    with pytest.raises(ValueError):
        nf.add.at(nf.ones(3), [0])
    ro = nf.ones(3)
    ro_view = nf.broadcast_to(ro, (2, 3))
    with pytest.raises(ValueError):
        nf.add.at(ro_view, [0], 1.0)
    lazy = nf.arange(4.0)
    pending = lazy * 2  # a lazy reader of `lazy` keeps its value
    nf.add.at(lazy, [1, 1], 1.0)
    np.testing.assert_array_equal(np.asarray(pending), [0.0, 2.0, 4.0, 6.0])
    np.testing.assert_array_equal(np.asarray(lazy), [0.0, 3.0, 2.0, 3.0])
    n = np.zeros(3)
    nf.add.at(n, [2, 2], 1.0)  # a NumPy array is written in place
    np.testing.assert_array_equal(n, [0.0, 0.0, 2.0])


# ---- NumPy protocols -----------------------------------------------------------------------

def test_numpy_ufunc_methods_on_numfuse_arrays():
    a = sample((3, 4), np.float64)
    x = nf.asarray(a)
    assert_same(np.add.reduce(x), np.add.reduce(a))
    assert_same(np.subtract.reduce(x, axis=1), np.subtract.reduce(a, axis=1))
    assert_same(np.asarray(np.maximum.accumulate(x, axis=1)), np.maximum.accumulate(a, axis=1))
    assert_same(np.asarray(np.add(x, x)), a + a)
    assert_same(np.asarray(np.multiply.outer(x[0], x[1])), np.multiply.outer(a[0], a[1]))
    assert_same(np.asarray(np.add.reduceat(x, [0, 2])), np.add.reduceat(a, [0, 2]))
    b = nf.zeros(3)
    np.add.at(b, [0, 0], 1.0)
    np.testing.assert_array_equal(np.asarray(b), [2.0, 0.0, 0.0])
    assert isinstance(np.add(x, x), nf.ndarray)


def test_pickle_round_trip():
    import pickle
    assert pickle.loads(pickle.dumps(nf.add)) is nf.add
    assert pickle.loads(pickle.dumps(nf.divide)) is nf.divide


# ---- random shapes ---------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(shape=st.lists(st.integers(0, 4), min_size=1, max_size=4),
       name=st.sampled_from(["add", "subtract", "maximum", "fmin", "bitwise_or", "logaddexp",
                             "multiply", "logical_xor", "power"]),
       dtype=st.sampled_from([np.int16, np.uint8, np.float32, np.float64]),
       data=st.data())
def test_methods_on_random_shapes(shape, name, dtype, data):
    a = sample(tuple(shape), dtype, seed=len(shape))
    theirs, ours = np_ufunc(name), getattr(nf, name)
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    axes = tuple(sorted(data.draw(st.sets(st.integers(0, len(shape) - 1)))))
    keepdims = data.draw(st.booleans())
    x = nf.asarray(a)
    compare(lambda v: theirs.reduce(v, axis=axes, keepdims=keepdims),
            lambda v: ours.reduce(v, axis=axes, keepdims=keepdims), [a], [x])
    compare(lambda v: theirs.accumulate(v, axis=axis), lambda v: ours.accumulate(v, axis=axis),
            [a], [x])
    n = shape[axis]
    indices = data.draw(st.lists(st.integers(0, max(n - 1, 0)), max_size=4))
    compare(lambda v: theirs.reduceat(v, indices, axis=axis),
            lambda v: ours.reduceat(v, indices, axis=axis), [a], [x])
    flat = list(itertools.islice(itertools.cycle(range(max(a.shape[0], 1))), 5))
    if a.shape[0]:
        check_at(name, tuple(shape), dtype, flat, 1)
