"""bartlett, blackman, hamming, hanning, kaiser and the Bessel function i0 they need: NumPy's
formulas (lib/_function_base_impl.py) evaluated as fused numfuse expressions, term by term in
NumPy's order (same values up to the last bit of cos/exp)."""
import math as _math

import numpy as _np

from ._creation import arange as _arange, asarray as _asarray, empty_like as _empty_like, \
    ones as _ones
from . import _ufuncs as _u

__all__ = ["bartlett", "blackman", "hamming", "hanning", "kaiser", "i0"]


def _symmetric_positions(M):
    """NumPy's common start of the cosine windows: M as a float64 (a complex M stays complex,
    to fail at the comparison as in NumPy), and either the whole answer for M < 2 or the odd
    positions 1-M, 3-M, ..., M-1 and M."""
    values = _np.array([0.0, M])
    M = values[1]
    if M < 1:
        return _asarray(_np.array([], dtype=values.dtype)), M
    if M == 1:
        return _ones(1, dtype=values.dtype), M
    return None, M


def _window(M, formula):
    done, M = _symmetric_positions(M)
    return done if done is not None else formula(_arange(1 - M, M, 2), M)


def bartlett(M):
    """Triangular window."""
    return _window(M, lambda n, M: _u.where(_u.less_equal(n, 0), 1 + n / (M - 1), 1 - n / (M - 1)))


def blackman(M):
    """Blackman window: three cosine terms."""
    return _window(M, lambda n, M: 0.42 + 0.5 * _u.cos(_math.pi * n / (M - 1))
                   + 0.08 * _u.cos(2.0 * _math.pi * n / (M - 1)))


def hamming(M):
    """Hamming window: raised cosine, 0.54 + 0.46 cos."""
    return _window(M, lambda n, M: 0.54 + 0.46 * _u.cos(_math.pi * n / (M - 1)))


def hanning(M):
    """Hann window: raised cosine, 0.5 + 0.5 cos."""
    return _window(M, lambda n, M: 0.5 + 0.5 * _u.cos(_math.pi * n / (M - 1)))


def kaiser(M, beta):
    """Kaiser window: i0(beta sqrt(1 - ((n - alpha) / alpha)^2)) / i0(beta)."""
    values = _np.array([0.0, M, beta])
    M, beta = values[1], values[2]
    if M == 1:
        return _ones(1, dtype=values.dtype)
    n = _arange(0, M)
    alpha = (M - 1) / 2.0
    return i0(beta * _u.sqrt(1 - _u.square((n - alpha) / alpha))) / i0(_asarray(beta))


# Chebyshev coefficients of exp(-x) I0(x) on [0, 8] and of exp(-x) sqrt(x) I0(x) on (8, inf]
# (Cephes, as NumPy).
_I0_SMALL = [
    -4.41534164647933937950E-18, 3.33079451882223809783E-17, -2.43127984654795469359E-16,
    1.71539128555513303061E-15, -1.16853328779934516808E-14, 7.67618549860493561688E-14,
    -4.85644678311192946090E-13, 2.95505266312963983461E-12, -1.72682629144155570723E-11,
    9.67580903537323691224E-11, -5.18979560163526290666E-10, 2.65982372468238665035E-9,
    -1.30002500998624804212E-8, 6.04699502254191894932E-8, -2.67079385394061173391E-7,
    1.11738753912010371815E-6, -4.41673835845875056359E-6, 1.64484480707288970893E-5,
    -5.75419501008210370398E-5, 1.88502885095841655729E-4, -5.76375574538582365885E-4,
    1.63947561694133579842E-3, -4.32430999505057594430E-3, 1.05464603945949983183E-2,
    -2.37374148058994688156E-2, 4.93052842396707084878E-2, -9.49010970480476444210E-2,
    1.71620901522208775349E-1, -3.04682672343198398683E-1, 6.76795274409476084995E-1,
]
_I0_LARGE = [
    -7.23318048787475395456E-18, -4.83050448594418207126E-18, 4.46562142029675999901E-17,
    3.46122286769746109310E-17, -2.82762398051658348494E-16, -3.42548561967721913462E-16,
    1.77256013305652638360E-15, 3.81168066935262242075E-15, -9.55484669882830764870E-15,
    -4.15056934728722208663E-14, 1.54008621752140982691E-14, 3.85277838274214270114E-13,
    7.18012445138366623367E-13, -1.79417853150680611778E-12, -1.32158118404477131188E-11,
    -3.14991652796324136454E-11, 1.18891471078464383424E-11, 4.94060238822496958910E-10,
    3.39623202570838634515E-9, 2.26666899049817806459E-8, 2.04891858946906374183E-7,
    2.89137052083475648297E-6, 6.88975834691682398426E-5, 3.36911647825569408990E-3,
    8.04490411014108831608E-1,
]


def _chebyshev(x, coefficients):
    b0, b1, b2 = coefficients[0], 0.0, 0.0
    for c in coefficients[1:]:
        b2, b1 = b1, b0
        b0 = x * b1 - b2 + c
    return 0.5 * (b0 - b2)


def i0(x):
    """Modified Bessel function of the first kind, order 0 (float64 for non-float input;
    TypeError for complex)."""
    x = _asarray(x)
    if x.dtype.kind == "c":
        raise TypeError("i0 not supported for complex values")
    if x.dtype.kind != "f":
        x = x.astype(_np.float64)
    x = _u.abs(x)
    small = _u.less_equal(x, 8.0)
    large = _u.logical_not(small)  # NaN takes the large branch, as in NumPy's piecewise
    out = _empty_like(x)
    if out.ndim == 0:
        # 0-d: piecewise works on a 1-element view
        x, small, large, out_view = x.reshape(1), small.reshape(1), large.reshape(1), out.reshape(1)
    else:
        out_view = out
    # each branch only on its own elements (no 32/0 for zeros, no exp overflow warnings twice)
    xs, xl = x[small], x[large]
    out_view[small] = _u.exp(xs) * _chebyshev(xs / 2.0 - 2, _I0_SMALL)
    out_view[large] = _u.exp(xl) * _chebyshev(32.0 / xl - 2.0, _I0_LARGE) / _u.sqrt(xl)
    return out
