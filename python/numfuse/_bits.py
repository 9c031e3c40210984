"""packbits / unpackbits: bits to uint8 bytes and back, along an axis, big- or little-endian
bit order; fused elementwise shifts and a small weighted sum per byte."""
import operator as _operator

import numpy as _np

from ._core import AxisError
from ._creation import asarray, empty, zeros
from ._manipulation import moveaxis

__all__ = ["packbits", "unpackbits"]

_UINT8 = _np.dtype(_np.uint8)


def _bit_weights(bitorder):
    if not isinstance(bitorder, str):
        raise TypeError(f"argument 'bitorder' must be str, not {type(bitorder).__name__}")
    if bitorder not in ("big", "little"):
        raise ValueError("'order' must be either 'little' or 'big'")
    return [1 << i for i in (range(8) if bitorder == "little" else range(7, -1, -1))]


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


def packbits(a, /, axis=None, bitorder="big"):
    """Each run of 8 truth values along `axis` (zero-padded at the end) packed into a uint8."""
    shifts = [w.bit_length() - 1 for w in _bit_weights(bitorder)]
    a = asarray(a)
    if a.dtype.kind not in "biu":
        raise TypeError("Expected an input array of integer or boolean data type")
    bits, axis = _along_last(a, axis)
    length = bits.shape[-1]
    groups = -(-length // 8)
    padded = zeros(bits.shape[:-1] + (groups * 8,), dtype=_UINT8)
    padded[..., :length] = bits != 0
    # One fused expression over 8 strided views: byte = OR of bit k shifted into place
    packed = None
    for k, shift in enumerate(shifts):
        term = padded[..., k::8] << _np.uint8(shift)
        packed = term if packed is None else packed | term
    return _restore(packed.astype(_UINT8), axis)


def unpackbits(a, /, axis=None, count=None, bitorder="big"):
    """The bits of uint8 `a` along `axis`, 8 per byte, the first `count` of them (or all but the
    last -count when negative; zero-padded when count is larger)."""
    a = asarray(a)
    if a.dtype != _UINT8:
        raise TypeError("Expected an input array of unsigned byte data type")
    data, axis = _along_last(a, axis)
    if count is not None:
        count = _operator.index(count)
    shifts = [w.bit_length() - 1 for w in _bit_weights(bitorder)]
    total = data.shape[-1] * 8
    bits = empty(data.shape[:-1] + (total,), dtype=_UINT8)
    for k, shift in enumerate(shifts):  # bit k of every byte: one fused shift-and-mask each
        bits[..., k::8] = (data >> _np.uint8(shift)) & _np.uint8(1)
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
    return _restore(bits.astype(_UINT8), axis)
