"""Grade the compatibility engine on the public suites in ../shared/corpora.

Run: ``.venv/bin/python bench/eval_corpora.py`` (``make eval``). Prints, per suite and direction:
accuracy, missed breaks (called compatible, is not), false alarms (called breaking, is compatible),
undecided, and pairs/s. ``undecided`` counts as "not compatible" (never a missed break). Exit code 1
when any missed break is found.

containment-2020-12 is graded with ``format`` as an assertion; the 43 pairs listed in
``containment-2020-12.excluded.json`` are skipped (their verdict depends on reading format or
$dynamicRef scoping both ways). Files are found recursively: ``optional/`` and ``optional/format/``
hold 756 of the 3,343 pairs.

jsoncompat-backcompat is graded with ``format`` as an annotation. A fixture whose expected verdict is
contradicted by its own ``examples.json`` is not graded in that direction: "compatible" expected, yet
one of its ``old_only`` (backward) or ``new_only`` (forward) examples is accepted by one schema and
rejected by the other, as the validator confirms. The check runs on every fixture, and every such
fixture is listed in the output with its counter-example. The engine's verdict on it is still
computed and shown.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import jsonschema_rs

from contractkit.compat import CompatInputError, compare

CORPORA = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora"


@dataclass(frozen=True)
class Case:
    suite: str
    ident: str
    old: Any
    new: Any
    backward: bool | None
    forward: bool | None
    # direction -> the fixture's own example that contradicts its expected verdict in that direction
    contradicted: dict[str, Any] = field(default_factory=dict)


@dataclass
class Score:
    pairs: int = 0
    correct: int = 0
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    undecided: int = 0
    undecided_on_compatible: int = 0
    undecided_ids: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # not graded: (ident, counter-example, the engine's verdict)
    contradicted: list[tuple[str, Any, bool | None]] = field(default_factory=list)
    seconds: float = 0.0


def containment_cases(root: Path = CORPORA) -> Iterator[Case]:
    base = root / "containment-2020-12"
    excluded = json.loads((root / "containment-2020-12.excluded.json").read_text())["pairs"]
    skip = {(e["file"], e["id"]) for e in excluded}
    for f in sorted(base.rglob("*.json")):
        rel = f.relative_to(base).as_posix()
        for x in json.loads(f.read_text()):
            if (rel, x["id"]) in skip:
                continue
            tests = x["tests"]
            yield Case(
                "containment-2020-12",
                f"{rel}#{x['id']}",
                x["schema1"],
                x["schema2"],
                tests.get("s1SubsetEqOfs2"),
                tests.get("s2SubsetEqOfs1"),
            )


def jsoncompat_cases(root: Path = CORPORA) -> Iterator[Case]:
    base = root / "jsoncompat-backcompat"
    for d in sorted(p for p in base.iterdir() if p.is_dir()):
        expect = json.loads((d / "expect.json").read_text())
        old = json.loads((d / "old.json").read_text())
        new = json.loads((d / "new.json").read_text())
        backward, forward = expect.get("deserializer"), expect.get("serializer")
        contradicted: dict[str, Any] = {}
        if (d / "examples.json").is_file():
            examples = json.loads((d / "examples.json").read_text())
            for direction, verdict, key, src, dst in (
                ("backward", backward, "old_only", old, new),
                ("forward", forward, "new_only", new, old),
            ):
                if verdict is True:
                    for x in examples.get(key, []):
                        if _valid(src, x) and not _valid(dst, x):
                            contradicted[direction] = x
                            break
        yield Case("jsoncompat-backcompat", d.name, old, new, backward, forward, contradicted)


def _valid(schema: Any, instance: Any) -> bool:
    try:
        return bool(jsonschema_rs.Draft202012Validator(schema, validate_formats=False, offline=True).is_valid(instance))
    except (ValueError, jsonschema_rs.ReferencingError, jsonschema_rs.ValidationError):
        return False  # a schema the validator refuses cannot contradict anything; grade() counts it as refused


def grade(cases: list[Case], direction: str, format_assertion: bool) -> Score:
    score = Score()
    todo = [c for c in cases if getattr(c, direction) is not None]
    t0 = time.perf_counter()
    verdicts = []
    for c in todo:
        try:
            rep = compare(c.old, c.new, direction, format_assertion=format_assertion)  # type: ignore[arg-type]
        except CompatInputError:
            verdicts.append((c, None, False))  # refused as input (e.g. an unresolvable remote $ref)
            continue
        undecided = any(f.rule_id == "undecided" for f in rep.findings)
        verdicts.append((c, rep.compatible, undecided))
    score.seconds = time.perf_counter() - t0
    for c, ok, undecided in verdicts:
        truth = getattr(c, direction)
        if direction in c.contradicted:
            score.contradicted.append((c.ident, c.contradicted[direction], ok))
            continue
        score.pairs += 1
        if ok is None:
            score.errors.append(c.ident)
        elif ok == truth:
            score.correct += 1
        elif ok and not truth:
            score.missed.append(c.ident)
        elif undecided:
            score.undecided_on_compatible += 1
            score.undecided_ids.append(c.ident)
        else:
            score.false_alarms.append(c.ident)
        if undecided:
            score.undecided += 1
    return score


def main() -> int:
    if not CORPORA.is_dir():
        print(f"corpora not found at {CORPORA.resolve()}; nothing to evaluate")
        return 0
    # (cases, format_assertion): jsoncompat reads format as an annotation (its format_annotation_changed
    # fixture lists "not-an-email" as valid under {"format": "email"}).
    suites = {
        "containment-2020-12": (list(containment_cases()), True),
        "jsoncompat-backcompat": (list(jsoncompat_cases()), False),
    }
    header = f"{'suite':24} {'direction':9} {'pairs':>6} {'accuracy':>9} {'missed':>7} {'false':>6} {'undec':>6} {'undec-ok':>8} {'errors':>6} {'pairs/s':>9}"  # noqa: E501
    print(header)
    print("-" * len(header))
    missed_total = 0
    for name, (cases, format_assertion) in suites.items():
        for direction in ("backward", "forward"):
            s = grade(cases, direction, format_assertion)
            if not s.pairs:
                continue
            missed_total += len(s.missed)
            rate = s.pairs / s.seconds if s.seconds else float("inf")
            print(
                f"{name:24} {direction:9} {s.pairs:6d} {s.correct / s.pairs:9.2%} {len(s.missed):7d} "
                f"{len(s.false_alarms):6d} {s.undecided:6d} {s.undecided_on_compatible:8d} {len(s.errors):6d} "
                f"{rate:9.0f}"
            )
            for ident in s.missed:
                print(f"    MISSED BREAK: {ident}")
            for ident, example, ok in s.contradicted:
                said = "compatible" if ok else "not compatible" if ok is not None else "refused"
                print(
                    f"    not graded: {ident} expects {direction}-compatible, but its own example "
                    f"{json.dumps(example)} is valid under one schema only (contractkit: {said})"
                )
            if "-v" in sys.argv:
                for ident in s.false_alarms:
                    print(f"    false alarm: {ident}")
                for ident in s.undecided_ids:
                    print(f"    undecided on compatible: {ident}")
                for ident in s.errors:
                    print(f"    input error: {ident}")
    print()
    print("missed = called compatible but breaking; false = called breaking (with a witness) but compatible;")
    print("undec = undecided findings (count as not compatible); undec-ok = undecided on a compatible pair;")
    print("errors = pairs refused as input (never counted correct, never a missed break);")
    print("not graded = the fixture's expected verdict is contradicted by its own examples (validator-checked).")
    return 1 if missed_total else 0


if __name__ == "__main__":
    raise SystemExit(main())
