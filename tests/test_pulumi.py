"""The CrossGuard pack: costgate rules run by pulumi_policy with its own argument objects.

The pack's validation functions get real `pulumi_policy` objects built the way the policy
analyzer builds them (`deserialize_properties` + `unknown_checking_proxy`), from the
stack states in the fixtures.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pulumi_policy import (
    EnforcementLevel,
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.policy import unknown_checking_proxy
from pulumi_policy.proxy import UnknownValueError

from costgate.pulumi import policies
from tests.conftest import FIXTURES

ML = FIXTURES / "pulumi" / "ml-training"
USAGE = FIXTURES / "usage.yml"


def _props(raw: dict[str, Any]) -> Any:
    # the analyzer passes numbers through protobuf Struct: they arrive as floats
    as_struct = json.loads(json.dumps(raw), parse_int=float)
    return unknown_checking_proxy(deserialize_properties(as_struct))


def stack_args(
    states: list[dict[str, Any]],
    *,
    provider_props: dict[str, Any],
    stack_tags: dict[str, str] | None = None,
) -> StackValidationArgs:
    """StackValidationArgs as the analyzer builds them for a preview of *states*."""
    provider = PolicyProviderResource(
        "pulumi:providers:aws",
        _props(provider_props),
        "urn:pulumi:dev::ml-training::pulumi:providers:aws::default_7_51_1",
        "default_7_51_1",
    )
    opts = PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [])
    resources: dict[str, PolicyResource] = {}
    for s in states:
        props = {k: v for k, v in (s.get("outputs") or s["inputs"]).items() if k != "__defaults"}
        resources[s["urn"]] = PolicyResource(
            s["type"],
            _props(props),
            s["urn"],
            s["urn"].rsplit("::", 1)[1],
            opts,
            provider,
            None,
            [],
            {},
        )
    for s in states:
        resources[s["urn"]].property_dependencies = {
            k: [resources[u] for u in urns if u in resources]
            for k, urns in (s.get("propertyDependencies") or {}).items()
        }
    return StackValidationArgs(list(resources.values()), {}, stack_tags or {})


def fixture_states(name: str) -> list[dict[str, Any]]:
    doc = json.loads((ML / name).read_text())
    return [
        s
        for s in doc["deployment"]["resources"]
        if s.get("custom") and not s["type"].startswith("pulumi:providers:")
    ]


def run(policy: StackValidationPolicy, args: StackValidationArgs) -> list[tuple[str, str | None]]:
    violations: list[tuple[str, str | None]] = []
    policy.validate(args, lambda message, urn=None: violations.append((message, urn)))
    return violations


PROVIDER = {
    "region": "us-east-1",
    "defaultTags": json.dumps(
        {
            "tags": {
                "team": "nlp-research",
                "project": "llm-finetune",
                "environment": "development",
                "cost_center": "engineering-ml",
            }
        }
    ),
}


def test_one_stack_policy_per_rule_with_enforcement_from_severity(tmp_path: Path) -> None:
    built = {p.name: p for p in policies(usage_file=USAGE, directory=tmp_path)}  # bundled
    assert all(isinstance(p, StackValidationPolicy) for p in built.values())
    # the bundled policy fails on errors: its error rules block, its warning rules advise
    assert built["costgate-required-tags"].enforcement_level is EnforcementLevel.MANDATORY
    assert built["costgate-spot-for-training"].enforcement_level is EnforcementLevel.MANDATORY
    assert built["costgate-max-instance-count"].enforcement_level is EnforcementLevel.ADVISORY
    policy_file = tmp_path / ".costgate.yml"
    policy_file.write_text("version: 1\nrules:\n  required-tags:\n    severity: warning\n")
    [advisory] = policies(directory=tmp_path)
    assert advisory.name == "costgate-required-tags"
    assert advisory.enforcement_level is EnforcementLevel.ADVISORY
    policy_file.write_text(
        "version: 1\nfail_on: warning\nrules:\n  required-tags:\n    severity: warning\n"
    )
    assert policies(directory=tmp_path)[0].enforcement_level is EnforcementLevel.MANDATORY


def test_well_formed_stack_has_no_violations_under_the_bundled_policy(tmp_path: Path) -> None:
    args = stack_args(fixture_states("export.json"), provider_props=PROVIDER)
    for policy in policies(usage_file=USAGE, directory=tmp_path):
        assert run(policy, args) == [], policy.name


def test_on_demand_trainer_breaks_spot_for_training(tmp_path: Path) -> None:
    spot = {p.name: p for p in policies(usage_file=USAGE, directory=tmp_path)}[
        "costgate-spot-for-training"
    ]
    violations = run(spot, stack_args(fixture_states("base-export.json"), provider_props=PROVIDER))
    assert [urn for _, urn in violations] == [
        "urn:pulumi:dev::ml-training::aws:ec2/instance:Instance::trainer"
    ]


def test_violations_name_the_resource_urn_and_unknowns_do_not_break_the_pack(
    tmp_path: Path,
) -> None:
    (tmp_path / ".costgate.yml").write_text(
        "version: 1\nrules:\n  required-tags:\n    options:\n"
        "      tags: [team, project, environment, experiment_id, cost_center]\n"
    )
    [required] = policies(usage_file=USAGE, directory=tmp_path)
    states = fixture_states("export.json")
    for s in states:  # a preview: no outputs yet, ids unknown, no provider default tags
        s.pop("outputs", None)
        s["inputs"]["arn"] = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    args = stack_args(
        states, provider_props={"region": "us-east-1"}, stack_tags={"team": "nlp-research"}
    )
    violations = run(required, args)
    by_urn = {urn: message for message, urn in violations}
    trainer = "urn:pulumi:dev::ml-training::aws:ec2/instance:Instance::trainer"
    assert by_urn[trainer] == (
        "missing required tags: project, environment, cost_center "
        "(add them to the resource's tags or to the provider's "
        "default_tags)"
    )
    # stack tags count: `team` is nowhere reported missing
    assert all("team" not in message for message, _ in violations)
    assert len(violations) == 4  # every taggable resource (the lifecycle rules have no tags)
    # the proxies raise UnknownValueError on unknown reads; the pack never trips them
    with pytest.raises(UnknownValueError):
        args.resources[0].props["arn"]


def test_exemptions_apply_in_the_pack(tmp_path: Path) -> None:
    (tmp_path / ".costgate.yml").write_text(
        "version: 1\nrules:\n  required-tags: {}\nexemptions:\n"
        "  - resources: ['aws_instance.trainer']\n    rules: [required-tags]\n"
        "    reason: short smoke test\n"
    )
    [required] = policies(directory=tmp_path)
    states = fixture_states("export.json")
    for s in states:
        s.pop("outputs", None)
    urns = {urn for _, urn in run(required, stack_args(states, provider_props={}))}
    assert "urn:pulumi:dev::ml-training::aws:ec2/instance:Instance::trainer" not in urns
    assert "urn:pulumi:dev::ml-training::aws:ebs/volume:Volume::dataset" in urns
