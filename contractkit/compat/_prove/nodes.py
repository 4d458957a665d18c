"""The prover's values: verdict kinds, conjunct nodes, results, and the shared synthetic nodes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

from contractkit._json import value_at
from contractkit.compat._doc import Doc

Kind = Literal["yes", "no", "unknown"]
YES: Final[Kind] = "yes"
NO: Final[Kind] = "no"
UNKNOWN: Final[Kind] = "unknown"

TYPES = ("null", "boolean", "object", "array", "string", "number")


# Not frozen (nothing assigns to a field): a frozen dataclass sets each field through object.__setattr__,
# and these are among the engine's most frequent allocations. Hashed and compared as frozen ones are.
# init=False with a written __init__: the compiled build makes the class a native one, built in a quarter
# of the time (a dataclass's generated __init__ runs as bytecode there); tests/test_architecture.py checks
# that every such __init__ takes the fields in order with their defaults.
@dataclass(slots=True, unsafe_hash=True, init=False)
class Node:
    """One conjunct: a subschema, where it lives, and whether it is negated."""

    schema: Any
    ptr: str | None  # None for synthetic nodes (type restrictions)
    doc: Doc | None
    neg: bool = False

    def __init__(self, schema: Any, ptr: str | None, doc: Doc | None, neg: bool = False) -> None:
        self.schema = schema
        self.ptr = ptr
        self.doc = doc
        self.neg = neg


@dataclass(slots=True, unsafe_hash=True, init=False)
class Res:
    kind: Kind
    keyword: str = ""
    a_ptr: str | None = None
    b_ptr: str | None = None
    witness: Any = None
    has_witness: bool = False

    def __init__(
        self,
        kind: Kind,
        keyword: str = "",
        a_ptr: str | None = None,
        b_ptr: str | None = None,
        witness: Any = None,
        has_witness: bool = False,
    ) -> None:
        self.kind = kind
        self.keyword = keyword
        self.a_ptr = a_ptr
        self.b_ptr = b_ptr
        self.witness = witness
        self.has_witness = has_witness


R_YES = Res(YES)


def type_kw(t: Any) -> set[str]:
    """The instance types a ``type`` keyword admits (``number`` includes ``integer``)."""
    names = [t] if isinstance(t, str) else list(t) if isinstance(t, list) else []
    out: set[str] = set()
    for x in names:
        if x == "number":
            out |= {"number", "integer"}
        elif isinstance(x, str):
            out.add(x)
    return out


_SYNTHETIC: dict[tuple[str, str], Node] = {}


def type_node(t: str) -> Node:
    """Shared synthetic nodes keep memo keys stable across the search."""
    key = ("type", t)
    n = _SYNTHETIC.get(key)
    if n is None:
        n = _SYNTHETIC[key] = Node({"type": t}, None, None)
    return n


def has_prop_node(p: str) -> Node:
    key = ("required", p)
    n = _SYNTHETIC.get(key)
    if n is None:
        if len(_SYNTHETIC) > 10_000:
            _SYNTHETIC.clear()
        n = _SYNTHETIC[key] = Node({"type": "object", "required": [p]}, None, None)
    return n


def without(s: dict[str, Any], *kws: str) -> dict[str, Any]:
    """``s`` without ``kws``, and without unevaluated* (which read the removed applicators):
    the result always admits at least what ``s`` admits."""
    drop = (*kws, "unevaluatedProperties", "unevaluatedItems")
    return {k: v for k, v in s.items() if k not in drop}


# Keywords that evaluate properties or items in place, besides properties/patternProperties/
# additionalProperties and prefixItems/items/contains: with none of them, unevaluated* reads only its siblings.
_IN_PLACE = frozenset(
    {"allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "$ref", "$dynamicRef",
     "$recursiveRef"}
)  # fmt: skip


def plain_unevaluated(s: dict[str, Any]) -> dict[str, Any] | None:
    """``s`` with ``unevaluatedProperties`` / ``unevaluatedItems`` written as the keyword they amount to
    when no in-place applicator can evaluate anything: ``additionalProperties`` (dropped when it is
    already there: then every property is evaluated) and ``items`` (likewise; not with ``contains``,
    whose matches count as evaluated). None when nothing applies."""
    if not ("unevaluatedProperties" in s or "unevaluatedItems" in s) or any(k in s for k in _IN_PLACE):
        return None
    out = dict(s)
    changed = False
    if "unevaluatedProperties" in out:
        up = out.pop("unevaluatedProperties")
        out.setdefault("additionalProperties", up)
        changed = True
    if "unevaluatedItems" in out and "contains" not in out:
        ui = out.pop("unevaluatedItems")
        out.setdefault("items", ui)
        changed = True
    return out if changed else None


_MAX_ONE_OF_NEG = 8  # branches of a oneOf whose case j also carries "not branch k" for every k != j


def one_of_others(kw: str, brs: list[Any], j: int, n: Node) -> tuple[Node, ...]:
    """The other branches of A's ``oneOf``, negated, for the case of its branch ``j``.

    Sound: an instance valid under ``oneOf: [B0, …, Bn]`` matches exactly one branch, so the case of
    branch ``j`` is ``Bj ∧ ¬Bk`` for every ``k != j``; adding the negated conjuncts only describes that
    case more precisely (the split of ``anyOf``, where several branches may match, gets none). Consumers
    that do not model a negated node ignore it, which only enlarges A. Bounded to small unions."""
    if kw != "oneOf" or len(brs) > _MAX_ONE_OF_NEG or n.ptr is None or n.doc is None:
        return ()
    if value_at(n.doc.root, f"{n.ptr}/oneOf") is not brs:
        return ()  # a negated node is validated at its pointer: it must be the branch it names
    return tuple(Node(br, f"{n.ptr}/oneOf/{k}", n.doc, True) for k, br in enumerate(brs) if k != j)
