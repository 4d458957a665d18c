"""The one exception root of contractkit.

    ContractkitError                 anything contractkit reports to a user
    ├── InputError                   bad input: a file, a pointer and a one-line reason
    │   ├── SchemaFileError          unreadable file or malformed JSON / TOML
    │   ├── SchemaInvalidError       a schema that breaks the 2020-12 metaschema
    │   ├── RefError                 a dangling or cyclic `$ref`
    │   └── IndexError_              a version index entry that is wrong or points at a missing file
    └── UsageError                   a command used wrongly (unknown version, bad option value)
        ├── MissingExtraError        an optional dependency is not installed: names the extra to install
        └── OutputError              a report or file could not be written (a full disk, a closed stdout)

The CLI turns every ContractkitError into one line on stderr and exit code 2.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "EXTRAS",
    "ContractkitError",
    "IndexError_",
    "InputError",
    "MissingExtraError",
    "OutputError",
    "RefError",
    "SchemaFileError",
    "SchemaInvalidError",
    "UsageError",
]


class ContractkitError(Exception):
    """Root of every error contractkit reports to a user."""

    def one_line(self) -> str:
        return " ".join(str(self).split())


class InputError(ContractkitError):
    """Bad input, located by file and JSON pointer."""

    def __init__(self, file: Path | str, pointer: str | None, reason: str) -> None:
        self.file = str(file)
        self.pointer = pointer
        self.reason = reason
        where = self.file if pointer is None else f"{self.file}#{pointer}"
        super().__init__(f"{where}: {reason}")


class SchemaFileError(InputError):
    """A file that cannot be read or parsed."""


class SchemaInvalidError(InputError):
    """A schema that is not valid under the JSON Schema 2020-12 metaschema."""


class RefError(InputError):
    """A `$ref` that points nowhere, or a chain of `$ref`s that loops on itself."""


class IndexError_(InputError):  # trailing underscore: the builtin IndexError is a different thing
    """An entry of the version index that is wrong or points at a missing file."""


class UsageError(ContractkitError):
    """A command or function used wrongly."""


# Optional dependencies by top-level module, and what to install for them.
EXTRAS: dict[str, str] = {
    "schemathesis": "contractkit-http[fuzz]",
    "hypothesis": "contractkit-http[fuzz]",
    "httpx": "contractkit-http[fuzz]",
    "datamodel_code_generator": "contractkit-http[codegen]",
    "fastapi": "contractkit-http[fastapi]",
    "starlette": "contractkit-http[fastapi]",
    "fastapi_offline": "contractkit-http[fastapi]",
    "orjson": "contractkit-http[fastapi]",
    "uvicorn": "contractkit-http[service]",
    "sqlalchemy": "contractkit-http[service]",
    "email_validator": "pydantic[email] (email-validator)",
}


class MissingExtraError(UsageError):
    """An optional dependency a command needs is not installed."""

    def __init__(self, module: str, extra: str | None = None) -> None:
        self.module = module
        self.extra = extra if extra is not None else EXTRAS.get(module.split(".")[0])
        hint = f"install {self.extra}" if self.extra else "install it into this environment"
        super().__init__(f"{module} is not installed ({hint})")

    @classmethod
    def from_import_error(cls, exc: ImportError) -> MissingExtraError:
        return cls(exc.name or str(exc))


class OutputError(UsageError):
    """A report or file could not be written."""
