"""Writes the benchmark report: bench/report/README.md with PNG plots (`make bench`).

    PYTHONPATH=python:<build>/pyext .venv/bin/python bench/python/report.py [--quick] [--out DIR]

The numfuse-vs-NumPy rows of run.py are timed here as data (run.rows, run.per_call_seconds);
a size sweep of one fused expression shows where fusion and threads pay off; ns per element of
each kernel (bench_ufuncs.time_op) shows the SIMD kernels' own speed; the other bench
scripts run as subprocesses and their tables are copied into the report as they print them.
The header names the machine (CPU model, ISA flags, cores), the versions and the date."""
import argparse
import datetime
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_ufuncs  # noqa: E402
import run as run_bench  # noqa: E402

import numfuse as nf  # noqa: E402

import matplotlib  # noqa: E402
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

HERE = Path(__file__).resolve().parent
ISA_FLAGS = ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "neon", "asimd", "sve")
# (script, extra args in quick mode, title); each prints its own table
SCRIPTS = (
    ("bench_lazy.py", ["--n", "1000000", "--repeats", "5"], "Fused expressions vs NumPy, numexpr, Numba, JAX"),
    ("bench_native.py", ["--n", "1000000", "--repeat", "5"], "JIT tier 2 (LLVM native kernels) vs tier 1"),
    ("bench_ufuncs.py", ["--quick"], "Ufuncs, op by op"),
    ("bench_reductions.py", ["--repeat", "5"], "Reductions (1 thread and all threads)"),
    ("bench_linalg.py", ["--repeat", "3", "--rounds", "1"], "Linear algebra"),
    ("bench_statistics.py", [], "Data analysis: statistics, group-by, histograms"),
    ("bench_sorting.py", [], "Sorting and selection"),
    ("bench_csv.py", ["--rows", "200000"], "CSV and text loading"),
    ("bench_fortran_wrap.py", [], "Fortran wrapping: per-call overhead vs numpy.f2py"),
)


def machine():
    """(CPU model, ISA flags present, logical cores) from /proc/cpuinfo where it exists."""
    model, flags = platform.processor() or platform.machine(), set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and model in ("", platform.machine(), platform.processor()):
                model = value.strip()
            elif key.strip() in ("flags", "Features"):
                flags |= set(value.split())
    except OSError:
        pass
    return model, [f for f in ISA_FLAGS if f in flags], os.cpu_count()


def time_rows(quick, repeats, target):
    """[(section, label, numfuse s, numpy s)] for the rows of run.py."""
    sizes = [10**3, 10**6] if quick else [10**3, 10**6, 10**7]
    out = []
    for sec, label, f_nf, f_np in run_bench.rows(sizes):
        t_nf = run_bench.per_call_seconds(f_nf, repeats, target)
        t_np = run_bench.per_call_seconds(f_np, repeats, target)
        out.append((sec, " ".join(label.split()), t_nf, t_np))
        print(f"  {sec}: {label}  ratio {t_nf / t_np:.2f}", flush=True)
    return out


def fused_expression(xp, x):
    return xp.sum(xp.sqrt(x) * xp.exp(-x) + 2.0 * x ** 2)


def size_sweep(sizes, repeats, target):
    """[(n, numfuse s, numfuse 1-thread s, numpy s)] for one fused expression and its sum."""
    rng = np.random.default_rng(0)
    out, threads = [], nf.get_num_threads()
    for n in sizes:
        xn = rng.random(n)
        x = nf.asarray(xn)
        t_np = run_bench.per_call_seconds(lambda: float(fused_expression(np, xn)), repeats, target)
        t_nf = run_bench.per_call_seconds(lambda: float(fused_expression(nf, x)), repeats, target)
        nf.set_num_threads(1)
        try:
            t_nf1 = run_bench.per_call_seconds(lambda: float(fused_expression(nf, x)), repeats, target)
        finally:
            nf.set_num_threads(threads)
        out.append((n, t_nf, t_nf1, t_np))
        print(f"  sweep n={n:.0e}: numpy/numfuse {t_np / t_nf:.2f}", flush=True)
    return out


def kernel_times(n):
    """[(op, dtype name, NumPy s, numfuse s)]: every op of bench_ufuncs on n contiguous elements,
    numfuse's eager kernel on one thread (the kernel's own speed, no fusion, no threads)."""
    rng, threads, out = np.random.default_rng(0), nf.get_num_threads(), []
    nf.set_num_threads(1)
    try:
        for name in bench_ufuncs.UNARY + bench_ufuncs.BINARY:
            for dtype in (np.float64, np.float32):
                t_np, t_nf = bench_ufuncs.time_op(name, dtype, n, False, rng)
                out.append((name, np.dtype(dtype).name, t_np, t_nf))
    finally:
        nf.set_num_threads(threads)
    return out


def plot_kernels(kernels, n, path):
    """ns per element of each kernel, NumPy beside numfuse, float64 and float32 side by side."""
    ops = list(dict.fromkeys(op for op, _, _, _ in kernels))
    fig, axes = plt.subplots(1, 2, figsize=(11, 0.28 * len(ops) + 1.4), sharey=True)
    y = np.arange(len(ops))
    for ax, dtype in zip(axes, ("float64", "float32")):
        by_op = {op: (t_np, t_nf) for op, dt, t_np, t_nf in kernels if dt == dtype}
        ns = np.array([by_op[op] for op in ops]) / n * 1e9
        ax.barh(y - 0.2, ns[:, 0], 0.4, label="NumPy", color="tab:gray")
        ax.barh(y + 0.2, ns[:, 1], 0.4, label="numfuse (1 thread)", color="tab:blue")
        ax.set_title(f"{dtype}, {n:.0e} contiguous elements")
        ax.set_xlabel("ns per element (lower is better)")
        ax.grid(True, axis="x", alpha=0.3)
    axes[0].set_yticks(y, ops)
    axes[0].invert_yaxis()
    axes[0].legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_rows(rows, path):
    labels = [f"{sec.split(' (')[0]}: {label}" for sec, label, _, _ in rows]
    speedup = [t_np / t_nf for _, _, t_nf, t_np in rows]
    fig, ax = plt.subplots(figsize=(9, 0.22 * len(rows) + 1.2))
    ax.barh(labels, speedup, color=["tab:green" if s >= 1 else "tab:red" for s in speedup])
    ax.axvline(1.0, color="k", lw=0.8)
    ax.set_xscale("log")
    ax.set_xlabel("speed-up vs NumPy (NumPy time / numfuse time, log scale)")
    ax.invert_yaxis()
    ax.tick_params(axis="y", labelsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_sweep(sweep, path):
    n = np.array([r[0] for r in sweep], dtype=float)
    bytes_read = 8 * n
    fig, ax = plt.subplots(1, 2, figsize=(11, 3.8))
    for idx, label, style in ((3, "NumPy", "o-"), (2, "numfuse, 1 thread", "^-"),
                              (1, f"numfuse, {nf.get_num_threads()} threads", "s-")):
        t = np.array([r[idx] for r in sweep])
        ax[0].loglog(n, bytes_read / t / 1e9, style, label=label)
        ax[1].semilogx(n, np.array([r[3] for r in sweep]) / t, style, label=label)
    ax[0].set_xlabel("elements"); ax[0].set_ylabel("input GB/s"); ax[0].legend(); ax[0].grid(True, which="both", alpha=0.3)
    ax[0].set_title("sum(sqrt(x)*exp(-x) + 2*x**2), float64")
    ax[1].axhline(1.0, color="k", lw=0.8)
    ax[1].set_xlabel("elements"); ax[1].set_ylabel("speed-up vs NumPy"); ax[1].legend(); ax[1].grid(True, alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def run_script(name, args, timeout):
    return run_command([sys.executable, str(HERE / name), *args], timeout)


def run_command(cmd, timeout):
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"(timed out after {timeout} s)"
    text = done.stdout.strip()
    if done.returncode != 0:
        text += f"\n(exit status {done.returncode}: {done.stderr.strip().splitlines()[-1:]})"
    return text


def fmt(seconds):
    return run_bench.fmt(seconds).strip()


def write_report(out, quick, rows, sweep, kernels, kernel_n, scripts, started):
    model, isa, cores = machine()
    lines = [
        "# numfuse benchmark report", "",
        f"Generated by `make bench` (bench/python/report.py) on {started:%Y-%m-%d %H:%M} UTC"
        + (" — a **quick** run (`--quick`: smaller sizes, fewer repeats)." if quick else "."), "",
        f"- CPU: {model}; {cores} logical cores; ISA flags: {', '.join(isa) or 'none found'}",
        f"- numfuse {nf.__version__} ({nf.get_num_threads()} threads, SIMD kernels: {nf._core._simd_arch()}), "
        f"NumPy {np.__version__}, Python {platform.python_version()}",
        "- Times are medians per call; a speed-up > 1 means numfuse is faster. The machine may be shared:"
        " numbers move with its load.", "",
        "## numfuse vs NumPy, row by row (bench/python/run.py)", "",
        "![speed-up per row](speedup_per_row.png)", "",
        "| section | operation | numfuse | NumPy | speed-up |", "|---|---|---:|---:|---:|",
    ]
    lines += [f"| {sec} | {label} | {fmt(t_nf)} | {fmt(t_np)} | {t_np / t_nf:.2f} |" for sec, label, t_nf, t_np in rows]
    lines += ["", "## Where fusion and threads pay off: one fused expression over sizes", "",
              "`nf.sum(nf.sqrt(x) * nf.exp(-x) + 2.0 * x ** 2)` (one fused pass) vs the same in NumPy "
              "(one temporary per operator).", "", "![size sweep](size_sweep.png)", "",
              "| elements | NumPy | numfuse (1 thread) | numfuse (all threads) | speed-up |", "|---:|---:|---:|---:|---:|"]
    lines += [f"| {n:.0e} | {fmt(t_np)} | {fmt(t1)} | {fmt(t)} | {t_np / t:.2f} |" for n, t, t1, t_np in sweep]
    lines += ["", "## Kernels: ns per element", "",
              f"Each op of bench_ufuncs.py on {kernel_n:.0e} contiguous elements, numfuse's eager kernel on "
              "one thread (no fusion, no threads: the SIMD kernel's own speed) vs NumPy.", "",
              "![ns per element per kernel](kernel_ns_per_element.png)", "",
              "| op | dtype | NumPy ns/elem | numfuse ns/elem | speed-up |", "|---|---|---:|---:|---:|"]
    lines += [f"| {op} | {dt} | {t_np / kernel_n * 1e9:.2f} | {t_nf / kernel_n * 1e9:.2f} | {t_np / t_nf:.2f} |"
              for op, dt, t_np, t_nf in kernels]
    for title, text in scripts:
        lines += ["", f"## {title}", "", "```", text, "```"]
    (out / "README.md").write_text("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer repeats")
    parser.add_argument("--out", default=str(HERE.parent / "report"), help="report folder")
    args = parser.parse_args()
    started = datetime.datetime.now(datetime.timezone.utc)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    repeats, target = (7, 0.01) if args.quick else (7, 0.02)
    print("rows of run.py:", flush=True)
    rows = time_rows(args.quick, repeats, target)
    plot_rows(rows, out / "speedup_per_row.png")
    sizes = [10**k for k in range(3, 8)] + ([] if args.quick else [10**8])
    sweep = size_sweep(sizes, repeats, target)
    plot_sweep(sweep, out / "size_sweep.png")
    kernel_n = 10**5 if args.quick else 10**6
    print(f"kernels at n={kernel_n:.0e} ...", flush=True)
    kernels = kernel_times(kernel_n)
    plot_kernels(kernels, kernel_n, out / "kernel_ns_per_element.png")
    scripts = []
    for name, quick_args, title in SCRIPTS:
        print(f"{name} ...", flush=True)
        scripts.append((f"{title} ({name})", run_script(name, quick_args if args.quick else [], 900)))
    cpp = Path(os.environ.get("BUILD_DIR", "build")) / "bench" / "cpp" / "bench_core"
    if cpp.exists():
        print("C++ core benchmarks ...", flush=True)
        scripts.append(("C++ core benchmarks (bench/cpp, Google Benchmark)",
                        run_command([str(cpp), "--benchmark_min_time=0.2"], 900)))
    write_report(out, args.quick, rows, sweep, kernels, kernel_n, scripts, started)
    print(f"wrote {out / 'README.md'} ({time.time() - started.timestamp():.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
