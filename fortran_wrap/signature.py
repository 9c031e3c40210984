"""f2py's rules for the Python side of a routine, so f2py-era calling code runs unchanged: default
intents, dimension arguments that become optional with defaults inferred from the arrays,
dependencies, the Python parameter list (required, optional, then each callback's
`<name>_extra_args`), the callbacks' own Python signatures, and the f2py-style docstring.
Pure functions of the model."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Optional

from .directives import names_in
from .model import Arg, Callback, FType, Routine


def complete(routine: Routine, warnings: list[str]) -> None:
    names = {a.name for a in routine.args}
    for a in routine.args:
        if a.callback is not None:
            _complete_callback(a.callback, routine)
            # intent(callback, hide): f2py takes the callable from the module attribute alone
            a.intent = {"hide"} if a.called_by_name and "hide" in a.f2py_intent else {"in"}
            continue
        if not a.intent or a.intent == {"c"}:
            a.intent = {"in"}
        if "hide" in a.intent and "out" in a.intent:
            a.intent.discard("hide")
        if (a.is_array and "out" in a.intent and not a.intent & {"inout", "in"}
                and any(d in ("*", ":") for d in a.dims) and not (a.is_allocatable or a.is_pointer)):
            # The wrapper cannot size it: the caller passes the output array, which is returned.
            a.intent = {"inout", "out"}
    fix_character_intents(routine)
    _infer_dimension_args(routine.args)
    names |= {a.name for a in routine.aux}
    order = [x.name for x in routine.aux + routine.args]
    for a in routine.args + routine.aux:
        deps = set(a.depends)
        if a.default:
            deps |= names_in(a.default) & names
        if a.is_array and "out" in a.intent and not a.intent & {"inout", "in"}:
            for d in a.dims:
                deps |= names_in(d) & names
        deps.discard(a.name)
        a.depends = sorted(deps, key=order.index)
        if a.is_hidden and a.default is None and not a.is_array and "out" not in a.intent and a.callback is None:
            warnings.append(f"{routine.file}:{routine.line}: {routine.name}: hidden argument "
                            f"{a.name!r} has no default; it is passed as 0")
            a.default = "0"
    routine.doc = docstring(routine)


def _complete_callback(cb: Callback, routine: Routine) -> None:
    """A callback typed from its call (F77 `external`) gets the intents of the routine's variables
    it is called with, as f2py does; then f2py's defaults: intent(in), and integer arguments that
    give a dimension of an array it receives become optional (passed only if the Python function
    accepts them)."""
    own = {a.name: a for a in routine.args}
    for a in cb.args:
        if cb.from_caller and not a.intent and a.name in own:
            a.intent = set(own[a.name].intent)
        if not a.intent or a.intent <= {"c", "in"}:
            a.intent = {"in"}
    _infer_dimension_args(cb.args)


def _infer_dimension_args(args: list[Arg]) -> None:
    """`x(n)` with an input array x: n becomes optional with default shape(x, k); `x(2*n+1)`:
    default (shape(x, k) - 1) / 2, the dimension checked against the array as every dimension
    from arguments is (f2py's rules, with f2py's spelling of the expressions)."""
    inputs = [a for a in args if a.is_array and a.is_input and not a.assumed_shape]
    for a in args:
        if a.is_array or a.callback is not None or a.default is not None or "out" in a.intent:
            continue
        if a.ftype.base != "integer" or a.is_hidden:
            continue
        found = next(((arr, k) for arr in inputs for k, d in enumerate(arr.dims) if d == a.name), None)
        if found:
            a.default, a.optional = f"shape({found[0].name}, {found[1]})", True
            continue
        for arr in inputs:
            for k, d in enumerate(arr.dims):
                line = _linear_in(d, a.name)
                if line and line[0] > 0:
                    arr.dims[k] = _linear_text(a.name, *line)
                    a.default, a.optional = _solved_text(f"shape({arr.name}, {k})", *line), True
                    break
            if a.default is not None:
                break


def _linear_in(expr: str, name: str) -> Optional[tuple[int, int]]:
    """(a, b) with expr == a*name + b, a != 0, for an expression of integers, `name`, + - * and
    parentheses; None for anything else."""
    try:
        tree = ast.parse(expr, mode="eval").body
    except SyntaxError:
        return None
    ops = {ast.Add: lambda x, y: x + y, ast.Sub: lambda x, y: x - y, ast.Mult: lambda x, y: x * y}

    def value(node, v):
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return node.value
        if isinstance(node, ast.Name) and node.id.lower() == name:
            return v
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            x = value(node.operand, v)
            return -x if isinstance(node.op, ast.USub) else x
        if isinstance(node, ast.BinOp) and type(node.op) in ops:
            return ops[type(node.op)](value(node.left, v), value(node.right, v))
        raise ValueError(expr)

    try:
        f0, f1, f2 = (value(tree, v) for v in (0, 1, 2))
    except ValueError:
        return None
    a, b = f1 - f0, f0
    return (a, b) if a != 0 and f2 == 2 * a + b and not (a == 1 and b == 0) else None


def _linear_text(name: str, a: int, b: int) -> str:
    """a*name + b as f2py writes it: `1 + 2 * n`, `-1 + n`, `2 * n`."""
    term = name if a == 1 else f"{a} * {name}"
    return term if b == 0 else f"{b} + {term}"


def _solved_text(extent: str, a: int, b: int) -> str:
    """name from extent == a*name + b as f2py writes it: `(-1 + shape(x, 0)) / 2`, `1 + shape(x, 0)`."""
    shifted = extent if b == 0 else f"{-b} + {extent}"
    if a == 1:
        return shifted
    return f"{shifted if b == 0 else '(' + shifted + ')'} / {a}"


# ---- the Python signature ---------------------------------------------------------------------

@dataclass(frozen=True)
class PyParam:
    """One parameter of the Python function. `extra_args_of` is set for f2py's
    `<callback>_extra_args` tuple (appended to the callback's arguments), `overwrite_of` for
    f2py's `overwrite_<array>` flag of an intent(copy)/intent(overwrite) array; `arg` is None then."""
    name: str
    arg: Optional[Arg]
    optional: bool
    extra_args_of: Optional[Arg] = None
    overwrite_of: Optional[Arg] = None

    @property
    def default_text(self) -> str:
        """The default as f2py's docstrings show it (`=` with nothing for an optional callback)."""
        if self.extra_args_of is not None:
            return "()"
        if self.overwrite_of is not None:
            return str(self.overwrite_of.overwrite_default)
        if self.arg.callback is not None:
            return ""
        return self.arg.default or "None"


def python_inputs(routine: Routine) -> tuple[list[Arg], list[Arg]]:
    """(required, optional) Fortran arguments of the Python function, each in Fortran order."""
    inputs = [a for a in routine.args if a.is_input]
    return ([a for a in inputs if not a.optional], [a for a in inputs if a.optional])


def _extra_params(a: Arg) -> list[PyParam]:
    """f2py's parameters after the optional ones that argument `a` adds: `<cb>_extra_args` of a
    callback, `overwrite_<x>` of an intent(copy)/intent(overwrite) array."""
    if a.callback is not None:
        return [] if a.is_hidden else [PyParam(f"{a.name}_extra_args", None, True, extra_args_of=a)]
    if a.overwrite_default is not None:
        return [PyParam(f"overwrite_{a.name}", None, True, overwrite_of=a)]
    return []


def python_params(routine: Routine) -> list[PyParam]:
    """f2py's parameter list: required arguments, optional ones, then the extra parameters
    (`<cb>_extra_args`, `overwrite_<x>`) in argument order (positional order and keyword names)."""
    required, optional = python_inputs(routine)
    return ([PyParam(a.name, a, False) for a in required] + [PyParam(a.name, a, True) for a in optional]
            + [p for a in routine.args for p in _extra_params(a)])


def python_outputs(routine: Routine) -> list[Arg]:
    outs = [routine.result] if routine.result is not None else []
    return outs + [a for a in routine.args if a.is_output]


def callback_inputs(cb: Callback) -> list[Arg]:
    """What the Python callback receives, in order: required arguments, then the optional
    (dimension) ones, which are passed only when the function accepts that many."""
    passed = [a for a in cb.args if a.is_input]
    return [a for a in passed if not a.optional] + [a for a in passed if a.optional]


def callback_outputs(cb: Callback) -> list[Arg]:
    """What the Python callback may return, in order (a function's result comes first)."""
    result = [Arg(cb.result_name or cb.name, cb.result, intent={"out"})] if cb.result is not None else []
    return result + [a for a in cb.args if a.is_output]


# ---- f2py-style docstrings --------------------------------------------------------------------

# f2py's names: the Python type of a scalar and the typecode of an array, per (base, kind)
_PY_TYPE = {"integer": {8: "long"}, "real": {}, "complex": {}, "logical": {}}
# f2py's C type of a logical is int: it takes and returns logicals as Python ints
_PY_BASE = {"integer": "int", "real": "float", "complex": "complex", "logical": "int"}
_TYPECODE = {("integer", 1): "b", ("integer", 2): "h", ("integer", 4): "i", ("integer", 8): "q",
             ("real", 4): "f", ("real", 8): "d", ("complex", 4): "F", ("complex", 8): "D",
             ("logical", 1): "?", ("logical", 4): "i", ("logical", 8): "q"}


def _scalar_name(t: FType) -> str:
    return _PY_TYPE.get(t.base, {}).get(t.kind) or _PY_BASE.get(t.base, t.base)


def _describe(a: Arg) -> str:
    """The type part of a docstring line, in f2py's words."""
    if a.callback is not None:
        return "call-back function"
    t = a.ftype
    if t.base == "character":
        return f"string(len={t.charlen or 1})"
    if t.base == "derived":
        return f"{t.derived} object (derived type)"
    if not a.is_array:
        return _scalar_name(t)
    # f2py names an assumed-shape extent after the hidden argument it passes: f2py_x_d0
    bounds = [f"f2py_{a.name}_d{k}" if d == ":" else d for k, d in enumerate(a.dims)]
    return f"rank-{a.rank} array('{_TYPECODE[(t.base, t.kind)]}') with bounds ({','.join(bounds)})"


def _input_line(a: Arg, optional: bool) -> str:
    if a.callback is not None:
        renamed = f" => {a.callback.interface_name}" if a.callback.interface_name else ""
        return f"{a.name} : {_describe(a)}{renamed}"
    # f2py's words: intent(inplace) is neither input nor in/output
    tag = "" if a.is_inplace else "in/output" if "inout" in a.intent and "out" not in a.intent else "input"
    return f"{a.name} : {tag} {_describe(a)}{', optional' if optional else ''}"


def _output_line(a: Arg) -> str:
    """A returned value: f2py names it intent(out=<name>), and an array so renamed says whose
    storage it is."""
    name = a.out_name or a.name
    storage = f" and {a.name} storage" if a.is_array and name != a.name else ""
    return f"{name} : {_describe(a)}{storage}"


def _default_lines(a: Arg, indent: str) -> list[str]:
    return [f"{indent}Default: {a.default}"] if a.default else []


def _call_line(name: str, required: list[str], optional: list[str], outs: list[str], callback=False) -> str:
    args = ",".join(required + ([f"[{','.join(optional)}]"] if optional else []))
    if callback:   # f2py writes `: return ` even when nothing is returned
        return f"def {name}({args}): return {','.join(outs)}"
    return f"{','.join(outs) + ' = ' if outs else ''}{name}({args})"


def _callback_notes(a: Arg) -> list[str]:
    cb = a.callback
    ins, outs = callback_inputs(cb), callback_outputs(cb)
    required = [x for x in ins if not x.optional]
    optional = [x for x in ins if x.optional]
    lines = ["    " + _call_line(cb.interface_name or a.name, [x.name for x in required], [x.name for x in optional],
                                 [x.name for x in outs], callback=True)]
    if required:
        lines += ["    Required arguments:", *[f"        {_input_line(x, False)}" for x in required]]
    if optional:
        lines.append("    Optional arguments:")
        for x in optional:
            lines += [f"        {_input_line(x, True)}", *_default_lines(x, "    ")]
    if outs:
        lines += ["    Return objects:", *[f"        {x.name} : {_describe(x)}" for x in outs]]
    return lines


def _other_parameter_lines(routine: Routine) -> list[str]:
    """f2py's "Other Parameters": in argument order, each optional argument, then the extra
    parameter it adds (a callback's extra_args, an array's overwrite flag)."""
    lines = []
    for a in routine.args:
        if a.is_input and a.optional:
            lines.append(_input_line(a, bool(a.default) and a.callback is None))
            lines += _default_lines(a, "    ") if a.callback is None else []
        for p in _extra_params(a):
            kind = "tuple" if p.extra_args_of is not None else "int"
            lines += [f"{p.name} : input {kind}, optional", f"    Default: {p.default_text}"]
    return lines


def docstring(routine: Routine) -> str:
    """The docstring f2py writes for the same routine (numpydoc sections, f2py's type words)."""
    params = python_params(routine)
    outs = python_outputs(routine)
    required = [p for p in params if not p.optional]
    call = _call_line(routine.name, [p.name for p in required], [p.name for p in params if p.optional],
                      [a.out_name or a.name for a in outs])
    lines = [call, "", f"Wrapper for ``{routine.name}``.", ""]
    if required:
        lines += ["Parameters", "----------", *[_input_line(p.arg, False) for p in required], ""]
    other = _other_parameter_lines(routine)
    if other:
        lines += ["Other Parameters", "----------------", *other, ""]
    if outs:
        lines += ["Returns", "-------", *[_output_line(a) for a in outs], ""]
    callbacks = [a for a in routine.args if a.callback is not None]
    notes = []
    if callbacks:
        lines += ["Notes", "-----", "Call-back functions::", ""]
        for a in callbacks:
            lines += (notes := _callback_notes(a))
    # f2py's template ends its last part with a blank line when that part has no sections: a
    # routine without parameters, results and callbacks, or a last callback without arguments
    bare = len(notes) == 1 if callbacks else not (required or other or outs)
    return "\n".join(lines).rstrip("\n") + ("\n\n" if bare else "\n")


def _call_with_defaults(routine: Routine) -> str:
    """`fvec = solve(fcn,x,iflag,n=shape(x, 0),fcn_extra_args=())`: a routine's line in f2py's
    module docstring."""
    args = [p.name if not p.optional else f"{p.name}={p.default_text}" for p in python_params(routine)]
    outs = ",".join(a.out_name or a.name for a in python_outputs(routine))
    return f"{outs + ' = ' if outs else ''}{routine.name}({','.join(args)})"


def variable_doc(v) -> str:
    """`alpha : 'd'-scalar`, `coeffs : 'd'-array(3)`: a module/COMMON variable in f2py's words."""
    code = "S" if v.ftype.base == "character" else _TYPECODE.get((v.ftype.base, v.ftype.kind), "O")
    if not v.dims:
        return f"{v.name} : '{code}'-scalar"
    dims = ",".join(":" if v.allocatable else d for d in v.dims)
    return f"{v.name} : '{code}'-array({dims}){', allocatable' if v.allocatable else ''}"


def fortran_module_doc(module) -> str:
    """A Fortran module object's docstring as f2py's: its variables, then its routines' docstrings."""
    return "".join(variable_doc(v) + "\n" for v in module.variables) + "".join(r.doc for r in module.routines)


def common_doc(common) -> str:
    return "".join(variable_doc(v) + "\n" for v in common.members)


def extension_doc(interface) -> str:
    """The extension module's docstring, laid out as f2py's."""
    lines = [f"This module '{interface.name}' is auto-generated with numfuse.fortran_wrap.", "Functions:"]
    lines += [f"    {_call_with_defaults(r)}" for r in interface.routines]
    if interface.commons:
        lines.append("COMMON blocks:")
        lines += [f"  /{c.name}/ " + ",".join(v.name + (f"({','.join(v.dims)})" if v.dims else "") for v in c.members)
                  for c in interface.commons]
    if interface.modules:
        lines.append("Fortran 90/95 modules:")
        lines += [f"  {m.name} --- " + ",".join([v.name for v in m.variables] + [f"{r.name}()" for r in m.routines])
                  for m in interface.modules]
    return "\n".join(lines) + ("." if interface.modules else "\n.")


def c_ident(name: str) -> str:
    return re.sub(r"\W", "_", name)


def fix_character_intents(routine: Routine) -> None:
    """character(len=*) outputs have no length of their own: the caller passes the string.
    Python strings are immutable, so an intent(inout) string is returned as an output."""
    for a in routine.args:
        if a.ftype.base != "character":
            continue
        if (a.ftype.charlen == "*" and "out" in a.intent) or "inout" in a.intent:
            a.intent = {"inout", "out"}
