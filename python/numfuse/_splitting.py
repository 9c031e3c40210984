"""split, array_split, hsplit, vsplit, dsplit: lists of views (slices along one axis)."""
import operator as _operator

from ._creation import asarray

__all__ = ["split", "array_split", "hsplit", "vsplit", "dsplit"]


def _boundaries(length, indices_or_sections):
    """The split points along an axis of `length`: given, or the sizes of `sections` near-equal
    parts, the first length % sections of them one longer (NumPy's rule)."""
    try:
        points = list(indices_or_sections)
    except TypeError:
        sections = int(indices_or_sections)
        if sections <= 0:
            raise ValueError("number sections must be larger than 0.") from None
        each, extras = divmod(length, sections)
        bounds = [0]
        for i in range(sections):
            bounds.append(bounds[-1] + each + (i < extras))
        return bounds
    return [0] + points + [length]


def array_split(ary, indices_or_sections, axis=0):
    """Views of `ary` split along `axis` at the given indices or into near-equal sections."""
    ary = asarray(ary)
    length = ary.shape[axis]
    bounds = _boundaries(length, indices_or_sections)
    axis = _operator.index(axis) % ary.ndim
    lead = (slice(None),) * axis
    return [ary[lead + (slice(start, stop),)] for start, stop in zip(bounds[:-1], bounds[1:])]


def split(ary, indices_or_sections, axis=0):
    """array_split, but a number of sections must divide the axis evenly."""
    try:
        len(indices_or_sections)
    except TypeError:
        sections = indices_or_sections
        length = asarray(ary).shape[axis]
        if length % sections:  # 0 sections: ZeroDivisionError, as NumPy's
            raise ValueError("array split does not result in an equal division") from None
    return array_split(ary, indices_or_sections, axis)


def _split_along(ary, indices_or_sections, min_ndim, axis, name):
    ary = asarray(ary)
    if ary.ndim < min_ndim:
        raise ValueError(f"{name} only works on arrays of {min_ndim} or more dimensions")
    return split(ary, indices_or_sections, axis)


def hsplit(ary, indices_or_sections):
    ary = asarray(ary)
    return _split_along(ary, indices_or_sections, 1, 1 if ary.ndim > 1 else 0, "hsplit")


def vsplit(ary, indices_or_sections):
    return _split_along(ary, indices_or_sections, 2, 0, "vsplit")


def dsplit(ary, indices_or_sections):
    return _split_along(ary, indices_or_sections, 3, 2, "dsplit")
