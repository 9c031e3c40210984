"""Fixed seed budgets of the fuzz targets in tests/fuzz: .npy loading against np.load, and the
lazy graph (random DAGs, writes through every route into the memory, data-dependent errors)
against an eager NumPy replay. A few seconds here; `make fuzz` runs long budgets.

Each chunk of seeds runs crash-isolated (@pytest.mark.isolated): a crash fails the chunk by
name, and the chunk's output names the seed that was running (each is written to stderr first).
Replay one seed with `python tests/fuzz/run.py --target lazy --seed N`.
"""
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "fuzz"))

import lazy_graph  # noqa: E402
import npy_load  # noqa: E402

SEEDS_PER_CHUNK = 40  # the crash report shows the first 80 lines of output: the seed is among them
BUDGETS = {"npy": (npy_load, 30), "lazy": (lazy_graph, 5)}  # (target, chunks)


def run_seeds(target, module, chunk):
    for seed in range(chunk * SEEDS_PER_CHUNK, (chunk + 1) * SEEDS_PER_CHUNK):
        sys.stderr.write(f"fuzz {target} seed {seed}\n")
        sys.stderr.flush()
        module.run_case(seed)


@pytest.mark.isolated(timeout=120)
@pytest.mark.parametrize("target,chunk", [(t, c) for t, (_, n) in BUDGETS.items() for c in range(n)])
def test_fuzz_seed_budget(target, chunk):
    run_seeds(target, BUDGETS[target][0], chunk)
