"""fromfunction, fromiter, frombuffer: arrays from a function of the indices, an iterable, or
another object's memory (a zero-copy numfuse view of the buffer)."""
import itertools as _itertools
import operator as _operator

import numpy as _np

from . import _core
from ._creation import array
from ._dtypes import dtype as _dtype
from ._index_tricks import indices

__all__ = ["fromfunction", "fromiter", "frombuffer"]


def fromfunction(function, shape, *, dtype=float, like=None, **kwargs):
    """function(*index_grids, **kwargs): each grid holds its axis' index at every position."""
    return function(*indices(shape, dtype=dtype), **kwargs)


def fromiter(iter, dtype, count=-1, *, like=None):  # noqa: A002  (NumPy's parameter name)
    """A 1-D array of the iterable's items (the first `count` when count >= 0)."""
    dt = _dtype(dtype)
    count = _operator.index(count)
    items = list(_itertools.islice(iter, count) if count >= 0 else iter)
    if 0 <= count and len(items) < count:
        raise ValueError(f"iterator too short: Expected {count} but iterator had only {len(items)} "
                         "items.")
    if any(isinstance(item, (list, tuple)) for item in items):
        raise ValueError("setting an array element with a sequence.")
    return array(items, dtype=dt) if items else array(_np.empty(0, dtype=dt))


def frombuffer(buffer, dtype=float, count=-1, offset=0, *, like=None):
    """A 1-D view of `buffer`'s memory (read-only for read-only buffers), from byte `offset`."""
    dt = _dtype(dtype)
    raw = memoryview(buffer)
    if not raw.c_contiguous:
        raise ValueError("ndarray is not C-contiguous")
    raw = raw.cast("B") if raw.format != "B" or raw.ndim != 1 else raw
    count, offset = _operator.index(count), _operator.index(offset)
    nbytes = raw.nbytes
    if offset < 0 or offset > nbytes:
        raise ValueError(f"offset must be non-negative and no greater than buffer length ({nbytes})")
    available = nbytes - offset
    if count < 0:
        if available % dt.itemsize:
            raise ValueError("buffer size must be a multiple of element size")
        count = available // dt.itemsize
    elif available < count * dt.itemsize:
        raise ValueError("buffer is smaller than requested size")
    as_bytes = _core._wrap(raw, None)  # zero-copy; keeps the buffer alive
    return as_bytes._reinterpret(as_bytes._offset + offset, [count], [dt.itemsize], dt)
