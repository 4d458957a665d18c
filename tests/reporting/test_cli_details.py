"""The smaller things a first-time user trips over: help text, `make help` in a pipe, what `diff` shows
first, where a removed keyword is reported, and what codegen and check say about generated models."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import types
from collections.abc import Callable
from importlib.machinery import ModuleSpec
from pathlib import Path
from typing import Any

import pytest

from tests.gate.conftest import Repo

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ["validate", "codegen", "diff", "changelog", "check", "report", "replay", "fuzz", "init", "version add"]


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_reads_like_a_man_page(cli: Callable[..., Any], command: str) -> None:
    result = cli(*command.split(), "--help")
    assert result.exit_code == 0
    assert "<bool>" not in result.stdout and "list[" not in result.stdout
    assert not re.search(r"\{[a-z_]+\}", result.stdout), result.stdout  # arguments are OLD NEW, not {old} {new}


def test_help_names_arguments_in_capitals(cli: Callable[..., Any]) -> None:
    assert "Usage: contractkit changelog [OPTIONS] OLD NEW" in " ".join(cli("changelog", "--help").stdout.split())
    fuzz = cli("fuzz", "--help").stdout
    assert re.search(r"--version\s+-V\s+<str>\.\.\.", fuzz) and re.search(r"--header\s+-H\s+<str>\.\.\.", fuzz)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_help_has_no_colour_codes_in_a_pipe() -> None:
    proc = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60)
    assert "\x1b[" not in proc.stdout and re.search(r"^  check\s+The main job", proc.stdout, re.M)


def _write(tmp: Path, name: str, doc: Any) -> str:
    path = tmp / name
    path.write_text(json.dumps(doc))
    return str(path)


def test_diff_lists_errors_before_infos_and_can_hide_infos(cli: Callable[..., Any], tmp_path: Path) -> None:
    old = {"description": "before", "type": "object", "properties": {"a": {"type": "string", "description": "x"}}}
    new = {"description": "after", "type": "object", "properties": {"a": {"type": "string", "maxLength": 3}}}
    a, b = _write(tmp_path, "a.json", old), _write(tmp_path, "b.json", new)
    shown = cli("diff", a, b).stdout.splitlines()
    severities = [line.split()[0] for line in shown[1:] if not line.startswith("          ")]
    assert severities == ["error", "info", "info"]
    quiet = cli("diff", a, b, "--min-severity", "warning")
    assert (
        quiet.exit_code == 1
        and "info " not in quiet.stdout
        and "(2 finding(s) below warning not shown)" in quiet.stdout
    )
    data = json.loads(cli("diff", a, b, "--format", "json", "--min-severity", "error").stdout)
    assert [f["rule_id"] for f in data["findings"]] == ["max-length-added"] and data["compatible"] is False


def test_removed_schema_keyword_is_reported_where_it_was(cli: Callable[..., Any], tmp_path: Path) -> None:
    with_dialect = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "string"}
    a, b = _write(tmp_path, "a.json", with_dialect), _write(tmp_path, "b.json", {"type": "string"})
    removed = cli("diff", a, b, "--mode", "full").stdout
    added = cli("diff", b, a, "--mode", "full").stdout
    assert "annotation-changed [backward] at /$schema: $schema changed from" in removed
    assert "annotation-changed [backward] at /$schema: $schema changed from" in added


# ------------------------------------------------------------------ generated models: stale, missing, extra
def _models_repo(repo: Repo, models: Path) -> None:
    (repo.path / "pyproject.toml").write_text(f'[tool.contractkit]\nschemas = "schemas"\nmodels = "{models}"\n')


@pytest.mark.timeout(300)
def test_models_stale_says_not_yet_or_no_longer_generated(repo: Repo, cli: Callable[..., Any]) -> None:
    pytest.importorskip("datamodel_code_generator")
    _models_repo(repo, Path("models"))
    assert cli("codegen").exit_code == 0
    repo.commit("models")
    (repo.path / "models" / "v1" / "cart.py").unlink()
    (repo.path / "models" / "v0").mkdir()
    stray = repo.path / "models" / "v0" / "old.py"
    stray.write_text("# generated from schemas/v0/old.json by `contractkit codegen` — do not edit.\n")
    result = cli("check", "--format", "json", "--no-replay", "--no-fuzz", "--today", "2026-12-01")
    messages = sorted(f["message"] for f in json.loads(result.stdout)["findings"] if f["rule_id"] == "models-stale")
    assert messages == [
        "generated model v0/old.py belongs to no schema any more (codegen deletes it); run `contractkit codegen`",
        "generated model v1/cart.py does not exist yet; run `contractkit codegen`",
    ]


EMAIL_MODEL = """# generated from schemas/v1/contact.json by `contractkit codegen` — do not edit.
from pydantic import BaseModel, EmailStr


class Contact(BaseModel):
    email: EmailStr
"""


@pytest.fixture
def email_model(repo: Repo) -> Repo:
    _models_repo(repo, Path("models"))
    (repo.path / "models").mkdir()
    (repo.path / "models" / "contact.py").write_text(EMAIL_MODEL)
    repo.commit("a model with EmailStr")
    return repo


def test_check_warns_when_a_model_needs_email_validator(
    email_model: Repo, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from contractkit._extras import missing_extras

    monkeypatch.setitem(sys.modules, "email_validator", None)  # not installed, whatever this machine has
    [need] = missing_extras(email_model.path / "models")
    assert (need.type_name, need.module, need.install, need.line) == (
        "EmailStr",
        "email_validator",
        "pydantic[email]",
        2,
    )
    assert 'add "pydantic[email]" to the project\'s dependencies' in need.message("models/contact.py")
    # installed: nothing to say
    present = types.ModuleType("email_validator")
    present.__spec__ = ModuleSpec("email_validator", None)
    monkeypatch.setitem(sys.modules, "email_validator", present)
    assert missing_extras(email_model.path / "models") == []


@pytest.mark.timeout(300)
def test_codegen_and_check_say_so(repo: Repo, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("datamodel_code_generator")
    monkeypatch.setitem(sys.modules, "email_validator", None)
    repo.edit_json("v1/cart_create.json", lambda d: d["properties"].update(email={"type": "string", "format": "email"}))
    _models_repo(repo, Path("models"))
    result = cli("codegen")
    assert result.exit_code == 0
    assert (
        "warning: generated model models/v1/cart_create.py uses EmailStr, which needs email-validator" in result.stderr
    )
    repo.commit("email")
    report = json.loads(cli("check", "--format", "json", "--no-replay", "--no-fuzz", "--today", "2026-12-01").stdout)
    [warning] = [f for f in report["findings"] if f["rule_id"] == "model-needs-extra"]
    assert warning["severity"] == "warning" and warning["file"] == "models/v1/cart_create.py" and warning["line"] > 1
