"""`pulumi preview --json` and `pulumi stack export` documents -> resources."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from costgate.errors import InputError
from costgate.inputs import read_input
from costgate.model import UNKNOWN, Action, Origin, Resource
from costgate.pricing.engine import price_resources
from tests.conftest import FIXTURES, SHARED, usage

SAMPLE = SHARED / "pulumi" / "stratify_sample"
ML = FIXTURES / "pulumi" / "ml-training"
PREFIX = "urn:pulumi:dev::proj::"
UNKNOWN_WIRE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def by_address(resources: tuple[Resource, ...]) -> dict[str, Resource]:
    return {r.address: r for r in resources}


def write(tmp_path: Path, doc: Any, name: str = "doc.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


# -- the real public documents ------------------------------------------------------------


def test_real_preview_of_an_empty_stack_is_all_creates_with_unknowns_and_references() -> None:
    stack = read_input(SAMPLE / "sample-preview-creates.json")
    assert stack.format == "pulumi-preview"
    # 16 steps: the stack and the BucketEventSubscription component are not cloud resources
    assert len(stack.resources) == 14
    assert {r.action for r in stack.resources} == {Action.CREATE}
    assert {r.origin for r in stack.resources} == {Origin.PULUMI_PREVIEW}
    assert stack.baseline == ()
    res = by_address(stack.resources)
    attachment = res["aws_iam_role_policy_attachment.docsHandler-a1de8170"]
    assert attachment.attr("role") is UNKNOWN  # the role's name is only known after create
    assert attachment.references["role"] == ("aws_iam_role.docsHandler",)
    bucket = res["aws_s3_bucket.docs"]
    assert bucket.attr("bucket") == "docs-32c8f2c"
    assert "__defaults" not in bucket.attributes
    assert bucket.source is not None and (bucket.source.file, bucket.source.line) == ("index.ts", 5)
    # stack tags (`pulumi:tags` config) count as tags
    assert dict(bucket.tags) == {"pulumi:template": "aws-typescript"}


def test_real_preview_with_an_update_has_a_baseline_from_old_states() -> None:
    stack = read_input(SAMPLE / "sample-preview-update.json")
    actions = {r.address: r.action for r in stack.resources}
    assert actions.pop("aws_lambda_function.docsHandler") is Action.UPDATE
    assert set(actions.values()) == {Action.NO_OP} and len(actions) == 13
    assert stack.baseline is not None and len(stack.baseline) == 14
    function = by_address(stack.resources)["aws_lambda_function.docsHandler"]
    assert function.region == "eu-west-1"  # from the old outputs' ARN: no region in config
    assert function.before is not None and function.before["memory_size"] == 128
    # `same` steps are priced from the old state on both sides: nothing moves
    old = by_address(stack.baseline)["aws_s3_bucket.docs"]
    assert by_address(stack.resources)["aws_s3_bucket.docs"].attributes == old.attributes


def test_real_preview_with_deletes() -> None:
    stack = read_input(SAMPLE / "sample-preview-deletes.json")
    actions = [r.action for r in stack.resources]
    assert actions.count(Action.DELETE) == 13 and actions.count(Action.NO_OP) == 1
    assert stack.baseline is not None and len(stack.baseline) == 14


def test_real_stack_export_is_the_deployed_baseline() -> None:
    stack = read_input(SAMPLE / "sample-export.json")
    assert stack.format == "pulumi-state"
    assert len(stack.resources) == 14  # the stack, provider and component are left out
    assert {r.action for r in stack.resources} == {Action.NO_OP}
    res = by_address(stack.resources)
    assert res["aws_s3_bucket.docs"].region == "eu-west-1"
    assert (
        res["aws_s3_bucket.docs"].attr("bucket_regional_domain_name")
        == "docs-4936161.s3.eu-west-1.amazonaws.com"
    )
    assert res["aws_lambda_function.docsHandler"].attr("memory_size") == 128
    assert res["aws_lambda_function.docsHandler"].references["role"] == (
        "aws_iam_role.docsHandler",
    )


# -- the ml-training fixture --------------------------------------------------------------


def test_fixture_preview_actions_and_baseline() -> None:
    stack = read_input(ML / "preview.json")
    actions = {r.address: r.action for r in stack.resources}
    assert actions == {
        "aws_instance.trainer": Action.REPLACE,
        "aws_ebs_volume.dataset": Action.NO_OP,
        "aws_s3_bucket.checkpoints": Action.NO_OP,
        "aws_iam_role.trainer": Action.NO_OP,
        "aws_s3_bucket_lifecycle_configuration.checkpoints": Action.CREATE,
    }
    trainer = by_address(stack.resources)["aws_instance.trainer"]
    assert trainer.attr("instance_market_options", "market_type") == "spot"
    assert stack.baseline is not None
    base = by_address(stack.baseline)
    assert set(base) == set(actions) - {"aws_s3_bucket_lifecycle_configuration.checkpoints"}
    assert base["aws_instance.trainer"].attr("instance_market_options") is None
    rules = by_address(stack.resources)["aws_s3_bucket_lifecycle_configuration.checkpoints"]
    assert rules.references["bucket"] == ("aws_s3_bucket.checkpoints",)
    # default provider: region and default tags from the preview's stack config
    assert trainer.region == "us-east-1"
    assert trainer.tags["cost_center"] == "engineering-ml"
    assert trainer.tags["experiment_id"] == "exp-2026-042"


# -- shapes the samples do not show -------------------------------------------------------


def _state(token: str, name: str, inputs: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "urn": f"{PREFIX}{token}::{name}",
        "custom": True,
        "type": token,
        "inputs": inputs,
        **extra,
    }


def test_replacement_shown_as_three_steps_is_one_replace(tmp_path: Path) -> None:
    old = _state(
        "aws:ebs/volume:Volume",
        "data",
        {"size": 100, "type": "gp2", "availabilityZone": "us-east-1a"},
    )
    new = _state(
        "aws:ebs/volume:Volume",
        "data",
        {"size": 500, "type": "gp3", "availabilityZone": "us-east-1a"},
    )
    doc = {
        "steps": [
            {"op": "create-replacement", "urn": new["urn"], "oldState": old, "newState": new},
            {"op": "replace", "urn": new["urn"], "oldState": old, "newState": new},
            {"op": "delete-replaced", "urn": new["urn"], "oldState": old},
        ]
    }
    stack = read_input(write(tmp_path, doc))
    assert len(stack.resources) == 1
    volume = stack.resources[0]
    assert (volume.action, volume.attr("size"), volume.attr("type")) == (Action.REPLACE, 500, "gp3")
    assert stack.baseline is not None and stack.baseline[0].attr("size") == 100


def test_update_keeps_computed_old_outputs_and_reads_secrets(tmp_path: Path) -> None:
    sig = "4dabf18193072939515e22adb298388d"
    old = _state(
        "aws:ec2/instance:Instance",
        "box",
        {"instanceType": "m5.large"},
        outputs={
            "instanceType": "m5.large",
            "availabilityZone": "eu-west-1b",
            "rootBlockDevice": {"volumeSize": 8, "volumeType": "gp3"},
        },
    )
    new = _state(
        "aws:ec2/instance:Instance",
        "box",
        {
            "instanceType": "m5.xlarge",
            "userData": {sig: "1b47061264138c4ac30d75fd1eb44270", "plaintext": '"#!/bin/sh"'},
            "keyName": {sig: "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:abc"},
        },
    )
    doc = {"steps": [{"op": "update", "urn": new["urn"], "oldState": old, "newState": new}]}
    box = read_input(write(tmp_path, doc)).resources[0]
    assert box.attr("instance_type") == "m5.xlarge"
    assert box.attr("root_block_device", "volume_size") == 8
    assert box.region == "eu-west-1"
    assert box.attr("user_data") == "#!/bin/sh"
    assert box.attr("key_name") is UNKNOWN


def test_explicit_provider_sets_region_and_default_tags_not_the_config(tmp_path: Path) -> None:
    provider = {
        "urn": f"{PREFIX}pulumi:providers:aws::west",
        "custom": True,
        "id": "p-1",
        "type": "pulumi:providers:aws",
        "inputs": {"region": "us-west-2", "defaultTags": '{"tags":{"team":"vision"}}'},
    }
    volume = _state(
        "aws:ebs/volume:Volume",
        "v",
        {"size": 10, "tags": {"Name": "v"}},
        provider=f"{provider['urn']}::p-1",
    )
    default = _state(
        "aws:ebs/volume:Volume",
        "w",
        {"size": 10},
        provider=f"{PREFIX}pulumi:providers:aws::default_7_0_0::{UNKNOWN_WIRE}",
    )
    doc = {
        "config": {"aws:region": "eu-central-1", "aws:defaultTags": '{"tags":{"team":"platform"}}'},
        "steps": [
            {"op": "create", "urn": s["urn"], "newState": s} for s in (provider, volume, default)
        ],
    }
    res = by_address(read_input(write(tmp_path, doc)).resources)
    assert set(res) == {"aws_ebs_volume.v", "aws_ebs_volume.w"}
    assert (res["aws_ebs_volume.v"].region, dict(res["aws_ebs_volume.v"].tags)) == (
        "us-west-2",
        {"team": "vision", "Name": "v"},
    )
    assert (res["aws_ebs_volume.w"].region, dict(res["aws_ebs_volume.w"].tags)) == (
        "eu-central-1",
        {"team": "platform"},
    )


def test_autoscaling_group_priced_through_its_launch_template(tmp_path: Path, catalog) -> None:
    template = _state(
        "aws:ec2/launchTemplate:LaunchTemplate",
        "workers",
        {
            "instanceType": "c5.xlarge",
            "blockDeviceMappings": [
                {"deviceName": "/dev/xvda", "ebs": {"volumeSize": 100, "volumeType": "gp3"}}
            ],
        },
    )
    group = _state(
        "aws:autoscaling/group:Group",
        "workers",
        {
            "desiredCapacity": 4,
            "maxSize": 8,
            "minSize": 1,
            "mixedInstancesPolicy": {
                "instancesDistribution": {
                    "onDemandBaseCapacity": 1,
                    "onDemandPercentageAboveBaseCapacity": 0,
                },
                "launchTemplate": {
                    "launchTemplateSpecification": {"launchTemplateId": UNKNOWN_WIRE},
                    "overrides": [{"instanceType": "c5.xlarge"}],
                },
            },
        },
        propertyDependencies={"mixedInstancesPolicy": [template["urn"]]},
    )
    doc = {
        "config": {"aws:region": "us-east-1"},
        "steps": [{"op": "create", "urn": s["urn"], "newState": s} for s in (template, group)],
    }
    resources = read_input(write(tmp_path, doc)).resources
    [group_priced] = [
        p
        for p in price_resources(resources, catalog, usage())
        if p.resource.type == "aws_autoscaling_group"
    ]
    lines = {line.name: line for line in group_priced.cost_lines}
    on_demand = catalog.tiers("aws", "ec2", "c5.xlarge", "us-east-1", "on_demand")[0].price
    spot = catalog.tiers("aws", "ec2", "c5.xlarge", "us-east-1", "spot")[0].price
    # 1 on-demand base + 3 above it at 0 % on-demand: the launch template was found by reference
    assert lines["Instance usage (c5.xlarge, on-demand)"].monthly_cost == on_demand * 730
    assert lines["Instance usage (c5.xlarge, spot x 3)"].monthly_cost == spot * 730 * 3
    volume = lines["Volume /dev/xvda (gp3, 100 GB x 4)"]
    assert volume.quantity == Decimal(400)


# -- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "location", "message"),
    [
        ({"steps": {"op": "create"}}, None, "is not a recognised input"),
        ({"steps": [{"op": "create"}]}, "/steps/0", "expected a step object with `op` and `urn`"),
        (
            {"steps": [{"op": "explode", "urn": PREFIX + "aws:s3/bucket:Bucket::b"}]},
            "/steps/0/op",
            "unknown step op 'explode'",
        ),
        (
            {"steps": [{"op": "create", "urn": "bucket", "newState": {"urn": "bucket"}}]},
            "/steps/0/newState",
            "not a Pulumi URN: 'bucket'",
        ),
        (
            {
                "steps": [
                    {
                        "op": "create",
                        "urn": PREFIX + "aws:s3/bucket:Bucket::b",
                        "newState": {
                            "urn": PREFIX + "aws:s3/bucket:Bucket::b",
                            "type": "aws:x/y:Z",
                        },
                    }
                ]
            },
            "/steps/0/newState",
            "does not match the URN's type",
        ),
        (
            {"steps": [{"op": "create", "urn": "bucket"}]},
            "/steps/0/urn",
            "not a Pulumi URN: 'bucket'",
        ),
        (
            {
                "steps": [
                    {
                        "op": "create",
                        "urn": PREFIX + "aws:s3/bucket:Bucket::b",
                        "newState": {"urn": PREFIX + "aws:s3/bucket:Bucket::b", "inputs": [1]},
                    }
                ]
            },
            "/steps/0/newState",
            "`inputs` is not an object",
        ),
        (
            {"version": 3, "deployment": {"resources": {"urn": "x"}}},
            "/deployment/resources",
            "`deployment.resources` is not a list",
        ),
        (
            {"version": 3, "deployment": {"resources": [{"type": "aws:s3/bucket:Bucket"}]}},
            "/deployment/resources/0",
            "not a Pulumi URN",
        ),
    ],
)
def test_malformed_documents_name_the_place(
    tmp_path: Path, doc: Any, location: str | None, message: str
) -> None:
    with pytest.raises(InputError) as err:
        read_input(write(tmp_path, doc))
    assert message in err.value.message
    assert err.value.location == location


def test_a_step_without_states_is_an_unpriced_placeholder(tmp_path: Path, catalog) -> None:
    # issue 14: Pulumi omits oldState/newState when it cannot serialise a state
    bucket = PREFIX + "aws:s3/bucket:Bucket::logs"
    volume = PREFIX + "aws:ebs/volume:Volume::data"
    doc = {
        "steps": [
            {"op": "create", "urn": bucket},
            {"op": "same", "urn": PREFIX + "pulumi:providers:aws::default"},
            {"op": "update", "urn": PREFIX + "random:index/randomString:RandomString::suffix"},
            {
                "op": "create",
                "urn": volume,
                "newState": {
                    "urn": volume,
                    "type": "aws:ebs/volume:Volume",
                    "custom": True,
                    "inputs": {"availabilityZone": "us-east-1a", "size": 100, "type": "gp3"},
                },
            },
        ]
    }
    stack = read_input(write(tmp_path, doc))
    resources = by_address(stack.resources)
    assert set(resources) == {"aws_s3_bucket.logs", "random_string.suffix", "aws_ebs_volume.data"}
    placeholder = resources["aws_s3_bucket.logs"]
    assert placeholder.type == "costgate_not_evaluated"
    assert placeholder.action is Action.CREATE
    assert "neither oldState nor newState" in placeholder.attributes["reason"]
    assert any("aws_s3_bucket.logs" in w and "/steps/0" in w for w in stack.warnings)
    # an update's resource existed before: a placeholder on the base side too, a create's not
    assert [r.address for r in stack.baseline] == ["random_string.suffix"]
    priced = {p.resource.address: p for p in price_resources(stack.resources, catalog, usage())}
    assert not priced["aws_s3_bucket.logs"].priced
    assert "neither oldState nor newState" in (priced["aws_s3_bucket.logs"].unpriced_reason or "")
    # 100 GB gp3 in us-east-1 at $0.08 per GB-month
    assert priced["aws_ebs_volume.data"].monthly_cost == Decimal("8.00")


def test_export_skips_pending_deletes_and_external_reads(tmp_path: Path) -> None:
    live = _state("aws:ebs/volume:Volume", "v", {"size": 10})
    doc = {
        "version": 3,
        "deployment": {
            "manifest": {},
            "resources": [
                live,
                {**live, "delete": True, "inputs": {"size": 999}},
                _state("aws:ebs/volume:Volume", "imported", {"size": 5}, external=True),
            ],
        },
    }
    stack = read_input(write(tmp_path, doc))
    assert [(r.address, r.attr("size")) for r in stack.resources] == [("aws_ebs_volume.v", 10)]


def test_preview_without_show_sames_warns(tmp_path: Path) -> None:
    doc = json.loads((ML / "preview.json").read_text())
    assert read_input(ML / "preview.json").warnings == ()
    doc["steps"] = [s for s in doc["steps"] if s["op"] != "same"]
    stack = read_input(write(tmp_path, doc))
    assert len(stack.resources) == 2
    [warning] = stack.warnings
    assert "leaves out 4 unchanged resource(s)" in warning
    assert "--show-sames" in warning
