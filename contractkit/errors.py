"""The one exception root of contractkit.

    ContractkitError                 anything contractkit reports to a user
    ├── InputError                   bad input: a file, a pointer and a one-line reason
    │   ├── SchemaFileError          unreadable file or malformed JSON / TOML
    │   ├── SchemaInvalidError       a schema that breaks the 2020-12 metaschema
    │   ├── RefError                 a dangling or cyclic `$ref`
    │   └── IndexError_              a version index entry that is wrong or points at a missing file
    └── UsageError                   a command used wrongly (unknown version, bad option value)

The CLI turns every ContractkitError into one line on stderr and exit code 2.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "ContractkitError",
    "IndexError_",
    "InputError",
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
