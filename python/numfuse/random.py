"""nf.random: NumPy's Generator API over numfuse's C++ generator (xoshiro256++).

    rng = nf.random.default_rng(42)
    x = rng.normal(0.0, 2.0, size=(1000, 3))

The streams differ from NumPy's (NumPy uses PCG64); the distributions and the argument checks
(exception types and messages) are NumPy's. Sampling runs in C++ (core/src/random.cpp); this
module validates arguments and shapes results.
"""
import operator as _operator
import os as _os

import numpy as _np

from . import _core
from ._core import ndarray
from ._creation import asarray as _asarray, empty as _empty

__all__ = ["default_rng", "Generator"]

_WORD_MASK = (1 << 64) - 1
_SEQUENCE_TAG = 0x5EED5EED5EED5EED  # keeps seed 5 and seed [5] apart


def _int_words(value):
    value = _operator.index(value)
    if value < 0:
        raise ValueError("expected non-negative integer")
    words = []
    while True:
        words.append(value & _WORD_MASK)
        value >>= 64
        if not value:
            return words


def _seed_words(seed):
    """The 64-bit words that seed the generator (arbitrary-size ints and int sequences)."""
    if seed is None:
        return list(_np.frombuffer(_os.urandom(32), dtype=_np.uint64).tolist())
    if isinstance(seed, (int, _np.integer)):
        return _int_words(seed)
    if isinstance(seed, (list, tuple, _np.ndarray, ndarray)):
        items = _np.asarray(seed).ravel().tolist() if not isinstance(seed, (list, tuple)) else seed
        words = [_SEQUENCE_TAG, len(items)]
        for item in items:
            if not isinstance(item, (int, _np.integer)):
                break
            item_words = _int_words(item)
            words += [len(item_words)] + item_words
        else:
            return words
    raise TypeError(f"SeedSequence expects int or sequence of ints for entropy not {seed}")


def _shape(size):
    """The output shape for `size`, or None for a scalar result."""
    if size is None:
        return None
    return tuple(_core._shape_tuple(size))


def _param(value):
    """A distribution parameter as a float64 numfuse array (0-d for scalars)."""
    if isinstance(value, ndarray):
        return value if value.dtype == _np.float64 else value.astype(_np.float64)
    return _asarray(_np.asarray(value, dtype=_np.float64))


def _param_shape(size, *params):
    """NumPy's rule: without size, the parameters' broadcast shape; with size, they must
    broadcast to it (raising NumPy's ValueError otherwise)."""
    shapes = [p.shape for p in params]
    if size is None:
        return _np.broadcast_shapes(*shapes)
    shape = _shape(size)
    if _np.broadcast_shapes(shape, *shapes) != shape:  # the call itself raises on a clash
        raise ValueError(f"shape mismatch: parameters of shapes {shapes} cannot be broadcast to "
                         f"size {shape}")
    return shape


def _finish(out, size, params):
    """A Python float for all-scalar calls without size, as NumPy returns; the array otherwise."""
    if size is None and all(p.ndim == 0 for p in params):
        return float(out)
    return out


class Generator:
    """Draws samples; construct it with default_rng(seed)."""

    def __init__(self, seed_words):
        self._bitgen = _core._BitGenerator(seed_words)

    def __repr__(self):
        return "Generator(Xoshiro256PlusPlus)"

    def random(self, size=None, dtype=_np.float64, out=None):
        """Uniform floats on [0, 1) with 53 (float64) or 24 (float32) random bits."""
        dtype = _np.dtype(dtype)
        if dtype not in (_np.dtype(_np.float64), _np.dtype(_np.float32)):
            raise TypeError(f"Unsupported dtype {dtype!r} for random")
        if out is not None:
            if not isinstance(out, ndarray):
                raise TypeError("out must be a numfuse ndarray")
            if out.dtype != dtype:
                raise TypeError(f"Supplied output array has the wrong type. Expected {dtype}, got {out.dtype}")
            if size is not None and _shape(size) != out.shape:
                raise ValueError("size must match out.shape when used together")
            self._bitgen.fill_random(out)
            return out
        shape = _shape(size)
        result = _empty(() if shape is None else shape, dtype=dtype)
        self._bitgen.fill_random(result)
        return float(result) if shape is None else result

    def uniform(self, low=0.0, high=1.0, size=None):
        """Uniform floats on [low, high)."""
        lo, hi = _param(low), _param(high)
        with _np.errstate(over="ignore", invalid="ignore"):  # overflow is reported below
            width = _np.subtract(_np.asarray(hi), _np.asarray(lo))
        if not _np.all(_np.isfinite(width)):
            raise OverflowError("high - low range exceeds valid bounds")
        if _np.any(width < 0):
            raise ValueError("high - low < 0")
        result = _empty(_param_shape(size, lo, hi), dtype=_np.float64)
        self._bitgen.fill_uniform(result, lo, hi)
        return _finish(result, size, (lo, hi))

    def normal(self, loc=0.0, scale=1.0, size=None):
        """Normal (Gaussian) samples with mean `loc` and standard deviation `scale`."""
        mu, sigma = _param(loc), _param(scale)
        s = _np.asarray(sigma)
        # NumPy's rule: a negative sign bit (even -0.0) is an error, NaN is not.
        if _np.any(_np.signbit(s) & ~_np.isnan(s)):
            raise ValueError("scale < 0")
        result = _empty(_param_shape(size, mu, sigma), dtype=_np.float64)
        self._bitgen.fill_normal(result, mu, sigma)
        return _finish(result, size, (mu, sigma))

    def standard_normal(self, size=None):
        return self.normal(0.0, 1.0, size)

    def integers(self, low, high=None, size=None, dtype=_np.int64, endpoint=False):
        """Uniform integers on [low, high) (or [low, high] with endpoint=True), unbiased."""
        dtype = _np.dtype(dtype)
        if dtype.kind not in "iub":
            raise TypeError(f"Unsupported dtype {dtype!r} for integers")
        if _np.ndim(low) or _np.ndim(high):
            raise NotImplementedError("numfuse's integers() takes scalar low and high only")
        if high is None:
            if int(low) <= 0 and not endpoint:
                raise ValueError("high <= 0")
            low, high = 0, low
        low, high = int(low), int(high)
        info = _np.iinfo(dtype) if dtype.kind != "b" else None
        min_value, max_value = (0, 1) if info is None else (int(info.min), int(info.max))
        name = "bool" if info is None else dtype.name
        high_inclusive = high if endpoint else high - 1
        if low < min_value:
            raise ValueError(f"low is out of bounds for {name}")
        if high_inclusive > max_value:
            raise ValueError(f"high is out of bounds for {name}")
        if low > high_inclusive:
            raise ValueError("low > high" if endpoint else "low >= high")
        shape = _shape(size)
        result = _empty(() if shape is None else shape, dtype=dtype)
        self._bitgen.fill_integers(result, low & _WORD_MASK, high_inclusive - low)
        return result[()] if shape is None else result


def default_rng(seed=None):
    """A Generator seeded from `seed` (None: fresh OS entropy; an int or a sequence of ints;
    a Generator: returned as is)."""
    if isinstance(seed, Generator):
        return seed
    return Generator(_seed_words(seed))
