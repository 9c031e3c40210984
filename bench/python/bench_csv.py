"""CSV reading: a table of rows x 8 random float64 (17 significant digits, ~160 MB at 10^6 rows)
read by np.loadtxt, nf.loadtxt, pandas.read_csv (C engine), pyarrow.csv, polars and nf.read_csv
in one process. Medians of a few runs (np.loadtxt, seconds per run, gets fewer); ratios are
peer time / numfuse time (> 1: numfuse is faster).

    .venv/bin/pip install -r requirements-bench.txt     # pandas, pyarrow, polars
    PYTHONPATH=python:<build>/pyext .venv/bin/python bench/python/bench_csv.py [--rows N] [--repeats R]

The file is written once per run (by nf.savetxt) to a temporary folder and removed after. Each
timing is one call in a fresh interpreter of its own, after a warm-up call (thread pools that
pyarrow, polars or numfuse leave spinning after a read would otherwise slow the next reader on 2
cores), and the readers take turns: round r times every reader once, so all of them sample the
same spells of outside load; the ratios are medians over the rounds of the per-round ratios.
CPU ms is the process's user + system time of the call (all its threads): with 2 threads a
reader's wall time cannot go below half of it. Readers that are not installed are left out. numfuse runs with nf.get_num_threads() threads (2 here);
pyarrow and polars use their own thread pools; pandas and NumPy read on one thread. Only
numfuse, NumPy and pyarrow/polars round-trip the doubles exactly; pandas' default parser
("high" precision) may differ in the last bit.
"""
import argparse
import importlib
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import numfuse as nf

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import settle  # noqa: E402

COLUMNS = 8


def optional(name):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def write_table(path, rows):
    values = np.random.default_rng(0).standard_normal((rows, COLUMNS))
    header = ",".join(f"c{i}" for i in range(COLUMNS))
    nf.savetxt(path, nf.asarray(values), fmt="%.17g", delimiter=",", header=header, comments="")
    return values


def readers(path):
    """(label, callable) for every reader installed."""
    yield "np.loadtxt", lambda: np.loadtxt(path, delimiter=",", skiprows=1)
    yield "nf.loadtxt", lambda: nf.loadtxt(path, delimiter=",", skiprows=1)
    pd = optional("pandas")
    if pd is not None:
        yield "pandas.read_csv (C)", lambda: pd.read_csv(path, engine="c")
    pacsv = optional("pyarrow.csv")
    if pacsv is not None:
        yield "pyarrow.csv.read_csv", lambda: pacsv.read_csv(path)
    pl = optional("polars")
    if pl is not None:
        yield "polars.read_csv", lambda: pl.read_csv(path)
    yield "nf.read_csv", lambda: nf.read_csv(path)


def time_one_call(fn, warm_up=True):
    """(wall ms, CPU ms) of one call of fn, after a warm-up call."""
    if warm_up:
        fn()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    fn()
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return wall * 1e3, (usage.ru_utime + usage.ru_stime - cpu) * 1e3


def time_in_subprocess(label, path):
    """(wall ms, CPU ms) of one call of a reader in a fresh interpreter (this file with --one)."""
    out = subprocess.run([sys.executable, __file__, "--one", label, path],
                         check=True, capture_output=True, text=True).stdout
    wall, cpu = out.split()[-2:]
    return float(wall), float(cpu)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10**6)
    parser.add_argument("--repeats", type=int, default=5, help="rounds (np.loadtxt runs in about half of them)")
    parser.add_argument("--one", nargs=2, metavar=("LABEL", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        label, path = args.one
        # np.loadtxt takes seconds and gains nothing from a warm-up call
        print(*time_one_call(dict(readers(path))[label], warm_up=label != "np.loadtxt"))
        return
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "table.csv")
        values = write_table(path, args.rows)
        size_mb = os.path.getsize(path) / 1e6
        print(f"CSV {args.rows} rows x {COLUMNS} float64, {size_mb:.0f} MB; numfuse threads: {nf.get_num_threads()}")
        assert np.asarray(nf.loadtxt(path, delimiter=",", skiprows=1)).tobytes() == values.tobytes()
        assert np.asarray(nf.read_csv(path)["c3"]).tobytes() == values[:, 3].tobytes()
        labels = [label for label, _ in readers(path)]
        rounds = []  # {label: (wall, cpu)} per round
        for r in range(args.repeats):
            timings = {}
            for label in labels:
                if label == "np.loadtxt" and r % 2 == 1:
                    continue
                settle()
                timings[label] = time_in_subprocess(label, path)
            rounds.append(timings)
    print(f"  {'reader':24s} {'wall ms':>9s} {'CPU ms':>8s} {'MB/s':>7s}   (medians of {args.repeats} rounds)")
    wall = {}
    for label in labels:
        samples = [t[label] for t in rounds if label in t]
        wall[label] = statistics.median(w for w, _ in samples)
        cpu = statistics.median(c for _, c in samples)
        print(f"  {label:24s} {wall[label]:9.1f} {cpu:8.1f} {size_mb / wall[label] * 1e3:7.0f}")

    def ratio(peer, ours):
        return statistics.median(t[peer][0] / t[ours][0] for t in rounds if peer in t and ours in t)

    print("ratios (peer / numfuse, median of the per-round ratios):")
    print(f"  np.loadtxt / nf.loadtxt       {ratio('np.loadtxt', 'nf.loadtxt'):6.2f}x   (target >= 10)")
    for label in ("pandas.read_csv (C)", "pyarrow.csv.read_csv", "polars.read_csv"):
        if label in wall:
            target = "   (target >= 2)" if label.startswith("pandas") else ""
            print(f"  {label:29s} / nf.read_csv  {ratio(label, 'nf.read_csv'):6.2f}x{target}")


if __name__ == "__main__":
    main()
