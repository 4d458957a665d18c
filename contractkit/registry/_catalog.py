"""The local catalogue: schema files found by their `$id`, so a `$ref` to a published URI resolves offline.

Folders are scanned once, on the first lookup: every `*.json` file below them that parses as a JSON
object with a string `$id` (draft-04: `id`) is indexed by that URI, without its fragment. A file that
does not parse, or has no `$id`, is skipped (a catalogue folder may hold other JSON). Two files with
the same `$id` are an error naming both when a `$ref` asks for that URI. URIs compare without their
fragment, and `http`/`https` of the same address count as one (published schemas are cited both ways).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urldefrag

from contractkit.dialects import Dialect, UnsupportedDialectError, dialect_of
from contractkit.errors import InputError

__all__ = ["Catalog", "normalise_uri"]


def normalise_uri(uri: str) -> str:
    """The catalogue's key for a URI: no fragment, and `http://` read as `https://`."""
    bare = urldefrag(uri)[0]
    return "https://" + bare[len("http://") :] if bare.startswith("http://") else bare


class Catalog:
    """Schema files under some folders, by `$id`."""

    def __init__(self, folders: Sequence[Path], *, dialect: Dialect = "2020-12") -> None:
        self.folders = tuple(Path(f) for f in folders)
        self.dialect = dialect
        self._by_id: dict[str, list[Path]] | None = None

    def lookup(self, uri: str) -> Path | None:
        """The file whose `$id` is `uri`, else None."""
        if self._by_id is None:
            self._by_id = self._scan()
        paths = self._by_id.get(normalise_uri(uri), [])
        if len(paths) > 1:
            others = ", ".join(str(p) for p in paths[1:])
            raise InputError(
                paths[0], "/$id", f"the catalogue has more than one schema with $id {uri!r}: also {others}"
            )
        return paths[0] if paths else None

    def _scan(self) -> dict[str, list[Path]]:
        found: dict[str, list[Path]] = {}
        for folder in self.folders:
            if not folder.is_dir():
                raise InputError(folder, None, "catalogue folder not found ([tool.contractkit] catalog)")
            for path in sorted(folder.rglob("*.json")):
                uri = self._id_of(path)
                if uri is None:
                    continue
                path = path.resolve()
                slot = found.setdefault(normalise_uri(uri), [])
                if path not in slot:
                    slot.append(path)
        return found

    def _id_of(self, path: Path) -> str | None:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError):
            return None
        if not isinstance(doc, dict):
            return None
        try:
            dialect = dialect_of(doc, self.dialect)
        except UnsupportedDialectError:
            return None
        value = doc.get("id" if dialect == "draft-04" else "$id")
        if not isinstance(value, str) or ("://" not in value and not value.startswith("urn:")):
            return None
        return value
