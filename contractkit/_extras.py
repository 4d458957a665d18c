"""Which generated models need a package that `contractkit-http[codegen]` does not bring.

datamodel-code-generator writes `EmailStr` for `format: email`; pydantic imports it only with
`email-validator` installed (`pip install "pydantic[email]"`), so the generated model fails to import
without it. `contractkit codegen` warns about it, and `contractkit check` reports it as a warning
(`model-needs-extra`) — unless the environment contractkit runs in (the project's) already has it.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ExtraNeed", "missing_extras", "scan_models"]

# pydantic type used by a generated model -> (the module it needs, what to install)
NEEDS: dict[str, tuple[str, str]] = {
    "EmailStr": ("email_validator", "pydantic[email]"),
    "NameEmail": ("email_validator", "pydantic[email]"),
}
_WORD = re.compile(r"\b(" + "|".join(map(re.escape, NEEDS)) + r")\b")


@dataclass(frozen=True, slots=True)
class ExtraNeed:
    file: Path  # the generated model file
    line: int  # 1-based line of the first use
    type_name: str  # e.g. EmailStr
    module: str  # e.g. email_validator
    install: str  # e.g. pydantic[email]

    def message(self, shown: str) -> str:
        return (
            f"generated model {shown} uses {self.type_name}, which needs {self.module.replace('_', '-')} "
            f'(not installed here): add "{self.install}" to the project\'s dependencies, '
            "or its models will not import"
        )


def scan_models(folder: Path) -> list[ExtraNeed]:
    """Every generated model file under `folder` that uses a type needing an extra package."""
    out: list[ExtraNeed] = []
    for path in sorted(folder.rglob("*.py")) if folder.is_dir() else []:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        seen: set[str] = set()
        for i, line in enumerate(lines, 1):
            if line.lstrip().startswith("#"):
                continue
            for m in _WORD.finditer(line):
                name = m.group(1)
                if name not in seen:
                    seen.add(name)
                    module, install = NEEDS[name]
                    out.append(ExtraNeed(path, i, name, module, install))
    return out


def missing_extras(folder: Path) -> list[ExtraNeed]:
    """The needs of `scan_models` whose module this environment cannot import."""
    return [n for n in scan_models(folder) if importlib.util.find_spec(n.module) is None]
