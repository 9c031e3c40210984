"""nf.savetxt writes the same bytes as np.savetxt (native for printf-style numeric formats)."""
import io

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import numfuse as nf


def saved(module, array, target_factory=io.BytesIO, **kwargs):
    target = target_factory()
    try:
        module.savetxt(target, array, **kwargs)
    except Exception as e:  # noqa: BLE001 - the type is compared
        return type(e)
    return target.getvalue()


def check_same(array, **kwargs):
    expected = saved(np, array, **kwargs)
    assert saved(nf, nf.asarray(array), **kwargs) == expected
    return expected


RNG = np.random.default_rng(1)
FLOATS = RNG.standard_normal((40, 4)) * 10.0 ** RNG.integers(-300, 300, (40, 4))
FLOATS[0] = [np.nan, -np.nan, np.inf, -np.inf]
FLOATS[1] = [0.0, -0.0, 5e-324, np.finfo(np.float64).max]
INTS = RNG.integers(-10**15, 10**15, (40, 4))
with np.errstate(over="ignore"):
    FLOATS32 = FLOATS.astype(np.float32)
ARRAYS = {
    "f8": FLOATS, "f4": FLOATS32, "i8": INTS, "i1": INTS.astype(np.int8),
    "u8": np.abs(INTS).astype(np.uint64), "bool": INTS > 0, "1d": FLOATS[2:, 0],
}
FORMATS = ["%.18e", "%d", "%.3f", "%g", "%10.5f", "%-12.4e", "%+.2E", "% G", "%010.3f", "%#g", "%.0f",
           "%i", "%5d", "%05.3d", "%s", ["%d", "%.2f", "%e", "%g"], "%.3f,%d;%e %g", "%.2f%%", "%.2f %.2f"]


@pytest.mark.parametrize("name", list(ARRAYS))
@pytest.mark.parametrize("fmt", FORMATS, ids=str)
def test_same_bytes_as_numpy(name, fmt):
    array = ARRAYS[name]
    if array.ndim == 1 and isinstance(fmt, list):
        fmt = fmt[0]
    check_same(array, fmt=fmt, delimiter=",", header="h1\nh2", footer="end", newline="\r\n")


@pytest.mark.parametrize("kwargs", [{}, {"delimiter": "\t", "comments": "% "}, {"header": "a b", "encoding": "utf-8"},
                                   {"encoding": "utf-16", "header": "é"}])
def test_options_and_text_files(kwargs, tmp_path):
    array = FLOATS[2:6]
    check_same(array, **kwargs)
    expected = saved(np, array, io.StringIO, **kwargs)
    assert saved(nf, nf.asarray(array), io.StringIO, **kwargs) == expected
    np.savetxt(tmp_path / "np.txt", array, **kwargs)
    nf.savetxt(tmp_path / "nf.txt", nf.asarray(array), **kwargs)
    assert (tmp_path / "nf.txt").read_bytes() == (tmp_path / "np.txt").read_bytes()
    nf.savetxt(tmp_path / "nf.txt.gz", nf.asarray(array), **kwargs)
    np.testing.assert_array_equal(np.loadtxt(tmp_path / "nf.txt.gz", encoding=kwargs.get("encoding")),
                                  np.loadtxt(tmp_path / "np.txt", encoding=kwargs.get("encoding")))


def test_round_trip_and_large(tmp_path):
    array = RNG.standard_normal((70000, 3))  # more than one block of rows
    nf.savetxt(tmp_path / "a.txt", nf.asarray(array))
    np.savetxt(tmp_path / "b.txt", array)
    assert (tmp_path / "a.txt").read_bytes() == (tmp_path / "b.txt").read_bytes()
    assert np.asarray(nf.loadtxt(tmp_path / "a.txt")).tobytes() == array.tobytes()


@pytest.mark.parametrize("array,kwargs", [
    (FLOATS, {"fmt": "%d"}),                  # NaN to an integer: Python's ValueError
    (FLOATS[:2], {"fmt": ["%d", "%d"]}),       # wrong number of formats
    (FLOATS[:2], {"fmt": "%d %d"}),
    (FLOATS[:2], {"fmt": 5}),
    (np.zeros((2, 2, 2)), {}),
    (np.float64(1.0), {}),
    (FLOATS[:2], {"fmt": "%q"}),
])
def test_errors_like_numpy(array, kwargs):
    expected = saved(np, array, **kwargs)
    assert isinstance(expected, type) and issubclass(expected, Exception)
    assert saved(nf, nf.asarray(array), **kwargs) is expected


def test_complex_goes_to_numpy():
    array = FLOATS[2:5, :2] + 1j * FLOATS[5:8, :2]
    check_same(array)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(width=64), min_size=1, max_size=30),
       st.sampled_from(["%.18e", "%.17g", "%r", "%.6f", "%12.3E", "%+.10g"]))
def test_random_doubles(values, fmt):
    check_same(np.array(values), fmt=fmt)
