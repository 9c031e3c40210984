"""Explicit interfaces for external routines, for the Fortran shim.

A routine outside a module is called through `external :: name` (an implicit interface) unless one
of its dummies needs an explicit one (Fortran 2018, 15.4.2.2: assumed shape, optional, value,
allocatable, pointer, target, contiguous) or it is bind(c). Without the interface the compiler
passes a bare address where the routine expects a descriptor, a pointer where it expects a value,
and no absent marker: wrong values or a crash. The interface block reproduces the dummies with
their kinds resolved: the declarations that decide how an argument is passed, nothing more.
"""
from __future__ import annotations

from .model import Arg, FType, Routine

# Attribute order in the declarations written (Fortran accepts any order).
DUMMY_ATTRS = ("value", "optional", "allocatable", "pointer", "target", "contiguous")


def dummy_problem(a: Arg) -> str | None:
    """Why the wrapper cannot pass dummy `a` (None: it can)."""
    what = f"argument {a.name!r}"
    if a.is_value and (a.is_array or a.ftype.base in ("character", "derived") or "optional" in a.attrs):
        return f"{what}: VALUE is supported for numeric and logical scalars that are not OPTIONAL"
    for word, has in (("POINTER", a.is_pointer), ("ALLOCATABLE", a.is_allocatable)):
        if has and (not a.is_array or a.ftype.base not in ("integer", "real", "complex")):
            return f"{what}: {word} is supported for integer, real and complex arrays"
    return None


def type_decl(t: FType) -> str:
    if t.base == "derived":
        return f"type({t.derived})"
    if t.base == "character":
        return f"character(len={t.charlen})"
    return f"{t.base}({t.kind})"


def deferred_shape(rank: int) -> str:
    return "(" + ",".join(":" * rank) + ")"


def declared_intent(a: Arg) -> str:
    """The Fortran intent of an allocatable or pointer dummy, rebuilt from the model's intents:
    it decides whether the caller deallocates (intent(out)) or may reallocate. Other dummies get no
    intent in the interface: a wrong intent(in) would let the compiler assume unchanged values."""
    if not (a.is_allocatable or a.is_pointer):
        return ""
    if a.intent == {"out"}:
        return ", intent(out)"
    if "out" in a.intent or "inout" in a.intent:
        return ", intent(inout)"
    return ", intent(in)"


def dummy_decl(a: Arg) -> str:
    """The declaration of one dummy inside the interface body."""
    if a.callback is not None:
        cb = a.callback
        # The shim passes a module procedure with the exact characteristics; an external dummy
        # takes it (same calling convention: the procedure's address).
        optional = ", optional" if "optional" in a.attrs else ""
        return f"{type_decl(cb.result) + ', ' if cb.result is not None else ''}external{optional} :: {a.name}"
    t = a.ftype
    decl = "character(len=*)" if t.base == "character" else type_decl(t)
    attrs = "".join(f", {x}" for x in DUMMY_ATTRS if x in a.attrs)
    if a.by_descriptor:
        shape = deferred_shape(a.rank)
    elif a.is_array:   # explicit shape or assumed size: the address of the first element either way
        shape = "(*)"
    else:
        shape = ""
    return f"{decl}{attrs}{declared_intent(a)} :: {a.name}{shape}"


def interface_block(r: Routine, type_modules: dict[str, str]) -> list[str]:
    """`interface ... end interface` for external routine `r`; type_modules maps derived-type
    names to the module defining them (interface bodies do not see the host's names)."""
    kind = "function" if r.result is not None else "subroutine"
    head = f"{kind} {r.fortran_name}({', '.join(a.name for a in r.fortran_args)})"
    if r.result is not None:
        head += " result(nfw_result)"
    if r.bind_c is not None:
        head += f" bind(c, name='{r.bind_c}')"
    types = [a.ftype for a in r.fortran_args if a.callback is None] + ([r.result.ftype] if r.result is not None else [])
    uses: dict[str, list[str]] = {}
    for t in types:
        if t.base == "derived":
            uses.setdefault(type_modules[t.derived], []).append(t.derived)
    body = [f"use {m}, only: {', '.join(dict.fromkeys(names))}" for m, names in uses.items()]
    body += [dummy_decl(a) for a in r.fortran_args]
    if r.result is not None:
        body.append(f"{type_decl(r.result.ftype)} :: nfw_result")
    return ["interface", f"  {head}", *[f"    {x}" for x in body], f"  end {kind} {r.fortran_name}", "end interface"]
