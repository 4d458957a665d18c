"""Where every command's output goes, without tracebacks and without losing a finished report.

- `emit(text)`: standard output. A closed standard output (`>&-`), a full device (`> /dev/full`) or a
  reader that went away (`| head`) becomes an OutputError: one line on stderr, exit 2.
- `write_report(text, path)`: a file, written to a temporary file in the same folder and renamed over
  the target, so a reader never sees half a report. If it cannot be written (a missing folder, no
  permission, a full disk), the report is printed on standard output instead (or on stderr when that
  fails too), with one line saying so, and the command exits 2: the work is never lost.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

import typer

from contractkit.errors import OutputError

__all__ = ["emit", "silence_stdout", "write_report"]


def emit(text: str, *, nl: bool = True) -> None:
    """Print on standard output; an OutputError when it cannot be written."""
    stream = sys.stdout
    if stream is None:
        raise OutputError("standard output is closed; nothing could be printed")
    try:
        typer.echo(text, nl=nl)
        stream.flush()
    except BrokenPipeError:
        silence_stdout()
        raise OutputError("standard output was closed while printing (broken pipe)") from None
    except OSError as exc:
        silence_stdout()
        raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from None


def write_report(text: str, path: Path, *, what: str = "report") -> None:
    """Write `text` to `path` atomically; on failure print it instead and raise OutputError (exit 2)."""
    try:
        _atomic_write(path, text)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        where = "standard output"
        try:
            emit(text)
        except OutputError:
            where = "standard error"
            sys.stderr.write(text + ("" if text.endswith("\n") else "\n"))
        raise OutputError(f"cannot write the {what} to {path}: {reason}; it was printed on {where} instead") from None


def _atomic_write(path: Path, text: str) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(path))
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def silence_stdout() -> None:
    """After stdout failed: point it at /dev/null, so that the interpreter's last flush at exit does not
    print a second error (Python's advice for SIGPIPE / BrokenPipeError)."""
    stream = sys.stdout
    if stream is None:
        return
    try:
        fd = stream.fileno()
    except (OSError, ValueError, AttributeError):
        return  # not a real file (a test runner's buffer): nothing will be flushed at exit
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
