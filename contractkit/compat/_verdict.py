"""Per-direction verdict: a structural proof, or a validator-confirmed witness, or undecided.

This is the one place where soundness is decided:

* ``compatible`` only when the structural prover (``_prove``) proves source ⊆ target;
* ``breaking`` only with a witness instance that the real validator (jsonschema_rs, draft 2020-12)
  accepts under the source schema and rejects under the target;
* otherwise ``undecided``, which the report counts as not compatible.

jsonschema_rs's canonical ``subtract`` is used only to *propose* witness candidates; its ``covers``
answer is never taken as a proof.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from contractkit.compat._doc import Doc, schema_objects
from contractkit.compat._prove import NO, UNKNOWN, YES, Node, Prover, Res
from contractkit.compat._sampler import Sampler

_MAX_CANDIDATES = 400


@dataclass(frozen=True, slots=True)
class Verdict:
    kind: str  # YES | NO (with witness) | UNKNOWN
    res: Res
    witness: Any = None


def prove(src: Doc, dst: Doc) -> Res:
    """The structural proof attempt alone (cheap): ``YES`` means source ⊆ target, proven."""
    return Prover(src.format_assertion).subset(Node(src.root, "", src), Node(dst.root, "", dst))


def decide(src: Doc, dst: Doc, *, proof: Res | None = None, extra_candidates: list[Any] | None = None) -> Verdict:
    res = proof if proof is not None else prove(src, dst)
    if res.kind == YES:
        return Verdict(YES, res)
    found, w = find_witness(src, dst, res, extra_candidates or [])
    if found:
        return Verdict(NO, res, w)
    return Verdict(UNKNOWN, res if res.kind == UNKNOWN else Res(UNKNOWN, res.keyword, res.a_ptr, res.b_ptr))


def is_witness(src: Doc, dst: Doc, x: Any) -> bool:
    return src.is_valid("", x) is True and dst.is_valid("", x) is False


def find_witness(src: Doc, dst: Doc, res: Res, extra: list[Any]) -> tuple[bool, Any]:
    tried = 0
    if res.has_witness and is_witness(src, dst, res.witness):
        return True, res.witness
    for x in extra:
        if is_witness(src, dst, x):
            return True, x
    for x in _subtract_candidates(src, dst):
        tried += 1
        if is_witness(src, dst, x):
            return True, x
    for x in Sampler(src).sample(src.root):
        tried += 1
        if tried > _MAX_CANDIDATES:
            break
        if is_witness(src, dst, x):
            return True, x
    return False, None


# The symbolic subtraction expands unions into a canonical form whose size (and memory: one real-world
# pair peaked at 619 MiB) grows with the product of the branches: it runs only on small schemas.
MAX_SUBTRACT_OBJECTS = 200
MAX_SUBTRACT_BRANCHES = 32


def _small(schema: Any) -> bool:
    branches = 0
    for objects, (_, node) in enumerate(schema_objects(schema), start=1):
        for k in ("anyOf", "oneOf", "enum"):
            if isinstance(node.get(k), list):
                branches += len(node[k]) if k != "enum" else 1
        if objects > MAX_SUBTRACT_OBJECTS or branches > MAX_SUBTRACT_BRANCHES:
            return False
    return True


def _subtract_candidates(src: Doc, dst: Doc) -> list[Any]:
    """Candidates drawn from jsonschema_rs's symbolic ``src − dst`` (a proposal, never a proof)."""
    if not (_small(src.root) and _small(dst.root)):
        return []
    try:
        import jsonschema_rs

        fa = src.format_assertion
        c_src = jsonschema_rs.canonicalize(src.root, validate_formats=fa, offline=True)
        c_dst = jsonschema_rs.canonicalize(dst.root, validate_formats=fa, offline=True)
        diff = c_src.subtract(c_dst).to_json_schema()
    except Exception:
        return []
    if diff is False:
        return []
    diff = _ordered(diff)
    return Sampler(Doc(diff, format_assertion=src.format_assertion)).sample(diff)


_UNORDERED = ("anyOf", "allOf", "oneOf", "enum", "required", "type")


def _ordered(schema: Any) -> Any:
    """jsonschema_rs's canonical form lists branches in hash order, which changes from process to
    process: sorted here, so the candidates (and the witness found) are the same in every run."""
    if isinstance(schema, list):
        return [_ordered(x) for x in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _ordered(v) for k, v in sorted(schema.items())}
    for k in _UNORDERED:
        if isinstance(out.get(k), list):
            out[k] = sorted(out[k], key=lambda v: json.dumps(v, sort_keys=True))
    return out
