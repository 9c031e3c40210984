"""Fortran source text -> logical statements with their file:line, fixed and free form.

What gfortran accepts: fixed form (comments `c C * !` in column 1, labels in columns 1-5, any
character but blank/`0` in column 6 continues, columns past 72 ignored, DEC tab format), free
form (`&` continuations, `!` comments), `;` separating statements, `include 'file'` lines, and
Hollerith constants in FORMAT/DATA lists. f2py directive lines (`cf2py`, `!f2py`) become
statements marked `f2py`, at their place, as f2py itself reads them. Signature files (.pyf) are
free form with two f2py extensions: `'''`-quoted multi-line blocks (usercode, pymethoddef) and
`callstatement {...}` bodies that run over several lines.

Text outside string literals is lowered (Fortran names are case-insensitive); strings keep case.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass

from .model import WrapError

FIXED_FORM_SUFFIXES = (".f", ".f77", ".for", ".ftn", ".F", ".F77", ".FOR", ".FTN")
# what gfortran runs through its C preprocessor (upper-case suffixes, .fpp)
PREPROCESSED_SUFFIXES = (".F", ".F77", ".FOR", ".FTN", ".F90", ".F95", ".F03", ".F08", ".fpp", ".FPP")
_LINE_MARKER = re.compile(r'^#\s*(\d+)\s+"(.*)"')
_DIRECTIVE = re.compile(r"^\s*[!cC*]f2py\b", re.IGNORECASE)
_INCLUDE = re.compile(r"^\s*include\s*(['\"])(.*?)\1\s*$", re.IGNORECASE)
# A Hollerith constant (5Hhello) can only follow `(`, `,` or `/` in a FORMAT or DATA list.
_HOLLERITH = re.compile(r"(?<=[(,/])\s*(\d+)\s*[hH]")


@dataclass
class Stmt:
    text: str         # the statement, lowered outside strings, comments removed
    file: str
    line: int         # first physical line
    f2py: bool = False

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def is_fixed_form(path: str, text: str) -> bool:
    first = text.split("\n", 1)[0].lower()
    if "-*-" in first and "fix" in first:
        return True
    if "-*-" in first and "f90" in first:
        return False
    return path.endswith(FIXED_FORM_SUFFIXES)


def _strip_comment(line: str, state: list) -> str:
    """Removes a trailing `!` comment outside strings; `state[0]` carries an open quote across
    free-form continuation lines. Hollerith constants are kept whole."""
    if "!" not in line:   # the common case: only the open-quote state can change
        kinds = [q for q in "'\"" if q in line]
        if not kinds:
            return line
        if len(kinds) == 1 and state[0] in (None, kinds[0]):
            if line.count(kinds[0]) % 2:
                state[0] = None if state[0] else kinds[0]
            return line
    out, i, quote = [], 0, state[0]
    while i < len(line):
        ch = line[i]
        if quote:
            out.append(ch)
            if ch == quote:
                if i + 1 < len(line) and line[i + 1] == quote:   # '' inside a string
                    out.append(quote)
                    i += 2
                    continue
                quote = None
            i += 1
            continue
        if ch in "'\"":
            quote = ch
        elif ch == "!":
            break
        elif ch in "(,/":
            m = _HOLLERITH.match(line, i + 1)
            if m and _in_format_or_data(line):
                n = int(m.group(1))
                out.append(line[i:m.end() + n])
                i = m.end() + n
                continue
        out.append(ch)
        i += 1
    state[0] = quote
    return "".join(out)


def _in_format_or_data(line: str) -> bool:
    return re.match(r"^\s*(\d+\s+)?(format|data)\b", line, re.I) is not None


def _lower_outside_strings(text: str) -> str:
    if "'" not in text and '"' not in text:
        return text.lower()
    out, quote = [], None
    for ch in text:
        if quote:
            if ch == quote:
                quote = None
            out.append(ch)
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        else:
            out.append(ch.lower())
    return "".join(out)


def _split_semicolons(text: str) -> list[str]:
    if ";" not in text:
        return [text] if text.strip() else []
    parts, cur, quote, depth = [], [], None, 0
    for ch in text:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        elif ch == ";" and depth <= 0:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    parts.append("".join(cur))
    return [p for p in parts if p.strip()]


def _fixed_lines(lines):
    """Fixed form physical lines -> (line number, text, is_directive) logical lines."""
    current = None   # [line, text, directive]
    quote = [None]   # a string still open at the end of the previous (continued) line
    for no, raw in lines:
        if _DIRECTIVE.match(raw):
            if current:
                yield current
                current = None
            yield [no, re.sub(_DIRECTIVE, "", raw, count=1), True]
            continue
        if not raw.strip() or raw[0] in "cC*!dD#" or (raw.lstrip().startswith("!") and
                                                      raw.index("!") != 5):
            continue
        line = _expand_tab(raw)[:72]
        cont = len(line) > 5 and line[5] not in " 0"
        if not cont:
            quote = [None]
        # a comment ends its physical line only: strip it before joining the continuations
        body = _strip_comment(line[6:], quote)
        if cont and current is not None:
            current[1] += body
            continue
        if current:
            yield current
        current = [no, body, False]
    if current:
        yield current


def _expand_tab(line: str) -> str:
    """DEC tab format: a tab in columns 1-6 moves to column 7, or to column 6 when a digit
    1-9 follows it (a continuation line)."""
    head = line[:6]
    if "\t" not in head:
        return line
    k = line.index("\t")
    label, rest = line[:k], line[k + 1:]
    if rest[:1] in "123456789" and rest[:1]:
        return f"{label:<5}{rest[0]}{rest[1:]}"
    return f"{label:<6}{rest}"


def _free_lines(lines, pyf: bool):
    """Free form physical lines -> logical lines (continuations joined)."""
    current = None
    block_quote = None   # inside a pyf '''...''' block
    quote = [None]       # a string still open at the end of the previous (continued) line
    brace_depth = 0      # inside a pyf callstatement {...}
    for no, raw in lines:
        if block_quote is not None:
            current[1] += "\n" + raw
            if "'''" in raw:
                block_quote = None
                yield current
                current = None
            continue
        if brace_depth > 0:
            current[1] += " " + raw.strip()
            brace_depth += raw.count("{") - raw.count("}")
            if brace_depth <= 0:
                brace_depth = 0
                yield current
                current = None
            continue
        if _DIRECTIVE.match(raw) and not (current and current[1].rstrip().endswith("&")):
            yield [no, re.sub(_DIRECTIVE, "", raw, count=1), True]
            continue
        stripped = raw.strip()
        if "'''" not in stripped and not stripped.startswith("!"):
            if current is None:
                quote = [None]
            stripped = _strip_comment(stripped, quote).strip()
        if pyf and stripped.count("'''") == 1 and current is None:
            current = [no, raw, False]
            block_quote = "'''"
            continue
        if pyf and re.match(r"(callstatement|callprotoargument)\b", stripped, re.I) and \
                stripped.count("{") > stripped.count("}") and current is None:
            current = [no, stripped, False]
            brace_depth = stripped.count("{") - stripped.count("}")
            continue
        if not stripped or stripped.startswith("!") or stripped.startswith("#"):
            continue
        if current is not None:
            if stripped.startswith("&"):
                stripped = stripped[1:]
            current[1] += stripped
        else:
            current = [no, stripped, False]
        if current[1].rstrip().endswith("&") and not current[1].rstrip().endswith("&&"):
            current[1] = current[1].rstrip()[:-1]
            continue
        yield current
        current = None
    if current is not None:
        yield current


def read_statements(path: str, text: str | None = None, pyf: bool = False,
                    include_dirs=(), _depth: int = 0, fixed: bool | None = None, defines=()) -> list[Stmt]:
    """`fixed`: the form (None: from the suffix or an Emacs `-*- fix -*-` first line; an
    included file takes the form of the file including it, as gfortran reads it). Sources
    gfortran preprocesses (.F, .F90, ...) go through its C preprocessor first, with `defines`
    (-D) and `include_dirs` (-I): only the branches gfortran compiles are read."""
    origins = None
    if text is None and not pyf and path.endswith(PREPROCESSED_SUFFIXES) and shutil.which("gfortran"):
        text, origins = _preprocess(path, include_dirs, defines)
    if text is None:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError as e:
            raise WrapError(f"{path}: cannot read: {e.strerror}") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    numbered = list(enumerate(text.split("\n"), start=1)) if origins is None else \
        [(origins[i], line) for i, line in enumerate(text.split("\n"))]
    if fixed is None:
        fixed = is_fixed_form(path, text) and not pyf
    logical = _fixed_lines(numbered) if fixed else _free_lines(numbered, pyf)
    out: list[Stmt] = []
    for no, body, directive in logical:
        src, no = no if isinstance(no, tuple) else (path, no)   # preprocessed: (file, line)
        if "'''" in body:   # pyf multi-line blocks keep their text as written
            out.append(Stmt(_lower_outside_strings(body.split("'''", 1)[0]) + "'''" + body.split("'''", 1)[1],
                            src, no, directive))
            continue
        state = [None]
        if directive:
            body = _strip_comment(body, state)
        elif not fixed:
            body = "\n".join(_strip_comment(part, state) for part in body.split("\n"))
        for part in _split_semicolons(body):
            part = part.strip()
            m = _INCLUDE.match(part)
            if m and not directive:
                out += _include(src, no, m.group(2), pyf, include_dirs, _depth, fixed)
                continue
            out.append(Stmt(_lower_outside_strings(part), src, no, directive))
    return out


def _preprocess(path, include_dirs, defines) -> tuple[str, list]:
    """gfortran -E: the text gfortran compiles, and each output line's (file, line) from the
    preprocessor's line markers (so errors still name the original file:line)."""
    cmd = ["gfortran", "-E", "-cpp", *[f"-I{d}" for d in include_dirs], *[f"-D{d}" for d in defines], path]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        first = next((l for l in proc.stderr.splitlines() if l.strip()), "preprocessing failed")
        raise WrapError(first if first.startswith(path) else f"{path}: {first}")
    origins, where, line = [], path, 1
    for text in proc.stdout.split("\n"):
        m = _LINE_MARKER.match(text)
        origins.append((where, line))
        if m:
            where, line = m.group(2), int(m.group(1))
            continue
        line += 1
    return proc.stdout, origins


def _include(path, line, name, pyf, include_dirs, depth, fixed) -> list[Stmt]:
    if depth > 16:
        raise WrapError(f"{path}:{line}: include nested too deeply ({name!r})")
    for folder in (os.path.dirname(path) or ".", *include_dirs):
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate):
            return read_statements(candidate, pyf=pyf, include_dirs=include_dirs, _depth=depth + 1, fixed=fixed)
    raise WrapError(f"{path}:{line}: include file {name!r} not found")
