"""Tier 2 (LLVM native kernels) against tier 1 (the block interpreter) on bench_lazy's rows.

For each row: the median time under each tier (same process, same arrays, timed in turns) and
their ratio, then the median compile time per native kernel (nf.jit_stats()). Rows are
bench_lazy's expressions, imported rather than copied.

    PYTHONPATH=python:build/pyext .venv/bin/python bench/python/bench_native.py [--n 10000000]
"""
import argparse
import os
import statistics
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_lazy import EXPRESSIONS  # noqa: E402
from timing import paired_ms  # noqa: E402

import numfuse as nf  # noqa: E402


def tier(mode, fn):
    """fn run with the JIT tier set to `mode` ('interp' or 'native')."""
    def run():
        previous = nf._core._set_jit_mode(mode)
        try:
            return fn()
        finally:
            nf._core._set_jit_mode(previous)
    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10**7)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    nf.set_num_threads(args.threads)
    # Compile for real: a kernel found in the on-disk cache would show no compile time.
    cache = tempfile.TemporaryDirectory(prefix="numfuse-bench-cache-")
    os.environ["NUMFUSE_CACHE_DIR"] = cache.name
    rng = np.random.default_rng(0)
    a, b, c = (nf.asarray(rng.random(args.n)) for _ in range(3))
    native = hasattr(nf._core, "_set_jit_mode") and nf._core.native_available()
    print(f"n={args.n}, {args.threads} threads, native backend: {'yes' if native else 'no'}")
    print(f"{'expression':28s} {'tier 1 ms':>10s} {'native ms':>10s} {'native/tier1':>13s}")
    nf.reset_jit_stats()
    for name, expr, _, _ in EXPRESSIONS:
        def call(expr=expr):
            r = expr(nf, a, b, c)
            return r.eval() if hasattr(r, "eval") else r
        if not native:
            from timing import median_ms
            print(f"{name:28s} {median_ms(call, args.repeat):10.4f}")
            continue
        interp_ms, native_ms, _ = paired_ms(tier("interp", call), tier("native", call), args.repeat)
        print(f"{name:28s} {interp_ms:10.4f} {native_ms:10.4f} {native_ms / interp_ms:12.2f}x")
    if native:
        compile_ms = [s * 1e3 for s in nf._core.native_compile_times()]
        if compile_ms:
            print(f"native kernels compiled: {len(compile_ms)}, compile time per kernel: "
                  f"median {statistics.median(compile_ms):.1f} ms, max {max(compile_ms):.1f} ms")


if __name__ == "__main__":
    main()
