"""`contractkit fuzz` against the real cart service in-process, and against defective variants of it
(tests/fuzz/mutants.py): each defect makes the run exit 1 and is named, with a reproducer.

Small budgets and a fixed seed; each test builds its own app on a temporary SQLite database. The service's
rate limit is off: with it on, which requests are answered 429 depends on how fast the machine is, and the
responses steer Schemathesis's stateful phase and the passes on created resources, so the same seed explored
different requests on a slow and a fast run (one of them found a bug the others did not).
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import CliResult

KEY = "fuzz-key-4d2c"
AUTH = f"Authorization: Bearer {KEY}"
BASE = ("fuzz", "--max-examples", "5", "--seed", "1", "-H", AUTH)


@pytest.fixture(autouse=True)
def service_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CART_DATABASE_URL", f"sqlite:///{tmp_path / 'cart.db'}")
    monkeypatch.setenv("CART_API_KEYS", f"fuzzer:{KEY}")
    monkeypatch.setenv("CART_ACCESS_LOG", "0")
    monkeypatch.setenv("CART_RATE_LIMIT", "0")


def failures(result: CliResult) -> set[tuple[str, str]]:
    """(check, version) of every FAIL line."""
    return {(m[0], m[1]) for m in re.findall(r"^FAIL (\S+)  (\S+)  ", result.stdout, re.MULTILINE)}


@pytest.fixture(scope="module")
def baseline_v1(tmp_path_factory: pytest.TempPathFactory) -> CliResult:
    """The real service's v1, fuzzed once for the differential assertions below."""
    from typer.testing import CliRunner

    from contractkit.cli import app

    db = tmp_path_factory.mktemp("baseline") / "cart.db"
    env = {
        "CART_DATABASE_URL": f"sqlite:///{db}",
        "CART_API_KEYS": f"fuzzer:{KEY}",
        "CART_ACCESS_LOG": "0",
        "CART_RATE_LIMIT": "0",
    }
    args = [*BASE, "--version", "v1", "--app-factory", "service.app:create_app"]
    result = CliRunner().invoke(app, args, env=env, catch_exceptions=False)
    return CliResult(result.exit_code, result.stdout, result.stderr)


def test_real_service_passes(cli: Callable[..., CliResult]) -> None:
    """Both versions, every check: exit 0 (this run is what found the lossy OpenAPI documents, since fixed)."""
    result = cli(*BASE, "--app-factory", "service.app:create_app")
    assert result.exit_code == 0, result.stdout


def test_real_service_lifecycle_and_request_id_are_right(baseline_v1: CliResult) -> None:
    """What the real service gets right today, so that the mutants below are told apart from it."""
    assert "v1: 7 operation(s)" in baseline_v1.stderr
    found = failures(baseline_v1)
    assert ("request-id-echo", "v1") not in found
    assert ("not_a_server_error", "v1") not in found
    assert ("response_headers_conformance", "v1") not in found
    assert not any("missing Deprecation header" in line for line in baseline_v1.stdout.splitlines())
    # generated Idempotency-Keys are made unique per call, so no "reused with another body" 422 is blamed
    assert "idempotency-key-reused" not in baseline_v1.stdout


def test_missing_deprecation_header_is_named(cli: Callable[..., CliResult], baseline_v1: CliResult) -> None:
    result = cli(*BASE, "--version", "v1", "--app-factory", "tests.fuzz.mutants:no_deprecation_app")
    assert result.exit_code == 1
    assert ("lifecycle-headers", "v1") in failures(result)
    assert "lifecycle-headers: missing Deprecation header" in result.stdout
    # the documented-required header is also caught by Schemathesis's own check
    assert ("response_headers_conformance", "v1") in failures(result)
    assert "reproduce: curl -sS -i -X " in result.stdout
    assert '"Authorization: Bearer $CART_API_KEY"' in result.stdout
    assert KEY not in result.stdout


def test_request_id_echo_is_checked_only_where_the_project_promises_it(
    cli: Callable[..., CliResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the cart's pyproject.toml says echo-request-id = true: a v1 that drops the header is caught
    args = (*BASE, "--version", "v1", "--app-factory", "tests.fuzz.mutants:no_request_id_app")
    result = cli(*args)
    assert result.exit_code == 1
    assert ("request-id-echo", "v1") in failures(result)
    assert "request-id-echo: missing X-Request-ID header" in result.stdout
    # the same project without the promise (a contractkit.fastapi app sets no such header): not checked
    root = Path(__file__).resolve().parents[2]
    project = tmp_path / "project"
    project.mkdir()
    (project / "schemas").symlink_to(root / "schemas")
    text = (root / "pyproject.toml").read_text()
    assert "echo-request-id = true\n" in text
    (project / "pyproject.toml").write_text(text.replace("echo-request-id = true\n", ""))
    monkeypatch.chdir(project)
    monkeypatch.syspath_prepend(str(root))
    result = cli(*args)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert ("request-id-echo", "v1") not in failures(result)


def test_server_error_is_named_with_a_reproducer(cli: Callable[..., CliResult], baseline_v1: CliResult) -> None:
    result = cli(*BASE, "--version", "v1", "--app-factory", "tests.fuzz.mutants:crash_on_max_quantity_app")
    assert result.exit_code == 1
    assert ("not_a_server_error", "v1") in failures(result)
    block = result.stdout.split("FAIL not_a_server_error  v1  ", 1)[1].split("\nFAIL ", 1)[0]
    assert "status: 500" in block
    assert re.search(r'payload: \{.*"quantity": (99|[1-9][0-9]{2,})', block)
    assert "seed: 1" in block
    assert re.search(r"reproduce: curl -sS -i -X (POST|PATCH) http://127\.0\.0\.1:8000/v1/carts/", block)
    assert "--data-binary '{" in block


def test_sunset_version_that_still_answers_fails(cli: Callable[..., CliResult]) -> None:
    args = ("--version", "v1", "--today", "2027-04-01")
    good = cli(*BASE, *args, "--app-factory", "service.app:create_app")
    assert good.exit_code == 0, good.stdout
    assert "past its sunset: probed for 410 Gone" in good.stdout
    bad = cli(*BASE, *args, "--app-factory", "tests.fuzz.mutants:ignores_sunset_app")
    assert bad.exit_code == 1
    assert failures(bad) == {("sunset-not-gone", "v1")}
    assert "v1 is past its sunset but GET /v1/openapi.json answered 200, not 410 Gone" in bad.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--version", "v9"), "error: unknown version 'v9' (known: v1, v2)"),
        (
            ("--today", "2027-04-01", "--app", "service.app:app"),
            "error: --today with an in-process app needs --app-factory",
        ),
        (("--today", "tomorrow", "--app-factory", "x:y"), "error: --today expects an ISO date"),
        (("-H", "no colon"), "error: --header expects 'Name: value'"),
        (("--app", "nowhere.at.all:app"), "error: cannot import 'nowhere.at.all'"),
        (("--max-examples", "0"), "error: --max-examples must be at least 1"),
        (("--app", "a:b", "--base-url", "http://x"), "error: use only one of --app, --app-factory and --base-url"),
        (("--drift", "--base-url", "http://x"), "error: --drift is offline"),
        (("--conversions", "service.contract:conversions"), "error: --conversions only applies with --drift"),
        (("--format", "xml"), "error: --format must be text or json"),
    ],
)
def test_usage_errors_are_one_line(cli: Callable[..., CliResult], args: tuple[str, ...], message: str) -> None:
    result = cli("fuzz", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[str]:
    """The real service under a real uvicorn, on a free port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = os.environ | {
        "CART_DATABASE_URL": f"sqlite:///{tmp_path / 'deployed.db'}",
        "CART_API_KEYS": f"fuzzer:{KEY}",
        "CART_ACCESS_LOG": "0",
        "CART_RATE_LIMIT": "0",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "service.app:app", "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("uvicorn did not start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_against_a_deployment(cli: Callable[..., CliResult], deployment: str) -> None:
    result = cli(*BASE, "--version", "v1", "--base-url", deployment)
    assert "v1: 7 operation(s)" in result.stderr
    found = failures(result)
    assert result.exit_code == (1 if found else 0)
    assert not found & {("not_a_server_error", "v1"), ("lifecycle-headers", "v1"), ("request-id-echo", "v1")}
    curls = re.findall(r"reproduce: (curl .*)", result.stdout)
    assert all(f" {deployment}/v1/" in c for c in curls)


def test_unreachable_deployment_is_a_usage_error(cli: Callable[..., CliResult]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again when the block ends: nothing listens there
    result = cli(*BASE, "--base-url", f"http://127.0.0.1:{port}")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: cannot reach http://127.0.0.1:{port}")


def test_an_app_that_cannot_start_is_a_usage_error(
    cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CART_API_KEYS", "not a key list")
    result = cli(*BASE, "--app-factory", "service.app:create_app")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: could not build service.app:create_app: ConfigError: CART_API_KEYS")
    assert len(result.stderr.strip().splitlines()) == 1


def test_json_output(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    out = tmp_path / "fuzz.json"
    result = cli(
        *BASE,
        "--version",
        "v1",
        "--today",
        "2027-04-01",
        "--app-factory",
        "service.app:create_app",
        "--format",
        "json",
        "-o",
        out,
    )
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document == json.loads(out.read_text())
    assert document["ok"] is True and document["seed"] == 1 and document["failures"] == []
    assert [r["name"] for r in document["runs"]] == ["v1"]


def test_as_server_turns_an_exception_into_a_500() -> None:
    from starlette.testclient import TestClient

    from contractkit.fuzz import as_server

    async def crashing(scope: dict[str, object], receive: object, send: object) -> None:
        raise RuntimeError("boom")

    # no lifespan (no `with`): only the HTTP request reaches the app
    response = TestClient(as_server(crashing), raise_server_exceptions=True).get("/v1/anything")
    assert response.status_code == 500


def test_same_seed_same_failures(cli: Callable[..., CliResult]) -> None:
    """A failure is reproducible from its seed: two runs with the same seed find the same payloads."""
    args = ("fuzz", "--max-examples", "3", "--seed", "9", "-H", AUTH, "--version", "v1", "--format", "json")
    runs = []
    for _ in range(2):
        result = cli(*args, "--app-factory", "tests.fuzz.mutants:crash_on_max_quantity_app")
        assert result.exit_code == 1
        runs.append(
            sorted(
                (f["check"], f["target"], json.dumps(f.get("payload"), sort_keys=True))
                for f in json.loads(result.stdout)["failures"]
            )
        )
    assert runs[0] == runs[1]
    assert any(check == "not_a_server_error" for check, _, _ in runs[0])


def test_same_seed_same_requests(
    cli: Callable[..., CliResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run inside `make test` cannot flip: the same seed sends the same requests, in the same order, and
    gets the same statuses (generated ids masked), each run on a fresh database."""
    traces = []
    for run in range(2):
        monkeypatch.setenv("CART_DATABASE_URL", f"sqlite:///{tmp_path / f'run{run}.db'}")
        trace = tmp_path / f"trace{run}.txt"
        monkeypatch.setenv("CK_TRACE_FILE", str(trace))
        result = cli(*BASE, "--version", "v2", "--app-factory", "tests.fuzz.mutants:tracing_app")
        assert "v2: 7 operation(s)" in result.stderr
        traces.append(trace.read_bytes().splitlines())
    assert len(traces[0]) > 100
    assert traces[0] == traces[1]


def test_a_listed_business_rule_is_no_refusal_of_valid_data(
    cli: Callable[..., CliResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`[tool.contractkit.replay] accepted-problems`: a 4xx problem of a listed type answering schema-valid data
    is the API's business rule (the cart lists amount-too-large), not valid data refused; unlisted, it is."""
    args = (*BASE, "--version", "v2", "--app-factory", "tests.fuzz.mutants:business_rule_app")
    refused = {("positive_data_acceptance", "v2"), ("positive-data-acceptance", "v2")}
    result = cli(*args)
    assert not refused & failures(result), result.stdout
    root = Path(__file__).resolve().parents[2]
    project = tmp_path / "project"
    project.mkdir()
    (project / "schemas").symlink_to(root / "schemas")
    text = (root / "pyproject.toml").read_text()
    line = 'accepted-problems = ["https://docs.example.com/cart-api/problems/amount-too-large"]\n'
    assert line in text
    (project / "pyproject.toml").write_text(text.replace(line, ""))
    monkeypatch.chdir(project)
    monkeypatch.syspath_prepend(str(root))
    result = cli(*args)
    assert result.exit_code == 1
    assert refused & failures(result), result.stdout
    assert "amount-too-large" in result.stdout
