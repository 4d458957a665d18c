"""Reading JSON and YAML documents strictly: the one file loader for schemas and OpenAPI documents.

Strict means the result is plain JSON data whatever the syntax: no NaN or Infinity, no duplicate keys
(JSON's "last one wins" silently drops a definition), YAML mapping keys kept as the text written
(`200:` is the key "200", not the integer), YAML timestamps kept as strings (`x-sunset: 2027-03-31`),
and only the YAML 1.1 safe tags. Every error is a `SchemaFileError` naming the file, with the line and
column where the parser knows them.

The format follows the suffix (`.json`, `.yaml`/`.yml`); anything else is read as JSON when it starts
with `{` or `[`, else as YAML.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path
from typing import Any

from contractkit.errors import SchemaFileError

__all__ = ["YAML_SUFFIXES", "load_file", "parse_text"]

YAML_SUFFIXES = (".yaml", ".yml")


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


@functools.cache
def _strict_loader() -> Any:
    """yaml's safe loader (the C one when built) with JSON-shaped results; built on first use."""
    import yaml

    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class StrictLoader(base):  # type: ignore[misc]
        pass

    def mapping(loader: Any, node: Any) -> dict[str, Any]:
        loader.flatten_mapping(node)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value (JSON keys are strings)", key_node.start_mark
                )
            key = key_node.value  # the text written: `200:` is "200", not an integer
            if key in out:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            out[key] = loader.construct_object(value_node, deep=True)
        return out

    def timestamp(loader: Any, node: Any) -> str:
        return str(loader.construct_scalar(node))

    def floating(loader: Any, node: Any) -> float:
        value = loader.construct_yaml_float(node)
        if math.isnan(value) or math.isinf(value):
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value} is not JSON (no NaN or Infinity)", node.start_mark
            )
        return float(value)

    StrictLoader.add_constructor("tag:yaml.org,2002:map", mapping)
    StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
    StrictLoader.add_constructor("tag:yaml.org,2002:float", floating)
    constructors = dict(StrictLoader.yaml_constructors)
    for tag in ("binary", "omap", "pairs", "set"):
        constructors.pop(f"tag:yaml.org,2002:{tag}", None)  # not JSON data: refused like any unknown tag
    StrictLoader.yaml_constructors = constructors
    return StrictLoader


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SchemaFileError(path, None, "file not found") from None
    except IsADirectoryError:
        raise SchemaFileError(path, None, "is a directory, expected a JSON or YAML file") from None
    except UnicodeDecodeError as exc:
        raise SchemaFileError(path, None, f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise SchemaFileError(path, None, f"cannot read: {exc.strerror}") from None


def load_file(path: Path | str) -> Any:
    """Parse a JSON or YAML file into plain JSON data; errors name the file, line and column."""
    path = Path(path)
    text = _read(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        fmt = "json"
    elif suffix in YAML_SUFFIXES:
        fmt = "yaml"
    else:
        fmt = "json" if text.lstrip().startswith(("{", "[")) else "yaml"
    return parse_text(text, path, fmt)


def parse_text(text: str, where: Path | str, fmt: str = "json") -> Any:
    """Parse `text` as `fmt` ("json" or "yaml"); `where` names the source in errors."""
    if fmt == "json":
        return _parse_json(text, where)
    if fmt == "yaml":
        return _parse_yaml(text, where)
    raise ValueError(f"unknown format {fmt!r}")


def _parse_json(text: str, where: Path | str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_pairs)
    except json.JSONDecodeError as exc:
        raise SchemaFileError(
            where, None, f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except _DuplicateKey as exc:
        raise SchemaFileError(where, None, f"malformed JSON: duplicate key {exc.key!r}") from None
    except RecursionError:
        raise SchemaFileError(where, None, "JSON nested too deeply to process (hundreds of levels)") from None
    except ValueError as exc:
        raise SchemaFileError(where, None, f"malformed JSON: {exc}") from None


def _parse_yaml(text: str, where: Path | str) -> Any:
    import yaml

    try:
        loader = _strict_loader()(text)
        try:
            if loader.check_data():
                doc = loader.get_data()
                if loader.check_data():
                    raise SchemaFileError(where, None, "malformed YAML: more than one document in the stream")
                return doc
            return None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f" at line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
        problem = exc.problem or exc.context or "cannot parse"
        if "could not determine a constructor" in problem:
            problem = f"{problem.split(' for the tag ')[-1]} is not a JSON value (unsupported YAML tag)"
        raise SchemaFileError(where, None, f"malformed YAML{at}: {problem}") from None
    except yaml.YAMLError as exc:
        raise SchemaFileError(where, None, f"malformed YAML: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise SchemaFileError(where, None, "YAML nested too deeply to process (hundreds of levels)") from None
