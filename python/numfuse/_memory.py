"""may_share_memory, shares_memory: whether two arrays' memory overlaps, from their data
pointers, shapes and strides (the array interface, which numfuse and NumPy arrays both have)."""
import numpy as _np

__all__ = ["may_share_memory", "shares_memory"]


def _layout(x):
    """(lowest byte, one past the highest byte, whether every byte between is used) of an
    array's elements, or None for an empty array or anything that is not an array (NumPy
    would make it a new array, which shares nothing)."""
    interface = getattr(x, "__array_interface__", None)
    if not isinstance(x, _np.ndarray) and not hasattr(x, "_same_buffer") or interface is None:
        return None
    shape = interface["shape"]
    itemsize = _np.dtype(interface["typestr"]).itemsize
    strides = interface["strides"]
    if strides is None:  # C-contiguous
        strides, step = [], itemsize
        for length in reversed(shape):
            strides.insert(0, step)
            step *= length
    if any(length == 0 for length in shape):
        return None
    low = high = interface["data"][0]
    for length, stride in zip(shape, strides):
        reach = (length - 1) * stride
        low, high = (low + reach, high) if reach < 0 else (low, high + reach)
    # dense: the axes sorted by stride step exactly over each other, starting at one item
    step = itemsize
    for length, stride in sorted((p for p in zip(shape, strides) if p[0] > 1),
                                 key=lambda p: abs(p[1])):
        if abs(stride) != step:
            break
        step *= length
    else:
        return low, high + itemsize, True
    return low, high + itemsize, False


def _checked_max_work(max_work, default):
    if max_work is None:
        return default
    if not isinstance(max_work, (int, _np.integer)):
        raise ValueError("max_work must be an integer")
    if not -2**63 <= max_work < 2**63:
        raise OverflowError("Python int too large to convert to C ssize_t")
    if max_work < -2:
        raise ValueError("Invalid value for max_work")
    return int(max_work)


def _overlap(a, b, max_work, too_hard_means_maybe):
    """NumPy's answer: no common span is no overlap; two spans that use every byte and overlap
    share one; other overlapping spans need the search (max_work 0: none, which is 'too hard':
    True for may_share_memory, TooHardError for shares_memory)."""
    layout_a, layout_b = _layout(a), _layout(b)
    if layout_a is None or layout_b is None:
        return False
    (low_a, high_a, dense_a), (low_b, high_b, dense_b) = layout_a, layout_b
    if not (low_a < high_b and low_b < high_a):
        return False
    try:
        if max_work == 0:
            raise _np.exceptions.TooHardError("Exceeded max_work")
        if dense_a and dense_b:
            return True
        # strided spans that interleave: NumPy's bounded Diophantine solver on zero-copy
        # views of the two layouts
        return bool(_np.shares_memory(_np.asarray(a), _np.asarray(b), max_work=max_work))
    except _np.exceptions.TooHardError:
        if too_hard_means_maybe:
            return True
        raise


def may_share_memory(a, b, /, max_work=0):
    """Whether a and b might share memory (max_work=0: their spans overlap)."""
    return _overlap(a, b, _checked_max_work(max_work, 0), too_hard_means_maybe=True)


def shares_memory(a, b, /, max_work=-1):
    """Whether a and b have a byte in common (exactly; max_work bounds the search effort)."""
    return _overlap(a, b, _checked_max_work(max_work, -1), too_hard_means_maybe=False)
