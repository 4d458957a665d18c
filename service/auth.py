"""Bearer API keys mapped to tenants (`CART_API_KEYS`), compared in constant time; the gate's first guard.

Entries are comma-separated `tenant:key` (development) or `tenant:sha256:<64 hex>` (production: the
environment then holds only the digest of the key). Every configured entry is compared on every request,
with hmac.compare_digest on fixed-length SHA-256 digests, so the time taken does not depend on which
tenant matched or on how much of a key was right. Keys are never logged or echoed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from contractkit.fastapi import Call, Problem

__all__ = ["ApiKeys", "ConfigError"]

_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")
_TENANT = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


class ConfigError(ValueError):
    """A malformed setting; the message never contains key material."""


@dataclass(frozen=True, slots=True)
class ApiKeys:
    entries: tuple[tuple[str, bytes], ...]  # (tenant, sha256 digest of the key)

    @classmethod
    def parse(cls, raw: str) -> ApiKeys:
        entries: list[tuple[str, bytes]] = []
        for position, chunk in enumerate(raw.split(","), start=1):
            chunk = chunk.strip()
            if not chunk:
                continue
            tenant, sep, secret = chunk.partition(":")
            if not sep or not secret or not _TENANT.match(tenant):
                raise ConfigError(f"CART_API_KEYS entry {position}: expected tenant:key or tenant:sha256:<hex>")
            if secret.startswith("sha256:"):
                digest_hex = secret[len("sha256:") :]
                if not _HEX64.match(digest_hex):
                    raise ConfigError(f"CART_API_KEYS entry {position}: sha256 digest must be 64 hex digits")
                entries.append((tenant, bytes.fromhex(digest_hex)))
            else:
                entries.append((tenant, hashlib.sha256(secret.encode()).digest()))
        return cls(tuple(entries))

    def tenant_for(self, authorization: str | None) -> str | None:
        """The tenant of an `Authorization: Bearer <key>` header value, or None."""
        if not authorization or not self.entries:
            return None
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return None
        digest = hashlib.sha256(token.encode("utf-8", "surrogateescape")).digest()
        found: str | None = None
        for tenant, expected in self.entries:
            if hmac.compare_digest(digest, expected) and found is None:
                found = tenant
        return found

    def authenticate(self, call: Call) -> None:
        """The version gate's guard: 401 without a valid key; else the tenant goes to `call.state["tenant"]`
        (and to the access log's record)."""
        tenant = self.tenant_for(call.header("authorization"))
        if tenant is None:
            raise Problem(
                401,
                "unauthorized",
                "send a valid API key as Authorization: Bearer <key>",
                headers={"WWW-Authenticate": 'Bearer realm="cart"'},
            )
        call.state["tenant"] = tenant
        info = call.scope.get("cart.info")
        if info is not None:
            info["tenant"] = tenant
