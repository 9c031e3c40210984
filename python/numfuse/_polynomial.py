"""polyval, polyadd, polysub, polymul, polyder, polyint: coefficient-array polynomials (highest
power first) with numfuse arithmetic, NumPy's steps (lib/_polynomial_impl.py); np.poly1d in,
np.poly1d out, as NumPy."""
import numpy as _np

from ._array_edit import trim_zeros as _trim_zeros
from ._creation import arange as _arange, asarray as _asarray, ones as _ones, zeros as _zeros, \
    zeros_like as _zeros_like
from ._manipulation import atleast_1d as _atleast_1d, concatenate as _concatenate
from ._statistics_describe import convolve as _convolve
from . import _ufuncs as _u

__all__ = ["polyval", "polyadd", "polysub", "polymul", "polyder", "polyint"]

_poly1d = _np.poly1d


def _as_poly1d_if(truepoly, coefficients):
    return _poly1d(_np.asarray(coefficients)) if truepoly else coefficients


def _coefficients(p):
    """The coefficient array of a poly1d or of anything array-like."""
    return _asarray(p.coeffs if isinstance(p, _poly1d) else p)


def polyval(p, x):
    """p[0] x^(N-1) + ... + p[N-1] by Horner's scheme, in p's and x's promoted dtype."""
    p = _coefficients(p)
    if isinstance(x, _poly1d):
        y = 0
        for pv in _np.asarray(p):
            y = y * x + pv
        return y
    x = _asarray(x)
    y = _zeros_like(x)
    for i in range(len(p)):
        y = y * x + p[i]
    return y


def _aligned(a1, a2):
    """Both coefficient arrays, the shorter padded with leading zeros (of its own dtype)."""
    a1 = _atleast_1d(_coefficients(a1))
    a2 = _atleast_1d(_coefficients(a2))
    diff = len(a2) - len(a1)
    if diff > 0:
        a1 = _concatenate((_zeros(diff, a1.dtype), a1))
    elif diff < 0:
        a2 = _concatenate((_zeros(-diff, a2.dtype), a2))
    return a1, a2


def polyadd(a1, a2):
    """Sum of two polynomials."""
    truepoly = isinstance(a1, _poly1d) or isinstance(a2, _poly1d)
    return _as_poly1d_if(truepoly, _u.add(*_aligned(a1, a2)))


def polysub(a1, a2):
    """Difference of two polynomials."""
    truepoly = isinstance(a1, _poly1d) or isinstance(a2, _poly1d)
    return _as_poly1d_if(truepoly, _u.subtract(*_aligned(a1, a2)))


def _poly1d_coefficients(c):
    """What np.poly1d(c) keeps: 1-D, leading zeros dropped, [0] if nothing is left."""
    c = _atleast_1d(_coefficients(c))
    if c.ndim > 1:
        raise ValueError("Polynomial must be 1d only.")
    c = _trim_zeros(c, trim="f")
    return c if len(c) else _zeros(1, c.dtype)


def polymul(a1, a2):
    """Product of two polynomials: the convolution of their coefficients."""
    truepoly = isinstance(a1, _poly1d) or isinstance(a2, _poly1d)
    return _as_poly1d_if(truepoly, _convolve(_poly1d_coefficients(a1), _poly1d_coefficients(a2)))


def polyder(p, m=1):
    """The m-th derivative."""
    m = int(m)
    if m < 0:
        raise ValueError("Order of derivative must be positive (see polyint)")
    truepoly = isinstance(p, _poly1d)
    p = _coefficients(p)
    len(p)  # as NumPy, which takes the length first: 0-d coefficients are a TypeError, even for m=0
    for _ in range(m):
        p = p[:-1] * _arange(len(p) - 1, 0, -1)
    return _as_poly1d_if(truepoly, p)


def polyint(p, m=1, k=None):
    """The m-th antiderivative; k holds the integration constants (last integration first)."""
    m = int(m)
    if m < 0:
        raise ValueError("Order of integral must be positive (see polyder)")
    if k is None:
        k = _zeros(m, float)
    k = _atleast_1d(_asarray(k))
    if len(k) == 1 and m > 1:
        k = k[0] * _ones(m, float)
    if len(k) < m:
        raise ValueError("k must be a scalar or a rank-1 array of length 1 or >m.")
    truepoly = isinstance(p, _poly1d)
    p = _coefficients(p)
    for constant in range(m):
        p = _concatenate((p.__truediv__(_arange(len(p), 0, -1)), k[constant:constant + 1]))
    return _as_poly1d_if(truepoly, p)
