"""Shared by the test_numpy_native_* tests: run one call with NumPy and with numfuse on the same
inputs (numfuse gets copies as numfuse arrays; in-place calls compare the mutated first
argument) and compare values, dtypes, shapes, result structure and exception types."""
import warnings

import numpy as np

import numfuse as nf

DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
          np.uint64, np.float32, np.float64, np.complex64, np.complex128]


def to_numfuse(value):
    """NumPy arrays (also inside lists and tuples) as numfuse copies. Views are made by the
    tests themselves (check_call), from each module's own array."""
    if isinstance(value, np.ndarray):
        return nf.asarray(value.copy())
    if type(value) in (list, tuple):
        return type(value)(to_numfuse(v) for v in value)
    return value


def copy_numpy(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    if type(value) in (list, tuple):
        return type(value)(copy_numpy(v) for v in value)
    return value


def assert_same(got, want, where="result"):
    if isinstance(want, BaseException):
        assert isinstance(got, BaseException) and type(got) is type(want), \
            f"{where}: got {got!r}, NumPy raised {want!r}"
        return
    assert not isinstance(got, BaseException), f"{where}: raised {got!r}, NumPy gave {want!r}"
    if isinstance(want, np.ndarray):
        assert isinstance(got, nf.ndarray), f"{where}: {type(got)}"
        assert (got.dtype, got.shape) == (want.dtype, want.shape), \
            f"{where}: {got.dtype}{got.shape} vs {want.dtype}{want.shape}"
        np.testing.assert_array_equal(np.asarray(got), want, err_msg=where, strict=True)
    elif isinstance(want, (list, tuple)):
        assert type(got) is type(want) and len(got) == len(want), f"{where}: {got!r} vs {want!r}"
        for i, (g, w) in enumerate(zip(got, want)):
            assert_same(g, w, f"{where}[{i}]")
    else:
        assert type(got) is type(want), f"{where}: {type(got)} vs {type(want)}"
        np.testing.assert_array_equal(got, want, err_msg=where, strict=True)


def outcome(func, args, kwargs, inplace):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = func(*args, **kwargs)
        except Exception as error:  # noqa: BLE001  (its type is compared)
            return error
    return args[0] if inplace else result


def check(name, *args, inplace=False, module_path="", **kwargs):
    """numfuse's `name` matches NumPy's on these arguments."""
    np_func, nf_func = np, nf
    for part in (module_path + "." + name).strip(".").split("."):
        np_func, nf_func = getattr(np_func, part), getattr(nf_func, part)
    want = outcome(np_func, copy_numpy(args), kwargs, inplace)
    got = outcome(nf_func, to_numfuse(args), kwargs, inplace)
    assert_same(got, want, f"{name}{tuple(type(a).__name__ for a in args)} {kwargs}")


def check_call(call, inplace_of=None):
    """call(np) and call(nf) match (call builds its own inputs with the module given)."""
    results = []
    for module in (np, nf):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                results.append(call(module))
            except Exception as error:  # noqa: BLE001
                results.append(error)
    assert_same(results[1], results[0], getattr(call, "__name__", "call"))


def assert_native(*names):
    """Each name is numfuse's own (not a fallback) and NumPy's function dispatches to it."""
    from numfuse import _dropin
    fallbacks = set(nf.fallbacks())
    for name in names:
        assert name not in fallbacks, name
        np_func = getattr(np, name, None)
        if callable(np_func) and hasattr(np_func, "_implementation"):
            assert _dropin._native.get(np_func) is getattr(nf, name), name
