"""Python-level methods of numfuse.ndarray.

The compiled class (numfuse._core.ndarray) provides attributes, basic indexing and views; the
methods here are thin layers over those primitives and over NumPy's formatting.
"""
import weakref as _weakref

import numpy as _np

from ._core import ndarray
from ._dtypes import can_cast_dtype as _can_cast_dtype, dtype as _dtype
from . import _manipulation as _m
from . import _linalg_ops as _la
from ._ufuncs import operator_methods as _ufunc_methods, install_operator_slots as _install_operator_slots
from . import _indexing as _ix
from . import _array_api
from ._reductions import ndarray_methods as _reduction_methods
from ._sorting import ndarray_methods as _sorting_methods
from ._statistics import ndarray_methods as _statistics_methods
from ._array_methods import ndarray_methods as _array_methods
from ._core import _TraceEscape
from ._jit_trace import tracer_error as _tracer_error


def _reduce(self):
    """Pickling: the values travel as a NumPy array (NumPy's own format, protocol 5's out-of-band
    buffers included) and come back as a numfuse array (pending work is computed first, as any
    read does). A NumPy view of our memory, not a copy: Dask's distributed scheduler pickles
    every chunk it moves between processes."""
    return _unpickle, (_np.asarray(self),)


def _unpickle(values):
    """The NumPy array unpickling made is ours alone: adopt its memory instead of copying it,
    unless it is read-only (an out-of-band buffer pickle got from immutable bytes)."""
    from ._creation import array, asarray
    return asarray(values) if values.flags.writeable else array(values)


def _as_numpy(self):
    """A NumPy view of the same memory (no copy)."""
    return _np.asarray(self)


def _repr(self):
    return repr(_as_numpy(self))


def _str(self):
    return str(_as_numpy(self))


def _iter(self):
    if self.ndim == 0:  # raised by iter() itself, as NumPy does, not at the first next()
        raise TypeError("iteration over a 0-d array")
    return (self[i] for i in range(self.shape[0]))


def _scalar_conversion(kind):
    def convert(self):
        if self.ndim > 0:  # NumPy 2.4: even size-1 arrays must be 0-d
            raise TypeError("only 0-dimensional arrays can be converted to Python scalars")
        # Through the Python scalar, so float()/int() of a complex raise Python's TypeError as NumPy's do.
        try:
            return kind(self._item().item())
        except _TraceEscape:
            raise _tracer_error(kind.__name__) from None
    convert.__name__ = f"__{kind.__name__}__"
    return convert


def _bool(self):
    if self.size == 1:
        try:
            return bool(self._item())
        except _TraceEscape:  # `if x.sum() > 0:` in a function traced by nf.jit
            raise _tracer_error("bool") from None
    if self.size == 0:
        raise ValueError("The truth value of an empty array is ambiguous. Use `array.size > 0` to "
                         "check that an array is not empty.")
    raise ValueError("The truth value of an array with more than one element is ambiguous. "
                     "Use a.any() or a.all()")


def _item(self, *args):
    if not args:
        try:
            return self._item().item()
        except _TraceEscape:
            raise _tracer_error("item") from None
    if len(args) == 1 and isinstance(args[0], int):
        return self.ravel()[args[0]].item()
    return self[args].item()


def _tolist(self):
    try:
        return _as_numpy(self).tolist()
    except _TraceEscape:
        raise _tracer_error("tolist") from None


def _astype(self, dtype, order="K", casting="unsafe", subok=True, copy=True):
    """A converted copy; with copy=False, `self` when dtype and requested layout already match."""
    target = _dtype(dtype)
    if not _can_cast_dtype(self.dtype, target, casting):
        raise TypeError(f"Cannot cast array data from {self.dtype!r} to {target!r} according to "
                        f"the rule {casting!r}")
    if not isinstance(order, str):
        raise TypeError(f"order must be str, not {type(order).__name__}")
    if order not in ("K", "A", "C", "F"):
        raise ValueError(f"order must be one of 'C', 'F', 'A', or 'K' (got {order!r})")
    if not copy and target == self.dtype and _layout_ok(self, order):
        return self
    return self._astype(target, order)


def _layout_ok(a, order):
    """Whether `a` already has the memory order astype(order=...) asks for."""
    if order == "K":
        return True
    if order == "A":
        return a._c_contiguous or a._f_contiguous
    return a._c_contiguous if order == "C" else a._f_contiguous


def _matrix_transpose(self):
    if self.ndim < 2:
        raise ValueError("matrix transpose with ndim < 2 is undefined")
    return _m.swapaxes(self, -1, -2)


class _Flags:
    """ndarray.flags: layout (a snapshot) and WRITEABLE (live, settable as in NumPy)."""

    _NAMES = {"C_CONTIGUOUS": "c_contiguous", "C": "c_contiguous", "F_CONTIGUOUS": "f_contiguous",
              "F": "f_contiguous", "WRITEABLE": "writeable", "W": "writeable"}

    def __init__(self, a):
        self._array = a
        self.c_contiguous = a._c_contiguous
        self.f_contiguous = a._f_contiguous
        self.contiguous = self.c_contiguous

    @property
    def writeable(self):
        return self._array._writeable

    @writeable.setter
    def writeable(self, value):
        _set_writeable(self._array, bool(value))

    def __getitem__(self, key):
        return getattr(self, self._NAMES[key])

    def __setitem__(self, key, value):
        if self._NAMES.get(key) != "writeable":
            raise KeyError(f"Unknown flag {key!r}")
        self.writeable = value

    def __repr__(self):
        return (f"  C_CONTIGUOUS : {self.c_contiguous}\n  F_CONTIGUOUS : {self.f_contiguous}\n"
                f"  WRITEABLE : {self.writeable}")


# Arrays made read-only through flags.writeable = False, by id: only these may become writeable
# again. As in NumPy, a view of a read-only array, a broadcast result or read-only foreign
# memory cannot. (numfuse arrays have no `base` chain, so a view taken while its base was
# read-only stays so even after the base becomes writeable again; NumPy would allow it.)
_made_readonly = {}


def _set_writeable(a, writeable):
    key = id(a)
    if not writeable:
        if a._writeable:
            a._set_writeable(False)
            _made_readonly[key] = _weakref.ref(a, lambda _, key=key: _made_readonly.pop(key, None))
        return
    if a._writeable:
        return
    ref = _made_readonly.get(key)
    if ref is None or ref() is not a:
        raise ValueError("cannot set WRITEABLE flag to True of this array")
    del _made_readonly[key]
    a._set_writeable(True)


def _setflags(self, write=None, align=None, uic=None):
    """NumPy's ndarray.setflags: only write= means something for numfuse arrays (always
    aligned, never write-back copies)."""
    if uic:
        raise ValueError("cannot set WRITEBACKIFCOPY flag to True")
    if write is not None:
        _set_writeable(self, bool(write))


def _array_namespace(self, *, api_version=None):
    import numfuse
    if api_version is not None and api_version not in _array_api.SUPPORTED_VERSIONS:
        raise ValueError(f"Unrecognized array API version: {api_version!r}")
    return numfuse


_methods = {
    "__repr__": _repr,
    "__str__": _str,
    "__iter__": _iter,
    "__float__": _scalar_conversion(float),
    "__int__": _scalar_conversion(int),
    "__complex__": _scalar_conversion(complex),
    "__bool__": _bool,
    "item": _item,
    "tolist": _tolist,
    "astype": _astype,
    "flags": property(_Flags),
    "setflags": _setflags,
    "ravel": _m.ravel,
    "flatten": _m.flatten,
    "mT": property(_matrix_transpose),
    "squeeze": lambda self, axis=None: _m.squeeze(self, axis),
    "swapaxes": _m.swapaxes,
    "nonzero": _ix.nonzero,
    "take": _ix.take,
    "__matmul__": _la._matmul_operator,
    "__rmatmul__": _la._rmatmul_operator,
    "__imatmul__": _la._imatmul_operator,
    "dot": lambda self, b, out=None: _la.dot(self, b, out=out),
    "trace": lambda self, offset=0, axis1=0, axis2=1, dtype=None, out=None: _la.trace(
        self, offset, axis1, axis2, dtype, out),
    "diagonal": lambda self, offset=0, axis1=0, axis2=1: _la.diagonal(self, offset, axis1, axis2),
    "__array_namespace__": _array_namespace,
    "device": _array_api.device_property,
    "to_device": _array_api.to_device,
    "__reduce__": _reduce,
    "__copy__": lambda self: self.copy(),
    "__deepcopy__": lambda self, memo=None: self.copy(),
    "__array_priority__": 20.0,
}
_methods.update(_ufunc_methods())  # operators, real/imag, NumPy protocols (from the op table)
_methods.update(_reduction_methods)  # sum, mean, argmax, cumsum, ... (reduction table)
_methods.update(_sorting_methods)  # sort (in place), argsort
_methods.update(_statistics_methods)  # partition (in place), argpartition
_methods.update(_array_methods)  # view(dtype), flat, fill, tobytes, byteswap, put, choose, ...
for _name, _fn in _methods.items():
    setattr(ndarray, _name, _fn)
ndarray.__module__ = "numfuse"
ndarray.__hash__ = None
_install_operator_slots()  # last: setting a dunder afterwards would reset its slot
