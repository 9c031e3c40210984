"""Timing shared by the Python benchmarks: medians, because these machines are noisy."""
import argparse
import contextlib
import statistics
import time


def settle(seconds=0.2):
    """Pause so that the idle threads of the library measured before (OpenBLAS, numexpr, Numba,
    JAX pools spin for a while after work) stop competing for the 2 cores."""
    time.sleep(seconds)


def sample_ms(fn, repeats):
    """Wall times of `repeats` runs of `fn()` in milliseconds, after one warm-up run (which also
    absorbs compilation for the JIT peers)."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return times


def median_ms(fn, repeats):
    """Median wall time of `fn()` in milliseconds over `repeats` runs, after one warm-up run."""
    return statistics.median(sample_ms(fn, repeats))


def paired_ms(ours, peer, repeats):
    """(ours ms, peer ms, peer / ours) of two callables timed in turns: a warm-up call of each,
    then `repeats` rounds of one call of each (after a settle), so that load from other processes
    falls on both; medians of the times and of the per-round ratios."""
    ours()
    peer()
    rounds = []
    for _ in range(repeats):
        pair = []
        for fn in (ours, peer):
            settle()
            start = time.perf_counter()
            fn()
            pair.append((time.perf_counter() - start) * 1e3)
        rounds.append(pair)
    return (statistics.median(o for o, _ in rounds), statistics.median(p for _, p in rounds),
            statistics.median(p / o for o, p in rounds))


def repeat_and_threads(description, threads=2):
    """The command line of the side-by-side benchmarks: --repeat N (timed calls per cell) and
    --threads T (numfuse's threads)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--threads", type=int, default=threads)
    return parser.parse_args()


@contextlib.contextmanager
def numfuse_threads(count):
    """numfuse runs on `count` threads inside the block; the previous count is restored after."""
    import numfuse as nf
    previous = nf.get_num_threads()
    nf.set_num_threads(count)
    try:
        yield
    finally:
        nf.set_num_threads(previous)
