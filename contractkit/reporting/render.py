"""Render a saved `contractkit check --format json` report in another format, without checking again.

    python -m contractkit.reporting.render contractkit.json --format sarif -o contractkit.sarif
    python -m contractkit.reporting.render contractkit.json --format github

CI runs `check` once (the bounded fuzz and replay take time) and renders the same result several
ways: SARIF for code scanning, Markdown for the pull-request comment, `github` annotations in the log,
JUnit for GitLab. Exit 0 once written; 2 with one line on stderr when the report cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from contractkit.cli._output import emit, write_report
from contractkit.errors import ContractkitError, InputError
from contractkit.gate._model import GateReport
from contractkit.reporting.formats import FORMATS, render

__all__ = ["load_report", "main"]


def load_report(path: Path) -> GateReport:
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
        return GateReport.from_json(json.loads(text))
    except OSError as exc:
        raise InputError(path, None, f"cannot read: {exc.strerror or exc}") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(path, None, f"not a contractkit check JSON report: {exc}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m contractkit.reporting.render", description=__doc__.split("\n")[0])
    parser.add_argument("report", type=Path, help="the JSON report (`-` for stdin)")
    parser.add_argument("--format", "-f", choices=sorted(FORMATS), required=True)
    parser.add_argument("--output", "-o", type=Path, help="write here instead of stdout")
    args = parser.parse_args(argv)
    try:
        text = render(load_report(args.report), args.format)
        text = text if text.endswith("\n") else text + "\n"
        if args.output is not None:
            write_report(text, args.output)
        else:
            emit(text, nl=False)
    except ContractkitError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
