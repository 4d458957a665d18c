"""The `contractkit` command line: parse, call one library function, render, map to an exit code.

Exit codes, for every command: 0 success / compatible, 1 a finding (breaking change, stale models,
policy violation), 2 usage or input error — printed as one line naming the file and JSON pointer.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, NoReturn

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

from contractkit.cli._output import silence_stdout
from contractkit.errors import ContractkitError, MissingExtraError

__all__ = ["app", "main"]

AUTHORING = "Schema authoring"
CI = "CI gate"
TESTING = "Replay and fuzzing"
LIFECYCLE = "Version lifecycle"


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
            usage = (name if p.required else f"[{name}]") + ("..." if p.nargs != 1 else "")
            p.metavar = name
            object.__setattr__(p, "_usage_display_name", lambda usage=usage: usage)
            if p.nargs != 1:
                element = p.bare_type().removeprefix("list[").removesuffix("]").lower()
                object.__setattr__(p, "display_type_rich", lambda ctx, shown=f"<{element}>...": shown)


def _tidy_command(command: Any, ctx: Any, depth: int = 0) -> None:
    """Tidy a command's parameters (its cached --help option too), and a sub-group's commands."""
    _tidy(command.get_params(ctx))
    if isinstance(command, TyperGroup) and depth < 3:
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None:
                _tidy_command(sub, ctx, depth + 1)


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

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _tidy_command(command, ctx)
        return command

    def invoke(self, ctx: Any) -> Any:
        argv = [*getattr(ctx, "_protected_args", []), *ctx.args]
        try:
            return super().invoke(ctx)
        except ContractkitError as exc:
            _fail(exc.one_line() + _hint(exc))
        except RecursionError:
            _fail(_too_deep(argv))
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


_DEPTH_SHOWN = 100  # nesting beyond this is what the validator and the engine refuse


def _too_deep(argv: list[str]) -> str:
    """Name the input that is nested too deeply: the deepest JSON file among the command's arguments
    (files, and the .json files of a folder such as --schemas)."""
    files: list[Path] = []
    for arg in argv:
        path = Path(arg)
        with contextlib.suppress(OSError, ValueError):
            if path.is_file():
                files.append(path)
            elif path.is_dir():
                files += sorted(path.rglob("*.json"))[:500]
    if not files:
        with contextlib.suppress(ContractkitError, OSError):
            from contractkit.config import load_config

            files = sorted(load_config().schemas.rglob("*.json"))[:500]
    deepest = max(((json_depth(f), f) for f in files), default=(0, Path()))
    if deepest[0] > _DEPTH_SHOWN:
        return f"{deepest[1]}: input nested too deeply to process ({deepest[0]} levels of nesting)"
    return "input nested too deeply to process"


def json_depth(path: Path) -> int:
    """The deepest nesting of arrays and objects in a JSON file, counted without recursion."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 0
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _fail(message: str) -> NoReturn:
    with contextlib.suppress(OSError, ValueError):
        typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


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
    from contractkit.cli import openapi as openapi_cmd
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
    app.add_typer(openapi_cmd.app, name="openapi", rich_help_panel=CI)
    app.command("replay", rich_help_panel=TESTING)(replay_cmd.replay)
    app.command("fuzz", rich_help_panel=TESTING)(fuzz_cmd.fuzz)


_register()


def main() -> None:
    app()
