"""Kind selectors -> bytes, as gfortran evaluates them, plus f2py's `.f2py_f2cmap` kind map.

`real(dp)` with `dp = selected_real_kind(15)`, `kind(1.0d0)`, `real64`/`c_double` from the
intrinsic modules (also renamed: `use iso_fortran_env, only: wp => real64`), parameters from
other modules. A kind the map or these rules cannot resolve raises Unsupported naming it.
"""
from __future__ import annotations

import ast
import os
import re

from .model import WrapError

NAMED_KINDS = {"c_double": 8, "c_float": 4, "c_int": 4, "c_long": 8, "c_long_long": 8, "c_short": 2,
               "c_signed_char": 1, "c_int8_t": 1, "c_int16_t": 2, "c_int32_t": 4, "c_int64_t": 8,
               "c_bool": 1, "c_char": 1, "c_double_complex": 8, "c_float_complex": 4, "c_size_t": 8,
               "c_intptr_t": 8, "c_ptrdiff_t": 8, "c_int_least32_t": 4, "c_int_fast32_t": 8,
               "real32": 4, "real64": 8, "int8": 1, "int16": 2, "int32": 4, "int64": 8,
               "logical8": 1, "logical16": 2, "logical32": 4, "logical64": 8}
INTRINSIC_MODULES = ("iso_fortran_env", "iso_c_binding", "ieee_arithmetic", "ieee_exceptions",
                     "ieee_features", "omp_lib", "omp_lib_kinds")
# f2py's C type names (.f2py_f2cmap values) -> bytes of one (component) value
_C_TYPE_BYTES = {"float": 4, "double": 8, "char": 1, "signed_char": 1, "unsigned_char": 1, "short": 2,
                 "unsigned_short": 2, "int": 4, "unsigned": 4, "long": 8, "long_long": 8,
                 "unsigned_long_long": 8, "complex_float": 4, "complex_double": 8, "string": 1,
                 "npy_int8": 1, "npy_int16": 2, "npy_int32": 4, "npy_int64": 8}


class Unsupported(Exception):
    """A construct the wrapper does not handle."""


def kind_value(text: str, params: dict[str, str], base: str = "", f2cmap=None, depth: int = 0) -> int:
    t = re.sub(r"\s+", "", text.strip().lower())
    if t.startswith("kind="):
        t = t[5:]
    if f2cmap and base in f2cmap and t in f2cmap[base]:
        ctype = f2cmap[base][t]
        if ctype not in _C_TYPE_BYTES:
            raise Unsupported(f"kind {text!r} maps to C type {ctype!r} in .f2py_f2cmap")
        return _C_TYPE_BYTES[ctype]
    if re.fullmatch(r"\d+", t):
        return int(t)
    if t in params and depth < 16:
        return kind_value(params[t], params, base, f2cmap, depth + 1)
    if t in NAMED_KINDS:
        return NAMED_KINDS[t]
    m = re.fullmatch(r"kind\((.*)\)", t)
    if m:
        return _kind_of_literal(m.group(1), params, f2cmap, depth)
    m = re.fullmatch(r"selected_real_kind\((.*)\)", t)
    if m:
        p, r = 0, 0
        for i, part in enumerate(m.group(1).split(",")):
            key, eq, value = part.partition("=")
            key, value = (key, value) if eq else (("p", "r", "radix")[min(i, 2)], key)
            v = _int_value(value, params, depth)
            p, r = (v, r) if key == "p" else (p, v) if key == "r" else (p, r)
        if p <= 6 and r <= 37:
            return 4
        if p <= 15 and r <= 307:
            return 8
        raise Unsupported(f"kind {text!r} (quad precision)")
    m = re.fullmatch(r"selected_int_kind\((?:r=)?(.*)\)", t)
    if m:
        r = _int_value(m.group(1), params, depth)
        return 1 if r <= 2 else 2 if r <= 4 else 4 if r <= 9 else 8 if r <= 18 else 16
    raise Unsupported(f"kind {text!r} (not a known constant; a .f2py_f2cmap entry can map it)")


def _int_value(text: str, params, depth) -> int:
    t = text.strip()
    if re.fullmatch(r"\d+", t):
        return int(t)
    if t in params and depth < 16:
        return _int_value(params[t], params, depth + 1)
    raise Unsupported(f"value {text!r}")


def _kind_of_literal(inner: str, params, f2cmap, depth) -> int:
    """kind(1.0d0) = 8, kind(1.0) = 4, kind(1.0_dp) = dp, kind(1) = 4, kind(.true.) = 4."""
    m = re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)(?:([ed])[+-]?\d+)?(?:_(\w+))?", inner)
    if m:
        if m.group(3):
            return kind_value(m.group(3), params, "", f2cmap, depth + 1)
        return 8 if m.group(2) == "d" else 4
    m = re.fullmatch(r"\.(true|false)\.(?:_(\w+))?", inner)
    if m:
        return kind_value(m.group(2), params, "", f2cmap, depth + 1) if m.group(2) else 4
    if inner in params and depth < 16:
        return _kind_of_literal(params[inner], params, f2cmap, depth + 1)
    raise Unsupported(f"kind(...) of {inner!r}")


def load_f2cmap(path: str | None = None) -> dict[str, dict[str, str]]:
    """f2py's kind map: a dict literal `{'real': {'rk': 'double'}}` or `dict(real=dict(rk='double'))`
    in `.f2py_f2cmap` of the current directory (or `path`). Keys are lowered, as f2py does."""
    path = path or ".f2py_f2cmap"
    if not os.path.isfile(path):
        return {}
    try:
        with open(path) as f:
            tree = ast.parse(f.read(), mode="eval")
        value = _literal(tree.body)
    except (SyntaxError, ValueError) as e:
        raise WrapError(f"{path}:1: cannot read the kind map: {e}") from None
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise WrapError(f"{path}:1: the kind map must be a dict of dicts (type -> kind -> C type)")
    return {str(k).lower(): {str(kk).lower(): str(vv).lower() for kk, vv in v.items()} for k, v in value.items()}


def _literal(node):
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" and not node.args:
        return {kw.arg: _literal(kw.value) for kw in node.keywords}
    if isinstance(node, ast.Dict):
        return {_literal(k): _literal(v) for k, v in zip(node.keys, node.values)}
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    raise ValueError("only dict(...), {...} and strings are allowed")
