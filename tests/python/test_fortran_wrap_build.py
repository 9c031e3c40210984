"""The build driver through the CLI (f2py's -c options): parallel compiles in module-dependency
order, the object cache (a rebuild after one changed file compiles that file), -I/-D/-L/-l,
--f77flags/--f90flags/--opt, .o and .a files as sources, --build-dir."""
import re
import subprocess

import pytest

from fortran_wrap_util import FORTRAN_TEST_MARKS, load, run_cli

pytestmark = FORTRAN_TEST_MARKS


def write_package(folder, nplain=6):
    """Three modules in a chain (base <- mid <- top, each in its own file, named so that a plain
    sort would compile users first) and `nplain` independent F77 files."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a_top.f90").write_text(
        "module top\n  use mid\ncontains\n  function top_value(x) result(y)\n    double precision, intent(in) :: x\n"
        "    double precision :: y\n    y = mid_value(x) + 100\n  end function\nend module\n")
    (folder / "b_mid.f90").write_text(
        "module mid\n  use base, only: scale\ncontains\n  function mid_value(x) result(y)\n"
        "    double precision, intent(in) :: x\n    double precision :: y\n    y = scale * x + 10\n  end function\n"
        "end module\n")
    (folder / "c_base.f90").write_text("module base\n  double precision, parameter :: scale = 2\nend module\n")
    for i in range(nplain):
        (folder / f"plain{i}.f").write_text(
            f"      DOUBLE PRECISION FUNCTION PLAIN{i}(X)\n      DOUBLE PRECISION X\n"
            f"      PLAIN{i} = X + {i}\n      END\n")
    return sorted(folder.glob("*.f90")) + sorted(folder.glob("*.f"))


def compile_counts(stderr):
    m = re.search(r"compile: (\d+) compiled, (\d+) from the object cache", stderr)
    assert m, stderr
    return int(m.group(1)), int(m.group(2))


@pytest.fixture
def cache(tmp_path):
    return {"NUMFUSE_FORTRAN_WRAP_CACHE": str(tmp_path / "cache")}


def test_parallel_build_in_module_order_then_object_cache(tmp_path, cache):
    sources = write_package(tmp_path / "src")
    out = tmp_path / "out"
    out.mkdir()
    proc = run_cli(["-c", "-m", "pkg", "-j", "3", *map(str, sources)], cwd=out, env_extra=cache)
    assert proc.returncode == 0, proc.stderr
    assert compile_counts(proc.stderr) == (9, 0)
    assert "(3 jobs)" in proc.stderr
    for step in ("parse", "generate", "compile", "link"):
        assert f"fortran_wrap: {step}:" in proc.stderr
    mod = load("pkg", out)
    assert mod.top.top_value(1.0) == 112.0 and mod.plain3(1.0) == 4.0

    # one plain file changes: only it compiles
    (tmp_path / "src" / "plain3.f").write_text(
        "      DOUBLE PRECISION FUNCTION PLAIN3(X)\n      DOUBLE PRECISION X\n      PLAIN3 = X * 30\n      END\n")
    out2 = tmp_path / "out2"
    out2.mkdir()
    proc = run_cli(["-c", "-m", "pkg", *map(str, sources)], cwd=out2, env_extra=cache)
    assert proc.returncode == 0, proc.stderr
    assert compile_counts(proc.stderr) == (1, 8)
    assert "shim and binding from the object cache" in proc.stderr     # the interface is unchanged
    assert load("pkg", out2).plain3(2.0) == 60.0

    # a module's implementation changes, its interface (.mod) does not: its users stay cached
    text = (tmp_path / "src" / "b_mid.f90").read_text()
    (tmp_path / "src" / "b_mid.f90").write_text(text.replace("scale * x + 10", "scale * x + 20"))
    out3 = tmp_path / "out3"
    out3.mkdir()
    proc = run_cli(["-c", "-m", "pkg", *map(str, sources)], cwd=out3, env_extra=cache)
    assert compile_counts(proc.stderr) == (1, 8)
    assert load("pkg", out3).top.top_value(1.0) == 122.0

    # the base module's interface changes: its users recompile against the new .mod
    (tmp_path / "src" / "c_base.f90").write_text("module base\n  double precision, parameter :: scale = 5\nend module\n")
    out4 = tmp_path / "out4"
    out4.mkdir()
    proc = run_cli(["-c", "-m", "pkg", *map(str, sources)], cwd=out4, env_extra=cache)
    assert compile_counts(proc.stderr) == (3, 6)
    assert load("pkg", out4).top.top_value(1.0) == 125.0


def test_include_dirs_defines_and_form_flags(tmp_path, cache):
    inc = tmp_path / "inc"
    inc.mkdir()
    (inc / "consts.inc").write_text("      DOUBLE PRECISION OFFSET\n      PARAMETER (OFFSET = 0.5D0)\n")
    src = tmp_path / "cfg.F"      # .F: preprocessed, so -D applies
    long_line = "      SHIFTD = X + OFFSET" + " " * 60 + "+ 0.25D0"   # past column 72: needs --f77flags
    src.write_text("      DOUBLE PRECISION FUNCTION SHIFTD(X)\n      DOUBLE PRECISION X\n      INCLUDE 'consts.inc'\n"
                   f"{long_line}\n#ifdef TWICE\n      SHIFTD = 2 * SHIFTD\n#endif\n      END\n")
    f90 = tmp_path / "wide.f90"
    f90.write_text("function wide(x) result(y)\n  double precision, intent(in) :: x\n  double precision :: y\n"
                   "  y = x" + " + 1.0d0" * 20 + "\nend function\n")
    # -Iinc: relative to the current folder (the compilers run in the build folder)
    args = ["-c", "-m", "cfg", str(src), str(f90), "-Iinc", "-DTWICE", "--f77flags=-ffixed-line-length-132",
            "--f90flags=-ffree-line-length-none", "--opt=-O1"]
    proc = run_cli(args, cwd=tmp_path, env_extra=cache)
    assert proc.returncode == 0, proc.stderr
    mod = load("cfg", tmp_path)
    assert mod.shiftd(1.0) == 2 * (1.0 + 0.5 + 0.25)
    assert mod.wide(1.0) == 21.0
    # without the fixed-form flag the long line is cut at column 72 (gfortran's default): the
    # `+ 0.25D0` is lost, as the result shows
    plain = [a for a in args if not a.startswith(("--f77flags", "--opt"))] + ["--noopt"]
    plain[plain.index("-Iinc")] = f"-I{inc}"
    proc = run_cli(plain, cwd=tmp_path / "inc", env_extra=cache)
    assert proc.returncode == 0, proc.stderr
    assert load("cfg", tmp_path / "inc").shiftd(1.0) == 2 * 1.5


def test_libraries_objects_and_build_dir(tmp_path, cache):
    helper = tmp_path / "helper.f"
    helper.write_text("      DOUBLE PRECISION FUNCTION HELPER(X)\n      DOUBLE PRECISION X\n      HELPER = 3 * X\n      END\n")
    other = tmp_path / "other.f"
    other.write_text("      DOUBLE PRECISION FUNCTION OTHER(X)\n      DOUBLE PRECISION X\n      OTHER = X - 1\n      END\n")
    libdir = tmp_path / "lib"
    libdir.mkdir()
    subprocess.run(["gfortran", "-fPIC", "-c", str(helper), "-o", str(libdir / "helper.o")], check=True)
    subprocess.run(["ar", "rcs", str(libdir / "libhelp.a"), str(libdir / "helper.o")], check=True)
    subprocess.run(["gfortran", "-fPIC", "-c", str(other), "-o", str(tmp_path / "other.o")], check=True)
    user = tmp_path / "user.f"
    user.write_text("      DOUBLE PRECISION FUNCTION USEBOTH(X)\n      DOUBLE PRECISION X, HELPER, OTHER\n"
                    "      EXTERNAL HELPER, OTHER\n      USEBOTH = HELPER(X) + OTHER(X)\n      END\n")
    build = tmp_path / "kept"
    proc = run_cli(["-c", "-m", "linked", str(user), "other.o", "-Llib", "-lhelp", "--build-dir", "kept"],
                   cwd=tmp_path, env_extra=cache)    # relative paths: the compilers run in the build folder
    assert proc.returncode == 0, proc.stderr
    assert load("linked", tmp_path).useboth(2.0) == 6.0 + 1.0
    kept = {p.name for p in build.iterdir()}
    assert "nfw_shim_linked.f90" in kept and "nfw_binding_linked.c" in kept


@pytest.mark.parametrize("args, message", [
    (["-j", "0"], "positive number of jobs"),
    (["--opt"], "needs a value"),
    (["--bogus"], "unknown option"),
])
def test_bad_options_are_one_line_errors(tmp_path, args, message):
    src = tmp_path / "one.f"
    src.write_text("      SUBROUTINE ONE(X)\n      DOUBLE PRECISION X\n      END\n")
    proc = run_cli(["-c", "-m", "one", str(src), *args], cwd=tmp_path)
    assert proc.returncode != 0 and message in proc.stderr and "Traceback" not in proc.stderr
