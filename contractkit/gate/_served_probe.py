"""Fetch each version's OpenAPI document from an ASGI app, in a process of its own (a script, stdlib only).

Run as a file, never as `-m contractkit...`: the folder it is given goes first on sys.path, and that
folder may hold another copy of contractkit (the checkout of a git base), which must then be the one the
app imports. So this script imports nothing of contractkit itself.

    python _served_probe.py ROOT SPEC KIND URL VERSIONS_JSON OUT_JSON

ROOT the folder to import from (and work in); SPEC `module:attribute`; KIND `app` or `app-factory`
(call it); URL the document's path with `{version}`; OUT_JSON receives
`{"documents": {version: document}, "missing": {version: "why"}}` or `{"error": "...", "at": "file:line"}`.
The app's lifespan is not run: a document is a plain GET answered by the routing alone.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import sys
import traceback
from typing import Any


async def _get(app: Any, path: str) -> tuple[int, bytes]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"contractkit"), (b"accept", b"application/json")],
        "client": ("127.0.0.1", 0),
        "server": ("contractkit", 80),
        "state": {},
    }
    status = 0
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


def _load(spec: str, kind: str) -> Any:
    module_name, _, attr = spec.partition(":")
    obj: Any = importlib.import_module(module_name)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj() if kind == "app-factory" else obj


def _where(exc: BaseException, root: str) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if f.filename.startswith(root)] or frames
    if not own:
        return ""
    frame = own[-1]
    name = frame.filename[len(root) :].lstrip("/\\") if frame.filename.startswith(root) else frame.filename
    return f"{name}:{frame.lineno}"


def main(argv: list[str]) -> int:
    root, spec, kind, url, versions_json, out = argv
    # The app's folder replaces this script's own (which Python put first): `rules`, `policy`... are not the app's.
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    sys.path.insert(0, root)
    result: dict[str, Any]
    try:
        app = _load(spec, kind)
        documents: dict[str, Any] = {}
        missing: dict[str, str] = {}
        for version in json.loads(versions_json):
            path = url.replace("{version}", version)
            status, body = asyncio.run(_get(app, path))
            if status != 200:
                missing[version] = f"GET {path} answered {status}"
                continue
            try:
                documents[version] = json.loads(body)
            except ValueError:
                missing[version] = f"GET {path} did not answer JSON"
        result = {"documents": documents, "missing": missing}
    except ModuleNotFoundError as exc:
        result = {"error": f"ModuleNotFoundError: {exc}", "module": exc.name or "", "at": _where(exc, root)}
    except Exception as exc:  # user code: reported as one line by the gate
        result = {"error": f"{type(exc).__name__}: {' '.join(str(exc).split())}", "at": _where(exc, root)}
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(result, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
