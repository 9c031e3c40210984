"""Signature files (.pyf), f2py's language: reading them into the interface model and writing the
model as one.

A signature file holds one or more `python module NAME ... end python module` blocks; each holds
`interface` blocks of routine signatures (Fortran declarations with f2py's attributes: intent,
optional, depend, check, note, dimension expressions, `= default`), F90 `module` blocks, and f2py
statements (fortranname, callstatement, threadsafe, ...). `python module NAME__user__routines`
blocks hold the signatures of callbacks, which routines name with `use NAME__user__routines`.
Reading goes through the same lexer and declaration reader as Fortran sources (free form, as
f2py reads .pyf files); every routine was asked for, so anything the wrapper cannot express is an
error naming file:line. `write_pyf` writes what f2py's `-h` writes, so f2py can read it too.
"""
from __future__ import annotations

import os

from .gen_interface import type_decl
from .lexer import read_statements
from .model import Arg, Callback, Interface, Routine, Variable, WrapError
from .scopes import Unit, read_units


def read_pyf(path: str) -> tuple[str, list[Unit]]:
    """(name of the module to build, the file's units). Several `python module` blocks besides
    `__user__routines` ones: the first is built, as f2py does with one signature file."""
    if not os.path.isfile(path):
        raise WrapError(f"{path}: no such file")
    units = read_units(read_statements(path, pyf=True), pyf=True)
    modules = [u for u in units if u.kind == "pythonmodule" and not u.name.endswith("__user__routines")]
    if not modules:
        raise WrapError(f"{path}:1: not a signature file (no 'python module NAME' block)")
    return modules[0].name, units


def pyf_interface(path: str, name: str | None = None, only=None, skip=None, f2cmap=None) -> Interface:
    """The interface a signature file describes. `name` picks one of several python modules."""
    from .parse import Parser
    first, units = read_pyf(path)
    names = [u.name for u in units if u.kind == "pythonmodule" and not u.name.endswith("__user__routines")]
    chosen = name if name in names else first
    others = [u for u in units if u.kind == "pythonmodule" and u.name not in names]
    main = next(u for u in units if u.kind == "pythonmodule" and u.name == chosen)
    stray = [u for u in units if u.kind != "pythonmodule"]
    if stray:
        raise WrapError(f"{stray[0].where}: {stray[0].kind} {stray[0].name!r} outside a 'python module' block")
    parser = Parser(only, skip, f2cmap, strict=True)
    interface = parser.parse_units(name or chosen, [(path, others + [main])])
    if not any(True for _ in interface.all_routines()) and not interface.commons and not interface.modules:
        raise WrapError(f"{main.where}: python module {chosen!r} declares no routines")
    return interface


# ---- writing ----------------------------------------------------------------------------------

def _intent_words(a: Arg) -> list[str]:
    if "hide" in a.intent:
        return ["hide"]
    words = [w for w in ("in", "inout", "out") if w in a.intent]
    if "inout" in words and "in" in words:
        words.remove("in")
    if a.is_inplace:
        words = ["inplace" if w == "inout" else w for w in words]
    words += [w for w in a.f2py_intent if w in ("cache", "copy", "overwrite") and w not in words]
    if a.out_name and "out" in words:
        words.append(f"out={a.out_name}")
    return words or ["in"]


def _decl(a: Arg | Variable, attrs: list[str], default=None) -> str:
    dims = f"({','.join(a.dims)})" if a.dims else ""
    head = type_decl(a.ftype) + "".join(f",{x}" for x in attrs)
    init = f" = {default}" if default is not None else ""
    return f"{head} :: {a.name}{dims}{init}"


def _arg_lines(a: Arg) -> list[str]:
    if a.callback is not None:   # optional only in Python (f2py's word), or a Fortran OPTIONAL one
        optional = ["optional"] if a.optional and not a.may_be_absent else ["fortran_optional"] if a.may_be_absent else []
        by_name = [f"intent(callback{',hide' if a.is_hidden else ''}) {a.name}"] if a.called_by_name else []
        return by_name + [f"external {a.name}"] + [f"{word} {a.name}" for word in optional]
    attrs = []
    if a.optional and "optional" not in a.attrs:
        attrs.append("optional")
    if "optional" in a.attrs:
        attrs.append("fortran_optional")
    attrs += [x for x in sorted(a.attrs) if x != "optional"]
    attrs.append(f"intent({','.join(_intent_words(a))})")
    attrs += [f"check({c})" for c in a.checks]
    if a.depends:
        attrs.append(f"depend({','.join(a.depends)})")
    if a.note:
        attrs.append(f"note({a.note})")
    default = a.default if a.default is not None and (a.optional or a.is_hidden) else None
    return [_decl(a, attrs, default)]


def _routine(r: Routine, indent: str, user_module: str, cb_names: dict) -> list[str]:
    kind = "function" if r.result is not None else "subroutine"
    where = f" ! in :{r.module or os.path.basename(r.file)}"
    result = f" result ({r.result.name})" if r.result is not None and r.result.name != r.name else ""
    lines = [f"{indent}{kind} {r.name}({','.join(a.name for a in r.fortran_args)}){result}{where}"]
    inner = indent + "    "
    renames = [f"{a.name}=>{cb_names[a.name]}" for a in r.args if a.callback is not None and cb_names[a.name] != a.name]
    if any(a.callback is not None for a in r.args):
        lines.append(f"{inner}use {user_module}" + "".join(f", {x}" for x in renames))
    if r.fortranname:
        lines.append(f"{inner}fortranname {r.fortranname}")
    if r.threadsafe:
        lines.append(f"{inner}threadsafe")
    for a in r.aux:   # f2py's auxiliary variables
        depend = [f"depend({','.join(a.depends)})"] if a.depends else []
        lines.append(inner + _decl(a, ["intent(aux)", *depend], a.default))
    for a in r.args:
        lines += [inner + x for x in _arg_lines(a)]
    if r.result is not None:
        lines.append(f"{inner}{type_decl(r.result.ftype)} :: {r.result.name}")
    lines.append(f"{indent}end {kind} {r.name}")
    return lines


def _callback_unit(name: str, cb: Callback, indent: str, by_name: bool = False) -> list[str]:
    kind = "function" if cb.result is not None else "subroutine"
    result = cb.result_name if cb.result_name and cb.result_name != name and cb.result is not None else ""
    lines = [f"{indent}{kind} {name}({','.join(a.name for a in cb.args)})" + (f" result ({result})" if result else "")]
    if by_name:   # f2py then defines the procedure's Fortran name (a callback Fortran calls by name)
        lines.append(f"{indent}    intent(callback) {name}")
    for a in cb.args:
        lines += [f"{indent}    {x}" for x in _arg_lines(a)]
    if cb.result is not None:
        lines.append(f"{indent}    {type_decl(cb.result)} :: {result or name}")
    lines.append(f"{indent}end {kind} {name}")
    return lines


def _variable(v: Variable) -> str:
    attrs = (["parameter"] if v.parameter else []) + (["allocatable"] if v.allocatable else [])
    if v.allocatable:
        v = Variable(v.name, v.ftype, [":"] * len(v.dims))
    return _decl(v, attrs, v.init if v.parameter and v.init else None)


def write_pyf(interface: Interface, path: str) -> None:
    name = interface.name
    user_module = f"{name}__user__routines"
    # callback signatures: one per distinct (name, signature); a clash gets a suffixed name
    cb_units, cb_names_by_routine, seen = [], {}, {}
    for r in interface.all_routines():
        names = {}
        for a in r.args:
            if a.callback is None:
                continue
            body = _callback_unit("@", a.callback, "        ", a.called_by_name)
            key = a.callback.interface_name or a.callback.name
            n = key
            k = 1
            while n in seen and seen[n] != body:
                k += 1
                n = f"{key}_{k}"
            if n not in seen:
                seen[n] = body
                cb_units += _callback_unit(n, a.callback, "        ", a.called_by_name)
            names[a.name] = n
        cb_names_by_routine[id(r)] = names
    out = ["!    -*- f90 -*-",
           f"! Signature file for the numfuse.fortran_wrap module {name} (f2py's language).",
           "! Edit it (remove routines, change intents, add attributes), then build with",
           f"!   python -m numfuse.fortran_wrap -c {os.path.basename(path)} SOURCES...", ""]
    if cb_units:
        out += [f"python module {user_module}", f"    interface {name}_user_interface"] + cb_units + \
               ["    end interface", f"end python module {user_module}", ""]
    out += [f"python module {name} ! in", f"    interface  ! in :{name}"]
    for r in interface.routines:
        out += _routine(r, "        ", user_module, cb_names_by_routine[id(r)])
    for m in interface.modules:
        out.append(f"        module {m.name} ! in :{name}:{os.path.basename(m.file)}")
        for t in m.types:
            out += [f"            type :: {t.name}"] + [f"                {_variable(c)}" for c in t.components] + \
                   [f"            end type {t.name}"]
        out += [f"            {_variable(v)}" for v in m.variables]
        for r in m.routines:
            out += _routine(r, "            ", user_module, cb_names_by_routine[id(r)])
        out.append(f"        end module {m.name}")
    for c in interface.commons:
        out += [f"        block data nfw_common_{c.name}"] + [f"            {_variable(v)}" for v in c.members]
        out += [f"            common /{'' if c.name == '_blank' else c.name}/ {','.join(v.name for v in c.members)}",
                f"        end block data nfw_common_{c.name}"]
    out += [f"    end interface", f"end python module {name}", ""]
    with open(path, "w") as f:
        f.write("\n".join(out))
