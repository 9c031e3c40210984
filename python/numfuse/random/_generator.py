"""PCG64 and Generator: NumPy's modern API with NumPy's streams (same seed, same values)."""
import operator as _operator

import numpy as _np

from .. import _core
from .._core import ndarray
from .._creation import asarray as _asarray, empty as _empty
from .._manipulation import moveaxis as _moveaxis
from . import _common
from ._numpy_twin import NumpyTwinMixin
from ._seed_sequence import SeedSequence

_WORD_MASK = (1 << 64) - 1


class PCG64:
    """NumPy's default bit generator: a 128-bit LCG with XSL-RR output, seeded by SeedSequence."""

    def __init__(self, seed=None):
        seed_seq = seed if isinstance(seed, SeedSequence) else SeedSequence(seed)
        self.seed_seq = seed_seq
        words = [int(w) for w in seed_seq.generate_state(4, _np.uint64)]
        self._gen = _core._Pcg64(words)

    def random_raw(self, size=None):
        """The generator's raw 64-bit words (NumPy's PCG64.random_raw)."""
        if size is None:
            return int(self._gen.next_uint64())
        shape = _common.shape_of(size)
        words = [self._gen.next_uint64() for _ in range(int(_np.prod(shape)))]
        return _asarray(_np.array(words, dtype=_np.uint64).reshape(shape))

    def advance(self, delta):
        """Jumps the stream `delta` words ahead (as if that many random_raw() draws were made)."""
        delta = _operator.index(delta) & ((1 << 128) - 1)
        self._gen.advance(delta >> 64, delta & _WORD_MASK)
        return self

    @property
    def state(self):
        s = self._gen.state()
        return {"bit_generator": "PCG64",
                "state": {"state": (s[0] << 64) | s[1], "inc": (s[2] << 64) | s[3]},
                "has_uint32": int(s[4]), "uinteger": int(s[5])}

    @state.setter
    def state(self, value):
        if not isinstance(value, dict) or value.get("bit_generator") != "PCG64":
            raise ValueError("state must be for a PCG64 RNG")
        state, inc = int(value["state"]["state"]), int(value["state"]["inc"])
        self._gen.set_state([state >> 64, state & _WORD_MASK, inc >> 64, inc & _WORD_MASK,
                             int(value["has_uint32"]), int(value["uinteger"])])

    def __repr__(self):
        return "PCG64"


def _bounds_message(closed, low):
    """NumPy's format_bounds_error: the low == 0 case reads as a bad single argument."""
    if not low:
        return "high < 0" if closed else "high <= 0"
    return "low > high" if closed else "low >= high"


def _integer_bounds(low, high, dtype, endpoint):
    """(low, range) for integers(): Python ints, checked against the dtype as NumPy does."""
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
        raise ValueError(_bounds_message(endpoint, low))
    return low, high_inclusive - low


def integers_call(owner, method, low, high, size, dtype, endpoint, masked):
    """Generator.integers / RandomState.randint: NumPy's checks; scalar bounds in C++,
    per-element bounds by NumPy's loop on the owner's twin."""
    np_dtype = _np.dtype(dtype)
    if np_dtype.kind not in "iub":
        raise TypeError(f"Unsupported dtype {np_dtype!r} for {method}")
    if high is None:
        low, high = 0, low
    if _np.ndim(low) or _np.ndim(high):
        extra = (endpoint,) if method == "integers" else ()
        return owner._numpy_twin(method)(low, high, size, dtype, *extra)
    return bounded_integers(owner._gen, low, high, size, np_dtype, endpoint, masked)


def bounded_integers(gen, low, high, size, dtype, endpoint, masked):
    """integers()/randint() for scalar bounds: NumPy's checks, then the C++ fill."""
    shape = _common.shape_of(size)
    if shape is not None and 0 in shape:  # NumPy returns before checking the bounds
        return _empty(shape, dtype=dtype)
    low, rng = _integer_bounds(low, high, dtype, endpoint)
    result = _empty(() if shape is None else shape, dtype=dtype)
    gen.fill_integers(result, low & _WORD_MASK, rng, masked)
    return result[()] if shape is None else result


def _as_numpy(x):
    return _np.asarray(x) if isinstance(x, ndarray) else x


class Generator(NumpyTwinMixin):
    """NumPy's Generator over a PCG64 bit generator; construct it with default_rng(seed)."""

    def __init__(self, bit_generator):
        if not isinstance(bit_generator, PCG64):
            raise TypeError("numfuse's Generator takes a numfuse.random.PCG64 bit generator")
        self._bit_generator = bit_generator
        self._gen = bit_generator._gen

    @property
    def bit_generator(self):
        return self._bit_generator

    def __repr__(self):
        return "Generator(PCG64)"

    # The samplers numfuse lacks: NumPy's, on this stream (NumpyTwinMixin).
    @staticmethod
    def _make_twin():
        return _np.random.Generator(_np.random.PCG64())

    def _load_twin(self, twin):
        twin.bit_generator.state = self._bit_generator.state

    def _store_twin(self, twin):
        self._bit_generator.state = twin.bit_generator.state

    # ---- uniform, normal, exponential ----------------------------------------------------------

    def random(self, size=None, dtype=_np.float64, out=None):
        """Uniform floats on [0, 1): (next64 >> 11) * 2^-53, or (next32 >> 8) * 2^-24 for float32."""
        dtype = _common.real_dtype(dtype, "random")
        return _common.fill_output(self._gen.fill_random, size, dtype, out)

    def standard_normal(self, size=None, dtype=_np.float64, out=None):
        dtype = _common.real_dtype(dtype, "standard_normal")
        return _common.fill_output(self._gen.fill_standard_normal, size, dtype, out)

    def standard_exponential(self, size=None, dtype=_np.float64, method="zig", out=None):
        dtype = _common.real_dtype(dtype, "standard_exponential")
        if method != "zig":  # 'inv' (and NumPy's error for unknown methods)
            return self._numpy_twin("standard_exponential")(size, dtype, method, out)
        return _common.fill_output(self._gen.fill_standard_exponential, size, dtype, out)

    def normal(self, loc=0.0, scale=1.0, size=None):
        """loc + scale * standard_normal (ziggurat), in float64."""
        mu, sigma = _common.param(loc), _common.param(scale)
        _common.check_non_negative(sigma, "scale")
        return _common.sample_with_params(self._gen.fill_normal, size, mu, sigma)

    def exponential(self, scale=1.0, size=None):
        s = _common.param(scale)
        _common.check_non_negative(s, "scale")
        return _common.sample_with_params(self._gen.fill_exponential, size, s)

    def uniform(self, low=0.0, high=1.0, size=None):
        """low + (high - low) * random(), in float64."""
        lo, hi = _common.param(low), _common.param(high)
        if lo.ndim == 0 and hi.ndim == 0:
            width = float(hi) - float(lo)
            if not _np.isfinite(width):
                raise OverflowError("high - low range exceeds valid bounds")
            rng = _common.param(width)
        else:
            with _np.errstate(over="ignore", invalid="ignore"):
                width = _np.subtract(_np.asarray(hi), _np.asarray(lo))
            if not _np.all(_np.isfinite(width)):
                raise OverflowError("Range exceeds valid bounds")
            rng = _common.param(width)
        _common.check_non_negative(rng, "high - low")
        return _common.sample_with_params(self._gen.fill_uniform, size, lo, rng)

    def standard_gamma(self, shape, size=None, dtype=_np.float64, out=None):
        """Marsaglia & Tsang's gamma (shape >= 1) or its rejection form for shape < 1."""
        if _common.real_dtype(dtype, "standard_gamma") != _np.float64 or out is not None:
            return self._numpy_twin("standard_gamma")(shape, size, dtype, out)
        k = _common.param(shape)
        _common.check_non_negative(k, "shape")
        return _common.sample_with_params(self._gen.fill_gamma, size, k, _common.param(1.0))

    def gamma(self, shape, scale=1.0, size=None):
        k, theta = _common.param(shape), _common.param(scale)
        _common.check_non_negative(k, "shape")
        _common.check_non_negative(theta, "scale")
        return _common.sample_with_params(self._gen.fill_gamma, size, k, theta)

    def beta(self, a, b, size=None):
        """Johnk's algorithm when a, b <= 1, else G(a) / (G(a) + G(b))."""
        pa, pb = _common.param(a), _common.param(b)
        _common.check_positive(pa, "a")
        _common.check_positive(pb, "b")
        return _common.sample_with_params(self._gen.fill_beta, size, pa, pb)

    def poisson(self, lam=1.0, size=None):
        """Multiplication of uniforms for lam < 10, Hoermann's PTRS above."""
        return _common.poisson(self._gen.fill_poisson, lam, size)

    def binomial(self, n, p, size=None):
        """Inversion when min(p, 1-p) * n <= 30, else Kachitvichyanukul & Schmeiser's BTPE."""
        return _common.binomial(self._gen.fill_binomial, n, p, size)

    # ---- integers and sequences ----------------------------------------------------------------

    def integers(self, low, high=None, size=None, dtype=_np.int64, endpoint=False):
        """Uniform integers on [low, high) (or [low, high] with endpoint=True): Lemire's method,
        on buffered 32-bit words for ranges and dtypes that fit, as NumPy draws them."""
        return integers_call(self, "integers", low, high, size, dtype, endpoint, masked=False)

    def shuffle(self, x, axis=0):
        """Shuffles x in place along `axis` (Fisher-Yates, NumPy's order of swaps)."""
        x = _common.shuffle_target(x, lambda order: self._gen.shuffle_rows(order, 1))
        if x is None:
            return
        if x.ndim == 0:
            raise TypeError("shuffle requires an array of at least one dimension")
        axis = _np_normalize_axis(axis, x.ndim)
        self._gen.shuffle_rows(_moveaxis(x, axis, 0) if axis else x, 1)

    def permutation(self, x, axis=0):
        """A shuffled copy of x (or of arange(x) for an integer)."""
        if isinstance(x, (int, _np.integer)):
            arr = _asarray(_np.arange(x))
            self.shuffle(arr)
            return arr
        arr = _asarray(_as_numpy(x)).copy()
        if arr.ndim < 1:
            raise _np.exceptions.AxisError("x must be an integer or at least 1-dimensional")
        self.shuffle(arr, axis)
        return arr

    def permuted(self, x, axis=None, out=None):
        """Each slice along `axis` shuffled independently (all elements when axis is None)."""
        arr = _np.asarray(_as_numpy(x))
        result = _asarray(_np.array(arr, copy=True)) if out is None else out
        if out is not None:
            if not isinstance(out, ndarray):
                raise TypeError("out must be a numpy array")
            if out.shape != arr.shape:
                raise ValueError("out must have the same shape as x")
            _np.copyto(_np.asarray(out), arr, casting="safe")
        if axis is None:
            flat = result.reshape(-1) if result.flags.c_contiguous else None
            if flat is None:
                raise NotImplementedError("numfuse's permuted(axis=None) needs a contiguous out")
            self._gen.shuffle_rows(flat, 1)
            return result
        axis = _np_normalize_axis(axis, result.ndim)
        # NumPy shuffles each 1-d lane along `axis`, lanes in C order of the other axes.
        lanes = _moveaxis(result, axis, -1)
        for lane in _np.ndindex(lanes.shape[:-1]):
            self._gen.shuffle_rows(lanes[lane], 0)
        return result

    def choice(self, a, size=None, replace=True, p=None, axis=0, shuffle=True):
        """NumPy's Generator.choice: integers() or p's CDF for sampling with replacement; the tail
        shuffle or Floyd's algorithm without."""
        return _choice(self, a, size, replace, p, axis, shuffle)


def _np_normalize_axis(axis, ndim):
    axis = _operator.index(axis)
    if not -ndim <= axis < ndim:
        raise _np.exceptions.AxisError(axis, ndim)
    return axis % ndim


def _choice(rng, a, size, replace, p, axis, shuffle):
    a_original = a
    a = _np.asarray(_as_numpy(a))
    if a.ndim == 0:
        try:
            pop_size = _operator.index(a.item())
        except TypeError as exc:
            raise ValueError(f"a must be a sequence or an integer, not {type(a_original)}") from exc
        if pop_size <= 0 and _np.prod(size) != 0:
            raise ValueError("a must be a positive integer unless no samples are taken")
    else:
        axis = _np_normalize_axis(axis, a.ndim)
        pop_size = a.shape[axis]
        if pop_size == 0 and _np.prod(size) != 0:
            raise ValueError("a cannot be empty unless no samples are taken")
    if p is not None:
        p = _common.choice_probabilities(p, pop_size)
    idx, is_scalar = _common.choice_indices(
        size, pop_size, p, replace, rng.random,
        lambda shape: rng.integers(0, pop_size, size=shape, dtype=_np.int64),
        lambda count: rng._gen.choice_without_replacement(pop_size, count, shuffle))
    if a.ndim == 0:
        return idx if is_scalar else _asarray(idx)
    if not is_scalar and idx.ndim == 0 and a.ndim == 1:
        res = _np.empty((), dtype=a.dtype)
        res[()] = a[idx]
        return _asarray(res)
    result = a.take(_np.asarray(idx, dtype=_np.intp), axis=axis)
    return result if is_scalar and result.ndim == 0 else _asarray(result)


def default_rng(seed=None):
    """Generator(PCG64(seed)): seed is None (fresh OS entropy), an int, a sequence of ints, a
    SeedSequence, a PCG64, or a Generator (returned as is)."""
    if isinstance(seed, Generator):
        return seed
    if isinstance(seed, PCG64):
        return Generator(seed)
    return Generator(PCG64(seed))
