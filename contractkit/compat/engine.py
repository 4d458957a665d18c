"""compare(): structural walk → rule families → verdict per direction → report.

The direction rule, decided here and nowhere else::

    backward (old → new): every instance valid under old must stay valid under new, so a change
        that NARROWS the valid set breaks it (new readers reject what old writers send);
    forward  (old → new): every instance valid under new must be valid under old, so a change that
        WIDENS the valid set breaks it (old readers reject what new writers send);
    a change that may do both (CHANGES) is checked in both directions.

An ``error`` is only ever reported with a witness confirmed by the validator; "compatible" needs the
structural proof of ``_prove``; anything else is an ``undecided`` warning, which also blocks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from contractkit import dialects as _dialects
from contractkit._json import escape, json_equal
from contractkit.compat import catalog
from contractkit.compat._addressed import addressed
from contractkit.compat._doc import SCHEMA_TYPES, Doc
from contractkit.compat._dynamic_cases import dynamic_cases
from contractkit.compat._memo import ContentMemo, content_key
from contractkit.compat._model import (
    MODES,
    UNDECIDED,
    CompatReport,
    Direction,
    Finding,
    Mode,
    Severity,
    Witness,
    directions,
)
from contractkit.compat._monotone import included_at
from contractkit.compat._prove import NO, YES
from contractkit.compat._reader import READERS, Reader, tolerant
from contractkit.compat._rename import align
from contractkit.compat._sampler import Sampler
from contractkit.compat._shrink import shrink_findings
from contractkit.compat._stepwise import included_stepwise, scope_change_inert
from contractkit.compat._verdict import Verdict, decide, prove
from contractkit.compat._witness import (
    View,
    applied_alone,
    applied_location,
    fallback_witness,
    local_witness,
    overlap_witness,
)
from contractkit.compat.rules import classify
from contractkit.compat.rules._base import ANNOTATION, CHANGES, NARROWS, WIDENS, Candidate, Effect, show
from contractkit.compat.rules.combinators import KEYWORD_CHANGED
from contractkit.compat.rules.meta import ANNOTATION_CHANGED
from contractkit.compat.rules.value_types import ENUM_VALUE_ADDED
from contractkit.compat.walk import MISSING, Change, diff
from contractkit.errors import ContractkitError

INSTANCE_REJECTED = catalog.INSTANCE_REJECTED
INSTANCE_NEWLY_ACCEPTED = catalog.INSTANCE_NEWLY_ACCEPTED


class CompatInputError(ContractkitError, ValueError):
    """A schema handed to compare() is not a valid JSON Schema (or the mode is unknown).

    ``side`` is ``"old"``/``"new"`` (None for a bad mode), ``pointer`` locates the problem inside
    that schema when known, ``reason`` says what is wrong.
    """

    def __init__(self, reason: str, side: str | None = None, pointer: str | None = None) -> None:
        self.side = side
        self.pointer = pointer
        self.reason = reason
        where = (
            "" if side is None else f"{side} schema" + (f" at {pointer or '/'}" if pointer is not None else "") + ": "
        )
        super().__init__(where + reason)


def breaks(effect: Effect, direction: Direction) -> bool:
    """The one place that maps a change's effect to the directions it breaks."""
    if effect == CHANGES:
        return True
    if effect == NARROWS:
        return direction == "backward"
    if effect == WIDENS:
        return direction == "forward"
    return False


# What _as_schema learns of a schema, by its exact content (see _memo): its dialect, the metaschema's
# verdict, and whether it is already the 2020-12 schema the engine reads (translating it changes nothing).
# Only these facts are kept, never the schema object; a schema that needs translating is translated anew.
_CHECKED: ContentMemo[tuple[_dialects.Dialect, tuple[str, str] | None, bool]] = ContentMemo(
    max_entries=4096, max_bytes=8 << 20
)


def _as_schema(x: Any, name: str) -> Any:
    """The draft 2020-12 schema the engine compares: `x` checked against its own dialect's metaschema
    (`$schema`, else 2020-12) and translated (contractkit.dialects); CompatInputError when it is not one."""
    return _as_schema_keyed(x, name)[0]


def _as_schema_keyed(x: Any, name: str) -> tuple[Any, bytes | None]:
    """``_as_schema`` and the content key of the schema returned (None when it has none, or when it is a
    translation): the document's root validator is then looked up without marshalling it again."""
    if not isinstance(x, dict) and hasattr(x, "schema"):
        x = x.schema
    if not isinstance(x, SCHEMA_TYPES):
        raise CompatInputError(f"must be a JSON object or boolean, got {type(x).__name__}", name, "")
    content = content_key(x)
    key = (content, None) if content is not None else None
    hit = _CHECKED.get(key) if key is not None else None
    translation = None
    if hit is None:
        try:
            dialect = _dialects.dialect_of(x)
        except _dialects.UnsupportedDialectError as exc:
            raise CompatInputError(str(exc), name, "/$schema") from None
        problem = _dialects.metaschema_problem(x, dialect)
        if problem is None:
            translation = _dialects.translate(x, dialect, content=content)
        same = translation is not None and translation.schema is x and not translation.uncompilable
        hit = (dialect, problem, same)
        if key is not None:
            _CHECKED.put(key, hit)
    dialect, problem, same = hit
    if problem is not None:
        where, message = problem
        if where == "/$schema":
            raise CompatInputError(f"cannot be checked against its metaschema: {message}", name)
        suffix = "" if dialect == "2020-12" else f" ({dialect})"
        raise CompatInputError(f"not a valid JSON Schema{suffix}: {message}", name, where)
    if same:
        return x, content
    if translation is None:
        translation = _dialects.translate(x, dialect)
    for where, pattern in translation.uncompilable:
        raise CompatInputError(
            f"pattern {pattern!r} is not an ECMA-262 regular expression the validator can compile", name, where
        )
    return translation.schema, None


def compare(
    old: Any,
    new: Any,
    mode: Mode = "backward",
    *,
    format_assertion: bool = True,
    overrides: Mapping[str, Severity] | None = None,
    reader: Reader = "strict",
) -> CompatReport:
    """Compare two schemas (dicts, booleans, or objects with a ``.schema``) in ``mode``.

    ``reader`` says how the reading side reads its schema (the new one backward, the old one
    forward): ``strict`` as written, or ``tolerant``, ignoring properties it does not know (see
    ``docs/compat.md``).
    """
    _check_options(mode, reader)
    old_s, old_key = _as_schema_keyed(old, "old")
    new_s, new_key = _as_schema_keyed(new, "new")
    try:
        findings = _compare_pair(old_s, new_s, directions(mode), format_assertion, reader, (old_key, new_key))
    except RecursionError:
        raise CompatInputError("schemas nested too deeply to compare") from None
    return CompatReport(mode=mode, findings=_apply_overrides(findings, overrides))


def compare_transitive(
    schemas: Sequence[tuple[str, Any]],
    mode: Mode = "backward-transitive",
    *,
    format_assertion: bool = True,
    overrides: Mapping[str, Severity] | None = None,
    reader: Reader = "strict",
) -> CompatReport:
    """Compare every version with every earlier one (ordered oldest first)."""
    _check_options(mode, reader)
    out: list[Finding] = []
    items = [(label, _as_schema(s, label)) for label, s in schemas]
    for j in range(1, len(items)):
        for i in range(j):
            try:
                pair = _compare_pair(items[i][1], items[j][1], directions(mode), format_assertion, reader)
            except RecursionError:
                raise CompatInputError(f"{items[i][0]} and {items[j][0]} are nested too deeply to compare") from None
            out += [_with_version(f, f"{items[i][0]}->{items[j][0]}") for f in pair]
    return CompatReport(mode=mode, findings=_apply_overrides(out, overrides))


def _check_options(mode: Any, reader: Any) -> None:
    if mode not in MODES:
        raise CompatInputError(f"unknown mode {mode!r}; expected one of {', '.join(MODES)}")
    if reader not in READERS:
        raise CompatInputError(f"unknown reader {reader!r}; expected one of {', '.join(READERS)}")


def _with_version(f: Finding, version: str) -> Finding:
    return Finding(f.rule_id, f.severity, f.direction, f.message, f.old_pointer, f.new_pointer, f.witness, version)


def _apply_overrides(findings: list[Finding], overrides: Mapping[str, Severity] | None) -> tuple[Finding, ...]:
    if not overrides:
        return tuple(findings)
    out = []
    for f in findings:
        sev = overrides.get(f.rule_id)
        if sev is not None and sev != f.severity:
            f = Finding(f.rule_id, sev, f.direction, f.message, f.old_pointer, f.new_pointer, f.witness, f.version)
        out.append(f)
    return tuple(out)


def _compare_pair(
    old: Any,
    new: Any,
    directions: tuple[Direction, ...],
    format_assertion: bool,
    reader: Reader = "strict",
    keys: tuple[bytes | None, bytes | None] = (None, None),
) -> list[Finding]:
    aligned = align(old, new, keys)
    if aligned is None:
        found = _compare_aligned(old, new, directions, format_assertion, reader, keys)
        return _by_dynamic_cases(old, new, found, format_assertion, reader)
    # definitions the new document renamed (every ref following) are renamed in the old one too, proven to
    # validate alike (_rename); findings point into the old document as written
    found = _compare_aligned(aligned.schema, new, directions, format_assertion, reader, (None, keys[1]))
    found = _by_dynamic_cases(aligned.schema, new, found, format_assertion, reader)
    if not _witnesses_hold(found, old, new, format_assertion, reader):
        # a witness the original old document does not confirm: the renaming is not trusted (never expected
        # of a proven renaming; a safety net), the pair is compared as written
        found = _compare_aligned(old, new, directions, format_assertion, reader, keys)
        return _by_dynamic_cases(old, new, found, format_assertion, reader)
    out = [_old_pointer(f, aligned.original_pointer(f.old_pointer)) for f in found]
    if aligned.id_changed is not None:
        was, now = aligned.id_changed
        msg = f"$id changed from {show(was)} to {show(now)}"
        out.insert(0, Finding(ANNOTATION_CHANGED, _default(ANNOTATION_CHANGED), directions[0], msg, "/$id", "/$id"))
    return out


def _by_dynamic_cases(
    old: Any, new: Any, found: list[Finding], format_assertion: bool, reader: Reader
) -> list[Finding]:
    """A direction left undecided (no witnessed break) in documents whose dynamic anchors are ambiguous
    (``_dynamic_cases``): broken by a witness one reading of them finds that the validator confirms on the
    documents as written. Never proven compatible by the readings: which declaration an implementation
    takes is unspecified (such a document is invalid), and a plain ``$anchor`` of the same name may be the
    one taken."""
    open_ = [
        d
        for d in dict.fromkeys(f.direction for f in found if f.rule_id == UNDECIDED)
        if not any(f.direction == d and f.severity == "error" for f in found)
    ]
    if not open_:
        return found
    cases = dynamic_cases(old, new)
    if cases is None:
        return found
    broken: list[Finding] = []
    docs = (Doc(old, format_assertion=format_assertion), Doc(new, format_assertion=format_assertion))
    for d in open_ if reader == "strict" else ():
        for o, n in cases:
            case = _compare_aligned(o, n, (d,), format_assertion, reader, (None, None))
            w = _confirmed(case, d, docs)
            if w is not None:
                broken.append(w)
                break
    return found + broken


def _confirmed(case: list[Finding], d: Direction, docs: tuple[Doc, Doc]) -> Finding | None:
    """The first witness of a reading's breaks that the documents as written confirm, as a finding of its
    own (the reading's attribution to a change is not carried over)."""
    src, dst = docs if d == "backward" else (docs[1], docs[0])
    for f in case:
        if f.severity != "error" or f.witness is None:
            continue
        w = f.witness.instance
        if src.is_valid("", w) is True and dst.is_valid("", w) is False:
            rule = INSTANCE_REJECTED if d == "backward" else INSTANCE_NEWLY_ACCEPTED
            msg = (
                "an instance valid under the old schema is rejected by the new one"
                if d == "backward"
                else "an instance valid under the new schema is rejected by the old one"
            )
            return Finding(
                rule, _default(rule), d, msg, f.old_pointer, f.new_pointer, Witness(w, f.witness.valid_under)
            )
    return None


def _witnesses_hold(found: list[Finding], old: Any, new: Any, format_assertion: bool, reader: Reader) -> bool:
    """Whether every witness of ``found`` is valid under its source and invalid under its target, read as
    the direction reads them, on the documents as written."""
    docs: dict[tuple[Direction, str], Doc] = {}

    def doc(d: Direction, side: str) -> Doc:
        if (d, side) not in docs:
            schema = old if side == "old" else new
            reads = (side == "new") == (d == "backward")  # the target is the reader
            docs[(d, side)] = Doc(
                tolerant(schema) if reads and reader == "tolerant" else schema, format_assertion=format_assertion
            )
        return docs[(d, side)]

    for f in found:
        if f.witness is None:
            continue
        src, dst = ("old", "new") if f.direction == "backward" else ("new", "old")
        w = f.witness.instance
        if doc(f.direction, src).is_valid("", w) is not True or doc(f.direction, dst).is_valid("", w) is not False:
            return False
    return True


def _old_pointer(f: Finding, ptr: str | None) -> Finding:
    if ptr == f.old_pointer:
        return f
    return Finding(f.rule_id, f.severity, f.direction, f.message, ptr, f.new_pointer, f.witness, f.version)


def _compare_aligned(
    old: Any,
    new: Any,
    directions: tuple[Direction, ...],
    format_assertion: bool,
    reader: Reader,
    keys: tuple[bytes | None, bytes | None],
) -> list[Finding]:
    old_doc = Doc(old, format_assertion=format_assertion, content=keys[0])
    new_doc = Doc(new, format_assertion=format_assertion, content=keys[1])
    for side, doc in (("old", old_doc), ("new", new_doc)):
        if doc.validator("") is None:
            raise CompatInputError(f"cannot be compiled by the validator: {doc.error}", side)
    changes = diff(old, new)
    if not changes and reader == "strict" and json_equal(old, new):
        # The same schema: every instance valid under one is valid under the other, in every direction
        # (what the stepwise proof of no steps concludes), and there is no change to annotate.
        return []
    classified = [(ch, _applied(c, ch, old_doc, new_doc)) for ch in changes for c in classify(ch, format_assertion)]
    findings: list[Finding] = []
    for ch, c in classified:
        if c.effect == ANNOTATION:
            findings.append(Finding(c.rule_id, _default(c.rule_id), directions[0], c.message, ch.old_ptr, ch.new_ptr))
    view: View = tolerant if reader == "tolerant" else _strict
    for d in directions:
        src, dst = (old_doc, new_doc) if d == "backward" else (new_doc, old_doc)
        if reader == "tolerant":
            # The reader is the target: it reads its schema ignoring properties it does not know.
            read = tolerant(dst.root)
            dst = dst if read is dst.root else Doc(read, format_assertion=format_assertion)
        found = _direction(d, src, dst, classified, view, reader, changes)
        # Witnesses shrink against the schemas as this direction read them (a tolerant reader included).
        findings += shrink_findings(found, src, dst) if d == "backward" else shrink_findings(found, dst, src)
    return findings


def _applied(c: Candidate, ch: Change, old: Doc, new: Doc) -> Candidate:
    """An annotation (or unknown keyword) whose value a `$ref` applies as a schema is not an annotation."""
    if c.effect != ANNOTATION:
        return c
    at_old, at_new = f"{ch.old_at}/{escape(ch.keyword)}", f"{ch.new_at}/{escape(ch.keyword)}"
    if ch.keyword in ("$id", "$anchor") and not (
        scope_change_inert(old, at_old, ch.new) and scope_change_inert(new, at_new, ch.old)
    ):
        # a base URI or an anchor some $ref of these documents is resolved by: not an annotation
        return Candidate(
            KEYWORD_CHANGED, CHANGES, f"{ch.keyword} changed from {show(ch.old)} to {show(ch.new)} (refs resolve by it)"
        )
    if not any(addressed(doc, p) for doc in (old, new) for p in {at_old, at_new}):
        return c
    return Candidate(
        KEYWORD_CHANGED,
        CHANGES,
        f"{ch.keyword} changed from {show(ch.old)} to {show(ch.new)} (a $ref applies it as a schema)",
    )


def _strict(schema: Any) -> Any:
    return schema


def _direction(
    d: Direction,
    src: Doc,
    dst: Doc,
    classified: list[tuple[Change, Candidate]],
    view: View,
    reader: Reader,
    changes: list[Change],
) -> list[Finding]:
    """The findings of one direction: source ⊆ target proven, or every change that may break it
    accounted for (witnessed, harmless on its own, or undecided), or one global verdict."""
    proof = prove(src, dst)
    if proof.kind == YES:
        return []  # proven compatible: no witness can exist, so no change needs one
    sampler = Sampler(src)
    confirmed: list[Finding] = []
    unsettled: list[tuple[Change, Candidate]] = []
    for ch, c in classified:
        if not breaks(c.effect, d):
            continue
        w = local_witness(ch, d, src, dst, sampler, view)
        if w is MISSING:
            unsettled.append((ch, c))
        else:
            confirmed.append(_finding(c.rule_id, d, c.message, ch, w, reader))
    undecided: list[Finding] = []
    harmless_at: dict[str, bool] = {}  # source subschema -> its changes proven harmless together
    for ch, c in unsettled:
        # Every change is accounted for, even when another one already breaks the pair.
        alone = applied_alone(ch, d, src, dst, view)
        if alone is not None and _included(src, alone, ch, d, view):
            continue  # harmless on its own
        w = fallback_witness(src, dst, alone, sampler, [])
        if w is MISSING:
            w = overlap_witness(ch, d, src, dst, alone, sampler)
        if w is not MISSING:
            confirmed.append(_finding(c.rule_id, d, c.message, ch, w, reader))
            continue
        at = ch.old_at if d == "backward" else ch.new_at
        if at not in harmless_at:
            whole = applied_location(ch, d, src, dst, view)
            harmless_at[at] = whole is not None and _included(src, whole, ch, d, view)
        if harmless_at[at]:
            continue  # harmless together with the other changes of its subschema
        ptr = (ch.new_ptr if ch.new_ptr is not None else ch.old_ptr) or "/"
        msg = (
            f"could not decide whether {c.rule_id} at {ptr} ({c.message}) keeps the schema {d}-compatible; "
            "no counter-example found within the search bound"
        )
        undecided.append(Finding(UNDECIDED, _default(UNDECIDED), d, msg, _old_ptr(ch), ch.new_ptr))
    if confirmed:
        return _dedupe(confirmed) + _dedupe(undecided)
    if view is _strict and included_stepwise(src, dst, changes, d):
        return []  # proven compatible one change at a time
    verdict = decide(src, dst, proof=proof)
    if verdict.kind == YES:
        return []
    if verdict.kind != NO:
        verdict = _overlapped(verdict, d, src, dst, classified, view, sampler)
    if verdict.kind != NO and undecided:
        return _dedupe(undecided)  # each change that may break, named
    res = verdict.res
    src_ptr, dst_ptr = res.a_ptr, res.b_ptr
    old_ptr, new_ptr = (src_ptr, dst_ptr) if d == "backward" else (dst_ptr, src_ptr)
    if verdict.kind == NO:
        rule = INSTANCE_REJECTED if d == "backward" else INSTANCE_NEWLY_ACCEPTED
        where = f" (at {dst_ptr or '/'}, {res.keyword})" if res.keyword else ""
        msg = (
            f"an instance valid under the old schema is rejected by the new one{where}"
            if d == "backward"
            else f"an instance valid under the new schema is rejected by the old one{where}"
        )
        wit = Witness(verdict.witness, "old" if d == "backward" else "new")
        return [Finding(rule, _default(rule), d, msg, old_ptr, new_ptr, wit)]
    kw = res.keyword or "schema"
    msg = (
        f"could not decide whether {kw!r} at {dst_ptr or '/'} keeps the change {d}-compatible; "
        "no counter-example found either"
    )
    return [Finding(UNDECIDED, _default(UNDECIDED), d, msg, old_ptr, new_ptr)]


def _overlapped(
    verdict: Verdict,
    d: Direction,
    src: Doc,
    dst: Doc,
    classified: list[tuple[Change, Candidate]],
    view: View,
    sampler: Sampler,
) -> Verdict:
    """An undecided verdict with a witness for a change that widens a subschema in this direction into
    what a sibling accepts (a ``oneOf`` branch that now overlaps another): the widening alone is no break,
    the overlap is. Each witness is confirmed by the validator on both documents; else the verdict as is."""
    for n, (ch, c) in enumerate(classified):
        if n >= _MAX_OVERLAP_CHANGES:
            break
        if breaks(c.effect, d):
            continue  # tried already, change by change
        w = overlap_witness(ch, d, src, dst, applied_alone(ch, d, src, dst, view), sampler)
        if w is not MISSING:
            return Verdict(NO, verdict.res, w)
    return verdict


_MAX_OVERLAP_CHANGES = 24


def _included(src: Doc, changed: Doc, ch: Change, d: Direction, view: View) -> bool:
    """``src ⊆ changed`` proven, for ``changed`` = the source with some change applied where ``ch`` is:
    locally at that subschema when it sits at monotone positions only (a strict reader: the two
    documents differ nowhere else), else by the whole-document proof."""
    at = ch.old_at if d == "backward" else ch.new_at
    local = included_at(src, changed, at, src.format_assertion) if view is _strict else None
    if local is not None:
        return local
    return prove(src, changed).kind == YES


def _default(rule_id: str) -> Severity:
    return catalog.BY_ID[rule_id].severity


def _old_ptr(ch: Change) -> str | None:
    return ch.old_ptr if ch.old is not MISSING or ch.key is not None else ch.old_at


def _finding(rule_id: str, d: Direction, message: str, ch: Change, w: Any, reader: Reader = "strict") -> Finding:
    severity = _default(rule_id)
    if reader == "tolerant" and rule_id == ENUM_VALUE_ADDED and severity == "error":
        # An extensible enum: a tolerant reader is expected to cope with a value it does not know.
        severity, message = "warning", message + " (a tolerant reader must handle values it does not know)"
    wit = Witness(w, "old" if d == "backward" else "new")
    return Finding(rule_id, severity, d, message, _old_ptr(ch), ch.new_ptr, wit)


def _dedupe(fs: list[Finding]) -> list[Finding]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for f in fs:
        k = (f.rule_id, f.old_pointer, f.new_pointer, f.direction, f.message)
        if k not in seen:
            seen.add(k)
            out.append(f)
    return out
