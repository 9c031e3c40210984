"""Fortran sources -> interface model, through fparser (fixed and free form).

Only declarations are read: argument types, kinds, dimensions and intents, module variables,
COMMON blocks, derived types, and how procedure arguments are called (to type F77 callbacks).
A routine that uses a construct the wrapper cannot express is skipped with a warning naming it,
unless the user asked for it by name (`only:`), which makes it an error.
"""
from __future__ import annotations

import os
import re

from .directives import apply_directive, extract_directives, split_top
from .gen_interface import DUMMY_ATTRS, dummy_problem
from .model import (Arg, Callback, Common, DerivedType, FType, Interface, Module, Routine,
                    Variable, WrapError, TYPE_SPECS)

FIXED_FORM_SUFFIXES = (".f", ".f77", ".for", ".ftn", ".F", ".F77", ".FOR")

# kind(...) / selected_*_kind(...) / named ISO kinds, evaluated the way gfortran does.
_NAMED_KINDS = {"c_double": 8, "c_float": 4, "c_int": 4, "c_long": 8, "c_long_long": 8,
                "c_int8_t": 1, "c_int16_t": 2, "c_int32_t": 4, "c_int64_t": 8, "c_bool": 1,
                "c_double_complex": 8, "c_float_complex": 4, "real32": 4, "real64": 8,
                "int8": 1, "int16": 2, "int32": 4, "int64": 8, "c_size_t": 8}


class Unsupported(Exception):
    """A construct the wrapper does not handle; the routine holding it is skipped."""


def _kind_value(text: str, params: dict[str, str], depth: int = 0) -> int:
    t = text.strip().lower()
    if t.startswith("kind="):
        t = t[5:].strip()
    if re.fullmatch(r"\d+", t):
        return int(t)
    if t in _NAMED_KINDS:
        return _NAMED_KINDS[t]
    if t in params and depth < 8:
        return _kind_value(params[t], params, depth + 1)
    m = re.fullmatch(r"kind\((.*)\)", t)
    if m:
        inner = m.group(1).strip()
        if re.search(r"\d[dD]", inner) or inner.endswith("_8") or inner.endswith("dp"):
            return 8
        return 8 if inner in params and _kind_value(params[inner], params, depth + 1) == 8 else 4
    m = re.fullmatch(r"selected_real_kind\((?:p=)?(\d+).*\)", t)
    if m:
        p = int(m.group(1))
        if p > 15:
            raise Unsupported(f"kind {text!r} (quad precision)")
        return 4 if p <= 6 else 8
    m = re.fullmatch(r"selected_int_kind\((?:r=)?(\d+)\)", t)
    if m:
        r = int(m.group(1))
        return 1 if r <= 2 else 2 if r <= 4 else 4 if r <= 9 else 8
    raise Unsupported(f"kind {text!r}")


def _ftype(var, name: str, params) -> FType:
    decl = var.typedecl
    if decl is None:   # implicit typing
        return FType("integer", 4) if name[0] in "ijklmn" else FType("real", 4)
    cls = type(decl).__name__
    star, kind = decl.selector
    if cls == "DoublePrecision":
        return FType("real", 8)
    if cls == "DoubleComplex":
        return FType("complex", 8)
    if cls == "Type":
        return FType("derived", 0, derived=kind.lower())
    if cls == "Character":
        length = (var.length or star or "1").strip()
        return FType("character", 1, charlen="*" if length in ("*", "(*)") else length.strip("()"))
    base = {"Integer": "integer", "Real": "real", "Complex": "complex", "Logical": "logical"}.get(cls)
    if base is None:
        raise Unsupported(f"type {cls}")
    if star:
        k = int(star) // (2 if base == "complex" else 1)
    elif kind:
        k = _kind_value(kind, params)
    else:
        k = 4
    if (base, k) not in TYPE_SPECS:
        raise Unsupported(f"{base}(kind={k})")
    return FType(base, k)


def _dims(var) -> list[str]:
    bounds = var.bounds or []
    dims = []
    for b in bounds:
        if len(b) == 1:
            dims.append(b[0].strip().lower())
        else:
            lo, hi = (x.strip().lower() for x in b[:2])
            if lo == "" and hi == "":
                dims.append(":")
            elif hi == "*":
                dims.append("*")
            elif hi == "":
                dims.append(":")
            else:
                dims.append(f"({hi})-({lo})+1" if lo not in ("", "1") else hi)
    return dims


class Parser:
    def __init__(self, only=None, skip=None):
        self.only = {n.lower() for n in only} if only else None
        self.skip = {n.lower() for n in skip or ()}
        self.interface = None
        self.params: dict[str, str] = {}
        self.abstract: dict[str, object] = {}     # abstract interface name -> fparser block
        self.module_order: list[tuple[str, set, set]] = []  # (file, defines, uses)

    def warn(self, text):
        self.interface.warnings.append(text)

    def wanted(self, name: str) -> bool:
        return name not in self.skip and (self.only is None or name in self.only)

    # -- entry ------------------------------------------------------------------------------
    def parse(self, name: str, paths: list[str]) -> Interface:
        self.interface = Interface(name)
        trees = [self._read(p) for p in paths]
        for path, tree, _ in trees:   # parameters and abstract interfaces first: kinds use them
            self._collect_globals(tree)
        for path, tree, directives in trees:
            self._walk(path, tree, directives)
        if self.only is not None:
            found = {r.name for r in self.interface.all_routines()}
            missing = self.only - found
            if missing:
                raise WrapError(f"only: names not found or not wrappable: {', '.join(sorted(missing))}")
        return self.interface

    def _read(self, path: str):
        from fparser.common.readfortran import FortranStringReader
        from fparser.common.sourceinfo import FortranFormat
        from fparser.one.parsefortran import FortranParser
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError as e:
            raise WrapError(f"{path}: cannot read: {e.strerror}") from None
        text, directives = extract_directives(text)
        reader = FortranStringReader(text)
        reader.set_format(FortranFormat(not path.endswith(FIXED_FORM_SUFFIXES), False))
        reader.id = path
        parser = FortranParser(reader)
        try:
            parser.parse()
            parser.analyze()
        except Exception as e:   # fparser reports with its own classes; keep only the position
            line = getattr(getattr(reader, "linecount", None), "real", None) or getattr(reader, "linecount", "?")
            raise WrapError(f"{path}:{line}: cannot parse Fortran: {str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__}") from None
        if parser.block is None or not getattr(parser.block, "content", None):
            raise WrapError(f"{path}:1: no Fortran program units found")
        self._check_complete(path, parser.block)
        return path, parser.block, directives

    def _check_complete(self, path, block):
        # fparser is lenient: a unit without its END, or a statement it cannot classify, stays
        # silent. Report those with the position, as gfortran would.
        for unit in block.content:
            kind = type(unit).__name__
            if kind in ("Subroutine", "Function", "Module", "Program"):
                last = unit.content[-1] if unit.content else None
                if last is None or not type(last).__name__.startswith("End"):
                    raise WrapError(f"{path}:{unit.item.span[0]}: {kind.lower()} {unit.name!r} has no END statement")

    def _collect_globals(self, tree):
        for unit in tree.content:
            if type(unit).__name__ != "Module":
                continue
            for vname, var in unit.a.variables.items():
                if "PARAMETER" in var.attributes and var.init is not None:
                    self.params[vname.lower()] = str(var.init)
            for item in unit.content:
                if type(item).__name__ == "Interface":
                    for proc in item.content:
                        if type(proc).__name__ in ("Function", "Subroutine"):
                            self.abstract[proc.name.lower()] = proc

    # -- program units ----------------------------------------------------------------------
    def _walk(self, path, tree, directives):
        defines, uses = set(), set()
        for unit in tree.content:
            kind = type(unit).__name__
            if kind in ("Subroutine", "Function", "BlockData"):
                self._commons_in(path, unit)
            if kind in ("Subroutine", "Function"):
                r = self._routine(path, unit, directives, "")
                if r is not None:
                    self.interface.routines.append(r)
            elif kind == "Module":
                defines.add(unit.name.lower())
                self.interface.modules.append(self._module(path, unit, directives))
            elif kind in ("Comment",):
                continue
            elif kind not in ("Program", "BlockData"):
                self.warn(f"{path}:{unit.item.span[0]}: skipped top-level {kind}")
            for item in _walk_items(unit):
                if type(item).__name__ == "Use":
                    uses.add(item.name.lower())
        self.module_order.append((path, defines, uses))

    def _module(self, path, unit, directives) -> Module:
        mod = Module(unit.name.lower(), file=path)
        params = dict(self.params)
        commons = {}
        for item in unit.content:
            kind = type(item).__name__
            if kind == "Type":
                mod.types.append(self._derived(path, mod.name, item, params))
            elif kind == "Common":
                for cname, names in item.items:
                    commons[cname.lower() or "_blank"] = [n.lower() for n in names]
            elif kind in ("Subroutine", "Function"):
                self._commons_in(path, item)
                r = self._routine(path, item, directives, mod.name)
                if r is not None:
                    mod.routines.append(r)
        in_common = {n for names in commons.values() for n in names}
        for vname, var in unit.a.variables.items():
            vname = vname.lower()
            if vname in in_common:
                continue
            try:
                mod.variables.append(self._variable(vname, var, params))
            except Unsupported as e:
                self.warn(f"{path}: skipped module variable {mod.name}.{vname}: {e}")
        for cname, names in commons.items():
            self._common(path, cname, names, unit.a.variables, params)
        return mod

    def _commons_in(self, path, block):
        params = dict(self.params)
        for item in block.content:
            if type(item).__name__ == "Common":
                for cname, names in item.items:
                    self._common(path, cname.lower() or "_blank", [n.lower() for n in names],
                                 {k.lower(): v for k, v in block.a.variables.items()}, params)

    def _common(self, path, cname, names, variables, params):
        if any(c.name == cname for c in self.interface.commons):
            return
        try:
            members = [self._variable(n, variables[n], params) for n in names]
        except (Unsupported, KeyError) as e:
            self.warn(f"{path}: skipped COMMON block /{cname}/: {e}")
            return
        self.interface.commons.append(Common(cname, members))

    def _variable(self, name, var, params) -> Variable:
        attrs = {a.upper() for a in var.attributes}
        if attrs & {"POINTER", "TARGET_POINTER"}:
            raise Unsupported("pointer variables")
        ftype = _ftype(var, name, params)
        if ftype.base == "derived":
            raise Unsupported("derived-type variables")
        if ftype.base == "character" and (var.bounds or ftype.charlen == "*"):
            raise Unsupported("character arrays")
        if ftype.base == "logical" and var.bounds and ftype.kind != 1:
            raise Unsupported("logical arrays of 4-byte logicals")
        dims = _dims(var)
        if "ALLOCATABLE" not in attrs and any(d in (":", "*") for d in dims):
            raise Unsupported("deferred-shape variable")
        return Variable(name, ftype, dims, parameter="PARAMETER" in attrs,
                        allocatable="ALLOCATABLE" in attrs, init=str(var.init or ""))

    def _derived(self, path, module, block, params) -> DerivedType:
        t = DerivedType(block.name.lower(), module)
        for cname, var in block.a.variables.items():
            try:
                v = self._variable(cname.lower(), var, params)
                if v.allocatable:
                    raise Unsupported("allocatable components")
                t.components.append(v)
            except Unsupported as e:
                self.warn(f"{path}: type {t.name}: component {cname} not accessible from Python: {e}")
        return t

    # -- routines ---------------------------------------------------------------------------
    def _routine(self, path, block, directives, module) -> Routine | None:
        name = block.name.lower()
        line = block.item.span[0]
        if not self.wanted(name):
            return None
        try:
            return self._routine_model(path, block, directives, module)
        except Unsupported as e:
            if self.only is not None:
                raise WrapError(f"{path}:{line}: cannot wrap {name}: {e}") from None
            self.warn(f"{path}:{line}: skipped routine {name!r}: {e}")
            return None

    def _routine_model(self, path, block, directives, module) -> Routine:
        name = block.name.lower()
        params = dict(self.params)
        for vname, var in block.a.variables.items():
            if "PARAMETER" in var.attributes and var.init is not None:
                params[vname.lower()] = str(var.init)
        interfaces = {p.name.lower(): p for item in block.content if type(item).__name__ == "Interface"
                      for p in item.content if type(p).__name__ in ("Function", "Subroutine")}
        procedures = {}
        for item in block.content:
            if type(item).__name__ == "SpecificBinding":   # `procedure(iface) :: f, g`
                m = re.match(r"\s*procedure\s*\(\s*(\w+)\s*\)\s*(?:,[^:]*)?::\s*(.*)", item.item.line, re.I)
                if m:
                    for pname in split_top(m.group(2)):
                        procedures[pname.strip().lower()] = m.group(1).lower()
        args = []
        for aname in block.args:
            aname = aname.lower()
            var = block.a.variables.get(aname)
            if aname in interfaces or aname in procedures or (var is not None and "EXTERNAL" in var.attributes):
                iface = interfaces.get(aname) or self.abstract.get(procedures.get(aname, ""))
                if aname in procedures and iface is None:
                    raise Unsupported(f"interface {procedures[aname]!r} of procedure argument {aname!r} not found")
                args.append(Arg(aname, FType("integer", 4), intent={"in"},
                                callback=self._callback(aname, iface, block, var, params)))
                continue
            if var is None:
                args.append(Arg(aname, FType("integer", 4) if aname[0] in "ijklmn" else FType("real", 4)))
                continue
            args.append(self._arg(aname, var, params))
        result = None
        if type(block).__name__ == "Function":
            rname = (block.result or name).lower()
            rvar = block.a.variables.get(rname)
            rtype = _ftype(rvar, rname, params) if rvar is not None else (
                _ftype(block, rname, params) if getattr(block, "typedecl", None) else
                FType("integer", 4) if name[0] in "ijklmn" else FType("real", 4))
            if rvar is not None and rvar.bounds:
                raise Unsupported("array-valued function result")
            if rtype.base in ("character", "derived") and rtype.base == "character":
                raise Unsupported("character function result")
            result = Arg(name, rtype, intent={"out"})
        routine = Routine(name, args, result, module, path, block.item.span[0], bind_c=_binding_label(block))
        start, end = block.item.span[0], _end_line(block)
        for line, text in directives:
            if start <= line <= end:
                apply_directive(routine, text, f"{path}:{line}", self.warn)
        from .signature import complete
        complete(routine, self.interface.warnings)
        return routine

    def _arg(self, name, var, params) -> Arg:
        attrs = {a.upper() for a in var.attributes}
        ftype = _ftype(var, name, params)
        dims = _dims(var)
        if ftype.base == "character" and dims:
            raise Unsupported(f"character array argument {name!r}")
        if ftype.base == "logical" and dims and ftype.kind != 1:
            raise Unsupported(f"logical array argument {name!r} (default logical is 4 bytes; NumPy bool is 1)")
        if ftype.base == "derived" and dims:
            raise Unsupported(f"array of derived type argument {name!r}")
        if dims and ":" in dims and not all(d == ":" for d in dims) and "ALLOCATABLE" not in attrs:
            raise Unsupported(f"argument {name!r} mixes assumed and explicit bounds")
        intent = {i.lower() for i in (var.intent or [])}
        if {"in", "out"} <= intent:
            intent = {"inout"}
        if "ALLOCATABLE" in attrs and intent not in ({"in"}, {"out"}):
            intent = {"in", "out"}   # Fortran may reallocate it: what it leaves is returned
        # dummy attributes (optional, value, allocatable, ...): the generators decide what they take
        arg = Arg(name, ftype, dims, intent, attrs={x.lower() for x in attrs} & set(DUMMY_ATTRS))
        arg.optional = arg.may_be_absent
        problem = dummy_problem(arg)
        if problem:
            raise Unsupported(problem)
        return arg

    def _callback(self, name, iface, block, var, params) -> Callback:
        if iface is not None:
            cb_args = [self._arg(a.lower(), iface.a.variables[a], params) if a in iface.a.variables
                       else Arg(a.lower(), FType("integer", 4) if a[0] in "ijklmn" else FType("real", 4))
                       for a in iface.args]
            result = None
            if type(iface).__name__ == "Function":
                rname = (iface.result or iface.name)
                rvar = iface.a.variables.get(rname)
                result = _ftype(rvar, rname, params) if rvar is not None else _ftype(iface, rname, params)
            cb = Callback(name, cb_args, result)
        else:
            cb = self._infer_callback(name, block, var, params)
        for a in cb.args:
            if a.ftype.base in ("character", "derived") or a.assumed_shape or a.attrs:
                raise Unsupported(f"callback {name!r} argument {a.name!r} of type {a.ftype.fortran()}")
            for d in a.dims:
                if d == "*" or not all(n in {x.name for x in cb.args} for n in re.findall(r"[a-z_]\w*", d)):
                    raise Unsupported(f"callback {name!r} argument {a.name!r}: dimension {d!r} is not "
                                      "given by the callback's own arguments")
        if cb.result is not None and cb.result.base not in ("integer", "real", "complex", "logical"):
            raise Unsupported(f"callback {name!r} returns {cb.result.fortran()}")
        return cb

    def _infer_callback(self, name, block, var, params) -> Callback:
        """F77 `external f`: the argument types come from how the routine calls f."""
        pattern = re.compile(rf"(\bcall\s+)?\b{name}\s*\(", re.IGNORECASE)
        for item in _walk_items(block):
            line = getattr(item.item, "line", "") if getattr(item, "item", None) else ""
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
            args = []
            for i, actual in enumerate(actuals):
                args.append(self._actual_arg(name, i, actual.strip().lower(), block, params))
            is_function = m.group(1) is None
            result = None
            if is_function:
                result = _ftype(var, name, params) if var is not None and var.typedecl is not None else (
                    FType("integer", 4) if name[0] in "ijklmn" else FType("real", 4))
            return Callback(name, args, result, from_caller=True)
        raise Unsupported(f"external {name!r} is never called, its signature is unknown")

    def _actual_arg(self, cb, i, actual, block, params) -> Arg:
        m = re.fullmatch(r"([a-z_]\w*)(\s*\(.*\))?", actual)
        if m:
            var = block.a.variables.get(m.group(1))
            if var is not None and "EXTERNAL" not in var.attributes:
                ftype = _ftype(var, m.group(1), params)
                dims = [] if m.group(2) else _dims(var)
                return Arg(m.group(1) if not m.group(2) else f"arg{i}", ftype, dims)
        if re.fullmatch(r"[+-]?\d+", actual):
            return Arg(f"arg{i}", FType("integer", 4))
        if re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+|\d+)([dD][+-]?\d+)", actual):
            return Arg(f"arg{i}", FType("real", 8))
        raise Unsupported(f"cannot infer the type of argument {i + 1} ({actual!r}) of callback {cb!r}; "
                          "give it an interface block")


def _binding_label(block) -> str | None:
    """bind(c) / bind(c, name='x') of a procedure: its linker name (None without bind(c))."""
    spec = getattr(block, "bind", None)
    if not spec:
        return None
    for item in spec[1:]:
        m = re.fullmatch(r"""\s*name\s*=\s*(['"])(.*)\1\s*""", item, re.I)
        if m:
            return m.group(2).strip()
    return block.name.lower()


def _walk_items(block):
    for item in getattr(block, "content", []):
        yield item
        yield from _walk_items(item)


def _end_line(block) -> int:
    last = block.content[-1] if getattr(block, "content", None) else block
    return last.item.span[1]


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


def parse_sources(name, paths, only=None, skip=None) -> tuple[Interface, list[str]]:
    for p in paths:
        if not os.path.exists(p):
            raise WrapError(f"{p}: no such file")
    parser = Parser(only, skip)
    interface = parser.parse(name, paths)
    return interface, module_build_order(parser, paths)
