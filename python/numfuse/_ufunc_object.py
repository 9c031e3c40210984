"""numfuse.ufunc: NumPy's ufunc object, one per elementwise op of the C++ table.

`_ufuncs.py` makes one instance per table entry (`nf.add`, `nf.sin`, ...). Calling one with only
its inputs goes straight to the op in C++ (the base type's call slot, bind_ufunc_object.cpp);
with out= too; other keywords come to `_keyword_call` here. The methods are native:

- reduce: add/multiply/maximum/minimum/logical_and/logical_or through the fused, threaded
  reductions (nf.sum, prod, max, min, all, any); every other binary op through `_ufunc_fold`, an
  in-order fold of rows with the op's own kernel, cut by columns across threads when large.
- accumulate: add/multiply through cumsum/cumprod, the others through `_ufunc_accumulate`.
- reduceat: `_ufunc_fold` over NumPy's segments.
- outer: a broadcast call of the op (lazy, fused with what follows).
- at: `_ufunc_at`, unbuffered (a repeated index applies the op again), over numfuse's indexing.
"""
import inspect as _inspect
import operator as _operator

import numpy as _np

from . import _core, _overrides
from ._core import ndarray


class _NoValueType:
    """Marks an argument that was not passed (NumPy's np._NoValue)."""

    def __repr__(self):
        return "<no value>"


_NoValue = _NoValueType()

_CASTINGS = ("no", "equiv", "safe", "same_kind", "unsafe")
_apply = _core._ufunc_apply
_force = getattr(_core, "eval", None)  # the lazy engine's evaluation, when it is built in
# NumPy's names where the table's id differs (np.true_divide is np.divide, named "divide").
_NUMPY_NAMES = {"true_divide": "divide"}
# Binary ops whose reduce/accumulate are numfuse's own fused reductions: (reduce, accumulate).
_REDUCTIONS = {"add": ("sum", "cumsum"), "multiply": ("prod", "cumprod"), "maximum": ("max", None),
               "minimum": ("min", None), "logical_and": ("all", None), "logical_or": ("any", None)}
_LOGICAL = ("logical_and", "logical_or", "logical_xor")
# Lanes of a long 1-D fold of a reorderable op (_fold_blocks).
_BLOCK = 1024
# NumPy's order of type codes in ufunc.types.
_CHAR_ORDER = "?bBhHiIlLqQefdgFDG"
# where= of a call is the table's `where` op selecting between the result and out.
_WHERE_OP = next(d["id"] for d in _core._ufunc_ops() if d["name"] == "where")


def _asarray(x):
    return x if isinstance(x, ndarray) else _core._wrap(x, None)


def _single_out(out):
    if isinstance(out, tuple):
        if len(out) != 1:
            raise ValueError("The 'out' tuple must have exactly one entry")
        out = out[0]
    return out


def _numfuse(name):
    import numfuse
    return getattr(numfuse, name)


def _reduce_axes(axis, ndim):
    """The normalized, distinct axes of a reduce (None: all of them)."""
    if axis is None:
        return tuple(range(ndim))
    items = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    axes = tuple(_normalize_axis(_operator.index(ax), ndim) for ax in items)
    if len(set(axes)) != len(axes):
        raise ValueError("duplicate value in 'axis'")
    return axes


def _normalize_axis(axis, ndim):
    if not -ndim <= axis < ndim:
        raise _core.AxisError(f"axis {axis} is out of bounds for array of dimension {ndim}")
    return axis % ndim


def _front(a, axes):
    """a with `axes` moved to the front, in order (a view)."""
    rest = [d for d in range(a.ndim) if d not in axes]
    return a.transpose(tuple(axes) + tuple(rest))


def _back(a, axis):
    """The inverse of _front(a, (axis,))."""
    order = list(range(1, a.ndim))
    order.insert(axis, 0)
    return a.transpose(tuple(order))


def _finish(result, out, scalar=True):
    """NumPy's return convention: written into out, or a scalar for a 0-d result."""
    if out is not None:
        out = _single_out(out)
        if not isinstance(out, (ndarray, _np.ndarray)):
            raise TypeError("return arrays must be of ArrayType")
        if tuple(out.shape) != tuple(result.shape):
            raise ValueError(f"output parameter has shape {tuple(out.shape)}, but the result "
                             f"has shape {tuple(result.shape)}")
        out[...] = result
        return out
    if scalar and result.ndim == 0:
        return result[()]
    return result


def _is_basic_key(key):
    items = key if isinstance(key, tuple) else (key,)
    for item in items:
        if item is None or item is Ellipsis or isinstance(item, slice):
            continue
        if isinstance(item, (bool, _np.bool_)) or hasattr(item, "__len__") or hasattr(item, "shape"):
            return False
        try:
            _operator.index(item)
        except TypeError:
            return False
    return True


def _keyword_call(op, nin, name):
    """A ufunc's call with keywords (out= with others, where=, dtype=, casting=): the base type's
    call slot hands such calls to this function, kept in the instance's dict so that it is found
    and called without making a bound method."""

    def call(*args, out=None, where=True, dtype=None, casting="same_kind", order="K", subok=True,
             signature=None):
        if len(args) == nin + 1 and out is None:  # NumPy allows out positionally
            args, out = args[:nin], args[nin]
        if len(args) != nin:
            raise TypeError(f"{name}() takes from {nin} to {nin + 1} positional arguments but "
                            f"{len(args)} were given")
        out = _single_out(out)
        if casting not in _CASTINGS:
            raise ValueError("casting must be one of 'no', 'equiv', 'safe', 'same_kind', 'unsafe' "
                             f"(got {casting!r})")
        if dtype is not None:
            args = tuple(a if isinstance(a, (int, float, complex)) and not isinstance(a, bool)
                         else _asarray(a).astype(dtype) for a in args)
        if where is not True:
            result = _apply(op, args, None)
            if out is None:
                return result
            _apply(_WHERE_OP, (where, result, out), out)
            return out
        if out is None:
            result = _apply(op, args, None)
            if dtype is not None and result.dtype != _np.dtype(dtype):
                # dtype= names the loop's output: sqrt has no int64 loop, less no float64 one.
                raise TypeError(f"No loop matching the specified signature and casting was found "
                                f"for ufunc {name}")
            return result
        result = _apply(op, args, out)
        if (not isinstance(out, ndarray) or not out._buffer_pooled) and _force is not None:
            _force(result)  # NumPy cannot see pending numfuse work: write foreign memory now
        return out

    return call


def _deferred_call(np_ufunc, nin):
    """The call of a ufunc one of whose operands overrides ufuncs (a Dask array, ...): the base
    type's call slot hands it to this function (instance dict, as `_call`)."""

    def call(*args, **kwargs):
        if len(args) > nin:  # out given positionally: NumPy hands it on as out=(...)
            args, kwargs = args[:nin], {**kwargs, "out": args[nin:]}
        return _overrides.defer_ufunc(np_ufunc, "__call__", args, kwargs)

    return call


def _call_signature(nin):
    """NumPy's ufunc call signature (the inputs positional-only, then _keyword_call's keywords):
    what inspect.signature reports, e.g. for the array API's signature checks."""
    P = _inspect.Parameter
    inputs = ["x"] if nin == 1 else [f"x{i + 1}" for i in range(nin)]
    keywords = {"where": True, "casting": "same_kind", "order": "K", "dtype": None, "subok": True,
                "signature": None}
    return _inspect.Signature(
        [P(name, P.POSITIONAL_ONLY) for name in inputs] + [P("out", P.POSITIONAL_OR_KEYWORD, default=None)]
        + [P(name, P.KEYWORD_ONLY, default=value) for name, value in keywords.items()])


class ufunc(_core._ufunc_base):
    """A NumPy-style universal function over one op of numfuse's table."""

    def __new__(cls, desc):
        return _core._ufunc_base.__new__(cls, desc["id"])

    def __init__(self, desc):
        self._table_name = desc["name"]
        self.__name__ = self.__qualname__ = _NUMPY_NAMES.get(desc["name"], desc["name"])
        self._loops = tuple(desc["loops"])
        self.identity = desc["identity"]
        self._reorderable = desc["reorderable"]
        self.nout = 1
        self.nargs = self.nin + 1
        self.signature = None
        self._call = _keyword_call(self._op, self.nin, self.__name__)
        self._defer = _deferred_call(getattr(_np, self.__name__), self.nin)
        self.__signature__ = _call_signature(self.nin)  # inspect.signature(nf.add), as NumPy's
        self.__doc__ = (f"numfuse.{desc['name']}: NumPy's `{self.__name__}` ufunc over "
                        f"{self.nin} input(s); loops: {', '.join(self.types)}.")

    def __repr__(self):
        return f"<ufunc '{self.__name__}'>"

    def __reduce__(self):
        return (_numfuse, (self._table_name,))

    # ---- attributes ---------------------------------------------------------------------

    @property
    def types(self):
        """The loops, in NumPy's notation ("ii->i"), as resolved by the C++ op table."""
        types = []
        for dt in sorted(self._loops, key=lambda d: _CHAR_ORDER.index(d.char)):
            _, result = _core._ufunc_loop(self._op, [dt] * self.nin)
            types.append(dt.char * self.nin + "->" + result.char)
        return types

    @property
    def ntypes(self):
        return len(self._loops)

    # ---- methods ------------------------------------------------------------------------

    def _need_binary(self, method, what=None):
        if self.nin != 2:
            raise ValueError(f"{what or method} only supported for binary functions")

    def _fold_loop(self, a, dtype, out):
        """The dtype reduce/accumulate/reduceat fold in: NumPy's reduction type resolution."""
        if dtype is not None:
            want = _np.dtype(dtype)
        elif out is not None:
            want = _single_out(out).dtype
        else:
            want = a.dtype
            if self._table_name in ("add", "multiply") and want.kind in "biu" and want.itemsize < 8:
                want = _np.dtype(_np.uint64 if want.kind == "u" else _np.int64)
        if self._table_name in _LOGICAL and (dtype is None or want == _np.bool_):
            return _np.dtype(_np.bool_)  # NumPy's logical reductions run on bools
        loop, result = _core._ufunc_loop(self._op, [want, want])
        if result != loop or (dtype is not None and loop != want):
            raise TypeError("No loop matching the specified signature and casting was found for "
                            f"ufunc {self.__name__}")
        return loop

    def _start(self, initial, loop):
        """The 0-d array a fold starts from (initial, else the identity), or None."""
        start = self.identity if initial is _NoValue or initial is None else initial
        if start is None:
            return None
        return _core._wrap(_np.asarray(start).astype(loop), None)

    def reduce(self, array, axis=0, dtype=None, out=None, keepdims=False, initial=_NoValue,
               where=True):
        self._need_binary("reduce")
        a = _asarray(array)
        if a.ndim == 0 and isinstance(axis, int) and axis in (0, -1):
            axes = ()  # NumPy reduces a 0-d array over "axis 0" to itself
        else:
            axes = _reduce_axes(axis, a.ndim)
        loop = self._fold_loop(a, dtype, out)
        if len(axes) > 1 and not self._reorderable:
            raise ValueError(f"reduction operation '{self.__name__}' is not reorderable, so at "
                             "most one axis may be specified")
        native = _REDUCTIONS.get(self._table_name)
        if native and (dtype is None or self._table_name in ("add", "multiply")) and (
                initial is _NoValue or self._table_name not in _LOGICAL):
            kwargs = {} if self._table_name in ("maximum", "minimum", *_LOGICAL) else {"dtype": loop}
            if initial is not _NoValue and initial is not None:
                kwargs["initial"] = initial
            if where is not True:
                kwargs["where"] = where
            return _numfuse(native[0])(a, axis=axes, out=_single_out(out), keepdims=keepdims, **kwargs)
        if where is not True:
            if (initial is _NoValue or initial is None) and self.identity is None:
                raise ValueError(f"reduction operation '{self.__name__}' does not have an identity, "
                                 "so to use a where mask one has to specify 'initial'")
            where = _numfuse("broadcast_to")(_asarray(where), a.shape)
        return _finish(self._fold(a, axes, loop, keepdims, initial, where), out)

    def _fold(self, a, axes, loop, keepdims, initial, where):
        kept_shape = tuple(n for d, n in enumerate(a.shape) if d not in axes)
        count = 1
        for d in axes:
            count *= a.shape[d]
        start = self._start(initial, loop)
        if count == 0:
            if start is None:
                raise ValueError(f"zero-size array to reduction operation {self.__name__} which "
                                 "has no identity")
            result = _numfuse("full")(kept_shape, _np.asarray(start)[()], dtype=loop)
        elif _np.prod(kept_shape, dtype=_np.int64) == 0:
            result = _numfuse("empty")(kept_shape, dtype=loop)
        else:
            rows = _front(a, axes).reshape((count,) + kept_shape)
            mask = None if where is True else _front(where, axes).reshape(rows.shape)
            if not kept_shape and mask is None and self._reorderable and count >= 4 * _BLOCK:
                rows = self._fold_blocks(rows, loop)
            result = _core._ufunc_fold(self._op, loop, rows, [0], [rows.shape[0]], start, mask)[0]
        if keepdims:
            result = result.reshape(tuple(1 if d in axes else n for d, n in enumerate(a.shape)))
        return result

    def _fold_blocks(self, values, loop):
        """A long 1-D fold of a reorderable op as (n / B, B) rows folded B lanes wide (one kernel
        call per row instead of per element), then the B partials and the tail."""
        whole = values.shape[0] // _BLOCK * _BLOCK
        rows = values[:whole].reshape(whole // _BLOCK, _BLOCK)
        partials = _core._ufunc_fold(self._op, loop, rows, [0], [rows.shape[0]], None)[0]
        return _numfuse("concatenate")((partials, values[whole:].astype(loop)))

    def accumulate(self, array, axis=0, dtype=None, out=None):
        self._need_binary("accumulate")
        a = _asarray(array)
        if a.ndim == 0 and not isinstance(axis, (tuple, list)):
            raise TypeError("cannot accumulate on a scalar")
        axes = _reduce_axes(axis, a.ndim)
        if len(axes) != 1:
            raise ValueError("accumulate does not allow multiple axes")
        axis = axes[0]
        loop = self._fold_loop(a, dtype, out)
        native = _REDUCTIONS.get(self._table_name, (None, None))[1]
        if native:
            return _numfuse(native)(a, axis=axis, dtype=loop, out=_single_out(out))
        result = _back(_core._ufunc_accumulate(self._op, loop, _front(a, (axis,))), axis)
        return _finish(result, out, scalar=False)

    def reduceat(self, array, indices, axis=0, dtype=None, out=None):
        self._need_binary("reduceat")
        a = _asarray(array)
        if a.ndim == 0:
            raise TypeError("cannot reduceat on a scalar")
        axis = _normalize_axis(_operator.index(axis), a.ndim)
        idx = _np.asarray(indices)
        if idx.ndim != 1:
            raise ValueError("setting an array element with a sequence. The requested array "
                             "would exceed the maximum number of dimension of 1.")
        starts = [int(i) for i in idx.astype(_np.intp)]
        n = a.shape[axis]
        for i in starts:
            if not 0 <= i < n:
                raise IndexError(f"index {i} out-of-bounds in {self.__name__}.reduceat [0, {n})")
        loop = self._fold_loop(a, dtype, out)
        ends = starts[1:] + [n] if starts else []
        result = _back(_core._ufunc_fold(self._op, loop, _front(a, (axis,)), starts, ends, None), axis)
        return _finish(result, out, scalar=False)

    def outer(self, A, B, /, **kwargs):
        self._need_binary("outer", "outer product")
        if _overrides.overrides_ufuncs(A, B):
            return _overrides.defer_ufunc(getattr(_np, self.__name__), "outer", (A, B), kwargs)
        a, b = _asarray(A), _asarray(B)
        return self(a.reshape(a.shape + (1,) * b.ndim), b, **kwargs)

    def at(self, a, indices, b=None, /):
        if self.nin == 1 and b is not None:
            raise ValueError("second operand provided when ufunc is unary")
        if self.nin == 2 and b is None:
            raise ValueError("second operand needed for ufunc")
        if self.nin > 2:
            raise ValueError("at only supported for unary and binary functions")
        target = _asarray(a)
        values = None
        dtypes = [target.dtype]
        if b is not None:
            values = b if isinstance(b, ndarray) else _core._wrap(_np.asarray(b), None)
            dtypes.append(values.dtype)
        loop, result = _core._ufunc_loop(self._op, dtypes)
        if _is_basic_key(indices):
            view, axes, index_arrays, error_axes, insert_at = target[indices], [], [], [], 0
            if not isinstance(view, ndarray):  # an integer per axis: the 0-d view of that element
                view = target[indices + (Ellipsis,) if isinstance(indices, tuple) else (indices, Ellipsis)]
        else:
            from ._indexing import _plan
            view, axes, index_arrays, error_axes, insert_at, _, _ = _plan(target, indices)
        _core._ufunc_at(self._op, loop, result, view, axes, list(index_arrays), error_axes,
                        insert_at, values)
