"""hstack, vstack, dstack, column_stack, row_stack, block: joins built on concatenate."""
import warnings as _warnings

from ._creation import asarray
from ._manipulation import atleast_1d, atleast_2d, atleast_3d, concatenate

__all__ = ["hstack", "vstack", "dstack", "column_stack", "row_stack", "block"]


def _sequence(tup, name):
    if not hasattr(tup, "__getitem__"):  # NumPy's test: generators are refused
        raise TypeError(f"arrays to stack must be passed as a \"sequence\" type such as list or "
                        f"tuple. ({name})")
    return [asarray(a) for a in tup]


def hstack(tup, *, dtype=None, casting="same_kind"):
    arrays = [atleast_1d(a) for a in _sequence(tup, "hstack")]
    axis = 0 if arrays and arrays[0].ndim == 1 else 1
    return concatenate(arrays, axis, dtype=dtype, casting=casting)


def vstack(tup, *, dtype=None, casting="same_kind"):
    arrays = [atleast_2d(a) for a in _sequence(tup, "vstack")]
    return concatenate(arrays, 0, dtype=dtype, casting=casting)


def row_stack(tup, *, dtype=None, casting="same_kind"):
    _warnings.warn("`row_stack` alias is deprecated. Use `np.vstack` directly.", DeprecationWarning,
                   stacklevel=2)
    return vstack(tup, dtype=dtype, casting=casting)


def dstack(tup):
    return concatenate([atleast_3d(a) for a in _sequence(tup, "dstack")], 2)


def column_stack(tup):
    """1-D inputs become columns, 2-D ones are joined as they are."""
    columns = [a if a.ndim >= 2 else a.reshape(1, -1).T if a.ndim == 1 else a.reshape(1, 1)
               for a in _sequence(tup, "column_stack")]
    return concatenate(columns, 1)


def _where(index):
    return "arrays" + "".join(f"[{i}]" for i in index)


def _layout(arrays, index=()):
    """(list depth, largest leaf ndim) of a block layout, checking NumPy's rules: lists only,
    none empty, every leaf at the same depth."""
    if type(arrays) is tuple:
        raise TypeError(f"{_where(index)} is a tuple. Only lists can be used to arrange blocks, and "
                        "np.block does not allow implicit conversion from tuple to ndarray.")
    if type(arrays) is not list:
        return 0, asarray(arrays).ndim
    if not arrays:
        raise ValueError(f"List at {_where(index)} cannot be empty")
    first_depth, ndim = None, 0
    for i, item in enumerate(arrays):
        depth, item_ndim = _layout(item, index + (i,))
        if first_depth is None:
            first_depth = depth
        elif depth != first_depth:
            raise ValueError(f"List depths are mismatched. First element was at depth "
                             f"{first_depth + 1}, but there is an element at depth {depth + 1} "
                             f"({_where(index + (i,))})")
        ndim = max(ndim, item_ndim)
    return first_depth + 1, ndim


def _assemble(arrays, depth, list_ndim, ndim):
    if depth == list_ndim:
        leaf = asarray(arrays)
        return leaf.reshape((1,) * (ndim - leaf.ndim) + leaf.shape)
    parts = [_assemble(item, depth + 1, list_ndim, ndim) for item in arrays]
    return concatenate(parts, axis=depth - list_ndim)


def block(arrays):
    """An array assembled from nested lists of blocks: the innermost lists join along the last
    axis, the next ones along the axis before, and so on."""
    list_ndim, leaf_ndim = _layout(arrays)
    ndim = max(list_ndim, leaf_ndim)
    result = _assemble(arrays, 0, list_ndim, ndim)
    return result.copy() if list_ndim == 0 else result
