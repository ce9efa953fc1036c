"""Aligned plain-text report for terminals and logs."""

from __future__ import annotations

from collections.abc import Iterable

from costgate.model import PricedResource, Report
from costgate.money import exact, money_display, shown_delta, signed_money_display
from costgate.report.summary import counted, finding_counts

_COLUMNS = ("QUANTITY", "UNIT", "UNIT PRICE", "MONTHLY")


def _rows(priced: Iterable[PricedResource]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for p in priced:
        r = p.resource
        action = "" if r.action.value in ("no-op", "create") else f"  [{r.action.value}]"
        if p.unpriced_reason:
            rows.append((f"{r.address}{action}", "", "", "", "unpriced"))
            rows.append((f"  ! {p.unpriced_reason}", "", "", "", ""))
            continue
        total = "free" if p.free and not p.cost_lines else money_display(p.monthly_cost)
        rows.append((f"{r.address}{action}", "", "", "", total))
        for line in p.cost_lines:
            rows.append(
                (
                    f"  {line.name}",
                    exact(line.quantity),
                    line.unit,
                    exact(line.unit_price),
                    money_display(line.monthly_cost),
                )
            )
        rows.extend(("  - " + note, "", "", "", "") for note in p.notes if not p.free)
    return rows


def _grid(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    out = []
    for row in [header, *rows]:
        cells = [row[0].ljust(widths[0])]
        for i in range(1, len(row)):
            cell = row[i]
            cells.append(cell.ljust(widths[i]) if header[i] == "UNIT" else cell.rjust(widths[i]))
        out.append("  ".join(cells).rstrip())
    return out


def render(report: Report) -> str:
    """Breakdown, optional diff, findings and verdict."""
    lines = []
    shown = [p for p in report.resources if not (p.free and not p.cost_lines)]
    free = len(report.resources) - len(shown)
    lines += _grid(("RESOURCE / COMPONENT", *_COLUMNS), _rows(shown))
    lines.append("")
    lines.append(f"Monthly cost: {money_display(report.monthly_cost)} {report.currency}")
    unpriced = sum(1 for p in report.resources if not p.priced)
    lines.append(
        f"{len(report.resources)} resources: {len(report.resources) - unpriced - free} priced, "
        f"{free} free, {unpriced} unpriced"
        + (f"; catalog as of {report.catalog_as_of}" if report.catalog_as_of else "")
    )
    if report.diff is not None:
        diff = report.diff
        lines.append("")
        lines.append("Cost diff")
        rows: list[tuple[str, ...]] = [
            (
                d.address,
                d.change,
                money_display(d.base_monthly_cost),
                money_display(d.head_monthly_cost),
                signed_money_display(shown_delta(d)),
            )
            for d in diff.resources
            if d.change != "unchanged"
        ]
        lines += _grid(("RESOURCE", "CHANGE", "BASE", "HEAD", "DELTA"), rows)
        pct = f" ({diff.delta_percent:+.1f}%)" if diff.delta_percent is not None else ""
        lines.append(
            f"Monthly: {money_display(diff.base_monthly_cost)} -> "
            f"{money_display(diff.head_monthly_cost)}: "
            f"{signed_money_display(shown_delta(diff))}{pct}"
        )
    for warning in report.warnings:
        lines.append(f"warning: {warning}")
    if report.findings:
        lines.append("")
        lines.append("Findings")
        for f in report.findings:
            where = f" {f.resource}:" if f.resource else ""
            status = " (exempted: " + f.exemption.reason + ")" if f.exemption else ""
            lines.append(
                f"  {f.severity.value.upper():7} {f.id} {f.rule}{where} {f.message}{status}"
            )
            if f.remediation and not f.exempted:
                lines.append(f"          fix: {f.remediation}")
    counts = finding_counts(counted(report))
    lines.append("")
    verdict = "FAIL" if report.failed else "PASS"
    lines.append(f"Result: {verdict}" + (f" ({counts})" if counts else ""))
    return "\n".join(lines) + "\n"
