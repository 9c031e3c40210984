"""numfuse.fortran_wrap against numpy.f2py on the same Fortran (tests/fortran/f2py_compat.f): the
same docstrings (so the same Python signatures: argument names and order, optional and hidden
arguments, returned tuples), the same results, and f2py's callback convention, so that f2py-era
calling code runs unchanged. Both modules are built once per session."""
import functools

import numpy as np
import pytest

from fortran_wrap_util import FORTRAN_TEST_MARKS, assert_same, build_both

pytestmark = FORTRAN_TEST_MARKS

ROUTINES = ["solve", "apply2", "trapz", "rhs", "dgemvt", "dscal2", "stats", "scal", "workq", "setcom"]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    return build_both("compat", "f2py_compat.f", tmp_path_factory.mktemp("f2py_compat"))


@pytest.mark.parametrize("name", ROUTINES)
def test_docstring_is_f2pys(both, name):
    ours, theirs = both
    assert getattr(ours, name).__doc__ == getattr(theirs, name).__doc__


def test_module_docstring_is_f2pys(both):
    ours, theirs = both
    assert ours.__doc__.startswith("This module 'compat_nfw' is auto-generated with numfuse.fortran_wrap.\n")
    # past the first line (who generated it): the routines with their defaults, as f2py lists them
    assert ours.__doc__.split("\n", 1)[1] == theirs.__doc__.split("\n", 1)[1]


def test_common_block_as_f2py(both):
    for mod in both:
        mod.setcom(1.5, 7)
    ours, theirs = both
    assert ours.params.__doc__ == theirs.params.__doc__
    for name in ("alpha", "nsteps", "coeffs"):
        np.testing.assert_array_equal(np.asarray(getattr(ours.params, name)), np.asarray(getattr(theirs.params, name)))


def call_both(both, name, *args, **kwargs):
    ours, theirs = both
    return getattr(ours, name)(*args, **kwargs), getattr(theirs, name)(*args, **kwargs)


def fresh(*arrays):
    """Separate copies of the inputs for each module (in-place routines write them)."""
    return [np.array(a, order="F") for a in arrays], [np.array(a, order="F") for a in arrays]


def test_plain_routines_give_the_same_results(both):
    rng = np.random.default_rng(3)
    a = np.asfortranarray(rng.standard_normal((5, 3)))      # lda = 5 rows, m <= 3 columns used
    x = rng.standard_normal(5)
    assert_same(*call_both(both, "dgemvt", 3, a, x))
    np.testing.assert_allclose(np.asarray(both[0].dgemvt(3, a, x)), a.T @ x)
    assert_same(*call_both(both, "dgemvt", 2, a, x[:4], lda=5))         # keywords by f2py's names
    assert_same(*call_both(both, "dgemvt", m=3, a=a, x=x, n=5))
    assert_same(*call_both(both, "stats", np.arange(1, 5, dtype=np.float32), 7))
    assert_same(*call_both(both, "stats", x=[1.0, 2.0], k=1))             # a list converts
    assert_same(*call_both(both, "scal", 2 ** 40, 1.5, 1 - 2j, 3))
    assert_same(*call_both(both, "workq", [1.0, 2.0, 3.0]))
    (dy1,), (dy2,) = fresh(np.ones(4))
    assert both[0].dscal2(2.0, np.arange(4.0), dy1) is None
    assert both[1].dscal2(2.0, np.arange(4.0), dy2) is None
    np.testing.assert_array_equal(dy1, dy2)


def test_failed_checks_raise_in_both(both):
    ours, theirs = both
    with pytest.raises(ours.error) as ours_err:           # the module's error, a ValueError
        ours.workq([1.0])
    with pytest.raises(theirs._compat_f2py_error) as theirs_err:    # f2py raises its own class
        theirs.workq([1.0])
    assert issubclass(ours.error, ValueError) and ours._compat_nfw_error is ours.error
    assert str(ours_err.value) == str(theirs_err.value) == "(n > 1) failed for 1st keyword n: workq:n=1"
    for mod in both:
        with pytest.raises(TypeError):
            mod.dgemvt(2, np.eye(2, order="F"))  # x missing


def test_minpack_style_callback_returns_its_output(both):
    x = np.array([1.0, 2.0, 3.0])
    assert_same(*call_both(both, "solve", lambda x, iflag: x ** 2 - iflag, x, 1))
    seen = {}

    def fcn(x, iflag, n):                        # the hidden dimension, when the function takes it
        seen.setdefault("n", []).append(n)
        seen.setdefault("type", []).append(type(x))
        return np.sin(x)
    assert_same(*call_both(both, "solve", fcn, x, 0))
    assert seen["n"] == [3, 3] and seen["type"] == [np.ndarray, np.ndarray]


def test_callback_extra_args(both):
    x = np.array([1.0, 2.0])
    got = []

    def takes_extra(x, iflag, k):                # n is dropped: the extra argument takes its place
        got.append(k)
        return x * k

    def takes_all(x, iflag, n, k, j):
        got.append((n, k, j))
        return x * k + j
    assert_same(*call_both(both, "solve", takes_extra, x, 0, fcn_extra_args=(10.0,)))
    assert_same(*call_both(both, "solve", takes_all, x, 0, 2, (10.0, 1.0)))     # positional: [n, fcn_extra_args]
    assert got == [10.0, 10.0, (2, 10.0, 1.0), (2, 10.0, 1.0)]
    for mod in both:
        with pytest.raises(TypeError):
            mod.solve(takes_extra, x, 0, fcn_extra_args=5.0)


def test_callbacks_fill_in_place_or_return(both):
    x = np.array([1.0, 2.0, 3.0])

    def fill(x, y):                              # writes y in place, returns nothing
        y[:] = 2 * x

    def bump(y):
        return y + 1
    (y1,), (y2,) = fresh(np.zeros(3))
    r1, r2 = both[0].apply2(fill, bump, x, y1, scale=3.0), both[1].apply2(fill, bump, x, y2, scale=3.0)
    assert_same(r1, r2)
    np.testing.assert_array_equal(np.asarray(r1), [9.0, 5.0, 7.0])
    # y is in,out and was passed without copy: the caller's array holds the result too
    np.testing.assert_array_equal(y1, y2)
    assert np.shares_memory(np.asarray(r1), y1)


def test_callback_arrays_are_zero_copy_numpy_views(both):
    views = []

    def fill(x, y):
        views.append((x, y))
        y[...] = np.cumsum(x) @ np.ones((3, 3)) / 3 + x[::-1]   # NumPy operations on the views
    for mod in both:
        x, y = np.array([1.0, 2.0, 3.0]), np.zeros(3)
        mod.apply2(fill, lambda y: None, x, y)
        cx, cy = views.pop()
        assert isinstance(cx, np.ndarray) and cx.flags.f_contiguous and cx.flags.writeable
        assert np.shares_memory(cx, x) and np.shares_memory(cy, y)
    assert views == []


def test_function_callback(both):
    assert_same(*call_both(both, "trapz", lambda x: x * x, 0.0, 1.0))
    assert_same(*call_both(both, "trapz", np.cos, 0.0, 1.0, 16))
    assert_same(*call_both(both, "trapz", lambda x, a: a * x, 0.0, 1.0, f_extra_args=(4.0,)))


def test_ode_style_callback(both):
    y = np.array([1.0, -2.0])
    assert_same(*call_both(both, "rhs", lambda t, y: -t * y, 0.5, y))


def test_unreturned_output_is_zero(both):
    assert_same(*call_both(both, "solve", lambda x, iflag: None, np.ones(3), 0))


def test_callback_exception_type_reaches_the_caller(both):
    for mod in both:
        with pytest.raises(ZeroDivisionError):
            mod.solve(lambda x, iflag: 1 / 0, np.ones(3), 0)


def test_callable_kinds_beyond_f2py(both):
    """What f2py counts wrongly or rejects: callable instances (their `self`), bound methods,
    partials and ufuncs get exactly the arguments they take."""
    ours = both[0]

    class Scaled:
        def __init__(self, k):
            self.k = k

        def __call__(self, x, iflag):
            return self.k * x

        def method(self, x, iflag, n):
            return self.k * x + n
    x = np.array([1.0, 2.0])
    np.testing.assert_array_equal(np.asarray(ours.solve(Scaled(3.0), x, 0)), [3.0, 6.0])
    np.testing.assert_array_equal(np.asarray(ours.solve(Scaled(3.0).method, x, 0)), [5.0, 8.0])
    np.testing.assert_array_equal(np.asarray(ours.solve(functools.partial(lambda k, x, iflag: k * x, 2.0), x, 0)),
                                  [2.0, 4.0])
    assert ours.trapz(np.square, 0.0, 1.0) == both[1].trapz(lambda x: x * x, 0.0, 1.0)
    with pytest.raises(TypeError, match="callback 'fcn'"):
        ours.solve(lambda x, iflag, n, extra: x, x, 0)         # needs more than it can be given
    with pytest.raises(TypeError, match="must be callable"):
        ours.solve(3, x, 0)


def test_wrong_callback_return_raises(both):
    ours = both[0]
    with pytest.raises(ValueError):
        ours.solve(lambda x, iflag: np.ones(5), np.ones(3), 0)   # shape mismatch
    with pytest.raises(TypeError):
        ours.trapz(lambda x: None, 0.0, 1.0)                      # a function must return its value
    with pytest.raises(TypeError):
        ours.trapz(lambda x: "x", 0.0, 1.0)
