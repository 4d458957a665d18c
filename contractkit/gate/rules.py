"""The gate's own rules: deprecation policy, waivers, drift. One ordered table, nothing self-registers.

The compatibility rules (what a schema change breaks) live in `contractkit.compat`'s catalog; these are
the rules about *when* a change may land. A breaking change inside a published version is reported
under the engine's own rule id (e.g. `property-became-required`), so the finding names what broke.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["GATE_RULES", "GateRule", "rule"]

SCHEMA_REMOVED_FROM_VERSION = "schema-removed-from-version"
VERSION_REMOVED_BEFORE_SUNSET = "version-removed-before-sunset"
SUNSET_MOVED_EARLIER = "sunset-moved-earlier"
DEPRECATION_WINDOW_TOO_SHORT = "deprecation-window-too-short"
DEPRECATED_WITHOUT_SUNSET = "deprecated-without-sunset"
DEPRECATED_WITHOUT_SUCCESSOR = "deprecated-without-successor"
SUNSET_BEFORE_DEPRECATION = "sunset-before-deprecation"
DEPRECATED_BEFORE_RELEASED = "deprecated-before-released"
SUCCESSOR_SUNSETS_BEFORE_PREDECESSOR = "successor-sunsets-before-predecessor"
DEPRECATED_PROPERTY_REMOVED_EARLY = "deprecated-property-removed-early"
MODELS_STALE = "models-stale"
WAIVER_EXPIRED = "waiver-expired"
WAIVER_UNUSED = "waiver-unused"
WAIVER_EXPIRING = "waiver-expiring"
MODEL_NEEDS_EXTRA = "model-needs-extra"
VERSION_SUNSET_PASSED = "version-sunset-passed"
STEP_CANNOT_RUN = "step-cannot-run"
UNKNOWN_KEYWORD = "unknown-keyword"


@dataclass(frozen=True, slots=True)
class GateRule:
    id: str
    severity: str
    description: str
    example: str


GATE_RULES: tuple[GateRule, ...] = (
    GateRule(
        SCHEMA_REMOVED_FROM_VERSION,
        "error",
        "A schema disappeared from a published version.",
        "`cart_item_update` is removed from v1's [versions.schemas].",
    ),
    GateRule(
        VERSION_REMOVED_BEFORE_SUNSET,
        "error",
        "A version left the index before its sunset date (or without one). Clients still depend on it.",
        "v1 (sunset 2027-03-31) is deleted from index.toml on 2026-12-01.",
    ),
    GateRule(
        SUNSET_MOVED_EARLIER,
        "error",
        "A version's sunset date moved earlier than the date already announced.",
        "v1 sunset changes from 2027-03-31 to 2027-01-31.",
    ),
    GateRule(
        DEPRECATION_WINDOW_TOO_SHORT,
        "error",
        "Fewer days of notice before the sunset than the policy's `min_deprecation_days`. The notice counts from "
        "the day the deprecation first appears (today, for a deprecation this change introduces; the base's "
        "`deprecated` date, or the base commit's date, for one the base announced and this change re-dates), or "
        "from the declared `deprecated` date when that is later: a backdated date buys no time. A deprecation "
        "unchanged since the base is checked on its declared dates.",
        "policy 180 days; v2 newly deprecated on 2026-11-30 with deprecated = 2026-01-01 and sunset = 2026-12-15: "
        "15 days of notice.",
    ),
    GateRule(
        DEPRECATED_WITHOUT_SUNSET,
        "error",
        "A deprecated version has no sunset date, so clients cannot plan their migration.",
        'v1 status = "deprecated" with no `sunset`.',
    ),
    GateRule(
        DEPRECATED_WITHOUT_SUCCESSOR,
        "error",
        "A version was deprecated without naming a successor to migrate to.",
        'v2 status = "deprecated" with no `successor`.',
    ),
    GateRule(
        SUNSET_BEFORE_DEPRECATION,
        "error",
        "A sunset date that is not after the deprecation date (RFC 8594: Sunset must not precede Deprecation).",
        "deprecated 2027-01-01, sunset 2026-12-01.",
    ),
    GateRule(
        DEPRECATED_BEFORE_RELEASED,
        "error",
        "A version's `deprecated` date is earlier than its own `released` date.",
        "v2 released 2026-09-01, deprecated 2026-01-01.",
    ),
    GateRule(
        SUCCESSOR_SUNSETS_BEFORE_PREDECESSOR,
        "error",
        "A version's successor sunsets before the version itself: clients told to migrate would lose the "
        "successor first.",
        "v1 (successor v2) sunsets 2027-03-31; v2 sunsets 2027-03-01.",
    ),
    GateRule(
        DEPRECATED_PROPERTY_REMOVED_EARLY,
        "error",
        "A property marked `deprecated: true` was removed before its version's sunset or its own `x-sunset` date.",
        "v2 cart `note` (deprecated, x-sunset 2027-06-01) removed on 2027-01-01.",
    ),
    GateRule(
        MODELS_STALE,
        "error",
        "The committed generated models differ from what the schemas generate; run `contractkit codegen`.",
        "schemas/v1/cart_item_add.json maximum 99 -> 50 without regenerating.",
    ),
    GateRule(
        MODEL_NEEDS_EXTRA,
        "warning",
        "A generated model uses a type that needs a package the environment lacks (e.g. `EmailStr` needs "
        "email-validator: `pydantic[email]`), so it will not import.",
        "`format: email` generates `EmailStr`; email-validator is not installed.",
    ),
    GateRule(
        WAIVER_EXPIRED,
        "error",
        "A waiver is past its expiry date: fix the finding or renew the waiver with a reason.",
        "expires = 2026-01-01, checked on 2026-02-01.",
    ),
    GateRule(
        WAIVER_UNUSED,
        "error",
        "A waiver matches no finding: remove it, so that it cannot silence a future break by accident.",
        "a waiver for property-became-required at /required on v1 when nothing is required any more.",
    ),
    GateRule(
        WAIVER_EXPIRING,
        "warning",
        "A waiver expires within 14 days: fix the finding it silences, or renew it with a reason.",
        "expires = 2027-01-31, checked on 2027-01-20.",
    ),
    GateRule(
        VERSION_SUNSET_PASSED,
        "info",
        "A version's sunset date has passed: the service answers 410 Gone; it may now be removed from the index.",
        "v1 sunset 2027-03-31, checked on 2027-04-01.",
    ),
    GateRule(
        STEP_CANNOT_RUN,
        "error",
        "A step of `contractkit check` could not run (a fixture without an expectation, a missing change set, a "
        "missing extra, a service that does not start). The finding names the file or setting to fix; the other "
        "steps still run and report.",
        "replay: the service cannot start: no version changes declared from v2 to its successor "
        "([tool.contractkit.replay] app-factory in pyproject.toml).",
    ),
    GateRule(
        UNKNOWN_KEYWORD,
        "warning",
        "A schema of the registry uses a keyword no JSON Schema draft (nor its dialect) defines: validators ignore "
        "it, so a typo silently drops a constraint. The finding says which keyword it probably meant.",
        "`requried` in schemas/v2/cart_item_add.json: unknown keyword 'requried' (did you mean 'required'?).",
    ),
)

_BY_ID = {r.id: r for r in GATE_RULES}


def rule(rule_id: str) -> GateRule:
    return _BY_ID[rule_id]
