"""Eager reductions, numfuse vs NumPy, at 10^7 float64.

    PYTHONPATH=python:<build>/pyext .venv/bin/python bench/python/bench_reductions.py [--repeat N]

Rows: sum, mean, max, argmax and var over a contiguous 1-D array (axis=None) and over a C-ordered
(1000, 10000) array along axis 0 (outer: rows of states) and axis 1 (inner: one run per output).
Each cell is the median of N timed calls (after one warm-up); ratio = numfuse / NumPy, < 1 means
numfuse is faster. NumPy runs on one thread; numfuse once on 1 thread and once on --threads
(default: nf.get_num_threads()). 2 shared cores: numbers move with other load.
"""
import argparse

import numpy as np

from timing import median_ms

import numfuse as nf

OPS = ["sum", "mean", "max", "argmax", "var"]
N = 10_000_000
SHAPE_2D = (1_000, 10_000)



def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--threads", type=int, default=nf.get_num_threads())
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    flat_np = rng.standard_normal(N)
    grid_np = flat_np.reshape(SHAPE_2D)
    flat_nf, grid_nf = nf.asarray(flat_np).copy(), nf.asarray(grid_np).copy()

    cases = [("1-D axis=None", flat_np, flat_nf, None),
             ("2-D axis=0", grid_np, grid_nf, 0),
             ("2-D axis=1", grid_np, grid_nf, 1)]
    many = f"nf {args.threads}T ms"
    print(f"{'op':<8}{'layout':<16}{'numpy ms':>10}{'nf 1T ms':>10}{'ratio':>7}{many:>12}{'ratio':>7}")
    old_threads = nf.get_num_threads()
    for op in OPS:
        for label, a_np, a_nf, axis in cases:
            np_fn, nf_fn = getattr(np, op), getattr(nf, op)
            t_np = median_ms(lambda: np_fn(a_np, axis=axis), args.repeat)
            nf.set_num_threads(1)
            t_one = median_ms(lambda: nf_fn(a_nf, axis=axis), args.repeat)
            nf.set_num_threads(args.threads)
            t_many = median_ms(lambda: nf_fn(a_nf, axis=axis), args.repeat)
            print(f"{op:<8}{label:<16}{t_np:>10.2f}{t_one:>10.2f}{t_one / t_np:>7.2f}"
                  f"{t_many:>12.2f}{t_many / t_np:>7.2f}")
    nf.set_num_threads(old_threads)


if __name__ == "__main__":
    main()
