"""What a pull request changes in the policy that judges it, as lines a reviewer reads."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from costgate.model import Finding, PolicyChange, Severity
from costgate.policy.loader import Policy, PolicyExemption, RuleConfig

POLICY_CHANGE_ID = "CG902"
_LONGEST_VALUE = 80


def _shown(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= _LONGEST_VALUE else text[: _LONGEST_VALUE - 1] + "…"


def _mapping_changes(what: str, base: Mapping[str, Any], head: Mapping[str, Any]) -> list[str]:
    out = []
    for key in sorted(set(base) | set(head)):
        if key not in head:
            out.append(f"{what} {key} removed (was {_shown(base[key])})")
        elif key not in base:
            out.append(f"{what} {key} added: {_shown(head[key])}")
        elif base[key] != head[key]:
            out.append(f"{what} {key}: {_shown(base[key])} -> {_shown(head[key])}")
    return out


def _rule_changes(name: str, base: RuleConfig, head: RuleConfig) -> list[str]:
    out = []
    if base.severity != head.severity:
        out.append(f"rule {name}: severity {base.severity.value} -> {head.severity.value}")
    out += _mapping_changes(f"rule {name}: option", base.options, head.options)
    out += _mapping_changes(f"rule {name}: select", base.select, head.select)
    return out


def _exemption(e: PolicyExemption) -> str:
    expires = f", expires {e.expires.isoformat()}" if e.expires else ""
    reason = f": {e.reason}" if e.reason else ""
    return f"{', '.join(e.resources)} ({', '.join(e.rules)}{expires}){reason}"


def _inline_mode(policy: Policy) -> str:
    if not policy.inline_exemptions:
        return "false"
    return "allow-wildcard" if policy.inline_wildcard else "true"


def policy_changes(base: Policy, head: Policy) -> tuple[str, ...]:
    """Rules added or removed, severities, options and selectors, exemptions, fail_on and
    inline exemptions, from *base* to *head*; empty when they judge alike."""
    rules_base = {r.name: r for r in base.rules}
    rules_head = {r.name: r for r in head.rules}
    out = [
        f"rule {n} added ({rules_head[n].severity.value})"
        for n in sorted(rules_head.keys() - rules_base.keys())
    ]
    out += [f"rule {n} removed or disabled" for n in sorted(rules_base.keys() - rules_head.keys())]
    for name in sorted(rules_base.keys() & rules_head.keys()):
        out += _rule_changes(name, rules_base[name], rules_head[name])
    exemptions_base = {_exemption(e) for e in base.exemptions}
    exemptions_head = {_exemption(e) for e in head.exemptions}
    out += [f"exemption added: {e}" for e in sorted(exemptions_head - exemptions_base)]
    out += [f"exemption removed: {e}" for e in sorted(exemptions_base - exemptions_head)]
    if base.fail_on != head.fail_on:
        out.append(f"fail_on: {_severity(base.fail_on)} -> {_severity(head.fail_on)}")
    if _inline_mode(base) != _inline_mode(head):
        out.append(f"inline_exemptions: {_inline_mode(base)} -> {_inline_mode(head)}")
    return tuple(out)


def _severity(severity: Severity | None) -> str:
    return severity.value if severity else "(default)"


def change_finding(change: PolicyChange, *, fail: bool) -> Finding:
    """The change as a finding, so every report format shows it: an error when the run is
    to fail on policy changes (`--fail-on-policy-change`), else information."""
    judged = (
        f"judged by the policy at {change.ref}"
        if change.applied == "base"
        else "judged by its own policy (--policy-from head)"
    )
    return Finding(
        rule="policy-change",
        id=POLICY_CHANGE_ID,
        severity=Severity.ERROR if fail else Severity.INFO,
        resource=None,
        message=f"the pull request changes the policy ({', '.join(change.files)}), {judged}: "
        + "; ".join(change.changes),
        remediation="policy changes take effect once merged; have them reviewed on their own",
    )
