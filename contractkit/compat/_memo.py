"""Bounded in-process memos keyed by the exact content of a JSON document.

The key is ``marshal``'s format 2 of the value: it tells ``1`` from ``1.0`` and ``true``, a list from a
tuple, a str key from an int one, keeps the order of object members, and refuses anything that is not
a plain builtin (a str or int subclass, a custom object), so two values with the same key are the very
same JSON document, whatever objects hold them. A value it refuses (or one larger than
``max_key_bytes``) gets no key: the caller does the work uncached. Nothing here outlives the process.

Entries are evicted oldest first once either bound (entries, total key bytes) is reached. Only facts
derived from the content may be stored — never the caller's objects, which the caller may mutate later.
"""

from __future__ import annotations

import marshal
from collections import OrderedDict
from typing import Any, Generic, TypeVar

V = TypeVar("V")


def content_key(value: Any, max_bytes: int = 1 << 20) -> bytes | None:
    """The exact-content key of a JSON value, or None (not plain builtins, nested too deeply, too big)."""
    try:
        key = marshal.dumps(value, 2)
    except (ValueError, TypeError):
        return None
    return key if len(key) <= max_bytes else None


class ContentMemo(Generic[V]):
    """A dict from content keys (plus a small hashable qualifier) to values, bounded in size."""

    __slots__ = ("_bytes", "_data", "_max_bytes", "_max_entries")

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self._data: OrderedDict[tuple[bytes, Any], V] = OrderedDict()
        self._bytes = 0
        self._max_entries = max_entries
        self._max_bytes = max_bytes

    def get(self, key: tuple[bytes, Any]) -> V | None:
        return self._data.get(key)

    def put(self, key: tuple[bytes, Any], value: V) -> None:
        if key in self._data:
            return
        size = len(key[0])
        while self._data and (len(self._data) >= self._max_entries or self._bytes + size > self._max_bytes):
            try:
                old, _ = self._data.popitem(last=False)
            except KeyError:  # emptied by another thread meanwhile
                break
            self._bytes -= len(old[0])
        self._data[key] = value
        self._bytes += size

    def clear(self) -> None:
        self._data.clear()
        self._bytes = 0
