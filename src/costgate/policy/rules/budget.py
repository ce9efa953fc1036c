"""budget: the monthly total of a scope stays under its limit, with an early warning."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any, ClassVar

from costgate.model import ZERO, Finding, PricedResource, Severity
from costgate.money import money_display
from costgate.policy.rules.base import Rule, RuleContext

SEED_WARN_FRACTION = Decimal("0.8")
"""The seed's BudgetGuard warns at 80 % of the budget."""

_AMOUNT = {"type": "number", "exclusiveMinimum": 0}


class Budget(Rule):
    """The monthly cost of a scope must stay within its budget; warn when it gets close.

    Why: the seed's budget guard ("alerts at 80 % and 100 % of budget") stops runaway
    spend; doing it before merge means the alert comes before the bill. The scope is the
    whole input (after the rule's selector), or one budget per value of `per_tag` (e.g.
    team or project). A scope over `monthly_limit` (or its entry in `limits`) is a
    finding at the rule's severity; one at or above `warn_fraction` of it (default 0.8)
    is a warning. Unpriced resources are not in the total and the message says so.

    Options: `monthly_limit` (required), `warn_fraction`, `per_tag`, `limits`
    (tag value -> limit, overriding `monthly_limit`).

    Bad:
        # budget: {options: {monthly_limit: 20000}}
        resource "aws_instance" "trainer" { instance_type = "p4d.24xlarge" }  # $16,029/month
        resource "aws_instance" "second"  { instance_type = "p4d.24xlarge" }

    Good:
        resource "aws_instance" "trainer" {
          instance_type = "p4d.24xlarge"
          instance_market_options { market_type = "spot" }
        }
    """

    id = "CG501"
    name = "budget"
    summary = "The monthly cost of the input (or of each tag value) must stay within budget."
    default_severity = Severity.ERROR
    options_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["monthly_limit"],
        "properties": {
            "monthly_limit": _AMOUNT,
            "warn_fraction": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
            "per_tag": {"type": "string", "minLength": 1},
            "limits": {"type": "object", "additionalProperties": _AMOUNT},
        },
    }

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        tag = ctx.options.get("per_tag")
        scopes: dict[str, list[PricedResource]] = {}
        for priced in ctx.resources:
            if priced.resource.action.exists_after:
                value = priced.resource.tags.get(tag) if tag else None
                key = (f"{tag}={value}" if value else f"no {tag} tag") if tag else "this input"
                scopes.setdefault(key, []).append(priced)
        warn = Decimal(str(ctx.options.get("warn_fraction", SEED_WARN_FRACTION)))
        limits = ctx.options.get("limits", {})
        for scope, members in sorted(scopes.items()):
            value = scope.split("=", 1)[1] if tag and "=" in scope else None
            limit = Decimal(str(limits.get(value, ctx.options["monthly_limit"])))
            total = sum((p.monthly_cost for p in members), ZERO)
            unpriced = sum(1 for p in members if not p.priced)
            more = f"; {unpriced} unpriced resource(s) not included" if unpriced else ""
            biggest = sorted(members, key=lambda p: -p.monthly_cost)[:3]
            top = ", ".join(
                f"{p.resource.address} {money_display(p.monthly_cost)}"
                for p in biggest
                if p.monthly_cost
            )
            if total > limit:
                yield self.finding(
                    ctx,
                    None,
                    f"monthly cost for {scope} is {money_display(total)}, over its "
                    f"{money_display(limit)} budget by {money_display(total - limit)}{more}",
                    f"cut the largest items ({top}) or raise the budget",
                    monthly_cost=total,
                )
            elif total >= limit * warn:
                yield self.finding(
                    ctx,
                    None,
                    f"monthly cost for {scope} is {money_display(total)}, "
                    f"{total / limit * 100:.0f}% of its {money_display(limit)} budget "
                    f"(warns at {warn * 100:.0f}%){more}",
                    f"plan for the remaining {money_display(limit - total)}; largest: {top}",
                    severity=Severity.WARNING,
                    monthly_cost=total,
                )
