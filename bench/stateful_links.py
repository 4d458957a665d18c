"""How many items a stateful client (Schemathesis's stateful phase) manages to add in v2, with and without the
OpenAPI links the cart publishes (issue 15: an item's price must be in its cart's currency, which nothing in
the document told a client; Schemathesis then created 4 items in a whole run).

    .venv/bin/python bench/stateful_links.py [--examples 100] [--runs 3]

Each run is Schemathesis's own engine (what `schemathesis run --phases stateful` does) against a fresh
in-memory app: once against v2's document as served, once against the same document with every `links`
object removed (what a client had before; Schemathesis still infers links from `Location` headers). It prints
the add-item answers by status, read from the app's own /metrics counters, and the problem types of its 409s.
Schemathesis's stateful engine adapts to the answers as it goes and is not reproducible run to run, which is
why this is a measurement with several runs and not a test.
"""

from __future__ import annotations

import argparse
import collections
import copy
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _without_links(doc: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    for item in out["paths"].values():
        for op in item.values():
            for response in op.get("responses", {}).values():
                response.pop("links", None)
    return out


def run(*, links: bool, examples: int, seed: int) -> tuple[dict[int, int], dict[str, int]]:
    import schemathesis
    from prometheus_client import generate_latest
    from schemathesis.engine import from_schema

    from service.app import create_app
    from service.settings import Settings

    app = create_app(Settings(database_url="memory:", api_keys="acme:key-acme", access_log=False, rate_limit=0))
    conflicts: collections.Counter[str] = collections.Counter()

    async def recording(scope: Any, receive: Any, send: Any) -> None:
        """The app, noting the problem type of each 409 answered to add-item."""
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].endswith("/items"):
            await app(scope, receive, send)
            return
        seen: dict[str, Any] = {"status": 0, "body": b""}

        async def forward(message: Any) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
            elif message["type"] == "http.response.body":
                seen["body"] += message.get("body", b"")
            await send(message)

        await app(scope, receive, forward)
        if seen["status"] == 409:
            conflicts[str(json.loads(seen["body"]).get("type", "")).rsplit("/", 1)[-1]] += 1

    served = schemathesis.openapi.from_asgi("/v2/openapi.json", app)
    schema = served if links else schemathesis.openapi.from_dict(_without_links(served.raw_schema))
    schema.app = recording
    schema.location = "/v2/openapi.json"
    schema.config.update(headers={"Authorization": "Bearer key-acme"})
    schema.config.phases.update(phases=["stateful"])
    schema.config.generation.update(max_examples=examples)
    schema.config.seed = seed
    for _ in from_schema(schema).execute():
        pass
    statuses: dict[int, int] = {}
    for line in generate_latest(app.state.metrics.registry).decode().splitlines():
        if line.startswith("cart_http_requests_total{") and '"/v2/carts/{cart_id}/items"' in line and "POST" in line:
            status = int(line.split('status="', 1)[1].split('"', 1)[0])
            statuses[status] = int(float(line.rsplit(" ", 1)[1]))
    return dict(sorted(statuses.items())), dict(conflicts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for links in (False, True):
        for seed in range(1, args.runs + 1):
            statuses, conflicts = run(links=links, examples=args.examples, seed=seed)
            label = "with links   " if links else "without links"
            print(
                f"v2 {label} (seed {seed}): {statuses.get(201, 0):3d} items created; "
                f"add-item answers {statuses}; 409s {conflicts}"
            )


if __name__ == "__main__":
    main()
