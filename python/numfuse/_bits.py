"""packbits / unpackbits: bits to uint8 bytes and back, along an axis, big- or little-endian
bit order.

Eight bytes at a time, as one uint64 word (a view of the same memory): packing multiplies a
word of eight 0/1 bytes by a constant that moves byte k's bit to bit 56 + (7 - k) (or 56 + k)
without carries, so the top byte is the packed byte; unpacking copies a byte into all eight
bytes of a word, keeps bit k (or 7 - k) in byte k and turns each nonzero byte into 1. Each is a
single fused elementwise expression over n / 8 words.
"""
import operator as _operator
import sys as _sys

import numpy as _np

from ._core import AxisError
from ._creation import asarray, zeros
from ._manipulation import moveaxis

__all__ = ["packbits", "unpackbits"]

_UINT8 = _np.dtype(_np.uint8)
_UINT64 = _np.dtype(_np.uint64)
# Byte k of a word is its k-th byte in memory: the constants below assume little-endian words.
_LITTLE_ENDIAN = _sys.byteorder == "little"

# packing: word * GATHER >> 56 (the first element is the top bit for "big", the lowest for "little")
_GATHER = {"big": _np.uint64(0x8040201008040201), "little": _np.uint64(0x0102040810204080)}
# unpacking: (byte * 0x01..01) & SELECT keeps, in byte k, the bit that element k takes
_SELECT = {"big": _np.uint64(0x0102040810204080), "little": _np.uint64(0x8040201008040201)}
_EVERY_BYTE = _np.uint64(0x0101010101010101)
_LOW7 = _np.uint64(0x7F7F7F7F7F7F7F7F)  # + LOW7 sets each byte's high bit iff the byte is nonzero
_HIGH = _np.uint64(0x8080808080808080)


def _check_bitorder(bitorder):
    if not isinstance(bitorder, str):
        raise TypeError(f"argument 'bitorder' must be str, not {type(bitorder).__name__}")
    if bitorder not in ("big", "little"):
        raise ValueError("'order' must be either 'little' or 'big'")
    if not _LITTLE_ENDIAN:
        raise NotImplementedError("packbits/unpackbits: numfuse's word trick assumes a little-endian CPU")
    return bitorder


def _along_last(a, axis):
    """(`a` flattened or with `axis` moved last, the axis to move the result back to)."""
    if axis is None or a.ndim == 0:  # NumPy treats a 0-d input as 1-d for any axis
        if axis is not None and not -1 <= _operator.index(axis) < 1:
            raise AxisError(_operator.index(axis), 1)
        return a.reshape(-1), None
    axis = _operator.index(axis)
    if not -a.ndim <= axis < a.ndim:
        raise AxisError(axis, a.ndim)
    return moveaxis(a, axis, -1), axis % a.ndim


def _restore(result, axis):
    return result if axis is None else moveaxis(result, -1, axis)


def _zero_one_bytes(bits):
    """0/1 uint8 bytes of `bits` (last axis padded with zeros to whole bytes), C-contiguous: a
    view when `bits` already is such a bool array."""
    length = bits.shape[-1]
    if bits.dtype == _np.bool_ and length % 8 == 0 and bits._c_contiguous:
        return bits.view(_UINT8)
    padded = zeros(bits.shape[:-1] + (-(-length // 8) * 8,), dtype=_UINT8)
    padded[..., :length] = bits != 0
    return padded


def packbits(a, /, axis=None, bitorder="big"):
    """Each run of 8 truth values along `axis` (zero-padded at the end) packed into a uint8."""
    gather = _GATHER[_check_bitorder(bitorder)]
    a = asarray(a)
    if a.dtype.kind not in "biu":
        raise TypeError("Expected an input array of integer or boolean data type")
    bits, axis = _along_last(a, axis)
    words = _zero_one_bytes(bits).view(_UINT64)
    return _restore(((words * gather) >> _np.uint64(56)).astype(_UINT8), axis)


def unpackbits(a, /, axis=None, count=None, bitorder="big"):
    """The bits of uint8 `a` along `axis`, 8 per byte, the first `count` of them (or all but the
    last -count when negative; zero-padded when count is larger)."""
    a = asarray(a)
    if a.dtype != _UINT8:
        raise TypeError("Expected an input array of unsigned byte data type")
    data, axis = _along_last(a, axis)
    if count is not None:
        count = _operator.index(count)
    select = _SELECT[_check_bitorder(bitorder)]
    spread = (data.astype(_UINT64) * _EVERY_BYTE) & select
    words = (((spread + _LOW7) & _HIGH) >> _np.uint64(7)).copy()  # C-contiguous, then 8 bytes each
    bits = words.reshape(data.shape + (1,)).view(_UINT8).reshape(data.shape[:-1] + (-1,))
    total = data.shape[-1] * 8
    if count is not None:
        wanted = count if count >= 0 else total + count
        if wanted < 0:
            raise ValueError("-count larger than number of elements")
        if wanted <= total:
            bits = bits[..., :wanted]
        else:
            grown = zeros(data.shape[:-1] + (wanted,), dtype=_UINT8)
            grown[..., :total] = bits
            bits = grown
    return _restore(bits, axis)
