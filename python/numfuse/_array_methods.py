"""ndarray methods NumPy has beyond the core ones: view(dtype), flat (a flatiter), fill, tobytes,
byteswap, put, repeat, choose, compress.

view(dtype) and byteswap read the same buffer as another dtype (numfuse's _reinterpret: a view
sharing the Buffer, so pending lazy work on either side stays ordered); flat indexes the array's
C-order flat positions, writing through coordinates when the array is not C-contiguous.
"""
import builtins as _builtins

import numpy as _np

from . import _core
from ._core import ndarray
from ._creation import arange, asarray
from ._dtypes import dtype as _dtype
from ._index_tricks import unravel_index
from . import _manipulation as _m
from . import _selection as _s

__all__ = []


def _shared(a):
    """`a` with its pending work computed: a reinterpreting view reads its memory directly."""
    _core.eval(a)
    return a


def _view(self, dtype=None, type=None):
    """A view of the same memory, as another dtype (the last axis rescaled when the itemsize
    changes, which needs it contiguous) or as NumPy's ndarray type."""
    if isinstance(dtype, _builtins.type) and issubclass(dtype, (ndarray, _np.ndarray)):
        dtype, type = None, dtype
    if type is not None and type is not ndarray:
        if isinstance(type, _builtins.type) and issubclass(type, ndarray):
            raise TypeError(f"numfuse arrays have no subclasses: a view as {type.__name__} is not "
                            "possible (subclass NumPy's ndarray for that, and view NumPy arrays)")
        if not (isinstance(type, _builtins.type) and issubclass(type, _np.ndarray)):
            raise TypeError("Type must be a sub-type of ndarray type")
        np_view = _np.asarray(self)
        return np_view.view(type) if dtype is None else np_view.view(dtype, type)
    if dtype is None:
        return self._with_layout(self._offset, self.shape, self.strides)
    new = _dtype(dtype)
    old_size, new_size = self.dtype.itemsize, new.itemsize
    shape, strides = list(self.shape), list(self.strides)
    if new_size != old_size:
        if self.ndim == 0:
            raise ValueError("Changing the dtype of a 0d array is only supported if the itemsize is "
                             "unchanged")
        if self.size and shape[-1] != 1 and strides[-1] != old_size:
            raise ValueError("To change to a dtype of a different size, the last axis must be "
                             "contiguous")
        last_bytes = shape[-1] * old_size
        if new_size < old_size and old_size % new_size:
            raise ValueError("When changing to a smaller dtype, its size must be a divisor of the "
                             "size of original dtype")
        if last_bytes % new_size:
            raise ValueError("When changing to a larger dtype, its size must be a divisor of the "
                             "total size in bytes of the last axis of the array.")
        shape[-1], strides[-1] = last_bytes // new_size, new_size
    return _shared(self)._reinterpret(self._offset, shape, strides, new)


class flatiter:
    """NumPy's flatiter for a numfuse array: iterates, indexes and assigns the array's elements
    in C order (a.flat[i], a.flat[mask], a.flat[2:5] = v, values repeated to fit)."""

    def __init__(self, base):
        self.base = base
        self._index = 0
        self._values = None

    def __len__(self):
        return self.base.size

    def __iter__(self):
        return self

    def __next__(self):
        if self._values is None:
            self._values = _np.asarray(self._flat())
        if self._index >= self.base.size:
            raise StopIteration
        self._index += 1
        return self._values[self._index - 1]

    @property
    def index(self):
        return self._index

    @property
    def coords(self):
        if not self.base.ndim:
            return ()
        return tuple(int(c) for c in unravel_index(min(self._index, max(self.base.size - 1, 0)),
                                                   self.base.shape))

    def _flat(self):
        return self.base.reshape(-1)  # a view when C-contiguous, a copy otherwise

    @staticmethod
    def _key(key):
        if isinstance(key, tuple):
            if len(key) > 1:
                raise IndexError("too many indices for flat iterator: flat iterator is 1-dimensional, "
                                 f"but {len(key)} were indexed")
            key = key[0] if key else Ellipsis
        return key

    def __getitem__(self, key):
        return self._flat()[self._key(key)]

    def __setitem__(self, key, value):
        positions = arange(self.base.size)[self._key(key)]
        positions = asarray(positions).reshape(-1)
        values = asarray(value)
        if positions.size == 0 or values.size == 0:  # NumPy: nothing to write either way
            return
        values = _s._cycled(values, positions.size).astype(self.base.dtype)
        _s._set_flat(self.base, positions, values)

    def copy(self):
        return self.base.flatten()

    def __array__(self, dtype=None, copy=None):
        return _np.asarray(self.base.flatten(), dtype=dtype)


def _set_flat_all(self, value):
    flatiter(self)[...] = value


def _fill(self, value):
    """Every element set to the scalar `value`."""
    # The scalar converts through a 0-d NumPy array of the same dtype: NumPy's per-dtype rules
    # (None is NaN for floats, text parses, 1-element arrays refused or not) and errors.
    scalar = _np.zeros((), dtype=self.dtype)
    scalar.fill(_np.asarray(value) if isinstance(value, ndarray) else value)
    self[...] = scalar[()]


def _tobytes(self, order="C"):
    """The raw bytes in C (or Fortran) order."""
    if order not in ("C", "F", "A", "K", None):
        raise ValueError(f"order must be one of 'C', 'F', 'A', or 'K' (got {order!r})")
    fortran = order == "F" or (order == "A" and self._f_contiguous and not self._c_contiguous)
    source = self.T if fortran else self  # Fortran-order bytes of a are C-order bytes of a.T
    if not source._c_contiguous:
        source = source.copy(order="C")
    return memoryview(source).tobytes()  # the buffer export computes pending work first


def _byteswap(self, inplace=False):
    """The bytes of each element reversed (of each part, for complex); in place or a copy."""
    size = self.dtype.itemsize
    part = size // 2 if self.dtype.kind == "c" else size
    if part == 1:
        return self if inplace else self.copy()
    data = _shared(self.copy())
    count = data.size * (size // part)
    as_bytes = data._reinterpret(data._offset, [count, part], [part, 1], _np.uint8)
    swapped = _shared(as_bytes[:, ::-1].copy())
    result = swapped._reinterpret(swapped._offset, list(self.shape), list(data.strides), self.dtype)
    if inplace:
        self[...] = result
        return self
    return result


ndarray_methods = {
    "view": _view,
    "flat": property(flatiter, _set_flat_all),
    "fill": _fill,
    "tobytes": _tobytes,
    "byteswap": _byteswap,
    "put": lambda self, indices, values, mode="raise": _s.put(self, indices, values, mode),
    "repeat": lambda self, repeats, axis=None: _m.repeat(self, repeats, axis),
    "choose": lambda self, choices, out=None, mode="raise": _s.choose(self, choices, out, mode),
    "compress": lambda self, condition, axis=None, out=None: _s.compress(condition, self, axis, out),
}
