"""Binning, order statistics and group-by: numfuse vs NumPy (and pandas / polars group-by sums
when installed), the rows of issue 14's table, measured side by side in one run.

    PYTHONPATH=python:<build>/pyext .venv/bin/python bench/python/bench_statistics.py [--repeat N] [--threads T]

numfuse and the peer are timed in turns (one call of each per round, N rounds after a warm-up
each: load from other processes falls on both); the cells are medians of the times, speedup the
median of the per-round peer ms / numfuse ms (> 1: numfuse is faster); "met" compares it with
issue 14's target. NumPy and pandas run on one
thread, numfuse on --threads (default 2). 2 shared cores: the numbers move with other load.
"""
import argparse
import contextlib
import importlib.util

import numpy as np

from timing import paired_ms

import numfuse as nf

N = 10_000_000


def groupby_peers(keys, values):
    peers = []
    if importlib.util.find_spec("pandas") is not None:
        import pandas as pd

        series = pd.Series(values)
        peers.append(("pandas groupby-sum", lambda: series.groupby(keys).sum(), 2.0))
    if importlib.util.find_spec("polars") is not None:
        import polars as pl

        frame = pl.DataFrame({"k": keys, "v": values})
        peers.append(("polars group_by-sum", lambda: frame.group_by("k").agg(pl.col("v").sum()), None))
    return peers


def workloads(rng):
    """(row, numfuse callable, [(peer name, peer callable, target speedup)])."""
    data = rng.standard_normal(N)
    keys = rng.integers(0, 1000, N)
    weights = rng.random(N)
    d, k, w = nf.asarray(data).copy(), nf.asarray(keys).copy(), nf.asarray(weights).copy()

    yield "histogram 1e7, 100 bins", lambda: nf.histogram(d, 100), \
        [("np.histogram", lambda: np.histogram(data, 100), 2.0)]
    yield "bincount 1e7, 1e3 bins", lambda: nf.bincount(k), [("np.bincount", lambda: np.bincount(keys), 1.0)]
    yield "bincount 1e7, 1e3 bins, weights", lambda: nf.bincount(k, w), \
        [("np.bincount(weights)", lambda: np.bincount(keys, weights), 1.0)]
    yield "median 1e7", lambda: nf.median(d), [("np.median", lambda: np.median(data), 1.5)]
    yield "percentile [5,50,95] 1e7", lambda: nf.percentile(d, [5, 50, 95]), \
        [("np.percentile", lambda: np.percentile(data, [5, 50, 95]), 2.0)]
    yield "groupby_reduce sum 1e7, 1e3 keys", lambda: nf.groupby_reduce(k, w, "sum"), groupby_peers(keys, weights)


def measure(repeat):
    """(row, numfuse ms, peer, peer ms, speedup, target) for every workload and peer."""
    results = []
    for row, ours, peers in workloads(np.random.default_rng(0)):
        for name, peer, target in peers:
            ours_ms, peer_ms, speedup = paired_ms(ours, peer, repeat)
            results.append((row, ours_ms, name, peer_ms, speedup, target))
    return results


def report(results):
    print(f"{'workload':<36}{'numfuse ms':>11}  {'peer':<22}{'peer ms':>9}{'speedup':>9}{'target':>8}{'met':>5}")
    previous = None
    for row, ours_ms, name, peer_ms, speedup, target in results:
        goal = f">={target:g}x" if target else ""
        met = ("yes" if speedup >= target else "no") if target else ""
        label = "" if row == previous else row
        previous = row
        print(f"{label:<36}{ours_ms:>11.1f}  {name:<22}{peer_ms:>9.1f}{speedup:>8.2f}x{goal:>8}{met:>5}")


@contextlib.contextmanager
def numfuse_threads(count):
    saved = nf.get_num_threads()
    nf.set_num_threads(count)
    try:
        yield
    finally:
        nf.set_num_threads(saved)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed calls per cell (median)")
    parser.add_argument("--threads", type=int, default=2, help="numfuse threads")
    options = parser.parse_args()
    with numfuse_threads(options.threads):
        report(measure(options.repeat))
