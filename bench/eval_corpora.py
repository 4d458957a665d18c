"""Grade the compatibility engine on the public suites in ../shared/corpora, and measure it on real
schema revisions (bench/corpora/realworld).

Run: ``.venv/bin/python bench/eval_corpora.py`` (``make eval``); ``--suite NAME`` runs one suite,
``--limit N`` the first N pairs of each, ``-v`` lists the pairs behind each count. Prints, per suite
and direction: pairs, verdict counts (compatible / break / undecided), the undecided rate, breaks whose
every error finding carries a witness, refused inputs, and for the graded suites accuracy, missed breaks
(called compatible, is not), false alarms (called breaking, is compatible) and pairs/s. ``undecided``
counts as "not compatible" (never a missed break). Exit code 1 when any missed break is found.

realworld has no expected verdicts. Its pairs are loaded the way a project would load them (registry,
own drafts, a local catalogue); its missed breaks are looked for by an independent check (bench/
realworld.py: hypothesis-jsonschema candidates, python-jsonschema verdicts on the documents as written,
never jsonschema-rs nor contractkit's sampler) on every direction called compatible, and every witness
of a break is re-checked by python-jsonschema. The same generator's hit rate on the directions the
engine proves breaking is printed too: it says how much a clean check is worth. Format is read as an
annotation there (the drafts make its assertion optional). The peak RSS of the whole run is printed.

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
import resource
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

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
    compatible: int = 0
    breaking: int = 0
    witnessed: int = 0  # break verdicts whose every error finding carries a witness
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
        errors = [f for f in rep.findings if f.severity == "error"]
        if rep.compatible:
            score.compatible += 1
        elif not undecided:
            score.breaking += 1
            score.witnessed += all(f.witness is not None for f in errors) and bool(errors)
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


SUITES = ("containment-2020-12", "jsoncompat-backcompat", "realworld")
VERBOSE = False


def main(argv: list[str] | None = None) -> int:
    import argparse

    global VERBOSE
    parser = argparse.ArgumentParser(
        prog="eval_corpora.py",
        description="Grade the compatibility engine on the public suites (../shared/corpora) and on real schema "
        "revisions (bench/corpora/realworld). Exit code 1 when any missed break is found.",
    )
    parser.add_argument("--suite", choices=SUITES, help="run one suite (default: all)")
    parser.add_argument("--limit", type=int, default=0, metavar="N", help="the first N pairs of each suite")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the pairs behind each count")
    args = parser.parse_args(argv)
    only, limit, VERBOSE = args.suite, args.limit or None, args.verbose
    missed_total = 0
    if CORPORA.is_dir() and only in (None, "containment-2020-12", "jsoncompat-backcompat"):
        missed_total += _graded(only, limit)
    elif only is None:
        print(f"corpora not found at {CORPORA.resolve()}; graded suites skipped")
    if only in (None, "realworld"):
        missed_total += _realworld(limit)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"peak RSS of this evaluation: {peak} MiB")
    return 1 if missed_total else 0


def _graded(only: str | None, limit: int | None) -> int:
    # (cases, format_assertion): jsoncompat reads format as an annotation (its format_annotation_changed
    # fixture lists "not-an-email" as valid under {"format": "email"}).
    suites = {
        "containment-2020-12": (list(containment_cases()), True),
        "jsoncompat-backcompat": (list(jsoncompat_cases()), False),
    }
    header = (
        f"{'suite':24} {'direction':9} {'pairs':>6} {'compat':>6} {'break':>6} {'undec':>6} {'undec%':>7} "
        f"{'witnessed':>9} {'refused':>7} {'accuracy':>9} {'missed':>7} {'false':>6} {'undec-ok':>8} {'pairs/s':>8}"
    )
    print(header)
    print("-" * len(header))
    missed_total = 0
    for name, (cases, format_assertion) in suites.items():
        if only not in (None, name):
            continue
        for direction in ("backward", "forward"):
            s = grade(cases[:limit], direction, format_assertion)
            if not s.pairs:
                continue
            missed_total += len(s.missed)
            rate = s.pairs / s.seconds if s.seconds else float("inf")
            print(
                f"{name:24} {direction:9} {s.pairs:6d} {s.compatible:6d} {s.breaking:6d} {s.undecided:6d} "
                f"{s.undecided / s.pairs:7.2%} {s.witnessed:9d} {len(s.errors):7d} {s.correct / s.pairs:9.2%} "
                f"{len(s.missed):7d} {len(s.false_alarms):6d} {s.undecided_on_compatible:8d} {rate:8.0f}"
            )
            for ident in s.missed:
                print(f"    MISSED BREAK: {ident}")
            for ident, example, ok in s.contradicted:
                said = "compatible" if ok else "not compatible" if ok is not None else "refused"
                print(
                    f"    not graded: {ident} expects {direction}-compatible, but its own example "
                    f"{json.dumps(example)} is valid under one schema only (contractkit: {said})"
                )
            if VERBOSE:
                for ident in s.false_alarms:
                    print(f"    false alarm: {ident}")
                for ident in s.undecided_ids:
                    print(f"    undecided on compatible: {ident}")
                for ident in s.errors:
                    print(f"    input error: {ident}")
    print()
    print("compat / break / undec = verdicts; witnessed = breaks whose every error finding has a witness;")
    print("refused = pairs refused as input (never counted correct, never a missed break);")
    print("missed = called compatible but breaking; false = called breaking (with a witness) but compatible;")
    print("undec = undecided findings (count as not compatible); undec-ok = undecided on a compatible pair;")
    print("not graded = the fixture's expected verdict is contradicted by its own examples (validator-checked).")
    print()
    return missed_total


@dataclass
class RealScore:
    pairs: int = 0
    compatible: list[str] = field(default_factory=list)
    breaking: list[str] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)  # no proof either way: the verdict is `undecided`
    # proven breaks (a witnessed error) that also carry `undecided` findings for other changes of the pair
    also_undecided: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    witnessed: int = 0
    witness_confirmed: int = 0  # every witness: python-jsonschema says valid under source, invalid under target
    witness_disputed: list[tuple[str, Any]] = field(default_factory=list)
    checked: int = 0  # compatible directions where the independent check placed at least one instance
    refuted: list[tuple[str, Any, str | None]] = field(default_factory=list)  # missed breaks
    power_breaks: int = 0  # breaks where the independent check also found a counter-example
    power_undecided: list[tuple[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    check_seconds: float = 0.0
    slowest: tuple[float, str] = (0.0, "")
    rss_jump: tuple[int, str] = (0, "")


def _realworld(limit: int | None) -> int:
    from realworld import Independent, Workspace, independent_check, load_pairs

    from contractkit.dialects import UnsupportedDialectError, dialect_of
    from contractkit.errors import ContractkitError

    pairs = load_pairs()[:limit]
    drafts: dict[str, int] = {}
    for p in pairs:
        try:
            d = dialect_of(p.new.raw, p.dialect) if isinstance(p.new.raw, dict) else p.dialect  # type: ignore[arg-type]
        except UnsupportedDialectError:
            d = "unknown"
        drafts[d] = drafts.get(d, 0) + 1
    sources = sorted({p.path for p in pairs})
    print(
        f"realworld: {len(pairs)} consecutive revisions of {len(sources)} public schemas "
        f"(SchemaStore, OpenAPI-Specification); newer side declares "
        + ", ".join(f"{d} x{n}" for d, n in sorted(drafts.items()))
    )
    workspace = Workspace()
    scores = {d: RealScore() for d in ("backward", "forward")}
    try:
        for i, p in enumerate(pairs):
            if i and i % 50 == 0:
                print(f"  ... {i} of {len(pairs)} pairs", file=sys.stderr, flush=True)
            loaded: list[Any] = []
            try:
                loaded = [workspace.bundle(p, p.old), workspace.bundle(p, p.new)]
            except ContractkitError as exc:
                for s in scores.values():
                    s.pairs += 1
                    s.refused.append((p.ident, exc.one_line()))
                continue
            for direction, s in scores.items():
                s.pairs += 1
                before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                t0 = time.perf_counter()
                try:
                    rep = compare(loaded[0], loaded[1], direction, format_assertion=False)  # type: ignore[arg-type]
                except CompatInputError as exc:
                    s.refused.append((p.ident, str(exc)))
                    continue
                dt = time.perf_counter() - t0
                s.seconds += dt
                s.slowest = max(s.slowest, (dt, p.ident))
                grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024
                s.rss_jump = max(s.rss_jump, (grew, p.ident))
                undecided = any(f.rule_id == "undecided" for f in rep.findings)
                errors = [f for f in rep.findings if f.severity == "error" and f.rule_id != "undecided"]
                proven = any(f.witness is not None for f in errors)
                t1 = time.perf_counter()
                if rep.compatible:
                    s.compatible.append(p.ident)
                    check = independent_check(p, direction)
                    s.checked += check.checked
                    if check.counter_example is not None:
                        s.refuted.append((p.ident, check.counter_example, check.at))
                elif undecided and not proven:
                    s.undecided.append(p.ident)
                    check = independent_check(p, direction)
                    if check.counter_example is not None:
                        s.power_undecided.append((p.ident, check.counter_example))
                else:
                    s.breaking.append(p.ident)
                    if undecided:
                        s.also_undecided.append(p.ident)
                    s.witnessed += bool(errors) and all(f.witness is not None for f in errors)
                    src, dst = (p.old, p.new) if direction == "backward" else (p.new, p.old)
                    sv, dv = Independent(src, p.dialect), Independent(dst, p.dialect)
                    witnesses = [f.witness.instance for f in errors if f.witness is not None]
                    disputed = [w for w in witnesses if (sv.valid(w), dv.valid(w)) != (True, False)]
                    s.witness_confirmed += bool(witnesses) and not disputed
                    s.witness_disputed += [(p.ident, w) for w in disputed]
                    s.power_breaks += independent_check(p, direction).counter_example is not None
                s.check_seconds += time.perf_counter() - t1
    finally:
        workspace.close()
    header = (
        f"{'direction':9} {'pairs':>6} {'compat':>6} {'break':>6} {'+undec':>6} {'undec':>6} {'undec%':>7} "
        f"{'witnessed':>9} "
        f"{'confirmed':>9} {'refused':>7} {'checked':>7} {'refuted':>7} {'seconds':>8}"
    )
    print(header)
    print("-" * len(header))
    refuted = 0
    for direction, s in scores.items():
        refuted += len(s.refuted)
        print(
            f"{direction:9} {s.pairs:6d} {len(s.compatible):6d} {len(s.breaking):6d} {len(s.also_undecided):6d} "
            f"{len(s.undecided):6d} "
            f"{len(s.undecided) / max(s.pairs, 1):7.2%} {s.witnessed:9d} {s.witness_confirmed:9d} "
            f"{len(s.refused):7d} {s.checked:7d} {len(s.refuted):7d} {s.seconds:8.1f}"
        )
        for ident, instance, at in s.refuted:
            print(f"    MISSED BREAK (independent counter-example at {at}): {ident}: {json.dumps(instance)[:200]}")
        for ident, w in s.witness_disputed:
            print(f"    witness not confirmed by python-jsonschema: {ident}: {json.dumps(w)[:200]}")
        if VERBOSE:
            for ident, why in s.refused:
                print(f"    refused: {ident}: {why}")
            for ident in s.undecided:
                print(f"    undecided: {ident}")
            for ident, w in s.power_undecided:
                print(f"    undecided, yet the independent check found: {ident}: {json.dumps(w)[:160]}")
    for direction, s in scores.items():
        print(
            f"{direction}: the independent check found a counter-example for {s.power_breaks} of "
            f"{len(s.breaking)} proven breaks and {len(s.power_undecided)} of {len(s.undecided)} undecided; "
            f"checked {s.checked} of {len(s.compatible)} compatible ({s.check_seconds:.0f} s); slowest comparison "
            f"{s.slowest[0]:.1f} s ({s.slowest[1]}); largest RSS growth +{s.rss_jump[0]} MiB ({s.rss_jump[1]})"
        )
    import realworld

    print(
        f"the generator's {realworld.GENERATOR_SECONDS} s cap per subschema was hit {realworld.generator_stalls} "
        "times (0: this run does not depend on the machine's speed)"
    )
    print()
    print("break = a break proven by a witness; +undec = of those, breaks that also carry `undecided` findings")
    print("for other changes; undec = directions with neither a proof of compatibility nor a witnessed break.")
    print("witnessed = breaks whose every error finding (other than undecided) has a witness; confirmed = ...")
    print("and python-jsonschema, on the documents as written, finds each witness valid under the source only;")
    print("checked = compatible directions where the independent check placed at least one instance the source")
    print("accepts; refuted = compatible directions with an independent counter-example (a missed break).")
    print()
    return refuted


if __name__ == "__main__":
    raise SystemExit(main())
