"""A version's lifecycle at runtime: Deprecation / Sunset / Link headers and the 410 after the sunset.

Everything is computed once from the version index; per request only the successor link is formatted.
- `Deprecation: @<epoch seconds>` (RFC 9745), the start of the deprecation date, UTC;
- `Sunset: <HTTP-date>` (RFC 8594), the start of the sunset date, UTC — from then on the version is gone;
- `Link: <policy>; rel="deprecation", </successor/same/path>; rel="successor-version"` (RFC 9745, RFC 5829).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import format_datetime

from contractkit.registry import Registry, Version

__all__ = ["Lifecycle", "lifecycles"]


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """One version's lifecycle as served: the header values (computed once) and the instant it is gone."""

    version: str
    successor: str | None
    deprecation: str | None  # header value, or None when the version is not deprecated
    sunset: str | None
    sunset_at: dt.datetime | None
    policy_url: str | None
    sunset_date: dt.date | None = None
    status_sunset: bool = False

    @classmethod
    def of(cls, version: Version, successor: str | None, policy_url: str | None) -> Lifecycle:
        deprecated = version.deprecated
        if deprecated is None and version.status != "stable":
            deprecated = version.released  # deprecated without a date: say so from the start
        return cls(
            version=version.name,
            successor=successor,
            deprecation=f"@{int(_start_of(deprecated).timestamp())}" if deprecated is not None else None,
            sunset=format_datetime(_start_of(version.sunset), usegmt=True) if version.sunset else None,
            sunset_at=_start_of(version.sunset) if version.sunset else None,
            policy_url=policy_url,
            sunset_date=version.sunset,
            status_sunset=version.status == "sunset",
        )

    @property
    def announces(self) -> bool:
        """True when responses carry lifecycle headers."""
        return self.deprecation is not None or self.sunset is not None

    def is_gone(self, now: dt.datetime) -> bool:
        return self.status_sunset or (self.sunset_at is not None and now >= self.sunset_at)

    def announcer(self) -> Callable[[str, str], list[tuple[bytes, bytes]]]:
        """`headers` as ASGI header pairs, appended to a response without re-parsing its headers: call
        the result with the request's path below the mount point and the mount point (`root_path`).
        Everything but the successor path is encoded here, once; call it at startup."""
        probe = self.headers(f"/{self.version}\x00")
        link = probe.pop("Link", None)
        static = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in probe.items()]
        head, _, tail = (link or "").partition("\x00")
        cut = head.rfind("<") + 1  # the successor link starts after its "<": the mount point goes there
        pre, successor = head[:cut].encode("latin-1"), head[cut:].encode("latin-1")
        tail_b, skip = tail.encode("latin-1"), len(self.version) + 1

        def raw_headers(path: str, root: str = "") -> list[tuple[bytes, bytes]]:
            if link is None:
                return list(static)
            value = pre + root.encode("latin-1") + successor + path[skip:].encode("latin-1") + tail_b
            return [*static, (b"link", value)]

        return raw_headers

    def headers(self, path: str) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.deprecation is not None:
            out["Deprecation"] = self.deprecation
        if self.sunset is not None:
            out["Sunset"] = self.sunset
        links = []
        if self.policy_url and self.deprecation is not None:
            links.append(f'<{self.policy_url}>; rel="deprecation"')
        if self.successor is not None and self.announces:
            rest = path[len(self.version) + 1 :]
            links.append(f'</{self.successor}{rest}>; rel="successor-version"')
        if links:
            out["Link"] = ", ".join(links)
        return out


def lifecycles(registry: Registry) -> dict[str, Lifecycle]:
    """Every version's lifecycle; a version without a declared successor is followed by the next one."""
    versions = registry.versions
    policy_url = registry.index.policy.deprecation_policy_url
    out = {}
    for i, version in enumerate(versions):
        successor = version.successor or (versions[i + 1].name if i + 1 < len(versions) else None)
        out[version.name] = Lifecycle.of(version, successor, policy_url)
    return out
