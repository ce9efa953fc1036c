"""CrossGuard: costgate's cost policies as a Pulumi policy pack.

`pulumi preview --policy-pack DIR` users get the same findings as `costgate check`: each
rule of the policy file becomes a stack validation policy (rules need the whole stack: a
bucket's price depends on its lifecycle configuration, a budget on every resource), whose
enforcement level follows the rule's severity and the policy's `fail_on` (at or above it:
mandatory, below it: advisory). A pack directory holds `PulumiPolicy.yaml`
(`runtime: python`) and a `__main__.py` calling `policy_pack()`; see docs/pulumi.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from costgate.extras import require
from costgate.inputs.pulumi.state import (
    PULUMI_UNKNOWN,
    StateReader,
    is_cloud_resource,
    state_values,
)
from costgate.model import Action, Finding, Origin, Severity
from costgate.policy.engine import evaluate
from costgate.policy.loader import Policy, discover_policy_files, load_policy
from costgate.policy.rules import RULES
from costgate.pricing.catalog import Catalog, load_catalog
from costgate.pricing.engine import price_resources
from costgate.usage import Usage, load_usage

_UNKNOWN_SENTINELS = frozenset(
    {
        PULUMI_UNKNOWN,
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
        "030794c1-ac77-496b-92df-f27374a8bd58",
        "e48ece36-62e2-4504-bad9-02848725956a",
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
    }
)
"""pulumi_policy's typed unknown values (`proxy.UNKNOWN_*_VALUE`): all mean "unknown"."""

PACK = "the Pulumi policy pack"
"""The feature named when the `pulumi` extra (pulumi-policy) is missing."""

_PULUMI_SEVERITY = {Severity.ERROR: "high", Severity.WARNING: "medium", Severity.INFO: "low"}

Report = Callable[[str, "str | None"], None]


def _target(value: Any) -> Any:
    """The raw container behind a pulumi_policy unknown-checking proxy (reading it never raises)."""
    if isinstance(value, (dict, list, tuple)):
        return value
    try:
        return value["__target"]
    except (KeyError, TypeError, IndexError):
        return value


def _plain(value: Any) -> Any:
    """pulumi_policy props (proxies, floats, assets) -> plain wire values."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in _target(value).items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_plain(v) for v in _target(value)]
    if isinstance(value, str) and value in _UNKNOWN_SENTINELS:
        return PULUMI_UNKNOWN
    if isinstance(value, float):
        return int(value) if value.is_integer() else Decimal(repr(value))
    if value is None or isinstance(value, (str, int, bool, Decimal)):
        return value
    return str(value)  # assets and archives: not priced


def states_from_policy_resources(resources: Sequence[Any]) -> list[dict[str, Any]]:
    """`pulumi_policy.PolicyResource`s -> Pulumi states the input readers understand."""
    states: list[dict[str, Any]] = []
    providers: dict[str, dict[str, Any]] = {}
    for resource in resources:
        provider = resource.provider
        if provider is not None and provider.urn not in providers:
            providers[provider.urn] = {
                "urn": provider.urn,
                "custom": True,
                "type": provider.resource_type,
                "inputs": _plain(provider.props),
            }
        states.append(
            {
                "urn": resource.urn,
                "custom": provider is not None,  # components have no provider
                "type": resource.resource_type,
                "outputs": _plain(resource.props),
                "provider": f"{provider.urn}::{PULUMI_UNKNOWN}" if provider is not None else None,
                "propertyDependencies": {
                    key: [d.urn for d in deps]
                    for key, deps in (resource.property_dependencies or {}).items()
                },
            }
        )
    return [*providers.values(), *states]


class _StackEvaluator:
    """Prices and evaluates one stack once, however many policies ask about it."""

    def __init__(self, policy: Policy, catalog: Catalog, usage: Usage):
        self.policy = policy
        self.catalog = catalog
        self.usage = usage
        self._key: str | None = None
        self._result: tuple[tuple[Finding, ...], dict[str, str]] = ((), {})

    def findings(self, args: Any) -> tuple[tuple[Finding, ...], dict[str, str]]:
        """Findings for the stack in *args*, and address -> URN to report them against."""
        states = states_from_policy_resources(args.resources)
        config = {"pulumi:tags": json.dumps(dict(args.stack_tags or {}))}
        key = json.dumps([states, config], sort_keys=True, default=str)
        if key != self._key:
            reader = StateReader(
                states, path="pulumi-policy", origin=Origin.PULUMI_PREVIEW, config=config
            )
            live = [s for s in states if is_cloud_resource(s)]
            resources = tuple(reader.resource(s, state_values(s), Action.CREATE) for s in live)
            priced = price_resources(resources, self.catalog, self.usage)
            urns = {reader.address(str(s["urn"])): str(s["urn"]) for s in live}
            findings = evaluate(priced, self.policy, catalog=self.catalog, usage=self.usage)
            self._key, self._result = key, (findings, urns)
        return self._result

    def validator(self, rule: str) -> Callable[[Any, Report], None]:
        def validate(args: Any, report_violation: Report) -> None:
            findings, urns = self.findings(args)
            for finding in findings:
                if finding.rule != rule or finding.exempted:
                    continue
                message = finding.message + (
                    f" ({finding.remediation})" if finding.remediation else ""
                )
                report_violation(message, urns.get(finding.resource or ""))

        return validate


def policies(
    *,
    policy_files: Sequence[Path] = (),
    usage_file: Path | None = None,
    catalog_files: Sequence[Path] = (),
    directory: Path | None = None,
) -> list[Any]:
    """One `pulumi_policy.StackValidationPolicy` per rule of the costgate policy.

    Policy files default to `.costgate.yml` in *directory* (the working directory), else
    the bundled policy, as for `costgate check`.
    """
    require("pulumi_policy", "pulumi", PACK)
    from pulumi_policy import EnforcementLevel, StackValidationPolicy
    from pulumi_policy import Severity as PolicySeverity

    policy = load_policy(discover_policy_files(list(policy_files), directory or Path.cwd()))
    evaluator = _StackEvaluator(policy, load_catalog(list(catalog_files)), load_usage(usage_file))
    fail_on = policy.fail_on or Severity.ERROR
    built = []
    for config in policy.rules:
        rule = RULES[config.name]
        mandatory = config.severity.rank <= fail_on.rank
        built.append(
            StackValidationPolicy(
                name=f"costgate-{rule.name}",
                description=rule.summary,
                validate=evaluator.validator(rule.name),
                enforcement_level=EnforcementLevel.MANDATORY
                if mandatory
                else EnforcementLevel.ADVISORY,
                severity=PolicySeverity(_PULUMI_SEVERITY[config.severity]),
                display_name=f"{rule.id} {rule.name}",
            )
        )
    return built


def policy_pack(name: str = "costgate", **options: Any) -> None:
    """Serve the pack to the Pulumi CLI: call this from the pack's `__main__.py` (it blocks)."""
    require("pulumi_policy", "pulumi", PACK)
    from pulumi_policy import PolicyPack

    PolicyPack(name, policies(**options))
