"""Sorting, unique, searchsorted and isin: numfuse vs NumPy (and pandas.unique when pandas is
installed), the rows of issue 14's table, measured side by side in one run.

    PYTHONPATH=python:<build>/pyext .venv/bin/python bench/python/bench_sorting.py [--repeat N] [--threads T]

numfuse and the peer are timed in turns (one call of each per round, N rounds after a warm-up
each: load from other processes falls on both); the cells are medians of the times, speedup the
median of the per-round peer ms / numfuse ms (> 1: numfuse is faster). NumPy runs on one thread,
numfuse on --threads (default 2). 2 shared cores: the numbers move with other load.
"""
import importlib.util

import numpy as np

from timing import numfuse_threads, paired_ms, repeat_and_threads

import numfuse as nf

N = 10_000_000


def workloads(rng):
    """(row, numfuse callable, [(peer name, peer callable, target speedup)])."""
    floats = rng.random(N)
    ints = rng.integers(-(2**62), 2**62, N)
    repeated = rng.integers(0, 100_000, N)
    haystack = np.sort(rng.random(N))
    queries = rng.random(1_000_000)
    test_values = rng.integers(0, 100_000, 10_000)
    f, i, r = nf.asarray(floats).copy(), nf.asarray(ints).copy(), nf.asarray(repeated).copy()
    h, q, t = nf.asarray(haystack).copy(), nf.asarray(queries).copy(), nf.asarray(test_values).copy()

    yield "sort 1e7 float64", lambda: nf.sort(f), [("np.sort", lambda: np.sort(floats), 1.5)]
    yield "argsort 1e7 float64", lambda: nf.argsort(f), [("np.argsort", lambda: np.argsort(floats), 3.0)]
    yield "sort 1e7 int64", lambda: nf.sort(i), [("np.sort", lambda: np.sort(ints), None)]
    unique_peers = [("np.unique", lambda: np.unique(repeated), 5.0)]
    if importlib.util.find_spec("pandas") is not None:
        import pandas as pd

        unique_peers.append(("pandas.unique", lambda: pd.unique(repeated), 1.0))
    yield "unique 1e7 int64 (1e5 distinct)", lambda: nf.unique(r), unique_peers
    yield "unique(return_counts) same", lambda: nf.unique(r, return_counts=True), \
        [("np.unique(return_counts)", lambda: np.unique(repeated, return_counts=True), None)]
    yield "searchsorted 1e6 random into 1e7", lambda: nf.searchsorted(h, q), \
        [("np.searchsorted", lambda: np.searchsorted(haystack, queries), 3.0)]
    yield "isin 1e7 vs 1e4 int64", lambda: nf.isin(r, t), [("np.isin", lambda: np.isin(repeated, test_values), None)]


def main():
    args = repeat_and_threads(__doc__.splitlines()[0])
    print(f"{'workload':<36}{'numfuse ms':>11}  {'peer':<26}{'peer ms':>9}{'speedup':>9}{'target':>8}")
    with numfuse_threads(args.threads):
        for row, ours, peers in workloads(np.random.default_rng(0)):
            for name, peer, target in peers:
                t_ours, t_peer, speedup = paired_ms(ours, peer, args.repeat)
                goal = f">={target:g}x" if target else ""
                print(f"{row:<36}{t_ours:>11.1f}  {name:<26}{t_peer:>9.1f}{speedup:>8.2f}x{goal:>8}")
                row = ""


if __name__ == "__main__":
    main()
