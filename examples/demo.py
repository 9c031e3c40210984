"""A short tour of numfuse. Run with `make demo`."""
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np

import numfuse as nf


def section(title):
    print(f"\n== {title} " + "=" * (60 - len(title)))


def best_ms(fn, repeats=5):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1e3


print(f"numfuse {nf.__version__}: {nf.get_num_threads()} threads, SIMD kernels: {nf._core._simd_arch()}")

section("Arrays and views (zero-copy with NumPy)")
a = nf.arange(12.0).reshape(3, 4)
print(a[::-1, 1::2])
n = np.arange(6, dtype=np.int32)
w = nf.asarray(n)
w[0] = 100
print("nf.asarray(numpy) shares memory: numpy now sees", n[:3])
print("fancy indexing:", a[a > 8], " take:", nf.take(a, [0, 5, 11]))

section("Lazy, fused expressions")
rng = np.random.default_rng(0)
xn, yn = rng.random(5_000_000), rng.random(5_000_000)
x, y = nf.asarray(xn), nf.asarray(yn)
nf.reset_jit_stats()
r = nf.sqrt(x * x + y * y) * nf.exp(-x) + 1
print("recorded, not run yet:", r.shape, r.dtype, "groups run so far:", nf.jit_stats()["groups_run"])
print("first values:", r[:3])
print("one fused pass:", nf.jit_stats()["groups_run"], "group(s)")
t_np = best_ms(lambda: np.sqrt(xn * xn + yn * yn) * np.exp(-xn) + 1)
t_nf = best_ms(lambda: nf.eval(nf.sqrt(x * x + y * y) * nf.exp(-x) + 1))
print(f"5M elements: NumPy {t_np:.1f} ms, numfuse {t_nf:.1f} ms ({t_np / t_nf:.1f}x)")
print("fused reduction ((x - x.mean())**2).mean():", ((x - x.mean()) ** 2).mean(), " NumPy:", xn.var())

section("Reductions and linear algebra")
m = nf.asarray(rng.random((4, 4))) + 4 * nf.eye(4)
print("sum over axis 0:", m.sum(axis=0))
print("solve(m, ones) residual:", float(nf.linalg.norm(m @ nf.linalg.solve(m, nf.ones(4)) - 1)))
print("eigvalsh of m + m.T:", nf.linalg.eigvalsh(m + m.T))

section("Wrapping Fortran")
source = textwrap.dedent("""\
    subroutine axpy(n, a, x, y)
      integer, intent(in) :: n
      double precision, intent(in) :: a, x(n)
      double precision, intent(inout) :: y(n)
      y = y + a * x
    end subroutine
""")
with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "demo_axpy.f90"
    path.write_text(source)
    mod = nf.fortran_wrap.build([path], name="demo_axpy", output_dir=tmp)
    yv = nf.ones(4)
    mod.axpy(2.0, nf.arange(4.0), yv)
    print(mod.axpy.__doc__.strip().splitlines()[0])
    print("y after axpy(2, arange(4), y):", yv)

section("Memory pool")
big = nf.zeros((1000, 1000))
del big
stats = nf.memory_stats()
again = nf.zeros((1000, 1000))
print("pooled bytes after freeing 8 MB:", stats["bytes_pooled"],
      " pool hits on reallocating:", nf.memory_stats()["pool_hits"] - stats["pool_hits"])
