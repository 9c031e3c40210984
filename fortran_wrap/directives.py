"""f2py directives written in comments (`!f2py intent(out) x`) and their Fortran-like expressions.

Directives adjust the interface model the parser built from declarations; they never add
routines. Expressions (`check(n>0)`, defaults such as `shape(a,0)`) stay Fortran-like in the model
and are translated to C by `to_c` when the binding code is generated.
"""
from __future__ import annotations

import re

from .model import Arg, Routine, WrapError

DIRECTIVE_LINE = re.compile(r"^(?:[cC*!]|\s*!)f2py\s?(.*)$", re.IGNORECASE)


def split_top(text: str, sep: str = ",") -> list[str]:
    """Splits on `sep` outside parentheses and quotes."""
    parts, depth, cur, quote = [], 0, [], None
    for ch in text:
        if quote:
            cur.append(ch)
            if ch == quote:
                quote = None
            continue
        if ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
            continue
        cur.append(ch)
    if "".join(cur).strip():
        parts.append("".join(cur).strip())
    return parts


def extract_directives(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Returns the source with directive lines blanked and the directives with their line numbers."""
    lines, found = text.split("\n"), []
    for i, line in enumerate(lines):
        m = DIRECTIVE_LINE.match(line)
        if m:
            found.append((i + 1, m.group(1).strip()))
            lines[i] = ""
    return "\n".join(lines), found


_ATTR = re.compile(r"^(intent|depend|check|dimension)\s*\(", re.IGNORECASE)
_TYPE_WORDS = ("integer", "real", "double", "complex", "logical", "character", "type(")


def _attr_with_parens(text: str) -> tuple[str, str, str]:
    """'intent(in, out) x, y' -> ('intent', 'in, out', 'x, y')."""
    m = _ATTR.match(text)
    assert m
    depth, start = 0, m.end() - 1
    for j in range(start, len(text)):
        depth += text[j] == "("
        depth -= text[j] == ")"
        if depth == 0:
            return m.group(1).lower(), text[start + 1:j], text[j + 1:].strip()
    raise ValueError("unbalanced parentheses")


def apply_directive(routine: Routine, text: str, where: str, warn) -> None:
    """Applies one directive to the routine's arguments (names not among its args are reported)."""
    try:
        _apply(routine, text, where, warn)
    except (ValueError, KeyError) as e:
        raise WrapError(f"{where}: cannot read f2py directive {text!r}: {e}") from None


def _apply(routine: Routine, text: str, where: str, warn) -> None:
    low = text.lower()
    if low.startswith(("threadsafe", "callstatement", "callprotoargument", "fortranname")):
        warn(f"{where}: f2py directive {text.split()[0]!r} is not used by fortran_wrap (ignored)")
        return
    attrs: list[str]
    if "::" in text:
        left, right = text.split("::", 1)
        attrs = split_top(left)
        if attrs and attrs[0].lower().startswith(_TYPE_WORDS):
            # `integer optional, intent(in)`: the type word may be glued to the first attribute.
            words = attrs[0].split(None, 1)
            attrs = ([words[1]] if len(words) > 1 else []) + attrs[1:]
        entities = split_top(right)
    elif _ATTR.match(text):
        name, inner, rest = _attr_with_parens(text)
        attrs, entities = [f"{name}({inner})"], split_top(rest)
    elif low.startswith(("optional", "required")):
        word, rest = text.split(None, 1)
        attrs, entities = [word], split_top(rest)
    else:
        raise ValueError("unknown directive")
    for entity in entities:
        name, _, default = entity.partition("=")
        name = name.strip().lower()
        arg = routine.arg(name)
        if default.strip():
            arg.default = default.strip()
            arg.optional = True
        for attr in attrs:
            _apply_attr(arg, attr.strip())


def _apply_attr(arg: Arg, attr: str) -> None:
    low = attr.lower()
    if not low:
        return
    if low == "optional":
        arg.optional = True
        return
    if low == "required":
        arg.optional = False
        return
    name, inner, _ = _attr_with_parens(attr)
    if name == "intent":
        words = {w.strip().lower() for w in inner.split(",") if w.strip()}
        unknown = words - {"in", "out", "inout", "hide", "c", "cache", "copy", "overwrite"}
        if unknown:
            raise ValueError(f"unsupported intent {sorted(unknown)}")
        words -= {"c", "cache", "copy", "overwrite"}
        if "inout" in words and "out" in words:
            words.discard("out")
            words.add("inout")
        if "in" in words and "out" in words:   # f2py's in,out: an input returned as an output
            words = {"inout", "out"} | (words - {"in", "out"})
        arg.intent = words
    elif name == "depend":
        arg.depends = [d.strip().lower() for d in inner.split(",") if d.strip()]
    elif name == "check":
        arg.checks.append(inner.strip())
    elif name == "dimension":
        arg.dims = [d.strip().lower() for d in split_top(inner)]


# ---- Fortran-like expressions -> C ------------------------------------------------------------

_TOKEN = re.compile(r"\s*(\.[a-zA-Z]+\.|\d+\.?\d*(?:[eEdD][+-]?\d+)?(?:_\w+)?|\w+|\*\*|==|/=|<=|>=|&&|\|\||.)")
_OPS = {".gt.": ">", ".lt.": "<", ".ge.": ">=", ".le.": "<=", ".eq.": "==", ".ne.": "!=",
        ".and.": "&&", ".or.": "||", ".not.": "!", "/=": "!=", ".true.": "1", ".false.": "0"}
_FUNCS = {"min": "NFW_MIN", "max": "NFW_MAX", "abs": "NFW_ABS", "mod": "NFW_MOD"}


def names_in(expr: str) -> set[str]:
    """Identifiers an expression reads (argument names and intrinsic calls alike)."""
    return {t.lower() for t in re.findall(r"\b[a-zA-Z_]\w*\b", re.sub(r"\.[a-zA-Z]+\.", " ", expr))}


def to_c(expr: str, scalar, shape) -> str:
    """Translates a Fortran-like expression: `scalar(name)`/`shape(name, k)` give C code for
    arguments; shape(a,k), size(a), len(a), rank(a) and min/max/abs/mod are understood."""
    tokens = [t for t in _TOKEN.findall(expr) if t.strip()]
    out, i = [], 0
    while i < len(tokens):
        tok, low = tokens[i], tokens[i].lower()
        if low in _OPS:
            out.append(_OPS[low])
        elif low in ("shape", "size", "len", "rank") and i + 1 < len(tokens) and tokens[i + 1] == "(":
            depth, j = 0, i + 1
            while True:
                depth += tokens[j] == "("
                depth -= tokens[j] == ")"
                if depth == 0:
                    break
                j += 1
            inner = split_top("".join(tokens[i + 2:j]))
            arr = inner[0].strip().lower()
            if low == "shape":
                out.append(shape(arr, to_c(inner[1], scalar, shape) if len(inner) > 1 else "0"))
            elif low == "len":
                out.append(shape(arr, "0"))
            elif low == "rank":
                out.append(shape(arr, "-1"))
            elif len(inner) > 1:
                out.append(shape(arr, f"({to_c(inner[1], scalar, shape)}) - 1"))
            else:
                out.append(shape(arr, "-2"))
            i = j
        elif low in _FUNCS:
            out.append(_FUNCS[low])
        elif re.match(r"\d", tok):
            out.append(re.sub(r"_\w+$", "", tok).replace("d", "e").replace("D", "e"))
        elif re.match(r"[a-zA-Z_]", tok):
            out.append(scalar(low))
        elif tok == "**":
            raise ValueError(f"'**' is not supported in directive expressions: {expr!r}")
        else:
            out.append(tok)
        i += 1
    return "(" + " ".join(out) + ")"
