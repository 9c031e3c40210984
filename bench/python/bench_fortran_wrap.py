"""Per-call overhead of numfuse.fortran_wrap vs numpy.f2py on the same Fortran source.

    .venv/bin/pip install -r requirements-bench.txt   # meson for f2py's build
    PYTHONPATH=python:<build>/pyext .venv/bin/python bench/python/bench_fortran_wrap.py

Rows: a scalar function, an array routine (reads x(1) and x(n)) at n=10 and n=10^6 (Fortran-ordered float64 input:
no copy on either side) given NumPy arrays and then numfuse arrays, a routine returning a new array
(intent(out), n=10), and a callback Fortran invokes 10^5 times (per invocation). Both modules get the same inputs:
f2py reads numfuse arrays through NumPy's conversion (zero-copy, via the buffer protocol).
"""
import os
import subprocess
import sys
import tempfile
import textwrap
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
    runs = timeit.repeat(fn, number=number, repeat=5)
    return min(runs) / number * 1e6


def measure(mod):
    x10 = np.asfortranarray(np.random.default_rng(0).random(10))
    x6 = np.asfortranarray(np.random.default_rng(1).random(10 ** 6))
    nf10, nf6 = nf.asarray(x10), nf.asarray(x6)
    assert mod.ends(x6) == x6[0] + x6[-1] == mod.ends(nf6)
    assert np.asarray(mod.ramp(10))[-1] == 10.0
    cb = lambda t: t
    ncb = 10 ** 5
    return {
        "scalar function addmul(a, b)": best_us(lambda: mod.addmul(1.5, 2.0), 20000),
        "array ends(x), n=10": best_us(lambda: mod.ends(x10), 20000),
        "array ends(x), n=10^6": best_us(lambda: mod.ends(x6), 20000),
        "array ends(x), n=10, numfuse input": best_us(lambda: mod.ends(nf10), 20000),
        "array ends(x), n=10^6, numfuse input": best_us(lambda: mod.ends(nf6), 20000),
        "returned array ramp(n), n=10": best_us(lambda: mod.ramp(10), 20000),
        "callback, per call (10^5 calls)": best_us(lambda: mod.cbloop(cb, ncb), 1) / ncb,
    }


def build_f2py(src, workdir):
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    proc = subprocess.run([sys.executable, "-m", "numpy.f2py", "-c", "-m", "bench_f2py", str(src)],
                          cwd=workdir, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        return None, (proc.stderr or proc.stdout).strip().splitlines()[-1:]
    sys.path.insert(0, str(workdir))
    import bench_f2py
    return bench_f2py, None


def main():
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "bench.f"
        src.write_text(SOURCE)
        ours = nf.fortran_wrap.build([src], name="bench_nfw", output_dir=tmp)
        f2py_mod, why = build_f2py(src, tmp)
        rows = measure(ours)
        theirs = measure(f2py_mod) if f2py_mod is not None else {}
    print(f"numpy {np.__version__}, Python {sys.version.split()[0]}")
    print(f"| per-call overhead (µs) | numfuse.fortran_wrap | numpy.f2py |")
    print("|---|---|---|")
    for k, v in rows.items():
        other = f"{theirs[k]:.3f}" if k in theirs else "n/a"
        print(f"| {k} | {v:.3f} | {other} |")
    if f2py_mod is None:
        print(f"f2py could not build: {why}")


if __name__ == "__main__":
    main()
