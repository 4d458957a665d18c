# generated from schemas/index.toml by `contractkit codegen` — do not edit.

"""The head version's models (v2): business code imports these, never a version's own package.

`contractkit codegen` rewrites this module when the head version changes.
"""

from .v2.problem import ProblemV2
from .v2.profile import Profile
from .v2.profile_create import ProfileCreate

VERSION = "v2"

__all__ = ["ProblemV2", "Profile", "ProfileCreate", "VERSION"]
