"""Elementwise functions and operators, generated from the C++ op table.

`numfuse._core._ufunc_ops()` lists every elementwise op (name, arity, kind, loop dtypes); this
module turns each entry into an `nf.<name>` function with NumPy's signature and wires the
Python operators to them. Adding an op to the C++ table adds it here without editing this file.
It also holds __array_ufunc__, which keeps np.sin(x) and friends inside numfuse
(__array_function__ lives in _dropin.py, with the NumPy fallbacks).
"""
import builtins as _builtins

import numpy as _np

from . import _core
from ._core import ndarray

_apply = _core._ufunc_apply

#: The op table as exported by the C++ module: one dict per elementwise op.
OPS = tuple(_core._ufunc_ops())
_OP_ID = {d["name"]: d["id"] for d in OPS}

# NumPy's other names for the same ufuncs (NumPy 2 and array-API spellings).
ALIASES = {
    "divide": "true_divide", "mod": "remainder", "abs": "absolute", "conj": "conjugate",
    "bitwise_not": "invert", "bitwise_invert": "invert", "pow": "power",
    "bitwise_left_shift": "left_shift", "bitwise_right_shift": "right_shift",
    "acos": "arccos", "asin": "arcsin", "atan": "arctan", "atan2": "arctan2",
    "acosh": "arccosh", "asinh": "arcsinh", "atanh": "arctanh",
}

# Table ops whose public function has a different NumPy signature (defined below by hand).
_CUSTOM = {"clip", "where", "real", "imag", "angle"}

__all__ = []


from ._ufunc_object import ufunc, _single_out  # noqa: E402

_FUNCTIONS = {}
for _desc in OPS:
    _FUNCTIONS[_desc["name"]] = ufunc(_desc)
    if _desc["name"] not in _CUSTOM:
        globals()[_desc["name"]] = _FUNCTIONS[_desc["name"]]
        __all__.append(_desc["name"])
for _alias, _target in ALIASES.items():
    globals()[_alias] = _FUNCTIONS[_target]
    __all__.append(_alias)
__all__.append("ufunc")


# ---- functions composed from table ops (NumPy signatures) ----------------------------------

def _is_array(x):
    return isinstance(x, ndarray)


def _asarray(x):
    return x if isinstance(x, ndarray) else _core._wrap(x, None)


def divmod(x1, x2, out=(None, None), **kwargs):  # noqa: A001  (NumPy's name)
    """(floor_divide(x1, x2), remainder(x1, x2)), as np.divmod."""
    out1, out2 = out if isinstance(out, tuple) else (out, None)
    return (_FUNCTIONS["floor_divide"](x1, x2, out=out1, **kwargs),
            _FUNCTIONS["remainder"](x1, x2, out=out2, **kwargs))


def round(a, decimals=0, out=None):  # noqa: A001  (NumPy's name)
    """Round half to even to `decimals` places, as np.round (rint(a * 10**d) / 10**d)."""
    a = _asarray(a)
    kind = a.dtype.kind
    if kind in "biu":
        if decimals >= 0:
            return _copy_to(a, out)
        scale = 10 ** (-decimals)
        rounded = _FUNCTIONS["multiply"](_FUNCTIONS["rint"](
            _FUNCTIONS["true_divide"](a, float(scale))), float(scale)).astype(a.dtype)
        return _copy_to(rounded, out)
    if decimals == 0:
        return _FUNCTIONS["rint"](a, out=out)
    scale = 10.0 ** _builtins.abs(decimals)
    if decimals > 0:
        scaled = _FUNCTIONS["rint"](_FUNCTIONS["multiply"](a, scale))
        return _FUNCTIONS["true_divide"](scaled, scale, out=out)
    scaled = _FUNCTIONS["rint"](_FUNCTIONS["true_divide"](a, scale))
    return _FUNCTIONS["multiply"](scaled, scale, out=out)


around = round


def _copy_to(a, out):
    if out is None:
        return a.copy()
    out[...] = a
    return out


def fix(x, out=None):
    """Round toward zero, as np.fix."""
    return _FUNCTIONS["trunc"](x, out=out)


def clip(a, a_min=None, a_max=None, out=None, *, min=None, max=None, **kwargs):  # noqa: A002
    """Limit the values to [a_min, a_max], as np.clip (NaN propagates)."""
    lo = a_min if a_min is not None else min
    hi = a_max if a_max is not None else max
    if lo is None and hi is None:
        return _copy_to(_asarray(a), out)
    if lo is None:
        return _FUNCTIONS["minimum"](a, hi, out=out, **kwargs)
    if hi is None:
        return _FUNCTIONS["maximum"](a, lo, out=out, **kwargs)
    return _FUNCTIONS["clip"](a, lo, hi, out=out, **kwargs)


def where(condition, x=None, y=None):
    """where(cond, x, y) picks elementwise; where(cond) is nonzero(cond)."""
    if x is None and y is None:
        import numfuse
        return numfuse.nonzero(condition)
    if x is None or y is None:
        raise ValueError("either both or neither of x and y should be given")
    return _apply(_OP_ID["where"], (condition, x, y), None)


def real(val):
    """The real part: a view for complex arrays, the array itself otherwise."""
    return _asarray(val).real


def imag(val):
    """The imaginary part: a view for complex arrays, zeros otherwise."""
    return _asarray(val).imag


def angle(z, deg=False):
    """The counterclockwise angle from the positive real axis, as np.angle."""
    result = _FUNCTIONS["angle"](z)
    return _FUNCTIONS["rad2deg"](result) if deg else result  # a 0-d result is a scalar: no out=


__all__ += ["divmod", "round", "around", "fix", "clip", "where", "real", "imag", "angle"]


# ---- ndarray operators and methods --------------------------------------------------------

_OPERAND_TYPES = (ndarray, _np.ndarray, _np.generic, int, float, complex, list, tuple)


_core._set_operand_types(_OPERAND_TYPES)


def _binary_operator(fn_name):
    fn = _FUNCTIONS[fn_name]
    op = _OP_ID.get(fn_name)

    # Operators of table ops are C++ methods calling the op directly (bind_operators.cpp; the
    # ndarray type's slots call the same code once install_operator_slots has run).
    if op is not None:
        return (_core._operator_method(op, False), _core._operator_method(op, True),
                _core._in_place_operator_method(op))

    def forward(self, other):
        if not isinstance(other, _OPERAND_TYPES):
            return NotImplemented
        return fn(self, other)

    def reflected(self, other):
        if not isinstance(other, _OPERAND_TYPES):
            return NotImplemented
        return fn(other, self)

    def inplace(self, other):
        if not isinstance(other, _OPERAND_TYPES):
            return NotImplemented
        fn(self, other, out=self)
        return self

    return forward, reflected, inplace


def _unary_method(fn):
    def method(self):
        return fn(self)
    method.__name__ = fn.__name__
    return method


def _real_property(self):
    if self.dtype.kind == "c":
        return _core._component_view(self, 0)
    return self


def _imag_property(self):
    if self.dtype.kind == "c":
        return _core._component_view(self, 1)
    return _FUNCTIONS["imag"](self)


def _divmod_method(self, other):
    if not isinstance(other, _OPERAND_TYPES):
        return NotImplemented
    return divmod(self, other)


def _rdivmod_method(self, other):
    if not isinstance(other, _OPERAND_TYPES):
        return NotImplemented
    return divmod(other, self)


# Dunder name -> table op of ndarray's operators: the methods below and the type's slots.
_BINARY_OPERATORS = {"add": "add", "sub": "subtract", "mul": "multiply", "truediv": "true_divide",
                     "floordiv": "floor_divide", "mod": "remainder", "pow": "power",
                     "and": "bitwise_and", "or": "bitwise_or", "xor": "bitwise_xor",
                     "lshift": "left_shift", "rshift": "right_shift"}
_COMPARISONS = {"eq": "equal", "ne": "not_equal", "lt": "less", "le": "less_equal",
                "gt": "greater", "ge": "greater_equal"}
_UNARY_OPERATORS = {"neg": "negative", "pos": "positive", "abs": "absolute", "invert": "invert"}


def install_operator_slots():
    """Points ndarray's number/comparison slots at the ops: `a + b` then skips the __add__
    lookup. Call after every dunder is set (setting one later resets its slot, which is safe)."""
    ops = {dunder: _OP_ID[fn] for table in (_BINARY_OPERATORS, _COMPARISONS, _UNARY_OPERATORS)
           for dunder, fn in table.items()}
    _core._install_operator_slots(ndarray, ops)


def operator_methods():
    """The ndarray methods this module provides (attached by _ndarray.py)."""
    methods = {}
    for dunder, fn_name in _BINARY_OPERATORS.items():
        forward, reflected, inplace = _binary_operator(fn_name)
        methods[f"__{dunder}__"] = forward
        methods[f"__r{dunder}__"] = reflected
        methods[f"__i{dunder}__"] = inplace
    for dunder, fn_name in _COMPARISONS.items():
        methods[f"__{dunder}__"] = _binary_operator(fn_name)[0]
    for dunder, fn_name in _UNARY_OPERATORS.items():
        methods[f"__{dunder}__"] = _unary_method(_FUNCTIONS[fn_name])
    methods["__divmod__"] = _divmod_method
    methods["__rdivmod__"] = _rdivmod_method
    methods["real"] = property(_real_property)
    methods["imag"] = property(_imag_property)
    methods["conj"] = methods["conjugate"] = lambda self: _FUNCTIONS["conjugate"](self)
    methods["round"] = lambda self, decimals=0, out=None: round(self, decimals, out)
    methods["clip"] = lambda self, min=None, max=None, out=None, **kw: clip(self, min, max, out, **kw)
    methods["__array_ufunc__"] = _array_ufunc
    return methods


# ---- NumPy protocols ----------------------------------------------------------------------

def _numfuse_function(name):
    import numfuse
    return getattr(numfuse, name, None)


def _array_ufunc(self, ufunc, method, *inputs, **kwargs):
    name = ufunc.__name__
    impl = _FUNCTIONS.get(ALIASES.get(name, name))
    if method != "__call__":
        # np.add.reduce(x), np.subtract.accumulate(x), np.add.at(x, i, v), ...: the same method
        # of numfuse's ufunc object.
        if impl is None or name in _CUSTOM:
            return NotImplemented
        return getattr(impl, method)(*inputs, **kwargs)
    if name in ("divmod", "matmul", "isnat") or impl is None:
        impl = _numfuse_function(name) if name != "isnat" else None
    if impl is None:
        return NotImplemented
    if "out" in kwargs and name == "divmod":
        return impl(*inputs, **kwargs)
    if "out" in kwargs:
        kwargs["out"] = _single_out(kwargs["out"])
    return impl(*inputs, **kwargs)


