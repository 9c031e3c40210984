"""Dimensions linear in an argument (`x(2*n)`, `x(n+1)`, `a(2*m+1, n)`), against numpy.f2py on the
same source: the argument becomes optional, solved from the array's extent, with f2py's docstring
and f2py's check error where the array does not fit the dimension."""
import numpy as np
import pytest

from fortran_wrap_util import FORTRAN_TEST_MARKS, assert_same, build_both

pytestmark = FORTRAN_TEST_MARKS

ROUTINES = ["pairs", "edges", "inner", "stride3", "grid"]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    return build_both("lindims", "f2py_linear_dims.f", tmp_path_factory.mktemp("linear_dims"))


@pytest.mark.parametrize("name", ROUTINES)
def test_docstring_is_f2pys(both, name):
    ours, theirs = both
    assert getattr(ours, name).__doc__ == getattr(theirs, name).__doc__


def outcome(fn, *args, **kwargs):
    try:
        return "ok", fn(*args, **kwargs)
    except Exception as e:  # the module's error (f2py's check) or ValueError/TypeError
        return "raises", e


CALLS = [(name, (np.arange(1.0, 1 + size),), {}) for name in ROUTINES[:4] for size in range(0, 9)]
CALLS += [("pairs", (np.arange(6.0),), {"n": 3}), ("pairs", (np.arange(6.0),), {"n": 2}),
          ("edges", (np.arange(6.0),), {"n": 5}), ("edges", (np.arange(6.0),), {"n": 4}),
          ("stride3", (np.arange(7.0), 3), {})]
CALLS += [("grid", (np.asfortranarray(np.arange(1.0, 1 + rows * 2).reshape(rows, 2)),), {}) for rows in range(1, 7)]


@pytest.mark.parametrize("name,args,kwargs", CALLS, ids=[f"{c[0]}-{i}" for i, c in enumerate(CALLS)])
def test_call_matches_f2py(both, name, args, kwargs):
    ours, theirs = both
    got, want = outcome(getattr(ours, name), *args, **kwargs), outcome(getattr(theirs, name), *args, **kwargs)
    assert got[0] == want[0], (got, want)
    if got[0] == "ok":
        assert_same(got[1], want[1])
    else:
        # the module's error (numfuse's also a ValueError) with f2py's check text first; numfuse
        # adds the other values the check reads
        assert type(got[1]).__name__ == type(want[1]).__name__, (got, want)
        assert str(got[1]).startswith(str(want[1])), (got, want)
