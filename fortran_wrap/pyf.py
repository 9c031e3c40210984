"""Signature files (.pyf): the interface model written as editable Fortran interfaces plus f2py
directives, inside `python module NAME ... end python module`. Reading one back goes through the
same parser as the sources, so whatever a user may write in a source they may write here."""
from __future__ import annotations

import os
import re
import tempfile

from .model import Arg, Callback, Interface, Routine, Variable, WrapError
from .gen_fortran import ftype_decl


def _decl(name, ftype, dims, extra="") -> str:
    d = f"({', '.join(dims)})" if dims else ""
    return f"{ftype_decl(ftype)}{extra} :: {name}{d}"


def _callback_block(cb: Callback, indent: str) -> list[str]:
    kind = "function" if cb.result is not None else "subroutine"
    lines = [f"{indent}interface", f"{indent}  {kind} {cb.name}({', '.join(a.name for a in cb.args)})"]
    for a in cb.args:
        intent = ""
        if a.intent:
            intent = ", intent(" + ("inout" if "inout" in a.intent else "out" if "out" in a.intent else "in") + ")"
        lines.append(f"{indent}    {_decl(a.name, a.ftype, a.dims, intent)}")
    if cb.result is not None:
        lines.append(f"{indent}    {ftype_decl(cb.result)} :: {cb.name}")
    lines += [f"{indent}  end {kind} {cb.name}", f"{indent}end interface"]
    return lines


def _routine(r: Routine, indent: str) -> list[str]:
    kind = "function" if r.result is not None else "subroutine"
    lines = [f"{indent}{kind} {r.name}({', '.join(a.name for a in r.args)})"]
    inner = indent + "  "
    for a in r.args:
        if a.callback is not None:
            lines += _callback_block(a.callback, inner)
            continue
        lines.append(inner + _decl(a.name, a.ftype, a.dims))
        intent = sorted(a.intent - {"inout"} | ({"in", "out"} if {"inout", "out"} <= a.intent else
                                                ({"inout"} if "inout" in a.intent else set())))
        if intent:
            lines.append(f"!f2py intent({','.join(intent)}) {a.name}")
        if a.default is not None and (a.optional or a.is_hidden):
            lines.append(f"!f2py {'optional, ' if a.optional else ''}depend({','.join(a.depends)}) :: {a.name} = {a.default}"
                         if a.depends else f"!f2py {'optional ' if a.optional else ''}:: {a.name} = {a.default}")
        for chk in a.checks:
            lines.append(f"!f2py check({chk}) {a.name}")
    if r.result is not None:
        lines.append(inner + _decl(r.name, r.result.ftype, []))
    lines.append(f"{indent}end {kind} {r.name}")
    return lines


def _variable(v: Variable) -> str:
    attrs = (", parameter" if v.parameter else "") + (", allocatable" if v.allocatable else "")
    dims = [":"] * len(v.dims) if v.allocatable else v.dims
    init = f" = {v.init}" if v.parameter and v.init else ""
    return _decl(v.name, v.ftype, dims, attrs) + init


def write_pyf(interface: Interface, path: str) -> None:
    out = [f"! Signature file for the numfuse.fortran_wrap module {interface.name}.",
           f"! Edit it (remove routines, change intents, add !f2py directives), then build with",
           f"!   python -m numfuse.fortran_wrap -c {os.path.basename(path)} SOURCES...",
           f"python module {interface.name}", "interface"]
    for r in interface.routines:
        out += _routine(r, "  ") + [""]
    for m in interface.modules:
        out.append(f"  module {m.name}")
        for t in m.types:
            out += [f"    type :: {t.name}"] + [f"      {_variable(c)}" for c in t.components] + [f"    end type {t.name}"]
        out += [f"    {_variable(v)}" for v in m.variables]
        if m.routines:
            out.append("  contains")
            for r in m.routines:
                out += _routine(r, "    ")
        out += [f"  end module {m.name}", ""]
    for c in interface.commons:
        out += [f"  block data nfw_common_{c.name}"] + [f"    {_variable(v)}" for v in c.members]
        out += [f"    common /{'' if c.name == '_blank' else c.name}/ {', '.join(v.name for v in c.members)}",
                f"  end block data nfw_common_{c.name}", ""]
    out += ["end interface", f"end python module {interface.name}", ""]
    with open(path, "w") as f:
        f.write("\n".join(out))


_WRAPPER = re.compile(r"^\s*(python\s+module\b.*|end\s+python\s+module\b.*|interface\s*|end\s+interface\s*)$", re.I)


def read_pyf(path: str) -> tuple[str, str]:
    """Returns (module name, Fortran text of the interfaces) with the python-module wrapper removed."""
    try:
        text = open(path).read()
    except OSError as e:
        raise WrapError(f"{path}: cannot read: {e.strerror}") from None
    m = re.search(r"^\s*python\s+module\s+(\w+)", text, re.I | re.M)
    if not m:
        raise WrapError(f"{path}:1: not a signature file (no 'python module NAME' line)")
    lines = text.split("\n")
    depth = 0
    kept = []
    for line in lines:   # only the outer interface wrapper goes; callback interface blocks stay
        s = line.strip().lower()
        if re.match(r"^(python\s+module|end\s+python\s+module)\b", s):
            kept.append("")
            continue
        if s == "interface" and depth == 0:
            depth = 1
            kept.append("")
            continue
        if s == "end interface" and depth == 1 and not any(k.strip().lower() == "interface" for k in kept[-3:]):
            kept.append(line)
            continue
        kept.append(line)
    body = "\n".join(kept)
    # the last `end interface` closes the outer wrapper
    idx = body.lower().rfind("end interface")
    if idx >= 0:
        body = body[:idx] + body[idx + len("end interface"):]
    return m.group(1), body


def pyf_as_source(path: str, workdir: str) -> str:
    name, body = read_pyf(path)
    out = os.path.join(workdir, f"{name}_signatures.f90")
    with open(out, "w") as f:
        f.write(body)
    return out
