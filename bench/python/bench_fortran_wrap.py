"""Per-call overhead of numfuse.fortran_wrap vs numpy.f2py on the same Fortran source, and the
build time of a generated 90-file package.

    .venv/bin/pip install -r requirements-dev.txt   # meson + ninja for f2py's build
    PYTHONPATH=python:<build>/pyext .venv/bin/python bench/python/bench_fortran_wrap.py [calls|build]

Call rows: a scalar function, an array routine (reads x(1) and x(n)) at n=10 and n=10^6 (Fortran-ordered float64
input: no copy on either side) given NumPy arrays and then numfuse arrays, a routine returning a new array
(intent(out), n=10), and a callback Fortran invokes 10^5 times (per invocation), with a scalar and with an array
argument. Both modules get the same inputs: f2py reads numfuse arrays through NumPy's conversion (zero-copy, via
the buffer protocol).

Build rows: 90 generated sources (10 modules in a dependency chain, 80 F77 files), wall time of the CLI: cold
(empty caches), unchanged (numfuse's module cache), one F77 file changed (numfuse's object cache; f2py reruns
its build in the kept --build-dir), one module changed (its users depend on it).
"""
import os
import subprocess
import sys
import tempfile
import textwrap
import time
import timeit
from pathlib import Path

import numpy as np

import numfuse as nf

SOURCE = textwrap.dedent("""
      double precision function addmul(a, b)
      double precision a, b
      addmul = a*b + a
      end

      subroutine ends(n, x, s)
      integer n
      double precision x(n), s
cf2py intent(out) s
      s = x(1) + x(n)
      end

      subroutine ramp(n, y)
      integer n, i
      double precision y(n)
cf2py intent(out) y
      do 20 i = 1, n
         y(i) = i
   20 continue
      end

      subroutine cbarr(g, n, m, x, acc)
      external g
      integer n, m, i
      double precision x(m), acc
cf2py intent(out) acc
      acc = 0
      do 30 i = 1, n
         call g(m, x)
         acc = acc + x(1)
   30 continue
      end

      subroutine cbloop(f, n, acc)
      external f
      double precision f, acc, t
      integer n, i
cf2py intent(out) acc
      acc = 0
      do 10 i = 1, n
         t = i
         acc = acc + f(t)
   10 continue
      end
""")


def best_us(fn, number):
    runs = timeit.repeat(fn, number=number, repeat=3)
    return min(runs) / number * 1e6


def cases(mod):
    """Each row: (function timing one call pattern, how many calls one timing makes)."""
    x10 = np.asfortranarray(np.random.default_rng(0).random(10))
    x6 = np.asfortranarray(np.random.default_rng(1).random(10 ** 6))
    nf10, nf6 = nf.asarray(x10), nf.asarray(x6)
    assert mod.ends(x6) == x6[0] + x6[-1] == mod.ends(nf6)
    assert np.asarray(mod.ramp(10))[-1] == 10.0
    cb = lambda t: t

    def fill(x):              # an array callback: writes its argument in place
        x[0] = 1.0
    xcb = np.zeros(4)
    ncb = 10 ** 5
    return {
        "scalar function addmul(a, b)": (lambda: mod.addmul(1.5, 2.0), 20000, 1),
        "array ends(x), n=10": (lambda: mod.ends(x10), 20000, 1),
        "array ends(x), n=10^6": (lambda: mod.ends(x6), 20000, 1),
        "array ends(x), n=10, numfuse input": (lambda: mod.ends(nf10), 20000, 1),
        "array ends(x), n=10^6, numfuse input": (lambda: mod.ends(nf6), 20000, 1),
        "returned array ramp(n), n=10": (lambda: mod.ramp(10), 20000, 1),
        "callback, per call (10^5 calls)": (lambda: mod.cbloop(cb, ncb), 1, ncb),
        "array callback g(x) writing x, per call (10^5 calls)": (lambda: mod.cbarr(fill, ncb, xcb), 1, ncb),
    }


def measure(mods, rounds=5):
    """Best per-call µs of each row for each module, the modules measured in turn within each
    round, so that a change of machine load hits both sides alike."""
    rows = {name: cases(mod) for name, mod in mods.items()}
    best = {name: {} for name in mods}
    for _ in range(rounds):
        for name, table in rows.items():
            for row, (fn, number, inner) in table.items():
                us = best_us(fn, number) / inner
                best[name][row] = min(best[name].get(row, us), us)
    return best


def f2py_env():
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return env


def build_f2py(src, workdir):
    proc = subprocess.run([sys.executable, "-m", "numpy.f2py", "-c", "-m", "bench_f2py", str(src)],
                          cwd=workdir, capture_output=True, text=True, env=f2py_env())
    if proc.returncode != 0:
        return None, (proc.stderr or proc.stdout).strip().splitlines()[-1:]
    sys.path.insert(0, str(workdir))
    import bench_f2py
    return bench_f2py, None


def calls():
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "bench.f"
        src.write_text(SOURCE)
        ours = nf.fortran_wrap.build([src], name="bench_nfw", output_dir=tmp)
        f2py_mod, why = build_f2py(src, tmp)
        best = measure({"ours": ours, **({"f2py": f2py_mod} if f2py_mod is not None else {})})
        rows, theirs = best["ours"], best.get("f2py", {})
    print(f"| per-call overhead (µs) | numfuse.fortran_wrap | numpy.f2py | numfuse / f2py |")
    print("|---|---|---|---|")
    for k, v in rows.items():
        other = f"{theirs[k]:.3f}" if k in theirs else "n/a"
        ratio = f"{v / theirs[k]:.2f}" if k in theirs else "n/a"
        print(f"| {k} | {v:.3f} | {other} | {ratio} |")
    if f2py_mod is None:
        print(f"f2py could not build: {why}")


# ---- build time of a 90-file package --------------------------------------------------------------

NMODULES, NPLAIN = 10, 80


def module_source(i, body_scale=1):
    use = f"  use pkgmod{i - 1}\n" if i else ""
    prev = f" + pkgmod{i - 1}_value(x)" if i else ""
    return (f"module pkgmod{i}\n{use}  implicit none\n  double precision, parameter :: c{i} = {i + 1}.0d0\n"
            f"contains\n  function pkgmod{i}_value(x) result(y)\n    double precision, intent(in) :: x\n"
            f"    double precision :: y\n    y = c{i} * x * {body_scale}{prev}\n  end function\n"
            f"  subroutine pkgmod{i}_fill(n, a)\n    integer, intent(in) :: n\n"
            f"    double precision, intent(out) :: a(n)\n    integer :: k\n"
            f"    do k = 1, n\n      a(k) = pkgmod{i}_value(dble(k))\n    end do\n  end subroutine\n"
            f"end module\n")


def plain_source(i, offset=0):
    """A BLAS-1 style file: two routines with loops (some real compile work)."""
    return (f"      SUBROUTINE PAXPY{i}(N, A, X, Y)\n      INTEGER N, I\n      DOUBLE PRECISION A, X(N), Y(N)\n"
            f"Cf2py intent(in,out) y\n      DO 10 I = 1, N\n         Y(I) = Y(I) + A*X(I) + {i + offset}\n"
            f"   10 CONTINUE\n      END\n\n"
            f"      DOUBLE PRECISION FUNCTION PDOT{i}(N, X, Y)\n      INTEGER N, I\n"
            f"      DOUBLE PRECISION X(N), Y(N), S\n      S = 0\n      DO 10 I = 1, N\n"
            f"         S = S + X(I)*Y(I)*{i + 1}\n   10 CONTINUE\n      PDOT{i} = S\n      END\n")


def write_package(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(NMODULES):
        paths.append(folder / f"pkgmod{i}.f90")
        paths[-1].write_text(module_source(i))
    for i in range(NPLAIN):
        paths.append(folder / f"plain{i}.f")
        paths[-1].write_text(plain_source(i))
    return paths


def timed(cmd, cwd, env) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])}... failed:\n{(proc.stderr or proc.stdout)[-2000:]}")
    return time.perf_counter() - t0


def build_times():
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        paths = write_package(tmp / "src")
        env = f2py_env()
        env["NUMFUSE_FORTRAN_WRAP_CACHE"] = str(tmp / "nfw_cache")
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        ours = [sys.executable, "-m", "numfuse.fortran_wrap", "-c", "-m", "pkg_nfw", *map(str, paths)]
        theirs = [sys.executable, "-m", "numpy.f2py", "-c", "-m", "pkg_f2py", "--backend", "meson",
                  "--build-dir", str(tmp / "f2py_build"), *map(str, paths)]
        (tmp / "out").mkdir()
        rows = {}
        rows["cold (empty caches)"] = (timed(ours, tmp / "out", env), timed(theirs, tmp / "out", env))
        rows["unchanged rebuild"] = (timed(ours, tmp / "out", env), None)
        paths[NMODULES + 7].write_text(plain_source(7, offset=1))
        rows["one F77 file changed"] = (timed(ours, tmp / "out", env), timed(theirs, tmp / "out", env))
        paths[NMODULES - 1].write_text(module_source(NMODULES - 1, body_scale=2))
        rows["last module's body changed"] = (timed(ours, tmp / "out", env), timed(theirs, tmp / "out", env))
    print(f"| build of {NMODULES + NPLAIN} sources (s, {os.cpu_count()} cores) | numfuse.fortran_wrap | "
          "numpy.f2py (meson) |")
    print("|---|---|---|")
    for k, (a, b) in rows.items():
        print(f"| {k} | {a:.2f} | {'-' if b is None else f'{b:.2f}'} |")


def main():
    what = sys.argv[1:] or ["calls", "build"]
    print(f"numpy {np.__version__}, Python {sys.version.split()[0]}")
    if "calls" in what:
        calls()
    if "build" in what:
        build_times()


if __name__ == "__main__":
    main()
