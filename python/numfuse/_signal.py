"""sinc and unwrap: NumPy's formulas (lib/_function_base_impl.py) as fused numfuse expressions
(a select for sinc's zero, diff + mod + cumsum for unwrap)."""
import math as _math

import numpy as _np

from ._creation import asarray as _asarray
from ._manipulation import _normalize_axis, concatenate as _concatenate
from ._reductions import cumsum as _cumsum
from . import _ufuncs as _u

__all__ = ["sinc", "unwrap"]


def sinc(x):
    """sin(pi x) / (pi x), 1 at 0 (there the argument is the dtype's eps, or 1e-20)."""
    x = _u.multiply(_math.pi, _asarray(x))
    eps = _np.finfo(x.dtype).eps if x.dtype.kind == "f" else 1e-20
    y = _u.where(_u.not_equal(x, 0), x, eps)
    return _u.sin(y) / y


def _diff(p, axis):
    ahead = [slice(None)] * p.ndim
    behind = [slice(None)] * p.ndim
    ahead[axis], behind[axis] = slice(1, None), slice(None, -1)
    # (np.diff: booleans differ where they are unequal)
    difference = _u.not_equal if p.dtype == _np.bool_ else _u.subtract
    return difference(p[tuple(ahead)], p[tuple(behind)]), tuple(ahead)


def unwrap(p, discont=None, axis=-1, *, period=2 * _math.pi):
    """p with jumps larger than `discont` between neighbours along `axis` taken back by
    multiples of `period`."""
    p = _asarray(p)
    if p.ndim == 0:
        raise ValueError("diff requires input that is at least one dimensional")
    axis = _normalize_axis(axis, p.ndim)
    dd, after_first = _diff(p, axis)
    if discont is None:
        discont = period / 2
    dtype = _np.result_type(dd.dtype, period)
    if dtype.kind in "iu":
        interval_high, rem = divmod(period, 2)
        boundary_ambiguous = rem == 0
    else:
        interval_high = period / 2
        boundary_ambiguous = True
    interval_low = -interval_high
    ddmod = _u.add(_u.mod(_u.subtract(dd, interval_low), period), interval_low)
    if boundary_ambiguous:
        # (NumPy's masked copies as selects: Python-scalar fills keep ddmod's dtype)
        ddmod = _u.where(_u.logical_and(_u.equal(ddmod, interval_low), _u.greater(dd, 0)),
                         interval_high, ddmod)
    ph_correct = _u.where(_u.less(_u.abs(dd), discont), 0, _u.subtract(ddmod, dd))
    first = p[after_first[:axis] + (slice(None, 1),)]
    corrected = _u.add(p[after_first], _cumsum(ph_correct, axis))
    return _concatenate((first.astype(dtype), corrected.astype(dtype)), axis=axis)
