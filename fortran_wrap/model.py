"""The interface model: what the parser finds and what the generators read.

Plain dataclasses, no parser objects inside, so that a signature file (.pyf) can be written from
and read into the same model, and the generators never see parser objects.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


class WrapError(Exception):
    """A user-facing error: bad source, bad signature, failed compile. Carries file:line text."""


# f2py intent words the generators do not implement yet: a signature file or directive that uses
# one is an error naming file:line (parse.py). Remove a word here when gen_c implements it.
F2PY_INTENTS_NOT_GENERATED: dict[str, str] = {}


@dataclass(frozen=True)
class FType:
    """A Fortran intrinsic type with its kind in bytes (complex: bytes of one component)."""
    base: str            # integer | real | complex | logical | character | derived
    kind: int = 4
    charlen: str = ""    # character only: "*" or a number
    derived: str = ""    # derived only: the type's name

    def fortran(self) -> str:
        if self.base == "character":
            return f"character(len={self.charlen or '1'})"
        if self.base == "derived":
            return f"type({self.derived})"
        return f"{self.base}({self.kind})"

    def spec(self) -> "TypeSpec":
        return TYPE_SPECS[(self.base, self.kind)]


@dataclass(frozen=True)
class TypeSpec:
    """How one numeric Fortran type crosses into C and Python."""
    ctype: str       # C type of one element
    np_name: str     # NumPy dtype name
    code: str        # kind letter checked against the buffer format: i f c b
    itemsize: int
    cfi_type: str    # ISO_Fortran_binding.h type code


TYPE_SPECS = {
    ("integer", 1): TypeSpec("int8_t", "int8", "i", 1, "CFI_type_int8_t"),
    ("integer", 2): TypeSpec("int16_t", "int16", "i", 2, "CFI_type_int16_t"),
    ("integer", 4): TypeSpec("int32_t", "int32", "i", 4, "CFI_type_int32_t"),
    ("integer", 8): TypeSpec("int64_t", "int64", "i", 8, "CFI_type_int64_t"),
    ("real", 4): TypeSpec("float", "float32", "f", 4, "CFI_type_float"),
    ("real", 8): TypeSpec("double", "float64", "f", 8, "CFI_type_double"),
    ("complex", 4): TypeSpec("float _Complex", "complex64", "c", 8, "CFI_type_float_Complex"),
    ("complex", 8): TypeSpec("double _Complex", "complex128", "c", 16, "CFI_type_double_Complex"),
    # Fortran's default logical is 4 bytes; it crosses as an int32 and is converted in the shim.
    ("logical", 1): TypeSpec("int8_t", "bool", "b", 1, "CFI_type_Bool"),
    ("logical", 4): TypeSpec("int32_t", "int32", "i", 4, "CFI_type_int32_t"),
    ("logical", 8): TypeSpec("int64_t", "int64", "i", 8, "CFI_type_int64_t"),
}


@dataclass
class Callback:
    """The signature of a procedure argument: the Python callable must match it."""
    name: str
    args: list["Arg"] = field(default_factory=list)
    result: Optional[FType] = None       # None: a subroutine
    # True when the parser typed it from how the routine calls it (F77 `external f`): its arguments
    # are then the routine's own variables and take their intents from them, as f2py does.
    from_caller: bool = False
    # f2py's name for a function's result in the callback's docstring: the interface's result
    # variable, or the variable a typed-from-use call is assigned to (`s = s + f(x)`: "s")
    result_name: str = ""
    # the routine of a signature file's __user__routines module it was declared by, when the
    # argument renames it (`use m__user__routines, f=>fun`): f2py's docstring says "fun"
    interface_name: str = ""


@dataclass
class Arg:
    name: str
    ftype: FType
    dims: list[str] = field(default_factory=list)   # "*" assumed size, ":" assumed shape
    intent: set[str] = field(default_factory=set)   # in out inout hide
    optional: bool = False
    default: Optional[str] = None                   # Fortran-like expression
    depends: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    callback: Optional[Callback] = None
    # Fortran attributes of the dummy that change how it is passed: optional, value, allocatable,
    # pointer, target, contiguous (any of them needs an explicit interface, see needs_interface).
    attrs: set[str] = field(default_factory=set)
    # What a signature file or an !f2py directive says beyond the directions above (parse.py):
    f2py_intent: list[str] = field(default_factory=list)   # intent words as written: in,out,cache,...
    out_name: str = ""           # intent(out=<name>): the returned value's name in the docstring
    note: str = ""               # note(...): text for the docstring
    # f2py's intent(callback) on a name that is not a dummy: an EXTERNAL procedure the Fortran
    # calls by its name. The extension defines that name (gen_c: the named trampoline) and the
    # routine takes the Python callable as an argument after the Fortran ones; not passed to Fortran.
    called_by_name: bool = False

    @property
    def rank(self) -> int:
        return len(self.dims)

    @property
    def assumed_shape(self) -> bool:
        # `(:)` of an allocatable or pointer dummy is a deferred shape, not an assumed one
        return (bool(self.dims) and all(d == ":" for d in self.dims)
                and not self.attrs & {"allocatable", "pointer"})

    @property
    def is_array(self) -> bool:
        return bool(self.dims)

    @property
    def is_hidden(self) -> bool:
        return "hide" in self.intent

    @property
    def is_output(self) -> bool:
        return "out" in self.intent

    @property
    def is_input(self) -> bool:
        return not self.is_hidden and ("in" in self.intent or "inout" in self.intent
                                       or "out" not in self.intent)

    @property
    def is_inplace(self) -> bool:
        """f2py's intent(inplace): in situ like inout, but an array of the wrong dtype or layout
        is converted and the caller's array object takes the converted values (runtime.h)."""
        return "inplace" in self.f2py_intent

    @property
    def overwrite_default(self) -> Optional[int]:
        """f2py's intent(copy) / intent(overwrite) array: the default of its `overwrite_<name>`
        argument (0: the routine works on a copy, 1: it may overwrite the caller's array)."""
        if not self.is_array:
            return None
        if "copy" in self.f2py_intent:
            return 0
        return 1 if "overwrite" in self.f2py_intent else None

    @property
    def may_be_absent(self) -> bool:
        """A Fortran OPTIONAL dummy without a default: Python None (or omitting it) passes it absent."""
        return "optional" in self.attrs and self.default is None

    @property
    def is_value(self) -> bool:
        return "value" in self.attrs

    @property
    def is_allocatable(self) -> bool:
        return "allocatable" in self.attrs

    @property
    def is_pointer(self) -> bool:
        return "pointer" in self.attrs

    @property
    def by_descriptor(self) -> bool:
        """Crosses from C as a Fortran 2018 C descriptor (assumed shape, allocatable, pointer)."""
        return self.assumed_shape or self.is_allocatable or self.is_pointer


@dataclass
class Routine:
    name: str
    args: list[Arg]
    result: Optional[Arg] = None      # functions: the result, named as the function
    module: str = ""                  # "" for external (F77) procedures
    file: str = ""
    line: int = 0
    doc: str = ""
    bind_c: Optional[str] = None      # bind(c) routines: the binding label (the linker name)
    # from a signature file or directives (parse.py):
    fortranname: str = ""             # the Fortran procedure called, when it differs from `name`
    entry_of: str = ""                # an ENTRY point: the routine whose body holds it
    threadsafe: bool = False          # f2py's threadsafe: the GIL is released even with callbacks
    elemental: bool = False           # ELEMENTAL: Fortran has no procedure pointer to it (no _cpointer)
    callstatement: str = ""           # accepted only when it is the plain call of the arguments
    callprotoargument: str = ""
    note: str = ""
    # f2py's intent(aux) variables: scalars of the wrapper, not passed to Fortran nor taken from
    # Python, computed from their `= init` (in dependency order) for other variables' expressions
    aux: list[Arg] = field(default_factory=list)

    @property
    def fortran_name(self) -> str:
        """The name the shim calls: fortranname if the signature file gives one."""
        return self.fortranname or self.name

    @property
    def fortran_args(self) -> list[Arg]:
        """The Fortran dummies, in order (without the callbacks Fortran calls by name)."""
        return [a for a in self.args if not a.called_by_name]

    @property
    def is_function(self) -> bool:
        return self.result is not None

    @property
    def needs_interface(self) -> bool:
        """An external routine the shim may only call through an explicit interface (Fortran
        2018, 15.4.2.2): a dummy that is assumed-shape, optional, value, allocatable, pointer,
        target or contiguous, or a bind(c) routine. Module procedures have theirs through `use`."""
        return self.bind_c is not None or any(a.assumed_shape or a.attrs for a in self.args)

    def arg(self, name: str) -> Arg:
        for a in self.args:
            if a.name == name:
                return a
        raise KeyError(name)


@dataclass
class Variable:
    """A module variable, module parameter, COMMON block member or derived-type component."""
    name: str
    ftype: FType
    dims: list[str] = field(default_factory=list)
    parameter: bool = False
    allocatable: bool = False
    init: str = ""        # parameters: the value expression (kept for signature files)


@dataclass
class DerivedType:
    name: str
    module: str
    components: list[Variable] = field(default_factory=list)


@dataclass
class Common:
    name: str
    members: list[Variable] = field(default_factory=list)


@dataclass
class Module:
    name: str
    routines: list[Routine] = field(default_factory=list)
    variables: list[Variable] = field(default_factory=list)
    types: list[DerivedType] = field(default_factory=list)
    file: str = ""


@dataclass
class Interface:
    """Everything one extension module wraps."""
    name: str
    routines: list[Routine] = field(default_factory=list)      # external procedures
    modules: list[Module] = field(default_factory=list)
    commons: list[Common] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def derived_types(self) -> dict[str, DerivedType]:
        return {t.name: t for m in self.modules for t in m.types}

    def all_routines(self):
        yield from self.routines
        for m in self.modules:
            yield from m.routines
