"""isclose, allclose, array_equal, array_equiv: fused elementwise comparisons and one all()."""
import builtins as _builtins

import numpy as _np

from ._creation import asarray
from ._manipulation import broadcast_shapes
from . import _ufuncs as _u

__all__ = ["isclose", "allclose", "array_equal", "array_equiv"]

_PYTHON_NUMBERS = (int, float, complex)


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """|a - b| <= atol + rtol * |b| elementwise (b's values set the scale; NaN close to nothing
    unless equal_nan, equal infinities close)."""
    x, y, atol, rtol = (v if isinstance(v, _PYTHON_NUMBERS) else asarray(v) for v in (a, b, atol, rtol))
    if hasattr(y, "dtype"):
        y = asarray(y, dtype=_np.result_type(y.dtype, 1.0))  # at least a float: |y| of int min
    elif isinstance(y, int):
        y = float(y)
    result = (_u.less_equal(_u.abs(x - y), atol + rtol * _u.abs(y)) & _u.isfinite(y)) | (x == y)
    if equal_nan:
        result = result | (_u.isnan(x) & _u.isnan(y))
    return result[()] if getattr(result, "ndim", 0) == 0 else result


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether isclose holds everywhere, as a Python bool."""
    return _builtins.bool(asarray(isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)).all())


def _as_arrays(a1, a2):
    try:
        return asarray(a1), asarray(a2)
    except Exception:  # noqa: BLE001  (NumPy: anything that is not an array is simply unequal)
        return None


def array_equal(a1, a2, equal_nan=False):
    """Same shape and equal values (NaN equal to NaN with equal_nan), as a Python bool."""
    arrays = _as_arrays(a1, a2)
    if arrays is None:
        return False
    a1, a2 = arrays
    if a1.shape != a2.shape:
        return False
    equal = a1 == a2
    if equal_nan and (a1.dtype.kind in "fc" or a2.dtype.kind in "fc"):
        equal = equal | (_u.isnan(a1) & _u.isnan(a2))
    return _builtins.bool(asarray(equal).all())


def array_equiv(a1, a2):
    """Shapes that broadcast together and equal values, as a Python bool."""
    arrays = _as_arrays(a1, a2)
    if arrays is None:
        return False
    a1, a2 = arrays
    try:
        broadcast_shapes(a1.shape, a2.shape)
    except ValueError:
        return False
    return _builtins.bool(asarray(a1 == a2).all())
