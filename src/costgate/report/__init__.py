"""Reporters, one module per output format, listed by hand and imported on first use."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from costgate.registry import LazyRegistry

if TYPE_CHECKING:
    from costgate.model import Report

Renderer = Callable[["Report"], str]

DEFAULT_WIDTH = 100
"""Columns of a table report written to a file or a pipe (a terminal gives its own)."""


REPORTERS: LazyRegistry[Renderer] = LazyRegistry(
    {
        "table": "costgate.report.table:render",
        "json": "costgate.report.json:render",
        "markdown": "costgate.report.markdown:render",
        "github": "costgate.report.github:render",
        "sarif": "costgate.report.sarif:render",
        "junit": "costgate.report.junit:render",
    }
)


class SizedRenderer(Protocol):
    """A reporter that fits its output to a width in columns (the table)."""

    def __call__(self, report: Report, *, width: int) -> str: ...


SIZED_REPORTERS: LazyRegistry[SizedRenderer] = LazyRegistry(
    {"table": "costgate.report.table:render"}
)
"""The formats laid out for a terminal; the others are read by programs or browsers."""


def render(fmt: str, report: Report, *, width: int = DEFAULT_WIDTH) -> str:
    """The report in *fmt*; *width* (columns) is used by the formats in `SIZED_REPORTERS`."""
    if fmt in SIZED_REPORTERS:
        return SIZED_REPORTERS[fmt](report, width=width)
    return REPORTERS[fmt](report)
