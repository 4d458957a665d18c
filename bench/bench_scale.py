"""Add-item throughput and latency for 1 and 2 instances, on SQLite and on PostgreSQL, side by side.

    .venv/bin/python bench/bench_scale.py [--connections 32] [--duration 10] [--rounds 2]

Each configuration gets a fresh database (a SQLite file in a temp dir; a new PostgreSQL database on the
local server, dropped afterwards), migrated once with `python -m service.migrate`, then N uvicorn instances
(one worker each, CART_MIGRATE_ON_STARTUP=0, rate limit and access log off). Same durability on both
backends: a 201 is on disk before it is sent (SQLite WAL with synchronous=FULL; PostgreSQL fsync and
synchronous_commit on, checked and printed). The load is wrk's (one wrk process per instance, the
connections split evenly: a load balancer's share): `POST /v2/carts/{id}/items` with a unique Idempotency-Key
per request, rotating over pre-created carts so no cart fills up. The configurations run in interleaved
rounds (after a warm-up), so the machine's background load falls on all of them alike; the best round of
each is reported, with every round listed. With two instances the p50/p99 shown are the slower instance's.
This is a benchmark, not a test: it prints, it asserts nothing. It needs wrk (Debian package `wrk`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEY = "scale-key"
HEADERS = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
PG_ADMIN = "postgresql+psycopg://postgres@localhost/test"

LUA = r"""
local carts = {}
for line in io.lines("%(ids)s") do table.insert(carts, line) end
local n = 0
local headers = {["Authorization"] = "Bearer %(key)s", ["Content-Type"] = "application/json"}
local body = '{"sku": "MUG01", "quantity": 1, "unit_price": {"amount_minor": 1999, "currency": "EUR"}}'
request = function()
  n = n + 1
  headers["Idempotency-Key"] = "%(tag)s-" .. n
  return wrk.format("POST", "/v2/carts/" .. carts[(n %% #carts) + 1] .. "/items", headers, body)
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def call(base: str, path: str, body: object) -> dict:
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST", headers=HEADERS)
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


@dataclass
class Config:
    backend: str
    instances: int
    rounds: list[dict] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.backend}, {self.instances} instance{'s' if self.instances > 1 else ''}"


class Deployment:
    """A fresh database and N uvicorn instances on it, with carts for the load to rotate over."""

    def __init__(self, backend: str, instances: int, tmp: Path, carts: int) -> None:
        self.tmp = tmp
        self.procs: list[subprocess.Popen[bytes]] = []
        self.db_name: str | None = None
        if backend == "sqlite":
            url = f"sqlite:///{tmp}/scale.db"
        else:
            self.db_name = f"bench_scale_{uuid.uuid4().hex[:10]}"
            _pg_admin(f'CREATE DATABASE "{self.db_name}"')
            url = PG_ADMIN.rsplit("/", 1)[0] + f"/{self.db_name}"
        env = {
            **os.environ,
            "CART_DATABASE_URL": url,
            "CART_API_KEYS": f"scale:{KEY}",
            "CART_RATE_LIMIT": "0",
            "CART_ACCESS_LOG": "0",
            "CART_MIGRATE_ON_STARTUP": "0",
        }
        subprocess.run([sys.executable, "-m", "service.migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
        self.bases = []
        for i in range(instances):
            port = free_port()
            log = (tmp / f"server{i}.log").open("wb")
            cmd = [sys.executable, "-m", "uvicorn", "service.app:app", "--port", str(port)]
            cmd += ["--log-level", "warning", "--no-access-log"]
            self.procs.append(subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
            self.bases.append(f"http://127.0.0.1:{port}")
        for base in self.bases:
            for _ in range(300):
                try:
                    urllib.request.urlopen(base + "/readyz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
        self.scripts = []
        for i, base in enumerate(self.bases):
            ids = tmp / f"carts{i}.txt"
            made = [call(base, "/v2/carts", {"customer_id": f"bench-{i}-{c}", "currency": "EUR"}) for c in range(carts)]
            ids.write_text("\n".join(c["id"] for c in made) + "\n")
            script = tmp / f"additem{i}.lua"
            script.write_text(LUA % {"ids": ids, "key": KEY, "tag": f"{uuid.uuid4().hex[:8]}-{i}"})
            self.scripts.append(script)

    def load(self, connections: int, seconds: int) -> dict:
        """One wrk per instance, at once; the sum of their requests, the slower one's percentiles."""
        share = max(1, connections // len(self.bases))
        procs = [
            subprocess.Popen(
                ["wrk", "-t1", f"-c{share}", f"-d{seconds}s", "--timeout", "10s", "--latency", "-s", str(s), base],
                stdout=subprocess.PIPE,
                text=True,
            )
            for base, s in zip(self.bases, self.scripts, strict=True)
        ]
        results = [_parse_wrk(p.communicate()[0]) for p in procs]
        return {
            "rps": sum(r["requests"] for r in results) / seconds,
            "p50": max(r["p50"] for r in results),
            "p99": max(r["p99"] for r in results),
            "errors": sum(r["errors"] for r in results),
            "detail": "; ".join(r["detail"] for r in results if r["detail"]),
        }

    def close(self) -> None:
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=10)
        if self.db_name is not None:
            _pg_admin(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')

    def errors_logged(self) -> list[str]:
        out = []
        for log in sorted(self.tmp.glob("server*.log")):
            out += [line for line in log.read_text(errors="replace").splitlines() if "Error" in line]
        return out


def _pg_admin(sql: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(sql)
    finally:
        engine.dispose()


def _pg_durability() -> str | None:
    import sqlalchemy as sa

    engine = sa.create_engine(PG_ADMIN)
    try:
        with engine.connect() as conn:
            fsync = conn.exec_driver_sql("SHOW fsync").scalar()
            sync = conn.exec_driver_sql("SHOW synchronous_commit").scalar()
        return f"fsync={fsync}, synchronous_commit={sync}"
    except Exception as exc:
        print(f"PostgreSQL not reachable at {PG_ADMIN}: {type(exc).__name__}; PostgreSQL rows skipped")
        return None
    finally:
        engine.dispose()


def _parse_wrk(out: str) -> dict:
    def unit(v: str, u: str) -> float:
        return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[u]

    percentiles = re.finditer(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)", out, re.M)
    lat = {m.group(1): unit(m.group(2), m.group(3)) for m in percentiles}
    total = re.search(r"(\d+) requests in", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(int(x) for x in sock.groups()) if sock else 0)
    return {
        "requests": int(total.group(1)) if total else 0,
        "p50": lat.get("50", float("nan")),
        "p99": lat.get("99", float("nan")),
        "errors": errors,
        "detail": ((non2xx.group(0) if non2xx else "") + (" " + sock.group(0) if sock else "")).strip(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--duration", type=int, default=10, help="seconds per round")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--backends", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        print("bench_scale: wrk is not installed (apt-get install wrk); skipped")
        return
    wanted = set(args.backends.split(","))
    durability = _pg_durability() if "postgres" in wanted else None
    backends = [b for b in ("sqlite", "postgres") if b in wanted and (b == "sqlite" or durability)]
    configs = [Config(b, n) for b in backends for n in (1, 2)]
    # enough carts that no cart reaches its 100 lines: generously 1,500 add-items/s per deployment
    carts = max(50, (args.warmup + args.duration * args.rounds) * 1500 // 90 // 2)
    tmp = Path(tempfile.mkdtemp(prefix="contractkit-scale-"))
    deployments: dict[str, Deployment] = {}
    try:
        for c in configs:  # all deployments up at once, so the rounds can interleave
            (tmp / c.name.replace(", ", "-")).mkdir()
            deployments[c.name] = Deployment(c.backend, c.instances, tmp / c.name.replace(", ", "-"), carts)
            deployments[c.name].load(args.connections, args.warmup)
        for r in range(args.rounds):
            order = configs if r % 2 == 0 else list(reversed(configs))
            for c in order:
                c.rounds.append(deployments[c.name].load(args.connections, args.duration))
        print(
            f"add-item (POST /v2/carts/{{id}}/items with Idempotency-Key), wrk, {args.connections} connections, "
            f"{args.rounds} rounds of {args.duration} s; durability: SQLite WAL+synchronous=FULL"
            + (f", PostgreSQL {durability}" if durability else "")
        )
        print(f"{'configuration':<24} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}   rounds (req/s)")
        best: dict[str, dict] = {}
        for c in configs:
            b = max(c.rounds, key=lambda x: x["rps"])
            best[c.name] = b
            every = ", ".join(f"{x['rps']:.0f}" for x in c.rounds)
            errors = sum(x["errors"] for x in c.rounds)
            print(f"{c.name:<24} {b['rps']:>8.0f} {b['p50']:>8.1f} {b['p99']:>8.1f} {errors:>7}   {every}")
            for x in c.rounds:
                if x["detail"]:
                    print(f"  {x['detail']}")
            for line in deployments[c.name].errors_logged()[:3]:
                print(f"  server: {line}")
        if durability and "sqlite" in backends:
            for n in (1, 2):
                s = best[f"sqlite, {n} instance{'s' if n > 1 else ''}"]
                p = best[f"postgres, {n} instance{'s' if n > 1 else ''}"]
                ratio = p["rps"] / s["rps"] if s["rps"] else float("nan")
                verdict = "met" if ratio >= 0.8 else "MISSED"
                print(f"PostgreSQL / SQLite throughput, {n} instance(s): {ratio:.2f}x [target >= 0.8x: {verdict}]")
    finally:
        for d in deployments.values():
            d.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
