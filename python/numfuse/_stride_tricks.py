"""nf.lib.stride_tricks: as_strided and sliding_window_view as zero-copy numfuse views.

NumPy computes the layout (and raises its errors for bad window shapes, axes, ...) on a view of
the same memory; the result is then rebuilt as a numfuse view of the input's buffer with that
shape and those strides, so writes through either are seen by the other and by pending lazy
work, and the input's memory stays alive as long as the view does.
"""
import numpy as _np

from ._core import ndarray as _ndarray
from ._creation import asarray as _asarray

__all__ = ["as_strided", "sliding_window_view"]


def _view_like(x, np_view, np_result, writeable):
    """The numfuse view of `x`'s buffer with `np_result`'s layout (np_view is x's NumPy view)."""
    delta = np_result.__array_interface__["data"][0] - np_view.__array_interface__["data"][0]
    view = x._with_layout(x._offset + delta, np_result.shape, np_result.strides)
    if not writeable and view._writeable:
        view._set_writeable(False)
    return view


def _as_numfuse(x):
    return x if isinstance(x, _ndarray) else _asarray(x)


def as_strided(x, shape=None, strides=None, subok=False, writeable=True):
    """A view of `x` with the given shape and strides in bytes, as NumPy's (no bounds check:
    the strides must stay inside x's memory, as NumPy requires)."""
    x = _as_numfuse(x)
    np_view = _np.asarray(x)
    result = _np.lib.stride_tricks.as_strided(np_view, shape, strides, subok, writeable)
    return _view_like(x, np_view, result, writeable and x._writeable)


def sliding_window_view(x, window_shape, axis=None, *, subok=False, writeable=False):
    """The sliding windows of `x` as a view (read-only unless writeable=True), as NumPy's."""
    x = _as_numfuse(x)
    np_view = _np.asarray(x)
    result = _np.lib.stride_tricks.sliding_window_view(np_view, window_shape, axis, subok=subok,
                                                       writeable=writeable)
    return _view_like(x, np_view, result, writeable and x._writeable)
