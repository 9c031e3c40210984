"""Dense linear algebra, numfuse vs NumPy, side by side.

    PYTHONPATH=python:<build>/pyext .venv/bin/python bench/python/bench_linalg.py [--repeat N] [--rounds R] [--threads T] [--only TEXT]

Rows: matmul at n = 64, 200, 256, 1000, 2000 (float64 and float32), solve at n = 500 and 1000,
inv / svd / eigh / det at n = 500, batched small products (every side from 2 to 64),
`a.T @ b` at n = 1000 (a transposed operand, which numfuse hands to BLAS without a copy) and the
matmul epilogue `maximum(a @ b + bias, 0)` at n = 1000 and on tall products (100000x256 @ 256x256,
200000x64 @ 64x256: the latter made in panels). numfuse results are forced (large products are lazy). Each cell is the median
of R x N timed calls; ratio = numfuse / NumPy (< 1: numfuse faster).

Both libraries call OpenBLAS (NumPy its bundled copy, numfuse Debian's): each has its own thread
pool. --threads T sets OPENBLAS_NUM_THREADS before either loads, so both pools get T threads
(default: OpenBLAS's own default, one per core; numfuse's pool is set through
nf.linalg.set_blas_threads). The machine's cores may be shared: numbers move
with other load, so compare ratios from one run.

The two pools disturb each other: an idle OpenBLAS thread spins for a while before it sleeps, so
a numfuse call made right after a NumPy call competes with NumPy's spinning threads (and the other
way round); a 200x200 matmul went from 0.3 ms to 2 ms that way. Each row therefore times all of
NumPy's repeats as one block, then all of numfuse's, with a pause before each block long enough
for the other pool's threads to go to sleep. Never interleave the two libraries' calls here.
The blocks alternate R rounds (NumPy, numfuse, NumPy, ...): load from other processes that comes
and goes during a row then falls on both libraries instead of on whichever block it hit.
"""
import argparse
import os
import sys
import time

import statistics

from timing import sample_ms

# Long enough for OpenBLAS's spinning idle threads to sleep (their spin lasts well under this).
POOL_SETTLE_SECONDS = 0.2


def cases(np, nf):
    rng = np.random.default_rng(0)

    def matrix(*shape, dtype=np.float64):
        return rng.standard_normal(shape).astype(dtype)

    def spd(n):
        x = matrix(n, n)
        return x @ x.T + n * np.eye(n)

    rows = []
    for dtype in (np.float64, np.float32):
        for n in (64, 200, 256, 1000, 2000):
            a, b = matrix(n, n, dtype=dtype), matrix(n, n, dtype=dtype)
            fa, fb = nf.asarray(a).copy(), nf.asarray(b).copy()
            rows.append((f"matmul {np.dtype(dtype).name} n={n}", lambda a=a, b=b: a @ b,
                         lambda fa=fa, fb=fb: fa @ fb))
    a, b = matrix(1000, 1000), matrix(1000, 1000)
    fa, fb = nf.asarray(a).copy(), nf.asarray(b).copy()
    rows.append(("a.T @ b float64 n=1000", lambda a=a, b=b: a.T @ b, lambda fa=fa, fb=fb: fa.T @ fb))
    # one row per small size (2x2 .. 64x64 float64), each batch about 2^21 multiply-adds
    for n in (2, 3, 4, 5, 6, 8, 12, 16, 24, 32, 48, 64):
        count = max(8, min(20000, (1 << 21) // n**3))
        a, b = matrix(count, n, n), matrix(count, n, n)
        fa, fb = nf.asarray(a).copy(), nf.asarray(b).copy()
        rows.append((f"batched matmul {count}x({n}x{n})", lambda a=a, b=b: a @ b,
                     lambda fa=fa, fb=fb: fa @ fb))
    n = 1000
    a, b, bias = matrix(n, n), matrix(n, n), matrix(n)
    fa, fb, fbias = nf.asarray(a).copy(), nf.asarray(b).copy(), nf.asarray(bias).copy()
    rows.append(("maximum(a @ b + bias, 0) n=1000",
                 lambda a=a, b=b, bias=bias: np.maximum(a @ b + bias, 0),
                 lambda fa=fa, fb=fb, fbias=fbias: nf.maximum(fa @ fb + fbias, 0).eval()))
    # A tall product (a batch of feature rows times a weight matrix): its epilogue runs over
    # LLC-sized panels of rows right after each panel is made (jit::produced).
    for m, k in ((100_000, 256), (200_000, 64)):
        a, b, bias = matrix(m, k), matrix(k, 256), matrix(256)
        fa, fb, fbias = nf.asarray(a).copy(), nf.asarray(b).copy(), nf.asarray(bias).copy()
        rows.append((f"maximum(a @ b + bias, 0) {m}x{k}x256",
                     lambda a=a, b=b, bias=bias: np.maximum(a @ b + bias, 0),
                     lambda fa=fa, fb=fb, fbias=fbias: nf.maximum(fa @ fb + fbias, 0)))
    a, rhs = matrix(n, n) + n * np.eye(n), matrix(n, n)
    fa, frhs = nf.asarray(a).copy(), nf.asarray(rhs).copy()
    rows.append(("solve n=1000 (1000 rhs)", lambda a=a, rhs=rhs: np.linalg.solve(a, rhs),
                 lambda fa=fa, frhs=frhs: nf.linalg.solve(fa, frhs)))
    n = 500
    a, rhs, s = matrix(n, n) + n * np.eye(n), matrix(n, n), spd(n)
    fa, frhs, fs = nf.asarray(a).copy(), nf.asarray(rhs).copy(), nf.asarray(s).copy()
    a_scaled = a / n
    fa_scaled = nf.asarray(a_scaled).copy()
    rows += [
        ("solve n=500 (500 rhs)", lambda: np.linalg.solve(a, rhs), lambda: nf.linalg.solve(fa, frhs)),
        ("inv n=500", lambda: np.linalg.inv(a), lambda: nf.linalg.inv(fa)),
        ("svd n=500", lambda: np.linalg.svd(a), lambda: nf.linalg.svd(fa)),
        ("eigh n=500", lambda: np.linalg.eigh(s), lambda: nf.linalg.eigh(fs)),
        # det of a / n: a's own determinant (~n**n) overflows float64.
        ("det n=500", lambda: np.linalg.det(a_scaled), lambda: nf.linalg.det(fa_scaled)),
    ]
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternating NumPy/numfuse blocks per row (N timed calls each)")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--only", default=None, help="run the rows whose name contains this text")
    args = parser.parse_args()
    if args.threads:
        os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
    import numpy as np
    import numfuse as nf
    if args.threads:
        # numfuse sets its OpenBLAS pool's size itself at import; the environment alone is not enough.
        nf.linalg.set_blas_threads(args.threads)

    print(f"NumPy {np.__version__}; numfuse OpenBLAS threads: {nf.linalg.get_blas_threads()}")
    print(f"{'case':34s} {'NumPy ms':>10s} {'numfuse ms':>11s} {'ratio':>7s}")
    for name, numpy_fn, numfuse_fn in cases(np, nf):
        if args.only and args.only not in name:
            continue
        np_times, nf_times = [], []
        # Large products are lazy: time them computed, as a user reading the result sees them.
        forced = lambda fn=numfuse_fn: nf.eval(fn())  # noqa: E731
        for _ in range(args.rounds):
            time.sleep(POOL_SETTLE_SECONDS)
            np_times += sample_ms(numpy_fn, args.repeat)
            time.sleep(POOL_SETTLE_SECONDS)
            nf_times += sample_ms(forced, args.repeat)
        t_np, t_nf = statistics.median(np_times), statistics.median(nf_times)
        print(f"{name:34s} {t_np:10.3f} {t_nf:11.3f} {t_nf / t_np:7.2f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
