"""RandomState: NumPy's legacy API over MT19937 with NumPy's seeding, polar-method normals and
masked bounded integers, so that np.random.seed(s) and nf.random.seed(s) give the same values.
The module-level functions (nf.random.rand, randn, randint, ...) use one global RandomState,
as NumPy's do."""
import operator as _operator
import os as _os

import numpy as _np

from .. import _core
from .._core import ndarray
from .._creation import asarray as _asarray
from . import _common
from ._generator import integers_call
from ._numpy_twin import NumpyTwinMixin

_UINT32_MAX = 2**32 - 1


class RandomState(NumpyTwinMixin):
    """NumPy's legacy generator (MT19937); RandomState(seed) matches np.random.RandomState(seed)."""

    def __init__(self, seed=None):
        self._gen = _core._Mt19937(0)
        self.seed(seed)

    def __repr__(self):
        return "RandomState(MT19937)"

    # The samplers numfuse lacks: NumPy's, on this stream (NumpyTwinMixin).
    @staticmethod
    def _make_twin():
        return _np.random.RandomState()

    def _load_twin(self, twin):
        twin.set_state(self.get_state())

    def _store_twin(self, twin):
        self.set_state(twin.get_state())

    def seed(self, seed=None):
        """NumPy's legacy seeding: an int in [0, 2^32) through init_genrand, a 1-d array of such
        ints through init_by_array, None from OS entropy."""
        if seed is None:
            self._gen.seed_array(_np.frombuffer(_os.urandom(4 * 624), dtype=_np.uint32).tolist())
            return
        if isinstance(seed, ndarray):
            seed = _np.asarray(seed)
        try:
            if hasattr(seed, "squeeze"):
                seed = seed.squeeze()
            idx = _operator.index(seed)
            if idx > _UINT32_MAX or idx < 0:
                raise ValueError("Seed must be between 0 and 2**32 - 1")
            self._gen.seed_int(idx)
        except TypeError:
            obj = _np.asarray(seed)
            if obj.size == 0:
                raise ValueError("Seed must be non-empty")
            obj = obj.astype(_np.int64, casting="safe")
            if obj.ndim != 1:
                raise ValueError("Seed array must be 1-d")
            if ((obj > _UINT32_MAX) | (obj < 0)).any():
                raise ValueError("Seed must be between 0 and 2**32 - 1")
            self._gen.seed_array(obj.astype(_np.uint32).tolist())

    def get_state(self, legacy=True):
        words = self._gen.state()
        key = _np.array(words[:624], dtype=_np.uint32)
        pos, has_gauss = int(words[624]), int(words[625])
        gauss = float(_np.array([words[626]], dtype=_np.uint64).view(_np.float64)[0])
        if legacy:
            return ("MT19937", key, pos, has_gauss, gauss)
        return {"bit_generator": "MT19937", "state": {"key": key, "pos": pos},
                "has_gauss": has_gauss, "gauss": gauss}

    def set_state(self, state):
        if isinstance(state, dict):
            state = ("MT19937", state["state"]["key"], state["state"]["pos"], state.get("has_gauss", 0),
                     state.get("gauss", 0.0))
        if len(state) not in (3, 5) or state[0] != "MT19937":
            raise ValueError("state must be for a MT19937 RNG")
        key = _np.asarray(state[1], dtype=_np.uint32)
        if key.shape != (624,):
            raise ValueError("state must be 624 elements")
        has_gauss, gauss = (state[3], state[4]) if len(state) == 5 else (0, 0.0)
        gauss_bits = int(_np.array([gauss], dtype=_np.float64).view(_np.uint64)[0])
        self._gen.set_state(key.tolist() + [int(state[2]), int(has_gauss), gauss_bits])

    # ---- floats ------------------------------------------------------------------------------

    def random_sample(self, size=None):
        """Uniform floats on [0, 1): (a * 2^26 + b) / 2^53 from two 32-bit words."""
        return _common.fill_output(self._gen.fill_random, size, _np.dtype(_np.float64), None)

    random = random_sample
    ranf = random_sample
    sample = random_sample

    def rand(self, *args):
        return self.random_sample(args if args else None)

    def randn(self, *args):
        return self.standard_normal(args if args else None)

    def standard_normal(self, size=None):
        return self.normal(0.0, 1.0, size)

    def normal(self, loc=0.0, scale=1.0, size=None):
        """loc + scale * (Marsaglia's polar method, the second value of each pair cached)."""
        mu, sigma = _common.param(loc), _common.param(scale)
        _common.check_non_negative(sigma, "scale")
        return _common.sample_with_params(self._gen.fill_legacy_normal, size, mu, sigma)

    def uniform(self, low=0.0, high=1.0, size=None):
        """low + (high - low) * random_sample(); high < low is allowed, as in NumPy."""
        lo, hi = _common.param(low), _common.param(high)
        with _np.errstate(over="ignore", invalid="ignore"):
            width = _np.subtract(_np.asarray(hi), _np.asarray(lo))
        if not _np.all(_np.isfinite(width)):
            raise OverflowError("Range exceeds valid bounds")
        return _common.sample_with_params(self._gen.fill_uniform, size, lo, _common.param(width))

    def binomial(self, n, p, size=None):
        """NumPy's legacy binomial: the same inversion/BTPE as Generator's, on MT19937."""
        return _common.binomial(self._gen.fill_binomial, n, p, size)

    def poisson(self, lam=1.0, size=None):
        return _common.poisson(self._gen.fill_poisson, lam, size)

    # ---- integers and sequences --------------------------------------------------------------

    def randint(self, low, high=None, size=None, dtype=int):
        """Uniform integers on [low, high) by bitmask rejection (NumPy's legacy method)."""
        result = integers_call(self, "randint", low, high, size, dtype, False, masked=True)
        if size is None and dtype in (bool, int) and _np.ndim(result) == 0:  # NumPy: a Python scalar
            return dtype(result)
        return result

    def random_integers(self, low, high=None, size=None):
        if high is None:
            low, high = 1, low
        return self.randint(low, int(high) + 1, size=size)

    def shuffle(self, x):
        """Shuffles x in place along its first axis (Fisher-Yates, NumPy's swaps)."""
        x = _common.shuffle_target(x, lambda order: self._gen.shuffle_rows(order, 1))
        if x is None:
            return
        if x.ndim == 0:
            raise TypeError("len() of unsized object")
        self._gen.shuffle_rows(x, 1)

    def permutation(self, x):
        if isinstance(x, (int, _np.integer)):
            arr = _asarray(_np.arange(x))
            self.shuffle(arr)
            return arr
        arr = _asarray(_np.asarray(x) if not isinstance(x, ndarray) else x).copy()
        if arr.ndim < 1:
            raise IndexError("x must be an integer or at least 1-dimensional")
        self.shuffle(arr)
        return arr

    def choice(self, a, size=None, replace=True, p=None):
        """NumPy's legacy choice: randint or p's CDF with replacement; a permutation's head, or
        repeated CDF draws with p, without."""
        return _legacy_choice(self, a, size, replace, p)


def _legacy_choice(rs, a, size, replace, p):
    a = _np.asarray(_np.asarray(a) if isinstance(a, ndarray) else a)
    if a.ndim == 0:
        try:
            pop_size = _operator.index(a.item())
        except TypeError:
            raise ValueError("a must be 1-dimensional or an integer")
        if pop_size <= 0 and _np.prod(size) != 0:
            raise ValueError("a must be greater than 0 unless no samples are taken")
    elif a.ndim != 1:
        raise ValueError("a must be 1-dimensional")
    else:
        pop_size = a.shape[0]
        if pop_size == 0 and _np.prod(size) != 0:
            raise ValueError("'a' cannot be empty unless no samples are taken")
    if p is not None:
        p = _common.choice_probabilities(p, pop_size)
    idx, is_scalar = _common.choice_indices(
        size, pop_size, p, replace, rs.random_sample, lambda shape: rs.randint(0, pop_size, size=shape),
        lambda count: _np.asarray(rs.permutation(pop_size))[:count])
    if a.ndim == 0:
        return idx if is_scalar else _asarray(idx)
    if not is_scalar and idx.ndim == 0:
        res = _np.empty((), dtype=a.dtype)
        res[()] = a[idx]
        return _asarray(res)
    result = a[idx]
    return result if is_scalar else _asarray(result)


_rand = RandomState()
seed = _rand.seed
get_state = _rand.get_state
set_state = _rand.set_state
random_sample = _rand.random_sample
random = _rand.random
ranf = _rand.ranf
sample = _rand.sample
rand = _rand.rand
randn = _rand.randn
standard_normal = _rand.standard_normal
normal = _rand.normal
uniform = _rand.uniform
randint = _rand.randint
random_integers = _rand.random_integers
choice = _rand.choice
shuffle = _rand.shuffle
permutation = _rand.permutation
binomial = _rand.binomial
poisson = _rand.poisson


def module_function(name):
    """NumPy's module-level np.random.<name> as numfuse's: the global RandomState's method
    (NumPy-run on a twin where numfuse has no sampler of its own)."""
    return getattr(_rand, name)
