"""Value objects of a compatibility report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final, Literal

Severity = Literal["error", "warning", "info"]
Direction = Literal["backward", "forward"]
Mode = Literal["backward", "forward", "full", "backward-transitive", "forward-transitive", "full-transitive"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
MODES: tuple[Mode, ...] = (
    "backward", "forward", "full", "backward-transitive", "forward-transitive", "full-transitive"
)  # fmt: skip


def directions(mode: Mode) -> tuple[Direction, ...]:
    """The directions a mode checks: ``full`` (and ``full-transitive``) checks both."""
    base = mode.removesuffix("-transitive")
    if base == "backward":
        return ("backward",)
    if base == "forward":
        return ("forward",)
    return ("backward", "forward")


def mode_for_role(role: str | None) -> Mode:
    """The direction rule, by role: a **request** schema is read by the server, so every payload an
    existing client sends must stay valid (``backward``: old ⊆ new); a **response** schema is read by
    clients, so every payload the server now sends must be valid for existing clients (``forward``:
    new ⊆ old). A schema with no role gets ``full``."""
    if role == "request":
        return "backward"
    if role == "response":
        return "forward"
    return "full"


# The value objects are frozen, with a written __init__ (init=False): the compiled build compiles it, where a
# dataclass's generated one runs as bytecode (a frozen one sets each field through object.__setattr__ either
# way). tests/test_architecture.py checks that every such __init__ takes the fields in order, with their defaults.
_set: Final = object.__setattr__


@dataclass(frozen=True, slots=True, init=False)
class Witness:
    """A concrete instance valid under ``valid_under`` and invalid under the other schema."""

    instance: Any
    valid_under: Literal["old", "new"]
    at: str | None = None  # where in `instance` the other schema rejects it (a JSON pointer), when known

    def __init__(self, instance: Any, valid_under: Literal["old", "new"], at: str | None = None) -> None:
        _set(self, "instance", instance)
        _set(self, "valid_under", valid_under)
        _set(self, "at", at)


@dataclass(frozen=True, slots=True, init=False)
class Finding:
    rule_id: str
    severity: Severity
    direction: Direction
    message: str
    old_pointer: str | None = None
    new_pointer: str | None = None
    witness: Witness | None = None
    version: str | None = None  # the earlier version compared against, in transitive modes

    def __init__(
        self,
        rule_id: str,
        severity: Severity,
        direction: Direction,
        message: str,
        old_pointer: str | None = None,
        new_pointer: str | None = None,
        witness: Witness | None = None,
        version: str | None = None,
    ) -> None:
        _set(self, "rule_id", rule_id)
        _set(self, "severity", severity)
        _set(self, "direction", direction)
        _set(self, "message", message)
        _set(self, "old_pointer", old_pointer)
        _set(self, "new_pointer", new_pointer)
        _set(self, "witness", witness)
        _set(self, "version", version)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule_id": self.rule_id,
            "severity": self.severity,
            "direction": self.direction,
            "message": self.message,
            "old_pointer": self.old_pointer,
            "new_pointer": self.new_pointer,
        }
        if self.witness is not None:
            out["witness"] = {"instance": self.witness.instance, "valid_under": self.witness.valid_under}
            if self.witness.at is not None:
                out["witness"]["at"] = self.witness.at
        if self.version is not None:
            out["version"] = self.version
        return out


@dataclass(frozen=True, slots=True, init=False)
class CompatReport:
    mode: Mode
    findings: tuple[Finding, ...] = field(default=())

    def __init__(self, mode: Mode, findings: tuple[Finding, ...] = ()) -> None:
        _set(self, "mode", mode)
        _set(self, "findings", findings)

    @property
    def compatible(self) -> bool:
        """False iff an error or an undecided finding was raised in a checked direction."""
        return not any(f.severity == "error" or f.rule_id == UNDECIDED for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "compatible": self.compatible,
            "mode": self.mode,
            "findings": [f.to_json() for f in self.findings],
        }


UNDECIDED = "undecided"
