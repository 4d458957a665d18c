"""The CLI surface: grouped help, --version, examples, one-line errors with exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from contractkit import __version__
from contractkit.cli import app


def test_help_groups_commands(cli: Callable[..., object]) -> None:
    result = cli("--help")
    assert result.exit_code == 0
    assert "Schema authoring" in result.stdout and "CI gate" in result.stdout


def test_version(cli: Callable[..., object]) -> None:
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"contractkit {__version__}"


def test_every_command_has_an_example(cli: Callable[..., object]) -> None:
    names: list[tuple[str, ...]] = [(str(c.name),) for c in app.registered_commands]
    for group in app.registered_groups:
        assert group.typer_instance is not None
        names += [(str(group.name), str(c.name)) for c in group.typer_instance.registered_commands]
    assert ("init",) in names and ("version", "add") in names and ("version", "deprecate") in names
    for name in names:
        result = cli(*name, "--help")
        assert result.exit_code == 0, name
        assert "Example:" in result.stdout, f"`contractkit {' '.join(name)} --help` shows no example"


def test_validate_real_schemas(cli: Callable[..., object], repo_root: Path) -> None:
    result = cli("validate", "--schemas", repo_root / "schemas")
    assert result.exit_code == 0 and "2 versions" in result.stdout


def _write(tmp: Path, name: str, text: str) -> None:
    (tmp / name).write_text(text)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: _write(d, "v1/cart.json", "{ not json"), "v1/cart.json: malformed JSON at line 1 column 3"),
        (
            lambda d: _write(
                d, "v1/cart_item_update.json", json.dumps({"properties": {"q": {"$ref": "../nope.json"}}})
            ),
            "v1/cart_item_update.json#/properties/q/$ref: dangling $ref '../nope.json'",
        ),
        (
            lambda d: _write(d, "v2/cart_item_update.json", json.dumps({"properties": {"q": {"maxLength": "ten"}}})),
            "v2/cart_item_update.json#/properties/q/maxLength:",
        ),
        (
            lambda d: (d / "v2" / "cart.json").unlink(),
            "index.toml#/versions/1/schemas/cart: schema file 'v2/cart.json'",
        ),
    ],
    ids=["malformed-json", "dangling-ref", "invalid-keyword", "missing-file"],
)
def test_broken_schemas_exit_2_with_one_line(
    cli: Callable[..., object], schemas_copy: Path, mutate: Callable[[Path], None], expected: str
) -> None:
    mutate(schemas_copy)
    result = cli("validate", "--schemas", schemas_copy)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and expected in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_real_process_prints_no_traceback(schemas_copy: Path) -> None:
    (schemas_copy / "v1" / "cart.json").write_text("[1, 2")
    proc = subprocess.run(
        [sys.executable, "-m", "contractkit.cli", "validate", "--schemas", str(schemas_copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "malformed JSON" in proc.stderr and "Traceback" not in proc.stderr


def test_import_time_stays_light() -> None:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import contractkit.cli"], capture_output=True, text=True, check=True
    )
    imported = {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines() if "|" in line}
    assert not imported & {"fastapi", "schemathesis", "datamodel_code_generator", "service", "sqlalchemy", "hypothesis"}
