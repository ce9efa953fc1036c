"""Run the configured rules over priced resources; apply selectors and exemptions. No I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from fnmatch import fnmatchcase
from typing import Any

from costgate.model import CostDiff, Exemption, Finding, PricedResource, Severity
from costgate.policy.loader import Policy, PolicyExemption
from costgate.policy.rules import RULES, RuleContext


def selected(priced: PricedResource, select: Mapping[str, Any]) -> bool:
    """Whether a resource matches a rule's selector (all given criteria must hold)."""
    r = priced.resource
    if "types" in select and not any(fnmatchcase(r.type, g) for g in select["types"]):
        return False
    if "providers" in select and r.provider not in select["providers"]:
        return False
    if "addresses" in select and not any(
        fnmatchcase(r.address, g) or fnmatchcase(r.base_address, g) for g in select["addresses"]
    ):
        return False
    if "environments" in select and r.tags.get("environment") not in select["environments"]:
        return False
    return all(fnmatchcase(r.tags.get(k, ""), v) for k, v in select.get("tags", {}).items())


def evaluate(
    resources: tuple[PricedResource, ...],
    policy: Policy,
    *,
    diff: CostDiff | None = None,
    today: dt.date | None = None,
) -> tuple[Finding, ...]:
    """All findings of all enabled rules, exemptions applied, sorted for stable output."""
    today = today or dt.date.today()
    findings: list[Finding] = []
    for config in policy.rules:
        rule = RULES[config.name]()
        ctx = RuleContext(
            resources=tuple(p for p in resources if selected(p, config.select)),
            all_resources=resources,
            options=config.options,
            severity=config.severity,
            diff=diff,
        )
        findings.extend(rule.check(ctx))
    findings = [_exempt(f, policy.exemptions, today) for f in findings]
    findings.extend(_exemption_findings(policy.exemptions, today))
    return tuple(sorted(findings, key=_order))


def _order(f: Finding) -> tuple[int, str, str, str]:
    return (f.severity.rank, f.id, f.resource or "", f.message)


def _exempt(finding: Finding, exemptions: tuple[PolicyExemption, ...], today: dt.date) -> Finding:
    if finding.resource is None:
        return finding
    for exemption in exemptions:
        if not _covers(exemption, finding):
            continue
        if exemption.expires is not None and exemption.expires < today:
            return replace(finding, message=f"{finding.message} (exemption expired "
                                            f"{exemption.expires.isoformat()})")
        if not exemption.reason.strip():
            continue
        return replace(finding, exemption=Exemption(
            reason=exemption.reason,
            expires=exemption.expires.isoformat() if exemption.expires else None,
            source=exemption.source,
        ))
    return finding


def _covers(exemption: PolicyExemption, finding: Finding) -> bool:
    address = finding.resource or ""
    rule_ok = "*" in exemption.rules or finding.rule in exemption.rules
    return rule_ok and any(fnmatchcase(address, g) for g in exemption.resources)


def _exemption_findings(exemptions: tuple[PolicyExemption, ...], today: dt.date) -> list[Finding]:
    """An exemption without a reason exempts nothing and is itself reported."""
    return [
        Finding(
            rule="exemption", id="CG900", severity=Severity.ERROR, resource=None,
            message=f"exemption for {', '.join(e.resources)} ({', '.join(e.rules)}) has no reason",
            remediation="give every exemption a reason (and ideally an expiry date)",
        )
        for e in exemptions
        if not e.reason.strip()
    ]
