"""Run the configured rules over priced resources; apply selectors and exemptions. No I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from fnmatch import fnmatchcase
from typing import Any

from costgate.facts.index import StackIndex
from costgate.model import CostDiff, Exemption, Finding, PricedResource, Resource, Severity
from costgate.policy.inline import InlineExemption, inline_exemptions
from costgate.policy.loader import Policy, PolicyExemption
from costgate.policy.rules import RULES, RuleContext
from costgate.policy.rules.base import Pricing
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import PricingSession
from costgate.usage import Usage

EXEMPTION_ID = "CG900"


def selected(priced: PricedResource, select: Mapping[str, Any]) -> bool:
    """Whether a resource matches a rule's selector (all given criteria must hold)."""
    if not select:
        return True
    r = priced.resource
    tags = r.tags
    if "types" in select and not any(fnmatchcase(r.type, g) for g in select["types"]):
        return False
    if "providers" in select and r.provider not in select["providers"]:
        return False
    if "addresses" in select and not any(
        fnmatchcase(r.address, g) or fnmatchcase(r.base_address, g) for g in select["addresses"]
    ):
        return False
    if "environments" in select and tags.get("environment") not in select["environments"]:
        return False
    return all(fnmatchcase(tags.get(k, ""), v) for k, v in select.get("tags", {}).items())


def evaluate(
    resources: tuple[PricedResource, ...],
    policy: Policy,
    *,
    diff: CostDiff | None = None,
    today: dt.date | None = None,
    catalog: Catalog | None = None,
    usage: Usage | None = None,
    pricing: Pricing | None = None,
) -> tuple[Finding, ...]:
    """All findings of all enabled rules, exemptions applied, sorted for stable output.

    *pricing* is the run's pricing session (its catalog, usage and stack index); without
    it one is built from *catalog* (empty: everything unpriced) and *usage*.
    """
    today = today or dt.date.today()
    findings: list[Finding] = []
    if pricing is None:
        pricing = PricingSession(
            catalog or Catalog.empty(),
            usage or Usage(),
            StackIndex(tuple(p.resource for p in resources)),
        )
    for config in policy.rules:
        rule = RULES[config.name]()
        ctx = RuleContext(
            resources=tuple(p for p in resources if selected(p, config.select))
            if config.select
            else resources,
            all_resources=resources,
            options=config.options,
            severity=config.severity,
            diff=diff,
            pricing=pricing,
        )
        findings.extend(rule.check(ctx))
    inline = _inline(resources)
    honoured = inline if policy.inline_exemptions else {}
    findings = [
        _exempt(f, policy.exemptions, honoured, today, wildcard=policy.inline_wildcard)
        for f in findings
    ]
    findings.extend(_exemption_findings(policy.exemptions))
    findings.extend(_inline_findings(resources, inline, policy))
    return tuple(sorted(findings, key=_order))


def _order(f: Finding) -> tuple[int, str, str, str]:
    return (f.severity.rank, f.id, f.resource or "", f.message)


def _inline(resources: tuple[PricedResource, ...]) -> dict[str, list[InlineExemption]]:
    """Inline exemptions by address and by address without instance keys."""
    out: dict[str, list[InlineExemption]] = {}
    for p in resources:
        found = inline_exemptions(p.resource)
        if found:
            out.setdefault(p.resource.address, []).extend(found)
            if p.resource.base_address != p.resource.address:
                out.setdefault(p.resource.base_address, []).extend(found)
    return out


def _exempt(
    finding: Finding,
    exemptions: tuple[PolicyExemption, ...],
    inline: Mapping[str, list[InlineExemption]],
    today: dt.date,
    *,
    wildcard: bool,
) -> Finding:
    address = finding.resource
    if address is None:
        return finding
    for exemption in exemptions:
        if not _covers(exemption, finding):
            continue
        if exemption.expires is not None and exemption.expires < today:
            finding = replace(
                finding,
                message=f"{finding.message} (exemption expired {exemption.expires.isoformat()})",
            )
            break
        if not exemption.reason.strip():
            continue
        return replace(
            finding,
            exemption=Exemption(
                reason=exemption.reason,
                expires=exemption.expires.isoformat() if exemption.expires else None,
                source=exemption.source,
            ),
        )
    for own in inline.get(address, ()):
        if own.reason and own.covers(finding.rule, finding.id, wildcard=wildcard):
            return replace(finding, exemption=Exemption(reason=own.reason, source=own.origin))
    return finding


def _covers(exemption: PolicyExemption, finding: Finding) -> bool:
    address = finding.resource or ""
    rule_ok = "*" in exemption.rules or finding.rule in exemption.rules
    return rule_ok and any(fnmatchcase(address, g) for g in exemption.resources)


def _exemption_finding(
    message: str, resource: Resource | None = None, severity: Severity = Severity.ERROR
) -> Finding:
    return Finding(
        rule="exemption",
        id=EXEMPTION_ID,
        severity=severity,
        resource=resource.address if resource else None,
        message=message,
        remediation="give every exemption a rule it names and a reason (policy-file "
        "exemptions can also expire)",
        location=resource.source if resource else None,
    )


def _exemption_findings(exemptions: tuple[PolicyExemption, ...]) -> list[Finding]:
    """A policy-file exemption without a reason exempts nothing and is itself reported."""
    return [
        _exemption_finding(
            f"exemption for {', '.join(e.resources)} ({', '.join(e.rules)}) in {e.source} "
            "has no reason"
        )
        for e in exemptions
        if not e.reason.strip()
    ]


def _inline_findings(
    resources: tuple[PricedResource, ...],
    inline: Mapping[str, list[InlineExemption]],
    policy: Policy,
) -> list[Finding]:
    """Inline exemptions that exempt nothing: no reason, no rule, an unknown rule, `*`
    where the policy does not allow it, or any at all where the policy turns them off."""
    known = {n.lower() for n in RULES} | {r.id.lower() for r in RULES.values()} | {"*"}
    out = []
    for p in resources:
        for own in inline.get(p.resource.address, ()):
            rules = ", ".join(own.rules) or "no rule"
            unknown = [r for r in own.rules if r.lower() not in known]
            if not policy.inline_exemptions:
                out.append(
                    _exemption_finding(
                        f"inline exemption ({own.origin}) is not applied: the policy turns "
                        "inline exemptions off (inline_exemptions: false)",
                        p.resource,
                        Severity.WARNING,
                    )
                )
            elif not own.rules or unknown:
                out.append(
                    _exemption_finding(
                        f"inline exemption ({own.origin}) names unknown rule "
                        f"{', '.join(unknown) or '(none)'}; "
                        f"known rules: {', '.join(sorted(RULES))}",
                        p.resource,
                    )
                )
            elif not own.reason:
                out.append(
                    _exemption_finding(
                        f"inline exemption ({own.origin}) for {rules} has no reason", p.resource
                    )
                )
            elif own.wildcard and not policy.inline_wildcard:
                out.append(
                    _exemption_finding(
                        f"inline exemption ({own.origin}) names every rule (*), which the "
                        "policy does not allow (inline_exemptions: allow-wildcard): name the "
                        "rules it skips",
                        p.resource,
                    )
                )
    return out
