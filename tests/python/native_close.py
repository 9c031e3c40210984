"""For test_numpy_native_* tests of computed (not copied) values: numfuse's `name` gives NumPy's
result type, dtype, shape and warnings exactly, and its values to a few ULP (sums grouped
differently, cos/exp rounded differently in the last bit)."""
import warnings

import numpy as np

import numfuse as nf
from native_cases import to_numfuse


def _run(func, args, kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = func(*args, **kwargs)
        except Exception as error:  # noqa: BLE001  (its type is compared)
            result = error
    return result, sorted({(w.category.__name__, str(w.message)) for w in caught})


def close(name, *args, ulps=8, check_warnings=True, **kwargs):
    """Compare np.`name` and nf.`name` on the same arguments (numfuse gets numfuse copies, an
    out= array too, which must then be the result)."""
    want, want_warnings = _run(getattr(np, name), args, kwargs)
    nf_kwargs = {k: (to_numfuse(v) if k == "out" else v) for k, v in kwargs.items()}
    got, got_warnings = _run(getattr(nf, name), to_numfuse(args), nf_kwargs)
    where = f"{name}{tuple(type(a).__name__ for a in args)} {kwargs}"
    if isinstance(want, BaseException):
        # (NumPy's UFuncTypeError for strings is numfuse's plain TypeError for dtypes it lacks)
        assert type(got) is type(want) or (
            isinstance(want, TypeError) and type(got) is TypeError), f"{where}: {got!r} vs {want!r}"
        return
    assert not isinstance(got, BaseException), f"{where}: raised {got!r}"
    if check_warnings:
        assert got_warnings == want_warnings, where
    if isinstance(want, np.ndarray):
        assert isinstance(got, nf.ndarray), f"{where}: {type(got)}"
        if "out" in kwargs:
            assert got is nf_kwargs["out"], where
    else:
        assert type(got) is type(want), f"{where}: {type(got)} vs {type(want)}"
    got = np.asarray(got)
    assert (got.dtype, got.shape) == (want.dtype, np.shape(want)), \
        f"{where}: {got.dtype}{got.shape} vs {want.dtype}{np.shape(want)}"
    if got.dtype.kind in "fc":
        eps = np.finfo(got.dtype).eps
        finite = np.abs(want)[np.isfinite(want)]
        np.testing.assert_allclose(got, want, rtol=ulps * eps,
                                   atol=ulps * eps * np.max(finite, initial=0), err_msg=where)
    else:
        np.testing.assert_array_equal(got, want, err_msg=where)


def assert_native_with_numpys_signatures(*names):
    """Each name is numfuse's own (never a fallback) and has NumPy's signature."""
    import inspect

    from native_cases import assert_native
    assert_native(*names)
    for name in names:
        assert inspect.signature(getattr(nf, name)) == inspect.signature(getattr(np, name)), name
