"""nf.jit: trace a function of arrays once per argument signature, replay its graph afterwards.

The first call with a new signature runs the function on *placeholders* (pending arrays of the
arguments' shapes and dtypes with no values) while the lazy layer records every op, cast and
fused reduction on a tape (jit/src/trace.cpp). Later calls with the same signature replay the
tape in C++ (numfuse._core._JitCache.call): the Python body does not run, the whole body's graph
is recorded at C++ speed and fuses like any lazy expression. Results are pending arrays.

What the tape cannot express makes that signature run as plain Python on every call (correct,
just not faster): code that reads values (indexing, NumPy fallbacks, linalg, printing), in-place
ops and out= on traced arrays, arrays the function makes itself. Python control flow on traced
values (`if x.sum() > 0:`) raises TracerBoolConversionError at trace time, as jax.jit does.
"""
import functools
import inspect
import os
import threading
import types
import warnings

from . import _core
from ._core import ndarray
from ._ufuncs import _OPERAND_TYPES

__all__ = ["jit", "TracerConversionError", "TracerBoolConversionError"]

_MISS = _core._jit_miss
_PYTHON = _core._jit_python
_TraceEscape = _core._TraceEscape
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_CONVERSIONS = {"__bool__", "__float__", "__int__", "__complex__", "item", "tolist", "_bool",
                "convert", "_item", "_tolist"}


class TracerConversionError(TypeError):
    """A traced array's value was needed while nf.jit traced a function (float(), int(),
    .item(), .tolist()): traced arrays have shapes and dtypes but no values yet."""


class TracerBoolConversionError(TracerConversionError):
    """bool() of a traced array (an `if` or `while` on an array value) while nf.jit traced a
    function."""


def tracer_error(what):
    """The error ndarray's conversions raise for a traced array (numfuse/_ndarray.py)."""
    cls = TracerBoolConversionError if what == "bool" else TracerConversionError
    return cls(f"{what}() of an array traced under nf.jit: its value is not known while the "
               "function is traced")


class _ScalarTracer:
    """A Python int/float/complex argument while its function is traced: ufuncs read it as that
    scalar's weak operand, recorded as a parameter of the trace. Any other use (arithmetic in
    Python, comparisons, float()) gives the real value and makes the trace depend on it (the
    trace is then reused only for equal values)."""

    __slots__ = ("_value", "_array", "_position", "_keyed")

    def __init__(self, value, array, position, keyed):
        self._value = value
        self._array = array
        self._position = position
        self._keyed = keyed

    def _concrete(self):
        self._keyed.add(self._position)
        return self._value

    def __repr__(self):
        return repr(self._concrete())

    def __hash__(self):
        return hash(self._concrete())

    def __array__(self, dtype=None, copy=None):
        import numpy
        return numpy.asarray(self._concrete(), dtype=dtype)


def _scalar_method(name):
    def method(self, *args):
        if name not in ("__bool__", "__float__", "__int__", "__index__", "__complex__", "__abs__",
                        "__neg__", "__pos__", "__round__", "__trunc__", "__floor__", "__ceil__",
                        "__format__") and args and isinstance(args[0], ndarray):
            return NotImplemented  # ndarray's reflected operator records the op
        args = tuple(a._concrete() if isinstance(a, _ScalarTracer) else a for a in args)
        return getattr(self._concrete(), name)(*args)
    method.__name__ = name
    return method


for _name in ("add", "radd", "sub", "rsub", "mul", "rmul", "truediv", "rtruediv", "floordiv",
              "rfloordiv", "mod", "rmod", "pow", "rpow", "divmod", "rdivmod", "and", "rand", "or",
              "ror", "xor", "rxor", "lshift", "rlshift", "rshift", "rrshift", "lt", "le", "eq", "ne",
              "gt", "ge", "bool", "float", "int", "index", "complex", "abs", "neg", "pos", "round",
              "trunc", "floor", "ceil", "format", "invert", "str"):
    setattr(_ScalarTracer, f"__{_name}__", _scalar_method(f"__{_name}__"))
_ScalarTracer.__array_priority__ = -1000.0
_core._set_scalar_tracer_type(_ScalarTracer)
# ndarray's operators take it as an operand (`x * dt`), as they take Python scalars.
_core._set_operand_types(_OPERAND_TYPES + (_ScalarTracer,))


class _Unsupported(Exception):
    pass


def _flatten(out):
    """(arrays, form, unflatten) of a function's result: form 0 one array, 1 tuple, 2 list,
    3 None, 4 anything else (nested tuples/lists/dicts; leaves that are not arrays are constants),
    rebuilt by unflatten(list of arrays)."""
    if isinstance(out, (ndarray, _ScalarTracer)):
        return [out], 0, None
    if out is None:
        return [], 3, None
    if type(out) in (tuple, list) and all(isinstance(o, (ndarray, _ScalarTracer)) for o in out):
        return list(out), 1 if type(out) is tuple else 2, None
    leaves = []

    def spec(o):
        if isinstance(o, (ndarray, _ScalarTracer)):
            leaves.append(o)
            return None
        if type(o) in (tuple, list):
            return (type(o), [spec(x) for x in o])
        if type(o) is dict:
            return (dict, [(k, spec(v)) for k, v in o.items()])
        if o is None or type(o) in (bool, int, float, complex, str):
            return ("constant", o)
        raise _Unsupported(type(o).__name__)

    tree = spec(out)

    def build(node, values):
        if node is None:
            return next(values)
        kind, content = node
        if kind == "constant":
            return content
        if kind is dict:
            return {k: build(v, values) for k, v in content}
        return kind(build(x, values) for x in content)

    return leaves, 4, lambda values: build(tree, iter(values))


def _conversion_site(error):
    """(file, line, inside_numfuse) of the code that asked for a traced array's value."""
    frames = []
    tb = error.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    for k in range(len(frames) - 1, 0, -1):
        code = frames[k].f_code
        if code.co_name in _CONVERSIONS and os.path.dirname(code.co_filename) == _PACKAGE_DIR:
            caller = frames[k - 1]
            while k - 1 > 0 and os.path.dirname(caller.f_code.co_filename) == _PACKAGE_DIR \
                    and caller.f_code.co_name in _CONVERSIONS:
                k -= 1
                caller = frames[k - 1]
            filename = caller.f_code.co_filename
            inside = os.path.abspath(filename).startswith(_PACKAGE_DIR + os.sep)
            return filename, caller.f_lineno, inside
    return None, None, True


class _Jitted:
    """A function under nf.jit (see jit)."""

    def __init__(self, fn, static_argnums, static_argnames):
        self._fn = fn
        try:
            self._signature = inspect.signature(fn)
        except (TypeError, ValueError):
            self._signature = None
        positions = set()
        names = [static_argnames] if isinstance(static_argnames, str) else list(static_argnames)
        nums = [static_argnums] if isinstance(static_argnums, int) else list(static_argnums)
        params = list(self._signature.parameters.values()) if self._signature else []
        positional = [p.name for p in params
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        for n in nums:
            if not isinstance(n, int):
                raise TypeError(f"static_argnums must be ints, got {type(n).__name__}")
            positions.add(n + len(positional) if n < 0 else n)
        for name in names:
            if name not in positional:
                raise ValueError(f"static_argnames: {fn.__name__}() has no positional parameter "
                                 f"{name!r}")
            positions.add(positional.index(name))
        self._positional = positional
        self._cache = _core._JitCache(sorted(p for p in positions if p >= 0))
        self._lock = threading.RLock()
        self._reasons = []
        functools.update_wrapper(self, fn)

    def __get__(self, obj, objtype=None):
        return self if obj is None else types.MethodType(self, obj)

    def __call__(self, *args, **kwargs):
        if kwargs:
            positional = self._bind(args, kwargs)
            if positional is None:
                return self._fn(*args, **kwargs)
            args = positional
        result = self._cache.call(args)
        if result is _MISS:
            return self._trace_and_call(args)
        if result is _PYTHON:
            return self._fn(*args)
        return result

    def _bind(self, args, kwargs):
        """The call with every keyword argument in its position, or None (keyword-only ones)."""
        if self._signature is None:
            return None
        bound = self._signature.bind(*args, **kwargs)
        bound.apply_defaults()
        if bound.kwargs:
            return None
        return bound.args

    def _trace_and_call(self, args):
        if _core._tracing():  # called by a function being traced: its ops join that trace
            return self._fn(*args)
        with self._lock:
            result = self._cache.call(args)  # another thread may have traced it meanwhile
            if result is _MISS:
                result = self._trace(args)
                if result is _MISS:
                    result = self._cache.call(args)
        return self._fn(*args) if result is _PYTHON else result

    def _trace(self, args):
        """Traces the function for these arguments and caches the trace (or that the function
        runs as Python). Returns _MISS, or the result of a plain call made to tell a real error
        from one the trace caused."""
        prepared = self._cache.prepare(args)
        if prepared is None:
            return _PYTHON
        key, kinds, arrays = prepared
        recorder = _core._TraceRecorder()
        keyed = set()
        traced = list(args)
        params = iter(arrays)
        for i, kind in enumerate(kinds):
            if kind == "a":
                traced[i] = recorder.param(next(params))
            elif kind == "s":
                traced[i] = _ScalarTracer(args[i], recorder.scalar(args[i]), i, keyed)
        reason = None
        form, unflatten = 3, None
        recorder.start()
        try:
            out = self._fn(*traced)
        except _TraceEscape:
            reason = recorder.reason
        except TracerConversionError as e:
            filename, line, inside = _conversion_site(e)
            if not inside:
                recorder.stop()
                raise type(e)(
                    f"{e} (while tracing {self._fn.__qualname__} under nf.jit, at {filename}:{line})."
                    " Python control flow and conversions cannot depend on array values in a "
                    "traced function: use nf.where, or mark the argument the branch depends on "
                    "static (nf.jit(static_argnums=...) / static_argnames=...), or compute it "
                    "outside the function") from None
            reason = f"a value was read inside numfuse ({filename}:{line})"
        except Exception as e:
            # Either a real error or one of tracing itself (a placeholder or a scalar stand-in
            # where the code wanted the real thing): the plain call tells, and its error is the
            # one to raise. Nothing is cached when it fails.
            recorder.stop()
            traced = params = None
            result = self._fn(*args)
            self._note(f"tracing raised {type(e).__name__}: {e}")
            self._cache.insert(key, args, None, [], 3, None)
            return result
        finally:
            recorder.stop()
        if reason is None:
            try:
                flat, form, unflatten = _flatten(out)
            except _Unsupported as e:
                reason = f"it returns a {e} (return arrays, scalars, tuples, lists, dicts of them)"
            else:
                recorder.finish([x._array if isinstance(x, _ScalarTracer) else x for x in flat])
                del flat
            del out
        traced = params = None
        if reason is None and not recorder.validate():
            reason = recorder.reason
        if reason is not None:
            self._note(reason)
        self._cache.insert(key, args, recorder if reason is None else None, sorted(keyed), form,
                           unflatten)
        return _MISS

    def _note(self, reason):
        """Records (and warns once per function) why a signature runs as plain Python."""
        if not self._reasons:
            warnings.warn(f"nf.jit: {self._fn.__qualname__} runs as plain Python for these "
                          f"argument types: {reason}", RuntimeWarning, stacklevel=5)
        self._reasons.append(reason)

    def _stats(self):
        """Counters of this function: traces (cache entries), replayable (of those), replays,
        python_calls (calls that ran the Python body without a trace), and why traces could not
        be replayed."""
        stats = self._cache.stats()
        stats["not_replayable"] = list(self._reasons)
        return stats

    def _cache_size(self):
        return self._cache.stats()["traces"]

    def _clear_cache(self):
        self._cache.clear()


def jit(fn=None, *, static_argnums=(), static_argnames=()):
    """Traces `fn` once per argument signature and replays its graph on later calls.

    Signature: for each array argument (numfuse or NumPy, the latter wrapped without a copy) its
    dtype, shape and layout class (C-contiguous or not); for Python int/float/complex arguments
    their type (values are parameters of the trace, not baked in); other arguments, and those
    named by static_argnums / static_argnames, by value (hashable; equal values share a trace).
    Results are numfuse arrays (pending, like any op's), NumPy scalars where NumPy returns them.
    Works as @nf.jit, @nf.jit(static_argnums=...) and on methods. Thread-safe.
    ``f._stats()`` reports traces, replays and calls that ran as Python (and why).
    """
    if fn is None:
        return lambda f: jit(f, static_argnums=static_argnums, static_argnames=static_argnames)
    if not callable(fn):
        raise TypeError(f"nf.jit expects a function, got {type(fn).__name__}")
    return _Jitted(fn, static_argnums, static_argnames)
