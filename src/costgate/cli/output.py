"""Where reports go: stdout or files written atomically, at the width of the terminal."""

from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from costgate.errors import OutputError
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
    """Write the report to stdout or, atomically, to the named file.

    Only a regular file (or a new path) is written: a directory, symlink, device, FIFO or
    socket at the path is refused rather than replaced, and a write that fails (a full disk)
    is an error naming where it went, not an internal error."""
    if output in (None, "-"):
        try:
            click.echo(text, nl=False)
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(f"cannot write the report to stdout: {exc.strerror}") from None
        return
    target = Path(output)
    _refuse_special(target)
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write the report: {exc.strerror}", path=output) from None


def _refuse_special(target: Path) -> None:
    """Refuse a path that exists and is not a regular file (lstat: a symlink is refused too,
    whatever it points at)."""
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(f"cannot write the report: {exc.strerror}", path=str(target)) from None
    if not stat.S_ISREG(mode):
        kind = (
            "a directory"
            if stat.S_ISDIR(mode)
            else "a symbolic link"
            if stat.S_ISLNK(mode)
            else "not a regular file (a device, FIFO or socket)"
        )
        raise OutputError(
            f"the report path is {kind}; give the path of a regular file", path=str(target)
        )


def emit(report: Report, options: ReportOptions) -> None:
    """Write the extra `--report` files, then the main report (unless --quiet on stdout)."""
    from costgate.report import render

    for fmt, path in options.reports:
        write_output(render(fmt, report), path)
    if not options.quiet or not options.to_stdout:
        width = stdout_width() if options.to_stdout else DEFAULT_WIDTH
        write_output(render(options.fmt, report, width=width), options.output)
