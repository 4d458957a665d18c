"""Hostile input to the CLI: each case finishes within a bound with a clear error or a correct answer.

The bound is pytest-timeout's (a guard against hangs, not a speed claim; speed lives in bench/).
Runs as root in CI, where file permissions do not stop reads, so "unreadable" is exercised with what
root cannot read either: a directory where a file is expected, a dangling symlink, bytes that are not UTF-8.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

INDEX = '[[versions]]\nname = "v1"\nstatus = "stable"\nreleased = 2026-01-01\n[versions.schemas]\na = "a.json"\n'


def registry(tmp: Path, text: str | bytes) -> Path:
    root = tmp / "schemas"
    root.mkdir()
    (root / "index.toml").write_text(INDEX)
    if isinstance(text, bytes):
        (root / "a.json").write_bytes(text)
    else:
        (root / "a.json").write_text(text)
    return root


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "contractkit.cli", *args], capture_output=True, text=True, check=False, timeout=120
    )


def assert_one_line_error(proc: subprocess.CompletedProcess[str], needle: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stdout[-500:], proc.stderr[-500:])
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], proc.stderr[-500:]


@pytest.mark.timeout(60)
def test_ten_thousand_properties(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {f"p{i}": {"type": "string"} for i in range(10_000)}}
    proc = run("validate", "--schemas", str(registry(tmp_path, json.dumps(schema))))
    assert proc.returncode == 0 and "1 schema files valid" in proc.stdout


@pytest.mark.timeout(60)
def test_ref_cycle(tmp_path: Path) -> None:
    schema = {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}
    assert_one_line_error(run("validate", "--schemas", str(registry(tmp_path, json.dumps(schema)))), "$ref cycle")


@pytest.mark.timeout(60)
def test_cross_file_ref_cycle(tmp_path: Path) -> None:
    root = registry(tmp_path, json.dumps({"$ref": "b.json"}))
    (root / "b.json").write_text(json.dumps({"$ref": "a.json"}))
    assert_one_line_error(run("validate", "--schemas", str(root)), "$ref cycle")


@pytest.mark.timeout(60)
@pytest.mark.parametrize("depth", [100_000, 2_000])
def test_deeply_nested_combinators(tmp_path: Path, depth: int) -> None:
    text = '{"allOf": [' * depth + "{}" + "]}" * depth
    assert_one_line_error(run("validate", "--schemas", str(registry(tmp_path, text))), "nested too deeply")


@pytest.mark.timeout(60)
def test_redos_pattern_is_valid_and_fast(tmp_path: Path) -> None:
    schema = {"type": "string", "pattern": "^(a+)+$"}
    proc = run("validate", "--schemas", str(registry(tmp_path, json.dumps(schema))))
    assert proc.returncode == 0


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_fifty_megabyte_schema(tmp_path: Path) -> None:
    props = {f"p{i}": {"type": "string", "description": "x" * 400} for i in range(120_000)}
    text = json.dumps({"type": "object", "properties": props})
    assert len(text) > 50_000_000
    proc = run("validate", "--schemas", str(registry(tmp_path, text)))
    assert proc.returncode == 0, proc.stderr[-500:]


@pytest.mark.timeout(60)
def test_directory_where_a_file_is_expected(tmp_path: Path) -> None:
    root = registry(tmp_path, "{}")
    (root / "a.json").unlink()
    (root / "a.json").mkdir()
    assert_one_line_error(run("validate", "--schemas", str(root)), "index.toml#/versions/0/schemas/a")


@pytest.mark.timeout(60)
def test_dangling_symlink(tmp_path: Path) -> None:
    root = registry(tmp_path, json.dumps({"$ref": "b.json"}))
    (root / "b.json").symlink_to(tmp_path / "nowhere.json")
    assert_one_line_error(run("validate", "--schemas", str(root)), "a.json#/$ref: dangling $ref 'b.json'")


@pytest.mark.timeout(60)
def test_not_utf8(tmp_path: Path) -> None:
    assert_one_line_error(run("validate", "--schemas", str(registry(tmp_path, b'{"title": "\xff\xfe"}'))), "not UTF-8")


@pytest.mark.timeout(60)
def test_schema_directory_missing(tmp_path: Path) -> None:
    assert_one_line_error(run("validate", "--schemas", str(tmp_path / "nope")), "schema directory not found")


# --- the same hostility through `contractkit diff` (the engine) ---------------------------------------------


def write(tmp: Path, name: str, schema: object) -> str:
    path = tmp / name
    path.write_text(json.dumps(schema) if not isinstance(schema, str) else schema)
    return str(path)


@pytest.mark.timeout(120)
def test_diff_ten_thousand_properties_is_correct(tmp_path: Path) -> None:
    old = {"type": "object", "properties": {f"p{i}": {"type": "string"} for i in range(10_000)}}
    new = json.loads(json.dumps(old))
    new["properties"]["p9999"]["maxLength"] = 5
    proc = run("diff", write(tmp_path, "old.json", old), write(tmp_path, "new.json", new), "--format", "json")
    assert proc.returncode == 1, proc.stderr[-300:]
    report = json.loads(proc.stdout)
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert [f["rule_id"] for f in errors] == ["max-length-added"]
    assert len(errors[0]["witness"]["instance"]["p9999"]) > 5


@pytest.mark.timeout(60)
def test_diff_ref_cycle_is_an_input_error(tmp_path: Path) -> None:
    cycle = {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}
    proc = run("diff", write(tmp_path, "old.json", cycle), write(tmp_path, "new.json", {"type": "string"}))
    assert_one_line_error(proc, "$ref cycle")


@pytest.mark.timeout(60)
def test_diff_recursive_schema_is_decided(tmp_path: Path) -> None:
    old = {"type": "object", "properties": {"next": {"$ref": "#"}}}
    new = {"type": "object", "properties": {"next": {"$ref": "#"}, "v": {"type": "integer"}}, "required": ["v"]}
    proc = run("diff", write(tmp_path, "old.json", old), write(tmp_path, "new.json", new), "--format", "json")
    assert proc.returncode == 1
    errors = {f["rule_id"] for f in json.loads(proc.stdout)["findings"] if f["severity"] == "error"}
    # in an open object, a new typed property narrows what old writers could send ({"v": "x"}), and so does
    # requiring it ({})
    assert errors == {"property-added", "property-became-required"}


@pytest.mark.timeout(60)
def test_diff_redos_patterns_finish(tmp_path: Path) -> None:
    old = {"type": "string", "pattern": "^(a+)+$"}
    new = {"type": "string", "pattern": "^(a|aa)+$"}
    proc = run("diff", write(tmp_path, "old.json", old), write(tmp_path, "new.json", new), "--format", "json")
    # equal languages written differently: the engine may not prove it, but it must answer, and not "compatible"
    # unless it proved it
    assert proc.returncode in (0, 1), proc.stderr[-300:]
    report = json.loads(proc.stdout)
    assert report["compatible"] is (proc.returncode == 0)


@pytest.mark.timeout(60)
def test_diff_deeply_nested_combinators(tmp_path: Path) -> None:
    depth = 2_000
    text = '{"anyOf": [' * depth + '{"type": "string"}' + "]}" * depth
    proc = run("diff", write(tmp_path, "old.json", text), write(tmp_path, "new.json", {"type": "string"}))
    assert_one_line_error(proc, "nested too deeply")


# ------------------------------------------------------------------ no tracebacks, and no lost reports
ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = str(ROOT / "schemas")
CHECK = (sys.executable, "-m", "contractkit.cli", "check", "--no-codegen", "--no-replay", "--no-fuzz")


@pytest.mark.timeout(60)
@pytest.mark.parametrize("depth", [2_000])
def test_deep_nesting_names_the_file(tmp_path: Path, depth: int) -> None:
    text = '{"allOf": [' * depth + "{}" + "]}" * depth
    proc = run("diff", write(tmp_path, "deep.json", text), write(tmp_path, "flat.json", {"type": "string"}))
    assert_one_line_error(proc, "deep.json: ")
    (tmp_path / "r").mkdir()
    proc = run("validate", "--schemas", str(registry(tmp_path / "r", text)))
    assert_one_line_error(proc, "a.json: ")  # the registry names the file itself


@pytest.mark.timeout(60)
def test_diff_a_directory_says_so(tmp_path: Path) -> None:
    (tmp_path / "adir").mkdir()
    proc = run("diff", str(tmp_path / "adir"), write(tmp_path, "a.json", {"type": "string"}))
    assert_one_line_error(proc, "adir: is a directory, not a schema file")


@pytest.mark.timeout(120)
def test_output_into_a_missing_directory_keeps_the_report(tmp_path: Path) -> None:
    """check -o /nonexistent/dir/r.md: one line, exit 2, and the finished report on stdout instead."""
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    subprocess.run(["cp", "-r", SCHEMAS, str(repo / "schemas")], check=True)
    git = ["git", "-C", str(repo), "-c", "user.email=ci@example.com", "-c", "user.name=CI"]
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    target = tmp_path / "nonexistent" / "dir" / "r.md"
    proc = subprocess.run(
        [*CHECK, "--format", "markdown", "-o", str(target)],
        capture_output=True,
        text=True,
        cwd=repo,
        check=False,
        timeout=120,
    )
    assert_one_line_error(proc, f"cannot write the report to {target}: No such file or directory; it was printed")
    assert proc.stdout.startswith("## ✅ contractkit: passed") and not target.exists()


def test_output_is_written_atomically(tmp_path: Path) -> None:
    """A report that can be written replaces the old one whole, with no temporary file left behind."""
    from contractkit.cli._output import write_report

    target = tmp_path / "r.md"
    target.write_text("old report\n")
    target.chmod(0o640)
    write_report("new report\n", target)
    assert target.read_text() == "new report\n" and (target.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.md"]


@pytest.mark.timeout(60)
def test_full_stdout_is_one_line(tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "contractkit.cli", "diff", "cart@v1", "cart@v2", "--schemas", SCHEMAS],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=60,
        )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert lines == ["error: cannot write to standard output: No space left on device"], proc.stderr


@pytest.mark.timeout(60)
def test_closed_stdout_is_one_line() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "contractkit.cli", "diff", "cart@v1", "cart@v2", "--schemas", SCHEMAS],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=60,
        preexec_fn=lambda: __import__("os").close(1),
    )
    assert_one_line_error(proc, "standard output is closed")


@pytest.mark.timeout(60)
def test_reader_that_goes_away_is_one_line() -> None:
    """`contractkit changelog v1 v2 | head -1`: a broken pipe, one line, exit 2, no 'Exception ignored'."""
    with subprocess.Popen(
        [sys.executable, "-m", "contractkit.cli", "changelog", "v1", "v2", "--schemas", SCHEMAS],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # the reader is gone before the first byte
        err = proc.stderr.read()
        assert proc.wait(timeout=60) == 2
    assert "Traceback" not in err and "Exception ignored" not in err
    assert err.strip() == "error: standard output was closed while printing (broken pipe)"


@pytest.mark.timeout(60)
def test_missing_extra_names_it() -> None:
    """fuzz --drift without the [fuzz] extra (schemathesis made unimportable in the child process)."""
    code = (
        "import sys; sys.modules['schemathesis'] = None; sys.modules['hypothesis'] = None\n"
        "from contractkit.cli import main\n"
        f"sys.argv = ['contractkit', 'fuzz', '--drift', '--schemas', {SCHEMAS!r}, '--max-examples', '1']\n"
        "main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60)
    assert_one_line_error(proc, "schemathesis is not installed (install contractkit-http[fuzz])")


FUZZ_DRIFT = (sys.executable, "-m", "contractkit.cli", "fuzz", "--drift", "--max-examples", "2", "--seed", "1")
KEPT = "it was printed on standard output instead"


@pytest.mark.timeout(120)
def test_fuzz_output_into_a_missing_directory_keeps_the_result(tmp_path: Path) -> None:
    target = tmp_path / "nonexistent" / "f.json"
    proc = subprocess.run(
        [*FUZZ_DRIFT, "--format", "json", "-o", str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and not target.exists()
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: cannot write the JSON result to {target}: No such file or directory; {KEPT}"]
    first, second = proc.stdout.split("\n}\n", 1)  # printed (--format json), then the result that was not written
    assert json.loads(first + "}")["seed"] == 1 and json.loads(second)["seed"] == 1
