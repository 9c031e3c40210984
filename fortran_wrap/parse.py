"""Fortran sources (and signature files) -> interface model.

The lexer (`lexer.py`) and the declaration reader (`scopes.py`) turn each file into program units
with their declarations; this module maps units to the model: argument types and kinds (resolved
through parameters, `use` renames and other modules), dimensions, intents and f2py attributes
(directives or signature files), module variables, COMMON blocks, derived types, ENTRY points,
and the signatures of procedure arguments (interfaces, `procedure(iface)`, a signature file's
`__user__routines` module, or, for F77 `external f`, how the routine calls f).

In a source, a routine with a construct the wrapper cannot express is skipped with a warning
naming file:line and the reason, unless the user asked for it by name (`only:`): then it is an
error. In a signature file every routine was asked for: any such construct is an error.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from .directives import normalize_intent, split_top
from .gen_interface import DUMMY_ATTRS, dummy_problem
from .kinds import INTRINSIC_MODULES, NAMED_KINDS, Unsupported, kind_value, load_f2cmap
from .lexer import FIXED_FORM_SUFFIXES, read_statements
from .model import (Arg, Callback, Common, DerivedType, FType, Interface, Module, Routine,
                    Variable, WrapError, F2PY_INTENTS_NOT_GENERATED, TYPE_SPECS)
from .scopes import Entity, Unit, is_assignment, read_units

__all__ = ["Parser", "parse_sources", "module_build_order", "Unsupported", "FIXED_FORM_SUFFIXES"]

@dataclass
class Env:
    """Names visible in a scope: kind/parameter expressions and procedure interfaces."""
    params: dict = field(default_factory=dict)
    ifaces: dict = field(default_factory=dict)     # name -> Unit (interface body or procedure)
    implicit: dict = field(default_factory=dict)   # letter -> TypeSpec | None

    def child(self) -> "Env":
        return Env(dict(self.params), dict(self.ifaces), dict(self.implicit))


class Parser:
    def __init__(self, only=None, skip=None, f2cmap=None, include_dirs=(), strict=False, defines=()):
        self.only = {n.lower() for n in only} if only else None
        self.skip = {n.lower() for n in skip or ()}
        self.f2cmap = load_f2cmap(f2cmap) if not isinstance(f2cmap, dict) else f2cmap
        self.include_dirs = list(include_dirs)
        self.defines = list(defines)      # -D for sources gfortran preprocesses (.F, .F90, ...)
        self.strict = strict              # signature files: every construct must be wrapped
        self.interface: Interface | None = None
        self.modules: dict[str, Unit] = {}
        self.user_routines: dict[str, dict[str, Unit]] = {}   # pyf: module -> callback name -> unit
        self.global_params: dict[str, str] = {}
        self.global_ifaces: dict[str, Unit] = {}
        self.module_order: list[tuple[str, set, set]] = []   # (file, defines, uses)
        self._exports: dict[str, Env] = {}
        self.procedures: dict[str, tuple[Unit, Unit | None]] = {}   # name -> (unit, host module)
        self._passing_on: set = set()

    def warn(self, text):
        self.interface.warnings.append(text)

    def wanted(self, name: str) -> bool:
        return name not in self.skip and (self.only is None or name in self.only)

    # -- entry ------------------------------------------------------------------------------
    def parse(self, name: str, paths: list[str]) -> Interface:
        files = []
        for p in paths:
            units = read_units(read_statements(p, include_dirs=self.include_dirs, defines=self.defines))
            if not units:
                raise WrapError(f"{p}:1: no Fortran program units found")
            files.append((p, units))
        return self.parse_units(name, files)

    def parse_units(self, name: str, files: list[tuple[str, list[Unit]]]) -> Interface:
        self.interface = Interface(name)
        for _, units in files:   # modules, parameters and interfaces first: kinds use them
            for u in units:
                self._collect_globals(u)
        for path, units in files:
            self._walk(path, units)
        if self.only is not None:
            found = {r.name for r in self.interface.all_routines()}
            missing = self.only - found
            if missing:
                raise WrapError(f"only: names not found or not wrappable: {', '.join(sorted(missing))}")
        return self.interface

    def _collect_globals(self, unit: Unit):
        if unit.kind in ("subroutine", "function"):
            self.procedures.setdefault(unit.name, (unit, None))
        if unit.kind == "module":
            self.modules[unit.name] = unit
            for child in unit.children:
                self.procedures.setdefault(child.name, (child, unit))
            for n, e in unit.entities.items():
                if "parameter" in e.attrs and e.init is not None:
                    self.global_params.setdefault(n, e.init)
            for block in unit.interfaces:
                for proc in block.children:
                    self.global_ifaces.setdefault(proc.name, proc)
        elif unit.kind == "pythonmodule":
            for block in unit.children:
                if unit.name.endswith("__user__routines"):
                    self.user_routines.setdefault(unit.name, {}).update({p.name: p for p in block.children})
                for inner in block.children:
                    self._collect_globals(inner)

    # -- scopes -----------------------------------------------------------------------------
    def module_env(self, name: str, stack=()) -> Env:
        """What `use name` makes visible (parameters, interfaces), following its own uses."""
        if name in self._exports:
            return self._exports[name]
        unit = self.modules.get(name)
        env = Env()
        if unit is None or name in stack:
            return env
        for use in unit.uses:
            self._apply_use(env, use, stack + (name,))
        self._add_own(env, unit)
        for proc in unit.children:
            env.ifaces[proc.name] = proc
        self._exports[name] = env
        return env

    def _add_own(self, env: Env, unit: Unit):
        for n, e in unit.entities.items():
            if "parameter" in e.attrs and e.init is not None:
                env.params[n] = e.init
                if e.dims and ":" in e.dims[0]:   # a parameter array's lower bound
                    env.params[n + "#lower"] = e.dims[0].split(":")[0].strip() or "1"
        for block in unit.interfaces:
            for proc in block.children:
                env.ifaces[proc.name] = proc
        if unit.implicit:
            env.implicit.update(unit.implicit)

    def _apply_use(self, env: Env, use, stack=()):
        if use.module in INTRINSIC_MODULES:
            for local, remote in (use.only or []) + use.renames:
                if local != remote:
                    env.params[local] = remote
            return
        source = self.module_env(use.module, stack)
        pairs = use.only if use.only is not None else [(n, n) for n in set(source.params) | set(source.ifaces)]
        if use.only is None:
            renamed = {remote for _, remote in use.renames}
            pairs = [(n, n) for n, _ in pairs if n not in renamed] + use.renames
        for local, remote in pairs:
            if remote in source.params:
                env.params[local] = source.params[remote]
            elif remote in NAMED_KINDS and local != remote:   # an intrinsic module's name, re-exported
                env.params[local] = remote
            if remote in source.ifaces:
                env.ifaces[local] = source.ifaces[remote]

    def scope_env(self, unit: Unit, host: Env | None) -> Env:
        env = host.child() if host is not None else Env(dict(self.global_params), dict(self.global_ifaces))
        for use in unit.uses:
            if use.module.endswith("__user__routines"):
                continue
            self._apply_use(env, use)
        self._add_own(env, unit)
        return env

    # -- program units ----------------------------------------------------------------------
    def _walk(self, path, units):
        defines, uses = set(), set()
        for unit in units:
            for u in _all_units(unit):
                uses |= {x.module for x in u.uses}
                if u.kind == "submodule":
                    uses.add(u.parent)
            if unit.kind in ("subroutine", "function", "blockdata"):
                self._commons_in(path, unit, self.scope_env(unit, None))
            if unit.kind in ("subroutine", "function"):
                self._add_routines(self.interface.routines, unit, "", None)
            elif unit.kind == "module":
                defines.add(unit.name)
                self.interface.modules.append(self._module(path, unit))
            elif unit.kind == "pythonmodule":
                self._python_module(path, unit)
            elif unit.kind not in ("program", "blockdata", "submodule"):
                self.warn(f"{unit.where}: skipped top-level {unit.kind}")
        self.module_order.append((path, defines, uses))

    def _python_module(self, path, unit: Unit):
        """A signature file's `python module` block: routine signatures inside `interface`."""
        if unit.name.endswith("__user__routines"):
            return
        _reject_c_code(unit)
        for block in unit.children:
            _reject_c_code(block)
            for inner in block.children:
                if inner.kind in ("subroutine", "function"):
                    self._commons_in(path, inner, self.scope_env(inner, None))
                    self._add_routines(self.interface.routines, inner, "", None)
                elif inner.kind == "module":
                    self.interface.modules.append(self._module(path, inner))
                elif inner.kind == "blockdata":
                    self._commons_in(path, inner, self.scope_env(inner, None))
                else:
                    raise WrapError(f"{inner.where}: unexpected {inner.kind} in a signature file's interface")

    def _module(self, path, unit: Unit) -> Module:
        mod = Module(unit.name, file=path)
        env = self.scope_env(unit, None)
        for child in unit.children:   # procedure(f) may name a module procedure as its interface
            env.ifaces.setdefault(child.name, child)
        for t in unit.types:
            if _visible(unit, t.name):
                mod.types.append(self._derived(mod.name, t, env))
        in_common = {n for _, names in unit.commons for n in names}
        procedures = {c.name for c in unit.children} | {p.name for b in unit.interfaces for p in b.children} | \
                     {b.name for b in unit.interfaces}
        for vname in unit.order:
            e = unit.entities[vname]
            if vname in in_common or vname in procedures or e.type is None or not _visible(unit, vname):
                continue
            if e.attrs & {"external", "procedure"} or e.interface:
                continue
            try:
                mod.variables.append(self._variable(vname, e, unit, env))
            except Unsupported as err:
                self.warn(f"{path}:{e.line}: skipped module variable {mod.name}.{vname}: {err}")
        for cname, names in unit.commons:
            self._common(path, cname, names, unit, env)
        for child in unit.children:
            if child.kind in ("subroutine", "function") and _visible(unit, child.name):
                self._commons_in(path, child, self.scope_env(child, env))
                self._add_routines(mod.routines, child, mod.name, env)
        for block in unit.interfaces:   # separate module procedures (bodies in a submodule)
            if block.abstract or block.name:
                continue
            for proc in block.children:
                if "module" in proc.prefix and _visible(unit, proc.name):
                    self._add_routines(mod.routines, proc, mod.name, env)
        return mod

    def _commons_in(self, path, unit: Unit, env: Env):
        for cname, names in unit.commons:
            self._common(path, cname, names, unit, env)

    def _common(self, path, cname, names, unit: Unit, env: Env):
        if any(c.name == cname for c in self.interface.commons):
            return
        try:
            members = [self._variable(n, unit.entities[n], unit, env) for n in names]
            for m in members:   # the shim declares the block without the routine's parameters
                m.dims = [_inline_params(d, env.params) for d in m.dims]
        except Unsupported as e:
            self.warn(f"{path}:{unit.line}: skipped COMMON block /{cname}/: {e}")
            return
        self.interface.commons.append(Common(cname, members))

    def _variable(self, name, e: Entity, unit: Unit, env: Env) -> Variable:
        if "pointer" in e.attrs:
            raise Unsupported("pointer variables")
        ftype = self._ftype(e, unit, env)
        if ftype.base == "derived":
            raise Unsupported("derived-type variables")
        if ftype.base == "character" and (e.dims or ftype.charlen == "*"):
            raise Unsupported("character arrays")
        if ftype.base == "logical" and e.dims and ftype.kind != 1:
            raise Unsupported("logical arrays of 4-byte logicals")
        dims = _dims(e.dims)
        allocatable = "allocatable" in e.attrs
        if not allocatable and any(d in (":", "*") for d in dims):
            raise Unsupported("deferred-shape variable")
        return Variable(name, ftype, dims, parameter="parameter" in e.attrs, allocatable=allocatable,
                        init=e.init or "")

    def _derived(self, module, t: Unit, env: Env) -> DerivedType:
        dt = DerivedType(t.name, module)
        for cname in t.order:
            e = t.entities[cname]
            try:
                v = self._variable(cname, e, t, env)
                if v.allocatable:
                    raise Unsupported("allocatable components")
                dt.components.append(v)
            except Unsupported as err:
                self.warn(f"{t.file}:{e.line}: type {t.name}: component {cname} not accessible from Python: {err}")
        return dt

    # -- types ------------------------------------------------------------------------------
    def _ftype(self, e: Entity, unit: Unit, env: Env) -> FType:
        spec = e.type
        if spec is None:
            spec = self._implicit(e.name, unit, env)
        base = spec.base
        if base == "doubleprecision":
            return FType("real", 8)
        if base == "doublecomplex":
            return FType("complex", 8)
        if base == "byte":
            return FType("integer", 1)
        if base == "derived":
            return FType("derived", 0, derived=spec.derived.lower())
        if base == "class":
            raise Unsupported(f"polymorphic class({spec.derived}) entity {e.name!r}")
        if base == "character":
            length = (e.charlen or spec.charlen or "1").strip()
            if spec.kind and kind_value(spec.kind, env.params, "character", self.f2cmap) != 1:
                raise Unsupported(f"character kind {spec.kind!r}")
            return FType("character", 1, charlen="*" if length in ("*", "(*)", ":") else length.strip("()"))
        if spec.star:
            k = int(spec.star) // (2 if base == "complex" else 1) if spec.star.isdigit() else \
                kind_value(spec.star, env.params, base, self.f2cmap)
        elif spec.kind:
            k = kind_value(spec.kind, env.params, base, self.f2cmap)
        else:
            k = 4
        if (base, k) not in TYPE_SPECS:
            raise Unsupported(f"{base}(kind={k}) entity {e.name!r}")
        return FType(base, k)

    def _implicit(self, name: str, unit: Unit, env: Env):
        from .scopes import TypeSpec
        rules = dict(env.implicit)
        rules.update(unit.implicit)
        letter = name[0]
        if letter in rules:
            if rules[letter] is None:
                raise Unsupported(f"{name!r} has no type (IMPLICIT NONE)")
            return rules[letter]
        return TypeSpec("integer" if letter in "ijklmn" else "real")

    # -- routines ---------------------------------------------------------------------------
    def _add_routines(self, into: list, unit: Unit, module: str, host: Env | None):
        """The routine and its ENTRY points (each a routine of its own)."""
        targets = [(unit.name, unit.args, "")] + [(n, args, unit.name) for n, args, _ in unit.entries]
        for name, args, entry_of in targets:
            if not self.wanted(name):
                continue
            line = unit.line if not entry_of else next(l for n, _, l in unit.entries if n == name)
            try:
                into.append(self._routine_model(unit, module, host, name, args, entry_of))
            except Unsupported as e:
                if self.only is not None or self.strict:
                    raise WrapError(f"{unit.file}:{line}: cannot wrap {name}: {e}") from None
                self.warn(f"{unit.file}:{line}: skipped routine {name!r}: {e}")

    def _routine_model(self, unit: Unit, module: str, host: Env | None, name: str, arg_names: list[str],
                       entry_of: str) -> Routine:
        env = self.scope_env(unit, host)
        local_ifaces = {p.name: p for b in unit.interfaces if not b.abstract for p in b.children}
        user = self._user_routines(unit)
        aux, called_by_name = [], []
        for ename, e in unit.entities.items():   # f2py's extra Python-side variables
            if ename not in arg_names and "aux" in e.intent:
                aux.append(self._aux(e, unit, env))
            elif ename not in arg_names and "callback" in e.intent:
                called_by_name.append(e)
        args = []
        for aname in arg_names:
            if aname == "*":
                raise Unsupported("alternate return ('*' argument)")
            e = unit.entities.get(aname) or Entity(aname, unit.line)
            if aname in local_ifaces or e.interface or "external" in e.attrs or "callback" in e.intent:
                args.append(self._procedure_arg(e, unit, env, local_ifaces, user))
            else:
                args.append(self._arg(e, unit, env))
        for e in called_by_name:   # f2py's intent(callback): Python arguments after the Fortran ones
            arg = self._procedure_arg(e, unit, env, local_ifaces, user)
            arg.called_by_name, arg.f2py_intent = True, list(e.intent)
            args.append(arg)
        result = None
        if unit.kind == "function":
            rname = name if entry_of else (unit.result or unit.name)
            re_ = unit.entities.get(rname)
            if re_ is not None and re_.type is not None:
                rtype = self._ftype(re_, unit, env)
            elif unit.header_type is not None and not entry_of:
                rtype = self._ftype(Entity(rname, type=unit.header_type), unit, env)
            else:
                rtype = self._ftype(Entity(rname), unit, env)
            if re_ is not None and re_.dims:
                raise Unsupported("array-valued function result")
            if rtype.base == "character":
                raise Unsupported("character function result")
            result = Arg(rname, rtype, intent={"out"})   # f2py names it after result(...)
        routine = Routine(name, args, result, module, unit.file, unit.line, bind_c=_binding_label(unit), aux=aux)
        self._routine_f2py(routine, unit, name)
        routine.entry_of = entry_of
        routine.elemental = "elemental" in unit.prefix
        from .signature import complete
        complete(routine, self.interface.warnings)
        return routine

    def _routine_f2py(self, routine: Routine, unit: Unit, name: str):
        """fortranname, callstatement, threadsafe, ... and `intent(c)` on the routine itself."""
        own = unit.entities.get(name)
        if own is not None and "c" in own.intent:
            raise Unsupported("intent(c) routine (a C function): fortran_wrap wraps Fortran procedures")
        if own is not None and own.note:
            routine.note = own.note
        f2 = unit.f2py
        if "fortranname" in f2:
            value, line = f2["fortranname"]
            if not re.fullmatch(r"\w+", value):
                raise WrapError(f"{unit.file}:{line}: fortranname without a Fortran name (f2py's C-only "
                                "wrapper) is not supported")
            routine.fortranname = value
        if "threadsafe" in f2:
            routine.threadsafe = True
        if "callprotoargument" in f2:
            routine.callprotoargument = f2["callprotoargument"][0]
        if "callstatement" in f2:
            value, line = f2["callstatement"]
            routine.callstatement = value
            if not _is_plain_call(value, routine):
                raise WrapError(f"{unit.file}:{line}: callstatement with C code is not supported by fortran_wrap "
                                "(only the plain call '(*f2py_func)(&a, b, ...)' of the routine's own arguments "
                                "in order); express the call with intent/depend/check attributes instead")
        _reject_c_code(unit)

    def _user_routines(self, unit: Unit) -> dict[str, Unit]:
        found = {}
        for use in unit.uses:
            if not use.module.endswith("__user__routines"):
                continue
            procs = self.user_routines.get(use.module)
            if procs is None:
                raise WrapError(f"{unit.file}:{use.line}: python module {use.module!r} not found in the "
                                "signature file")
            pairs = use.only if use.only is not None else [(n, n) for n in procs] + use.renames
            for local, remote in pairs:
                if remote not in procs:
                    raise WrapError(f"{unit.file}:{use.line}: {use.module} has no routine {remote!r}")
                found[local] = procs[remote]
        return found

    def _arg(self, e: Entity, unit: Unit, env: Env, where: str = "") -> Arg:
        name = e.name
        ftype = self._ftype(e, unit, env)
        # named constants in bounds (`x(nmax)` with `parameter (nmax = 4)`) become their values:
        # the C binding evaluates bounds from the arguments alone
        constants = {k: v for k, v in env.params.items() if k not in unit.args}
        dims = [_inline_params(d, constants) for d in _dims(e.dims)]
        attrs = {a for a in e.attrs if a in DUMMY_ATTRS}
        if ftype.base == "character" and dims:
            raise Unsupported(f"character array argument {name!r}")
        if ftype.base == "logical" and dims and ftype.kind != 1:
            raise Unsupported(f"logical array argument {name!r} (default logical is 4 bytes; NumPy bool is 1)")
        if ftype.base == "derived" and dims:
            raise Unsupported(f"array of derived type argument {name!r}")
        if dims and ":" in dims and not all(d == ":" for d in dims) and "allocatable" not in attrs:
            raise Unsupported(f"argument {name!r} mixes assumed and explicit bounds")
        try:
            words = normalize_intent(e.intent)
        except ValueError as err:
            raise WrapError(f"{unit.file}:{e.line}: argument {name!r}: {err}") from None
        for flag in sorted(words.flags & set(F2PY_INTENTS_NOT_GENERATED)):
            raise WrapError(f"{unit.file}:{e.line}: argument {name!r}: {F2PY_INTENTS_NOT_GENERATED[flag]} "
                            "is not supported by fortran_wrap")
        if "aux" in words.flags and e.name in unit.args:
            # f2py would leave it out of the Fortran call
            raise WrapError(f"{unit.file}:{e.line}: intent(aux) on argument {name!r}: an auxiliary variable "
                            "cannot be an argument of the routine")
        if "c" in words.flags:
            if dims:
                raise WrapError(f"{unit.file}:{e.line}: intent(c) array {name!r} (C-ordered, for C functions) "
                                "is not supported; fortran_wrap wraps Fortran procedures")
            attrs.add("value")    # f2py's intent(c) scalar: passed by value
        intent = words.intent
        if attrs & {"allocatable", "pointer"} and intent not in ({"in"}, {"out"}):
            intent = {"in", "out"}   # Fortran may reallocate it: what it leaves is returned
        arg = Arg(name, ftype, dims, intent, attrs=attrs)
        arg.optional = arg.may_be_absent
        arg.f2py_intent = list(e.intent)
        arg.out_name = words.out_name
        arg.note = e.note
        arg.depends = list(e.depend)
        arg.checks = list(e.check)
        if e.init is not None and "parameter" not in e.attrs:
            arg.default = e.init
        if e.explicit_optional is not None:
            arg.optional = e.explicit_optional and not arg.is_hidden
        if words.flags & {"optional"}:
            arg.optional = True
        problem = dummy_problem(arg)
        if problem:
            raise Unsupported(problem)
        return arg

    def _aux(self, e: Entity, unit: Unit, env: Env) -> Arg:
        """f2py's intent(aux) variable: a numeric scalar of the wrapper, computed from its init."""
        where = f"{unit.file}:{e.line}: intent(aux) variable {e.name!r}"
        try:
            arg = self._arg(e, unit, env)
        except Unsupported as err:
            raise WrapError(f"{where}: {err}") from None
        if arg.is_array or arg.ftype.base not in ("integer", "real", "complex", "logical"):
            raise WrapError(f"{where}: only numeric scalars can be auxiliary variables")
        if arg.is_output:
            raise WrapError(f"{where}: intent(aux,out) is not supported by fortran_wrap")
        if arg.default is None:
            raise WrapError(f"{where} needs a value (`= expression`)")
        arg.intent, arg.optional = {"hide"}, False
        return arg

    # -- procedure arguments ----------------------------------------------------------------
    def _procedure_arg(self, e: Entity, unit: Unit, env: Env, local_ifaces, user) -> Arg:
        name = e.name
        iface = local_ifaces.get(name) or user.get(name)
        if iface is None and e.interface and e.interface != "*":
            iface = env.ifaces.get(e.interface)
            if iface is None:
                raise Unsupported(f"interface {e.interface!r} of procedure argument {name!r} not found")
        if iface is not None:
            cb = self._callback_from(name, iface, env)
            if iface.name != name:
                cb.interface_name = iface.name
        elif unit.body:
            cb = self._infer_callback(e, unit, env) or self._callback_of_callee(e, unit)
            if cb is None:
                raise Unsupported(f"external {name!r} is never called, its signature is unknown")
        else:
            raise Unsupported(f"procedure argument {name!r} has no signature: give it an interface, or in a "
                              f"signature file a 'python module <name>__user__routines' block and 'use' it")
        if e.type is not None and cb.result is None and cb.from_caller:
            cb.result = self._ftype(e, unit, env)
        for a in cb.args:
            if a.ftype.base in ("character", "derived") or a.assumed_shape or a.attrs:
                raise Unsupported(f"callback {name!r} argument {a.name!r} of type {a.ftype.fortran()}")
            for d in a.dims:
                if d == "*" or not all(n in {x.name for x in cb.args} for n in re.findall(r"[a-z_]\w*", d)):
                    raise Unsupported(f"callback {name!r} argument {a.name!r}: dimension {d!r} is not "
                                      "given by the callback's own arguments")
        if cb.result is not None and cb.result.base not in ("integer", "real", "complex", "logical"):
            raise Unsupported(f"callback {name!r} returns {cb.result.fortran()}")
        arg = Arg(name, FType("integer", 4), intent={"in"}, callback=cb, attrs={"optional"} & set(e.attrs))
        # OPTIONAL: None or omitted passes it absent; f2py's `optional` only in the Python signature
        arg.optional = arg.may_be_absent or bool(e.explicit_optional)
        return arg

    def _callback_from(self, name: str, iface: Unit, host: Env) -> Callback:
        env = self.scope_env(iface, host)
        args = [self._arg(iface.entities.get(a) or Entity(a, iface.line), iface, env) for a in iface.args]
        result = None
        if iface.kind == "function":
            rname = iface.result or iface.name
            re_ = iface.entities.get(rname)
            if re_ is not None and re_.type is not None:
                result = self._ftype(re_, iface, env)
            elif iface.header_type is not None:
                result = self._ftype(Entity(rname, type=iface.header_type), iface, env)
            else:
                result = self._ftype(Entity(rname), iface, env)
        return Callback(name, args, result, result_name=iface.result if iface.kind == "function" else "")

    def _infer_callback(self, e: Entity, unit: Unit, env: Env) -> Callback:
        """F77 `external f`: the argument types come from how the routine calls f."""
        name = e.name
        pattern = re.compile(rf"(\bcall\s+)?(?<![\w%]){name}\s*\(")
        bare_call = re.compile(rf"\bcall\s+{name}\s*$")   # `call f`: a subroutine without arguments
        for st in unit.body:
            line = st.text
            if bare_call.search(line):
                return Callback(name, [], None, from_caller=True)
            m = pattern.search(line)
            if not m:
                continue
            depth, j = 0, m.end() - 1
            for j in range(m.end() - 1, len(line)):
                depth += line[j] == "("
                depth -= line[j] == ")"
                if depth == 0:
                    break
            actuals = split_top(line[m.end():j])
            args = [self._actual_arg(name, i, a.strip(), unit, env) for i, a in enumerate(actuals)]
            result, result_name = None, ""
            if m.group(1) is None:
                result = self._ftype(e, unit, env)
                if is_assignment(line):   # f2py names the result after what it is assigned to
                    result_name = re.match(r"[a-z_]\w*", line).group(0)
            return Callback(name, args, result, from_caller=True, result_name=result_name)
        return None

    def _callback_of_callee(self, e: Entity, unit: Unit) -> Callback | None:
        """A procedure argument the routine only passes on (`call qgauss(f, a, b, ...)`): its
        signature is the one the called routine gives that dummy (beyond f2py, whose wrapper of
        such a routine does not compile)."""
        pattern = re.compile(r"(?:\bcall\s+)?(?<![\w%])([a-z_]\w*)\s*\(")
        for st in unit.body:
            for m in pattern.finditer(st.text):
                callee = self.procedures.get(m.group(1))
                close = _match_paren(st.text, m.end() - 1)
                if callee is None or close < 0:
                    continue
                actuals = [a.strip() for a in split_top(st.text[m.end():close])]
                if e.name not in actuals:
                    continue
                target, host = callee
                k = actuals.index(e.name)
                key = (target.name, k)
                if k >= len(target.args) or key in self._passing_on:
                    continue
                self._passing_on.add(key)
                try:
                    host_env = self.scope_env(host, None) if host is not None else None
                    env = self.scope_env(target, host_env)
                    dummy = target.entities.get(target.args[k]) or Entity(target.args[k], target.line)
                    local = {p.name: p for b in target.interfaces if not b.abstract for p in b.children}
                    arg = self._procedure_arg(dummy, target, env, local, self._user_routines(target))
                except Unsupported:
                    continue
                finally:
                    self._passing_on.discard(key)
                cb = arg.callback
                return Callback(e.name, cb.args, cb.result, from_caller=False, result_name=cb.result_name)
        return None

    def _expr_type(self, expr: str, unit: Unit, env: Env) -> FType | None:
        """The type of an actual argument expression such as `xm+c*x3(j)` or `dble(i)*h`
        (None: not a numeric scalar expression this reader can type)."""
        if "'" in expr or '"' in expr or "//" in expr:
            return None
        if re.search(r"\.(eq|ne|lt|le|gt|ge|and|or|not|eqv|neqv|true|false)\.|[<>]|==|/=", expr):
            return FType("logical", 4)
        result, pos = None, 0
        token = re.compile(r"(\d+\.?\d*(?:[ed][+-]?\d+)?(?:_\w+)?|\.\d+(?:[ed][+-]?\d+)?(?:_\w+)?)|([a-z_]\w*)\s*(\()?")
        while True:
            m = token.search(expr, pos)
            if m is None:
                return result
            pos = m.end()
            if m.group(1):
                lit = m.group(1)
                kind_m = re.search(r"_(\w+)$", lit)
                if re.fullmatch(r"\d+(_\w+)?", lit):
                    t = FType("integer", kind_value(kind_m.group(1), env.params) if kind_m else 4)
                else:
                    t = FType("real", 8 if "d" in lit else kind_value(kind_m.group(1), env.params) if kind_m else 4)
                result = _promote(result, t)
                continue
            name, call = m.group(2), m.group(3)
            if call:
                close = _match_paren(expr, m.end() - 1)
                e = unit.entities.get(name)
                if e is not None and e.dims:          # an array element
                    result = _promote(result, self._ftype(e, unit, env))
                    pos = close + 1
                elif name in _TYPED_INTRINSICS:
                    result = _promote(result, _TYPED_INTRINSICS[name])
                    pos = close + 1
                elif name in _GENERIC_INTRINSICS:
                    continue                          # its arguments decide
                else:                                 # an external function
                    result = _promote(result, self._ftype(e or Entity(name), unit, env))
                    pos = close + 1
                if result.base not in ("integer", "real", "complex"):
                    return None
                continue
            e = unit.entities.get(name) or Entity(name)
            if e.dims or "external" in e.attrs:
                return None                           # a whole array in an expression
            t = self._ftype(e, unit, env)
            if t.base not in ("integer", "real", "complex"):
                return None
            result = _promote(result, t)

    def _actual_arg(self, cb, i, actual, unit: Unit, env: Env) -> Arg:
        m = re.fullmatch(r"([a-z_]\w*)(\s*\(.*\))?", actual)
        if m:
            e = unit.entities.get(m.group(1))
            if e is None and m.group(2) is None:
                e = Entity(m.group(1))
            if e is not None and "external" not in e.attrs:
                ftype = self._ftype(e, unit, env)
                dims = [] if m.group(2) else _dims(e.dims)
                return Arg(m.group(1) if not m.group(2) else f"arg{i}", ftype, dims)
        ftype = self._expr_type(actual, unit, env)
        if ftype is not None:
            return Arg(f"arg{i}", ftype)
        if re.fullmatch(r"[+-]?\d+", actual):
            return Arg(f"arg{i}", FType("integer", 4))
        if re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+|\d+)([dD][+-]?\d+)", actual):
            return Arg(f"arg{i}", FType("real", 8))
        if re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?", actual):
            return Arg(f"arg{i}", FType("real", 4))
        raise Unsupported(f"cannot infer the type of argument {i + 1} ({actual!r}) of callback {cb!r}; "
                          "give it an interface block")


_TYPED_INTRINSICS = {
    **{n: FType("real", 8) for n in ("dble", "dfloat", "dsqrt", "dexp", "dlog", "dlog10", "dsin", "dcos",
                                     "dtan", "datan", "datan2", "dabs", "dmax1", "dmin1", "dsign", "dmod",
                                     "dsinh", "dcosh", "dtanh", "dasin", "dacos", "dprod", "dint", "dnint")},
    **{n: FType("real", 4) for n in ("real", "float", "sngl", "amax1", "amin1", "alog", "alog10")},
    **{n: FType("integer", 4) for n in ("int", "nint", "ifix", "idint", "idnint", "len", "size", "index",
                                        "len_trim", "ichar", "iachar", "max0", "min0", "floor", "ceiling")},
    "cmplx": FType("complex", 4), "dcmplx": FType("complex", 8),
}
_GENERIC_INTRINSICS = {"sqrt", "exp", "log", "log10", "sin", "cos", "tan", "asin", "acos", "atan", "atan2",
                       "sinh", "cosh", "tanh", "abs", "max", "min", "sign", "mod", "modulo", "aint", "anint",
                       "conjg", "dim", "hypot"}


def _match_paren(text: str, start: int) -> int:
    from .scopes import match_paren
    return match_paren(text, start)


def _promote(a: FType | None, b: FType) -> FType:
    """Fortran's type of a mixed expression: complex > real > integer, the larger kind."""
    if a is None:
        return b
    order = {"integer": 0, "real": 1, "complex": 2}
    base = a.base if order[a.base] >= order[b.base] else b.base
    kind = max(a.kind if a.base != "integer" or base == "integer" else 0,
               b.kind if b.base != "integer" or base == "integer" else 0) or 4
    return FType(base, kind)


def _inline_params(expr: str, params: dict, depth: int = 0) -> str:
    """`lub/lpmin+1` with parameters lub = 10, lpmin = 2 -> `(10)/(2)+1`; an element of a
    parameter array with a constant index (`sizes(2)` of `sizes = (/ 3, 5 /)`) -> `(5)`."""
    if depth > 8:
        return expr

    def element(m):
        values = _array_constructor(params.get(m.group(1), ""))
        index = _inline_params(m.group(2), params, depth + 1).strip("() ")
        if values is None or not re.fullmatch(r"[+-]?\d+", index):
            return m.group(0)
        k = int(index) - int(params.get(m.group(1) + "#lower", "1"))
        return f"({_inline_params(values[k], params, depth + 1)})" if 0 <= k < len(values) else m.group(0)
    expr = re.sub(r"\b([a-z_]\w*)\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)", element, expr)
    return re.sub(r"(?<![\w%])([a-z_]\w*)\b(?!\s*\()", lambda m: f"({_inline_params(params[m.group(1)], params, depth + 1)})"
                  if m.group(1) in params and _array_constructor(params[m.group(1)]) is None else m.group(0), expr)


def _array_constructor(value: str):
    m = re.fullmatch(r"\s*(?:\(/(.*)/\)|\[(.*)\])\s*", value or "", re.S)
    return None if m is None else [v.strip() for v in split_top(m.group(1) or m.group(2) or "")]


def _visible(module: Unit, name: str) -> bool:
    e = module.entities.get(name)
    if e is not None and "public" in e.attrs:
        return True
    if e is not None and "private" in e.attrs:
        return False
    return not module.default_private


def _all_units(unit: Unit):
    yield unit
    for group in (unit.children, unit.interfaces, unit.types):
        for u in group:
            yield from _all_units(u)


def _dims(specs) -> list[str]:
    dims = []
    for spec in specs or []:
        parts = split_top(spec, ":") if ":" in spec else [spec]
        if spec.strip() == ":":
            dims.append(":")
            continue
        if len(parts) == 1:
            dims.append(parts[0].strip())
            continue
        lo, hi = (x.strip() for x in (parts + [""])[:2])
        if hi == "*":
            dims.append("*")
        elif hi == "":
            dims.append(":")
        else:
            dims.append(f"({hi})-({lo})+1" if lo not in ("", "1") else hi)
    return dims


def _reject_c_code(unit: Unit):
    """usercode/pymethoddef: C code f2py pastes into its module; fortran_wrap generates no such module."""
    for key in ("usercode", "pymethoddef"):
        if key in unit.f2py:
            raise WrapError(f"{unit.file}:{unit.f2py[key][1]}: '{key}' (C code for f2py's module) is not "
                            "supported by fortran_wrap; write the code as a Fortran or Python function instead")


def _binding_label(unit: Unit) -> str | None:
    """bind(c) / bind(c, name='x') of a procedure: its linker name (None without bind(c))."""
    if not unit.bind:
        return None
    m = re.search(r"""name\s*=\s*(['"])(.*)\1""", unit.bind, re.I)
    return m.group(2).strip() if m else unit.name


def _is_plain_call(callstatement: str, routine: Routine) -> bool:
    """`(*f2py_func)(&n, x, &info)` passing the routine's own arguments in order: what fortran_wrap
    does anyway (f2py writes such statements when only callprotoargument matters)."""
    m = re.fullmatch(r"\{?\s*\(\s*\*\s*f2py_func\s*\)\s*\((.*)\)\s*;?\s*\}?", callstatement.strip(), re.S)
    if not m:
        return False
    actuals = [re.sub(r"^&", "", a.strip()) for a in split_top(m.group(1))]
    expected = [a.name for a in routine.args] + ([] if routine.result is None else [])
    return actuals == expected


def module_build_order(parser: Parser, paths: list[str]) -> list[str]:
    """Sources ordered so that a file defining a module compiles before files using it."""
    info = {p: (d, u) for p, d, u in parser.module_order}
    done, order = set(), []

    def visit(p, stack=()):
        if p in done or p in stack:
            return
        for other in paths:
            if other != p and info.get(other, (set(), set()))[0] & info.get(p, (set(), set()))[1]:
                visit(other, stack + (p,))
        done.add(p)
        order.append(p)
    for p in paths:
        visit(p)
    return order


def parse_sources(name, paths, only=None, skip=None, f2cmap=None, include_dirs=(),
                  defines=()) -> tuple[Interface, list[str]]:
    for p in paths:
        if not os.path.exists(p):
            raise WrapError(f"{p}: no such file")
    parser = Parser(only, skip, f2cmap, include_dirs, defines=defines)
    interface = parser.parse(name, paths)
    return interface, module_build_order(parser, paths)
