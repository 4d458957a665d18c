"""One "compare a registry pair by role" function: the mode from the schema's role, the reader from the index."""

from __future__ import annotations

from collections.abc import Mapping

from contractkit.compat._model import CompatReport, Severity, mode_for_role
from contractkit.compat.engine import compare
from contractkit.registry import Registry


def compare_in_registry(
    base_registry: Registry,
    head_registry: Registry,
    name: str,
    version_old: str,
    version_new: str,
    *,
    format_assertion: bool = True,
    overrides: Mapping[str, Severity] | None = None,
) -> CompatReport:
    """Compare schema ``name`` at ``version_old`` in ``base_registry`` with ``name`` at ``version_new``
    in ``head_registry`` (the same registry for two versions of one tree).

    The mode follows the schema's role in the head's index (``request`` → backward, ``response`` →
    forward, none → full: :func:`contractkit.compat.mode_for_role`) and so does the reader policy
    (``[policy] readers`` and ``[readers]`` in ``index.toml``: ``Index.reader_for``).
    """
    return compare(
        base_registry.bundled(name, version_old),
        head_registry.bundled(name, version_new),
        mode_for_role(head_registry.role(name)),
        format_assertion=format_assertion,
        overrides=overrides,
        reader=head_registry.index.reader_for(name),
    )
