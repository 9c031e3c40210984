"""f2py's attribute words and Fortran-like expressions.

Directives (`!f2py intent(out) x`) and signature files are read as statements by the lexer and
`scopes.py`; here: f2py's intent words -> the model's directions and flags, and expressions
(`check(n>0)`, defaults such as `shape(a,0)`), which stay Fortran-like in the model and are
translated to C by `to_c` when the binding code is generated.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


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


_DIRECTIONS = {"in", "out", "inout", "inplace", "hide"}
_FLAGS = {"c", "cache", "copy", "overwrite", "callback", "aux", "optional", "required"}


@dataclass
class IntentWords:
    intent: set            # the model's directions: in out inout hide
    flags: set             # f2py's other words: c cache copy overwrite callback aux optional
    out_name: str = ""     # intent(out=name): the name of the returned value in the docstring


def normalize_intent(words) -> IntentWords:
    """f2py's intent words (as written, in any order) -> the model's directions and flags.
    inplace is in situ like inout (the C binding fixes an array of the wrong type or order in
    place, as f2py does: Arg.is_inplace); cache only marks a work array. Unknown words raise
    ValueError."""
    directions, flags, out_name = set(), set(), ""
    for w in words:
        w = w.strip().lower()
        if w.startswith("out="):
            # only renames the returned value; f2py returns it only when `out` is also given
            out_name = w[4:].strip()
            continue
        if w in _DIRECTIONS:
            directions.add("inout" if w == "inplace" else w)
        elif w in _FLAGS:
            flags.add(w)
        else:
            raise ValueError(f"unknown intent {w!r} (f2py knows in, out, inout, inplace, hide, c, cache, "
                             "copy, overwrite, callback, aux, out=<name>)")
    if "inout" in directions and "out" in directions:
        directions = {"inout", "out"} | (directions - {"in", "out", "inout"})
    if "inout" in directions:
        directions.discard("in")
    # f2py's in,out stays {in, out}: an input (converted or copied if it must be, else passed in
    # place) that is also returned, as f2py does

    return IntentWords(directions, flags, out_name)


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
