"""ECMA-262 patterns the validator cannot compile, rewritten into an equivalent form it can.

JSON Schema's `pattern` / `patternProperties` are ECMA-262 regular expressions. jsonschema-rs compiles
them with a Rust engine that refuses some valid ECMA-262 syntax, mostly the lenient forms of Annex B
(the "web compatibility" grammar every browser and Node accept): a literal `{` or `}`, `\\e` meaning
`e`, `[\\w-.]` with a literal `-`, `\\0`, `[\\b]` (backspace), `[^]` (any character), named
backreferences `\\k<name>`, and UTF-16 surrogate pairs written as two `\\uXXXX` escapes.

:func:`compilable` answers the pattern itself when the validator takes it, else a rewritten pattern that
means the same under ECMA-262 (Unicode mode, Annex B leniency), else None when no equivalent is known
(the caller decides what that means: the dialects layer reports it). Only refused patterns are
rewritten, so a pattern the validator already accepts keeps its exact text.
"""

from __future__ import annotations

import re

import jsonschema_rs

__all__ = ["compilable", "ecma_to_validator"]

_CACHE: dict[str, str | None] = {}
_QUANTIFIER = re.compile(r"\{(\d+)(,(\d*))?\}")
_GROUP_NAME = re.compile(r"\(\?<([A-Za-z_$][\w$]*)>")
_ESCAPE_KEEP = frozenset("dDwWsSbBfnrtv")
_CLASS_ESCAPE_SETS = frozenset("dDwWsS")
_NEVER = r"[^\s\S]"


def _compiles(pattern: str) -> bool:
    try:
        jsonschema_rs.validator_for({"pattern": pattern})
    except (ValueError, jsonschema_rs.ValidationError):
        return False
    return True


def compilable(pattern: str) -> str | None:
    """`pattern` if the validator compiles it, else an equivalent it compiles, else None (memoised)."""
    if pattern in _CACHE:
        return _CACHE[pattern]
    result: str | None = pattern
    if not _compiles(pattern):
        try:
            rewritten = ecma_to_validator(pattern)
        except ValueError:
            rewritten = None
        result = rewritten if rewritten is not None and _compiles(rewritten) else None
    if len(_CACHE) < 50_000:
        _CACHE[pattern] = result
    return result


def _lit(ch: str) -> str:
    """One literal character, escaped for the validator's syntax."""
    if ch.isascii() and not ch.isalnum() and ch not in " _":
        return "\\" + ch
    if ch == "\x00" or (ch.isascii() and not ch.isprintable()):
        return f"\\x{{{ord(ch):02X}}}"
    return ch


def _cp(cp: int) -> str:
    return f"\\x{{{cp:X}}}"


def ecma_to_validator(p: str) -> str:
    """Rewrite an ECMA-262 pattern (Unicode mode, Annex B leniency) into the validator's syntax.

    Raises ValueError on a pattern that is not ECMA-262 at all (an unbalanced group, say).
    """
    names = _GROUP_NAME.findall(p)
    n_groups = _count_groups(p)
    out: list[str] = []
    i, n = 0, len(p)
    while i < n:
        c = p[i]
        if c == "\\":
            piece, i = _escape(p, i, n_groups, names, in_class=False)
            out.append(piece)
        elif c == "[":
            piece, i = _class(p, i, n_groups, names)
            out.append(piece)
        elif c == "{":
            m = _QUANTIFIER.match(p, i)
            if m and out and out[-1] not in ("(", "|", "(?:", "^"):
                out.append(m.group(0))
                i = m.end()
            else:
                out.append("\\{")
                i += 1
        elif c == "}":
            out.append("\\}")
            i += 1
        elif c == "]":
            out.append("\\]")
            i += 1
        elif c == "(":
            if p.startswith("(?<", i) and not p.startswith("(?<=", i) and not p.startswith("(?<!", i):
                out.append("(?P<")
                i += 3
            else:
                out.append("(")
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _count_groups(p: str) -> int:
    count, i, in_class = 0, 0, False
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(" and (
            not p.startswith("(?", i) or (p.startswith("(?<", i) and p[i + 3 : i + 4] not in ("=", "!"))
        ):
            count += 1
        i += 1
    return count


def _hex(p: str, i: int, k: int) -> int | None:
    s = p[i : i + k]
    return int(s, 16) if len(s) == k and all(ch in "0123456789abcdefABCDEF" for ch in s) else None


def _code_point(p: str, i: int) -> tuple[int | None, int]:
    """The code point of a `\\u` escape at p[i] (a surrogate pair counts as one); None for a lone surrogate."""
    if p.startswith("\\u{", i):
        end = p.find("}", i)
        if end < 0:
            raise ValueError("unterminated \\u{")
        return int(p[i + 3 : end], 16), end + 1
    hi = _hex(p, i + 2, 4)
    if hi is None:  # Annex B: '\u' not followed by four hex digits is the letter u
        return ord("u"), i + 2
    j = i + 6
    if 0xD800 <= hi <= 0xDBFF and p.startswith("\\u", j):
        lo = _hex(p, j + 2, 4)
        if lo is not None and 0xDC00 <= lo <= 0xDFFF:
            return 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00), j + 6
    if 0xD800 <= hi <= 0xDFFF:
        return None, j
    return hi, j


def _escape(p: str, i: int, n_groups: int, names: list[str], *, in_class: bool) -> tuple[str, int]:
    """Translate the escape starting at p[i] == '\\'; return (text, next index)."""
    if i + 1 >= len(p):
        raise ValueError("pattern ends with a backslash")
    e = p[i + 1]
    if e in _ESCAPE_KEEP:
        if e == "b" and in_class:
            return "\\x08", i + 2
        return "\\" + e, i + 2
    if e == "c":
        if i + 2 < len(p) and p[i + 2].isascii() and p[i + 2].isalpha():
            return _cp(ord(p[i + 2]) % 32), i + 3
        return "\\\\c", i + 2  # Annex B: a backslash, then 'c'
    if e == "x":
        v = _hex(p, i + 2, 2)
        return (_cp(v), i + 4) if v is not None else ("x", i + 2)
    if e == "u":
        cp, j = _code_point(p, i)
        if cp is None:
            return (_NEVER if not in_class else ""), j
        return _cp(cp), j
    if e in "pP" and p.startswith("{", i + 2):
        end = p.find("}", i)
        if end < 0:
            raise ValueError("unterminated \\p{")
        return p[i : end + 1], end + 1
    if e == "k" and p.startswith("<", i + 2):
        end = p.find(">", i)
        name = p[i + 3 : end]
        if end > 0 and name in names:
            return (f"\\{_count_groups(p[: p.index(f'(?<{name}>')]) + 1}" if not in_class else "k"), end + 1
        return "k", i + 2
    if e.isdigit():
        j = i + 1
        while j < len(p) and p[j].isdigit():
            j += 1
        digits = p[i + 1 : j]
        if e == "0" and (j == i + 2):
            return "\\x{0}", i + 2
        if not in_class and e != "0" and int(digits) <= n_groups:
            return "\\" + digits, j
        # Annex B: a legacy octal escape, else the digit itself
        octal = re.match(r"[0-3][0-7]{0,2}|[4-7][0-7]?", p[i + 1 :])
        if octal:
            return _cp(int(octal.group(0), 8)), i + 1 + len(octal.group(0))
        return e, i + 2
    # Identity escape (any other character stands for itself)
    return _lit(e), i + 2


def _class(p: str, i: int, n_groups: int, names: list[str]) -> tuple[str, int]:
    """Translate the character class starting at p[i] == '['."""
    j = i + 1
    negate = j < len(p) and p[j] == "^"
    if negate:
        j += 1
    if j < len(p) and p[j] == "]":
        return (r"[\s\S]" if negate else _NEVER), j + 1
    items: list[tuple[str, str]] = []  # (kind, text): kind 'set' for \d-like escapes, else 'char'
    while True:
        if j >= len(p):
            raise ValueError("unterminated character class")
        c = p[j]
        if c == "]":
            j += 1
            break
        if c == "\\":
            text, j2 = _escape(p, j, n_groups, names, in_class=True)
            kind = "set" if p[j + 1] in _CLASS_ESCAPE_SETS or p[j + 1] in "pP" else "char"
            items.append((kind, text))
            j = j2
        else:
            items.append(("dash" if c == "-" else "char", _lit(c) if c in "[]&~-^" or not c.isprintable() else c))
            j += 1
    parts: list[str] = []
    k = 0
    while k < len(items):
        kind, text = items[k]
        if kind == "char" and k + 2 < len(items) and items[k + 1][0] == "dash" and items[k + 2][0] == "char":
            # a range; one whose end is a lone surrogate holds no character of a valid string: dropped
            if text and items[k + 2][1]:
                parts.append(f"{text}-{items[k + 2][1]}")
            k += 3
            continue
        parts.append("\\-" if kind == "dash" else text)
        k += 1
    body = "".join(parts)
    if body == "":
        return (r"[\s\S]" if negate else _NEVER), j
    return ("[^" if negate else "[") + body + "]", j
