"""Eager elementwise throughput, numfuse vs NumPy: per op, float64 and float32, 1e3 / 1e5 / 1e7
elements, contiguous and strided (every other element). Prints medians (ms per call and ns per
element) and NumPy/numfuse ratios (> 1: numfuse is faster). numfuse runs its eager kernels (no lazy graph), one thread, new output
per call, as NumPy does.

    PYTHONPATH=python:build/pyext python bench/python/bench_ufuncs.py [--quick] [--ops sin,exp]
        [--sizes 1e7] [--contiguous-only]
"""
import argparse
import statistics
import time

import numpy as np

import numfuse as nf

UNARY = ["negative", "absolute", "sqrt", "square", "exp", "log", "sin", "cos", "tan", "arctan",
         "tanh", "floor", "rint"]
BINARY = ["add", "subtract", "multiply", "true_divide", "maximum", "hypot", "arctan2", "power",
          "less"]


def median_seconds(fn, n):
    repeats = 5 if n >= 10**7 else 20 if n >= 10**5 else 200
    fn()  # warm up (allocator pools, page faults, dispatch)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def operands(name, dtype, n, strided, rng):
    arity = 2 if name in BINARY else 1
    lo = 0.1 if name in ("log", "sqrt", "power") else -3.0
    out = []
    for _ in range(arity):
        base = rng.uniform(lo, 3.0, 2 * n if strided else n).astype(dtype)
        out.append(base[::2] if strided else base)
    return out


def time_op(name, dtype, n, strided, rng):
    """(NumPy s, numfuse s) per call of op `name` on fresh operands of n elements."""
    np_args = operands(name, dtype, n, strided, rng)
    nf_args = tuple(nf.asarray(a) for a in np_args)
    np_fn, op_id = getattr(np, name), _OP_IDS[name]
    with np.errstate(all="ignore"):
        t_np = median_seconds(lambda: np_fn(*np_args), n)
    t_nf = median_seconds(lambda: nf._core._ufunc_apply_eager(op_id, nf_args), n)
    return t_np, t_nf


_OP_IDS = {d["name"]: d["id"] for d in nf._core._ufunc_ops()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1e3 and 1e5 only")
    parser.add_argument("--ops", default="", help="comma-separated op names (default: all)")
    parser.add_argument("--sizes", default="", help="comma-separated sizes, e.g. 1e7 (overrides --quick)")
    parser.add_argument("--contiguous-only", action="store_true", help="skip the strided layout")
    args = parser.parse_args()
    ops = [o for o in UNARY + BINARY if not args.ops or o in args.ops.split(",")]
    sizes = [10**3, 10**5] if args.quick else [10**3, 10**5, 10**7]
    if args.sizes:
        sizes = [int(float(s)) for s in args.sizes.split(",")]
    layouts = (False,) if args.contiguous_only else (False, True)
    rng = np.random.default_rng(0)
    print(f"numfuse SIMD: {nf._core._simd_arch()}   NumPy {np.__version__}")
    print(f"{'op':<12}{'dtype':<9}{'n':>9} {'layout':<9}{'numpy ms':>10}{'numfuse ms':>12}"
          f"{'numpy ns/el':>13}{'numfuse ns/el':>15}{'ratio':>8}")
    for name in ops:
        for dtype in (np.float64, np.float32):
            for n in sizes:
                for strided in layouts:
                    t_np, t_nf = time_op(name, dtype, n, strided, rng)
                    print(f"{name:<12}{np.dtype(dtype).name:<9}{n:>9} "
                          f"{'strided' if strided else 'contig':<9}{t_np * 1e3:>10.4f}"
                          f"{t_nf * 1e3:>12.4f}{t_np / n * 1e9:>13.2f}{t_nf / n * 1e9:>15.2f}"
                          f"{t_np / t_nf:>8.2f}", flush=True)


if __name__ == "__main__":
    main()
