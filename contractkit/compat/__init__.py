"""Schema compatibility engine (draft 2020-12): structural walk → rule families → verdict → report.

Public API: :func:`compare`, :func:`compare_transitive`, :func:`compare_in_registry`, :func:`mode_for_role`,
:class:`CompatReport`, :class:`Finding`.
"""

from contractkit.compat._model import CompatReport, Direction, Finding, Mode, Severity, Witness, mode_for_role
from contractkit.compat._reader import READERS, Reader
from contractkit.compat._registry_pair import compare_in_registry
from contractkit.compat.catalog import RULES, Rule
from contractkit.compat.engine import CompatInputError, compare, compare_transitive

__all__ = [
    "READERS",
    "RULES",
    "CompatInputError",
    "CompatReport",
    "Direction",
    "Finding",
    "Mode",
    "Reader",
    "Rule",
    "Severity",
    "Witness",
    "compare",
    "compare_in_registry",
    "compare_transitive",
    "mode_for_role",
]
