"""A curl command that reproduces one request; the Authorization value is redacted as $CART_API_KEY."""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

__all__ = ["DEFAULT_BASE_URL", "curl_command", "rebase"]

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
# Transport noise that curl sets by itself or that does not change what the server does.
_SKIP = frozenset({"content-length", "user-agent", "accept-encoding", "connection", "host", "accept"})


def rebase(url: str, base_url: str) -> str:
    """Put url's path and query on base_url (in-process runs talk to a made-up host)."""
    parts = urlsplit(url)
    base = urlsplit(base_url)
    path = base.path.rstrip("/") + parts.path
    return urlunsplit((base.scheme, base.netloc, path, parts.query, ""))


def _auth(value: str) -> str:
    scheme, sep, _ = value.partition(" ")
    redacted = f"{scheme} $CART_API_KEY" if sep else "$CART_API_KEY"
    return f'"Authorization: {redacted}"'  # double quotes: the shell expands the variable


def curl_command(method: str, url: str, headers: Iterable[tuple[str, str]], body: bytes | None) -> str:
    parts = ["curl", "-sS", "-i", "-X", method.upper(), shlex.quote(url)]
    for name, value in headers:
        low = name.lower()
        if low in _SKIP or low.startswith("x-schemathesis"):
            continue
        if low == "authorization":
            parts += ["-H", _auth(value)]
        else:
            parts += ["-H", shlex.quote(f"{name}: {value}")]
    if body:
        parts += ["--data-binary", shlex.quote(body.decode("utf-8", "backslashreplace"))]
    return " ".join(parts)
