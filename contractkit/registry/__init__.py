"""The registry: the version index and the schemas it names, loaded, validated and resolved."""

from contractkit.registry._catalog import Catalog
from contractkit.registry._index import INDEX_FILE, Index, Policy, Role, Status, Version, load_index
from contractkit.registry._registry import Registry, load_json_file, load_registry, load_schema_file, parse_ref
from contractkit.registry._walk import escape, subschemas

__all__ = [
    "INDEX_FILE",
    "Catalog",
    "Index",
    "Policy",
    "Registry",
    "Role",
    "Status",
    "Version",
    "escape",
    "load_index",
    "load_json_file",
    "load_registry",
    "load_schema_file",
    "parse_ref",
    "subschemas",
]
