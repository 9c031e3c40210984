"""Printing: numfuse arrays print through NumPy's formatter, on a zero-copy NumPy view.

One formatter and one set of print options serve both libraries: `nf.set_printoptions` is
NumPy's state (a context variable in NumPy 2), so `np.printoptions(precision=3)` also shapes how
numfuse arrays print, as a script that mixes the two expects. Pending lazy values are computed
by the view. Nothing here is a hot path; formatting is NumPy's own code, exactly.
"""
import numpy as _np

__all__ = ["set_printoptions", "get_printoptions", "printoptions", "array2string", "array_repr",
           "array_str", "format_float_positional", "format_float_scientific"]

set_printoptions = _np.set_printoptions
get_printoptions = _np.get_printoptions
printoptions = _np.printoptions
format_float_positional = _np.format_float_positional
format_float_scientific = _np.format_float_scientific


def array2string(a, *args, **kwargs):
    return _np.array2string(_np.asarray(a), *args, **kwargs)


def array_repr(arr, max_line_width=None, precision=None, suppress_small=None):
    return _np.array_repr(_np.asarray(arr), max_line_width, precision, suppress_small)


def array_str(a, max_line_width=None, precision=None, suppress_small=None):
    return _np.array_str(_np.asarray(a), max_line_width, precision, suppress_small)
