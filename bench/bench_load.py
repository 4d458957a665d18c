"""Load and memory: N concurrent clients against the cart service under uvicorn, on SQLite.

    .venv/bin/python bench/bench_load.py [--connections 32] [--duration 60] [--requests 100000]

One uvicorn worker serves the real app (SQLite file in a temp dir, WAL, access log on, written to a
file that is read back at the end to name the status of every non-2xx answer). 32 carts with 10 items
each are seeded; then a mix of v1 and v2 reads and quantity updates (PATCH, a real write per request)
runs for `--duration` seconds after a 10-second warm-up, and goes on until at least `--requests`
requests were served after warm-up. Reported: requests/s, p50/p99 latency, errors (non-2xx and socket
errors: the target is zero) and the server's resident memory after warm-up and at the end (the target
is growth under 10%). The load generator is wrk when installed, else an asyncio client (which shares
the two cores with the server: its absolute numbers are lower).
This is a benchmark, not a test: it prints, it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEY = "load-key"
HEADERS = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def call(base: str, method: str, path: str, body: object | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method, headers=HEADERS)
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read() or b"{}")


def seed(base: str, carts: int, items: int) -> list[tuple[str, str]]:
    pairs = []
    for c in range(carts):
        cart = call(base, "POST", "/v2/carts", {"customer_id": f"load-{c}", "currency": "USD"})
        for i in range(items):
            item = call(
                base,
                "POST",
                f"/v2/carts/{cart['id']}/items",
                {"sku": f"SKU{i:03d}", "quantity": 1, "unit_price": {"amount_minor": 100 + i, "currency": "USD"}},
            )
            pairs.append((cart["id"], item["id"]))
    return pairs


LUA = r"""
local pairs_ = {}
for line in io.lines("%(ids)s") do
  local c, i = line:match("([^,]+),([^,]+)")
  table.insert(pairs_, {c, i})
end
local n = 0
request = function()
  n = n + 1
  local p = pairs_[(n %% #pairs_) + 1]
  local v = (n %% 2 == 0) and "v1" or "v2"
  local headers = {["Authorization"] = "Bearer %(key)s", ["Content-Type"] = "application/json"}
  local r = n %% 10
  if r < 6 then
    return wrk.format("PATCH", "/" .. v .. "/carts/" .. p[1] .. "/items/" .. p[2], headers,
                      '{"quantity": ' .. ((n %% 50) + 1) .. '}')
  elseif r < 9 then
    return wrk.format("GET", "/" .. v .. "/carts/" .. p[1], headers)
  else
    return wrk.format("GET", "/" .. v .. "/carts/" .. p[1] .. "/items/" .. p[2], headers)
  end
end
"""


def run_wrk(base: str, script: Path, connections: int, seconds: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency", "-s", str(script), base],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def unit(v: str, u: str) -> float:
        return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[u]

    lat = {
        m.group(1): unit(m.group(2), m.group(3)) for m in re.finditer(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)", out, re.M)
    }
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(int(x) for x in sock.groups()) if sock else 0)
    detail = (non2xx.group(0) if non2xx else "") + (" " + sock.group(0) if sock else "")
    return {
        "requests": total,
        "seconds": seconds,
        "p50": lat.get("50"),
        "p99": lat.get("99"),
        "errors": errors,
        "detail": detail.strip(),
    }


async def run_python(base: str, pairs: list[tuple[str, str]], connections: int, seconds: int) -> dict:
    import httpx

    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def worker(client: httpx.AsyncClient, k: int) -> None:
        nonlocal errors
        n = k
        while time.perf_counter() < deadline:
            n += connections
            cart, item = pairs[n % len(pairs)]
            v = "v1" if n % 2 == 0 else "v2"
            t = time.perf_counter()
            try:
                if n % 10 < 6:
                    r = await client.patch(f"/{v}/carts/{cart}/items/{item}", json={"quantity": n % 50 + 1})
                else:
                    r = await client.get(f"/{v}/carts/{cart}")
                if r.status_code >= 300:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append((time.perf_counter() - t) * 1000)

    async with httpx.AsyncClient(
        base_url=base, headers=HEADERS, timeout=30, limits=httpx.Limits(max_connections=connections)
    ) as client:
        await asyncio.gather(*(worker(client, k) for k in range(connections)))
    q = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "seconds": seconds, "p50": q[49], "p99": q[98], "errors": errors}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--duration", type=int, default=60)
    ap.add_argument("--requests", type=int, default=100_000)
    ap.add_argument("--warmup", type=int, default=10)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="contractkit-load-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "CART_DATABASE_URL": f"sqlite:///{tmp}/load.db",
        "CART_API_KEYS": f"load:{KEY}",
        "CART_RATE_LIMIT": "0",
    }
    log = (tmp / "server.log").open("wb")  # the access log and any warnings, read back for the error report
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "service.app:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        pairs = seed(base, 32, 10)
        ids = tmp / "ids.csv"
        ids.write_text("\n".join(f"{c},{i}" for c, i in pairs) + "\n")
        script = tmp / "mix.lua"
        script.write_text(LUA % {"ids": ids, "key": KEY})
        use_wrk = shutil.which("wrk") is not None

        def load(seconds: int) -> dict:
            if use_wrk:
                return run_wrk(base, script, args.connections, seconds)
            return asyncio.run(run_python(base, pairs, args.connections, seconds))

        load(args.warmup)
        rss_start = rss_kib(server.pid)
        rounds = [load(args.duration)]
        while sum(r["requests"] for r in rounds) < args.requests:
            rounds.append(load(max(10, args.duration // 2)))
        rss_end = rss_kib(server.pid)
        total = sum(r["requests"] for r in rounds)
        seconds = sum(r["seconds"] for r in rounds)
        errors = sum(r["errors"] for r in rounds)
        growth = (rss_end - rss_start) / rss_start * 100 if rss_start else float("nan")
        print(f"load generator: {'wrk' if use_wrk else 'asyncio+httpx'}, {args.connections} connections, SQLite")
        print(
            f"first {args.duration}s round: {rounds[0]['requests'] / rounds[0]['seconds']:.0f} req/s, "
            f"p50 {rounds[0]['p50']:.1f} ms, p99 {rounds[0]['p99']:.1f} ms"
        )
        print(
            f"after warm-up: {total} requests in {seconds}s ({total / seconds:.0f} req/s), errors: {errors} "
            f"[target 0: {'met' if errors == 0 else 'MISSED'}]"
        )
        for i, r in enumerate(rounds, 1):
            if r["errors"]:
                print(f"  round {i}: {r.get('detail') or r['errors']}")
        log.flush()
        statuses, warnings = _server_log(tmp / "server.log")
        if statuses:
            print("  server answered: " + ", ".join(f"{n} x {code}" for code, n in sorted(statuses.items())))
        for line in warnings[:5]:
            print(f"  server: {line}")
        print(
            f"server RSS: {rss_start / 1024:.1f} MiB after warm-up -> {rss_end / 1024:.1f} MiB "
            f"({growth:+.1f}%) [target < 10%: {'met' if growth < 10 else 'MISSED'}]"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


def _server_log(path: Path) -> tuple[dict[int, int], list[str]]:
    """Statuses of the non-2xx answers in the server's access log, and its other (non-request) lines."""
    statuses: dict[int, int] = {}
    warnings: list[str] = []
    for line in path.read_text(errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if isinstance(record, dict) and record.get("event") == "request":
            status = record.get("status")
            if isinstance(status, int) and status >= 300:
                statuses[status] = statuses.get(status, 0) + 1
        elif line.strip():
            warnings.append(line.strip()[:300])
    return statuses, warnings


if __name__ == "__main__":
    random.seed(0)
    main()
