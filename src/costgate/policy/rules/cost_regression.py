"""cost-regression: a change may not raise the monthly cost by more than $X or X %."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any, ClassVar

from costgate.model import ZERO, Finding, Severity
from costgate.money import money_display, shown_delta, signed_money_display
from costgate.policy.rules.base import Rule, RuleContext


class CostRegression(Rule):
    """A change must not raise the monthly cost by more than `max_increase` dollars or
    `max_increase_percent` percent (used by `costgate diff`).

    Why: the seed's cost-aware CI/CD: "reject changes that increase cost by more than
    X %" prevents cost regressions one pull request at a time. The rule compares the
    monthly totals of BASE and HEAD; it needs a diff and says nothing in `costgate
    check`. A percentage limit does not apply when the base costs nothing (a new stack);
    a dollar limit still does. The finding names the resources that moved the most.

    Options: `max_increase` (USD a month), `max_increase_percent` (at least one).

    Bad:
        # cost-regression: {options: {max_increase_percent: 10}}
        # base: 1 x g5.xlarge on-demand ($734/month); head: 2 x g5.xlarge (+100 %)

    Good:
        # head: 2 x g5.xlarge on spot, within +10 % of the base
    """

    id = "CG601"
    name = "cost-regression"
    summary = "A change must not raise the monthly cost by more than $X or X %."
    default_severity = Severity.ERROR
    options_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "minProperties": 1,
        "properties": {
            "max_increase": {"type": "number", "minimum": 0},
            "max_increase_percent": {"type": "number", "minimum": 0},
        },
    }

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        diff = ctx.diff
        if diff is None or diff.delta <= ZERO:
            return
        over = []
        if "max_increase" in ctx.options:
            limit = Decimal(str(ctx.options["max_increase"]))
            if diff.delta > limit:
                over.append(f"the limit is +{money_display(limit)}")
        percent = diff.delta_percent
        if "max_increase_percent" in ctx.options and percent is not None:
            limit = Decimal(str(ctx.options["max_increase_percent"]))
            if percent > limit:
                over.append(f"the limit is +{limit}%")
        if not over:
            return
        change = f" ({percent:+.1f}%)" if percent is not None else ""
        movers = [d for d in diff.resources if d.delta > ZERO][:3]
        top = ", ".join(f"{d.address} {signed_money_display(shown_delta(d))}" for d in movers)
        yield self.finding(
            ctx,
            None,
            f"monthly cost rises by {signed_money_display(shown_delta(diff))}{change}, from "
            f"{money_display(diff.base_monthly_cost)} to {money_display(diff.head_monthly_cost)};"
            f" {' and '.join(over)}",
            f"reduce the increase (largest: {top}) or raise the policy's limit for this change",
            monthly_cost=diff.delta,
        )
