"""Aligned plain-text report for terminals and logs, fitted to a width.

The CLI passes the terminal's width (100 columns for files and pipes). Long reasons, notes
and finding messages wrap under their resource, indented, instead of widening every row;
a long component name wraps within its column, so the numeric columns stay aligned.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

from costgate.model import PricedResource, Report
from costgate.money import exact, money_display, shown_delta, signed_money_display
from costgate.report import DEFAULT_WIDTH
from costgate.report.escape import terminal as t
from costgate.report.summary import counted, counts, finding_counts, tally_line

_COLUMNS = ("QUANTITY", "UNIT", "UNIT PRICE", "MONTHLY")
_LEFT_ALIGNED = frozenset({"UNIT"})
_GAP = "  "
_MIN_FIRST_COLUMN = 20
"""The resource column never shrinks below this, even if the numbers then overflow."""


@dataclass(frozen=True)
class _Text:
    """A line of prose under a row (unpriced reason, note): wrapped, not a grid cell."""

    prefix: str
    text: str


_Row = tuple[str, ...] | _Text


def _wrap(prefix: str, text: str, width: int, hang: str | None = None) -> list[str]:
    """*prefix* + *text* wrapped at *width*, continuation lines indented by *hang*.

    `hang` defaults to the prefix's width, so a wrapped paragraph lines up under its first
    word. Words longer than a line are broken: the width is a promise.
    """
    hang = " " * len(prefix) if hang is None else hang
    return textwrap.wrap(
        text,
        max(width, len(hang) + 10),
        initial_indent=prefix,
        subsequent_indent=hang,
        break_on_hyphens=False,
    ) or [prefix.rstrip()]


def _rows(priced: Iterable[PricedResource]) -> list[_Row]:
    rows: list[_Row] = []
    for p in priced:
        r = p.resource
        action = "" if r.action.value in ("no-op", "create") else f"  [{r.action.value}]"
        if p.unpriced_reason:
            rows.append((f"{t(r.address)}{action}", "", "", "", "unpriced"))
            rows.append(_Text("  ! ", t(p.unpriced_reason)))
            continue
        total = "free" if p.free and not p.cost_lines else money_display(p.monthly_cost)
        rows.append((f"{t(r.address)}{action}", "", "", "", total))
        for line in p.cost_lines:
            rows.append(
                (
                    f"  {t(line.name)}",
                    exact(line.quantity),
                    t(line.unit),
                    exact(line.unit_price),
                    money_display(line.monthly_cost),
                )
            )
        rows.extend(_Text("  ! ", t(missing)) for missing in p.missing)
        rows.extend(_Text("  - ", t(note)) for note in p.notes if not p.free)
    return rows


def _first_cell(cell: str, width: int) -> list[str]:
    """The first column's text in lines of at most *width*, continuations indented."""
    if len(cell) <= width:
        return [cell]
    body = cell.lstrip(" ")
    indent = cell[: len(cell) - len(body)]
    return _wrap(indent, body, width, hang=indent + "  ")


def _grid(header: tuple[str, ...], rows: list[_Row], width: int) -> list[str]:
    """Columns sized to their content; the first one shrinks (and wraps) to fit *width*."""
    cells = [header, *(row for row in rows if isinstance(row, tuple))]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    numbers = sum(widths[1:]) + len(_GAP) * (len(header) - 1)
    widths[0] = max(min(widths[0], width - numbers), min(widths[0], _MIN_FIRST_COLUMN))
    out: list[str] = []
    for row in [header, *rows]:
        if isinstance(row, _Text):
            out += _wrap(row.prefix, row.text, width)
            continue
        first, *more = _first_cell(row[0], widths[0])
        line = [first.ljust(widths[0])]
        for i in range(1, len(row)):
            aligned = str.ljust if header[i] in _LEFT_ALIGNED else str.rjust
            line.append(aligned(row[i], widths[i]))
        out.append(_GAP.join(line).rstrip())
        out += more
    return out


def render(report: Report, *, width: int = DEFAULT_WIDTH) -> str:
    """Breakdown, optional diff, findings and verdict, at most *width* columns wide
    (unless the numbers alone need more)."""
    lines = []
    shown = [p for p in report.resources if not (p.free and not p.cost_lines)]
    lines += _grid(("RESOURCE / COMPONENT", *_COLUMNS), _rows(shown), width)
    lines.append("")
    lines.append(f"Monthly cost: {money_display(report.monthly_cost)} {t(report.currency)}")
    lines += _wrap(
        "",
        tally_line(counts(report))
        + (f"; catalog as of {t(report.catalog_as_of)}" if report.catalog_as_of else ""),
        width,
        hang="  ",
    )
    if report.diff is not None:
        diff = report.diff
        lines.append("")
        lines.append("Cost diff")
        rows: list[_Row] = [
            (
                t(d.address),
                d.change,
                money_display(d.base_monthly_cost),
                money_display(d.head_monthly_cost),
                signed_money_display(shown_delta(d)),
            )
            for d in diff.resources
            if d.change != "unchanged"
        ]
        lines += _grid(("RESOURCE", "CHANGE", "BASE", "HEAD", "DELTA"), rows, width)
        pct = f" ({diff.delta_percent:+.1f}%)" if diff.delta_percent is not None else ""
        lines += _wrap(
            "Monthly: ",
            f"{money_display(diff.base_monthly_cost)} -> "
            f"{money_display(diff.head_monthly_cost)}: "
            f"{signed_money_display(shown_delta(diff))}{pct}",
            width,
        )
    if report.policy_change is not None:  # details in the policy-change finding
        lines += _wrap("policy changed: ", ", ".join(report.policy_change.files), width)
    for warning in report.warnings:
        lines += _wrap("warning: ", t(warning), width, hang="  ")
    if report.findings:
        lines.append("")
        lines.append("Findings")
        for f in report.findings:
            where = f" {t(f.resource)}:" if f.resource else ""
            status = " (exempted: " + t(f.exemption.reason) + ")" if f.exemption else ""
            lines += _wrap(
                f"  {f.severity.value.upper():7} ",
                f"{t(f.id)} {t(f.rule)}{where} {t(f.message)}{status}",
                width,
            )
            if f.remediation and not f.exempted:
                lines += _wrap("          fix: ", t(f.remediation), width)
    tally_findings = finding_counts(counted(report))
    lines.append("")
    verdict = "FAIL" if report.failed else "PASS"
    lines.append(f"Result: {verdict}" + (f" ({tally_findings})" if tally_findings else ""))
    return "\n".join(lines) + "\n"
