"""The `contractkit` command line: parse, call one library function, render, map to an exit code.

Exit codes, for every command: 0 success / compatible, 1 a finding (breaking change, stale models,
policy violation), 2 usage or input error — printed as one line naming the file and JSON pointer.
"""

from __future__ import annotations

import contextlib
from typing import Any, NoReturn

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from contractkit.cli._output import silence_stdout
from contractkit.errors import ContractkitError, MissingExtraError

__all__ = ["app", "main"]

AUTHORING = "Schema authoring"
CI = "CI gate"
TESTING = "Replay and fuzzing"


def _tidy(params: list[Any]) -> None:
    """Help that reads like a man page: flags show no `<bool>`, a repeatable option shows its element
    type once (`<str>...`), arguments are named in capitals (`OLD NEW`, not `{old} {new}`)."""
    for p in params:
        if isinstance(p, TyperOption) and p.metavar is None:
            if p.is_flag:
                p.metavar = ""
            elif p.multiple:
                element = p.bare_type().removeprefix("list[").removesuffix("]")
                p.metavar = f"<{element}>..."
        elif isinstance(p, TyperArgument):
            name = (p.metavar or p.name or "").upper()
            usage = name if p.required else f"[{name}]"
            p.metavar = name
            object.__setattr__(p, "_usage_display_name", lambda usage=usage: usage)


class _Command(TyperCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _tidy(self.params)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            _tidy([option])
        return option


class _Group(TyperGroup):
    """The root command. Turns every ContractkitError into one line on stderr and exit code 2: no tracebacks.

    The same holds for what the commands cannot foresee: an optional dependency that is not installed
    (named with the extra to install), standard output closed or full, any other OS error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _tidy(self.params)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            _tidy([option])
        return option

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ContractkitError as exc:
            _fail(exc.one_line())
        except RecursionError:
            _fail("input nested too deeply to process")
        except ModuleNotFoundError as exc:
            _fail(MissingExtraError.from_import_error(exc).one_line())
        except BrokenPipeError:
            silence_stdout()
            _fail("standard output was closed while printing (broken pipe)")
        except OSError as exc:
            if exc.filename is None:
                silence_stdout()  # most likely standard output itself (a full device)
            what = f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else "")
            _fail(what)


def _fail(message: str) -> NoReturn:
    with contextlib.suppress(OSError, ValueError):
        typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


app = typer.Typer(
    name="contractkit",
    cls=_Group,
    help="Versioned JSON Schema contracts for HTTP APIs: registry, codegen, compatibility, CI gate.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"contractkit {version('contractkit')}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", help="Show the version and exit.", callback=_version, is_eager=True
    ),
) -> None:
    """Versioned JSON Schema contracts for HTTP APIs: registry, codegen, compatibility, CI gate."""


def _register() -> None:
    # Command modules import only what their own --help needs; heavy work is imported on use.
    from contractkit.cli import changelog as changelog_cmd
    from contractkit.cli import check as check_cmd
    from contractkit.cli import codegen as codegen_cmd
    from contractkit.cli import diff as diff_cmd
    from contractkit.cli import fuzz as fuzz_cmd
    from contractkit.cli import replay as replay_cmd
    from contractkit.cli import report as report_cmd
    from contractkit.cli import validate as validate_cmd

    app.command("validate", cls=_Command, rich_help_panel=AUTHORING)(validate_cmd.validate)
    app.command("codegen", cls=_Command, rich_help_panel=AUTHORING)(codegen_cmd.codegen)
    app.command("diff", cls=_Command, rich_help_panel=AUTHORING)(diff_cmd.diff)
    app.command("changelog", cls=_Command, rich_help_panel=AUTHORING)(changelog_cmd.changelog)
    app.command("check", cls=_Command, rich_help_panel=CI)(check_cmd.check)
    app.command("report", cls=_Command, rich_help_panel=CI)(report_cmd.report)
    app.command("replay", cls=_Command, rich_help_panel=TESTING)(replay_cmd.replay)
    app.command("fuzz", cls=_Command, rich_help_panel=TESTING)(fuzz_cmd.fuzz)


_register()


def main() -> None:
    app()
