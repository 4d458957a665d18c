"""Each draft's official JSON-Schema-Test-Suite, through the translation to 2020-12.

For every test group of tests/draft4, draft6, draft7 and draft2019-09 (vendored under suite/, MIT, see
suite/README.md), the group's schema is translated with `contractkit.dialects.translate` (dialect from
its `$schema`, else the folder's draft) and every case is validated by jsonschema-rs's **2020-12**
validator: the verdict must be the suite's. Remote refs resolve from the suite's `remotes/` (each
translated from its own draft) and the drafts' metaschemas (translated too), as the suite's README asks
of an implementation (`http://localhost:1234/...`), never over the network.

A file's cases that do not agree must be exactly the ones listed in EXCLUDED with a reason, so an
exclusion that starts passing fails the test too. `optional/format/` is not vendored: whether `format`
asserts is a separate switch of the engine (`format_assertion`), not a dialect question.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from contractkit.dialects import Dialect, UnsupportedDialectError, translate

SUITE = Path(__file__).parent / "suite"
DRAFTS: dict[str, Dialect] = {
    "draft4": "draft-04",
    "draft6": "draft-06",
    "draft7": "draft-07",
    "draft2019-09": "2019-09",
}

_CONTENT = (
    "draft-07 lets a validator assert contentEncoding / contentMediaType (an optional feature); "
    "2019-09 and 2020-12 make them annotations, and contractkit reads them as annotations"
)
# (file, group description, case description) -> why the translated schema cannot give the suite's verdict
EXCLUDED: dict[tuple[str, str, str], str] = {
    (
        "draft4/optional/zeroTerminatedFloats.json",
        "some languages do not distinguish between different types of numeric value",
        "a float is not an integer even without fractional part",
    ): "draft-04 tells 1.0 from 1; from draft-06 on (and in the validator) they are the same number",
    (
        "draft7/optional/content.json",
        "validation of string-encoded content based on media type",
        "an invalid JSON document",
    ): _CONTENT,
    (
        "draft7/optional/content.json",
        "validation of binary string-encoding",
        "an invalid base64 string (% is not a valid character)",
    ): _CONTENT,
    (
        "draft7/optional/content.json",
        "validation of binary-encoded media type documents",
        "a validly-encoded invalid JSON document",
    ): _CONTENT,
    (
        "draft7/optional/content.json",
        "validation of binary-encoded media type documents",
        "an invalid base64 string that is valid JSON",
    ): _CONTENT,
}
# (file, group description) -> why the group's schema is refused (asserted: refused with this error)
REFUSED: dict[tuple[str, str], str] = {
    (
        "draft2019-09/vocabulary.json",
        "schema that uses custom metaschema with with no validation vocabulary",
    ): "a custom metaschema (its own vocabularies) is not a dialect contractkit reads",
    (
        "draft2019-09/vocabulary.json",
        "ignore unrecognized optional vocabulary",
    ): "a custom metaschema (its own vocabularies) is not a dialect contractkit reads",
}


def _files() -> list[str]:
    return sorted(
        f.relative_to(SUITE / "tests").as_posix() for draft in DRAFTS for f in (SUITE / "tests" / draft).rglob("*.json")
    )


@cache
def _registry(draft: str) -> jsonschema_rs.Registry:
    """The suite's remotes and the drafts' metaschemas, each translated from its own dialect."""
    resources: list[tuple[str, Any]] = []
    for f in sorted((SUITE / "remotes").rglob("*.json")):
        rel = f.relative_to(SUITE / "remotes").as_posix()
        top = rel.split("/")[0]
        default = DRAFTS.get(top, "2020-12" if top == "draft2020-12" else DRAFTS[draft])
        uri = "http://localhost:1234/" + rel
        resources.append((uri, translate(json.loads(f.read_text()), default=default, base=uri).schema))
    import jsonschema_specifications

    for uri, resource in jsonschema_specifications.REGISTRY.items():
        if "draft-03" not in uri and "2020-12" not in uri:
            resources.append((uri, translate(resource.contents, base=uri).schema))
    return jsonschema_rs.Registry(resources)


def test_the_suite_is_vendored() -> None:
    files = _files()
    assert len(files) > 170 and {f.split("/")[0] for f in files} == set(DRAFTS)
    assert (SUITE / "LICENSE").is_file()


@pytest.mark.parametrize("rel", _files())
def test_translated_schema_gives_the_suite_verdict(rel: str) -> None:
    draft = rel.split("/")[0]
    disagree: set[tuple[str, str, str]] = set()
    refused: set[tuple[str, str]] = set()
    cases = 0
    for group in json.loads((SUITE / "tests" / rel).read_text()):
        try:
            schema = translate(group["schema"], default=DRAFTS[draft]).schema
        except UnsupportedDialectError:
            refused.add((rel, group["description"]))
            continue
        validator = jsonschema_rs.Draft202012Validator(schema, registry=_registry(draft), validate_formats=False)
        for case in group["tests"]:
            cases += 1
            if validator.is_valid(case["data"]) is not case["valid"]:
                disagree.add((rel, group["description"], case["description"]))
    assert disagree == {k for k in EXCLUDED if k[0] == rel}
    assert refused == {k for k in REFUSED if k[0] == rel}
    assert cases or refused


def test_without_translation_many_cases_disagree() -> None:
    """The check has teeth: the same schemas read as 2020-12 as written get hundreds of verdicts wrong."""
    wrong = 0
    for rel in _files():
        draft = rel.split("/")[0]
        for group in json.loads((SUITE / "tests" / rel).read_text()):
            schema = group["schema"]
            if isinstance(schema, dict):
                schema = {k: v for k, v in schema.items() if k != "$schema"}
            try:
                v = jsonschema_rs.Draft202012Validator(schema, registry=_registry(draft), validate_formats=False)
            except (ValueError, jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError):
                wrong += len(group["tests"])
                continue
            wrong += sum(v.is_valid(c["data"]) is not c["valid"] for c in group["tests"])
    assert wrong > 300
