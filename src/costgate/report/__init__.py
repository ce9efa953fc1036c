"""Reporters, one module per output format, listed by hand and imported on first use."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from costgate.registry import LazyRegistry

if TYPE_CHECKING:
    from costgate.model import Report

Renderer = Callable[["Report"], str]

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
