"""packbits / unpackbits: bits to uint8 bytes and back, along an axis, big- or little-endian
bit order. NumPy's argument rules here; the loops are native (algorithms/src/bits_pack.cpp).
"""
import operator as _operator

import numpy as _np

from . import _core
from ._core import AxisError
from ._creation import asarray

__all__ = ["packbits", "unpackbits"]

_UINT8 = _np.dtype(_np.uint8)


def _check_bitorder(bitorder):
    if not isinstance(bitorder, str):
        raise TypeError(f"argument 'bitorder' must be str, not {type(bitorder).__name__}")
    if bitorder not in ("big", "little"):
        raise ValueError("'order' must be either 'little' or 'big'")
    return bitorder == "little"


def _lanes(a, axis):
    """(`a`, or `a` flattened when axis is None, the axis normalized)."""
    if axis is None and a.ndim == 1:
        return a, 0
    if axis is None or a.ndim == 0:  # NumPy treats a 0-d input as 1-d for any axis
        if axis is not None and not -1 <= _operator.index(axis) < 1:
            raise AxisError(_operator.index(axis), 1)
        return a.reshape(-1), 0
    axis = _operator.index(axis)
    if not -a.ndim <= axis < a.ndim:
        raise AxisError(axis, a.ndim)
    return a, axis % a.ndim


def packbits(a, /, axis=None, bitorder="big"):
    """Each run of 8 truth values along `axis` (zero-padded at the end) packed into a uint8."""
    little = _check_bitorder(bitorder)
    a = asarray(a)
    if a.dtype.kind not in "biu":
        raise TypeError("Expected an input array of integer or boolean data type")
    a, axis = _lanes(a, axis)
    return _core._packbits(a, axis, little)


def unpackbits(a, /, axis=None, count=None, bitorder="big"):
    """The bits of uint8 `a` along `axis`, 8 per byte, the first `count` of them (or all but the
    last -count when negative; zero-padded when count is larger)."""
    a = asarray(a)
    if a.dtype != _UINT8:
        raise TypeError("Expected an input array of unsigned byte data type")
    a, axis = _lanes(a, axis)
    total = a.shape[axis] * 8
    bits = total if count is None else _operator.index(count)
    if bits < 0:
        bits += total
        if bits < 0:
            raise ValueError("-count larger than number of elements")
    return _core._unpackbits(a, axis, bits, _check_bitorder(bitorder))
