"""pad, every NumPy mode, axis by axis on one preallocated result.

The input is copied into the middle of the result once; then each axis in turn fills its two
pad areas from the region already holding values (the earlier axes padded in full, the later
ones only over the original extent), which is what makes corners come out as NumPy's. Reflect
and symmetric pads longer than the data repeat in chunks, each reflecting the values already
written (so reflect_type='odd' keeps extrapolating, as in NumPy); wrap is the periodic extension.
"""
import numpy as _np

from ._creation import arange, asarray, empty, zeros
from . import _ufuncs as _u

__all__ = ["pad"]

_MODE_KEYWORDS = {
    "empty": (), "edge": (), "wrap": (),
    "constant": ("constant_values",),
    "linear_ramp": ("end_values",),
    "maximum": ("stat_length",), "mean": ("stat_length",), "median": ("stat_length",),
    "minimum": ("stat_length",),
    "reflect": ("reflect_type",), "symmetric": ("reflect_type",),
}


def _pairs(x, ndim, as_index=False):
    """A (before, after) pair per axis from a scalar, a pair, or one pair per axis."""
    if x is None:
        return ((None, None),) * ndim
    x = _np.array(x)
    if as_index:
        x = _np.round(x).astype(_np.intp, copy=False)
    if x.ndim < 3 and x.size == 1:
        x = x.ravel()
        if as_index and x[0] < 0:
            raise ValueError("index can't contain negative values")
        return ((x[0], x[0]),) * ndim
    if x.ndim < 3 and x.size == 2 and x.shape != (2, 1):
        x = x.ravel()
        if as_index and (x[0] < 0 or x[1] < 0):
            raise ValueError("index can't contain negative values")
        return ((x[0], x[1]),) * ndim
    if as_index and x.size and x.min() < 0:
        raise ValueError("index can't contain negative values")
    return _np.broadcast_to(x, (ndim, 2)).tolist()


def _at(axis, index, ndim):
    """A key selecting `index` (a slice) along `axis`, everything along the other axes."""
    return (slice(None),) * axis + (index,) + (slice(None),) * (ndim - axis - 1)


class _Axis:
    """One axis of the region being padded: the view and its (before, after) pad widths."""

    def __init__(self, region, axis, widths):
        self.region, self.axis, self.ndim = region, axis, region.ndim
        self.before, self.after = int(widths[0]), int(widths[1])
        self.length = region.shape[axis]

    def __getitem__(self, index):
        return self.region[_at(self.axis, index, self.ndim)]

    def __setitem__(self, index, value):
        self.region[_at(self.axis, index, self.ndim)] = value

    def fill(self, before_value, after_value):
        self[:self.before] = before_value
        self[self.length - self.after:] = after_value

    def edges(self):
        """The first and last values along the axis (kept as length-1 axes)."""
        first = self[self.before:self.before + 1]
        last = self[self.length - self.after - 1:self.length - self.after]
        return first, last


def _constant(ax, values):
    ax.fill(*values)


def _edge(ax):
    ax.fill(*ax.edges())


def _linear_ramp(ax, end_values):
    """Ramps from each end value towards the edge value, the edge excluded (NumPy's linspace
    arithmetic, floored for integer arrays)."""
    ramps = []
    for end, edge, width in zip(end_values, ax.edges(), (ax.before, ax.after)):
        work = _np.result_type(end, edge.dtype, float(width))
        shape = [1] * ax.ndim
        shape[ax.axis] = width
        steps = arange(0, width, dtype=work).reshape(shape)
        delta = _u.subtract(asarray(edge, dtype=work), end)
        step = delta / width if width else delta
        if width and bool((step == 0).any()):
            ramp = steps / width * delta + end
        else:
            ramp = steps * step + end
        if ax.region.dtype.kind in "iu":
            ramp = _u.floor(ramp)
        ramps.append(ramp.astype(ax.region.dtype))
    ax.fill(ramps[0], ramps[1][_at(ax.axis, slice(None, None, -1), ax.ndim)])


def _statistic(ax, mode, lengths):
    """Each pad area set to a statistic of the `lengths` values next to it."""
    stop = ax.length - ax.after
    available = stop - ax.before
    left, right = (available if n is None or n > available else int(n) for n in lengths)
    if (left == 0 or right == 0) and mode in ("maximum", "minimum"):
        raise ValueError("stat_length of 0 yields no value for padding")
    reduce = _STATISTICS[mode]

    def stat(chunk):
        value = reduce(chunk, ax.axis)
        if ax.region.dtype.kind in "iu":
            value = _u.round(value)
        return value.astype(ax.region.dtype)

    left_stat = stat(ax[ax.before:ax.before + left])
    if left == right == available:
        ax.fill(left_stat, left_stat)
    else:
        ax.fill(left_stat, stat(ax[stop - right:stop]))


def _median(x, axis):
    import numfuse
    return numfuse.median(x, axis=axis, keepdims=True)


_STATISTICS = {
    "maximum": lambda x, axis: x.max(axis=axis, keepdims=True),
    "minimum": lambda x, axis: x.min(axis=axis, keepdims=True),
    "mean": lambda x, axis: x.mean(axis=axis, keepdims=True),
    "median": _median,
}


def _reflect(ax, odd, include_edge, period):
    """Chunks mirrored about the current edge until both pad areas are full: each chunk at most
    the data length (less the edge for reflect), rounded down to whole periods of the original."""
    before, after = ax.before, ax.after
    while before > 0 or after > 0:
        filled = ax.length - before - after
        if include_edge:
            chunk_max, offset = filled // period * period, 1
        else:
            chunk_max, offset = (filled - 1) // (period - 1) * (period - 1), 0
        if before > 0:
            n = min(chunk_max, before)
            chunk = ax[before - offset + n:before - offset:-1]
            if odd:
                chunk = 2 * ax[before:before + 1] - chunk
            ax[before - n:before] = chunk
            before -= n
        if after > 0:
            n = min(chunk_max, after)
            start = ax.length - after + offset - 2  # the mirror of the first pad element
            chunk = ax[slice(start, start - n if start - n >= 0 else None, -1)]
            if odd:
                edge = ax.length - after - 1
                chunk = 2 * ax[edge:edge + 1] - chunk
            ax[ax.length - after:ax.length - after + n] = chunk
            after -= n


def _wrap(ax):
    """The periodic extension of the original values along the axis, copied a period (or the
    rest of the pad) at a time from the original area."""
    period = ax.length - ax.before - ax.after
    origin = ax.before
    filled = 0
    while filled < ax.before:  # the chunk ending at the data maps to the period's last values
        n = min(period, ax.before - filled)
        ax[ax.before - filled - n:ax.before - filled] = ax[origin + period - n:origin + period]
        filled += n
    start, filled = ax.length - ax.after, 0
    while filled < ax.after:  # each chunk starting after the data maps to the period's start
        n = min(period, ax.after - filled)
        ax[start + filled:start + filled + n] = ax[origin:origin + n]
        filled += n


def _check_keywords(mode, kwargs):
    try:
        unsupported = set(kwargs) - set(_MODE_KEYWORDS[mode])
    except (KeyError, TypeError):
        raise ValueError(f"mode '{mode}' is not supported") from None
    if unsupported:
        raise ValueError(f"unsupported keyword arguments for mode '{mode}': {unsupported}")


def _padded(array, widths, fill=None):
    shape = tuple(n + before + after for n, (before, after) in zip(array.shape, widths))
    result = empty(shape, dtype=array.dtype) if fill is None else zeros(shape, dtype=array.dtype)
    center = tuple(slice(before, before + n) for n, (before, _) in zip(array.shape, widths))
    result[center] = array
    return result, center


def _pad_callable(array, widths, function, kwargs):
    """NumPy's protocol: function(vector, (before, after), axis, kwargs) edits each 1-D vector
    along each axis of the zero-padded result in place."""
    from ._index_tricks import ndindex
    from ._manipulation import moveaxis
    result, _ = _padded(array, widths, fill=0)
    for axis in range(result.ndim):
        view = moveaxis(result, axis, -1)
        for index in ndindex(view.shape[:-1]):
            function(view[index + (Ellipsis,)], widths[axis], axis, kwargs)
    return result


def pad(array, pad_width, mode="constant", **kwargs):
    """`array` padded by pad_width ((before, after) per axis, or one pair / one number for all)."""
    array = asarray(array)
    widths = _np.asarray(pad_width)
    if widths.dtype.kind != "i":
        raise TypeError("`pad_width` must be of integral type.")
    widths = [tuple(int(w) for w in pair) for pair in _pairs(widths, array.ndim, as_index=True)]
    if callable(mode):
        return _pad_callable(array, widths, mode, kwargs)
    _check_keywords(mode, kwargs)
    if mode == "constant":
        values = _pairs(kwargs.get("constant_values", 0), array.ndim)
    result, center = _padded(array, widths)
    if mode == "empty":
        return result
    if mode != "constant" and array.size == 0:
        for axis, pair in enumerate(widths):
            if array.shape[axis] == 0 and any(pair):
                raise ValueError(f"can't extend empty axis {axis} using modes other than 'constant' "
                                 "or 'empty'")
        return result
    if mode in ("maximum", "minimum", "mean", "median"):
        lengths = _pairs(kwargs.get("stat_length"), array.ndim, as_index=True)
    elif mode == "linear_ramp":
        ends = _pairs(kwargs.get("end_values", 0), array.ndim)
    odd = kwargs.get("reflect_type", "even") == "odd"
    for axis in range(array.ndim):
        # The earlier axes are padded already: work over their full extent, the later axes'
        # original extent only.
        key = tuple(slice(None) if d <= axis else center[d] for d in range(array.ndim))
        ax = _Axis(result[key], axis, widths[axis])
        if mode == "constant":
            _constant(ax, values[axis])
        elif mode in _STATISTICS:  # before the no-pad skip: NumPy checks stat_length anyway
            _statistic(ax, mode, lengths[axis])
        elif ax.before == 0 and ax.after == 0:
            continue
        elif mode == "edge" or (mode in ("reflect", "symmetric") and array.shape[axis] == 1):
            _edge(ax)
        elif mode == "linear_ramp":
            _linear_ramp(ax, ends[axis])
        elif mode in ("reflect", "symmetric"):
            _reflect(ax, odd, mode == "symmetric", array.shape[axis])
        elif mode == "wrap":
            _wrap(ax)
    return result
