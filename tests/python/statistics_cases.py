"""Comparisons shared by the statistics tests (test_statistics_*.py): numfuse against NumPy on
the same call, values, dtypes, shapes, scalar-or-array, exception types and warnings."""
import warnings

import numpy as np
import pytest

from sorting_cases import assert_same


def same(result, expected, exact=True):
    """Equal results; `exact=False` allows a tight rtol for floats summed in another order."""
    if isinstance(expected, tuple):
        assert isinstance(result, tuple) and len(result) == len(expected)
        for r, e in zip(result, expected):
            same(r, e, exact)
        return
    e = np.asarray(expected)
    if exact or e.dtype.kind in "biu":
        assert_same(result, expected)
    else:
        r = np.asarray(result)
        assert (r.dtype, r.shape) == (e.dtype, e.shape), (r.dtype, e.dtype, r.shape, e.shape)
        rtol = 1e-5 if e.dtype in (np.float32, np.complex64) else 1e-12
        np.testing.assert_allclose(r, e, rtol=rtol, atol=rtol, equal_nan=True)
    assert isinstance(result, np.generic) == isinstance(expected, np.generic), (type(result), type(expected))


def _categories(caught):
    # numfuse's arithmetic does not report floating-point errors ("invalid value encountered in
    # divide"): only the warnings the functions themselves give are compared.
    return {w.category for w in caught if "encountered in" not in str(w.message)}


def both(f_nf, f_np):
    """(numfuse result, NumPy result) with the same warning categories; (None, None) when NumPy
    raises, after checking that numfuse raises the same exception type."""
    with warnings.catch_warnings(record=True) as w_np:
        warnings.simplefilter("always")
        try:
            expected = f_np()
        except Exception as e:  # noqa: BLE001 - the type is what is compared
            with pytest.raises(type(e)):
                f_nf()
            return None, None
    with warnings.catch_warnings(record=True) as w_nf:
        warnings.simplefilter("always")
        result = f_nf()
    assert _categories(w_nf) == _categories(w_np), (w_nf, w_np)
    return result, expected


def check(f_nf, f_np, exact=True):
    """both(), then same() unless NumPy raised."""
    result, expected = both(f_nf, f_np)
    if expected is not None:
        same(result, expected, exact)
