"""ndarray's operators: the type's number/comparison slots (bind_operators.cpp) and the dunder
methods must behave as NumPy's operators do, including Python's NotImplemented protocol, and
Python scalars (shared constants inside numfuse) must never leak state from one op to the next."""
import operator

import numpy as np
import pytest

import numfuse as nf

BINARY = [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv,
          operator.mod, operator.pow, operator.lt, operator.le, operator.eq, operator.ne,
          operator.gt, operator.ge]
BITWISE = [operator.and_, operator.or_, operator.xor, operator.lshift, operator.rshift]
IN_PLACE = [operator.iadd, operator.isub, operator.imul, operator.itruediv, operator.ifloordiv,
            operator.imod, operator.ipow]


def same(got, want):
    got = np.asarray(got)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


def like_numpy(numpy_call, numfuse_call, compare=same):
    """numfuse_call() gives numpy_call()'s result, or raises the exception type NumPy raises."""
    try:
        with np.errstate(all="ignore"):
            want = numpy_call()
    except Exception as e:
        # NumPy's private subclasses (_UFuncOutputCastingError) count as their public base.
        public = next(t for t in type(e).__mro__ if t.__module__ in ("builtins", "numpy.exceptions"))
        with pytest.raises(public):
            numfuse_call()
        return
    with np.errstate(all="ignore"):
        compare(numfuse_call(), want)


@pytest.mark.parametrize("op", BINARY, ids=lambda f: f.__name__)
@pytest.mark.parametrize("other", [2, 0.5, -1, 1, 2.0, 3j, "array", "numpy"])
def test_binary_operators_match_numpy(op, other):
    base = np.linspace(0.5, 3.0, 7)
    x = nf.asarray(base)
    other_np = {"array": base[::-1].copy(), "numpy": base[::-1].copy()}.get(other, other)
    other_nf = nf.asarray(other_np) if other == "array" else other_np
    like_numpy(lambda: op(base, other_np), lambda: op(x, other_nf))
    like_numpy(lambda: op(other_np, base), lambda: op(other_nf, x))  # reflected operand order
    # The dunder methods are the same implementation as the slots.
    name = f"__{op.__name__.strip('_')}__"
    like_numpy(lambda: op(base, other_np), lambda: getattr(x, name)(other_nf))


@pytest.mark.parametrize("op", BITWISE, ids=lambda f: f.__name__)
def test_bitwise_operators_match_numpy(op):
    base = np.arange(1, 9, dtype=np.int32)
    x = nf.asarray(base)
    same(op(x, 3), op(base, 3))
    same(op(3, x), op(3, base))
    same(op(x, x), op(base, base))


@pytest.mark.parametrize("exponent", [2, 2.0, 0.5, -1, -1.0, 1, 1.0, 3, 0])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64, np.int16, np.uint8])
def test_scalar_powers_follow_numpy(exponent, dtype):
    base = np.arange(1, 6).astype(dtype)
    x = nf.asarray(base)

    def close(got, want):
        got = np.asarray(got)
        assert got.dtype == want.dtype
        np.testing.assert_allclose(got, want, rtol=1e-6)

    like_numpy(lambda: base ** exponent, lambda: x ** exponent, close)


def test_unary_operators_match_numpy():
    base = np.array([-2.5, -0.0, 0.0, 3.0])
    x = nf.asarray(base)
    for op in (operator.neg, operator.pos, abs):
        same(op(x), op(base))
    ints = np.array([0, 5, -7], dtype=np.int8)
    same(~nf.asarray(ints), ~ints)
    with pytest.raises(TypeError):
        ~x  # NumPy: no invert loop for floats


@pytest.mark.parametrize("op", IN_PLACE, ids=lambda f: f.__name__)
def test_in_place_operators_write_into_the_array(op):
    base = np.linspace(1.0, 2.0, 6)
    x = nf.asarray(base.copy())
    view = x[::2]
    y = op(x, 3.0)
    assert y is x
    same(x, op(base.copy(), 3.0))
    same(view, op(base.copy(), 3.0)[::2])


def test_in_place_on_numpy_memory_is_visible_to_numpy_at_once():
    host = np.zeros(5)
    x = nf.asarray(host)  # wraps the NumPy buffer without a copy
    x += 2.5
    np.testing.assert_array_equal(host, 2.5)  # NumPy cannot wait for pending numfuse work
    x *= nf.asarray(np.arange(5.0))
    np.testing.assert_array_equal(host, 2.5 * np.arange(5.0))


def test_in_place_casting_errors_match_numpy():
    ints = nf.asarray(np.arange(4))
    host = np.arange(4)

    def numpy_side():
        h = host.copy()
        h += 0.5

    def numfuse_side():
        x = ints
        x += 0.5

    like_numpy(numpy_side, numfuse_side)


def test_unknown_operands_get_not_implemented():
    x = nf.asarray(np.arange(3.0))

    class Right:
        def __radd__(self, other):
            return "radd"

        def __rlt__(self, other):
            return "unused"

        def __gt__(self, other):  # x < Right() reflects to Right() > x
            return "gt"

    assert x + Right() == "radd"
    assert (x < Right()) == "gt"
    assert x.__add__(object()) is NotImplemented
    with pytest.raises(TypeError):
        x + object()
    with pytest.raises(TypeError):
        pow(x, 2, 3)
    assert (x == None) is False  # noqa: E711  (identity fallback, as before)
    assert (x != None) is True  # noqa: E711


def test_operator_errors_are_numpy_exceptions():
    with pytest.raises(ValueError, match="broadcast"):
        nf.arange(3) + nf.arange(4)
    with pytest.raises(OverflowError):
        nf.asarray(np.arange(3, dtype=np.uint8)) + 300
    with pytest.raises(TypeError):
        nf.asarray(np.arange(3.0)) & 1


def test_mixing_with_numpy_arrays_either_side():
    base = np.arange(4.0)
    x = nf.asarray(base)
    assert isinstance(x + base, nf.ndarray)
    r = base + x  # NumPy defers to numfuse's __array_ufunc__
    np.testing.assert_array_equal(np.asarray(r), base + base)
    np.testing.assert_array_equal(np.asarray([1.0, 2, 3, 4] * x), [0.0, 2, 6, 12])


def test_constants_keep_their_bits():
    # Python scalars are shared constants: equal values, but not equal bits, must not be merged.
    x = nf.asarray(np.ones(3))
    r1 = nf.copysign(x, 0.0)
    r2 = nf.copysign(x, -0.0)
    np.testing.assert_array_equal(np.signbit(np.asarray(r1)), False)
    np.testing.assert_array_equal(np.signbit(np.asarray(r2)), True)
    nan_result = np.asarray(x * float("nan"))
    assert np.isnan(nan_result).all()
    for k in range(100):  # more distinct constants than the cache has slots
        assert float(np.asarray(x + k)[0]) == 1.0 + k
        assert float(np.asarray(x * (k + 0.5))[0]) == k + 0.5
    big = 2**63 + 5  # a uint64 constant
    u = nf.asarray(np.array([1], dtype=np.uint64))
    assert int(np.asarray(u + big)[0]) == 2**63 + 6


def test_constants_in_many_threads():
    from concurrent.futures import ThreadPoolExecutor
    x = nf.asarray(np.arange(1000.0))

    def work(k):  # exceptions propagate through map()
        for i in range(200):
            assert np.asarray((x * k + i).sum()) == (np.arange(1000.0) * k + i).sum(), (k, i)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(work, range(4)))


def test_an_uninitialized_ndarray_raises_instead_of_crashing():
    with pytest.raises(TypeError, match="directly"):
        nf.ndarray()
    with pytest.raises(TypeError):  # pybind11_object.__new__ is "not safe" for this type now
        nf.ndarray.__new__(nf.ndarray)
    with pytest.raises(TypeError):
        super(nf.ndarray, nf.ndarray).__new__(nf.ndarray)


@pytest.mark.parametrize("make", [lambda: nf.arange(6.0).reshape(2, 3), lambda: nf.arange(6.0).reshape(2, 3).T,
                                  lambda: nf.arange(12.0)[::3] + 1, lambda: nf.asarray(np.arange(4, dtype=np.int8)),
                                  lambda: nf.asarray(np.array(3.5 + 1j)), lambda: nf.zeros((0, 3))])
def test_pickle_and_copy_round_trips(make):
    import copy
    import pickle
    x = make()
    for y in (pickle.loads(pickle.dumps(x)), copy.copy(x), copy.deepcopy(x)):
        assert isinstance(y, nf.ndarray)
        want = np.asarray(x)
        got = np.asarray(y)
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want)
