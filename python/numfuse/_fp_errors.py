"""NumPy's floating-point error handling, honoured by numfuse's kernels.

One state, NumPy's: the modes (ignore/warn/raise/call/print/log per category divide/over/under/
invalid) live in NumPy's errstate context variable, so `np.errstate` and `nf.errstate` (and
`np.seterr`/`nf.seterr`) are interchangeable. The kernels collect the IEEE flags of every
evaluation (ufuncs/include/numfuse/ufuncs/fp_status.hpp); at the end of an evaluation that raised
any, the compiled core calls `_report`, which reads `np.geterr()` *then* and acts as NumPy's
ufuncs do, with NumPy's messages ("divide by zero encountered in log").

Lazy arrays are evaluated when observed, so the modes that apply are those in effect at that
moment. `nf.errstate` and `nf.seterr` therefore evaluate all pending work on entry and exit (and
on change): an op recorded inside an `nf.errstate` block is evaluated under its modes, an op
recorded before it under the outer ones. `np.errstate` cannot do that for numfuse's ops.
"""
import contextlib
import os
import sys
import warnings

import numpy as _np

from . import _core

__all__ = ["errstate", "seterr", "geterr", "seterrcall", "geterrcall"]

# NumPy's flag bits (1, 2, 4, 8), its names for them and its report order.
_CATEGORIES = (("divide", "divide by zero"), ("over", "overflow"),
               ("under", "underflow"), ("invalid", "invalid value"))
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _user_stacklevel():
    """The warnings.warn stacklevel of the first frame outside numfuse (the user's line)."""
    frame = sys._getframe(3)  # _act's, _report's, then its caller (the core has no frames)
    level = 3
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
        level += 1
    return level if frame is not None else 2


def _numpy_name(source):
    """NumPy's name of the ufunc (true_divide is NumPy's `divide`), "cast" or "reduce"."""
    ufunc = getattr(_np, source, None)
    return ufunc.__name__ if isinstance(ufunc, _np.ufunc) else source


def _report(entries):
    """Called by the core after an evaluation that raised flags: [(NumPy's flag bits, name of the
    ufunc that raised them), ...] in the order the ops raised them."""
    modes = _np.geterr()
    for flags, source in entries:
        source = _numpy_name(source)
        for bit, (key, text) in enumerate(_CATEGORIES):
            if flags >> bit & 1:
                _act(modes[key], text, source, flags)


def _act(mode, text, source, flags):
    """What NumPy's ufuncs do for one flag of one op (numpy/_core/src/umath/extobj.c)."""
    if mode == "ignore":
        return
    message = f"{text} encountered in {source}"
    if mode == "warn":
        warnings.warn(message, RuntimeWarning, stacklevel=_user_stacklevel())
    elif mode == "raise":
        raise FloatingPointError(message)
    elif mode == "call":
        func = _np.geterrcall()
        if func is None:
            raise ValueError(f"python callback specified for {text} (in  {source}) "
                             "but no function found.")
        func(text, flags)
    elif mode == "print":
        sys.stderr.write(f"Warning: {message}\n")
    elif mode == "log":
        log = _np.geterrcall()
        if log is None:
            raise ValueError(f"log specified for {text} (in {source}) "
                             "but no object with write method found.")
        log.write(f"Warning: {message}\n")


def _evaluate_pending():
    """Computes the pending ops recorded so far, under the modes in effect now."""
    _core._evaluate_all()


class errstate(contextlib.ContextDecorator):
    """NumPy's errstate (same arguments, same state), which also evaluates numfuse's pending
    work on entry and exit, so that ops recorded inside the block follow its modes."""

    def __init__(self, **kwargs):
        self._kwargs = kwargs
        self._np_states = []
        _np.errstate(**kwargs)  # NumPy's argument checks, now

    def __enter__(self):
        _evaluate_pending()
        state = _np.errstate(**self._kwargs)
        state.__enter__()
        self._np_states.append(state)

    def __exit__(self, exc_type, exc, tb):
        state = self._np_states.pop()
        try:
            if exc_type is None:
                _evaluate_pending()
            else:
                with contextlib.suppress(Exception):  # the block's own error wins
                    _evaluate_pending()
        finally:
            state.__exit__(exc_type, exc, tb)
        return False

    def _recreate_cm(self):  # a decorated function gets a fresh state per call (reentrant)
        return errstate(**self._kwargs)


def seterr(all=None, divide=None, over=None, under=None, invalid=None):  # noqa: A002
    _evaluate_pending()
    return _np.seterr(all=all, divide=divide, over=over, under=under, invalid=invalid)


def geterr():
    return _np.geterr()


def seterrcall(func):
    _evaluate_pending()
    return _np.seterrcall(func)


def geterrcall():
    return _np.geterrcall()


for _f in (seterr, geterr, seterrcall, geterrcall):
    _f.__doc__ = getattr(_np, _f.__name__).__doc__
del _f
