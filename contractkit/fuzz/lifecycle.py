"""What a version's responses must say about its lifecycle, derived from the version index, and the pure
functions that check one response's headers against it.

- a deprecated version answers with `Deprecation: @<epoch>` (RFC 9745: a structured date, the start of the
  deprecation day in UTC when the index gives the day), `Sunset: <IMF-fixdate>` (RFC 8594, the start of
  the sunset day, never earlier than the deprecation) and `Link` carrying `rel="deprecation"` (the policy
  URL) and `rel="successor-version"` (the same resource in the successor, RFC 5829);
- a stable version sends none of `Deprecation` / `Sunset`;
- a version past its sunset answers 410 Gone to everything (checked by the live runner, not here);
- `X-Request-ID`: a well-formed id the client sent comes back unchanged; otherwise one is generated.

Header maps are `lowercase name -> list of values`, the shape Schemathesis hands to checks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import unquote

from contractkit.fuzz.rules import LIFECYCLE_HEADERS, REQUEST_ID
from contractkit.registry import Registry

__all__ = [
    "LIFECYCLE_HEADERS",
    "REQUEST_ID",
    "Expectation",
    "check_lifecycle_headers",
    "check_request_id",
    "expectations",
    "parse_links",
]


_SF_DATE = re.compile(r"^@(-?[0-9]{1,15})$")
# RFC 9110 §5.6.7 IMF-fixdate, the only HTTP-date form a sender may generate.
_IMF_FIXDATE = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} "
    r"[0-9]{2}:[0-9]{2}:[0-9]{2} GMT$"
)
_LINK = re.compile(r"\s*<([^>]*)>\s*((?:;\s*[^;,]+)*)\s*(?:,|$)")
_PARAM = re.compile(r';\s*([A-Za-z0-9!#$&+\-.^_`|~]+)\s*=\s*(?:"([^"]*)"|([^;,\s]*))')


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class Expectation:
    """What one version's responses must carry, as of `today`."""

    version: str
    announces: bool  # Deprecation / Sunset / Link expected on every response
    gone: bool  # past the sunset: every request answers 410
    deprecation_epoch: int | None = None  # exact value when the index gives the deprecation day
    sunset: dt.datetime | None = None
    policy_url: str | None = None
    successor: str | None = None


def expectations(registry: Registry, today: dt.date) -> dict[str, Expectation]:
    """One Expectation per version in the index."""
    versions = registry.versions
    policy_url = registry.index.policy.deprecation_policy_url
    out: dict[str, Expectation] = {}
    for i, v in enumerate(versions):
        successor = v.successor or (versions[i + 1].name if i + 1 < len(versions) else None)
        announces = v.status != "stable" or v.deprecated is not None or v.sunset is not None
        out[v.name] = Expectation(
            version=v.name,
            announces=announces,
            gone=v.is_sunset(today),
            deprecation_epoch=int(_start_of(v.deprecated).timestamp()) if v.deprecated else None,
            sunset=_start_of(v.sunset) if v.sunset else None,
            policy_url=policy_url,
            successor=successor,
        )
    return out


def parse_links(values: Sequence[str]) -> list[tuple[str, dict[str, str]]]:
    """`Link` header values -> [(target, {param: value})]; rel values are lowercased."""
    out: list[tuple[str, dict[str, str]]] = []
    for value in values:
        for match in _LINK.finditer(value):
            if not match.group(0).strip():
                continue
            params: dict[str, str] = {}
            for p in _PARAM.finditer(match.group(2)):
                params[p.group(1).lower()] = p.group(2) if p.group(2) is not None else p.group(3)
            if "rel" in params:
                params["rel"] = params["rel"].lower()
            out.append((match.group(1), params))
    return out


def _one(headers: Mapping[str, Sequence[str]], name: str, problems: list[str]) -> str | None:
    values = headers.get(name.lower(), [])
    if not values:
        problems.append(f"missing {name} header")
        return None
    if len(values) > 1:
        problems.append(f"{name} sent {len(values)} times: {list(values)!r}")
        return None
    return values[0]


def check_lifecycle_headers(exp: Expectation, path: str, headers: Mapping[str, Sequence[str]]) -> list[str]:
    """Problems with one response's Deprecation / Sunset / Link headers; [] when they are right."""
    problems: list[str] = []
    if not exp.announces:
        for name in ("Deprecation", "Sunset"):
            if headers.get(name.lower()):
                problems.append(f"{name} header on {exp.version}, which the index does not deprecate")
        return problems

    deprecated_at: dt.datetime | None = None
    raw = _one(headers, "Deprecation", problems)
    if raw is not None:
        m = _SF_DATE.match(raw.strip())
        if m is None:
            problems.append(f"Deprecation {raw!r} is not an RFC 9745 date (@<epoch seconds>)")
        else:
            epoch = int(m.group(1))
            deprecated_at = dt.datetime.fromtimestamp(epoch, dt.UTC)
            if exp.deprecation_epoch is not None and epoch != exp.deprecation_epoch:
                problems.append(f"Deprecation {raw!r} differs from the index: expected @{exp.deprecation_epoch}")

    if exp.sunset is not None:
        raw = _one(headers, "Sunset", problems)
        if raw is not None:
            if not _IMF_FIXDATE.match(raw.strip()):
                problems.append(f"Sunset {raw!r} is not an HTTP-date (IMF-fixdate, RFC 8594)")
            else:
                when = parsedate_to_datetime(raw.strip())
                if when != exp.sunset:
                    problems.append(f"Sunset {raw!r} differs from the index: expected {exp.sunset.isoformat()}")
                if deprecated_at is not None and when < deprecated_at:
                    problems.append(f"Sunset {raw!r} is earlier than Deprecation ({deprecated_at.isoformat()})")

    links = parse_links(headers.get("link", []))
    rels = {params.get("rel"): target for target, params in links}
    if exp.policy_url is not None:
        if "deprecation" not in rels:
            problems.append('missing Link rel="deprecation"')
        elif rels["deprecation"] != exp.policy_url:
            problems.append(f'Link rel="deprecation" points at {rels["deprecation"]!r}, expected {exp.policy_url!r}')
    if exp.successor is not None:
        target = rels.get("successor-version")
        rest = unquote(path)[len(exp.version) + 1 :] if unquote(path).startswith(f"/{exp.version}") else ""
        expected = f"/{exp.successor}{rest}"
        if target is None:
            problems.append('missing Link rel="successor-version"')
        elif unquote(target.split("?", 1)[0]) != expected:
            problems.append(f'Link rel="successor-version" points at {target!r}, expected {expected!r}')
    return problems


def check_request_id(sent: str | None, headers: Mapping[str, Sequence[str]]) -> list[str]:
    """A request id the client sent must come back unchanged; without one the server still names one."""
    values = headers.get("x-request-id", [])
    if not values or not values[0]:
        return ["missing X-Request-ID header"]
    if len(values) > 1:
        return [f"X-Request-ID sent {len(values)} times: {list(values)!r}"]
    if sent is not None and values[0] != sent:
        return [f"X-Request-ID {values[0]!r} does not echo the request's {sent!r}"]
    return []
