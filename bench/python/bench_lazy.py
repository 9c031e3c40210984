"""Fused lazy expressions vs NumPy, numexpr, Numba (parallel=True) and JAX (jit, CPU).

Each row builds a new output array per call, as users write these expressions. Prints the median
time of each peer, numfuse's ratio to NumPy and to the best peer, and numfuse's effective
bandwidth against the machine's triad bandwidth measured in the same run.

    PYTHONPATH=python:build/pyext .venv/bin/python bench/python/bench_lazy.py [--n 10000000]
"""
import argparse
import os

import numpy as np

from timing import median_ms, paired_ms, settle

import numfuse as nf

try:
    import numexpr as ne
except ImportError:  # pragma: no cover
    ne = None
try:
    import numba
except ImportError:  # pragma: no cover
    numba = None
try:
    import jax
    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_platforms", "cpu")
    import jax.numpy as jnp
except ImportError:  # pragma: no cover
    jax = None



# name, numpy/numfuse expression (module passed as m), numexpr string, arrays read
EXPRESSIONS = [
    ("a*b+c", lambda m, a, b, c: a * b + c, "a*b+c", 3),
    ("2*a+3*b*c-a/(b+1)", lambda m, a, b, c: 2 * a + 3 * b * c - a / (b + 1), "2*a+3*b*c-a/(b+1)", 3),
    ("sin(a)**2+cos(b)**2", lambda m, a, b, c: m.sin(a) ** 2 + m.cos(b) ** 2, "sin(a)**2+cos(b)**2", 2),
    ("sqrt(a*a+b*b)", lambda m, a, b, c: m.sqrt(a * a + b * b), "sqrt(a*a+b*b)", 2),
    ("exp(-a*a)*b", lambda m, a, b, c: m.exp(-a * a) * b, "exp(-a*a)*b", 2),
    ("where(a>0.5,a*b,c)", lambda m, a, b, c: m.where(a > 0.5, a * b, c), "where(a>0.5,a*b,c)", 3),
    ("(a*b).sum()", lambda m, a, b, c: (a * b).sum(), "sum(a*b)", 2),
    ("((a-a.mean())**2).mean()", lambda m, a, b, c: ((a - a.mean()) ** 2).mean(), None, 2),
]


def numba_kernels():
    if numba is None:
        return {}
    from numba import njit, prange

    def elementwise(body):
        @njit(parallel=True, fastmath=False)
        def run(a, b, c):
            out = np.empty_like(a)
            for i in prange(a.shape[0]):
                out[i] = body(a[i], b[i], c[i])
            return out
        return run

    @njit(parallel=True)
    def dot(a, b, c):
        s = 0.0
        for i in prange(a.shape[0]):
            s += a[i] * b[i]
        return s

    @njit(parallel=True)
    def var(a, b, c):
        mu = a.mean()
        s = 0.0
        for i in prange(a.shape[0]):
            s += (a[i] - mu) ** 2
        return s / a.shape[0]

    bodies = {
        "a*b+c": njit(lambda x, y, z: x * y + z),
        "2*a+3*b*c-a/(b+1)": njit(lambda x, y, z: 2 * x + 3 * y * z - x / (y + 1)),
        "sin(a)**2+cos(b)**2": njit(lambda x, y, z: np.sin(x) ** 2 + np.cos(y) ** 2),
        "sqrt(a*a+b*b)": njit(lambda x, y, z: np.sqrt(x * x + y * y)),
        "exp(-a*a)*b": njit(lambda x, y, z: np.exp(-x * x) * y),
        "where(a>0.5,a*b,c)": njit(lambda x, y, z: x * y if x > 0.5 else z),
    }
    kernels = {name: elementwise(body) for name, body in bodies.items()}
    kernels["(a*b).sum()"] = dot
    kernels["((a-a.mean())**2).mean()"] = var
    return kernels


def triad_bandwidth(a, b, c, repeats):
    """GB/s of o = a*b + c into a preallocated output (reads 3 arrays, writes 1)."""
    out = np.empty_like(a)
    if numba is not None:
        from numba import njit, prange

        @njit(parallel=True)
        def triad(o, x, y, z):
            for i in prange(o.shape[0]):
                o[i] = x[i] * y[i] + z[i]
        ms = median_ms(lambda: triad(out, a, b, c), repeats)
    else:
        ms = median_ms(lambda: np.add(np.multiply(a, b, out=out), c, out=out), repeats)
    return 4 * a.nbytes / (ms * 1e-3) / 1e9


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    na, nb, nc = (rng.random(args.n) for _ in range(3))
    fa, fb, fc = nf.asarray(na), nf.asarray(nb), nf.asarray(nc)
    triad = triad_bandwidth(na, nb, nc, args.repeats)
    print(f"numfuse {nf.__version__}: {nf.get_num_threads()} threads, SIMD {nf._core._simd_arch()}; "
          f"n = {args.n:,} float64; triad bandwidth {triad:.1f} GB/s; cores {os.cpu_count()}")
    numba_k = numba_kernels()
    jitted = {}
    if jax is not None:
        for name, fn, _, _ in EXPRESSIONS:
            jitted[name] = jax.jit(lambda a, b, c, fn=fn: fn(jnp, a, b, c))
        ja, jb, jc = (jnp.asarray(x) for x in (na, nb, nc))

    header = f"{'expression':<26}{'NumPy':>9}{'numexpr':>9}{'Numba':>9}{'JAX':>9}{'numfuse':>9}" \
             f"{'vs NumPy':>10}{'vs best':>9}{'GB/s':>7}{'of triad':>9}"
    print(header)
    print("-" * len(header))
    for name, fn, ne_expr, arrays_read in EXPRESSIONS:
        settle()
        row = {"NumPy": median_ms(lambda: fn(np, na, nb, nc), args.repeats)}
        if ne is not None and ne_expr:
            settle()
            row["numexpr"] = median_ms(lambda: ne.evaluate(ne_expr, local_dict={"a": na, "b": nb, "c": nc}),
                                       args.repeats)
        if name in numba_k:
            settle()
            row["Numba"] = median_ms(lambda: numba_k[name](na, nb, nc), args.repeats)
        if name in jitted:
            settle()
            row["JAX"] = median_ms(lambda: jitted[name](ja, jb, jc).block_until_ready(), args.repeats)
        settle()
        mine = median_ms(lambda: nf.eval(fn(nf, fa, fb, fc)), args.repeats)
        best = min(v for k, v in row.items())
        moved = (arrays_read + (0 if "sum" in name or "mean" in name else 1)) * na.nbytes
        gbs = moved / (mine * 1e-3) / 1e9
        cells = "".join(f"{row[k]:9.1f}" if k in row else f"{'-':>9}" for k in ("NumPy", "numexpr", "Numba", "JAX"))
        print(f"{name:<26}{cells}{mine:9.1f}{row['NumPy'] / mine:9.2f}x{best / mine:8.2f}x{gbs:7.1f}{gbs / triad:8.0%}")

    # Dispatch overhead: the same chain on 1000 elements, per evaluation.
    sa, sb = na[:1000].copy(), nb[:1000].copy()
    ta, tb = nf.asarray(sa), nf.asarray(sb)
    loops = 2000
    chain = lambda m, a, b: 2 * a + 3 * b * a - a / (b + 1)  # noqa: E731
    np_us = median_ms(lambda: [chain(np, sa, sb) for _ in range(loops)], 5) * 1e3 / loops
    nf_us = median_ms(lambda: [nf.eval(chain(nf, ta, tb)) for _ in range(loops)], 5) * 1e3 / loops
    ne_us = float("nan")
    if ne is not None:
        ne_us = median_ms(lambda: [ne.evaluate("2*a+3*b*a-a/(b+1)", local_dict={"a": sa, "b": sb})
                                   for _ in range(loops)], 5) * 1e3 / loops
    print(f"\n2*a+3*b*a-a/(b+1) at n=1000: NumPy {np_us:.1f} us, numexpr {ne_us:.1f} us, "
          f"numfuse {nf_us:.1f} us ({nf_us / np_us:.2f}x NumPy's time)")
    jit_rows(na, nb, nc, loops)
    print("jit stats:", nf.jit_stats())


def update_loop(u, v):
    for _ in range(10):
        u = u + 0.1 * (v - u)
    return u


def loss(w, x, y):
    return ((x * w - y) ** 2).mean()


def jit_rows(na, nb, nc, loops):
    """@nf.jit at n=1000 (issue 16's targets: the chain <= 0.5x NumPy's time, the 10-step update
    loop <= 0.3x; a loss function reduced to a scalar), next to NumPy and the same code without
    @nf.jit, in the same run. Results are materialized (nf.eval, or a scalar), as users read them."""
    sa, sb, sc = (x[:1000].copy() for x in (na, nb, nc))
    ta, tb, tc = (nf.asarray(x) for x in (sa, sb, sc))
    chain = EXPRESSIONS[1][1]
    traced_chain = nf.jit(lambda a, b, c: chain(nf, a, b, c))
    traced_loop = nf.jit(update_loop)
    traced_loss = nf.jit(loss)
    rows = [
        ("2*a+3*b*c-a/(b+1)", lambda: chain(np, sa, sb, sc), lambda: nf.eval(chain(nf, ta, tb, tc)),
         lambda: nf.eval(traced_chain(ta, tb, tc))),
        ("10 x u = u + 0.1*(v - u)", lambda: update_loop(sa, sb), lambda: nf.eval(update_loop(ta, tb)),
         lambda: nf.eval(traced_loop(ta, tb))),
        ("((x*w - y)**2).mean()", lambda: loss(0.5, sa, sb), lambda: loss(0.5, ta, tb),
         lambda: traced_loss(0.5, ta, tb)),
    ]
    print(f"\n{'n=1000, per call':<28}{'NumPy us':>10}{'numfuse us':>12}{'@nf.jit us':>12}"
          f"{'numfuse/NumPy':>15}{'jit/NumPy':>11}")
    batch = lambda fn: lambda: [fn() for _ in range(loops)]  # noqa: E731
    for name, np_fn, nf_fn, jit_fn in rows:
        # Timed in turns with NumPy (paired_ms): the ratios are medians of per-round ratios.
        lazy_ms, _, np_per_lazy = paired_ms(batch(nf_fn), batch(np_fn), 7)
        jit_ms, np_ms, np_per_jit = paired_ms(batch(jit_fn), batch(np_fn), 7)
        us = 1e3 / loops
        print(f"{name:<28}{np_ms * us:10.1f}{lazy_ms * us:12.1f}{jit_ms * us:12.1f}"
              f"{1 / np_per_lazy:14.2f}x{1 / np_per_jit:10.2f}x")


if __name__ == "__main__":
    main()
