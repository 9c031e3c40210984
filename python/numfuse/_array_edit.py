"""copyto, append, insert, delete, resize, rollaxis, trim_zeros: copying values into an array
and building edited copies (elements added, removed, repeated), from numfuse's own selects,
concatenations and indexing."""

import numpy as _np

from ._core import ndarray as _ndarray
from ._creation import asarray as _asarray
from ._ufuncs import where as _where

__all__ = ["copyto"]

_PYTHON_SCALARS = (bool, int, float, complex)


def _cast_for(dst_dtype, src, casting):
    """`src` as a numfuse array of `dst_dtype`, after NumPy's casting check."""
    if type(src) in _PYTHON_SCALARS:
        # NumPy 2's rules for a weak Python scalar (by kind, by value for out-of-range ints, by
        # the default dtype under 'no'/'equiv') are applied by NumPy itself on one 0-d element,
        # with its errors and cast warnings; the copy into `dst` is numfuse's
        element = _np.empty((), dst_dtype)
        _np.copyto(element, src, casting=casting)
        return _asarray(element)
    src = _asarray(src)
    if not _np.can_cast(src.dtype, dst_dtype, casting):
        raise TypeError(f"Cannot cast array data from {src.dtype!r} to {dst_dtype!r} "
                        f"according to the rule {casting!r}")
    return src if src.dtype == dst_dtype else src.astype(dst_dtype)


def copyto(dst, src, casting="same_kind", where=True):
    """Copies `src` (broadcast) into `dst` where `where` holds, after NumPy's casting check."""
    if not isinstance(dst, (_ndarray, _np.ndarray)):
        raise TypeError(f"copyto() argument 1 must be a numpy.ndarray, not {type(dst).__name__}")
    if casting not in ("no", "equiv", "safe", "same_kind", "unsafe"):
        raise ValueError("casting must be one of 'no', 'equiv', 'safe', 'same_kind', or 'unsafe'")
    target = _asarray(dst)
    values = _cast_for(target.dtype, src, casting)
    if where is True:
        target[...] = values
        return
    mask = _asarray(where)
    if mask.dtype != _np.bool_:
        raise TypeError(f"Cannot cast array data from {mask.dtype!r} to dtype('bool') "
                        "according to the rule 'safe'")
    target[...] = _where(mask, values, target)
