"""Printing numfuse arrays: NumPy's formatter and print options (one state for both), checked
against NumPy's output for the same values."""
import numpy as np
import pytest

import numfuse as nf

CASES = [
    np.arange(12, dtype=np.float64).reshape(3, 4) / 7,
    np.array(3.25),
    np.zeros((0, 3), dtype=np.int32),
    np.array([1 + 2j, -0.5j], dtype=np.complex64),
    np.array([True, False]),
    np.arange(2000, dtype=np.int64),  # summarized beyond the threshold
    np.array([1e-9, 1.0, np.nan, -np.inf]),
]


@pytest.mark.parametrize("values", CASES, ids=lambda v: f"{v.dtype}{v.shape}")
def test_repr_str_and_functions_equal_numpys(values):
    a = nf.asarray(values)
    assert repr(a) == repr(values)
    assert str(a) == str(values)
    assert nf.array2string(a, precision=2, separator=";") == np.array2string(values, precision=2, separator=";")
    assert nf.array_repr(a, precision=3) == np.array_repr(values, precision=3)
    assert nf.array_str(a, max_line_width=20) == np.array_str(values, max_line_width=20)


def test_print_options_are_one_state_with_numpys():
    values = np.linspace(0, 1, 7)
    a = nf.asarray(values)
    default = repr(a)
    with nf.printoptions(precision=2, suppress=True):
        assert nf.get_printoptions()["precision"] == np.get_printoptions()["precision"] == 2
        assert repr(a) == repr(values) != default
    assert repr(a) == default
    with np.printoptions(threshold=3, edgeitems=1):  # NumPy's context shapes numfuse's output too
        assert str(a) == str(values) == "[0. ... 1.]"
    before = nf.get_printoptions()
    try:
        nf.set_printoptions(precision=4)
        assert np.get_printoptions()["precision"] == 4 and repr(a) == repr(values)
    finally:
        nf.set_printoptions(**before)
    with pytest.raises(TypeError):
        nf.set_printoptions(precision="x")


def test_pending_lazy_values_print():
    a = nf.arange(5.0)
    b = a * 2 + 1  # recorded, not yet computed
    assert repr(b) == repr(np.arange(5.0) * 2 + 1)


def test_float_formatting():
    for value in (0.1, 1 / 3, 1e300, -0.0):
        assert nf.format_float_positional(value, precision=4) == np.format_float_positional(value, precision=4)
        assert nf.format_float_scientific(value, unique=False, precision=3) == \
            np.format_float_scientific(value, unique=False, precision=3)
