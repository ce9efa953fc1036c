"""Run one rule the way `costgate check` does: real pricing engine, real catalog."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from costgate.model import CostDiff, Finding, Resource, Severity
from costgate.policy.engine import evaluate
from costgate.policy.loader import Policy, RuleConfig
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from costgate.usage import Usage
from tests.conftest import usage as make_usage


def run_rule(
    rule: str,
    resources: list[Resource],
    catalog: Catalog,
    *,
    options: dict[str, Any] | None = None,
    select: dict[str, Any] | None = None,
    usage: Usage | None = None,
    diff: CostDiff | None = None,
    today: dt.date | None = None,
    severity: Severity = Severity.ERROR,
) -> list[Finding]:
    """Price *resources* and evaluate a policy holding only *rule* at *severity*."""
    usage = usage or make_usage()
    priced = price_resources(tuple(resources), catalog, usage)
    policy = Policy(rules=(RuleConfig(rule, severity, select or {}, options or {}),))
    return list(
        evaluate(
            priced,
            policy,
            diff=diff,
            catalog=catalog,
            usage=usage,
            today=today or dt.date(2026, 11, 20),
        )
    )


def by_resource(findings: list[Finding]) -> dict[str | None, list[str]]:
    """Messages grouped by resource address."""
    out: dict[str | None, list[str]] = {}
    for f in findings:
        out.setdefault(f.resource, []).append(f.message)
    return out


@dataclass
class Case:
    """A passing and a failing input for one rule on one cloud (the meta-test runs them)."""

    passing: list[Resource]
    failing: list[Resource]
    options: dict[str, Any] = field(default_factory=dict)
    base: list[Resource] | None = None
    """For diff rules: the BASE stack; passing/failing are HEAD stacks."""
