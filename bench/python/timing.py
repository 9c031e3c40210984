"""Timing shared by the Python benchmarks: medians, because these machines are noisy."""
import statistics
import time


def median_ms(fn, repeats):
    """Median wall time of `fn()` in milliseconds over `repeats` runs, after one warm-up run
    (which also absorbs compilation for the JIT peers)."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3
