"""Reporters, one module per output format, listed by hand."""

from __future__ import annotations

from collections.abc import Callable

from costgate.model import Report
from costgate.report import github, json, junit, markdown, sarif, table

Renderer = Callable[[Report], str]

REPORTERS: dict[str, Renderer] = {
    "table": table.render,
    "json": json.render,
    "markdown": markdown.render,
    "github": github.render,
    "sarif": sarif.render,
    "junit": junit.render,
}
