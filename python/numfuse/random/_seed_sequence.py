"""SeedSequence: NumPy's seeding scheme (entropy words hashed into a pool of 32-bit words, from
which bit generators draw their initial state), so that seeds give NumPy's streams."""
import operator as _operator
import secrets as _secrets

import numpy as _np

from .. import _core
from .._core import ndarray

DEFAULT_POOL_SIZE = 4
_MASK32 = 0xFFFFFFFF


def _int_words(value):
    """A non-negative integer as 32-bit words, least significant first (0 -> [0])."""
    value = int(value)
    if value < 0:
        raise ValueError("expected non-negative integer")
    words = [value & _MASK32]
    value >>= 32
    while value:
        words.append(value & _MASK32)
        value >>= 32
    return words


def _entropy_words(x):
    """NumPy's _coerce_to_uint32_array: ints, decimal/hex/octal strings and (nested) sequences
    of them as one list of 32-bit words."""
    if isinstance(x, (_np.ndarray, ndarray)) and x.dtype == _np.uint32:
        return [int(v) for v in _np.asarray(x).ravel()]
    if isinstance(x, str):
        base = 16 if x.startswith("0x") else 8 if x.startswith("0") else 10
        x = int(x, base=base)
    if isinstance(x, (int, _np.integer)):
        return _int_words(x)
    if isinstance(x, (float, _np.inexact)):
        raise TypeError("seed must be integer")
    if isinstance(x, ndarray):
        x = _np.asarray(x)
    words = []
    for item in x:
        words += _entropy_words(item)
    return words


class SeedSequence:
    """Mixes entropy (an int, a sequence of ints, or None for fresh OS entropy) into a pool
    that generate_state() expands into bit generator seeds."""

    def __init__(self, entropy=None, *, spawn_key=(), pool_size=DEFAULT_POOL_SIZE, n_children_spawned=0):
        if pool_size < DEFAULT_POOL_SIZE:
            raise ValueError(f"The size of the entropy pool should be at least {DEFAULT_POOL_SIZE}")
        if entropy is None:
            entropy = _secrets.randbits(pool_size * 32)
        elif not isinstance(entropy, (int, _np.integer, list, tuple, range, _np.ndarray, ndarray)):
            raise TypeError(f"SeedSequence expects int or sequence of ints for entropy not {entropy}")
        self.entropy = entropy
        self.spawn_key = tuple(spawn_key)
        self.pool_size = pool_size
        self.n_children_spawned = n_children_spawned
        self._pool = _core._seed_sequence_pool(self._assembled_entropy(), pool_size)

    def _assembled_entropy(self):
        run = _entropy_words(self.entropy)
        spawn = _entropy_words(self.spawn_key)
        if spawn and len(run) < self.pool_size:  # keeps spawned children apart from other seeds
            run += [0] * (self.pool_size - len(run))
        return run + spawn

    @property
    def pool(self):
        return _np.array(self._pool, dtype=_np.uint32)

    @property
    def state(self):
        return {"entropy": self.entropy, "spawn_key": self.spawn_key, "pool_size": self.pool_size,
                "n_children_spawned": self.n_children_spawned}

    def generate_state(self, n_words, dtype=_np.uint32):
        """n_words words of seed material, uint32 or uint64 (two uint32 words each, little end
        first), as a NumPy array like NumPy's."""
        dtype = _np.dtype(dtype)
        n_words = _operator.index(n_words)
        if dtype == _np.uint32:
            return _np.array(_core._seed_sequence_generate(self._pool, n_words), dtype=_np.uint32)
        if dtype == _np.uint64:
            words = _np.array(_core._seed_sequence_generate(self._pool, 2 * n_words), dtype="<u4")
            return words.view("<u8").astype(_np.uint64)
        raise ValueError("only support uint32 or uint64")

    def spawn(self, n_children):
        start = self.n_children_spawned
        self.n_children_spawned += n_children
        return [SeedSequence(self.entropy, spawn_key=self.spawn_key + (i,), pool_size=self.pool_size)
                for i in range(start, start + n_children)]

    def __repr__(self):
        return f"SeedSequence(entropy={self.entropy!r})"
