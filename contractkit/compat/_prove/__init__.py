"""The structural subset prover, split by type family to mirror ``compat/rules/``.

``core`` (the search, applicators), ``numeric``, ``strings``, ``arrays``, ``objects``, ``disjoint``,
``dialects`` (regex-dialect guards), ``nodes`` (values).
"""

from contractkit.compat._prove.core import Prover
from contractkit.compat._prove.nodes import NO, R_YES, UNKNOWN, YES, Kind, Node, Res

__all__ = ["NO", "R_YES", "UNKNOWN", "YES", "Kind", "Node", "Prover", "Res"]
