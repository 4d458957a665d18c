"""The `contractkit` command line: parse, call one library function, render, map to an exit code.

Exit codes, for every command: 0 success / compatible, 1 a finding (breaking change, stale models,
policy violation), 2 usage or input error — printed as one line naming the file and JSON pointer.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from contractkit.errors import ContractkitError

__all__ = ["app", "main"]

AUTHORING = "Schema authoring"
CI = "CI gate"
TESTING = "Replay and fuzzing"
LIFECYCLE = "Version lifecycle"


class _Group(TyperGroup):
    """Turns every ContractkitError into one line on stderr and exit code 2: no tracebacks."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ContractkitError as exc:
            typer.echo(f"error: {exc.one_line()}{_hint(exc)}", err=True)
            raise typer.Exit(2) from None
        except RecursionError:
            typer.echo("error: input nested too deeply to process", err=True)
            raise typer.Exit(2) from None


def _hint(exc: ContractkitError) -> str:
    """What to do next, for the errors a newcomer meets first."""
    from contractkit.errors import SchemaFileError

    if isinstance(exc, SchemaFileError) and exc.reason in ("version index not found", "schema directory not found"):
        return " (run `contractkit init` to start one, or point --schemas / [tool.contractkit] schemas at it)"
    return ""


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
        # The import name, not the distribution's (contractkit-http): the same in a wheel and a checkout.
        from contractkit import __version__

        typer.echo(f"contractkit {__version__}")
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
    from contractkit.cli import init as init_cmd
    from contractkit.cli import replay as replay_cmd
    from contractkit.cli import report as report_cmd
    from contractkit.cli import validate as validate_cmd
    from contractkit.cli import version as version_cmd

    app.command("init", rich_help_panel=LIFECYCLE)(init_cmd.init)
    app.add_typer(version_cmd.app, name="version", rich_help_panel=LIFECYCLE)
    app.command("validate", rich_help_panel=AUTHORING)(validate_cmd.validate)
    app.command("codegen", rich_help_panel=AUTHORING)(codegen_cmd.codegen)
    app.command("diff", rich_help_panel=AUTHORING)(diff_cmd.diff)
    app.command("changelog", rich_help_panel=AUTHORING)(changelog_cmd.changelog)
    app.command("check", rich_help_panel=CI)(check_cmd.check)
    app.command("report", rich_help_panel=CI)(report_cmd.report)
    app.command("replay", rich_help_panel=TESTING)(replay_cmd.replay)
    app.command("fuzz", rich_help_panel=TESTING)(fuzz_cmd.fuzz)


_register()


def main() -> None:
    app()
