"""The array API's elementwise special cases (spec: "Special cases" of each elementwise function)
on every evaluation path: eager small arrays (scalar loop), SIMD-length arrays, strided views,
lazy fused chains and out=. NumPy 2 is the oracle where it follows the spec; the spec's own rule
is asserted where the two are the same statement (expm1(-0) = -0, log1p(-0) = -0, ...)."""
import numpy as np
import pytest

import numfuse as nf

FLOATS = [np.float32, np.float64]
COMPLEX = [np.complex64, np.complex128]
SIZES = [1, 3, 17, 1000]  # scalar tail, one SIMD block plus a tail, many blocks


def paths(fn, values, dtype):
    """fn applied along each path numfuse evaluates by: (label, numfuse result as NumPy)."""
    v = np.asarray(values, dtype=dtype)
    x = nf.asarray(v)
    yield "eager", np.asarray(fn(x))
    doubled = nf.asarray(np.repeat(v, 2))
    yield "strided", np.asarray(fn(doubled[::2]))
    yield "fused", np.asarray(fn(x * 1))  # lazily recorded, run as one fused group
    out = nf.empty(v.shape, dtype=np.asarray(fn(x)).dtype)
    fn(x, out=out)
    yield "out", np.asarray(out)


def same_bits(got, want):
    """Equal values, NaN where NaN, and the same sign of zero (the special cases' point)."""
    assert got.dtype == want.dtype
    parts = (lambda z: z.real, lambda z: z.imag) if want.dtype.kind == "c" else (lambda z: z,)
    for part in parts:
        g, w = part(got), part(want)
        nan = np.isnan(w)
        assert np.array_equal(np.isnan(g), nan)
        np.testing.assert_array_equal(g[~nan], w[~nan])
        assert np.array_equal(np.signbit(g[~nan]), np.signbit(w[~nan]))


@pytest.mark.parametrize("name", ["expm1", "log1p"])
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("size", SIZES)
def test_odd_functions_keep_signed_zero(name, dtype, size):
    # spec: "If x_i is -0, the result is -0"; "If x_i is +0, the result is +0"
    fn = getattr(nf, name)
    values = np.resize(np.array([-0.0, 0.0, -0.0, 1e-30, -1e-30], dtype=dtype), size)
    want = getattr(np, name)(values)
    assert np.array_equal(np.signbit(want), np.signbit(values))  # NumPy agrees with the spec
    for label, got in paths(fn, values, dtype):
        same_bits(got, want), label


# Special values each elementwise function's special cases name: +-0, +-1, +-inf, NaN, and
# values on either side of the branch points (0.5, 2, pi/2, tiny and huge magnitudes).
REAL_VALUES = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.5, np.inf, -np.inf, np.nan, 1e-30, -1e-30,
               3.0, 1e30, np.pi / 2]
UNARY = ["abs", "acos", "acosh", "asin", "asinh", "atan", "atanh", "ceil", "cos", "cosh", "exp",
         "expm1", "floor", "isfinite", "isinf", "isnan", "log", "log1p", "log2", "log10",
         "negative", "positive", "round", "sign", "signbit", "sin", "sinh", "square", "sqrt",
         "tan", "tanh", "trunc"]
BINARY = ["add", "atan2", "copysign", "divide", "equal", "floor_divide", "greater", "greater_equal",
          "hypot", "less", "less_equal", "logaddexp", "maximum", "minimum", "multiply", "nextafter",
          "not_equal", "pow", "remainder", "subtract"]


def close_or_same(got, want, zero_sign=True):
    """Special values bit-for-bit (NaN, inf, signed zero unless zero_sign=False), the rest
    within float32 rounding."""
    assert got.dtype == want.dtype and got.shape == want.shape
    parts = (lambda z: z.real, lambda z: z.imag) if want.dtype.kind == "c" else (lambda z: z,)
    for part in parts:
        g, w = part(got), part(want)
        if w.dtype.kind != "f":
            assert np.array_equal(g, w)
            continue
        nan = np.isnan(w)
        assert np.array_equal(np.isnan(g), nan)
        exact = ~nan & (np.isinf(w) | (w == 0))
        np.testing.assert_array_equal(g[exact], w[exact])
        if zero_sign:
            assert np.array_equal(np.signbit(g[exact]), np.signbit(w[exact]))
        np.testing.assert_allclose(g[~nan & ~exact], w[~nan & ~exact], rtol=2e-6)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", UNARY)
def test_unary_real_special_cases(name, dtype):
    values = np.array(REAL_VALUES, dtype=dtype)
    with np.errstate(all="ignore"):
        want = getattr(np, name)(values)
        for label, got in paths(getattr(nf, name), values, dtype):
            close_or_same(got, want)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", BINARY)
def test_binary_real_special_cases(name, dtype):
    values = np.array(REAL_VALUES, dtype=dtype)
    a, b = np.repeat(values, len(values)), np.tile(values, len(values))  # every pair
    # spec (maximum, minimum): with -0 and +0 "the result is implementation-defined"
    zero_sign = name not in ("maximum", "minimum")
    with np.errstate(all="ignore"):
        want = getattr(np, name)(a, b)
        got = np.asarray(getattr(nf, name)(nf.asarray(a), nf.asarray(b)))
        close_or_same(got, want, zero_sign)
        fused = np.asarray(getattr(nf, name)(nf.asarray(a) * 1, nf.asarray(b)))
        close_or_same(fused, want, zero_sign)


COMPLEX_PARTS = [0.0, -0.0, 1.0, -2.0, np.inf, -np.inf, np.nan]
COMPLEX_VALUES = [complex(r, i) for r in COMPLEX_PARTS + [2.5] for i in COMPLEX_PARTS]
# The complex special cases the spec lists (NumPy follows them for these functions).
COMPLEX_UNARY = ["abs", "acos", "acosh", "asin", "asinh", "atan", "atanh", "conj", "cos", "cosh",
                 "exp", "expm1", "isfinite", "isinf", "isnan", "log", "log1p", "log2", "log10",
                 "negative", "positive", "sign", "sin", "sinh", "sqrt", "square", "tan", "tanh"]


@pytest.mark.parametrize("dtype", COMPLEX)
@pytest.mark.parametrize("name", COMPLEX_UNARY)
def test_unary_complex_special_cases(name, dtype):
    values = np.array(COMPLEX_VALUES, dtype=dtype)
    if name == "sign":  # NumPy's sign(inf + nan j) is 1: the spec's NaN case, tested below
        values = values[~(np.isnan(values.real) | np.isnan(values.imag))]
    with np.errstate(all="ignore"):
        want = getattr(np, name)(values)
        got = np.asarray(getattr(nf, name)(nf.asarray(values)))
    close_or_same(got, want)


@pytest.mark.parametrize("dtype", COMPLEX)
def test_complex_sign_special_cases(dtype):
    inf, nan = np.inf, np.nan
    # spec (sign, complex): "If a is NaN or b is NaN, the result is NaN + NaN j" (NumPy 2.4 gives
    # 1 + 0j for inf + nan j: numfuse follows the spec, docs/array_api.md); "in the remaining
    # cases ... the rules of complex number division": (inf + inf j) / inf is NaN + NaN j.
    z = np.array([complex(inf, nan), complex(nan, -inf), complex(nan, 0), complex(inf, inf),
                  complex(-inf, inf), complex(inf, 3.0), complex(-0.0, 0.0)], dtype=dtype)
    got = np.asarray(nf.sign(nf.asarray(z)))
    assert np.isnan(got[:5].real).all() and np.isnan(got[:5].imag).all()
    assert got[5] == 1 + 0j and got[6] == 0


@pytest.mark.parametrize("name", ["greater", "greater_equal", "less", "less_equal", "maximum",
                                  "minimum", "fmax", "fmin"])
def test_complex_ordering_with_nan_parts_is_numpys(name):
    # The standard leaves complex ordering undefined; numfuse keeps NumPy's lexicographic order,
    # where a NaN imaginary part leaves the pair unordered (1 > nan j is False).
    values = np.array(COMPLEX_VALUES, dtype=np.complex128)
    a, b = np.repeat(values, len(values)), np.tile(values, len(values))
    with np.errstate(all="ignore"):
        want = getattr(np, name)(a, b)
        got = np.asarray(getattr(nf, name)(nf.asarray(a), nf.asarray(b)))
    np.testing.assert_array_equal(got, want)
