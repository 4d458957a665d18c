"""Pattern inclusion by ``_regexfa`` (the patterns greenery is not given: ``\\d \\w \\s``, a leading
lookahead, long case-insensitive alternations), read in every regex dialect a validator may use.

Every ``True`` must hold under jsonschema-rs *and* Python's ``re`` (python-jsonschema), whose ``\\d \\w
\\s`` are Unicode and whose ``$`` also matches before a final newline; near misses that hold in one
dialect only must stay undecided.
"""

from __future__ import annotations

import random
import re

import jsonschema_rs
import pytest

from contractkit.compat import _automata as automata
from contractkit.compat import _regexfa as fa
from contractkit.compat import compare


def _rs(pattern: str, s: str) -> bool:
    return bool(jsonschema_rs.is_valid({"pattern": pattern}, s))


def _py(pattern: str, s: str) -> bool:
    return re.search(pattern, s) is not None


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # \d: ASCII for jsonschema-rs, Unicode for Python: only the inclusion that holds for both
        ("^[0-9]+$", "^\\d+$", True),
        ("^\\d+$", "^[0-9]+$", None),  # "٠" is a Python digit
        ("^\\w+$", "^[A-Za-z0-9_]+$", None),  # "é"
        ("^[a-z_]+$", "^\\w+$", True),
        ("^\\s$", "^[ \\t\\n\\r\\f\\v]$", False),  # U+00A0 is white space for every validator
        ("^[ \\t]$", "^\\s$", True),
        ("^\\d$", "^\\w$", True),
        ("^\\w$", "^\\d$", False),
        ("^\\S+$", "^\\D+$", False),  # "1"
        # jsonschema-rs reads the classes as Unicode in a pattern with a lookaround, as ASCII elsewhere
        ("^(?!x)\\d$", "^\\d$", False),  # "٠" for jsonschema-rs, although every uniform reading includes it
        ("^\\d$", "^(?!x)\\d$", True),
        # corepack's packageManager: a manager added to an unanchored pattern
        ("(npm|pnpm|yarn|bun)@\\d+\\.\\d+\\.\\d+(-.+)?", "(npm|pnpm|yarn|bun|aube)@\\d+\\.\\d+\\.\\d+(-.+)?", True),
        ("(npm|pnpm|yarn|bun|aube)@\\d+\\.\\d+\\.\\d+(-.+)?", "(npm|pnpm|yarn|bun)@\\d+\\.\\d+\\.\\d+(-.+)?", False),
        ("^((npm|bun)@\\d+|bun)$", "(npm|bun)@\\d+", False),  # "bun" alone
        # a leading lookahead: R ∩ ¬(X·Σ*), or ¬X when X ends with $
        ("^(?!.*(local|meta)).*$", "^(?!(?:meta|local)$).*$", True),
        ("^(?!(?:meta|local)$).*$", "^(?!.*(local|meta)).*$", False),
        ("^(?!a)", "^(?!ab)", True),
        ("^(?!ab)", "^(?!a)", False),
        ("^(?=ab)", "^a", True),
        ("^(?=a)", "^ab", False),
        # three unanchored ends (greenery is not given them)
        ("^(((ssh)|(http[s]?)://)|(git@)).+", "^((ssh)|(http[s]?)://)|(git@).+", True),
        ("^((ssh)|(http[s]?)://)|(git@).+", "^(((ssh)|(http[s]?)://)|(git@)).+", False),
        # Python's `$` also matches before a final "\n": "a\n" matches ^a$ there, not the lookahead
        ("^a$", "^(?!a\\n).*$", None),
        ("^a$", "^(?!a\\n)", None),
        ("^a", "^(?!a\\n)", False),
    ],
)
def test_inclusion_in_every_dialect(a: str, b: str, expected: bool | None) -> None:
    assert fa.subset((a,), b) is expected
    assert automata.subset((a,), b) is expected


def test_long_case_insensitive_alternations() -> None:
    def ci(word: str) -> str:
        return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else re.escape(c) for c in word)

    names = ["array", "collection", "intl", "object", "promise", "regexp", "sharedmemory", "string", "symbol"]
    old = "^" + ci("es2024") + "(\\.(" + "|".join(ci(n) for n in names) + "))?$"
    new = "^" + ci("es2024") + "(\\.(" + "|".join(ci(n) for n in [*names, "float16"]) + "))?$"
    assert len(old) > 200
    assert automata.subset((old,), new) is True
    assert automata.subset((new,), old) is False
    found = automata.difference((new,), old, 3)
    assert found and found[0] == "es2024.float16"
    assert all(_rs(new, s) and not _rs(old, s) for s in found)
    # the case variants, for a sibling enum that lists the lower-case spelling
    assert "ES2024.FLOAT16" in found


ATOMS = ["a", "b", "0", "٠", ".", "\\d", "\\w", "\\s", "\\D", "[\\d.]", "[^\\s]", "[a-c]", "(a|b)", "(?:0a)", "\\n"]
QUANTS = ["", "", "*", "+", "?", "{2}", "{0,2}"]


def _pattern(rng: random.Random) -> str:
    body = "".join(rng.choice(ATOMS) + rng.choice(QUANTS) for _ in range(rng.randint(1, 3)))
    look = ""
    if rng.random() < 0.25:
        look = f"(?{rng.choice('!=')}{rng.choice(ATOMS)}{rng.choice(['', '$', '+'])})"
    start = "^" if look or rng.random() < 0.6 else ""
    return start + look + body + ("$" if rng.random() < 0.6 else "")


def test_claimed_inclusions_hold_under_both_validators() -> None:
    rng = random.Random(2027)
    alphabet = ["a", "b", "0", "9", "٠", "é", ".", " ", "\u00a0", "\ufeff", "\x85", "\x1c", "\n", "\r", "_"]
    claimed = refuted_by_difference = 0
    for _ in range(400):
        a, b = _pattern(rng), _pattern(rng)
        if rng.random() < 0.3:
            b = a.replace("{2}", "{0,2}").replace("\\d", "\\w").replace("[a-c]", "[a-z]")
        verdict = fa.subset((a,), b)
        if verdict is True:
            claimed += 1
            strings = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 5))) for _ in range(150)]
            strings += list(fa.difference((a,), None, 6))
            for s in strings:
                if _rs(a, s):
                    assert _rs(b, s), (a, b, s)
                if _py(a, s):
                    assert _py(b, s), (a, b, s, "python")
        for s in fa.difference((a,), b, 2):
            refuted_by_difference += 1
            assert _rs(a, s) and not _rs(b, s), (a, b, s)
        if verdict is False:
            assert fa.difference((a,), b, 1)
    assert claimed >= 20 and refuted_by_difference >= 20


def test_a_changed_package_manager_pattern_is_decided_both_ways() -> None:
    old = {"type": "object", "properties": {"pm": {"type": "string", "pattern": "(npm|yarn)@\\d+\\.\\d+(-.+)?"}}}
    new = {"type": "object", "properties": {"pm": {"type": "string", "pattern": "(npm|yarn|bun)@\\d+\\.\\d+(-.+)?"}}}
    assert compare(old, new, "backward").compatible
    rep = compare(old, new, "forward")
    assert not rep.compatible
    wits = [f.witness for f in rep.findings if f.witness is not None]
    assert wits and wits[0].instance == {"pm": "bun@0.0"}
    # near miss: the new pattern reads \d where the old one named ASCII digits: undecided, never compatible
    ascii_old = {"type": "string", "pattern": "^[0-9]+$"}
    unicode_new = {"type": "string", "pattern": "^\\d+$"}
    assert compare(ascii_old, unicode_new, "backward").compatible
    assert not compare(ascii_old, unicode_new, "forward").compatible


def test_a_leading_negative_lookahead_is_decided_both_ways() -> None:
    old = {"type": "string", "pattern": "^(?!.*(local|meta)).*$"}
    new = {"type": "string", "pattern": "^(?!(?:meta|local)$).*$"}
    assert compare(old, new, "backward").compatible
    rep = compare(old, new, "forward")
    wits = [f.witness for f in rep.findings if f.witness is not None]
    assert not rep.compatible and wits
    inst = wits[0].instance
    assert isinstance(inst, str) and _rs(new["pattern"], inst) and not _rs(old["pattern"], inst)


def test_the_white_space_tables_are_the_validators() -> None:
    def members(rs: tuple[tuple[int, int], ...]) -> list[int]:
        return [x for lo, hi in rs for x in range(lo, min(hi, 0xFFFF) + 1)]

    bmp = [c for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]
    v = jsonschema_rs.validator_for({"pattern": "^\\s$"})
    assert [c for c in bmp if v.is_valid(chr(c))] == members(fa._ECMA_S)
    assert [c for c in bmp if re.match(r"\s", chr(c))] == members(fa._PYTHON_S)
    d, w = jsonschema_rs.validator_for({"pattern": "^\\d$"}), jsonschema_rs.validator_for({"pattern": "^\\w$"})
    assert [c for c in bmp if d.is_valid(chr(c))] == members(fa._ASCII_D)
    assert [c for c in bmp if w.is_valid(chr(c))] == members(fa._ASCII_W)
    assert re.match(r"\d", chr(fa._U_DIGIT)) and re.match(r"\w", chr(fa._U_WORD))
    assert not re.match(r"\d", chr(fa._U_WORD))
