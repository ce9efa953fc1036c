"""Facts every human-facing reporter states the same way: verdict, finding counts, headline."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from costgate.model import Finding, Report, Severity
from costgate.money import money_display, shown_delta, signed_money_display


@dataclass(frozen=True)
class Counts:
    """How many resources were priced, the one definition the table, markdown and JSON share.

    `priced` counts every resource with a price, the free ones included (a free resource is
    priced at zero), so `priced + unpriced == resources`; `free` is the part of `priced`
    that costs nothing by its type (an IAM role, a VPC); `partial` the part of `priced`
    with components that could not be priced. Cost-bearing resources are the ones that are
    not free: `cost_bearing_priced` of `cost_bearing` is the figure a verdict rests on.
    """

    resources: int
    priced: int
    free: int
    unpriced: int
    partial: int = 0

    @property
    def cost_bearing(self) -> int:
        """Resources that are not free by their type."""
        return self.resources - self.free

    @property
    def cost_bearing_priced(self) -> int:
        """Cost-bearing resources with a price (partially priced ones included)."""
        return self.priced - self.free


def counts(report: Report) -> Counts:
    """The report's resource counts (see `Counts`)."""
    priced = sum(1 for p in report.resources if p.priced)
    return Counts(
        resources=len(report.resources),
        priced=priced,
        free=sum(1 for p in report.resources if p.priced and p.free),
        unpriced=len(report.resources) - priced,
        partial=sum(1 for p in report.resources if p.partial),
    )


def tally_line(tally: Counts) -> str:
    """'8 resources: 8 priced (2 free), 0 unpriced; 6 of 6 cost-bearing priced',
    the counts every human-facing report states in the same words as the JSON summary."""
    detail = [f"{tally.free} free"] if tally.free else []
    if tally.partial:
        detail.append(f"{tally.partial} partially")
    inner = f" ({', '.join(detail)})" if detail else ""
    return (
        f"{plural(tally.resources, 'resource')}: {tally.priced} priced{inner}, "
        f"{tally.unpriced} unpriced; {tally.cost_bearing_priced} of {tally.cost_bearing} "
        "cost-bearing priced"
    )


def plural(n: int, noun: str) -> str:
    """'1 resource', '2 resources' (regular plurals only)."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def verdict(report: Report) -> str:
    """'fail' or 'pass', as in the JSON report's `result`."""
    return "fail" if report.failed else "pass"


def counted(report: Report) -> list[Finding]:
    """Findings that count against the verdict's severity threshold (not exempted)."""
    return [f for f in report.findings if not f.exempted]


def finding_counts(findings: Iterable[Finding]) -> str:
    """'2 errors, 1 warning' (empty when there are none)."""
    items = list(findings)
    return ", ".join(
        plural(n, s.value) for s in Severity if (n := sum(1 for f in items if f.severity is s))
    )


def delta_percent(report: Report) -> str:
    """'+2.4%' for a diff against a base that costs something, else ''."""
    if report.diff is None or report.diff.delta_percent is None:
        return ""
    return f"{report.diff.delta_percent:+.1f}%"


def headline(report: Report) -> str:
    """One line: the monthly figure (or base -> head and delta) and the verdict."""
    counts = finding_counts(counted(report))
    result = verdict(report).upper() + (f" ({counts})" if counts else "")
    if report.diff is None:
        return f"Monthly cost {money_display(report.monthly_cost)} {report.currency}: {result}"
    diff = report.diff
    return (
        f"Monthly cost {money_display(diff.base_monthly_cost)} -> "
        f"{money_display(diff.head_monthly_cost)} {report.currency} "
        f"({signed_money_display(shown_delta(diff))}{_and_percent(report)}): {result}"
    )


def _and_percent(report: Report) -> str:
    pct = delta_percent(report)
    return f", {pct}" if pct else ""
