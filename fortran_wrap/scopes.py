"""Logical statements -> program units with their declarations (the parts an interface needs).

A reader of declarations, not a compiler: it knows every statement that opens or closes a
scoping unit (program units, interface blocks, derived types, `contains`, f2py's `python
module`) and every specification statement (type declarations with attributes, attribute
statements, `use` with renames, `implicit`, `common`, `parameter`, `entry`, f2py's `intent`,
`depend`, `check`, `fortranname`, `callstatement`, ...). Executable statements of any kind
(`error stop`, `block`, `associate`, `select type`, ...) are kept as text in the unit's body (the
parser reads calls of procedure arguments from it) and otherwise skipped. Declarations follow
f2py's extended syntax too: attributes may follow the type without a comma
(`double precision dimension(n) :: x`), as in signature files.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from .directives import split_top
from .lexer import Stmt
from .model import WrapError

_PREFIX_WORDS = ("recursive", "pure", "impure", "elemental", "non_recursive", "module")
_PREFIX = r"(?P<prefix>(?:(?:recursive|pure|impure|elemental|non_recursive|module)\s+)*)"
_END = re.compile(r"^end\s*(?P<kind>subroutine|function|module|submodule|program|block\s*data|(?:abstract\s+)?interface|type|"
                  r"python\s*module|procedure|enum)?\b\s*(?P<name>[\w:]*|(?:operator|assignment)\s*\(.*\))\s*$")
_BLOCK_END_WORDS = re.compile(r"^end\s*(do|if|select|block(?!\s*data)|associate|where|forall|critical|team)\b")
_FIRST_WORD = re.compile(r"[a-z_]+")
# statements that start with these words are executable (or FORMAT/DATA): nothing to declare
_EXEC_WORDS = frozenset((
    "if", "do", "call", "go", "goto", "return", "continue", "write", "read", "print", "stop", "else",
    "elseif", "endif", "enddo", "select", "case", "where", "elsewhere", "forall", "open", "close",
    "inquire", "rewind", "backspace", "allocate", "deallocate", "nullify", "exit", "cycle", "format",
    "data", "pause", "assign", "flush", "wait", "sync", "lock", "unlock", "error", "associate",
    "endselect", "endwhere", "endforall", "endassociate"))
_ATTR_WORDS = ("dimension", "intent", "optional", "required", "external", "intrinsic", "parameter", "save",
               "allocatable", "pointer", "target", "value", "public", "private", "protected", "contiguous",
               "volatile", "asynchronous", "depend", "check", "note", "bind", "codimension")


# Program units opened by a header that is the unit kind and its (optional) name.
_NAMED_UNIT_HEADERS = (
    ("module", re.compile(r"^module\s+(?!procedure\b)(?!subroutine\b)(?!function\b)(\w+)\s*$")),
    ("program", re.compile(r"^program\s+(\w+)\s*$")),
    ("blockdata", re.compile(r"^block\s*data\b\s*(\w*)\s*$")),
)


@dataclass
class TypeSpec:
    base: str                 # integer real complex logical character derived class doubleprecision doublecomplex byte
    kind: str = ""            # kind selector text (`8`, `dp`, `kind=wp`)
    star: str = ""            # `*8` form
    charlen: str = ""         # character length (`*`, `10`, `n`)
    derived: str = ""


@dataclass
class Entity:
    name: str
    line: int = 0
    type: Optional[TypeSpec] = None
    dims: Optional[list[str]] = None     # raw array specs: "n", "lda,*" split, "1:n", ":"
    attrs: set = field(default_factory=set)
    intent: list[str] = field(default_factory=list)   # f2py's words, in order written
    init: Optional[str] = None
    depend: list[str] = field(default_factory=list)
    check: list[str] = field(default_factory=list)
    note: str = ""
    charlen: str = ""                    # entity-level `name*8`
    interface: str = ""                  # procedure(iface) dummies
    explicit_optional: Optional[bool] = None


@dataclass
class Use:
    module: str
    only: Optional[list[tuple[str, str]]] = None    # (local, remote)
    renames: list[tuple[str, str]] = field(default_factory=list)
    line: int = 0


@dataclass
class Unit:
    kind: str                  # subroutine function module submodule program blockdata interface type pythonmodule
    name: str
    file: str
    line: int
    end_line: int = 0
    args: list[str] = field(default_factory=list)
    result: str = ""
    prefix: set = field(default_factory=set)
    header_type: Optional[TypeSpec] = None
    bind: str = ""
    parent: str = ""                       # submodule: its ancestor module
    abstract: bool = False                 # interface blocks
    entities: dict = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    uses: list[Use] = field(default_factory=list)
    commons: list[tuple[str, list[str]]] = field(default_factory=list)
    implicit: dict = field(default_factory=dict)   # letter -> TypeSpec | None (implicit none)
    children: list["Unit"] = field(default_factory=list)   # contains / interface bodies / pyf blocks
    interfaces: list["Unit"] = field(default_factory=list)
    types: list["Unit"] = field(default_factory=list)
    body: list[Stmt] = field(default_factory=list)
    entries: list[tuple[str, list[str], int]] = field(default_factory=list)
    f2py: dict = field(default_factory=dict)       # fortranname, callstatement, ... -> (text, line)
    generic_procs: list[str] = field(default_factory=list)
    default_private: bool = False
    in_contains: bool = False
    block_depth: int = 0

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def entity(self, name: str, line: int = 0) -> Entity:
        e = self.entities.get(name)
        if e is None:
            e = self.entities[name] = Entity(name, line)
            self.order.append(name)
        return e


# ---- small parsers --------------------------------------------------------------------------

def match_paren(text: str, start: int) -> int:
    """Index of the `)` closing the `(` at `start` (quotes respected); -1 when unbalanced."""
    depth, quote = 0, None
    for j in range(start, len(text)):
        ch = text[j]
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return j
    return -1


_TYPE_START = re.compile(r"^(double\s*precision|double\s*complex|integer|real|complex|logical|character|byte|"
                         r"type\s*\(|class\s*\()", re.I)


def parse_typespec(text: str) -> tuple[Optional[TypeSpec], str]:
    """'real*8 x, y' -> (TypeSpec(real, star=8), 'x, y'); (None, text) when no type starts it."""
    m = _TYPE_START.match(text)
    if not m:
        return None, text
    word = re.sub(r"\s+", "", m.group(1).lower())
    rest = text[m.end():]
    if word in ("type(", "class("):
        close = match_paren(text, m.end() - 1)
        if close < 0:
            return None, text
        return TypeSpec("derived" if word == "type(" else "class", derived=text[m.end():close].strip()), text[close + 1:]
    if word in ("doubleprecision", "doublecomplex"):
        return TypeSpec(word), rest
    spec = TypeSpec(word)
    s = rest.lstrip()
    if s.startswith("*"):
        s = s[1:].lstrip()
        if s.startswith("("):
            close = match_paren(s, 0)
            value, s = s[1:close].strip(), s[close + 1:]
        else:
            mm = re.match(r"\d+", s)
            if not mm:
                return None, text
            value, s = mm.group(0), s[mm.end():]
        if word == "character":
            spec.charlen = value
        else:
            spec.star = value
        return spec, s
    if s.startswith("("):   # a kind/length selector always follows the type word directly
        close = match_paren(s, 0)
        if close < 0:
            return None, text
        inner = s[1:close].strip()
        s = s[close + 1:]
        if word == "character":
            for i, part in enumerate(split_top(inner)):
                key, eq, value = part.partition("=")
                if eq and key.strip() == "kind":
                    spec.kind = value.strip()
                elif eq and key.strip() == "len":
                    spec.charlen = value.strip()
                elif i == 0:
                    spec.charlen = part.strip()
                else:
                    spec.kind = part.strip()
        else:
            key, eq, value = inner.partition("=")
            spec.kind = value.strip() if eq and key.strip() == "kind" else inner
        return spec, s
    return spec, rest


def _attr_split(text: str) -> list[str]:
    """'dimension(n) intent(in), optional' -> ['dimension(n)', 'intent(in)', 'optional']:
    f2py allows attributes separated by blanks as well as commas."""
    out = []
    for part in split_top(text):
        s = part.strip()
        while s:
            m = re.match(r"(\w+)\s*", s)
            if not m:
                raise ValueError(f"cannot read attribute {s!r}")
            j = m.end()
            if j < len(s) and s[j] == "(":
                close = match_paren(s, j)
                if close < 0:
                    raise ValueError(f"unbalanced parentheses in {s!r}")
                j = close + 1
            out.append(s[:j].strip())
            s = s[j:].strip()
    return out


def _attr_parts(attr: str) -> tuple[str, str]:
    m = re.match(r"(\w+)\s*(?:\((.*)\))?\s*$", attr, re.S)
    if not m:
        raise ValueError(f"cannot read attribute {attr!r}")
    return m.group(1).lower(), (m.group(2) or "").strip()


def parse_entity(text: str) -> tuple[str, Optional[list[str]], str, Optional[str]]:
    """'a(n, m)*8 = init' -> ('a', ['n', 'm'], '8', 'init')."""
    s = text.strip()
    m = re.match(r"[a-z_]\w*", s)
    if not m:
        raise ValueError(f"cannot read declared name in {text!r}")
    name, s = m.group(0), s[m.end():].lstrip()
    dims, charlen, init = None, "", None

    def star_len(s):
        s = s[1:].lstrip()
        if s.startswith("("):
            close = match_paren(s, 0)
            return s[1:close].strip(), s[close + 1:].lstrip()
        mm = re.match(r"\d+", s)
        return mm.group(0), s[mm.end():].lstrip()
    if s.startswith("*"):
        charlen, s = star_len(s)
    if s.startswith("("):
        close = match_paren(s, 0)
        if close < 0:
            raise ValueError(f"unbalanced parentheses in {text!r}")
        dims = [d.strip() for d in split_top(s[1:close])]
        s = s[close + 1:].lstrip()
    if s.startswith("*"):
        charlen, s = star_len(s)
    if s.startswith("=>"):
        init = s[2:].strip()
    elif s.startswith("="):
        init = s[1:].strip()
    elif s.startswith("/"):
        init = s.strip("/ ")
    elif s:
        raise ValueError(f"unexpected {s!r} after {name!r}")
    return name, dims, charlen, init


def _top_level_eq(text: str) -> int:
    depth, quote = 0, None
    for j, ch in enumerate(text):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "=" and depth == 0:
            nxt = text[j + 1:j + 2]
            prev = text[j - 1:j] if j else ""
            if nxt in ("=", ">") or prev in ("=", "<", ">", "/"):
                continue
            return j
    return -1


def is_assignment(text: str) -> bool:
    j = _top_level_eq(text)
    if j < 0 or "::" in text[:j]:
        return False
    lhs = text[:j].strip()
    return re.fullmatch(r"[a-z_]\w*\s*(\(.*\))?(\s*%\s*[a-z_]\w*\s*(\(.*\))?)*", lhs, re.S) is not None


# ---- the unit reader ------------------------------------------------------------------------

class UnitReader:
    """Reads statements into units. `pyf` accepts signature-file blocks (`python module`, units
    inside `interface`) and f2py statements outside directives."""

    def __init__(self, stmts: list[Stmt], pyf: bool = False):
        self.stmts = stmts
        self.pyf = pyf
        self.top: list[Unit] = []
        self.stack: list[Unit] = []
        self.skip_until: Optional[re.Pattern] = None

    def error(self, st: Stmt, text: str):
        raise WrapError(f"{st.where}: {text}")

    def read(self) -> list[Unit]:
        for st in self.stmts:
            text = re.sub(r"^\d+\s+", "", st.text.strip())   # free-form statement labels
            if not text:
                continue
            try:
                self.statement(st, text)
            except ValueError as e:
                self.error(st, f"cannot read {text[:60]!r}: {e}")
        if self.stack:
            u = self.stack[-1]
            self.error(Stmt("", u.file, u.line), f"{u.kind} {u.name!r} has no END statement")
        return self.top

    # -- structure --------------------------------------------------------------------------
    def open(self, unit: Unit):
        parent = self.stack[-1] if self.stack else None
        if parent is None:
            self.top.append(unit)
        elif unit.kind == "type":
            parent.types.append(unit)
        elif unit.kind == "interface" and parent.kind != "pythonmodule":
            parent.interfaces.append(unit)
        else:
            parent.children.append(unit)
        self.stack.append(unit)

    def close(self, st: Stmt, kind: Optional[str]):
        if not self.stack:
            self.error(st, "END without an open program unit")
        unit = self.stack[-1]
        if kind and kind != unit.kind and not (kind == "procedure" and unit.kind in ("subroutine", "function")):
            self.error(st, f"'end {kind}' closes {unit.kind} {unit.name!r} opened at line {unit.line}")
        unit.end_line = st.line
        self.stack.pop()

    @property
    def cur(self) -> Optional[Unit]:
        return self.stack[-1] if self.stack else None

    def statement(self, st: Stmt, text: str):
        if self.skip_until is not None:
            if self.skip_until.match(text):
                self.skip_until = None
            return
        unit = self.cur
        if (unit is not None and unit.kind in ("subroutine", "function", "program") and not unit.in_contains
                and not unit.block_depth and not st.f2py):
            # the bulk of a routine: executable statements, kept as text without further reading
            word = _FIRST_WORD.match(text)
            if (word and word.group(0) in _EXEC_WORDS) or is_assignment(text):
                unit.body.append(st)
                return
        m = _END.match(text)
        if m and not _BLOCK_END_WORDS.match(text):
            kind = m.group("kind")
            kind = re.sub(r"\s+|^abstract", "", kind) if kind else None
            if kind == "enum":
                return
            if kind is None and unit is not None and unit.kind == "interface" and not self.pyf:
                self.error(st, "bare END inside an interface block")
            self.close(st, kind)
            return
        if unit is not None and unit.kind == "type":
            self.type_statement(unit, st, text)
            return
        if self.header(st, text):
            return
        if unit is None and st.f2py:
            return   # a directive left behind by a commented-out routine: f2py ignores it too
        if unit is None:
            self.error(st, f"statement outside a program unit: {text[:60]!r}")
        if unit.kind == "interface":
            self.interface_statement(unit, st, text)
            return
        if unit.kind == "pythonmodule":
            self.f2py_statement(unit, st, text) or self.error(st, f"unexpected statement in python module: {text[:60]!r}")
            return
        if text == "contains":
            unit.in_contains = True
            return
        if unit.in_contains:
            self.error(st, f"statement after CONTAINS outside a procedure: {text[:60]!r}")
        self.spec_statement(unit, st, text)

    def header(self, st: Stmt, text: str) -> bool:
        unit = self.cur
        if unit is not None and unit.kind in ("subroutine", "function", "program") and not unit.in_contains:
            # inside a procedure's body only interface blocks and derived types open units
            return self.block_header(st, text)
        m = re.match(r"^python\s*module\s+(\w+)\s*$", text)
        if m:
            self.open(Unit("pythonmodule", m.group(1), st.file, st.line))
            return True
        if self.block_header(st, text):
            return True
        m = re.match(r"^module\s+procedure\s+(\w+)\s*$", text)
        if m and unit is not None and unit.in_contains:   # separate module procedure (submodules)
            self.open(Unit("subroutine", m.group(1), st.file, st.line, prefix={"module", "separate"}))
            return True
        m = re.match(r"^submodule\s*\(\s*([\w:\s]+)\)\s*(\w+)\s*$", text)
        if m:
            self.open(Unit("submodule", m.group(2), st.file, st.line, parent=m.group(1).split(":")[0].strip()))
            return True
        for kind, header in _NAMED_UNIT_HEADERS:
            m = header.match(text)
            if m:
                self.open(Unit(kind, m.group(1) or f"_{kind}", st.file, st.line))
                return True
        return self.procedure_header(st, text)

    def block_header(self, st: Stmt, text: str) -> bool:
        m = re.match(r"^(abstract\s+)?interface\b\s*(.*)$", text)
        if m:
            self.open(Unit("interface", m.group(2).strip(), st.file, st.line, abstract=bool(m.group(1))))
            return True
        m = re.match(r"^type\s*(?:,\s*(.*?))?::\s*(\w+)\s*(\(.*\))?$", text) or \
            re.match(r"^type\s+(?!is\b)()(\w+)\s*$", text)
        if m:
            t = Unit("type", m.group(2), st.file, st.line)
            access = {w.strip() for w in split_top(m.group(1) or "")} & {"private", "public"}
            if access and self.cur is not None:   # the type's own accessibility, in its module
                self.cur.entity(t.name, st.line).attrs |= access
            self.open(t)
            return True
        if re.match(r"^enum\b", text):
            self.skip_until = re.compile(r"^end\s*enum\b")
            return True
        return False

    def procedure_header(self, st: Stmt, text: str) -> bool:
        prefix, s = set(), text
        header_type = None
        while True:
            m = re.match(r"^(recursive|pure|impure|elemental|non_recursive|module)\s+", s)
            if m:
                prefix.add(m.group(1))
                s = s[m.end():]
                continue
            if header_type is None and not re.match(r"^(subroutine|function)\b", s):
                spec, rest = parse_typespec(s)
                if spec is not None and re.match(r"^\s*(recursive|pure|impure|elemental|module|function)\b", rest.lstrip() or "x"):
                    header_type, s = spec, rest.lstrip()
                    continue
            break
        m = re.match(r"^(subroutine|function)\s+(\w+)\s*(.*)$", s)
        if not m:
            return False
        kind, name, rest = m.group(1), m.group(2), m.group(3).strip()
        args = []
        if rest.startswith("("):
            close = match_paren(rest, 0)
            if close < 0:
                self.error(st, f"unbalanced parentheses in the header of {name!r}")
            args = [a.strip() for a in split_top(rest[1:close]) if a.strip()]
            rest = rest[close + 1:].strip()
        elif kind == "function":
            self.error(st, f"function {name!r} has no argument list")
        if is_assignment(text):
            return False
        unit = Unit(kind, name, st.file, st.line, args=args, prefix=prefix, header_type=header_type)
        while rest:
            mm = re.match(r"^(result|bind)\s*\(", rest)
            if not mm:
                self.error(st, f"unexpected {rest!r} in the header of {name!r}")
            close = match_paren(rest, mm.end() - 1)
            inner = rest[mm.end():close].strip()
            if mm.group(1) == "result":
                unit.result = inner
            else:
                unit.bind = inner or "c"
            rest = rest[close + 1:].strip()
        self.open(unit)
        return True

    # -- inside blocks ----------------------------------------------------------------------
    def type_statement(self, unit: Unit, st: Stmt, text: str):
        if text == "contains":
            unit.in_contains = True
            return
        if unit.in_contains or text in ("sequence", "private", "public") or text.startswith(("procedure", "generic", "final")):
            return
        self.declaration(unit, st, text)

    def interface_statement(self, unit: Unit, st: Stmt, text: str):
        m = re.match(r"^(module\s+)?procedure\s*(?:::)?\s*(.*)$", text)
        if m:
            unit.generic_procs += [p.strip() for p in split_top(m.group(2))]
            return
        if text.startswith("import"):
            return
        if self.pyf and self.f2py_statement(unit, st, text):
            return
        self.error(st, f"unexpected statement in an interface block: {text[:60]!r}")

    def f2py_statement(self, unit: Unit, st: Stmt, text: str) -> bool:
        m = re.match(r"^(fortranname|callstatement|callprotoargument|threadsafe|usercode|pymethoddef)\b\s*(.*)$",
                     text, re.S)
        if not m:
            return False
        value = m.group(2).strip()
        if value.startswith("'''"):
            value = value[3:value.rfind("'''")] if value.count("'''") > 1 else value[3:]
        if m.group(1) in ("usercode", "pymethoddef") and m.group(1) in unit.f2py:
            old, line = unit.f2py[m.group(1)]
            value, st = old + "\n" + value, Stmt("", st.file, line)
        unit.f2py[m.group(1)] = (value, st.line)
        return True

    def spec_statement(self, unit: Unit, st: Stmt, text: str):
        # declarations inside BLOCK constructs are local to the construct, not the routine's
        opens_block = re.match(r"^(\w+\s*:\s*)?block\s*$", text) is not None
        if unit.block_depth and not st.f2py:
            if re.match(r"^end\s*block\b(?!\s*data)", text):
                unit.block_depth -= 1
            unit.block_depth += opens_block
            unit.body.append(st)
            return
        if opens_block:
            unit.block_depth = 1
            unit.body.append(st)
            return
        if is_assignment(text):
            unit.body.append(st)
            return
        if self.f2py_statement(unit, st, text):
            return
        word = re.match(r"^[a-z_]+", text)
        word = word.group(0) if word else ""
        if word == "use":
            unit.uses.append(_parse_use(text, st.line))
        elif word == "implicit":
            _parse_implicit(unit, text[len("implicit"):].strip())
        elif word == "common":
            _parse_common(unit, text[len("common"):], st.line)
        elif word == "parameter" and text[len("parameter"):].lstrip().startswith("("):
            inner = text[text.index("(") + 1:text.rindex(")")]
            for part in split_top(inner):
                name, _, value = part.partition("=")
                e = unit.entity(name.strip(), st.line)
                e.attrs.add("parameter")
                e.init = value.strip()
        elif word == "entry":
            m = re.match(r"^entry\s+(\w+)\s*(?:\((.*)\))?", text)
            unit.entries.append((m.group(1), [a.strip() for a in split_top(m.group(2) or "") if a.strip()], st.line))
        elif word == "procedure" and re.match(r"^procedure\s*\(", text):
            close = match_paren(text, text.index("("))
            iface = text[text.index("(") + 1:close].strip()
            rest = text[close + 1:]
            attrs, names = rest.split("::", 1) if "::" in rest else ("", rest)
            for n in split_top(names):
                name, _, _, init = parse_entity(n)
                e = unit.entity(name, st.line)
                e.interface = iface or "*"
                e.attrs.add("procedure")
                for a in _attr_split(attrs.strip().lstrip(",")):
                    self.apply_attr(e, a, st.f2py or self.pyf)
        elif word in ("data", "equivalence", "namelist", "format", "import", "include", "sequence", "save",
                      "volatile", "asynchronous", "protected", "contiguous", "codimension", "stop", "error"):
            unit.body.append(st)   # nothing the interface needs (save lists may name commons: /blk/)
        elif word in ("public", "private"):
            rest = text[len(word):].strip().lstrip(":").strip()
            if not rest:
                unit.default_private = word == "private"
            else:
                for n in split_top(rest):
                    n = n.strip()
                    if re.fullmatch(r"\w+", n):
                        e = unit.entity(n, st.line)
                        e.attrs.discard("public" if word == "private" else "private")
                        e.attrs.add(word)
        elif _TYPE_START.match(text) and self.declaration(unit, st, text):
            return
        elif word in _ATTR_WORDS:
            self.attribute_statement(unit, st, text)
        else:
            unit.body.append(st)

    def declaration(self, unit: Unit, st: Stmt, text: str) -> bool:
        spec, rest = parse_typespec(text)
        if spec is None:
            if unit.kind == "type":
                self.error(st, f"cannot read component declaration {text[:60]!r}")
            return False
        rest = rest.strip()
        if "::" in rest:
            attr_text, names = rest.split("::", 1)
            attrs = _attr_split(attr_text.strip().lstrip(",").strip())
        elif rest.startswith(","):
            self.error(st, f"attributes without '::' in {text[:60]!r}")
        else:
            attrs, names = [], rest
            if rest.startswith(("function", "recursive", "pure", "elemental")):
                return False
        for n in split_top(names):
            if not n.strip():
                continue
            name, dims, charlen, init = parse_entity(n)
            e = unit.entity(name, st.line)
            if e.type is not None and not st.f2py:
                self.error(st, f"{name!r} has its type declared twice")
            e.type = spec
            if dims is not None:
                e.dims = dims
            if charlen:
                e.charlen = charlen
            if init is not None:
                e.init = init
            for a in attrs:
                self.apply_attr(e, a, st.f2py or self.pyf)
        return True

    def attribute_statement(self, unit: Unit, st: Stmt, text: str):
        """`intent(in) :: x, y`, `dimension a(n)`, `external f`, `optional x`, `depend(n) a` ..."""
        if "::" in text:
            attr_text, names = text.split("::", 1)
            attrs = _attr_split(attr_text)
        else:
            m = re.match(r"^(\w+)\s*", text)
            j = m.end()
            if m.group(1) != "dimension" and j < len(text) and text[j] == "(":
                j = match_paren(text, j) + 1
            attrs, names = [text[:j].strip()], text[j:]
        for n in split_top(names):
            if not n.strip():
                continue
            name, dims, charlen, init = parse_entity(n)
            e = unit.entity(name, st.line)
            if dims is not None:
                e.dims = dims
            if init is not None:
                e.init = init
            for a in attrs:
                if a == "dimension" and dims is not None:
                    continue
                self.apply_attr(e, a, st.f2py or self.pyf)

    def apply_attr(self, e: Entity, attr: str, f2py: bool = False):
        """`f2py`: the attribute comes from a directive or a signature file, where `optional`
        means an optional Python argument, not a Fortran OPTIONAL dummy."""
        word, inner = _attr_parts(attr)
        if word == "dimension":
            if not inner:
                return
            e.dims = [d.strip() for d in split_top(inner)]
        elif word == "intent":
            for w in split_top(inner):
                w = re.sub(r"\s+", "", w)
                if w and w not in e.intent:
                    e.intent.append(w)
        elif word == "depend":
            e.depend += [d.strip() for d in split_top(inner) if d.strip() and d.strip() not in e.depend]
        elif word == "check":
            e.check.append(inner)
        elif word == "note":
            e.note = inner
        elif word == "optional" and f2py:
            e.explicit_optional = True
        elif word == "optional" or (word == "fortran_optional" and f2py):
            e.attrs.add("optional")   # a Fortran OPTIONAL dummy (fortran_wrap's word in .pyf files)
        elif word == "required":
            e.attrs.discard("optional")
            e.explicit_optional = False
        elif word == "kind" or word == "len":
            raise ValueError(f"attribute {word!r} outside a type selector")
        elif word in _ATTR_WORDS:
            e.attrs.add(word if not inner or word != "bind" else "bind")
        else:
            raise ValueError(f"unknown attribute {attr!r}")


def _parse_use(text: str, line: int) -> Use:
    m = re.match(r"^use\s*(?:,\s*(?:non_)?intrinsic\s*)?(?:::)?\s*(\w+)\s*(?:,\s*(.*))?$", text, re.S)
    if not m:
        raise ValueError("cannot read USE statement")
    use = Use(m.group(1), line=line)
    rest = (m.group(2) or "").strip()
    only = re.match(r"^only\s*:\s*(.*)$", rest, re.S)
    pairs = []
    for part in split_top(only.group(1) if only else rest):
        local, arrow, remote = part.partition("=>")
        local = local.strip()
        if re.match(r"^(operator|assignment)\s*\(", local):
            continue
        pairs.append((local, (remote if arrow else local).strip()))
    if only:
        use.only = pairs
    else:
        use.renames = pairs
    return use


def _parse_implicit(unit: Unit, rest: str):
    if rest == "none" or rest.startswith("none"):
        unit.implicit = {c: None for c in "abcdefghijklmnopqrstuvwxyz_"}
        return
    for part in split_top(rest):
        part = part.strip()
        j = part.rfind("(")
        spec, remainder = parse_typespec(part[:j].strip() + " ")
        if spec is None or remainder.strip():
            raise ValueError(f"cannot read IMPLICIT {part!r}")
        for rng in split_top(part[j + 1:part.rfind(")")]):
            lo, _, hi = rng.strip().partition("-")
            lo, hi = lo.strip(), (hi.strip() or lo.strip())
            for c in range(ord(lo), ord(hi) + 1):
                unit.implicit[chr(c)] = spec


def _parse_common(unit: Unit, rest: str, line: int):
    """`common /a/ x, y(n/2+1), /b/ z` and blank `common x, y`: slashes inside parentheses are
    divisions, not block names."""
    rest = rest.strip()
    if not rest.startswith("/"):
        rest = "//" + rest
    blocks, depth, i = [], 0, 0
    while i < len(rest):
        if rest[i] == "/" and depth == 0:
            close = rest.index("/", i + 1)
            blocks.append([rest[i + 1:close].strip(), ""])
            i = close + 1
            continue
        depth += {"(": 1, ")": -1}.get(rest[i], 0)
        blocks[-1][1] += rest[i]
        i += 1
    for cname, names_text in blocks:
        names = []
        for n in split_top(names_text):
            if not n.strip():
                continue
            name, dims, _, _ = parse_entity(n)
            e = unit.entity(name, line)
            if dims is not None:
                e.dims = dims
            names.append(name)
        existing = next((c for c in unit.commons if c[0] == (cname or "_blank")), None)
        if existing:
            existing[1].extend(names)
        else:
            unit.commons.append((cname or "_blank", names))


def read_units(stmts: list[Stmt], pyf: bool = False) -> list[Unit]:
    return UnitReader(stmts, pyf).read()
