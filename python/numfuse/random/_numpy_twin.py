"""The samplers numfuse does not implement, run by NumPy on a twin of the generator: the twin
gets the generator's exact state, draws, and hands its state back, so the values are NumPy's and
the numfuse generator's stream stays in step (nf.random.seed also governs
nf.random.exponential, say). Generator and RandomState reach these through __getattr__."""
import numpy as _np

from .._creation import asarray as _asarray


def _to_numfuse(value):
    if isinstance(value, _np.ndarray):
        try:
            return _asarray(value)
        except TypeError:  # a dtype numfuse lacks: NumPy's array as is
            return value
    return value


class NumpyTwinMixin:
    """Methods numfuse lacks come from NumPy's twin generator: subclasses say how to make the
    twin (_make_twin) and how to copy their state into it (_load_twin) and back (_store_twin)."""

    def __getattr__(self, name):
        return self._numpy_twin(name)

    def _numpy_twin(self, name):
        return twin_method(self, name, self._make_twin(), self._load_twin, self._store_twin)


def twin_method(owner, name, twin, load, store):
    """owner.<name> run by NumPy's `twin` (a fresh NumPy generator of the same kind): load(twin)
    copies owner's state into it, store(twin) copies it back. AttributeError when NumPy's
    generator has no public method `name` either."""
    if name.startswith("_") or not callable(getattr(type(twin), name, None)):
        raise AttributeError(f"{type(owner).__name__!r} object has no attribute {name!r}")

    def delegate(*args, **kwargs):
        load(twin)
        try:
            return _to_numfuse(getattr(twin, name)(*args, **kwargs))
        finally:
            store(twin)

    delegate.__name__ = name
    delegate.__doc__ = f"NumPy's {type(twin).__name__}.{name}, drawn from this generator's stream."
    return delegate
