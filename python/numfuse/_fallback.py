"""NumPy-backed fallbacks: run NumPy's implementation on zero-copy views of numfuse arrays.

A fallback converts every numfuse array among its arguments (also inside lists and tuples, in
keyword arguments and in ``out=``) to a NumPy view of the same memory, calls NumPy, and turns
the NumPy arrays in the result (also inside tuples, lists and named tuples) back into numfuse
arrays without copying. Scalars stay the NumPy scalars NumPy returns; NumPy arrays of dtypes
numfuse lacks (strings, datetimes, ...) and NumPy subclasses (matrix, masked) stay NumPy's.

Laziness stays invisible: exporting a numfuse array to NumPy runs its pending work first, and
exporting a writeable one is a write notification (``Buffer::prepare_write`` through the buffer
protocol), so pending readers of that memory compute before NumPy writes ``out=`` or in place.
An array NumPy hands back that is one of the views made for the call (``out=``, ``asarray``)
comes back as the numfuse array it was made from.

Every fallback is registered by its qualified name (``nf.fallbacks()``); with
``nf.set_fallback_warnings(True)`` or NUMFUSE_FALLBACK_WARNINGS=1 the first call of each name
warns (FallbackWarning), so a script can see which of its calls are not native yet.
"""
import functools as _functools
import os as _os
import warnings as _warnings

import numpy as _np

from . import _core

__all__ = ["fallbacks", "set_fallback_warnings", "FallbackWarning"]

_ndarray = _core.ndarray
_wrap = _core._wrap

# NumPy type numbers of the dtypes numfuse has (bool, the integers, float32/64, complex64/128;
# not 13/16, the long doubles): NumPy results of these come back as numfuse arrays.
_NUMFUSE_TYPE_NUMBERS = frozenset(range(13)) | {14, 15}


class FallbackWarning(UserWarning):
    """A numfuse name ran NumPy's implementation (no native one yet)."""


_registry = {}  # qualified name -> the fallback callable
_warnings_on = _os.environ.get("NUMFUSE_FALLBACK_WARNINGS", "").strip().lower() in ("1", "true", "yes", "on")
_warned = set()


def fallbacks():
    """The sorted qualified names (``"sort"``, ``"fft.fft"``, ...) that run NumPy's code."""
    return sorted(_registry)


def set_fallback_warnings(enabled=True):
    """Warn (FallbackWarning) the first time each fallback name runs; returns the old setting.
    Enabling starts the once-per-name bookkeeping afresh."""
    global _warnings_on
    previous = _warnings_on
    _warnings_on = bool(enabled)
    if enabled:
        _warned.clear()
    return previous


def _note_call(qualname):
    if qualname not in _warned:
        _warned.add(qualname)
        # stacklevel: _note_call, call_numpy, the fallback's own frame, then the caller's
        _warnings.warn(f"numfuse.{qualname} has no native implementation yet: NumPy's runs on "
                       "zero-copy views", FallbackWarning, stacklevel=4)


# ---- conversion ---------------------------------------------------------------------------

def _export(array, views):
    view = _np.asarray(array)  # buffer protocol: zero-copy, pending work done, write noted
    views[id(view)] = (view, array)
    return view


def to_numpy(value, views):
    """`value` with numfuse arrays replaced by NumPy views (lists and tuples searched); `views`
    records id(view) -> (view, array) so results can be mapped back."""
    if isinstance(value, _ndarray):
        return _export(value, views)
    kind = type(value)
    if kind is not list and kind is not tuple:
        return value
    items = None  # a copy, made at the first replacement (most arguments hold no arrays)
    for i, item in enumerate(value):
        if isinstance(item, _ndarray):
            new = _export(item, views)
        elif type(item) is list or type(item) is tuple:
            new = to_numpy(item, views)
            if new is item:
                continue
        else:
            continue
        if items is None:
            items = list(value)
        items[i] = new
    return value if items is None else kind(items)


def to_numfuse(value, views):
    """`value` with NumPy arrays of numfuse's dtypes replaced by zero-copy numfuse arrays;
    NumPy subclasses (matrix, masked) stay NumPy's."""
    kind = type(value)
    if kind is _np.ndarray:
        known = views.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        return _wrap(value, None) if value.dtype.num in _NUMFUSE_TYPE_NUMBERS else value
    if kind is list:
        return [to_numfuse(item, views) for item in value]
    if isinstance(value, tuple):
        items = [to_numfuse(item, views) for item in value]
        if kind is tuple:
            return tuple(items)
        return kind._make(items) if hasattr(value, "_make") else value
    return value


def call_numpy(np_callable, qualname, args, kwargs):
    """Runs `np_callable` on NumPy views of the numfuse arrays in args/kwargs."""
    if _warnings_on:
        _note_call(qualname)
    views = {}
    args = to_numpy(args, views)
    if kwargs:
        kwargs = {key: to_numpy(value, views) for key, value in kwargs.items()}
    return to_numfuse(np_callable(*args, **kwargs), views)


# ---- fallback objects ---------------------------------------------------------------------

def register(qualname, obj):
    """Lists `obj` in nf.fallbacks() under `qualname`; returns it."""
    _registry[qualname] = obj
    return obj


def fallback_function(np_func, qualname):
    """A function with NumPy's name, docs and signature that runs `np_func` on views."""
    @_functools.wraps(np_func)
    def call(*args, **kwargs):
        return call_numpy(np_func, qualname, args, kwargs)

    call.__module__ = "numfuse" + ("." + qualname.rpartition(".")[0] if "." in qualname else "")
    call.numpy_function = np_func
    return register(qualname, call)


class FallbackUfunc:
    """A NumPy ufunc numfuse has no loop for: calls and methods (reduce, outer, at, ...) run
    NumPy's on views; other attributes (nin, nout, types, identity, ...) are NumPy's."""

    _METHODS = ("reduce", "accumulate", "reduceat", "outer", "at")

    def __init__(self, np_ufunc, qualname):
        self.numpy_function = np_ufunc
        self._qualname = qualname
        self.__name__ = np_ufunc.__name__
        self.__doc__ = np_ufunc.__doc__
        register(qualname, self)

    def __call__(self, *args, **kwargs):
        return call_numpy(self.numpy_function, self._qualname, args, kwargs)

    def __getattr__(self, name):
        attr = getattr(self.numpy_function, name)
        if name not in self._METHODS:
            return attr
        return _functools.partial(call_numpy, attr, f"{self._qualname}.{name}")

    def __repr__(self):
        return f"<numfuse fallback ufunc '{self.__name__}'>"


class FallbackIndexer:
    """NumPy's index-trick objects (r_, c_, mgrid, ogrid): ``obj[...]`` runs on views."""

    def __init__(self, np_obj, qualname):
        self.numpy_function = np_obj
        self._qualname = qualname
        self.__doc__ = type(np_obj).__doc__
        register(qualname, self)

    def __getitem__(self, key):
        return call_numpy(self.numpy_function.__getitem__, self._qualname, (key,), {})

    def __len__(self):
        return len(self.numpy_function)

    def __repr__(self):
        return f"<numfuse fallback index trick '{self._qualname}'>"


def is_fallback(obj):
    return isinstance(obj, (FallbackUfunc, FallbackIndexer)) or hasattr(obj, "numpy_function")
