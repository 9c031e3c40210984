"""nan_to_num, isposinf, isneginf, isreal, iscomplex, isrealobj, iscomplexobj, isscalar,
real_if_close, asarray_chkfinite: type tests and non-finite clean-up as fused numfuse
elementwise expressions (the same steps as NumPy's lib/_type_check_impl.py)."""
import numbers as _numbers

import numpy as _np

from . import _core
from ._array_edit import copyto as _copyto
from ._creation import array as _array, asarray as _asarray, zeros as _zeros
from . import _ufuncs as _u

__all__ = ["nan_to_num", "isposinf", "isneginf", "isreal", "iscomplex", "isrealobj",
           "iscomplexobj", "isscalar", "real_if_close", "asarray_chkfinite"]


def _scalar_if_0d(x):
    return x[()] if x.ndim == 0 else x


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """NaN -> `nan`, +inf -> `posinf` (default the dtype's largest), -inf -> `neginf` (default
    its most negative), real and imaginary parts separately; other dtypes pass unchanged."""
    x = _array(x, copy=copy)
    if x.dtype.kind not in "fc":
        return _scalar_if_0d(x)
    parts = (x.real, x.imag) if x.dtype.kind == "c" else (x,)
    limits = _np.finfo(parts[0].dtype)
    fills = (nan, limits.max if posinf is None else posinf, limits.min if neginf is None else neginf)
    for part in parts:
        # every mask is taken before any write (a fill value that is itself NaN or inf stays)
        masks = [_u.isnan(part), isposinf(part), isneginf(part)]
        _core.eval(*masks)
        for fill, mask in zip(fills, masks):
            _copyto(part, fill, where=mask)
    return _scalar_if_0d(x)


def _infinite_with_sign(x, out, negative):
    is_inf = _u.isinf(x)
    try:
        sign = _u.signbit(x)
    except TypeError as error:
        raise TypeError(f"This operation is not supported for {_asarray(x).dtype} values "
                        "because it would be ambiguous.") from error
    return _u.logical_and(is_inf, sign if negative else _u.logical_not(sign), out)


def isposinf(x, out=None):
    """+inf elementwise (TypeError for complex input: the sign of a complex inf is ambiguous)."""
    return _infinite_with_sign(x, out, negative=False)


def isneginf(x, out=None):
    """-inf elementwise (TypeError for complex input)."""
    return _infinite_with_sign(x, out, negative=True)


def _imag(x):
    # NumPy's np.imag: the object's own .imag where it has one (Python and NumPy scalars too)
    try:
        return x.imag
    except AttributeError:
        return _asarray(x).imag


def isreal(x):
    """Imaginary part == 0 elementwise (True everywhere for non-complex input)."""
    return _imag(x) == 0


def iscomplex(x):
    """Imaginary part != 0 elementwise (False everywhere for non-complex input)."""
    x = _asarray(x)
    if x.dtype.kind == "c":
        return x.imag != 0
    return _scalar_if_0d(_zeros(x.shape, bool))


def _dtype_of(x):
    try:
        return x.dtype
    except AttributeError:
        # Python data: only its inferred dtype's kind matters (strings and objects included)
        return _np.asarray(x).dtype


def iscomplexobj(x):
    """Whether the dtype of `x` (or of the array it makes) is complex."""
    return issubclass(_np.dtype(_dtype_of(x)).type, _np.complexfloating)


def isrealobj(x):
    return not iscomplexobj(x)


def isscalar(element):
    """NumPy scalars, Python numbers, str/bytes and other scalar types (not 0-d arrays)."""
    return (isinstance(element, _np.generic) or type(element) in _np.ScalarType
            or isinstance(element, _numbers.Number))


def real_if_close(a, tol=100):
    """The real part if every imaginary part is below `tol` (in machine epsilons when > 1)."""
    a = _asarray(a)
    if a.dtype.kind != "c":
        return a
    if tol > 1:
        tol = _np.finfo(a.dtype).eps * tol
    if bool(_u.less(_u.absolute(a.imag), tol).all()):
        a = a.real
    return a


def asarray_chkfinite(a, dtype=None, order=None):
    """asarray, with ValueError if a float or complex result holds NaN or inf."""
    a = _asarray(a, dtype=dtype, order=order if order in ("C", "F") else None)
    if a.dtype.kind in "fc" and not bool(_u.isfinite(a).all()):
        raise ValueError("array must not contain infs or NaNs")
    return a
