"""nf.random: NumPy's random API with NumPy's streams, computed in C++.

    rng = nf.random.default_rng(42)         # Generator(PCG64(SeedSequence(42)))
    x = rng.normal(0.0, 2.0, size=(1000, 3))  # the values np.random.default_rng(42) gives
    nf.random.seed(0); nf.random.rand(3)      # the values np.random.seed(0); np.random.rand(3) give

Generator (PCG64, ziggurat normals/exponentials, Lemire integers) and the legacy RandomState
(MT19937, polar normals, masked integers) with its module-level functions reproduce NumPy's
values bit for bit; argument checks raise NumPy's exception types.
"""
import numpy as _np

from ._generator import PCG64, Generator, default_rng
from ._legacy import (RandomState, binomial, choice, get_state, normal, permutation, poisson, rand,
                      randint, randn, random, random_integers, random_sample, ranf, sample, seed,
                      set_state, shuffle, standard_normal, uniform)
from ._legacy import module_function as _module_function
from ._seed_sequence import SeedSequence

__all__ = ["default_rng", "Generator", "PCG64", "SeedSequence", "RandomState", "seed",
           "get_state", "set_state", "rand", "randn", "random", "random_sample", "ranf", "sample",
           "randint", "random_integers", "uniform", "normal", "standard_normal", "choice",
           "shuffle", "permutation", "binomial", "poisson"]

# NumPy's other module-level samplers (exponential, gamma, multinomial, ...): the global
# RandomState's, so that nf.random.seed governs them as np.random.seed governs NumPy's.
for _name in _np.random.__all__:
    if _name not in globals() and callable(getattr(_np.random.RandomState, _name, None)):
        globals()[_name] = _module_function(_name)
        __all__.append(_name)
del _name
