"""Fuzz each served version with Schemathesis, in-process (an ASGI app) or against a deployment.

Per version: load `/<version>/openapi.json`, run the examples, coverage, fuzzing and stateful phases with
positive and negative data, apply the built-in checks plus contractkit's own (lifecycle headers, request
id echo), and turn every failing check into a FuzzFailure with its payload, seed and curl command.
A version past its sunset is not fuzzed: it is probed, every operation of a served version's document
rewritten onto its prefix (and an unknown route), and everything must answer 410 Gone.

schemathesis is imported inside the functions: `import contractkit.cli` must not load it.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import re
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from contractkit.errors import UsageError
from contractkit.fuzz._curl import DEFAULT_BASE_URL, curl_command, rebase
from contractkit.fuzz._model import FuzzFailure, FuzzResult, VersionRun
from contractkit.fuzz.lifecycle import (
    LIFECYCLE_HEADERS,
    REQUEST_ID,
    Expectation,
    check_lifecycle_headers,
    check_request_id,
)
from contractkit.fuzz.rules import FUZZER_ERROR, OPENAPI_UNAVAILABLE, SERVER_EXCEPTION, SUNSET_NOT_GONE

__all__ = ["BUILTIN_CHECKS", "SUNSET_NOT_GONE", "LiveTarget", "fuzz_versions"]

log = logging.getLogger("contractkit.fuzz")

BUILTIN_CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
)
_CK_LIFECYCLE = "contractkit_lifecycle_headers"
_CK_REQUEST_ID = "contractkit_request_id"
_RULE_OF_CHECK = {_CK_LIFECYCLE: LIFECYCLE_HEADERS, _CK_REQUEST_ID: REQUEST_ID}
_IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
_PHASES = ["examples", "coverage", "fuzzing", "stateful"]
_RESOURCE_PHASES = ["examples", "fuzzing"]

# The custom checks are registered once per process with Schemathesis (a global registry) and read what
# the current run expects from here; runs are sequential.
_EXPECTED: dict[str, Expectation] = {}
_STATE: dict[str, Any] = {
    "active": False,
    "keys": itertools.count(1),
    "nonce": "",
    "request_id": False,
    "accepted_problems": frozenset(),
}
_registered = False


@dataclass(frozen=True, slots=True)
class LiveTarget:
    """Where to send requests: an ASGI app in-process, or a deployment's base URL."""

    app: Any = None
    base_url: str | None = None

    @property
    def curl_base(self) -> str:
        return self.base_url or DEFAULT_BASE_URL


def _version_of(path: str) -> str:
    return path.lstrip("/").split("/", 1)[0]


def _register_checks() -> None:
    global _registered
    if _registered:
        return
    import schemathesis

    def contractkit_lifecycle_headers(ctx: Any, response: Any, case: Any) -> None:
        if not _STATE["active"] or _undocumented_method(response, case):
            return
        path = urlsplit(response.request.url).path
        exp = _EXPECTED.get(_version_of(path))
        if exp is None:
            return
        problems = check_lifecycle_headers(exp, path, response.headers)
        if problems:
            raise AssertionError(f"{LIFECYCLE_HEADERS}: " + "; ".join(problems))

    def contractkit_request_id(ctx: Any, response: Any, case: Any) -> None:
        if not _STATE["active"] or not _STATE["request_id"]:  # inert outside contractkit's runs, and opt-in
            return
        sent = response.request.headers.get("X-Request-ID")
        problems = check_request_id(sent, response.headers)
        if problems:
            raise AssertionError(f"{REQUEST_ID}: " + "; ".join(problems))

    def before_call(context: Any, case: Any, kwargs: Any) -> None:
        if _STATE["active"]:  # a global hook: only while contractkit fuzz runs, never in anyone else's tests
            _unique_idempotency_keys(case)

    schemathesis.check(contractkit_lifecycle_headers)
    schemathesis.check(contractkit_request_id)
    schemathesis.hook(before_call)
    _registered = True


def _undocumented_method(response: Any, case: Any) -> bool:
    """The coverage phase also sends methods an operation does not define (TRACE /v1/carts); the router's 405
    for those lies outside the documented contract, which is what the lifecycle headers are checked on."""
    operation = getattr(case, "operation", None)
    documented = str(getattr(operation, "method", case.method)).upper()
    return bool(response.status_code == 405 and str(case.method).upper() != documented)


def as_server(app: Any) -> Any:
    """Wrap an ASGI app the way a server runs it: an exception becomes a 500 response, not a crash of the
    client, so in-process runs see what a deployment's clients see (and `not_a_server_error` reports it)."""

    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        started = False

        async def tracking_send(message: Any) -> None:
            nonlocal started
            if message.get("type") == "http.response.start":
                started = True
            await send(message)

        try:
            await app(scope, receive, tracking_send)
        except Exception as exc:
            if scope.get("type") != "http":
                raise
            log.debug("the app raised %r on %s %s", exc, scope.get("method"), scope.get("path"))
            if not started:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 500,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8")],
                    }
                )
                await send({"type": "http.response.body", "body": b"Internal Server Error"})

    return wrapped


def _payload(body: bytes | None) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return body.decode("utf-8", "backslashreplace")


def _body_text(response: Any) -> str | None:
    content = getattr(response, "content", None)
    if not content:
        return None
    text = bytes(content).decode("utf-8", "backslashreplace")
    return text if len(text) <= 500 else text[:497] + "..."


def _accepted(response: Any) -> bool:
    """Whether `response` is a 4xx problem+json whose `type` the project lists in `accepted-problems`."""
    accepted = _STATE["accepted_problems"]
    if not accepted or response is None or not 400 <= int(response.status_code) < 500:
        return False
    try:
        body = json.loads(bytes(getattr(response, "content", b"") or b""))
    except ValueError:
        return False
    kind = body.get("type") if isinstance(body, dict) else None
    return isinstance(kind, str) and kind in accepted


def _flat(headers: Mapping[str, Sequence[str]]) -> list[tuple[str, str]]:
    return [(name, values[0]) for name, values in headers.items() if values]


def _collect(recorder: Any, version: str, seed: int, target: LiveTarget, result: FuzzResult, cases: set[str]) -> None:
    cases.update(recorder.cases)
    for case_id, nodes in recorder.checks.items():
        for node in nodes:
            if node.status.value != "failure" or node.failure_info is None:
                continue
            failure = node.failure_info.failure
            cid = failure.case_id or case_id
            interaction = recorder.interactions.get(cid)
            if node.name == "positive_data_acceptance" and interaction is not None and _accepted(interaction.response):
                continue
            name = _RULE_OF_CHECK.get(node.name, node.name)
            title = str(failure.title or name)
            detail = str(failure.message or "").strip()
            message = detail if name in _RULE_OF_CHECK.values() else f"{title}: {detail}" if detail else title
            if interaction is None:
                result.add(FuzzFailure(name, version, recorder.label, message, seed))
                continue
            request = interaction.request
            response = interaction.response
            result.add(
                FuzzFailure(
                    check=name,
                    version=version,
                    target=_label(recorder, cid, request),
                    message=message,
                    seed=seed,
                    payload=_payload(request.body),
                    curl=curl_command(
                        request.method, rebase(request.uri, target.curl_base), _flat(request.headers), request.body
                    ),
                    status=response.status_code if response is not None else None,
                    response=_body_text(response),
                )
            )


def _label(recorder: Any, case_id: str, request: Any) -> str:
    """The operation as documented ("POST /v1/carts/{cart_id}/items"), so one defect is reported once."""
    node = recorder.cases.get(case_id)
    operation: Any = getattr(getattr(node, "value", None), "operation", None)
    documented = getattr(operation, "method", None)
    if documented is not None and str(documented).upper() == str(request.method).upper():
        return f"{request.method} {getattr(operation, 'path', '')}"
    return f"{request.method} {urlsplit(request.uri).path}"


def _fix_code_sample(sample: str | None, target: LiveTarget, headers: Mapping[str, str]) -> str | None:
    """Schemathesis's own reproduction (for errors that have no recorded interaction), made runnable."""
    if not sample:
        return None
    sample = sample.replace("http://testserver", target.curl_base)
    auth = headers.get("Authorization")
    if auth is not None:
        scheme, sep, _ = auth.partition(" ")
        redacted = f"{scheme} $CART_API_KEY" if sep else "$CART_API_KEY"
        sample = sample.replace("'Authorization: [Filtered]'", f'"Authorization: {redacted}"')
    return sample


def _load_schema(target: LiveTarget, version: str) -> Any:
    import schemathesis

    path = f"/{version}/openapi.json"
    if target.base_url is not None:
        schema = schemathesis.openapi.from_url(target.base_url.rstrip("/") + path)
        schema.config.update(base_url=target.base_url.rstrip("/"))
        return schema
    return schemathesis.openapi.from_asgi(path, target.app)


def _accept_failed_preconditions(checks: Any) -> None:
    """A schema-valid conditional request may be answered 412 (RFC 9110 13.1: `If-Match` naming an ETag the
    resource no longer has): like 404 and 409, that is the resource's state, not a refusal of valid data, so
    `positive_data_acceptance` accepts it. A malformed `If-Match` is still for the API to refuse (4xx)."""
    from schemathesis.config import PositiveDataAcceptanceConfig

    expected = list(checks.positive_data_acceptance.expected_statuses)
    if "412" not in expected:
        checks.positive_data_acceptance = PositiveDataAcceptanceConfig(expected_statuses=[*expected, "412"])


def _too_slow() -> Any:
    from schemathesis.config import HealthCheck

    return HealthCheck.too_slow


def _unique_idempotency_keys(case: Any) -> None:
    """Make every well-formed Idempotency-Key unique before the call. The IETF draft makes reusing a key with
    another body a client error (422), so a generator that draws "0" for two different carts is not sending
    valid requests. Keys are scoped per tenant and outlive a run (24 h), so each run adds its own nonce.
    Malformed keys (negative data) are left as they are."""
    headers = getattr(case, "headers", None)
    if not headers:
        return
    for name, value in list(headers.items()):
        if name.lower() == "idempotency-key" and isinstance(value, str) and _IDEMPOTENCY_KEY.match(value):
            headers[name] = f"{value[:220]}.{_STATE['nonce']}.{next(_STATE['keys']):x}"


def _fuzz_one(
    target: LiveTarget,
    version: str,
    *,
    headers: Mapping[str, str],
    max_examples: int,
    seed: int,
    deadline: float | None,
    progress: Callable[[str], None] | None,
    result: FuzzResult,
) -> VersionRun:
    run = VersionRun(version)
    started = time.monotonic()
    try:
        schema = _load_schema(target, version)
    except Exception as exc:  # a deployment or app that does not serve the document is a finding
        kind = str(getattr(exc, "kind", ""))
        if kind.startswith(("connection", "network")) or kind == "invalid_certificate":
            raise UsageError(f"cannot reach {target.curl_base}: {' '.join(str(exc).split())[:200]}") from None
        result.add(
            FuzzFailure(
                OPENAPI_UNAVAILABLE,
                version,
                f"GET /{version}/openapi.json",
                f"could not load the OpenAPI document: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}",
                seed,
                curl=curl_command("GET", f"{target.curl_base}/{version}/openapi.json", [], None),
            )
        )
        return run
    sent = {"X-Request-ID": f"ck-fuzz-{version}-{seed}", **headers}
    schema.config.update(headers=dict(sent))
    # A run is a function of its seed: no example database (a stored failure would be replayed otherwise),
    # bounded by example counts, and no wall-clock judgement (Hypothesis's too_slow health check fails a run
    # only when the machine is busy). The target must be deterministic too: with a rate limit on, which
    # requests get 429 depends on the machine's speed.
    schema.config.generation.update(max_examples=max_examples, modes=["positive", "negative"], database="none")
    schema.config.suppress_health_check = [_too_slow()]
    schema.config.checks.update(included_check_names=[*BUILTIN_CHECKS, _CK_LIFECYCLE, _CK_REQUEST_ID])
    _accept_failed_preconditions(schema.config.checks)
    schema.config.seed = seed
    templates = _path_matchers(schema.raw_schema.get("paths", {}))
    state = _PassState(version, seed, target, headers, result, deadline, progress)
    # Pass 1: everything, on generated ids (mostly 404s on item routes). Passes 2 and 3 pin the path
    # parameters to resources the previous pass created (a cart, then an item in it), so that reads,
    # updates and deletes of real resources and their 200 bodies are checked too.
    bound: dict[str, str] = {}
    for phases in (_PHASES, _RESOURCE_PHASES, _RESOURCE_PHASES):
        if phases is not _PHASES:
            candidates = [b for b in state.created if len(b) > len(bound)]
            if not candidates:
                break
            bound = max(candidates, key=len)
            schema.config.update(parameters=dict(bound))
        schema.config.phases.update(phases=phases)
        if not _run_pass(schema, state, templates) or state.stopped:
            break
    run.cases = len(state.cases)
    run.operations = len(state.operations)
    run.seconds = time.monotonic() - started
    if bound:
        run.note = "also on created resources: " + ", ".join(sorted(bound))
    return run


@dataclass
class _PassState:
    version: str
    seed: int
    target: LiveTarget
    headers: Mapping[str, str]
    result: FuzzResult
    deadline: float | None
    progress: Callable[[str], None] | None
    cases: set[str] = field(default_factory=set)
    operations: set[str] = field(default_factory=set)
    created: list[dict[str, str]] = field(default_factory=list)  # path parameters of resources created (201)
    stopped: bool = False


def _path_matchers(paths: Mapping[str, Any]) -> list[re.Pattern[str]]:
    out = []
    for template in paths:
        pattern = re.sub(r"\\\{([A-Za-z_][A-Za-z0-9_]*)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
        if "(?P<" in pattern:
            out.append(re.compile(f"^{pattern}$"))
    return out


def _created(recorder: Any, templates: Sequence[re.Pattern[str]]) -> list[dict[str, str]]:
    """Path parameters of every resource a 201 response's Location names."""
    out = []
    for interaction in recorder.interactions.values():
        response = interaction.response
        if response is None or response.status_code != 201:
            continue
        for location in response.headers.get("location", []):
            path = urlsplit(location).path
            for matcher in templates:
                match = matcher.match(path)
                if match:
                    out.append({k: unquote(v) for k, v in match.groupdict().items()})
    return out


def _run_pass(schema: Any, state: _PassState, templates: Sequence[re.Pattern[str]]) -> bool:
    """One engine run; False when there is no time left for another."""
    from schemathesis.engine import events, from_schema

    if state.deadline is not None:
        left = state.deadline - time.monotonic()
        if left <= 0:
            state.stopped = state.result.budget_exhausted = True
            return False
        schema.config.max_time = max(1, math.ceil(left))
    stream = from_schema(schema).execute()
    version, seed, target, result = state.version, state.seed, state.target, state.result
    for event in stream:
        if state.deadline is not None and not state.stopped and time.monotonic() > state.deadline:
            state.stopped = result.budget_exhausted = True
            stream.stop()
        if isinstance(event, events.ScenarioStarted):
            if state.progress is not None and event.label:
                state.progress(f"{version} {event.phase.value:<9} {event.label}")
        elif isinstance(event, events.ScenarioFinished):
            if event.phase.value != "stateful":
                state.operations.add(event.recorder.label)
            _collect(event.recorder, version, seed, target, result, state.cases)
            state.created += _created(event.recorder, templates)
        elif isinstance(event, events.NonFatalError):
            info = event.info
            message = " ".join(f"{info.title}: {info.message}".split())[:500]
            name = SERVER_EXCEPTION if event.related_to_operation else FUZZER_ERROR
            curl = _fix_code_sample(getattr(info, "code_sample", None), target, state.headers)
            result.add(FuzzFailure(name, version, event.label, message, seed, curl=curl))
        elif isinstance(event, events.FatalError):
            error = event.exception
            result.add(FuzzFailure(FUZZER_ERROR, version, "", f"{type(error).__name__}: {error}", seed))
        elif isinstance(event, events.EngineFinished) and event.stop_reason.value == "max_time":
            state.stopped = result.budget_exhausted = True
    return not state.stopped


def _probe_gone(
    client: Any,
    version: str,
    templates: Sequence[tuple[str, str]],
    headers: Mapping[str, str],
    seed: int,
    target: LiveTarget,
    result: FuzzResult,
) -> VersionRun:
    """Every request to a version past its sunset answers 410 Gone, with and without credentials."""
    run = VersionRun(version, note="past its sunset: probed for 410 Gone, not fuzzed")
    started = time.monotonic()
    requests: list[tuple[str, str, dict[str, str], bytes | None]] = [
        ("GET", f"/{version}/openapi.json", dict(headers), None),
        ("GET", f"/{version}/no-such-route", dict(headers), None),
    ]
    for method, path in templates:
        body = b"{}" if method in ("POST", "PUT", "PATCH") else None
        extra = {"Content-Type": "application/json"} if body is not None else {}
        requests.append((method, path, {**headers, **extra}, body))
        anonymous = {k: v for k, v in headers.items() if k.lower() != "authorization"}
        requests.append((method, path, {**anonymous, **extra}, body))
    operations: set[str] = set()
    for method, path, hdrs, body in requests:
        operations.add(f"{method} {path}")
        response = client.request(method, path, headers=hdrs, content=body)
        if response.status_code != 410:
            result.add(
                FuzzFailure(
                    SUNSET_NOT_GONE,
                    version,
                    f"{method} {path}",
                    f"{version} is past its sunset but {method} {path} answered {response.status_code}, not 410 Gone",
                    seed,
                    payload=_payload(body),
                    curl=curl_command(method, target.curl_base + path, list(hdrs.items()), body),
                    status=response.status_code,
                )
            )
    run.cases = len(requests)
    run.operations = len(operations)
    run.seconds = time.monotonic() - started
    return run


def _templates(client: Any, gone: str, served: Sequence[str], headers: Mapping[str, str]) -> list[tuple[str, str]]:
    """The operations of the first served version's document, moved onto the gone version's prefix; path
    parameters filled with a placeholder (the 410 must come before any lookup)."""
    import re

    for other in served:
        response = client.get(f"/{other}/openapi.json", headers=dict(headers))
        if response.status_code != 200:
            continue
        out: list[tuple[str, str]] = []
        for path, item in sorted(response.json().get("paths", {}).items()):
            if not path.startswith(f"/{other}/"):
                continue
            concrete = re.sub(r"\{[^}]+\}", "00000000-0000-4000-8000-000000000000", path)
            for method in sorted(item):
                if method in ("get", "post", "put", "patch", "delete"):
                    out.append((method.upper(), f"/{gone}" + concrete[len(other) + 1 :]))
        return out
    return []


def fuzz_versions(
    target: LiveTarget,
    versions: Sequence[str],
    expected: Mapping[str, Expectation],
    *,
    headers: Mapping[str, str],
    max_examples: int,
    seed: int,
    deadline: float | None,
    result: FuzzResult,
    progress: Callable[[str], None] | None = None,
    done: Callable[[VersionRun], None] | None = None,
    request_id: bool = False,
    accepted_problems: Sequence[str] = (),
) -> None:
    """Fuzz (or, past the sunset, probe) each version; failures go into `result`. With `request_id`, every
    response must echo the request's `X-Request-ID` (rule `request-id-echo`; a convention the service opts
    into, `[tool.contractkit.replay] echo-request-id = true`). A 4xx problem+json answer to schema-valid data
    whose `type` is one of `accepted_problems` is a business rule the schemas cannot express (a limit on
    quantity × price), not a refusal of valid data: `positive-data-acceptance` does not count it."""
    _register_checks()
    _EXPECTED.clear()
    _EXPECTED.update(expected)
    if target.app is not None:
        target = LiveTarget(app=as_server(target.app), base_url=target.base_url)
    served = [v for v in expected if not expected[v].gone]
    _STATE.update(
        active=True,
        keys=itertools.count(1),
        nonce=uuid.uuid4().hex[:12],
        request_id=request_id,
        accepted_problems=frozenset(accepted_problems),
    )
    try:
        _fuzz_all(target, versions, expected, served, headers, max_examples, seed, deadline, result, progress, done)
    finally:
        _STATE["active"] = False
        _EXPECTED.clear()


def _fuzz_all(
    target: LiveTarget,
    versions: Sequence[str],
    expected: Mapping[str, Expectation],
    served: Sequence[str],
    headers: Mapping[str, str],
    max_examples: int,
    seed: int,
    deadline: float | None,
    result: FuzzResult,
    progress: Callable[[str], None] | None,
    done: Callable[[VersionRun], None] | None,
) -> None:
    for i, version in enumerate(versions):
        share = deadline
        if deadline is not None:
            # each version left gets an equal share of what remains, so the first cannot starve the others
            share = time.monotonic() + (deadline - time.monotonic()) / (len(versions) - i)
        if deadline is not None and time.monotonic() > deadline:
            result.budget_exhausted = True
            result.runs.append(VersionRun(version, note="skipped: time budget exhausted"))
            continue
        if expected[version].gone:
            with _client(target) as client:
                templates = _templates(client, version, served, headers)
                run = _probe_gone(client, version, templates, headers, seed, target, result)
        else:
            run = _fuzz_one(
                target,
                version,
                headers=headers,
                max_examples=max_examples,
                seed=seed,
                deadline=share,
                progress=progress,
                result=result,
            )
        result.runs.append(run)
        if done is not None:
            done(run)


def _client(target: LiveTarget) -> Any:
    if target.base_url is not None:
        import httpx

        return httpx.Client(base_url=target.base_url, timeout=30)
    from starlette.testclient import TestClient

    return TestClient(target.app, base_url=DEFAULT_BASE_URL, raise_server_exceptions=False)
