"""What every compat renderer shares: the order findings are shown in, and where a finding is."""

from __future__ import annotations

from contractkit.compat._model import CompatReport, Finding

_RANK = {"error": 0, "warning": 1, "info": 2}


def shown(report: CompatReport, min_severity: str = "info") -> list[Finding]:
    """The findings at or above `min_severity`, errors first (stable within a severity)."""
    limit = _RANK.get(min_severity, 2)
    return sorted((f for f in report.findings if _RANK[f.severity] <= limit), key=lambda f: _RANK[f.severity])


def location(f: Finding) -> str:
    """The schema pointer a finding is at: in the new schema, unless the change removed something there
    (then the old schema's pointer, which names what was removed: `/$schema`, not `/`)."""
    new, old = f.new_pointer, f.old_pointer
    if new is not None and old is not None and old.startswith(new + "/"):
        return old or "/"
    where = new if new is not None else old
    return where or "/"
