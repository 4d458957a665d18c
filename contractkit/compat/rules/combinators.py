"""Applicators: allOf, anyOf, oneOf, not, if/then/else, $ref, and other keywords we only compare."""

from __future__ import annotations

from contractkit.compat.rules._base import CHANGES, NARROWS, WIDENS, Candidate, show
from contractkit.compat.walk import MISSING, Change

ALL_OF_BRANCH_ADDED = "all-of-branch-added"
ALL_OF_BRANCH_REMOVED = "all-of-branch-removed"
ANY_OF_BRANCH_ADDED = "any-of-branch-added"
ANY_OF_BRANCH_REMOVED = "any-of-branch-removed"
ONE_OF_BRANCH_ADDED = "one-of-branch-added"
ONE_OF_BRANCH_REMOVED = "one-of-branch-removed"
COMBINATOR_ADDED = "combinator-added"
COMBINATOR_REMOVED = "combinator-removed"
NOT_ADDED = "not-added"
NOT_REMOVED = "not-removed"
CONDITIONAL_CHANGED = "conditional-changed"
REF_CHANGED = "ref-changed"
KEYWORD_CHANGED = "keyword-changed"

KEYWORDS = frozenset({"allOf", "anyOf", "oneOf", "not", "if", "then", "else", "$ref", "$dynamicRef"})


def classify(ch: Change) -> list[Candidate]:
    kw, old, new = ch.keyword, ch.old, ch.new
    if kw in ("allOf", "anyOf", "oneOf"):
        if ch.key is None:
            if old is MISSING:
                effect = NARROWS if kw == "allOf" else CHANGES
                return [Candidate(COMBINATOR_ADDED, effect, f"{kw} was added")]
            effect = WIDENS if kw == "allOf" else CHANGES
            return [Candidate(COMBINATOR_REMOVED, effect, f"{kw} was removed")]
        added = old is MISSING
        shown = show(new if added else old)
        if kw == "allOf":
            if added:
                return [Candidate(ALL_OF_BRANCH_ADDED, NARROWS, f"allOf branch {ch.key} was added: {shown}")]
            return [Candidate(ALL_OF_BRANCH_REMOVED, WIDENS, f"allOf branch {ch.key} was removed: {shown}")]
        if kw == "anyOf":
            if added:
                return [Candidate(ANY_OF_BRANCH_ADDED, WIDENS, f"anyOf branch {ch.key} was added: {shown}")]
            return [Candidate(ANY_OF_BRANCH_REMOVED, NARROWS, f"anyOf branch {ch.key} was removed: {shown}")]
        if added:
            return [Candidate(ONE_OF_BRANCH_ADDED, CHANGES, f"oneOf branch {ch.key} was added: {shown}")]
        return [Candidate(ONE_OF_BRANCH_REMOVED, CHANGES, f"oneOf branch {ch.key} was removed: {shown}")]
    if kw == "not":
        if old is MISSING:
            return [Candidate(NOT_ADDED, NARROWS, f"instances matching {show(new)} are now rejected")]
        return [Candidate(NOT_REMOVED, WIDENS, f"instances matching {show(old)} are no longer rejected")]
    if kw in ("if", "then", "else"):
        return [Candidate(CONDITIONAL_CHANGED, CHANGES, f"{kw} changed from {show(old)} to {show(new)}")]
    if kw in ("$ref", "$dynamicRef"):
        return [Candidate(REF_CHANGED, CHANGES, f"{kw} changed from {show(old)} to {show(new)}")]
    return [Candidate(KEYWORD_CHANGED, CHANGES, f"{kw} changed from {show(old)} to {show(new)}")]
