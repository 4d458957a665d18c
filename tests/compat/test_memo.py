"""The in-process memos of the engine (compiled validators, metaschema verdicts) are keyed by the exact
content of a schema: a schema object mutated between calls, or one that differs only in a JSON type the
validator tells apart, is judged anew. Everything goes through the public `contractkit.compare`."""

from __future__ import annotations

import pytest

import contractkit
from contractkit.compat import CompatInputError


def test_a_schema_mutated_between_calls_is_compared_as_it_is_now() -> None:
    old = {"type": "object", "properties": {"a": {"type": "string"}}}
    new = {"type": "object", "properties": {"a": {"type": "string"}}}
    assert contractkit.compare(old, new).compatible
    new["properties"]["a"]["type"] = "integer"  # the same objects, a different schema
    report = contractkit.compare(old, new)
    assert not report.compatible
    (f,) = [f for f in report.findings if f.severity == "error"]
    assert f.witness is not None and f.witness.instance == {"a": ""}
    new["properties"]["a"]["type"] = "string"
    assert contractkit.compare(old, new).compatible


def test_a_schema_made_invalid_after_a_call_is_refused() -> None:
    schema = {"type": "string"}
    assert contractkit.compare(schema, schema).compatible
    schema["type"] = "strin"  # the metaschema's verdict is not reused
    with pytest.raises(CompatInputError, match="not a valid JSON Schema"):
        contractkit.compare(schema, {"type": "string"})
    schema["type"] = "string"
    assert contractkit.compare(schema, {"type": "string"}).compatible


def test_a_pattern_made_uncompilable_after_a_call_is_refused() -> None:
    schema = {"type": "string", "pattern": "^a"}
    assert contractkit.compare(schema, {"type": "string"}).compatible
    schema["pattern"] = "^(a"  # the compiled validator is not reused
    with pytest.raises(CompatInputError):
        contractkit.compare(schema, {"type": "string"})


@pytest.mark.parametrize("value", [True, 1.5, "1"])
def test_values_equal_as_text_but_not_as_json_are_told_apart(value: object) -> None:
    # `1` (the first call's content) and `true`, `1.5`, `"1"` are different schemas
    assert contractkit.compare({"const": 1}, {"const": 1}).compatible
    report = contractkit.compare({"const": 1}, {"const": value})
    assert not report.compatible
    (f,) = [f for f in report.findings if f.severity == "error"]
    assert f.witness is not None and f.witness.instance == 1


def test_a_list_and_a_tuple_of_the_same_values_are_the_same_schema() -> None:
    assert contractkit.compare({"enum": [1, 2]}, {"enum": (1, 2)}).compatible


def test_format_assertion_is_part_of_the_key() -> None:
    old, new = {"type": "string"}, {"type": "string", "format": "email"}
    for _ in range(2):
        assert contractkit.compare(old, new, format_assertion=False).compatible
        assert not contractkit.compare(old, new, format_assertion=True).compatible


def test_a_str_subclass_is_not_taken_for_the_str_it_prints_as() -> None:
    class Name(str):
        pass

    assert contractkit.compare({"type": "string"}, {"type": "string"}).compatible
    with pytest.raises(CompatInputError, match="Unsupported type"):  # the validator reads no str subclass
        contractkit.compare({"type": Name("string")}, {"type": "string"})


@pytest.mark.parametrize("mode", ["backward", "forward", "full"])
def test_an_identical_schema_is_compatible_and_a_near_miss_is_not(mode: str) -> None:
    schema = {"type": "object", "properties": {"a": {"enum": [1, "x"]}, "b": {"minimum": 1}}, "required": ["a"]}
    same = {"type": "object", "properties": {"a": {"enum": [1, "x"]}, "b": {"minimum": 1.0}}, "required": ["a"]}
    assert contractkit.compare(schema, same, mode).findings == ()  # type: ignore[arg-type]
    near = {"type": "object", "properties": {"a": {"enum": [True, "x"]}, "b": {"minimum": 1}}, "required": ["a"]}
    report = contractkit.compare(schema, near, mode)  # type: ignore[arg-type]
    assert not report.compatible
    assert all(f.witness is not None for f in report.findings if f.severity == "error")


@pytest.mark.parametrize("value", ['a"b', "a\\b", "é", "\x7f", "tab\there", "\u2028", 7, -3, 10**20, 1.5, None])
def test_a_changed_value_is_written_in_messages_as_json(value: object) -> None:
    import json

    report = contractkit.compare({"const": "x"}, {"const": value})
    (f,) = report.findings
    assert f.message == f'const changed from "x" to {json.dumps(value, sort_keys=True)}'


def test_threads_sharing_the_memos_get_the_answers_of_one_thread() -> None:
    from concurrent.futures import ThreadPoolExecutor

    pairs = [({"type": "string"}, {"type": "string", "maxLength": n}) for n in range(0, 40, 3)] + [
        ({"enum": list(range(n))}, {"enum": list(range(n - 1))}) for n in range(1, 12)
    ]

    def verdicts() -> list[tuple[bool, list[object]]]:
        out = []
        for old, new in pairs:
            r = contractkit.compare(old, new)
            out.append((r.compatible, [f.to_json() for f in r.findings]))
        return out

    expected = verdicts()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: verdicts(), range(8)))
    assert all(r == expected for r in results)


def test_a_document_too_large_for_the_memo_is_compared_as_it_is_now() -> None:
    big = {"type": "object", "properties": {f"p{i:05d}": {"type": "string", "maxLength": i} for i in range(4000)}}
    assert contractkit.compare(big, big).compatible
    narrowed = {**big, "properties": {**big["properties"], "p00007": {"type": "string", "maxLength": 3}}}
    report = contractkit.compare(big, narrowed)
    assert not report.compatible
    (f,) = report.findings
    assert f.witness is not None and f.witness.instance == {"p00007": "aaaa"}
