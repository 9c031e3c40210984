"""numfuse.fortran_wrap against numpy.f2py on the same signature file (tests/fortran/f2py_intents.pyf
with f2py_intents.f): intent(copy) and intent(overwrite) (the overwrite_<x> flag), intent(aux),
intent(inplace), intent(out=<name>), note(...), an optional callback renamed from a
__user__routines module, logical results (Python ints) and failed check()s (the module's `error`).
Same docstrings, same results, same effect on the caller's arrays; numfuse arrays as inputs too.
Both modules are built once per session."""
import numpy as np
import pytest

import numfuse as nf
from fortran_wrap_util import CORPUS, FORTRAN_TEST_MARKS, assert_same, build_with_f2py, load, run_cli

pytestmark = FORTRAN_TEST_MARKS

ROUTINES = ["scalec", "scaleo", "negate", "twice", "bump", "signs", "ispos", "optcb", "window"]
SOURCES = [CORPUS / "f2py_intents.pyf", CORPUS / "f2py_intents.f"]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """(numfuse's module, f2py's module): both named f2py_intents by the signature file."""
    ours_dir, theirs_dir = tmp_path_factory.mktemp("intents_nfw"), tmp_path_factory.mktemp("intents_f2py")
    proc = run_cli(["-c", *map(str, SOURCES)], cwd=ours_dir)
    assert proc.returncode == 0, proc.stderr
    return load("f2py_intents", ours_dir), build_with_f2py("f2py_intents", SOURCES, theirs_dir)


def run_both(both, name, make_args, **kwargs):
    """Calls the routine of each module with its own fresh arguments; returns the results and
    the arguments afterwards (to see what the routine did to the caller's arrays)."""
    runs = []
    for mod in both:
        args = make_args()
        runs.append((getattr(mod, name)(*args, **kwargs), args))
    (r1, a1), (r2, a2) = runs
    assert_same(r1, r2)
    for x, y in zip(a1, a2):
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype and x.flags.f_contiguous == y.flags.f_contiguous
            np.testing.assert_array_equal(x, y)
        elif not callable(x):
            assert x == y
    return r1, a1


def test_docstrings_are_f2pys(both):
    ours, theirs = both
    for name in ROUTINES:
        assert getattr(ours, name).__doc__ == getattr(theirs, name).__doc__, name
    # the module's, past its first line (who generated it): overwrite_x=0, no aux variable, `f=`
    assert ours.__doc__.split("\n", 1)[1] == theirs.__doc__.split("\n", 1)[1]


def test_copy_works_on_a_copy_unless_overwrite_is_asked(both):
    _, (x, *_) = run_both(both, "scalec", lambda: (np.arange(1.0, 4.0), 2.0, 0.0))
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])                   # intent(copy): unchanged
    _, (x, *_) = run_both(both, "scalec", lambda: (np.arange(1.0, 4.0), 2.0, 0.0), overwrite_x=1)
    np.testing.assert_array_equal(x, [2.0, 4.0, 6.0])                   # overwrite_x=1: in place
    for flag in (True, np.int32(1), 0):
        run_both(both, "scalec", lambda: (np.arange(1.0, 4.0), 2.0, 0.0), overwrite_x=flag)
    # the flag converts as f2py's `int` argument does
    for mod in both:
        with pytest.raises(TypeError):
            mod.scalec(np.arange(3.0), 2.0, 0.0, overwrite_x="yes")
        with pytest.raises(TypeError):
            mod.scalec(np.arange(3.0), 2.0, 0.0, overwrite_x=1.5)


def test_overwrite_writes_the_callers_array_when_it_can(both):
    (xr, s), (x,) = run_both(both, "scaleo", lambda: (np.arange(1.0, 4.0),))
    assert s == 12.0 and np.shares_memory(np.asarray(xr), x)          # default overwrite_x=1
    np.testing.assert_array_equal(x, [2.0, 4.0, 6.0])
    (xr, _), (x, _) = run_both(both, "scaleo", lambda: (np.arange(1.0, 4.0), 3.0), overwrite_x=0)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])
    assert not np.shares_memory(np.asarray(xr), x)
    # an array the routine cannot use as it is (dtype, order) is converted: the caller's is unchanged
    _, (x,) = run_both(both, "scaleo", lambda: (np.arange(1, 4),))
    np.testing.assert_array_equal(x, [1, 2, 3])
    _, (a,) = run_both(both, "negate", lambda: (np.arange(6.0).reshape(2, 3),), overwrite_a=1)   # C order
    np.testing.assert_array_equal(a, np.arange(6.0).reshape(2, 3))
    _, (a,) = run_both(both, "negate", lambda: (np.asfortranarray(np.arange(6.0).reshape(2, 3)),), overwrite_a=1)
    np.testing.assert_array_equal(a, -np.arange(6.0).reshape(2, 3))
    run_both(both, "scaleo", lambda: ([1.0, 2.0],))


def test_overwrite_never_writes_a_read_only_array(both):
    """f2py would write into a read-only array's memory; numfuse copies it."""
    ours = both[0]
    x = np.arange(1.0, 4.0)
    x.flags.writeable = False
    xr, s = ours.scaleo(x)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(np.asarray(xr), [2.0, 4.0, 6.0])


def test_copy_and_overwrite_with_numfuse_arrays(both):
    ours, theirs = both
    expected_x, expected_s = theirs.scaleo(np.arange(1.0, 4.0))
    x = nf.asarray(np.arange(1.0, 4.0))
    pending = x + 10.0                 # a lazy reader of x: it must see the values before the call
    xr, s = ours.scaleo(x)
    assert s == expected_s and xr is x
    np.testing.assert_array_equal(np.asarray(x), expected_x)
    np.testing.assert_array_equal(np.asarray(pending), [11.0, 12.0, 13.0])
    x = nf.asarray(np.arange(1.0, 4.0))
    ours.scaleo(x, overwrite_x=0)
    np.testing.assert_array_equal(np.asarray(x), [1.0, 2.0, 3.0])
    x = nf.asarray(np.arange(1.0, 4.0))
    assert ours.scalec(x, 2.0, 0.0) is None
    np.testing.assert_array_equal(np.asarray(x), [1.0, 2.0, 3.0])
    ours.scalec(x, 2.0, 0.0, overwrite_x=1)
    np.testing.assert_array_equal(np.asarray(x), [2.0, 4.0, 6.0])
    a = nf.asarray(np.asfortranarray(np.arange(6.0).reshape(2, 3)))
    b = ours.negate(a)
    assert_same(b, theirs.negate(np.asfortranarray(np.arange(6.0).reshape(2, 3))))
    np.testing.assert_array_equal(np.asarray(a), np.arange(6.0).reshape(2, 3))


def test_aux_variable_sizes_the_output(both):
    run_both(both, "twice", lambda: ([1.0, 2.0, 3.0],))
    run_both(both, "twice", lambda: (np.arange(5.0),))
    for mod in both:
        with pytest.raises(TypeError):     # an auxiliary variable is not a Python argument
            mod.twice([1.0], two=3)


def test_inplace_converts_the_callers_array_object(both):
    _, (x,) = run_both(both, "bump", lambda: (np.arange(3, dtype=np.float32),))
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])
    # the wrong dtype, C order, a strided view: the array object takes f2py's converted copy
    _, (x,) = run_both(both, "bump", lambda: (np.arange(3),))
    assert x.dtype == np.float32
    _, (x,) = run_both(both, "bump", lambda: (np.arange(6.0).reshape(2, 3)[:, ::2],))
    np.testing.assert_array_equal(x, [[1.0, 3.0], [4.0, 6.0]])
    _, (x,) = run_both(both, "bump", lambda: (np.arange(6, dtype=np.float32)[::2],))
    np.testing.assert_array_equal(x, [1.0, 3.0, 5.0])
    for mod in both:
        with pytest.raises(TypeError):
            mod.bump([1.0, 2.0])


def test_inplace_keeps_views_of_the_old_memory_valid(both):
    ours = both[0]
    x = np.arange(4)
    view = x[1:]
    ours.bump(x)
    assert x.dtype == np.float32
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0, 4.0])
    del x
    np.testing.assert_array_equal(view, [1, 2, 3])      # still the old (int) memory, alive


def test_inplace_with_numfuse_arrays(both):
    ours, theirs = both
    x = nf.asarray(np.arange(3, dtype=np.float32))
    ours.bump(x)
    np.testing.assert_array_equal(np.asarray(x), [1.0, 2.0, 3.0])
    # numfuse arrays cannot change dtype: the converted copy's results are written back
    x, y = nf.asarray(np.arange(3.0)), np.arange(3.0)
    ours.bump(x)
    theirs.bump(y)
    assert x.dtype == np.float64
    np.testing.assert_array_equal(np.asarray(x), y)
    ro = nf.asarray(np.arange(3, dtype=np.float32))
    ro.flags.writeable = False
    with pytest.raises(ValueError):
        ours.bump(ro)


def test_logicals_come_back_as_ints(both):
    for x in ([1.0, -2.0, -3.0], [1.0], []):
        (neg, count), _ = run_both(both, "signs", lambda: (x,))
        assert type(neg) is int
    for x in (1.0, -1.0, 0.0):
        r, _ = run_both(both, "ispos", lambda: (x,))
        assert type(r) is int


def test_optional_callback(both):
    run_both(both, "optcb", lambda: ([1.0, 2.0], lambda t: t * t))
    run_both(both, "optcb", lambda: ([1.0, 2.0],), f=np.exp)
    # omitted: f2py raises its error (and may then crash); numfuse raises its error
    ours = both[0]
    with pytest.raises(ours.error, match="call-back argument 'f' was not given"):
        ours.optcb([1.0, 2.0])


def test_failed_check_raises_the_module_error(both):
    ours, theirs = both
    assert issubclass(ours.error, ValueError) and ours._f2py_intents_error is ours.error
    assert ours.error.__name__ == theirs._f2py_intents_error.__name__ == "error"
    assert ours.error.__module__ == theirs._f2py_intents_error.__module__ == "f2py_intents"
    x = np.arange(5.0)
    run_both(both, "window", lambda: (x, 2, 4))
    for args, text in [((x, 0, 3), "(lo>=1) failed for 2nd argument lo: window:lo=0"),
                       ((x, 1, 9), "(hi<=n) failed for 3rd argument hi: window:hi=9")]:
        with pytest.raises(theirs._f2py_intents_error) as theirs_err:
            theirs.window(*args)
        with pytest.raises(ours.error) as ours_err:
            ours.window(*args)
        assert str(theirs_err.value) == text
        assert str(ours_err.value).startswith(text)     # numfuse adds the other values it read
    with pytest.raises(ValueError, match=r"\(n=5\)"):
        ours.window(x, 1, 9)


def test_written_signature_file_keeps_the_attributes(tmp_path):
    """write_pyf (the CLI's -h) writes copy, overwrite, aux, inplace, out=, optional and the
    renamed callback back: reading it again gives the same Python signatures."""
    from numfuse.fortran_wrap.pyf import pyf_interface, write_pyf
    original = pyf_interface(str(SOURCES[0]))
    write_pyf(original, str(tmp_path / "again.pyf"))
    text = (tmp_path / "again.pyf").read_text()
    for attribute in ("intent(in,copy)", "intent(in,out,overwrite)", "intent(aux) :: two = 2", "intent(inplace)",
                      "out=negative", "optional f", "f=>fun"):
        assert attribute in text
    again = pyf_interface(str(tmp_path / "again.pyf"))
    assert [r.doc for r in again.routines] == [r.doc for r in original.routines]
