"""Completes a routine's interface after parsing and directives: default intents, hidden
dimension arguments with defaults inferred from the arrays, dependencies, Python signature and
the f2py-style docstring. Pure functions of the model."""
from __future__ import annotations

import re

from .directives import names_in
from .model import Arg, Routine


def complete(routine: Routine, warnings: list[str]) -> None:
    names = {a.name for a in routine.args}
    for a in routine.args:
        if a.callback is not None:
            a.intent = {"in"}
            continue
        if not a.intent or a.intent == {"c"}:
            a.intent = {"in"}
        if "hide" in a.intent and "out" in a.intent:
            a.intent.discard("hide")
        if a.is_array and "out" in a.intent and "inout" not in a.intent and any(d in ("*", ":") for d in a.dims):
            # The wrapper cannot size it: the caller passes the output array, which is returned.
            a.intent = {"inout", "out"}
    fix_character_intents(routine)
    _infer_dimension_args(routine, names)
    for a in routine.args:
        deps = set(a.depends)
        if a.default:
            deps |= names_in(a.default) & names
        if a.is_array and "out" in a.intent and "inout" not in a.intent:
            for d in a.dims:
                deps |= names_in(d) & names
        deps.discard(a.name)
        a.depends = sorted(deps, key=lambda n: [x.name for x in routine.args].index(n))
        if a.is_hidden and a.default is None and not a.is_array and "out" not in a.intent:
            warnings.append(f"{routine.file}:{routine.line}: {routine.name}: hidden argument "
                            f"{a.name!r} has no default; it is passed as 0")
            a.default = "0"
    routine.doc = docstring(routine)


def _infer_dimension_args(routine: Routine, names: set[str]) -> None:
    """`x(n)` with an input array x: n becomes optional with default shape(x, k)."""
    inputs = [a for a in routine.args if a.is_array and a.is_input and not a.assumed_shape]
    for a in routine.args:
        if a.is_array or a.callback is not None or a.default is not None or "out" in a.intent:
            continue
        if a.ftype.base != "integer":
            continue
        for arr in inputs:
            for k, d in enumerate(arr.dims):
                if d == a.name:
                    a.default = f"shape({arr.name},{k})"
                    a.optional = True
                    break
            if a.default is not None:
                break


def python_inputs(routine: Routine) -> tuple[list[Arg], list[Arg]]:
    """(required, optional) arguments of the Python function, each in Fortran order."""
    inputs = [a for a in routine.args if a.is_input]
    return ([a for a in inputs if not a.optional], [a for a in inputs if a.optional])


def python_outputs(routine: Routine) -> list[Arg]:
    outs = [routine.result] if routine.result is not None else []
    return outs + [a for a in routine.args if a.is_output]


def _describe(a: Arg) -> str:
    if a.callback is not None:
        cb = a.callback
        sig = ", ".join(x.name for x in cb.args)
        ret = f" -> {cb.result.spec().np_name}" if cb.result is not None else ""
        return f"call-back function {a.name}({sig}){ret}"
    if a.ftype.base == "character":
        return f"str (character(len={a.ftype.charlen}))"
    if a.ftype.base == "derived":
        return f"{a.ftype.derived} object (derived type)"
    dt = a.ftype.spec().np_name if a.ftype.base != "logical" else "bool"
    if not a.is_array:
        return dt
    bounds = ", ".join(a.dims)
    kind = "assumed-shape, any strides" if a.assumed_shape else "Fortran-contiguous"
    return f"rank-{a.rank} array({dt}) with bounds ({bounds}), {kind}"


def docstring(routine: Routine) -> str:
    required, optional = python_inputs(routine)
    outs = python_outputs(routine)
    call = ", ".join([a.name for a in required] + ([f"[{', '.join(a.name for a in optional)}]"] if optional else []))
    lhs = ", ".join(a.name for a in outs)
    lines = [f"{lhs + ' = ' if lhs else ''}{routine.name}({call})", "",
             f"Wrapper for ``{routine.name}``" + (f" in module ``{routine.module}``." if routine.module else "."), ""]
    if required:
        lines += ["Parameters", "----------"]
        for a in required:
            tag = "in/output" if "inout" in a.intent else "input"
            lines.append(f"{a.name} : {tag} {_describe(a)}")
        lines.append("")
    if optional:
        lines += ["Other Parameters", "----------------"]
        for a in optional:
            lines.append(f"{a.name} : input {_describe(a)}, optional")
            if a.default:
                lines.append(f"    Default: {a.default}")
        lines.append("")
    if outs:
        lines += ["Returns", "-------"]
        for a in outs:
            lines.append(f"{a.name} : {_describe(a)}")
    return "\n".join(lines).rstrip() + "\n"


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
