"""numfuse vs NumPy, side by side in one process (`make bench`).

Each row times the same operation in both libraries: median per call over >= 7 repeats
(timeit, each repeat long enough to dwarf timer overhead), and the ratio numfuse / NumPy
(< 1 means numfuse is faster). Then the C++ Google Benchmark binary runs, if it was built.

    PYTHONPATH=python:<build>/pyext .venv/bin/python bench/python/run.py [--quick] [-k FILTER]

Read the rows with the machine in mind: 2 shared cores, so numbers move with other load.
Notes on fairness: np.zeros uses calloc, whose pages are zeroed lazily by the OS on first
touch, so "zeros" without a touch measures NumPy's allocation only; the "+ touch" rows write
one element per page, which pays that first-touch cost, as a real computation would.
"""
import argparse
import io
import os
import statistics
import subprocess
import sys
import timeit
from pathlib import Path

import numpy as np

import numfuse as nf

PAGE_ELEMENTS = 4096 // 8  # float64 elements per 4 KiB page


def per_call_seconds(fn, repeats, target):
    timer = timeit.Timer(fn)
    number = 1
    while True:
        elapsed = timer.timeit(number)
        if elapsed >= target:
            break
        number *= 10 if elapsed < target / 10 else 2
    return statistics.median(timer.timeit(number) / number for _ in range(repeats))


def fmt(seconds):
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:8.2f} {unit}"
    return f"{seconds / 1e-9:8.1f} ns"


def rows(n_sizes):
    """(section, label, numfuse callable, numpy callable) for every comparison."""
    for n in n_sizes:
        tag = f"n={n:.0e}".replace("e+0", "e")
        yield "allocation + fill (float64)", f"zeros        {tag}", lambda n=n: nf.zeros(n), lambda n=n: np.zeros(n)
        yield "allocation + fill (float64)", f"zeros+touch  {tag}", \
            lambda n=n: touch(nf.zeros(n)), lambda n=n: touch(np.zeros(n))
        yield "allocation + fill (float64)", f"ones         {tag}", lambda n=n: nf.ones(n), lambda n=n: np.ones(n)
        yield "allocation + fill (float64)", f"full(3.5)    {tag}", \
            lambda n=n: nf.full(n, 3.5), lambda n=n: np.full(n, 3.5)
        yield "allocation + fill (float64)", f"empty        {tag}", lambda n=n: nf.empty(n), lambda n=n: np.empty(n)
        yield "allocation + fill (float64)", f"empty+touch  {tag}", \
            lambda n=n: touch(nf.empty(n)), lambda n=n: touch(np.empty(n))

    a_nf, a_np = nf.zeros((1000, 1000)), np.zeros((1000, 1000))
    v_nf, v_np = nf.zeros(10**6), np.zeros(10**6)
    yield "views (1000x1000 float64)", "a[1:-1:2]", lambda: a_nf[1:-1:2], lambda: a_np[1:-1:2]
    yield "views (1000x1000 float64)", "a[1:-1:2, ::-3]", lambda: a_nf[1:-1:2, ::-3], lambda: a_np[1:-1:2, ::-3]
    yield "views (1000x1000 float64)", "a[5]", lambda: a_nf[5], lambda: a_np[5]
    yield "views (1000x1000 float64)", "a.T", lambda: a_nf.T, lambda: a_np.T
    yield "views (1000x1000 float64)", "a.reshape(500, 2000)", \
        lambda: a_nf.reshape(500, 2000), lambda: a_np.reshape(500, 2000)
    yield "views (1000x1000 float64)", "v.reshape(1000, -1)", lambda: v_nf.reshape(1000, -1), lambda: v_np.reshape(1000, -1)

    # The per-call costs of hot loops over small arrays (1000 float64).
    s_nf, s_np = nf.zeros(1000), np.zeros(1000)
    yield "small-array calls (1000 float64)", "len(a)", lambda: len(s_nf), lambda: len(s_np)
    yield "small-array calls (1000 float64)", "a.shape", lambda: s_nf.shape, lambda: s_np.shape
    yield "small-array calls (1000 float64)", "a[[1, 5, 7]]", lambda: s_nf[[1, 5, 7]], lambda: s_np[[1, 5, 7]]
    yield "small-array calls (1000 float64)", "a[10:20] = b", \
        lambda: s_nf.__setitem__(slice(10, 20), s_nf[:10]), lambda: s_np.__setitem__(slice(10, 20), s_np[:10])
    yield "small-array calls (1000 float64)", "concatenate([a, a])", \
        lambda: nf.concatenate([s_nf, s_nf]), lambda: np.concatenate([s_np, s_np])
    yield "small-array calls (1000 float64)", "a.astype(float32)", \
        lambda: s_nf.astype(np.float32), lambda: s_np.astype(np.float32)

    small, big = np.zeros(10), np.zeros(10**6)
    yield "interop", "asarray(np, 10 el.)", lambda: nf.asarray(small), lambda: np.asarray(small)
    yield "interop", "asarray(np, 1e6 el.)", lambda: nf.asarray(big), lambda: np.asarray(big)
    yield "interop", "np.asarray(x) [export]", lambda: np.asarray(v_nf), lambda: np.asarray(v_np)
    yield "interop", "from_dlpack(np array)", lambda: nf.from_dlpack(small), lambda: np.from_dlpack(small)

    data = np.arange(10**6, dtype=np.float64)
    data_nf = nf.asarray(data)
    saved = io.BytesIO()
    np.save(saved, data)
    payload = saved.getvalue()
    yield ".npy (1e6 float64, in memory)", "save", lambda: nf.save(io.BytesIO(), data_nf), lambda: np.save(io.BytesIO(), data)
    yield ".npy (1e6 float64, in memory)", "load", lambda: nf.load(io.BytesIO(payload)), lambda: np.load(io.BytesIO(payload))

    g_nf, g_np = nf.random.default_rng(0), np.random.default_rng(0)
    yield "random (1e6 samples)", "random", lambda: g_nf.random(10**6), lambda: g_np.random(10**6)
    yield "random (1e6 samples)", "normal", lambda: g_nf.normal(0, 1, 10**6), lambda: g_np.normal(0, 1, 10**6)
    yield "random (1e6 samples)", "uniform", lambda: g_nf.uniform(-1, 1, 10**6), lambda: g_np.uniform(-1, 1, 10**6)
    yield "random (1e6 samples)", "integers(0, 100)", \
        lambda: g_nf.integers(0, 100, 10**6), lambda: g_np.integers(0, 100, 10**6)
    # The same values in both libraries (same seeds, NumPy's streams); target ratio <= 0.5 at 1e7.
    big = 10**7
    if big in n_sizes:
        sec = "random (1e7 samples, same values)"
        yield sec, "random", lambda: g_nf.random(big), lambda: g_np.random(big)
        yield sec, "standard_normal", lambda: g_nf.standard_normal(big), lambda: g_np.standard_normal(big)
        yield sec, "normal(1, 2)", lambda: g_nf.normal(1, 2, big), lambda: g_np.normal(1, 2, big)
        yield sec, "legacy rand", lambda: nf.random.rand(big), lambda: np.random.rand(big)
        yield sec, "legacy randn", lambda: nf.random.randn(big), lambda: np.random.randn(big)


def touch(a):
    """Writes one element per page of a 1-D array (through NumPy's view for both libraries)."""
    np.asarray(a)[::PAGE_ELEMENTS] = 1.0
    return a


def run_python(args):
    sizes = [10**3, 10**6] if args.quick else [10**3, 10**6, 10**7]
    section = None
    print(f"numfuse {nf.__version__} vs NumPy {np.__version__}: median per call of {args.repeats} repeats")
    print(f"{'':32}{'numfuse':>11}{'numpy':>12}{'ratio':>8}")
    for sec, label, f_nf, f_np in rows(sizes):
        if args.filter and args.filter not in f"{sec} {label}":
            continue
        if sec != section:
            section = sec
            print(f"\n{sec}")
        t_nf = per_call_seconds(f_nf, args.repeats, args.target)
        t_np = per_call_seconds(f_np, args.repeats, args.target)
        print(f"  {label:30}{fmt(t_nf)}  {fmt(t_np)}  {t_nf / t_np:6.2f}", flush=True)


def run_cpp(args):
    build_dir = Path(os.environ.get("BUILD_DIR", "build"))
    binary = build_dir / "bench" / "cpp" / "bench_core"
    if not binary.exists():
        print(f"\n(C++ benchmarks skipped: {binary} not built)")
        return 0
    print(f"\nC++ core benchmarks ({binary})", flush=True)
    cmd = [str(binary), "--benchmark_min_time=0.2"]  # Google Benchmark 1.7: plain seconds
    if args.filter:
        cmd.append(f"--benchmark_filter={args.filter}")
    return subprocess.call(cmd)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip the 1e7 rows")
    parser.add_argument("--repeats", type=int, default=7, help="timeit repeats per row (>= 7)")
    parser.add_argument("--target", type=float, default=0.02, help="seconds per repeat")
    parser.add_argument("-k", "--filter", default="", help="run rows whose name contains this")
    parser.add_argument("--no-cpp", action="store_true", help="skip the C++ benchmark binary")
    args = parser.parse_args()
    args.repeats = max(args.repeats, 7)
    run_python(args)
    return 0 if args.no_cpp else run_cpp(args)


if __name__ == "__main__":
    sys.exit(main())
