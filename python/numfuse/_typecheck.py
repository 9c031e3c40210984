"""nan_to_num, isposinf, isneginf, isreal, iscomplex, isrealobj, iscomplexobj, isscalar,
real_if_close, asarray_chkfinite: type tests and non-finite clean-up as fused numfuse
elementwise expressions (the same steps as NumPy's lib/_type_check_impl.py)."""
import numbers as _numbers

import numpy as _np

from . import _core
from ._array_edit import _cast_for
from ._creation import array as _array, asarray as _asarray, zeros as _zeros
from . import _ufuncs as _u

__all__ = ["nan_to_num", "isposinf", "isneginf", "isreal", "iscomplex", "isrealobj",
           "iscomplexobj", "isscalar", "real_if_close", "asarray_chkfinite"]


def _scalar_if_0d(x):
    return x[()] if x.ndim == 0 else x


def _fill_for(part, value):
    """A fill value as copyto(part, value) would take it: same_kind cast, broadcast into part."""
    fill = _cast_for(part.dtype, value, "same_kind")
    if _np.broadcast_shapes(fill.shape, part.shape) != part.shape:
        raise ValueError(f"could not broadcast input array from shape {fill.shape} into "
                         f"shape {part.shape}")
    return fill


def _finite(part, nan, posinf, neginf):
    """part with NaN, +inf, -inf replaced, in one fused select (the masks are all taken from
    the original values, as NumPy takes them before its copies: a NaN fill stays NaN)."""
    fills = [_fill_for(part, value) for value in (nan, posinf, neginf)]
    return _u.where(_u.isnan(part), fills[0], _u.where(
        _u.equal(part, _np.inf), fills[1], _u.where(_u.equal(part, -_np.inf), fills[2], part)))


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """NaN -> `nan`, +inf -> `posinf` (default the dtype's largest), -inf -> `neginf` (default
    its most negative), real and imaginary parts separately; other dtypes pass unchanged."""
    x = _asarray(x) if copy else _array(x, copy=False)
    if x.dtype.kind not in "fc":
        return _scalar_if_0d(_array(x) if copy else x)
    limits = _np.finfo(x.real.dtype)
    fills = (nan, limits.max if posinf is None else posinf,
             limits.min if neginf is None else neginf)
    if x.dtype.kind == "f":
        cleaned = _finite(x, *fills)
        if copy:
            if not x._buffer_pooled:
                _core.eval(cleaned)  # a copy of foreign (NumPy) memory is taken now, as array()
            return _scalar_if_0d(cleaned)
        x[...] = cleaned
        return _scalar_if_0d(x)
    target = _array(x) if copy else x
    real, imag = _finite(x.real, *fills), _finite(x.imag, *fills)
    _core.eval(real, imag)  # both parts read before either is written (copy=False)
    target.real[...] = real
    target.imag[...] = imag
    return _scalar_if_0d(target)


def _equals_infinity(x, out, infinity):
    """isinf(x) & (signbit(x) or not), which for real input is one comparison with +-inf."""
    x = _asarray(x)
    if x.dtype.kind == "c":
        raise TypeError(f"This operation is not supported for {x.dtype} values "
                        "because it would be ambiguous.")
    return _u.equal(x, infinity, out)


def isposinf(x, out=None):
    """+inf elementwise (TypeError for complex input: the sign of a complex inf is ambiguous)."""
    return _equals_infinity(x, out, _np.inf)


def isneginf(x, out=None):
    """-inf elementwise (TypeError for complex input)."""
    return _equals_infinity(x, out, -_np.inf)


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
