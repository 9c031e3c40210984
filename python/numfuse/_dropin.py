"""`import numfuse as np` without dead ends: NumPy's public names filled in, NumPy's protocols.

`install()` runs once, last, when the package is imported. For each NumPy namespace numfuse
mirrors (the main one, linalg, random, fft, lib (stride_tricks, ...), testing, emath,
polynomial, ctypeslib) it gives every public NumPy name that numfuse lacks a stand-in:
functions and ufuncs become NumPy-backed fallbacks (numfuse._fallback), classes, constants and
pure-type modules (exceptions, dtypes, typing) are NumPy's own objects. Native names are never
replaced. The names are read from the installed NumPy when numfuse is imported rather than
from a checked-in list: NumPy 2.x minor versions add names, and a list would go stale with
the next NumPy; the coverage test (tests/python/test_numpy_dropin.py) pins the contract. Submodules NumPy
imports lazily (testing, polynomial, ctypeslib, typing) are filled on first use.

It also installs ndarray.__array_function__ / __array_ufunc__ on top of the op table's:
`numpy.f(numfuse_array)` runs numfuse's `f` where it has one that takes the arguments given,
NumPy's on zero-copy views otherwise, so no NumPy function raises "no implementation found".
"""
import importlib as _importlib
import importlib.abc as _importlib_abc
import importlib.util as _importlib_util
import inspect as _inspect
import sys as _sys
import threading as _threading
import types as _types

import numpy as _np

from . import _core, _fallback, _stride_tricks
from ._fallback import call_numpy as _call_numpy, is_fallback as _is_fallback

# NumPy names numfuse deliberately does not provide, with the reason (the coverage test reads
# this table: every other public name of the mirrored namespaces must exist on numfuse).
# The scalar types of dtypes numfuse lacks (str_, void, datetime64, float16, ...) are not excluded:
# they are NumPy's classes, so scalar code (np.datetime64('today') - np.timedelta64(1)) runs, and
# asking for an array of them is the clear TypeError naming the dtype.
EXCLUDED = {
    **dict.fromkeys(["busday_count", "busday_offset", "is_busday", "busdaycalendar",
                     "datetime_as_string", "datetime_data", "isnat"],
                    "works on datetime dtypes only, which numfuse does not have"),
    **dict.fromkeys(["fromregex", "recarray", "rec"], "makes structured arrays"),
    **dict.fromkeys(["char", "strings"], "works on string dtypes only"),
    **dict.fromkeys(["ma", "matrix", "asmatrix", "bmat", "memmap"],
                    "an ndarray subclass (masked, matrix, memory-mapped) numfuse arrays cannot be"),
    **dict.fromkeys(["test", "get_include", "core"],
                    "describes or tests NumPy's own installation, not numfuse's"),
    "f2py": "numfuse's Fortran wrapper generator is nf.fortran_wrap",
}

# NumPy imports these on first use (numpy.testing alone takes ~0.2 s): numfuse fills its
# counterparts on first use too (nf.testing, `import numfuse.testing`).
_LAZY_SUBMODULES = ("testing", "polynomial", "ctypeslib", "typing")
# Submodules that only hold types: NumPy's own module object is the right one.
_NUMPY_MODULES = ("exceptions", "dtypes", "typing")
# Index tricks whose results are arrays (s_ and index_exp return their key: NumPy's objects).
_INDEXERS = ("r_", "c_", "mgrid", "ogrid")
# ndarray attributes NumPy has and numfuse does not mirror: `base` is NumPy's object graph.
_NDARRAY_EXCLUDED = ("base",)

# Generated submodules whose native functions live in a numfuse module of their own.
_NATIVE_PROVIDERS = {"lib.stride_tricks": _stride_tricks}

_native = {}  # NumPy function -> numfuse's native implementation (for __array_function__)
_fallback_of = {}  # NumPy function -> its numfuse fallback


def public_names(np_module):
    """The public names of a NumPy namespace: its __all__, else its non-underscore names. The main
    namespace: the names it has now that its __all__ lists (other packages add to it: numexpr sets
    numpy.expm1x on import)."""
    names = getattr(np_module, "__all__", None)
    if names is None or np_module is _np:
        listed = set(names) if names is not None else None
        names = [n for n in dir(np_module) if not n.startswith("_") and (listed is None or n in listed)]
    return [n for n in names if not n.startswith("_")]


class vectorize(_np.vectorize):
    """NumPy's vectorize; calls on numfuse arrays return numfuse arrays."""

    def __call__(self, *args, **kwargs):
        return _call_numpy(super().__call__, "vectorize", args, kwargs)


_fallback.register("vectorize", vectorize)


def _stand_in(np_obj, qualname, nf_module):
    """What numfuse exposes for a NumPy object it has no native version of."""
    name = qualname.rpartition(".")[2]
    if isinstance(np_obj, _types.ModuleType):
        return _module_for(np_obj, qualname, nf_module)
    if isinstance(np_obj, _np.ufunc):
        return _fallback.FallbackUfunc(np_obj, qualname)
    if qualname == "vectorize":
        return vectorize
    if isinstance(np_obj, type):
        return np_obj
    if name in _INDEXERS:
        return _fallback.FallbackIndexer(np_obj, qualname)
    if callable(np_obj):
        return _fallback.fallback_function(np_obj, qualname)
    return np_obj  # constants


def _module_for(np_module, qualname, parent):
    """numfuse's counterpart of a NumPy submodule: NumPy's own for type-only modules, else a
    numfuse module (made here when numfuse has none) filled with stand-ins."""
    if qualname in _NUMPY_MODULES:
        return np_module
    if not np_module.__name__.startswith(_np.__name__ + "."):
        return np_module
    full = "numfuse." + qualname
    module = _sys.modules.get(full) or vars(parent).get(qualname.rpartition(".")[2])
    if not isinstance(module, _types.ModuleType):
        module = _types.ModuleType(full, f"numfuse.{qualname}: NumPy's {np_module.__name__} API; "
                                   "names without a native version run NumPy's on zero-copy views.")
        native = _NATIVE_PROVIDERS.get(qualname)
        for name in native.__all__ if native else ():
            setattr(module, name, getattr(native, name))
        _sys.modules[full] = module
    fill(module, np_module, qualname)
    return module


def fill(nf_module, np_module, prefix=""):
    """Gives `nf_module` every public name of `np_module` it lacks (EXCLUDED ones aside) and
    records which NumPy functions have native numfuse versions."""
    for name in public_names(np_module):
        qualname = f"{prefix}.{name}" if prefix else name
        if not prefix and (name in EXCLUDED or name in _LAZY_SUBMODULES):
            continue
        np_obj = getattr(np_module, name, None)
        if np_obj is None:
            continue
        existing = getattr(nf_module, name, None)
        if existing is None:
            existing = _stand_in(np_obj, qualname, nf_module)
            setattr(nf_module, name, existing)
        elif isinstance(np_obj, _types.ModuleType) and isinstance(existing, _types.ModuleType):
            _module_for(np_obj, qualname, nf_module)  # a native submodule: fill its gaps
        if callable(np_obj) and not isinstance(np_obj, type):
            table = _fallback_of if _is_fallback(existing) else _native
            try:
                # NumPy aliases (transpose is permute_dims) map to the numfuse function of the
                # same name as NumPy's function, whose signature is NumPy's.
                if name == getattr(np_obj, "__name__", None):
                    table[np_obj] = existing
                else:
                    table.setdefault(np_obj, existing)
            except TypeError:  # unhashable callables: nothing to dispatch
                pass


def _fill_ndarray_methods():
    """NumPy ndarray methods numfuse lacks (sort, argsort, fill, view, tobytes, ...) run NumPy's
    method on a view of the array; a few read-only attributes likewise."""
    ndarray = _core.ndarray
    for name in dir(_np.ndarray):
        if name.startswith("_") or name in _NDARRAY_EXCLUDED or hasattr(ndarray, name):
            continue
        attribute = getattr(_np.ndarray, name)
        qualname = f"ndarray.{name}"
        if callable(attribute):
            setattr(ndarray, name, _fallback.fallback_function(attribute, qualname))
        else:
            getter = _fallback.fallback_function(attribute.__get__, qualname)
            setattr(ndarray, name, property(getter, doc=attribute.__doc__))


# ---- NumPy protocols ----------------------------------------------------------------------

_HANDLED_TYPES = (_core.ndarray, _np.ndarray)
class _DispatchState(_threading.local):
    active = frozenset()  # NumPy functions whose native numfuse version is running


_dispatch = _DispatchState()
_signatures = {}


def _parameters(impl):
    """(required positional names, most positional arguments, keyword names, takes **kwargs)
    of `impl`; None if unknown."""
    try:
        params = _inspect.signature(impl).parameters.values()
    except (TypeError, ValueError):
        return None
    kinds = _inspect.Parameter
    positional = [p for p in params if p.kind in (kinds.POSITIONAL_ONLY, kinds.POSITIONAL_OR_KEYWORD)]
    required = tuple(p.name for p in positional if p.default is kinds.empty)
    most = float("inf") if any(p.kind is kinds.VAR_POSITIONAL for p in params) else len(positional)
    keywords = frozenset(p.name for p in params if p.kind in (kinds.POSITIONAL_OR_KEYWORD, kinds.KEYWORD_ONLY))
    return required, most, keywords, any(p.kind is kinds.VAR_KEYWORD for p in params)


def _accepts(impl, args, kwargs):
    """Whether numfuse's `impl` takes these arguments (NumPy's may take more keywords, or fewer
    required ones): a count and name check on a cached signature summary (Signature.bind costs
    ~10 us a call)."""
    shape = _signatures.get(impl, False)
    if shape is False:
        shape = _signatures[impl] = _parameters(impl)
    if shape is None:
        return True
    required, most, keywords, any_keyword = shape
    if not len(args) <= most or not (any_keyword or keywords.issuperset(kwargs)):
        return False
    return all(name in kwargs for name in required[len(args):])


def _qualname(func):
    parts = [p for p in (getattr(func, "__module__", None) or "numpy").split(".")[1:]
             if not p.startswith("_")]
    return ".".join(parts + [func.__name__])


def _array_function(self, func, types, args, kwargs):
    for kind in types:
        if not issubclass(kind, _HANDLED_TYPES):
            return NotImplemented
    impl = _native.get(func)
    if impl is not None:
        active = _dispatch.active
        # A native function that hands numfuse arrays back to the same NumPy function gets NumPy's.
        if func not in active and _accepts(impl, args, kwargs):
            _dispatch.active = active | {func}
            try:
                return impl(*args, **kwargs)
            finally:
                _dispatch.active = active
    known = _fallback_of.get(func)
    if known is not None:
        return known(*args, **kwargs)
    return _call_numpy(func, _qualname(func), args, kwargs)


def _install_protocols():
    ndarray = _core.ndarray
    op_table_ufunc = ndarray.__array_ufunc__

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        result = op_table_ufunc(self, ufunc, method, *inputs, **kwargs)
        if result is not NotImplemented:
            return result
        qualname = ufunc.__name__ if method == "__call__" else f"{ufunc.__name__}.{method}"
        return _call_numpy(getattr(ufunc, method), qualname, inputs, kwargs)

    ndarray.__array_ufunc__ = __array_ufunc__
    ndarray.__array_function__ = _array_function


def _lazy_submodule(name):
    """numfuse.__getattr__: the lazily filled submodules, and nf.fortran_wrap imported on first use
    (its generator and build driver cost ~60 ms of every `import numfuse` otherwise)."""
    if name == "fortran_wrap":
        return _importlib.import_module("numfuse.fortran_wrap")
    if name not in _LAZY_SUBMODULES:
        raise AttributeError(f"module 'numfuse' has no attribute {name!r}")
    import numfuse
    module = _module_for(getattr(_np, name), name, numfuse)
    setattr(numfuse, name, module)
    return module


class _LazySubmoduleImporter(_importlib_abc.MetaPathFinder, _importlib_abc.Loader):
    """Makes `import numfuse.testing` (and the other lazy ones) work like attribute access."""

    def find_spec(self, fullname, path=None, target=None):
        package, _, name = fullname.partition(".")
        if package != "numfuse" or name not in _LAZY_SUBMODULES:
            return None
        return _importlib_util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        return _lazy_submodule(spec.name.partition(".")[2])

    def exec_module(self, module):
        pass


def install():
    """Fills numfuse's namespaces (submodules made on the way) and installs the protocols."""
    import numfuse
    fill(numfuse, _np)
    numfuse.__getattr__ = _lazy_submodule
    numfuse.__dir__ = lambda: sorted(set(vars(numfuse)) | set(_LAZY_SUBMODULES) | {"fortran_wrap"})
    if not any(isinstance(finder, _LazySubmoduleImporter) for finder in _sys.meta_path):
        _sys.meta_path.append(_LazySubmoduleImporter())
    _fill_ndarray_methods()
    _install_protocols()
