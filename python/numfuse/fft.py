"""numfuse.fft: discrete Fourier transforms (the array API's fft extension, NumPy 2's API).

The transforms run NumPy's pocketfft on a zero-copy view of the input (the buffer protocol:
pending lazy work runs first) and the result is wrapped back without a copy. NumPy 2's dtype
rules are the standard's: float32 and complex64 inputs give complex64 (or float32 for the
inverse real transforms), float64/complex128 give complex128 (float64); integers and bools
transform as float64. The frequency and shift helpers are numfuse's own (arange, roll).
"""
import operator as _operator

import numpy as _np

from . import _core
from ._array_api import check_device as _check_device
from ._creation import arange as _arange, asarray as _asarray
from ._manipulation import concat as _concat, roll as _roll

__all__ = [
    "fft", "ifft", "fftn", "ifftn", "rfft", "irfft", "rfftn", "irfftn", "hfft", "ihfft",
    "fft2", "ifft2", "rfft2", "irfft2", "fftfreq", "rfftfreq", "fftshift", "ifftshift",
]


def _pocketfft(np_transform, a, out, **options):
    """`np_transform` on a view of `a`; the result (or `out`, written through its view) as a
    numfuse array."""
    view = _np.asarray(_asarray(a))
    if out is None:
        return _core._wrap(np_transform(view, **options), None)
    np_transform(view, out=_np.asarray(out), **options)  # a writeable export notes the write
    return out


def _named(transform, np_transform, doc):
    transform.__name__ = transform.__qualname__ = np_transform.__name__
    transform.__module__ = __name__
    transform.__doc__ = doc
    return transform


def _one_dimensional(np_transform, doc):
    """A transform of n points along `axis` (NumPy's signature)."""
    def transform(a, n=None, axis=-1, norm=None, out=None):
        return _pocketfft(np_transform, a, out, n=n, axis=axis, norm=norm)
    return _named(transform, np_transform, doc)


def _n_dimensional(np_transform, doc, default_axes=None):
    """A transform of sizes s over `axes` (NumPy's signature; fft2 & co. default to the last two)."""
    def transform(a, s=None, axes=default_axes, norm=None, out=None):
        return _pocketfft(np_transform, a, out, s=s, axes=axes, norm=norm)
    return _named(transform, np_transform, doc)


fft = _one_dimensional(_np.fft.fft, "The 1-D discrete Fourier transform along `axis` (input cropped or zero-padded to n).")
ifft = _one_dimensional(_np.fft.ifft, "The inverse of fft.")
rfft = _one_dimensional(_np.fft.rfft, "The 1-D transform of real input: the n//2 + 1 non-negative frequency terms.")
irfft = _one_dimensional(_np.fft.irfft, "The inverse of rfft: a real result of length n (default 2 * (m - 1)).")
hfft = _one_dimensional(_np.fft.hfft, "The transform of a Hermitian-symmetric signal given by its first half: real output.")
ihfft = _one_dimensional(_np.fft.ihfft, "The inverse of hfft.")
fftn = _n_dimensional(_np.fft.fftn, "The n-D discrete Fourier transform over `axes` (all, or the last len(s)).")
ifftn = _n_dimensional(_np.fft.ifftn, "The inverse of fftn.")
rfftn = _n_dimensional(_np.fft.rfftn, "The n-D transform of real input (the last axis halved, as rfft).")
irfftn = _n_dimensional(_np.fft.irfftn, "The inverse of rfftn.")
fft2 = _n_dimensional(_np.fft.fft2, "fftn over the last two axes.", (-2, -1))
ifft2 = _n_dimensional(_np.fft.ifft2, "ifftn over the last two axes.", (-2, -1))
rfft2 = _n_dimensional(_np.fft.rfft2, "rfftn over the last two axes.", (-2, -1))
irfft2 = _n_dimensional(_np.fft.irfft2, "irfftn over the last two axes.", (-2, -1))


# ---- frequencies and shifts ---------------------------------------------------------------

def _sample_count(n):
    if isinstance(n, bool) or not hasattr(n, "__index__"):
        raise ValueError("n should be an integer")
    return _operator.index(n)


def _scaled(k, n, d, dtype):
    """The integer frequencies k over n * d, as float64 (NumPy's arithmetic) or `dtype`."""
    out = k * (1.0 / (n * d))
    return out if dtype is None else out.astype(dtype)


def fftfreq(n, d=1.0, device=None, *, dtype=None):
    """The sample frequencies of an n-point fft with sample spacing d: [0, 1, ..., -1] / (n*d)."""
    _check_device(device)
    n = _sample_count(n)
    half = (n - 1) // 2 + 1
    return _scaled(_concat([_arange(0, half), _arange(-(n // 2), 0)]), n, d, dtype)


def rfftfreq(n, d=1.0, device=None, *, dtype=None):
    """The sample frequencies of an n-point rfft: [0, 1, ..., n // 2] / (n*d)."""
    _check_device(device)
    n = _sample_count(n)
    return _scaled(_arange(0, n // 2 + 1), n, d, dtype)


def _half_shifts(x, axes, sign):
    x = _asarray(x)
    if axes is None:
        axes = tuple(range(x.ndim))
    elif isinstance(axes, int) or hasattr(axes, "__index__"):
        return x, sign * (x.shape[_operator.index(axes)] // 2), axes
    return x, [sign * (x.shape[ax] // 2) for ax in axes], axes


def fftshift(x, axes=None):
    """The zero-frequency term moved to the centre (a roll by half of each axis)."""
    return _roll(*_half_shifts(x, axes, 1))


def ifftshift(x, axes=None):
    """The inverse of fftshift."""
    return _roll(*_half_shifts(x, axes, -1))
