"""GitHub-flavoured markdown: the pull-request comment and the job's step summary.

GitHub rejects comments longer than 65,536 characters. The verdict, headline and
findings come first and are kept; when the text would not fit, the collapsed full
breakdown loses rows first, then the cost movers, then the project table, and only
then the findings list. Every cut says how many rows it left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from costgate.model import ZERO, Finding, PricedResource, Report, Severity
from costgate.money import exact, money_display, shown_delta, signed_money_display
from costgate.report.escape import markdown_code, markdown_text
from costgate.report.summary import (
    counted,
    counts,
    delta_percent,
    finding_counts,
    plural,
    verdict,
)

GITHUB_COMMENT_LIMIT = 65_536
"""GitHub's maximum issue/pull-request comment body, in characters."""

MARKER_ROOM = 512
"""Left free for the hidden marker `costgate comment github` adds to the body."""

LIMIT = GITHUB_COMMENT_LIMIT - MARKER_ROOM
"""What a rendered report may take, measured in UTF-8 bytes (never fewer than characters)."""

NO_CHANGE = "<!-- costgate-no-change -->"
"""First line of a diff report in which no resource changed: `costgate comment github
--on-no-change skip|delete` then posts nothing. User text never starts a line, so no input
can forge it."""

TOP_MOVERS = 10
UNPRICED_NAMED = 10
NO_PROJECT = "(no project tag)"

_ICONS = {"pass": "✅", "fail": "❌"}
_SEVERITY_TITLES = {
    Severity.ERROR: "❌ Errors",
    Severity.WARNING: "⚠️ Warnings",
    Severity.INFO: "\N{INFORMATION SOURCE}\N{VARIATION SELECTOR-16} Info",
}


def text(value: str) -> str:
    """Plain text from the input, safe in markdown and table cells (see `escape.markdown_text`)."""
    return markdown_text(value)


def code(value: str) -> str:
    """A code span for addresses, types and ids in a table cell (see `escape.markdown_code`)."""
    return markdown_code(value)


def code_inline(value: str) -> str:
    """A code span outside tables, where `|` needs no escape."""
    return markdown_code(value, in_table=False)


@dataclass
class _Section:
    """A run of lines whose `rows` may be cut from the end to make the text fit."""

    head: list[str]
    rows: list[str] = field(default_factory=list)
    tail: list[str] = field(default_factory=list)
    cut_note: str = ""
    """Row shown in place of the cut rows; `{n}` is replaced by how many were cut."""
    item_prefix: str = ""
    """Only cut rows starting with this count as items in the note (not sub-headings)."""
    omitted: int = 0

    def lines(self) -> list[str]:
        note = [self.cut_note.format(n=self.omitted)] if self.omitted else []
        return [*self.head, *self.rows, *note, *self.tail]

    def cut_last(self) -> int:
        """Drop the last row; return the bytes freed."""
        row = self.rows.pop()
        self.omitted += row.startswith(self.item_prefix)
        return _size([row])


def _size(lines: Iterable[str]) -> int:
    return sum(len(line.encode("utf-8")) + 1 for line in lines)


def _fit(sections: list[_Section], cut_order: list[_Section], limit: int) -> None:
    """Cut rows, in `cut_order`, until everything fits in *limit* bytes."""
    for section in cut_order:
        excess = _size(line for s in sections for line in s.lines()) - limit
        if excess <= 0:
            return
        note_size = _size([section.cut_note.format(n=len(section.rows) + section.omitted)])
        freed = 0
        while section.rows and freed < excess + note_size:
            freed += section.cut_last()
        while section.rows and not section.rows[-1].startswith(section.item_prefix):
            section.cut_last()  # no dangling sub-heading before the note


def _headline(report: Report) -> list[str]:
    result = verdict(report)
    severities = finding_counts(counted(report))
    status = f"{_ICONS[result]} **{result.upper()}**" + (f" ({severities})" if severities else "")
    if report.diff is None:
        title = f"## costgate: {money_display(report.monthly_cost)} / month"
        figures = f"Monthly cost **{money_display(report.monthly_cost)}** {text(report.currency)}"
    else:
        diff = report.diff
        pct = delta_percent(report)
        title = f"## costgate: {signed_money_display(shown_delta(diff))} / month" + (
            f" ({pct})" if pct else ""
        )
        figures = (
            f"Monthly cost **{money_display(diff.base_monthly_cost)} → "
            f"{money_display(diff.head_monthly_cost)}** {text(report.currency)}"
        )
    tally = counts(report)
    resources = plural(tally.resources, "resource")
    if tally.unpriced:
        resources += f", {tally.unpriced} unpriced"
    if tally.partial:
        resources += f", {tally.partial} partially priced"
    return [title, "", f"{status} · {figures} · {resources}", ""]


def _project(priced: PricedResource | None) -> str:
    if priced is None:
        return NO_PROJECT
    return priced.resource.tags.get("project") or NO_PROJECT


def _project_cell(name: str) -> str:
    return f"_{text(name)}_" if name == NO_PROJECT else code(name)


def _project_order(name: str) -> tuple[bool, str]:
    return (name == NO_PROJECT, name)


def _projects(report: Report) -> _Section:
    rows: list[str] = []
    if report.diff is None:
        totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
        counts: dict[str, int] = defaultdict(int)
        for p in report.resources:
            if p.resource.action.exists_after:
                totals[_project(p)] += p.monthly_cost
                counts[_project(p)] += 1
        head = ["### Cost by project", "", "| Project | Resources | Monthly |", "|---|--:|--:|"]
        rows = [
            f"| {_project_cell(name)} | {counts[name]} | {money_display(totals[name])} |"
            for name in sorted(totals, key=_project_order)
        ]
        total = [
            f"| **Total** | {sum(counts.values())} | **{money_display(report.monthly_cost)}** |"
        ]
    else:
        base: dict[str, Decimal] = defaultdict(lambda: ZERO)
        head_cost: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for d in report.diff.resources:
            base[_project(d.base or d.head)] += d.base_monthly_cost
            head_cost[_project(d.head or d.base)] += d.head_monthly_cost
        head = ["### Cost by project", "", "| Project | Base | Head | Delta |", "|---|--:|--:|--:|"]
        names = sorted(base.keys() | head_cost.keys(), key=_project_order)
        rows = [
            f"| {_project_cell(n)} | {money_display(base[n])} | "
            f"{money_display(head_cost[n])} | "
            f"{signed_money_display(head_cost[n] - base[n])} |"
            for n in names
        ]
        diff = report.diff
        total = [
            f"| **Total** | {money_display(diff.base_monthly_cost)} | "
            f"{money_display(diff.head_monthly_cost)} | "
            f"**{signed_money_display(shown_delta(diff))}** |"
        ]
    return _Section(head, rows, [*total, ""], "| … {n} more projects | | | |")


def _movers(report: Report) -> _Section:
    if report.diff is None:
        ranked = sorted(
            (p for p in report.resources if p.resource.action.exists_after and p.monthly_cost),
            key=lambda p: (-p.monthly_cost, p.resource.address),
        )
        head = [
            "### Most expensive resources",
            "",
            "| Resource | Type | Monthly |",
            "|---|---|--:|",
        ]
        rows = [
            f"| {code(p.resource.address)} | {code(p.resource.type)} | "
            f"{money_display(p.monthly_cost)} |"
            for p in ranked[:TOP_MOVERS]
        ]
        candidates = len(ranked)
    else:
        moved = [d for d in report.diff.resources if d.delta]
        head = [
            "### Top cost movers",
            "",
            "| Resource | Change | Base | Head | Delta |",
            "|---|---|--:|--:|--:|",
        ]
        rows = [
            f"| {code(d.address)} | {d.change} | {money_display(d.base_monthly_cost)} | "
            f"{money_display(d.head_monthly_cost)} | {signed_money_display(shown_delta(d))} |"
            for d in moved[:TOP_MOVERS]
        ]
        candidates = len(moved)
    if not rows:
        return _Section([])
    more = candidates - len(rows)
    tail = [f"_{more} more with smaller amounts in the full breakdown._", ""] if more > 0 else [""]
    return _Section(head, rows, tail, "| … {n} more | | | | |")


def _finding(f: Finding) -> str:
    where = f" on {code_inline(f.resource)}" if f.resource else ""
    cost = f" ({money_display(f.monthly_cost)}/month)" if f.monthly_cost else ""
    line = f"- {code_inline(f.id)} **{text(f.rule)}**{where}{cost}: {text(f.message)}"
    if f.exemption is not None:
        until = f", until {text(str(f.exemption.expires))}" if f.exemption.expires else ""
        return f"{line}<br>Exempted: {text(f.exemption.reason)}{until}"
    if f.remediation:
        line += f"<br>Fix: {text(f.remediation)}"
    return line


def _findings(report: Report) -> _Section:
    if not report.findings:
        return _Section(["### Findings", "", "No policy findings.", ""])
    rows: list[str] = []
    for severity in Severity:
        group = [f for f in report.findings if f.severity is severity and not f.exempted]
        if group:
            gate = "" if severity.rank <= report.fail_on.rank else " (do not fail the check)"
            rows += [f"#### {_SEVERITY_TITLES[severity]} ({len(group)}){gate}", ""]
            rows += [_finding(f) for f in group]
            rows.append("")
    exempted = [f for f in report.findings if f.exempted]
    if exempted:
        rows += [f"#### Exempted ({len(exempted)})", "", *map(_finding, exempted), ""]
    while rows and not rows[-1]:
        rows.pop()
    return _Section(
        ["### Findings", ""],
        rows,
        [""],
        "- … {n} more findings cut to fit GitHub's comment size limit; the job's "
        "`--format json` or `github` output lists them all",
        item_prefix="- ",
    )


def _breakdown(report: Report) -> _Section:
    rows: list[str] = []
    for p in report.resources:
        r = p.resource
        action = "" if r.action.value in ("no-op", "create") else f" ({r.action.value})"
        if p.unpriced_reason:
            rows.append(
                f"| {code(r.address)}{action} | unpriced: {text(p.unpriced_reason)} | | | | |"
            )
            continue
        if p.free and not p.cost_lines:
            rows.append(f"| {code(r.address)}{action} | free | | | | |")
            continue
        rows.append(f"| {code(r.address)}{action} | | | | | **{money_display(p.monthly_cost)}** |")
        rows += [
            f"| | {text(c.name)} | {exact(c.quantity)} | {text(c.unit)} | "
            f"{exact(c.unit_price)} | {money_display(c.monthly_cost)} |"
            for c in p.cost_lines
        ]
        rows += [f"| | ⚠ _{text(missing)}_ | | | | |" for missing in p.missing]
        rows += [f"| | _{text(note)}_ | | | | |" for note in p.notes if not p.free]
    summary = (
        f"<details><summary>Full breakdown: {plural(len(report.resources), 'resource')}, "
        f"{money_display(report.monthly_cost)} / month</summary>"
    )
    head = [
        summary,
        "",
        "| Resource | Component | Quantity | Unit | Unit price | Monthly |",
        "|---|---|--:|---|--:|--:|",
    ]
    cut = (
        "| … | {n} more rows cut to fit GitHub's comment size limit; "
        "run `costgate breakdown` for all of them | | | | |"
    )
    return _Section(head, rows, ["", "</details>", ""], cut)


def _notes(report: Report) -> list[str]:
    lines: list[str] = []
    unpriced = [p for p in report.resources if not p.priced]
    if unpriced:
        named = ", ".join(
            f"{code(p.resource.address)} ({text(p.unpriced_reason or '')})"
            for p in unpriced[:UNPRICED_NAMED]
        )
        more = len(unpriced) - UNPRICED_NAMED
        lines.append(
            f"> **{plural(len(unpriced), 'resource')} "
            f"could not be priced** and {'are' if len(unpriced) != 1 else 'is'} "
            f"not in the totals: {named}" + (f" and {more} more" if more > 0 else "") + "."
        )
        lines.append("")
    if (change := report.policy_change) is not None:  # details: the policy-change finding
        files = text(", ".join(change.files))
        lines += [
            f"> ⚠️ this change edits the policy ({files}); {change.applied} policy applied",
            "",
        ]
    lines += [f"> ⚠️ {text(w)}" for w in report.warnings[:UNPRICED_NAMED]]
    if len(report.warnings) > UNPRICED_NAMED:
        more_warnings = plural(len(report.warnings) - UNPRICED_NAMED, "more warning")
        lines.append(f"> ⚠️ … and {more_warnings}")
    if report.warnings:
        lines.append("")
    as_of = f" as of {text(report.catalog_as_of)}" if report.catalog_as_of else ""
    lines.append(
        f"<sub>Prices from the costgate catalog{as_of} ({text(report.currency)}, 730 hours a "
        "month); list-price estimates, not a bill.</sub>"
    )
    return lines


def render(report: Report, limit: int = LIMIT) -> str:
    """The comment body; never longer than *limit* bytes, the verdict always included."""
    projects, movers = _projects(report), _movers(report)
    findings, breakdown = _findings(report), _breakdown(report)
    sections = [
        _Section(_headline(report)),
        projects,
        movers,
        findings,
        breakdown,
        _Section(_notes(report)),
    ]
    _fit(sections, [breakdown, movers, projects, findings], limit)
    text = "\n".join(line for s in sections for line in s.lines()).rstrip("\n") + "\n"
    return f"{NO_CHANGE}\n{text}" if _unchanged(report) else text


def _unchanged(report: Report) -> bool:
    """A diff in which no resource was added, removed or changed."""
    diff = report.diff
    return diff is not None and all(d.change == "unchanged" for d in diff.resources)
