"""Where reports go: stdout or files written atomically, at the width of the terminal."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from costgate.report import DEFAULT_WIDTH

if TYPE_CHECKING:
    from costgate.model import Report


@dataclass(frozen=True)
class ReportOptions:
    """How and where check, breakdown and diff write their report."""

    fmt: str
    output: str | None
    reports: tuple[tuple[str, str], ...]
    quiet: bool
    no_color: bool

    @property
    def to_stdout(self) -> bool:
        """True when the main report goes to stdout rather than a file."""
        return self.output in (None, "-")


def stdout_width() -> int:
    """The terminal's columns, $COLUMNS when set, else DEFAULT_WIDTH (piped, redirected)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    return DEFAULT_WIDTH


def write_output(text: str, output: str | None) -> None:
    """Write the report to stdout or, atomically, to the named file."""
    if output in (None, "-"):
        click.echo(text, nl=False)
        return
    target = Path(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, target)


def emit(report: Report, options: ReportOptions) -> None:
    """Write the extra `--report` files, then the main report (unless --quiet on stdout)."""
    from costgate.report import render

    for fmt, path in options.reports:
        write_output(render(fmt, report), path)
    if not options.quiet or not options.to_stdout:
        width = stdout_width() if options.to_stdout else DEFAULT_WIDTH
        write_output(render(options.fmt, report, width=width), options.output)
