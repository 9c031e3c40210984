"""CSV reading: a table of rows x 8 random float64 (17 significant digits, ~160 MB at 10^6 rows)
read by np.loadtxt, nf.loadtxt, pandas.read_csv (C engine), pyarrow.csv, polars and nf.read_csv
in one process. Medians of a few runs (np.loadtxt, seconds per run, gets fewer); ratios are
peer time / numfuse time (> 1: numfuse is faster).

    .venv/bin/pip install -r requirements-bench.txt     # pandas, pyarrow, polars
    PYTHONPATH=python:<build>/pyext .venv/bin/python bench/python/bench_csv.py [--rows N] [--repeats R]

The file is written once per run (by nf.savetxt) to a temporary folder and removed after. Each
reader is timed in a fresh interpreter of its own (thread pools that pyarrow, polars or numfuse
leave spinning after a read would otherwise slow the next reader on 2 cores). Readers that are not
installed are left out. numfuse runs with nf.get_num_threads() threads (2 here);
pyarrow and polars use their own thread pools; pandas and NumPy read on one thread. Only
numfuse, NumPy and pyarrow/polars round-trip the doubles exactly; pandas' default parser
("high" precision) may differ in the last bit.
"""
import argparse
import importlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

import numfuse as nf

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import median_ms, settle  # noqa: E402

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


def time_in_subprocess(label, path, repeats):
    """Median ms of one reader, measured in a fresh interpreter (this file with --one)."""
    out = subprocess.run([sys.executable, __file__, "--one", label, path, "--repeats", str(repeats)],
                         check=True, capture_output=True, text=True).stdout
    return float(out.split()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10**6)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--one", nargs=2, metavar=("LABEL", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        label, path = args.one
        print(median_ms(dict(readers(path))[label], args.repeats))
        return
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "table.csv")
        values = write_table(path, args.rows)
        size_mb = os.path.getsize(path) / 1e6
        print(f"CSV {args.rows} rows x {COLUMNS} float64, {size_mb:.0f} MB; numfuse threads: {nf.get_num_threads()}")
        assert np.asarray(nf.loadtxt(path, delimiter=",", skiprows=1)).tobytes() == values.tobytes()
        assert np.asarray(nf.read_csv(path)["c3"]).tobytes() == values[:, 3].tobytes()
        times = {}
        for label, _ in readers(path):
            settle()
            repeats = max(1, args.repeats // 2) if label == "np.loadtxt" else args.repeats
            times[label] = time_in_subprocess(label, path, repeats)
            print(f"  {label:24s} {times[label]:9.1f} ms   {size_mb / times[label] * 1e3:7.0f} MB/s", flush=True)
    print("ratios (peer / numfuse):")
    print(f"  np.loadtxt / nf.loadtxt       {times['np.loadtxt'] / times['nf.loadtxt']:6.2f}x   (target >= 10)")
    for label in ("pandas.read_csv (C)", "pyarrow.csv.read_csv", "polars.read_csv"):
        if label in times:
            target = "   (target >= 2)" if label.startswith("pandas") else ""
            print(f"  {label:29s} / nf.read_csv  {times[label] / times['nf.read_csv']:6.2f}x{target}")


if __name__ == "__main__":
    main()
