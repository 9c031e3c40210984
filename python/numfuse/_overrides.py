"""Deferring to foreign array types, as NumPy does (NEP 13 for ufuncs, NEP 18 for functions).

`nf.sin(dask_array)` must give what `np.sin(dask_array)` gives — a lazy Dask array — not a
numfuse array computed from it. An operand "overrides" when its type has an `__array_ufunc__`
(or `__array_function__`) that is neither numfuse's nor NumPy's ndarray's. The call then goes to
those operands, subclasses before their bases, with NumPy's function or ufunc of the same name
(third-party types know NumPy's objects; on numfuse chunks NumPy's calls come back to numfuse's
own implementation through ndarray.__array_ufunc__ / __array_function__).
"""
import numpy as _np

from ._core import ndarray

_NUMPY_UFUNC = _np.ndarray.__array_ufunc__
_NUMPY_FUNCTION = _np.ndarray.__array_function__
_MISSING = object()


def _overriding(objects, protocol, numpy_own):
    """One object of each distinct type among `objects` that overrides `protocol`, subclasses
    before their bases, otherwise in order of appearance."""
    found = []
    for obj in objects:
        kind = type(obj)
        impl = getattr(kind, protocol, _MISSING)
        if impl is _MISSING or impl is numpy_own or isinstance(obj, ndarray) \
                or any(kind is type(seen) for seen in found):
            continue
        at = next((i for i, seen in enumerate(found) if issubclass(kind, type(seen))), len(found))
        found.insert(at, obj)
    return found


def overrides_ufuncs(*objects):
    return bool(_overriding(objects, "__array_ufunc__", _NUMPY_UFUNC))


def defer_ufunc(np_ufunc, method, inputs, kwargs):
    """`np_ufunc.<method>(*inputs, **kwargs)` answered by the operands that override ufuncs, as
    NumPy's dispatch does: the first answer other than NotImplemented wins."""
    out = kwargs.pop("out", None)  # NumPy hands out= on as a tuple, and not at all when None
    out = () if out is None else out if isinstance(out, tuple) else (out,)
    if out:
        kwargs["out"] = out
    overriders = _overriding(tuple(inputs) + out, "__array_ufunc__", _NUMPY_UFUNC)
    for obj in overriders:
        impl = type(obj).__array_ufunc__
        if impl is None:
            raise TypeError(f"operand '{type(obj).__name__}' does not support ufuncs (__array_ufunc__=None)")
        result = impl(obj, np_ufunc, method, *inputs, **kwargs)
        if result is not NotImplemented:
            return result
    names = ", ".join(repr(type(x).__name__) for x in overriders)
    raise TypeError(f"operand type(s) all returned NotImplemented from __array_ufunc__"
                    f"({np_ufunc!r}, {method!r}, ...): {names}")


def function_overrider(*objects):
    """True when an argument's type overrides NumPy functions (a foreign __array_function__)."""
    return bool(_overriding(objects, "__array_function__", _NUMPY_FUNCTION))


def _deferring(np_func, impl):
    """impl, except that a first argument overriding NumPy functions gets NumPy's function
    (which dispatches to that argument's __array_function__)."""

    def call(a, *args, **kwargs):
        if type(a) is not ndarray and function_overrider(a):
            return np_func(a, *args, **kwargs)
        return impl(a, *args, **kwargs)

    call.__name__, call.__qualname__, call.__doc__ = impl.__name__, impl.__qualname__, impl.__doc__
    call.__module__, call.__wrapped__ = impl.__module__, impl
    return call


# Functions that foreign arrays (Dask's above all) most often meet as `nf.<name>(x)`.
_DEFERRING = ("sum", "prod", "mean", "var", "std", "min", "max", "amin", "amax", "argmin", "argmax",
              "any", "all", "nansum", "nanmean", "nanmin", "nanmax", "cumsum", "cumprod")


def install(namespace):
    """Makes numfuse's reductions in `namespace` (the package's globals) defer to foreign arrays."""
    for name in _DEFERRING:
        namespace[name] = _deferring(getattr(_np, name), namespace[name])
