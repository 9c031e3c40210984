"""NumPy-surface functions numfuse now runs natively (interp, pad, packbits / unpackbits,
isclose / allclose, stacking, index tricks) vs NumPy, measured side by side in one run.

    PYTHONPATH=python:<build>/pyext .venv/bin/python bench/python/bench_numpy_native.py [--repeat N] [--threads T]

Each cell is the median of N timed calls after one warm-up (numfuse results computed, not left
pending); speedup = NumPy ms / numfuse ms (> 1: numfuse is faster). NumPy runs on one thread,
numfuse on --threads (default 2). 2 shared cores: the numbers move with other load.
"""
import numpy as np

from timing import median_ms, numfuse_threads, repeat_and_threads, settle

import numfuse as nf


def computed(fn):
    """`fn` with its numfuse results evaluated (lazy work counted in the time)."""
    def run():
        result = fn()
        for item in result if isinstance(result, (tuple, list)) else (result,):
            if isinstance(item, nf.ndarray):
                nf._core.eval(item)
        return result
    return run


def workloads(rng):
    """(row, numfuse callable, NumPy callable)."""
    x = rng.random(1_000_000) * 10
    x_sorted = np.sort(x)
    xp = np.sort(rng.random(1000)) * 10
    fp = rng.standard_normal(1000)
    image = rng.random((2000, 2000))
    bits = rng.random(8_000_000) > 0.5
    packed = np.packbits(bits)
    X, XS, XP, FP = (nf.asarray(v).copy() for v in (x, x_sorted, xp, fp))
    IMAGE, BITS, PACKED = (nf.asarray(v).copy() for v in (image, bits, packed))
    yield "interp 1e6 random x, 1e3 points", lambda: nf.interp(X, XP, FP), lambda: np.interp(x, xp, fp)
    yield "interp 1e6 sorted x, 1e3 points", lambda: nf.interp(XS, XP, FP), lambda: np.interp(x_sorted, xp, fp)
    for mode in ("constant", "edge", "reflect", "wrap", "mean", "linear_ramp"):
        yield f"pad 2000x2000 by 8, {mode}", lambda m=mode: nf.pad(IMAGE, 8, m), \
            lambda m=mode: np.pad(image, 8, m)
    yield "packbits 8e6 bool", lambda: nf.packbits(BITS), lambda: np.packbits(bits)
    yield "unpackbits 1e6 uint8", lambda: nf.unpackbits(PACKED), lambda: np.unpackbits(packed)
    yield "isclose 2000x2000", lambda: nf.isclose(IMAGE, IMAGE.T), lambda: np.isclose(image, image.T)
    yield "allclose 2000x2000", lambda: nf.allclose(IMAGE, IMAGE), lambda: np.allclose(image, image)
    yield "vstack 2 x 2000x2000", lambda: nf.vstack([IMAGE, IMAGE]), lambda: np.vstack([image, image])
    yield "indices (1000, 1000)", lambda: nf.indices((1000, 1000)), lambda: np.indices((1000, 1000))
    yield "unravel_index 1e6", lambda: nf.unravel_index(X.astype(np.int64), (100, 100, 10)), \
        lambda: np.unravel_index(x.astype(np.int64), (100, 100, 10))


def main():
    args = repeat_and_threads(__doc__.splitlines()[0])
    print(f"{'workload':<36}{'numfuse ms':>11}{'numpy ms':>10}{'speedup':>9}")
    with numfuse_threads(args.threads):
        for row, ours, peer in workloads(np.random.default_rng(0)):
            settle()
            t_ours = median_ms(computed(ours), args.repeat)
            settle()
            t_peer = median_ms(peer, args.repeat)
            print(f"{row:<36}{t_ours:>11.2f}{t_peer:>10.2f}{t_peer / t_ours:>8.2f}x")


if __name__ == "__main__":
    main()
