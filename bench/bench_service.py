"""Benchmark: add-item on v1 and v2, served three ways on the same in-memory store, side by side.

Targets, each in its own uvicorn process (one worker), each over the same `MemoryStore` + `CartService`:

- contractkit: `service.app.create_app` — the registry-driven routers, version gate, declared conversions,
  auth, lifecycle headers, metrics (the access log is switched off: it is I/O, not versioning);
- plain: a hand-written FastAPI app with one endpoint per version doing the same work (auth, v1 price
  conversion by hand, the same generated models, Location and v1 lifecycle headers, the same
  request-id/metrics middleware, fed the same version and tenant labels)
  and no versioning layer: the ratio to it is the cost of the versioning layer itself;
- bare: the same two endpoints with no middleware and no Location header: the ratio to it is the cost of
  everything the service adds (versioning, request ids, metrics, lifecycle headers);
- cadwyn: Cadwyn 9 serving the same two versions from head (v2) models with a VersionChange for v1.

Reported per target: requests/s, p50/p99 latency, and the server process's CPU time per request (from
/proc: it is what the versioning layer costs, and it moves far less than throughput when other work shares
the machine). Each target runs `--rounds` interleaved rounds; the best round counts. Then, without a
server: CPU time per in-process ASGI call, and instructions per call counted by callgrind (when valgrind
is installed), the one measure here that other work on the machine does not move.

Load: `wrk` when installed (`apt-get install wrk`), else an asyncio + httpx client (it shares the CPU with
the server, so its absolute numbers are lower; the ratios are what matter). Cadwyn lives in a throwaway
venv (.cache/bench-cadwyn), created on first run; without network it is skipped and said so.

    .venv/bin/python bench/bench_service.py [--duration 8] [--connections 16] [--targets contractkit,plain,cadwyn]

This file is also the app module the uvicorn processes load (`bench_service:<target>_app`, --factory).
"""

# No `from __future__ import annotations`: FastAPI and Cadwyn read the endpoint annotations at runtime, and
# they name classes imported inside the app factories.

import argparse
import asyncio
import contextlib
import datetime as dt
import gc
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CADWYN_VENV = ROOT / ".cache" / "bench-cadwyn"
TENANT = "bench"
KEY = "bench-key-0123456789"
N_CARTS = 2000
_NS = uuid.UUID("6f1c1f9e-2f4e-4d53-9a57-3c7f3f2b9b11")
V1_BODY = b'{"sku": "MUG01", "quantity": 2, "unit_price": 19.99}'
V2_BODY = b'{"sku": "MUG01", "quantity": 2, "unit_price": {"amount_minor": 1999, "currency": "USD"}}'


def cart_id(i: int) -> str:
    return str(uuid.uuid5(_NS, str(i)))


# --- the three apps (imported by uvicorn in the server processes) ------------------------------------------


def _seeded() -> Any:
    from service.domain import CartService
    from service.store import CartRecord, MemoryStore

    store = MemoryStore()
    now = "2026-11-25T00:00:00.000000Z"
    for i in range(N_CARTS):
        store.create_cart(CartRecord(cart_id(i), TENANT, f"cus_{i}", "USD", now, now))
    return store, CartService(store, lambda: dt.datetime.now(dt.UTC))


def contractkit_app() -> Any:
    from service.app import create_app
    from service.settings import Settings

    store, _ = _seeded()
    settings = Settings(database_url="memory:", api_keys=f"{TENANT}:{KEY}", access_log=False, rate_limit=0)
    return create_app(settings, store=store)


def plain_app() -> Any:
    """The same work as the service, by hand: auth, conversion, Location, request id, metrics; no versioning."""
    return _plain(same_ops=True)


def bare_app() -> Any:
    """The two endpoints and nothing else: no request id, no metrics, no Location header."""
    return _plain(same_ops=False)


def _plain(same_ops: bool) -> Any:
    import orjson
    from fastapi import FastAPI, Request
    from starlette.responses import JSONResponse, Response

    from service.auth import ApiKeys
    from service.models.v1.cart_item_add import CartItemAdd as V1Add
    from service.models.v2.cart_item_add import CartItemAdd as V2Add
    from service.money import major_to_minor, minor_to_major
    from service.problems import Problem, problem_response

    _, service = _seeded()
    keys = ApiKeys.parse(f"{TENANT}:{KEY}")

    @contextlib.asynccontextmanager
    async def freeze(app: FastAPI) -> Any:
        # The service's lifespan freezes its startup objects out of the GC; "plain" does the same work.
        if same_ops:
            gc.collect()
            gc.freeze()
        yield

    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, lifespan=freeze)

    @app.exception_handler(Problem)
    async def problem(request: Request, exc: Problem) -> Response:
        return problem_response(exc, request.url.path)

    def tenant_of(request: Request, version: str) -> str:
        tenant = keys.tenant_for(request.headers.get("authorization"))
        if tenant is None:
            raise Problem(401, "unauthorized", "bad key")
        info = request.scope.get("cart.info")
        if info is not None:  # what the metrics middleware reports: the per-version, per-tenant counter
            info["tenant"], info["api_version"] = tenant, version
        return tenant

    @app.get("/healthz")
    def healthz() -> Response:
        return JSONResponse({"status": "ok"})

    @app.post("/v2/carts/{cart_id}/items", status_code=201)
    def add_v2(request: Request, cart_id: str, body: V2Add) -> Response:
        added = service.add_item(tenant_of(request, "v2"), cart_id, body)
        item = added.body
        headers = None
        if same_ops:  # what the service sends on v2: Location and the item's ETag
            headers = {"Location": f"/v2/carts/{cart_id}/items/{item['id']}", "ETag": f'"{added.version}"'}
        return Response(orjson.dumps(item), status_code=201, media_type="application/json", headers=headers)

    @app.post("/v1/carts/{cart_id}/items", status_code=201)
    def add_v1(request: Request, cart_id: str, body: V1Add) -> Response:
        tenant = tenant_of(request, "v1")
        currency = service.cart_currency(tenant, cart_id)
        minor = major_to_minor(body.unit_price, currency)
        if minor is None:
            raise Problem(422, "validation-error", "too many decimals")
        req = V2Add.model_validate(
            {
                "sku": body.sku.root,
                "quantity": body.quantity,
                "unit_price": {"amount_minor": minor, "currency": currency},
            }
        )
        added = service.add_item(tenant, cart_id, req)
        item = added.body
        out = {
            "id": item["id"],
            "sku": item["sku"],
            "quantity": item["quantity"],
            "unit_price": minor_to_major(item["unit_price"]["amount_minor"], currency),
            "line_total": minor_to_major(item["line_total"]["amount_minor"], currency),
        }
        headers = None
        if same_ops:  # what the service sends on v1, written out by hand
            headers = {
                "Location": f"/v1/carts/{cart_id}/items/{item['id']}",
                "ETag": f'"{added.version}"',
                "Deprecation": "@1788220800",
                "Sunset": "Wed, 31 Mar 2027 00:00:00 GMT",
                "Link": '<https://docs.example.com/cart-api/deprecation-policy>; rel="deprecation", '
                f'</v2/carts/{cart_id}/items>; rel="successor-version"',
            }
        return Response(orjson.dumps(out), status_code=201, media_type="application/json", headers=headers)

    if same_ops:
        from service.ops import Metrics, Observability

        app.add_middleware(Observability, metrics=Metrics(), log=False)
    return app


def cadwyn_app() -> Any:
    from cadwyn import (
        Cadwyn,
        HeadVersion,
        RequestInfo,
        ResponseInfo,
        Version,
        VersionBundle,
        VersionChange,
        VersionedAPIRouter,
        convert_request_to_next_version_for,
        convert_response_to_previous_version_for,
        schema,
    )
    from fastapi import HTTPException, Request

    from service.auth import ApiKeys
    from service.models.v2.cart_item import CartItem
    from service.models.v2.cart_item_add import CartItemAdd
    from service.money import major_to_minor, minor_to_major

    _, service = _seeded()
    keys = ApiKeys.parse(f"{TENANT}:{KEY}")

    def tenant_of(headers: Any) -> str:
        tenant = keys.tenant_for(headers.get("authorization"))
        if tenant is None:
            raise HTTPException(401, "bad key")
        return tenant

    class MoneyAsMinorUnits(VersionChange):
        description = "Prices become {amount_minor, currency}; items gain gift_wrap and note."
        instructions_to_migrate_to_previous_version = (
            schema(CartItemAdd).field("unit_price").had(type=float),
            schema(CartItemAdd).field("gift_wrap").didnt_exist,
            schema(CartItemAdd).field("note").didnt_exist,
            schema(CartItem).field("unit_price").had(type=float),
            schema(CartItem).field("line_total").had(type=float),
            schema(CartItem).field("gift_wrap").didnt_exist,
            schema(CartItem).field("note").didnt_exist,
        )

        @convert_request_to_next_version_for(CartItemAdd)
        def price_up(request: RequestInfo) -> None:  # type: ignore[misc]
            tenant = tenant_of(request.headers)
            currency = service.cart_currency(tenant, request._request.path_params["cart_id"])
            minor = major_to_minor(request.body["unit_price"], currency)
            request.body["unit_price"] = {"amount_minor": minor, "currency": currency}

        @convert_response_to_previous_version_for(CartItem)
        def price_down(response: ResponseInfo) -> None:  # type: ignore[misc]
            body = response.body
            body["unit_price"] = minor_to_major(body["unit_price"]["amount_minor"], body["unit_price"]["currency"])
            body["line_total"] = minor_to_major(body["line_total"]["amount_minor"], body["line_total"]["currency"])
            body.pop("gift_wrap", None)
            body.pop("note", None)

    router = VersionedAPIRouter()

    @router.post("/{api_version}/carts/{cart_id}/items", response_model=CartItem, status_code=201)
    def add_item(request: Request, api_version: str, cart_id: str, body: CartItemAdd) -> Any:
        return service.add_item(tenant_of(request.headers), cart_id, body).body

    app = Cadwyn(
        versions=VersionBundle(HeadVersion(), Version("v2", MoneyAsMinorUnits), Version("v1")),
        api_version_location="path",
        api_version_format="string",
        api_version_parameter_name="api_version",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.generate_and_include_versioned_routers(router)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


# --- the driver --------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cadwyn_python() -> Path | None:
    python = CADWYN_VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {CADWYN_VENV} for Cadwyn ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(CADWYN_VENV)], check=True)
    # The Cadwyn app shares the cart's auth, models and money code (service/), which import contractkit from
    # the source tree (PYTHONPATH): its runtime dependencies go in too, beside Cadwyn's own.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    probe_code = "import cadwyn, uvicorn, orjson, service.auth, service.money"
    probe = subprocess.run([str(python), "-c", probe_code], capture_output=True, env=env)
    if probe.returncode != 0:
        import tomllib

        project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
        needed = [*project["dependencies"], *project["optional-dependencies"]["fastapi"]]
        pip = [str(CADWYN_VENV / "bin" / "pip"), "install", "--quiet", "cadwyn", "uvicorn", "orjson", *needed]
        if subprocess.run(pip).returncode != 0:
            return None
        if subprocess.run([str(python), "-c", probe_code], env=env).returncode != 0:
            return None
    return python


class Server:
    def __init__(self, name: str, python: Path, factory: str) -> None:
        self.name = name
        self.port = _free_port()
        env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'bench'}"}
        cmd = [str(python), "-m", "uvicorn", f"bench_service:{factory}", "--factory", "--port", str(self.port)]
        cmd += ["--log-level", "warning", "--no-access-log"]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{name} server exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{name} server did not start")

    def check(self, version: str) -> None:
        """One real request first: a benchmark of error responses would be worthless."""
        body = V1_BODY if version == "v1" else V2_BODY
        req = urllib.request.Request(
            f"{self.base}/{version}/carts/{cart_id(0)}/items",
            data=body,
            method="POST",
            headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                status = r.status
        except urllib.error.HTTPError as exc:
            raise RuntimeError(f"{self.name} {version}: {exc.code} {exc.read()[:500]!r}") from None
        assert status == 201, (self.name, version, status)

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process (all threads) so far; Linux /proc only."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


_LUA = """
local ids = {%(ids)s}
local i = 0
local headers = {["Authorization"] = "Bearer %(key)s", ["Content-Type"] = "application/json"}
local body = '%(body)s'
request = function()
  i = i + 1
  return wrk.format("POST", "/%(version)s/carts/" .. ids[(i %% #ids) + 1] .. "/items", headers, body)
end
"""


def _parse_ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(base: str, version: str, duration: float, connections: int) -> dict[str, float]:
    ids = ", ".join(f'"{cart_id(i)}"' for i in range(N_CARTS))
    body = (V1_BODY if version == "v1" else V2_BODY).decode()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(_LUA % {"ids": ids, "key": KEY, "body": body, "version": version})
        script = f.name
    try:
        out = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{int(duration)}s", "--latency", "-s", script, base],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = float(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: .*", out)
    return {
        "rps": rps,
        "requests": total,
        "p50": _parse_ms(*p50.groups()),  # type: ignore[union-attr]
        "p99": _parse_ms(*p99.groups()),  # type: ignore[union-attr]
        "non2xx": float(bad.group(1)) if bad else 0.0,
        "socket_errors": 1.0 if errors else 0.0,
    }


def run_python(base: str, version: str, duration: float, connections: int) -> dict[str, float]:
    import httpx

    body = V1_BODY if version == "v1" else V2_BODY
    headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
    latencies: list[float] = []
    non2xx = 0

    async def worker(client: httpx.AsyncClient, start: int, stop_at: float) -> None:
        nonlocal non2xx
        i = start
        while time.perf_counter() < stop_at:
            t0 = time.perf_counter()
            r = await client.post(f"/{version}/carts/{cart_id(i % N_CARTS)}/items", content=body, headers=headers)
            latencies.append((time.perf_counter() - t0) * 1000)
            non2xx += r.status_code >= 300
            i += connections

    async def main() -> float:
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        async with httpx.AsyncClient(base_url=base, limits=limits) as client:
            t0 = time.perf_counter()
            await asyncio.gather(*(worker(client, k, t0 + duration) for k in range(connections)))
            return time.perf_counter() - t0

    elapsed = asyncio.run(main())
    q = statistics.quantiles(latencies, n=100)
    return {
        "rps": len(latencies) / elapsed,
        "requests": float(len(latencies)),
        "p50": q[49],
        "p99": q[98],
        "non2xx": float(non2xx),
        "socket_errors": 0.0,
    }


def _asgi_scope(path: str, body: bytes) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"bench"),
            (b"authorization", f"Bearer {KEY}".encode()),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }


_SCOPES: dict[str, list[dict[str, Any]]] = {}


async def _drive(app: Any, version: str, requests: int) -> None:
    """`requests` add-item calls straight into the app's ASGI callable (each must answer 201)."""
    body = {"v1": V1_BODY, "v2": V2_BODY}[version]

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start" and message["status"] != 201:
            raise RuntimeError(f"{version}: status {message['status']}")

    scopes = _SCOPES.get(version)
    if scopes is None:  # built once: 2,000 uuid5 ids would otherwise be part of what is measured
        scopes = _SCOPES[version] = [_asgi_scope(f"/{version}/carts/{cart_id(i)}/items", body) for i in range(N_CARTS)]
    for i in range(requests):
        await app(dict(scopes[i % N_CARTS]), receive, send)  # a fresh scope per call: apps write into it


def asgi_cpu(names: list[str], requests: int, rounds: int) -> dict[tuple[str, str], float]:
    """CPU microseconds per add-item call straight into each app's ASGI callable, in this process.

    No HTTP server and no load generator share the measurement, so it isolates the app's own cost (the
    versioning layer's, against "plain"); every app gets the same calls, interleaved, best of `rounds`.
    """
    apps = {name: globals()[f"{name}_app"]() for name in names}

    async def timed(app: Any, version: str) -> float:
        t0 = time.process_time()
        await _drive(app, version, requests)
        return (time.process_time() - t0) / requests * 1e6

    best: dict[tuple[str, str], float] = {}
    for _ in range(rounds):
        for name, app in apps.items():
            for version in ("v1", "v2"):
                us = asyncio.run(timed(app, version))
                best[(name, version)] = min(us, best.get((name, version), float("inf")))
    return best


def instructions(names: list[str], requests: int) -> dict[tuple[str, str], float] | None:
    """Instructions per add-item call, counted by valgrind's callgrind (None when valgrind is missing).

    Each app runs in its own process under callgrind with counting off; after a warm-up the process turns
    counting on (callgrind_control), makes `requests` in-process calls, and turns it off. The count does
    not depend on what else the machine is doing: repeated runs agree to about 0.2%, where CPU time moves
    by several percent.
    """
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        return None
    out: dict[tuple[str, str], float] = {}
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'bench'}"}
    for name in names:
        for version in ("v1", "v2"):
            cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--callgrind-out-file=/dev/null"]
            cmd += [sys.executable, __file__, "--callgrind-child", name, version, str(requests)]
            run = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
            found = re.search(r"I\s+refs:\s+([\d,]+)", run.stderr)
            if run.returncode != 0 or found is None:
                print(f"callgrind: {name} {version} failed:\n{run.stderr[-2000:]}")
                return None
            out[(name, version)] = int(found.group(1).replace(",", "")) / requests
    return out


def _callgrind_child(name: str, version: str, requests: int) -> int:
    app = globals()[f"{name}_app"]()

    async def go() -> None:
        await _drive(app, version, 300)  # warm-up: first-call caches, lazily built validators
        gc.collect()
        gc.freeze()
        pid = str(os.getpid())
        subprocess.run(["callgrind_control", "--instr=on", pid], check=True, capture_output=True)
        await _drive(app, version, requests)
        subprocess.run(["callgrind_control", "--instr=off", pid], check=True, capture_output=True)

    asyncio.run(go())
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--callgrind-child"]:
        return _callgrind_child(argv[1], argv[2], int(argv[3]))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--duration", type=float, default=10.0, help="seconds of load per target and version, split over the rounds"
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds; the best round counts")
    parser.add_argument("--targets", default="contractkit,plain,bare,cadwyn")
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument(
        "--asgi-requests", type=int, default=1500, help="calls per in-process ASGI round (0: skip that part)"
    )
    parser.add_argument("--asgi-rounds", type=int, default=11)
    parser.add_argument(
        "--instructions",
        type=int,
        default=500,
        help="in-process calls counted by callgrind per app and version (0: skip; needs valgrind)",
    )
    args = parser.parse_args(argv)

    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk") is not None)
    load = run_wrk if use_wrk else run_python
    print(
        f"load generator: {'wrk' if use_wrk else 'python (httpx, asyncio)'}; {args.duration:g} s per run, "
        f"{args.connections} connections, 1 uvicorn worker per target, {os.cpu_count()} CPUs"
    )

    factories = {
        "contractkit": "contractkit_app",
        "plain": "plain_app",
        "bare": "bare_app",
        "cadwyn": "cadwyn_app",
    }
    servers: dict[str, Server] = {}
    results: dict[tuple[str, str], dict[str, float]] = {}
    try:
        for name in args.targets.split(","):
            python: Path | None = Path(sys.executable)
            if name == "cadwyn":
                python = _cadwyn_python()
                if python is None:
                    print("cadwyn: could not install it into .cache/bench-cadwyn; skipped")
                    continue
            servers[name] = Server(name, python, factories[name])
            for version in ("v1", "v2"):
                servers[name].check(version)
                load(servers[name].base, version, 1.0, args.connections)  # warm-up
        # Interleave the targets and keep each one's best round: this machine's other load moves the numbers,
        # and interleaving spreads that noise over all targets instead of penalising whichever ran last.
        for _ in range(args.rounds):
            for name, server in servers.items():
                for version in ("v1", "v2"):
                    cpu0 = server.cpu_seconds()
                    r = load(server.base, version, args.duration / args.rounds, args.connections)
                    r["cpu_us"] = (server.cpu_seconds() - cpu0) / r["requests"] * 1e6
                    cpu_best = min(r["cpu_us"], results.get((name, version), {}).get("cpu_us", float("inf")))
                    best = results.get((name, version))
                    if best is None or r["rps"] > best["rps"]:
                        results[(name, version)] = r
                    results[(name, version)]["cpu_us"] = cpu_best
    finally:
        for server in servers.values():
            server.stop()

    head = f"{'target':<12} {'version':<8} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'server CPU us/req':>18}"
    print(f"\n{head} {'non-2xx':>8}")
    for (name, version), r in results.items():
        print(
            f"{name:<12} {version:<8} {r['rps']:>9.0f} {r['p50']:>8.2f} {r['p99']:>8.2f} {r['cpu_us']:>18.0f}"
            f" {int(r['non2xx']):>8}"
        )
    print()
    for version in ("v1", "v2"):
        ck = results.get(("contractkit", version))
        for other in ("plain", "bare", "cadwyn"):
            theirs = results.get((other, version))
            if ck and theirs:
                ratio = ck["rps"] / theirs["rps"]
                cost = ck["cpu_us"] / theirs["cpu_us"] - 1
                print(
                    f"{version}: contractkit vs {other:<7} throughput {ratio:5.2f}x, server CPU per request"
                    f" {cost:+6.1%}, p50 {ck['p50'] / theirs['p50']:.2f}x, p99 {ck['p99'] / theirs['p99']:.2f}x"
                )
    if args.asgi_requests:
        gc.collect()
        gc.freeze()  # as the service's lifespan does; the same for every app measured here
        local = [n for n in ("contractkit", "plain", "bare") if n in args.targets.split(",")]
        cpu = asgi_cpu(local, args.asgi_requests, args.asgi_rounds)
        print(
            "\nIn-process ASGI calls (no server, no load generator), CPU us per add-item,"
            f" best of {args.asgi_rounds} interleaved rounds:"
        )
        for (name, version), us in cpu.items():
            print(f"  {name:<12} {version}  {us:7.1f}")
        for version in ("v1", "v2"):
            for other in ("plain", "bare"):
                if ("contractkit", version) in cpu and (other, version) in cpu:
                    cost = cpu[("contractkit", version)] / cpu[(other, version)] - 1
                    print(f"  {version}: contractkit vs {other:<6} {cost:+6.1%} CPU per request")

    if args.instructions:
        local = [n for n in ("contractkit", "plain") if n in args.targets.split(",")]
        counts = instructions(local, args.instructions)
        if counts is None:
            print("\nInstruction counts: skipped (valgrind is not installed: apt-get install valgrind)")
        else:
            print(f"\nInstructions per in-process add-item (callgrind, {args.instructions} calls, deterministic):")
            for (name, version), n in counts.items():
                print(f"  {name:<12} {version}  {n:11,.0f}")
            for version in ("v1", "v2"):
                if ("contractkit", version) in counts and ("plain", version) in counts:
                    cost = counts[("contractkit", version)] / counts[("plain", version)] - 1
                    print(f"  {version}: contractkit vs plain  {cost:+6.1%} instructions per request")

    failed = any(r["non2xx"] or r["socket_errors"] for r in results.values())
    if failed:
        print("WARNING: some runs had non-2xx responses or socket errors; their numbers are not comparable")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
