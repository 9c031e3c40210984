"""numfuse.fortran_wrap against numpy.f2py on tests/fortran/f2py_extras.f: f2py's rules for arrays
of other sizes and ranks, intent(callback) on names that are not arguments (callbacks Fortran calls
by name), threadsafe, and _cpointer callbacks. Both modules are built once per session."""
import os
import subprocess
import sys

import numpy as np
import pytest

import numfuse as nf
from fortran_wrap_util import CORPUS, FORTRAN_TEST_MARKS, build_with_cli, build_with_f2py, load, run_cli
from thread_util import in_threads

pytestmark = FORTRAN_TEST_MARKS


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    out = tmp_path_factory.mktemp("f2py_extras")
    ours, _ = build_with_cli("extras_nfw", [CORPUS / "f2py_extras.f"], out)
    theirs = build_with_f2py("extras_f2py", [CORPUS / "f2py_extras.f"], out)
    yield ours, theirs
    for mod in (ours, theirs):   # module attributes the callback tests set
        for name in ("ping", "tick", "fun", "fun_extra_args"):
            if hasattr(mod, name):
                delattr(mod, name)


def f2py_error(theirs):
    return theirs._extras_f2py_error


# not compared: applysub and tabul, whose callbacks f2py names after the actual argument x(i)
# (`e_x_i_err`, `x_i_`), where numfuse says arg0
@pytest.mark.parametrize("name", ["fixed3", "vecn", "matmn", "matfix", "bump3", "twice", "notify", "rung", "tick2",
                                  "midsum", "doubleit", "cube", "harmon", "tsapply"])
def test_docstring_is_f2pys(both, name):
    ours, theirs = both
    assert getattr(ours, name).__doc__ == getattr(theirs, name).__doc__


# ---- arrays of other sizes and ranks: accepted, reshaped or rejected as f2py does -------------

def ar(*shape, dtype=np.float64):
    return np.asfortranarray(np.arange(1.0, 1 + int(np.prod(shape))).reshape(shape, order="F").astype(dtype))


SHAPE_CASES = [
    ("fixed3", (ar(3),), {}), ("fixed3", (ar(5),), {}), ("fixed3", (ar(2),), {}), ("fixed3", (ar(6),), {}),
    ("fixed3", (ar(3, 1),), {}), ("fixed3", (ar(1, 3),), {}), ("fixed3", (ar(1, 1, 3),), {}),
    ("fixed3", (ar(1, 5),), {}), ("fixed3", (ar(3, 2),), {}), ("fixed3", (5.0,), {}),
    ("fixed3", (ar(3, 1, dtype=np.float32),), {}), ("fixed3", (ar(3, 2)[:, :1],), {}),
    ("vecn", (ar(4),), {}), ("vecn", (ar(4, 1),), {}), ("vecn", (ar(1, 4),), {}), ("vecn", (ar(2, 2),), {}),
    ("vecn", (ar(1, 1, 4),), {}), ("vecn", (3.0,), {}), ("vecn", (ar(0),), {}), ("vecn", (ar(0, 3),), {}),
    ("vecn", (ar(4),), {"n": 4}), ("vecn", (ar(4),), {"n": 2}), ("vecn", (ar(4),), {"n": 5}),
    ("vecn", (ar(2, 2), 3), {}),
    ("matmn", (ar(2, 3),), {}), ("matmn", (ar(6),), {}), ("matmn", (ar(2, 3, 1),), {}), ("matmn", (ar(1, 2, 3),), {}),
    ("matmn", (ar(2, 1, 3),), {}), ("matmn", (ar(2, 3, 2),), {}), ("matmn", (ar(0),), {}), ("matmn", (ar(2, 0, 3),), {}),
    ("matmn", (ar(2, 3), 1, 2), {}), ("matmn", (ar(2, 3), 2, 2), {}), ("matmn", (ar(2, 3), 2, 4), {}),
    ("matmn", (ar(6), 3), {}), ("matmn", (ar(6), 6, 1), {}),
    ("matfix", (ar(2, 3),), {}), ("matfix", (ar(3, 3),), {}), ("matfix", (ar(2, 4),), {}), ("matfix", (ar(6),), {}),
    ("matfix", (ar(2, 3, 1),), {}), ("matfix", (ar(1, 2, 3),), {}), ("matfix", (ar(1, 6),), {}),
    ("matfix", (ar(2, 2),), {}), ("matfix", (ar(3, 2),), {}),
    ("bump3", (ar(3),), {}), ("bump3", (ar(4),), {}), ("bump3", (ar(2),), {}), ("bump3", (ar(3, 1),), {}),
    ("bump3", (ar(1, 3),), {}), ("bump3", (ar(1, 1, 3),), {}),
]


def outcome(mod, name, args, kwargs):
    """(exception type or None, result, the array arguments afterwards)."""
    args = [a.copy(order="F") if isinstance(a, np.ndarray) else a for a in args]
    try:
        result = getattr(mod, name)(*args, **kwargs)
    except Exception as e:   # noqa: BLE001 - the type is what is compared
        return type(e), None, args
    return None, result, args


@pytest.mark.parametrize("name,args,kwargs", SHAPE_CASES,
                         ids=[f"{n}-{'-'.join(str(np.shape(a)) for a in args)}-{kw}" for n, args, kw in SHAPE_CASES])
def test_array_sizes_and_ranks_as_f2py(both, name, args, kwargs):
    ours, theirs = both
    err, result, after = outcome(ours, name, args, kwargs)
    f2py_err, f2py_result, f2py_after = outcome(theirs, name, args, kwargs)
    if f2py_err is None:
        assert err is None
        assert result == f2py_result
        for a, b in zip(after, f2py_after):   # intent(inout) arrays: the same values written
            np.testing.assert_array_equal(a, b)
    else:   # f2py's own error class (failed checks) is ours.error; the rest are the same type
        expected = ours.error if issubclass(f2py_err, f2py_error(theirs)) else f2py_err
        assert err is not None and issubclass(err, expected), (err, f2py_err)


def test_reshaped_numfuse_array_and_inout_view(both):
    ours, _ = both
    assert ours.fixed3(nf.asfortranarray(ar(1, 3))) == 321.0
    x = np.zeros((3, 1), order="F")
    ours.bump3(x)                      # a (3, 1) array is the (3,) Fortran array, written in place
    np.testing.assert_array_equal(x[:, 0], [1.0, 0.0, 3.0])


# ---- intent(callback): callbacks Fortran calls by name -----------------------------------------

def test_callback_by_name_from_module_attribute(both):
    for mod in both:
        calls = []
        mod.ping = lambda: calls.append(1)
        mod.twice()                    # TWICE does not name PING: the module attribute serves
        mod.notify()                   # intent(callback, hide): also the module attribute
        assert len(calls) == 3
        del mod.ping
        mod.tick = lambda: calls.append(2)
        mod.tick2()                    # `CALL TICK` without parentheses, twice
        mod.rung(lambda: calls.append(3))
        assert calls == [1, 1, 1, 2, 2, 3]
        del mod.tick


def test_callback_by_name_as_argument_and_module_attribute(both):
    ours, theirs = both
    square = lambda x: x * x     # noqa: E731
    for args in [(0.0, 1.0, 10, square), (0.0, 1.0, 10, lambda x, k: x * k, (2.0,)), (1.0, 2.0, 4, np.exp)]:
        assert ours.midsum(*args) == theirs.midsum(*args)
    assert ours.midsum(0.0, 1.0, 10, square) == pytest.approx(0.3325)   # the midpoint rule of x**2
    for mod in both:             # None: the module attributes fun and fun_extra_args
        mod.fun, mod.fun_extra_args = (lambda x, k: x ** k), (3,)
    assert ours.midsum(0.0, 1.0, 10, None) == theirs.midsum(0.0, 1.0, 10, None)
    for mod in both:
        del mod.fun, mod.fun_extra_args
        with pytest.raises(TypeError):
            mod.midsum(0.0, 1.0, 10)   # required, as in f2py


def test_callback_by_name_errors(both):
    ours, theirs = both

    def fail(*args):
        raise KeyError("from the callback")
    for mod in both:
        mod.ping = fail
        with pytest.raises(KeyError, match="from the callback"):
            mod.twice()
        with pytest.raises(KeyError, match="from the callback"):
            mod.midsum(0.0, 1.0, 3, fail)
        del mod.ping
    for mod, error in ((ours, ours.error), (theirs, f2py_error(theirs))):
        with pytest.raises(error, match="ping"):
            mod.notify()                # not an argument, no module attribute
        with pytest.raises(error, match="ping"):
            mod.twice()


def test_callback_by_name_nested_and_threads(both):
    """Each call's callable is its own (a per-thread active callable, restored after the call):
    beyond f2py, whose wrapper keeps one per process."""
    ours, _ = both

    def outer(x):   # a wrapped call inside the callback, with another function
        return x + ours.midsum(0.0, 1.0, 2, lambda y: 10.0)
    assert ours.midsum(0.0, 1.0, 4, outer) == pytest.approx(0.5 + 10.0)
    results = in_threads(lambda k: [ours.midsum(0.0, 1.0, 50, lambda x: k * x) for _ in range(20)], range(1, 5))
    assert results == [[pytest.approx(k / 2)] * 20 for k in range(1, 5)]


# ---- threadsafe -----------------------------------------------------------------------------

def test_threadsafe_routines(both):
    ours, theirs = both
    assert ours.harmon(1000) == theirs.harmon(1000)
    # threadsafe with a callback: the call runs without the GIL, the callback takes it back (f2py's
    # wrapper calls Python without the GIL there and crashes, so it is not called on f2py's module)
    assert ours.tsapply(lambda t: t * t, 4) == 30.0
    assert in_threads(lambda k: ours.tsapply(lambda t: k * t, 200), range(4)) == [k * 200 * 201 / 2 for k in range(4)]


# ---- _cpointer: a Fortran procedure as the callback, called without Python -------------------

def test_cpointer_is_a_capsule_of_the_procedure(both):
    ours, theirs = both
    assert type(ours.doubleit).__name__ == type(theirs.doubleit).__name__ == "fortran"
    assert repr(ours.doubleit) == repr(theirs.doubleit) == "<fortran function doubleit>"
    assert ours.doubleit.__name__ == "doubleit"
    for mod in both:
        assert type(mod.doubleit._cpointer).__name__ == "PyCapsule"
    x = np.arange(1.0, 4.0)
    expected = theirs.applysub(theirs.doubleit._cpointer, x.copy())
    np.testing.assert_array_equal(expected, 2 * x)
    for g in (ours.doubleit._cpointer, theirs.doubleit._cpointer, ours.doubleit):   # f2py's capsule too
        np.testing.assert_array_equal(np.asarray(ours.applysub(g, x.copy())), expected)
    # f2py calls its function object through Python (the doubled scalar is lost: x unchanged)
    np.testing.assert_array_equal(theirs.applysub(theirs.doubleit, x.copy()), x)
    # a function: the capsule is the function itself (f2py's points at its subroutine wrapper,
    # which writes the result over the argument, so f2py's module is not called here)
    for f in (ours.cube._cpointer, ours.cube, lambda v: v ** 3):
        np.testing.assert_array_equal(np.asarray(ours.tabul(f, x)), x ** 3)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="extra_args"):     # f2py: its error class, same reason
        ours.applysub(ours.doubleit._cpointer, x, g_extra_args=(1,))
    with pytest.raises(f2py_error(theirs), match="call-back g"):
        theirs.applysub(theirs.doubleit._cpointer, x, g_extra_args=(1,))


# ---- signature files with several python modules; .f2py_f2cmap and the build cache -----------

def f2py_cli(args, cwd):
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    proc = subprocess.run([sys.executable, "-m", "numpy.f2py", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    return proc


def test_signature_file_with_several_modules_builds_the_first(tmp_path):
    """f2py -c builds the file's first python module and ignores -m; so does numfuse."""
    sources = [CORPUS / "f2py_two_modules.pyf", CORPUS / "f2py_extras.f"]
    (tmp_path / "f2py").mkdir()
    (tmp_path / "ours").mkdir()
    said = f2py_cli(["-c", "-m", "second", *sources], tmp_path / "f2py")
    assert "Ignoring -m second" in said.stdout + said.stderr
    proc = run_cli(["-c", "-m", "second", *map(str, sources)], cwd=tmp_path / "ours")
    assert proc.returncode == 0, proc.stderr
    assert "ignoring -m second" in proc.stderr
    built = {d: sorted(p.name.split(".")[0] for p in (tmp_path / d).glob("*.so")) for d in ("f2py", "ours")}
    assert built == {"f2py": ["first"], "ours": ["first"]}
    theirs, ours = load("first", tmp_path / "f2py"), load("first", tmp_path / "ours")
    assert ours.__doc__.split("\n", 1)[1] == theirs.__doc__.split("\n", 1)[1]
    for name in ("midsum", "harmon"):    # the callbacks come from first__user__routines
        assert getattr(ours, name).__doc__ == getattr(theirs, name).__doc__
    assert ours.midsum(0.0, 1.0, 8, np.sqrt) == theirs.midsum(0.0, 1.0, 8, np.sqrt)
    calls = []
    for mod in (ours, theirs):
        mod.ping = lambda mod=mod: calls.append(mod)
        mod.notify()
    assert calls == [ours, theirs]


KIND_SOURCE = """\
subroutine kscale(x, n)
  integer :: n
  real(kind=4) :: x(n)
  x = 2 * x
end subroutine kscale
"""


def test_f2cmap_of_the_current_folder_is_part_of_the_cache_key(tmp_path):
    """A changed .f2py_f2cmap rebuilds (f2py reads it from the current folder too)."""
    (tmp_path / "kinds.f90").write_text(KIND_SOURCE)
    first, _ = build_with_cli("kmap", [tmp_path / "kinds.f90"], tmp_path)
    assert "array('f')" in first.kscale.__doc__
    # the map says kind 4 is a C double: only the docstrings are compared, the routine is not called
    (tmp_path / ".f2py_f2cmap").write_text("{'real': {'4': 'double'}}")
    proc = run_cli(["-c", "-m", "kmap2", str(tmp_path / "kinds.f90")], cwd=tmp_path)
    assert proc.returncode == 0 and "cache: hit" not in proc.stderr, proc.stderr
    f2py_cli(["-c", "-m", "kmap_f2py", tmp_path / "kinds.f90"], tmp_path)
    assert load("kmap2", tmp_path).kscale.__doc__ == load("kmap_f2py", tmp_path).kscale.__doc__
    assert "array('d')" in load("kmap2", tmp_path).kscale.__doc__
