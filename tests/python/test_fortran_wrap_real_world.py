"""numfuse.fortran_wrap on inputs in the styles of real scientific code (tests/fortran/real_world:
QUADPACK-, MINPACK-, LAPACK-, ODEPACK-, FITPACK-style fixed form, Fortran 2008 modules with a
submodule, and signature files like the ones scientific libraries ship), written for these
tests. Each is built with numfuse and, where numpy.f2py can build it, with f2py too: the same
docstrings and results. What f2py cannot build (a callback only passed on, an ENTRY with a
callback, submodules) is checked against NumPy."""
import os
import textwrap

import numpy as np
import pytest

import numfuse as nf
from numfuse.fortran_wrap import WrapError
from numfuse.fortran_wrap.parse import parse_sources
from numfuse.fortran_wrap.pyf import pyf_interface
from fortran_wrap_util import CORPUS, FORTRAN_TEST_MARKS, build_with_cli, build_with_f2py, run_cli

pytestmark = FORTRAN_TEST_MARKS

RW = CORPUS / "real_world"
F77 = [RW / "quadpack_style.f", RW / "minpack_style.f", RW / "lapack_style.f", RW / "odepack_style.f"]
MODERN = [RW / "modern_submodule.f90", RW / "modern_solvers.f90", RW / "modern_kinds.f90"]   # out of order


def a(x):
    return np.asarray(x)


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return tmp_path_factory.mktemp("real_world")


@pytest.fixture(scope="module")
def f77(out):
    return build_with_cli("rw77", F77, out)[0]


@pytest.fixture(scope="module")
def f77_f2py(out):
    # f2py's wrappers of qadapt (its callback is only passed on) and rk4int (its callback's
    # arguments are typed from the call) do not compile: skipped on its side
    return build_with_f2py("rw77_f2py", F77, out, ["skip:", "qadapt", "rk4int", ":"])


def build_pyf(name, pyf, source, out):
    proc = run_cli(["-c", str(pyf), str(source)], cwd=out)
    assert proc.returncode == 0, proc.stderr
    from fortran_wrap_util import load
    return load(name, out)


@pytest.fixture(scope="module")
def pyf_pair(out):
    f2py_dir = out / "f2py"
    f2py_dir.mkdir(exist_ok=True)
    ours = {"mvn_style": build_pyf("mvn_style", RW / "mvn_style.pyf", RW / "mvn_style.f", out),
            "fitpack_lite": build_pyf("fitpack_lite", RW / "fitpack_style.pyf", RW / "fitpack_style.f", out)}
    theirs = {"mvn_style": build_with_f2py("mvn_style", [RW / "mvn_style.pyf", RW / "mvn_style.f"], f2py_dir),
              "fitpack_lite": build_with_f2py("fitpack_lite", [RW / "fitpack_style.pyf", RW / "fitpack_style.f"],
                                              f2py_dir)}
    return ours, theirs


# ---- reading the inputs ------------------------------------------------------------------------

def test_f77_styles_parse_completely():
    iface, _ = parse_sources("rw", [str(p) for p in F77])
    assert iface.warnings == []
    names = {r.name for r in iface.routines}
    assert names == {"qgauss", "dlgwt", "qadapt", "enorm", "fdjac2", "qrsolv", "trislv", "xerbl2", "rk4int", "rkstat"}
    by = {r.name: r for r in iface.routines}
    # the typed header split over two lines (`double precision` / `*function enorm(n,x)`)
    assert by["enorm"].result.ftype.base == "real" and by["enorm"].result.ftype.kind == 8
    # IMPLICIT DOUBLE PRECISION (A-H, O-Z) and the ENTRY point with its own arguments
    assert by["rk4int"].arg("t").ftype.kind == 8 and by["rkstat"].entry_of == "rk4int"
    # the callback typed from `f(xm+c*x3(j))`, and qadapt's from the routine it passes f to
    assert [x.ftype.kind for x in by["qgauss"].arg("f").callback.args] == [8]
    assert [x.ftype.kind for x in by["qadapt"].arg("f").callback.args] == [8]
    # the COMMON block from the INCLUDE file
    assert [c.name for c in iface.commons] == ["rkcom"]
    assert [v.name for v in iface.commons[0].members] == ["hlast", "nfe", "nst"]


def test_modern_modules_parse_with_kinds_from_other_modules():
    iface, order = parse_sources("modern", [str(p) for p in MODERN])
    assert iface.warnings == []
    solvers = next(m for m in iface.modules if m.name == "nf_solvers")
    by = {r.name: r for r in solvers.routines}
    assert set(by) == {"bisect", "halve", "newton_sqrt", "vec_stats", "scaled_sum", "cumulative", "fib",
                       "solver_version", "cross_count"}          # sign_of is private
    assert by["fib"].arg("n").ftype.kind == 8                    # i8 => int64 through nf_kinds
    assert by["bisect"].arg("iters").ftype.kind == 4             # ik => int32
    assert by["halve"].result.ftype.kind == 8                    # wp => real64
    assert by["scaled_sum"].bind_c == "nf_scaled_sum" and by["scaled_sum"].arg("n").is_value
    assert order.index(str(RW / "modern_kinds.f90")) < order.index(str(RW / "modern_solvers.f90"))


# ---- f2py as the oracle -----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["trislv", "enorm", "qrsolv", "dlgwt"])
def test_f77_docstrings_are_f2pys(f77, f77_f2py, name):
    assert getattr(f77, name).__doc__ == getattr(f77_f2py, name).__doc__


def test_f77_results_are_f2pys(f77, f77_f2py):
    for mod in (f77, f77_f2py):
        assert mod.qgauss(np.cos, 0.0, 1.0, 4)[2] == 0
    ours, theirs = f77.qgauss(np.cos, 0.0, 1.0, 4), f77_f2py.qgauss(np.cos, 0.0, 1.0, 4)
    assert ours == pytest.approx(theirs, rel=0, abs=0)
    assert ours[0] == pytest.approx(np.sin(1.0), abs=1e-9)
    assert f77.qgauss(np.cos, 0.0, 1.0, 0) == f77_f2py.qgauss(np.cos, 0.0, 1.0, 0)   # ier = 1
    assert f77.enorm([3.0, 4.0, 12.0]) == f77_f2py.enorm([3.0, 4.0, 12.0]) == 13.0
    assert f77.dlgwt(3, 2) == f77_f2py.dlgwt(3, 2)
    rng = np.random.default_rng(5)
    r = np.asfortranarray(np.triu(rng.uniform(1, 2, (4, 4))))
    args = (np.array([0.5, 1.0, 0.0, 2.0]), rng.standard_normal(4))
    ours, theirs = f77.qrsolv(r.copy(order="F"), *args), f77_f2py.qrsolv(r.copy(order="F"), *args)
    for x, y in zip(ours, theirs):
        np.testing.assert_array_equal(a(x), y)
    # (R^T R + D^2) x = R^T qtb
    np.testing.assert_allclose((r.T @ r + np.diag(args[0] ** 2)) @ a(ours[1]), r.T @ args[1])


def test_lapack_style_in_out_arrays_like_f2py(f77, f77_f2py):
    n = 5
    dl, d, du = np.full(n - 1, 1.0), np.full(n, 4.0), np.full(n - 1, -1.0)
    b = np.asfortranarray(np.arange(2.0 * n).reshape(n, 2))
    ours = f77.trislv(n, 2, list(dl), list(d), du.copy(), b.copy(order="F"))      # lists convert
    theirs = f77_f2py.trislv(n, 2, list(dl), list(d), du.copy(), b.copy(order="F"))
    assert ours[-1] == theirs[-1] == 0
    for x, y in zip(ours[:-1], theirs[:-1]):
        np.testing.assert_array_equal(a(x), y)
    dense = np.diag(d) + np.diag(dl, -1) + np.diag(du, 1)
    np.testing.assert_allclose(a(ours[3]), np.linalg.solve(dense, b))
    # a float64 array is updated in place and returned, as f2py does
    dd = d.copy()
    assert np.shares_memory(a(f77.trislv(n, 2, dl.copy(), dd, du.copy(), b.copy(order="F"))[1]), dd)
    assert f77.trislv(-1, 2, dl, d, du, b)[-1] == f77_f2py.trislv(-1, 2, dl, d, du, b)[-1] == -1


def test_callback_only_passed_on_gets_the_callees_signature(f77):
    result, neval = f77.qadapt(np.sqrt, 0.0, 1.0, 1e-10, 12)
    assert result == pytest.approx(2.0 / 3.0, abs=1e-8) and neval > 9


@pytest.mark.parametrize("module, name", [("mvn_style", "boxprb"), ("mvn_style", "cubatr"),
                                          ("fitpack_lite", "bsplev"), ("fitpack_lite", "bsplin")])
def test_signature_file_docstrings_are_f2pys(pyf_pair, module, name):
    ours, theirs = pyf_pair
    assert getattr(ours[module], name).__doc__ == getattr(theirs[module], name).__doc__


def test_signature_file_results_are_f2pys(pyf_pair):
    ours, theirs = pyf_pair
    o, t = ours["mvn_style"], theirs["mvn_style"]
    args = ([-1.0, -0.5], [1.0, 2.0], [0.0, 0.5], [1.0, 2.0])
    assert o.boxprb(*args) == t.boxprb(*args)
    from math import erf, sqrt
    expected = 0.5 * erf(1 / sqrt(2)) * 2 * 0.5 * (erf(0.75 / sqrt(2)) - erf(-0.5 / sqrt(2)))
    assert o.boxprb(*args)[0] == pytest.approx(expected)
    f = lambda x: x[0] * x[1] + x[1]             # noqa: E731
    assert o.cubatr(f, [0.0, 0.0], [1.0, 2.0]) == t.cubatr(f, [0.0, 0.0], [1.0, 2.0])
    assert o.cubatr(f, [0.0, 0.0], [1.0, 2.0], n=40) == pytest.approx(1.0 + 2.0, rel=1e-3)
    z = o.standardize([1.0, 2.0, 6.0], [0.0, 1.0, 2.0], [2.0, 2.0, 4.0])      # fortranname stdize
    np.testing.assert_array_equal(a(z), t.standardize([1.0, 2.0, 6.0], [0.0, 1.0, 2.0], [2.0, 2.0, 4.0]))
    o, t = ours["fitpack_lite"], theirs["fitpack_lite"]
    knots, coef = np.array([0, 0, 0, 0, 1, 2, 3, 3, 3, 3.0]), np.arange(10.0)
    x = np.linspace(-0.5, 3.5, 9)
    for e in (0, 1, 2):
        ours_y, theirs_y = o.bsplev(knots, coef, 3, x, e), t.bsplev(knots, coef, 3, x, e)
        np.testing.assert_array_equal(a(ours_y[0]), theirs_y[0])
        assert ours_y[1] == theirs_y[1]
    assert o.bsplin(knots, coef, 3, 0.0, 3.0) == t.bsplin(knots, coef, 3, 0.0, 3.0)
    # degree 1 is linear interpolation
    lin_knots, lin_coef = np.array([0, 0, 1, 2, 4, 4.0]), np.array([1.0, 3.0, 2.0, 5.0, 0, 0])
    np.testing.assert_allclose(a(o.bsplev(lin_knots, lin_coef, 1, x.clip(0, 4))[0]),
                               np.interp(x.clip(0, 4), [0, 1, 2, 4], [1, 3, 2, 5]))


def test_signature_file_checks_raise(pyf_pair):
    o = pyf_pair[0]["fitpack_lite"]
    knots = np.array([0, 0, 0, 0, 1, 2, 3, 3, 3, 3.0])
    with pytest.raises(ValueError, match="len\\(c\\)==n"):
        o.bsplev(knots, np.arange(6.0), 3, [0.5])
    with pytest.raises(ValueError, match="k<=5"):
        o.bsplev(knots, np.arange(10.0), 7, [0.5])


def test_signature_file_records_what_f2py_reads():
    iface = pyf_interface(str(RW / "mvn_style.pyf"))
    by = {r.name: r for r in iface.routines}
    assert iface.name == "mvn_style"                                   # the first python module
    assert by["standardize"].fortranname == "stdize" and by["standardize"].fortran_name == "stdize"
    assert by["standardize"].arg("z").out_name == "zscores"
    assert by["boxprb"].threadsafe
    d = by["boxprb"].arg("d")
    assert d.is_hidden and d.default == "len(lower)" and d.depends == ["lower"]
    assert by["boxprb"].arg("sd").checks == ["len(sd)>=d"]
    cb = by["cubatr"].arg("f").callback                                # from mvn_style__user__routines
    assert [x.name for x in cb.args] == ["d", "x"] and cb.result_name == "fx"
    assert by["cubatr"].arg("n").optional and by["cubatr"].arg("n").default == "10"
    extra = pyf_interface(str(RW / "mvn_style.pyf"), "mvn_style_extra")   # the second block
    assert [r.name for r in extra.routines] == ["boxprb"]
    fit = pyf_interface(str(RW / "fitpack_style.pyf"))
    wrk = next(r for r in fit.routines if r.name == "bsplin").arg("wrk")
    assert wrk.is_hidden and wrk.f2py_intent == ["cache", "hide"]
    assert next(r for r in fit.routines if r.name == "bsplev").arg("k").note == "the spline degree"


def test_f2py_builds_from_the_signature_file_numfuse_writes(out, f77):
    sources = [RW / "quadpack_style.f", RW / "lapack_style.f"]
    proc = run_cli(["-h", "rwsig.pyf", "-m", "rwsig", *map(str, sources)], cwd=out)
    assert proc.returncode == 0, proc.stderr
    theirs = build_with_f2py("rwsig", [out / "rwsig.pyf", *sources], out)
    assert theirs.trislv.__doc__ == f77.trislv.__doc__
    # qadapt's callback signature, found by numfuse, lets f2py wrap it too
    assert theirs.qadapt(np.sqrt, 0.0, 1.0, 1e-10, 12) == f77.qadapt(np.sqrt, 0.0, 1.0, 1e-10, 12)


def test_numfuse_builds_from_the_signature_file_f2py_writes(out, f77):
    import subprocess
    import sys
    sources = [RW / "quadpack_style.f", RW / "lapack_style.f", RW / "minpack_style.f"]
    proc = subprocess.run([sys.executable, "-m", "numpy.f2py", "-h", "f2sig.pyf", "-m", "f2sig", *map(str, sources),
                           "skip:", "qadapt", ":"], cwd=out, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    text = (out / "f2sig.pyf").read_text()
    assert "__user__routines" in text and "! in :f2sig" in text     # f2py's own layout and comments
    proc = run_cli(["-c", "f2sig.pyf", *map(str, sources)], cwd=out)
    assert proc.returncode == 0, proc.stderr
    from fortran_wrap_util import load
    mod = load("f2sig", out)
    for name in ("trislv", "enorm", "qrsolv"):
        assert getattr(mod, name).__doc__ == getattr(f77, name).__doc__
    assert mod.qgauss(np.cos, 0.0, 1.0, 4) == f77.qgauss(np.cos, 0.0, 1.0, 4)


# ---- beyond f2py ------------------------------------------------------------------------------

def test_ode_signature_file_with_user_routines_entry_and_common(out):
    # f2py's C for this file does not compile (the ENTRY's wrapper lacks the callback's state)
    mod = build_pyf("odepack_lite", RW / "odepack_style.pyf", RW / "odepack_style.f", out)
    assert mod.rk4int.__doc__.startswith("y,t = rk4int(f,y,t,tout,[nstep,f_extra_args])")
    nfe0, nst0 = mod.rkstat()
    y, t = mod.rk4int(lambda t, y: -y, [1.0, 2.0], 0.0, 1.0, nstep=50)
    np.testing.assert_allclose(a(y), [np.exp(-1.0), 2 * np.exp(-1.0)], rtol=1e-8)
    assert t == pytest.approx(1.0)
    assert mod.rkstat() == (nfe0 + 200, nst0 + 50)
    assert mod.rkcom.nfe == nfe0 + 200 and mod.rkcom.hlast == pytest.approx(0.02)


def test_modern_fortran_2008_module(out):
    mod = build_with_cli("modern", MODERN, out)[0]
    s = mod.nf_solvers
    assert not hasattr(s, "sign_of")
    root, iters = s.bisect(lambda x: x * x - 2.0, 0.0, 2.0)
    assert root == pytest.approx(np.sqrt(2.0), abs=1e-11) and iters > 10
    assert s.newton_sqrt(2.0)[0] == pytest.approx(np.sqrt(2.0), rel=1e-15)
    x = np.array([1.0, 2.0, 4.0, 7.0])
    mean, spread = s.vec_stats(x[::-1])                                   # assumed shape, strided
    assert mean == pytest.approx(x.mean()) and spread == pytest.approx(x.std(ddof=1))
    assert s.scaled_sum(x, 0.5) == pytest.approx(7.0)                     # bind(c), value n
    c = s.cumulative(x)
    assert isinstance(c, nf.ndarray) and a(c).dtype == np.float64
    np.testing.assert_array_equal(a(c), np.cumsum(x))
    assert s.fib(30) == 832040
    wave = np.sin(np.linspace(0.1, 10, 200))
    assert s.cross_count(wave, 0.0) == np.count_nonzero(np.diff(np.sign(wave)))   # submodule body
    assert s.halve(3.0) == 1.5 and s.solver_version() == 3
    s.tolerance = 1e-6
    assert s.bisect(lambda x: x - 0.3, 0.0, 1.0)[1] < iters


# ---- the reader on its own --------------------------------------------------------------------

def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text).lstrip("\n"))
    return str(p)


def test_fixed_form_quirks(tmp_path):
    write(tmp_path, "dims.inc", "      integer nmax\n      parameter (nmax = 4)\n")
    src = write(tmp_path, "quirks.f", """
    C     comment styles, a tab-formatted line, sequence numbers, Hollerith and include
          subroutine quirk(n, x, y, s)
          include 'dims.inc'
          integer n
          real*8 x(n), y(nmax)
    \tdouble precision s
    cf2py intent(out) y, s
          write(6, 100) n
      100 format(1x, 13h!not comment', i5)
          s = 0; y(1) = 1
          end                                                           SEQ00010
          subroutine quirk2(a,
         1                  b,
         *                  c)
          real a, b
          integer c
    D     this debug line is a comment
          end
    """)
    iface, _ = parse_sources("q", [src])
    assert iface.warnings == []
    q, q2 = iface.routines
    assert [(x.name, x.ftype.kind, x.dims) for x in q.args] == [("n", 4, []), ("x", 8, ["n"]),
                                                               ("y", 8, ["nmax"]), ("s", 8, [])]
    assert [x.name for x in q2.args] == ["a", "b", "c"] and q2.arg("c").ftype.base == "integer"


def test_free_form_executable_constructs_are_skipped(tmp_path):
    src = write(tmp_path, "f2008.f90", """
    module m
      implicit none
      type :: point
        real :: x = 0, y = 0
      end type point
      enum, bind(c)
        enumerator :: red = 1, green
      end enum
    contains
      subroutine s(n, v, total)
        integer, intent(in) :: n
        real(kind=8), intent(in) :: v(n)
        real(kind=8), intent(out) :: total
        class(*), allocatable :: anything
        total = 0
        outer: block
          integer :: n            ! local to the block, not the dummy
          n = 2
        end block outer
        associate (w => v(1:n))
          total = sum(w)
        end associate
        select type (anything)
        type is (integer)
          total = total + 1
        class default
        end select
        if (total < 0) error stop 'negative'
        critical
        end critical
      end subroutine s
    end module m
    """)
    iface, _ = parse_sources("m", [src])
    s = iface.modules[0].routines[0]
    assert [(x.name, x.ftype.base, x.ftype.kind, x.dims) for x in s.args] == [
        ("n", "integer", 4, []), ("v", "real", 8, ["n"]), ("total", "real", 8, [])]
    assert [t.name for t in iface.modules[0].types] == ["point"]


@pytest.mark.parametrize("body, message", [
    ("      subroutine s(x)\n      real x\n", "s.f:1: subroutine 's' has no END statement"),
    ("      subroutine s(x)\n      include 'missing.h'\n      end\n", "s.f:2: include file 'missing.h' not found"),
    ("      subroutine s(x)\n      end function\n", "s.f:2: 'end function' closes subroutine 's'"),
])
def test_reader_errors_name_file_and_line(tmp_path, body, message):
    src = tmp_path / "s.f"
    src.write_text(body)
    with pytest.raises(WrapError) as err:
        parse_sources("s", [str(src)])
    assert str(err.value).endswith(message) or message in str(err.value)


SIG = """
python module bad ! in
    interface  ! in :bad
        subroutine s(n,x) ! in :bad:s.f
{extra}
            integer intent(hide),depend(x) :: n=len(x)
            double precision dimension(n){xattr} :: x
        end subroutine s
    end interface
end python module bad
"""


@pytest.mark.parametrize("extra, xattr, message", [
    ("            callstatement {int i; (*f2py_func)(&n,x);}", "", "bad.pyf:4: callstatement with C code"),
    ("            usercode '''static int k;'''", "", "bad.pyf:4: 'usercode'"),
    ("", ",intent(in,aux)", "bad.pyf:6: intent(aux) on argument 'x'"),
    ("", ",intent(sideways)", "bad.pyf:6: argument 'x': unknown intent 'sideways'"),
    ("            fortranname", "", "bad.pyf:4: fortranname without a Fortran name"),
    ("            use bad__user__routines", "", "bad.pyf:4: python module 'bad__user__routines' not found"),
    ("            double precision intent(aux) :: scale", "", "bad.pyf:4: intent(aux) variable 'scale' needs a value"),
    ("            double precision dimension(2),intent(aux) :: w=1", "", "bad.pyf:4: intent(aux) variable 'w': only"),
    ("            external n", "", "cannot wrap s: procedure argument 'n' has no signature"),
    ("            intent(c) s", "", "cannot wrap s: intent(c) routine"),
])
def test_signature_file_constructs_fortran_wrap_cannot_express_are_errors(tmp_path, extra, xattr, message):
    pyf = tmp_path / "bad.pyf"
    pyf.write_text(SIG.lstrip("\n").format(extra=extra, xattr=xattr))
    with pytest.raises(WrapError) as err:
        pyf_interface(str(pyf))
    assert message in str(err.value)


def test_signature_file_error_exits_nonzero_with_file_line(tmp_path):
    pyf = tmp_path / "bad.pyf"
    pyf.write_text(SIG.lstrip("\n").format(extra="", xattr=",intent(sideways)"))
    (tmp_path / "s.f").write_text("      subroutine s(n,x)\n      integer n\n      double precision x(n)\n      end\n")
    proc = run_cli(["-c", "bad.pyf", "s.f"], cwd=tmp_path)
    assert proc.returncode != 0 and "bad.pyf:6:" in proc.stderr and "Traceback" not in proc.stderr


def test_f2cmap_kinds(tmp_path):
    src = write(tmp_path, "rk.f90", """
    subroutine twice(x, y, k)
      integer, parameter :: rk = 8, ik = 4
      real(kind=rk), intent(in) :: x
      real(kind=rk), intent(out) :: y
      integer(kind=ik), intent(in) :: k
      y = 2 * x * k
    end subroutine twice
    """)
    (tmp_path / "kinds.txt").write_text("dict(real=dict(rk='float'), integer={'ik': 'long'})")
    r = parse_sources("rk", [src], f2cmap=str(tmp_path / "kinds.txt"))[0].routines[0]
    assert (r.arg("x").ftype.kind, r.arg("k").ftype.kind) == (4, 8)      # the map wins, as in f2py
    # without a map the parameters decide; the CLI reads .f2py_f2cmap of the current directory
    r = parse_sources("rk", [src])[0].routines[0]
    assert (r.arg("x").ftype.kind, r.arg("k").ftype.kind) == (8, 4)
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        (tmp_path / ".f2py_f2cmap").write_text("{'real': {'rk': 'long_double'}}")
        with pytest.raises(WrapError, match="long_double"):
            parse_sources("rk", [src], only=["twice"])
    finally:
        os.chdir(cwd)


def test_signature_file_idioms_of_f2py_h(tmp_path):
    pyf = write(tmp_path, "idioms.pyf", """
    !    -*- f90 -*-
    python module idioms ! in
        interface  ! in :idioms
            module phys ! in :idioms:phys.f90
                integer, parameter,optional :: dp=selected_real_kind(15, 307)
                real(kind=8), optional :: gravity=9.81_dp
                real(kind=8) dimension(3,2) :: table
                abstract interface unknown_abstract_interface ! in :idioms:phys.f90:phys
                    function scalar_fn(x) result (y) ! in :idioms:phys.f90:phys:unknown_abstract_interface
                        real(kind=dp) intent(in) :: x
                        real(kind=dp) :: y
                    end function scalar_fn
                end abstract interface unknown_abstract_interface
                function total(v) result (t) ! in :idioms:phys.f90:phys
                    real(kind=dp) dimension(:),intent(in) :: v
                    real(kind=dp) :: t
                end function total
            end module phys
        end interface
    end python module idioms

    ! This file was auto-generated with f2py (version:2.4.6).
    """)
    iface = pyf_interface(pyf)
    phys = iface.modules[0]
    assert [v.name for v in phys.variables] == ["dp", "gravity", "table"]
    total = phys.routines[0]
    assert total.arg("v").ftype.kind == 8 and total.arg("v").assumed_shape and total.result.ftype.kind == 8


def test_preprocessed_sources_read_the_branch_gfortran_compiles(tmp_path):
    (tmp_path / "prec.h").write_text("      integer nw\n      parameter (nw = 3)\n")
    src = write(tmp_path, "prep.F", """
    #define DOUBLE_KIND 8
          subroutine scal(n, x, w)
    #ifdef USE_SINGLE
          real x(n)
    #else
          real(DOUBLE_KIND) x(n)
    #endif
    #include "prec.h"
          integer n
          real w(nw)
    Cf2py intent(out) w
          end
    """)
    r = parse_sources("p", [src])[0].routines[0]
    assert r.arg("x").ftype.kind == 8 and r.arg("w").dims == ["(3)"]
    r = parse_sources("p", [src], defines=["USE_SINGLE"])[0].routines[0]
    assert r.arg("x").ftype.kind == 4
    bad = write(tmp_path, "bad.F90", "subroutine s(x)\n  real :: x\n#error no such platform\nend subroutine\n")
    with pytest.raises(WrapError, match="bad.F90:3"):
        parse_sources("b", [bad])
