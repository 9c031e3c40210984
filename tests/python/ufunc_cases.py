"""Shared inputs and comparison helpers for the op-table tests (test_ufuncs_*.py)."""
import warnings

import numpy as np

import numfuse as nf

DTYPES = [np.dtype(t) for t in ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16",
                                "uint32", "uint64", "float32", "float64", "complex64",
                                "complex128")]
OPS = nf._core._ufunc_ops()
OPS_BY_NAME = {d["name"]: d for d in OPS}

# The NumPy reference of each table op: np.<name> unless listed here. Every table op must
# resolve to a reference; test_every_op_has_a_reference fails otherwise.
REFERENCE = {"real": np.real, "imag": np.imag, "angle": np.angle}


def reference(name):
    return REFERENCE.get(name, getattr(np, name, None))


def apply(name, *args, out=None):
    """The raw table op, exactly as the C++ table defines it."""
    return nf._core._ufunc_apply_eager(OPS_BY_NAME[name]["id"], args, out)


def values(dtype, n, rng, special=True):
    """n values of `dtype`, including the dtype's special values."""
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return rng.integers(0, 2, n).astype(bool)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        v = rng.integers(max(info.min, -100), min(info.max, 100), n, endpoint=True).astype(dtype)
        if special and n >= 8:
            v[:6] = [0, 1, info.max, info.min, info.max - 1, 2]
        return v
    if dtype.kind == "f":
        v = (rng.standard_normal(n) * 3).astype(dtype)
        if special and n >= 12:
            v[:12] = [0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 0.5, 1e-30, -7.5, 40.0, 2.5]
        return v
    real = values(np.float32 if dtype == np.complex64 else np.float64, n, rng, special=False)
    imag = values(np.float32 if dtype == np.complex64 else np.float64, n, rng, special=False)
    return (real + 1j * imag).astype(dtype)


def numpy_result(fn, *args):
    """NumPy's result, or the exception it raises."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return fn(*args), None
        except Exception as e:  # noqa: BLE001  (the exception type is what we compare)
            return None, e


def builtin_error(err):
    """The Python exception type behind a NumPy one (UFuncTypeError -> TypeError)."""
    return next(t for t in type(err).__mro__ if t.__module__ == "builtins")


def expected_dtype(np_dtype):
    """numfuse has no float16: where NumPy picks a float16 loop, numfuse uses float32."""
    return np.dtype(np.float32) if np_dtype == np.float16 else np_dtype


# Tolerances in units of the result's epsilon: transcendentals are SIMD (<= 4 ULP, see the
# accuracy test); complex functions follow std::complex formulas rather than NumPy's.
def tolerance(name, dtype):
    dtype = np.dtype(dtype)
    if dtype.kind not in "fc":
        return 0.0
    eps = np.finfo(dtype).eps
    if dtype.kind == "c":
        return 64 * eps
    if name in ("add", "subtract", "multiply", "true_divide", "sqrt", "negative",
                "floor", "ceil", "trunc", "rint", "maximum", "minimum", "fmax", "fmin"):
        return 0.0
    return 8 * eps


def assert_matches(name, got, want, rtol=None):
    got_np = np.asarray(got)
    want = np.asarray(want)
    assert got_np.shape == want.shape, (name, got_np.shape, want.shape)
    assert got_np.dtype == expected_dtype(want.dtype), (name, got_np.dtype, want.dtype)
    if want.dtype == np.float16:
        if name in ("nextafter", "spacing"):  # the next float16 is not the next float32
            return
        with np.errstate(over="ignore"):  # float32 results beyond float16's range become inf
            got_np = got_np.astype(np.float16)
    if rtol is None:
        rtol = tolerance(name, want.dtype)
    if want.dtype.kind in "fc" and rtol > 0:
        np.testing.assert_allclose(got_np, want, rtol=rtol, atol=rtol * 1e-6, equal_nan=True,
                                   err_msg=name)
    else:
        np.testing.assert_array_equal(got_np, want, err_msg=name)
