"""The public surface built from the op table: nf functions, ndarray operators (reflected,
in-place, with NumPy arrays and Python scalars), out=, NEP 50 scalars, errors, composites and
the NumPy protocols."""
import operator

import numpy as np
import pytest

import numfuse as nf
from ufunc_cases import OPS

CUSTOM = {"clip", "where", "real", "imag", "angle"}


def test_every_table_op_is_an_nf_function():
    for desc in OPS:
        assert callable(getattr(nf, desc["name"])), desc["name"]
    for alias in ("divide", "mod", "abs", "conj", "bitwise_not", "pow", "acos", "atan2"):
        assert callable(getattr(nf, alias))


@pytest.mark.parametrize("name", [d["name"] for d in OPS if d["name"] not in CUSTOM])
def test_function_matches_numpy(name):
    desc = [d for d in OPS if d["name"] == name][0]
    rng = np.random.default_rng(5)
    args = [rng.uniform(0.5, 4, 12).astype(np.float64) for _ in range(desc["arity"])]
    if "float64" not in map(str, desc["loops"]):
        args = [a.astype(np.int32) for a in args]
    got = getattr(nf, name)(*[nf.asarray(a) for a in args])
    want = getattr(np, name)(*args)
    assert isinstance(got, nf.ndarray)
    assert got.dtype == want.dtype
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-6)


BINARY_OPERATORS = [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv,
                    operator.mod, operator.pow, operator.eq, operator.ne, operator.lt, operator.le,
                    operator.gt, operator.ge]
INT_OPERATORS = [operator.and_, operator.or_, operator.xor, operator.lshift, operator.rshift]


@pytest.mark.parametrize("op", BINARY_OPERATORS + INT_OPERATORS, ids=lambda f: f.__name__)
def test_binary_operators(op):
    a = np.arange(1, 13, dtype=np.int32).reshape(3, 4)
    b = np.arange(2, 6, dtype=np.int32)
    cases = [(a, b), (a, 3), (3, a), (a, True)]
    if op not in INT_OPERATORS:
        cases += [(a.astype(float), 2.5), (2.5, a.astype(float)), (a, 1.5)]
    for x, y in cases:
        want = op(x, y)
        nx = nf.asarray(x) if isinstance(x, np.ndarray) else x
        ny = nf.asarray(y) if isinstance(y, np.ndarray) else y
        got = op(nx, ny)
        assert isinstance(got, nf.ndarray)
        assert got.dtype == want.dtype, (op, x, y)
        np.testing.assert_allclose(np.asarray(got), want)
        # a NumPy array on the left defers to numfuse through __array_ufunc__
        if isinstance(x, np.ndarray) and isinstance(y, np.ndarray):
            mixed = op(x, nf.asarray(y))
            assert isinstance(mixed, nf.ndarray)
            np.testing.assert_allclose(np.asarray(mixed), want)


def test_unary_operators():
    a = np.array([-2, 0, 3], dtype=np.int16)
    for op in (operator.neg, operator.pos, operator.invert, abs):
        got = op(nf.asarray(a))
        np.testing.assert_array_equal(np.asarray(got), op(a))
        assert got.dtype == op(a).dtype
    with pytest.raises(TypeError):
        -nf.asarray(np.array([True]))


@pytest.mark.parametrize("op", [operator.iadd, operator.isub, operator.imul, operator.itruediv,
                                operator.ifloordiv, operator.imod, operator.ipow])
def test_inplace_operators(op):
    a = np.linspace(1, 3, 12).reshape(3, 4)
    na = nf.asarray(a.copy())
    view = na
    result = op(na, 2.0)
    assert result is view
    np.testing.assert_allclose(np.asarray(view), op(a.copy(), 2.0))


def test_inplace_overlapping_views_match_numpy():
    for shift in (1, 2):
        a = np.arange(10.0)
        na = nf.asarray(np.arange(10.0))
        a[shift:] += a[:-shift]
        na[shift:] += na[:-shift]
        np.testing.assert_array_equal(np.asarray(na), a)
        a = np.arange(10.0)
        na = nf.asarray(np.arange(10.0))
        a[:-shift] += a[shift:]
        na[:-shift] += na[shift:]
        np.testing.assert_array_equal(np.asarray(na), a)
    a = np.arange(16.0).reshape(4, 4)
    na = nf.asarray(a.copy())
    np.add(a, a.T, out=a)
    nf.add(na, na.T, out=na)
    np.testing.assert_array_equal(np.asarray(na), a)


def test_inplace_cast_errors():
    a = nf.asarray(np.arange(4, dtype=np.int32))
    with pytest.raises(TypeError):
        a += 1.5
    b = nf.asarray(np.arange(4, dtype=np.float32))
    b += 1  # same kind: fine
    b += np.arange(4, dtype=np.float64)  # float64 -> float32 is same_kind
    np.testing.assert_array_equal(np.asarray(b), np.arange(4) * 2 + 1)


def test_nep50_python_scalars():
    u = nf.asarray(np.arange(3, dtype=np.uint8))
    assert (u + 1).dtype == np.uint8
    assert (u * 2.5).dtype == np.float64
    assert (nf.asarray(np.ones(2, np.float32)) + 1.5).dtype == np.float32
    assert (nf.asarray(np.ones(2, np.float32)) + 1j).dtype == np.complex64
    assert (nf.asarray(np.array([True])) + 1).dtype == np.int64
    with pytest.raises(OverflowError):
        u + 300
    np.testing.assert_array_equal(np.asarray(u < 300), [True, True, True])
    np.testing.assert_array_equal(np.asarray(u == -1), [False, False, False])
    np.testing.assert_array_equal(np.asarray(u + 255), np.arange(3, dtype=np.uint8) + 255)


def test_out_argument():
    a = nf.asarray(np.arange(6.0).reshape(2, 3))
    out = nf.empty((2, 3))
    assert nf.sin(a, out=out) is out
    np.testing.assert_allclose(np.asarray(out), np.sin(np.arange(6.0).reshape(2, 3)))
    assert nf.add(a, 1, out=(out,)) is out
    np_out = np.empty((2, 3))
    assert nf.multiply(a, 2, out=np_out) is np_out
    np.testing.assert_array_equal(np_out, np.arange(6.0).reshape(2, 3) * 2)
    wide = nf.empty((2, 3), dtype=np.complex128)
    nf.sqrt(a, out=wide)
    np.testing.assert_allclose(np.asarray(wide), np.sqrt(np.arange(6.0)).reshape(2, 3))
    with pytest.raises(ValueError):
        nf.add(a, 1, out=nf.empty((3, 2)))
    with pytest.raises(TypeError):
        nf.sin(a, out=nf.empty((2, 3), dtype=np.int64))
    with pytest.raises(ValueError):
        nf.add(a, 1, out=nf.empty((0, 3)))


def test_errors():
    with pytest.raises(ValueError):
        nf.add(nf.ones(3), nf.ones(4))
    with pytest.raises(TypeError):
        nf.bitwise_and(nf.ones(3), nf.ones(3))
    with pytest.raises(TypeError):
        nf.floor(nf.asarray(np.array([1 + 1j])))
    with pytest.raises(ValueError):  # data-dependent: raised when the value is computed
        np.asarray(nf.power(nf.asarray(np.array([2])), nf.asarray(np.array([-1]))))
    with pytest.raises(TypeError):
        nf.sin(nf.ones(2), nf.ones(2), nf.ones(2))


def test_composites():
    x = np.array([-2.567, -0.5, 0.5, 1.5, 2.5, 12345.678])
    nx = nf.asarray(x)
    for d in (0, 1, 2, -1, -2):
        np.testing.assert_array_equal(np.asarray(nf.round(nx, d)), np.round(x, d))
    i = np.array([-155, 149, 150, 250, 12], dtype=np.int32)
    np.testing.assert_array_equal(np.asarray(nf.around(nf.asarray(i), -1)), np.around(i, -1))
    np.testing.assert_array_equal(np.asarray(nf.fix(nx)), np.fix(x))
    np.testing.assert_array_equal(np.asarray(nf.clip(nx, -1, 1)), np.clip(x, -1, 1))
    np.testing.assert_array_equal(np.asarray(nf.clip(nx, None, 1)), np.clip(x, None, 1))
    np.testing.assert_array_equal(np.asarray(nx.clip(0)), x.clip(0))
    q, r = nf.divmod(nx, 0.75)
    wq, wr = np.divmod(x, 0.75)
    np.testing.assert_array_equal(np.asarray(q), wq)
    np.testing.assert_array_equal(np.asarray(r), wr)
    cond = x > 0
    np.testing.assert_array_equal(np.asarray(nf.where(nf.asarray(cond), nx, 0)),
                                  np.where(cond, x, 0))
    assert nf.where(nf.asarray(cond), 1, 2.0).dtype == np.float64
    z = np.array([1 + 2j, -3 - 4j], dtype=np.complex64)
    nz = nf.asarray(z)
    np.testing.assert_array_equal(np.asarray(nz.real), z.real)
    np.testing.assert_array_equal(np.asarray(nf.imag(nz)), np.imag(z))
    np.testing.assert_allclose(np.asarray(nf.angle(nz, deg=True)), np.angle(z, deg=True), rtol=1e-6)
    np.testing.assert_array_equal(np.asarray(nz.conj()), z.conj())
    nz.real[...] = 7  # the real part is a writable view, as in NumPy
    np.testing.assert_array_equal(np.asarray(nz), [7 + 2j, 7 - 4j])


def test_numpy_protocols():
    x = nf.asarray(np.linspace(0, 1, 5))
    r = np.sin(x)
    assert isinstance(r, nf.ndarray)
    np.testing.assert_allclose(np.asarray(r), np.sin(np.linspace(0, 1, 5)))
    z = nf.empty(5)
    assert np.add(x, x, out=z) is z
    np.testing.assert_allclose(np.asarray(z), 2 * np.linspace(0, 1, 5))
    assert isinstance(np.where(x > 0.5, x, 0.0), nf.ndarray)
    assert isinstance(np.clip(x, 0.2, 0.4), nf.ndarray)
    if hasattr(nf, "sum"):
        s = np.sum(x)
        assert isinstance(s, nf.ndarray) or np.isscalar(s)
        assert float(s) == pytest.approx(2.5)
    # No native ldexp: NumPy's runs on a zero-copy view and the result comes back as numfuse's.
    r = np.ldexp(x, 2)
    assert isinstance(r, nf.ndarray)
    np.testing.assert_array_equal(np.asarray(r), np.ldexp(np.linspace(0, 1, 5), 2))
