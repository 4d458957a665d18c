"""Diff: what changed between two documents, neutrally: which operations, parameters, media types and
statuses exist on either side and are paired with each other. Whether a change breaks is for the rules.

Operations pair by method and path with parameter names erased (`/carts/{id}` is `/carts/{cart_id}`);
path parameters then pair by position, header parameters by case-insensitive name, the others by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from contractkit.openapi._load import Document, Operation, Parameter, path_param_names, template_key

__all__ = ["OperationPair", "pair_keys", "pair_operations", "pair_parameters"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class OperationPair:
    """An operation on either side; `old` or `new` is None when it exists on one side only."""

    old: Operation | None
    new: Operation | None
    path_on_old: bool  # the path (any method) exists in the old document
    path_on_new: bool

    @property
    def label(self) -> str:
        op = self.new if self.new is not None else self.old
        assert op is not None
        return op.label


def pair_operations(old: Document, new: Document) -> list[OperationPair]:
    """Every operation of either document: the old document's order first, then the new ones."""
    out: list[OperationPair] = []
    for key, op in old.operations.items():
        out.append(OperationPair(op, new.operations.get(key), True, key[0] in new.paths))
    for key, op in new.operations.items():
        if key not in old.operations:
            out.append(OperationPair(None, op, key[0] in old.paths, True))
    return out


def _path_position(op: Operation, p: Parameter) -> int:
    names = path_param_names(op.path)
    return names.index(p.name) if p.name in names else -1


def pair_parameters(old: Operation, new: Operation) -> list[tuple[Parameter | None, Parameter | None]]:
    """Parameters of two paired operations, each paired with its counterpart or None."""

    def key(op: Operation, p: Parameter) -> tuple[str, str]:
        if p.location == "path":
            return ("path", f"#{_path_position(op, p)}" if _path_position(op, p) >= 0 else p.name)
        return p.key

    olds = {key(old, p): p for p in old.parameters}
    news = {key(new, p): p for p in new.parameters}
    return [(olds.get(k), news.get(k)) for k in _ordered(olds, news)]


def pair_keys(old: Mapping[str, T], new: Mapping[str, T]) -> list[tuple[str, T | None, T | None]]:
    """Entries of two maps (media types, statuses, headers) by key: old order, then new keys."""
    return [(k, old.get(k), new.get(k)) for k in _ordered(old, new)]


def _ordered(old: Mapping[T, object], new: Mapping[T, object]) -> list[T]:
    return [*old, *(k for k in new if k not in old)]


def same_template(a: str, b: str) -> bool:
    return template_key(a) == template_key(b)
