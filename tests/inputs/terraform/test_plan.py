"""Terraform plan and state JSON -> resources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from costgate.errors import InputError
from costgate.inputs import read_input
from costgate.inputs.terraform.plan import merge_unknown
from costgate.model import UNKNOWN, Action, Origin, Resource, freeze, is_unknown
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from costgate.usage import Usage
from tests.conftest import FIXTURES, SHARED

TRAINING = FIXTURES / "terraform-plan" / "ml-training" / "plan.json"
SHARED_PLANS = sorted((SHARED / "terraform-plan").glob("*/*.json"))


def by_address(path: Path) -> dict[str, Resource]:
    return {r.address: r for r in read_input(path).resources}


@pytest.mark.parametrize("path", SHARED_PLANS, ids=lambda p: p.parent.name)
def test_real_public_plans_are_priced_or_explained(path: Path, catalog: Catalog) -> None:
    stack = read_input(path)
    assert stack.resources, "every shared plan has managed resources"
    for priced in price_resources(stack.resources, catalog, Usage()):
        assert priced.priced or priced.unpriced_reason, priced.resource.address
        if priced.priced and not priced.free:
            assert priced.cost_lines, priced.resource.address


def test_shared_plan_module_count_and_for_each_addresses() -> None:
    resources = by_address(
        SHARED / "terraform-plan" / "tfcompliance_test_issue-456" / "plan.out.json"
    )
    assert 'module.ecr_repository_with_for["repository_1"].aws_instance.ecr_repository' in resources
    assert "module.other_ecr_repository_with_count[6].aws_instance.ecr_repository" in resources
    r = resources["module.ecr_repository_with_count[2].aws_instance.ecr_repository"]
    assert r.module == "module.ecr_repository_with_count[2]"
    assert r.base_address == "module.ecr_repository_with_count.aws_instance.ecr_repository"
    # data sources are read, not billed
    assert not any(".data." in a or a.startswith("data.") for a in resources)


def test_shared_plan_actions_and_provider_region() -> None:
    resources = by_address(
        SHARED / "terraform-plan" / "tfcompliance_actions_regular" / "plan.out.json"
    )
    assert resources["aws_instance.changed"].action is Action.UPDATE
    assert resources["aws_instance.unchanged"].action is Action.NO_OP
    assert resources["aws_s3_bucket.newly_created"].action is Action.CREATE
    assert {r.region for r in resources.values()} == {"us-west-1"}


def test_shared_plan_azure_location_and_google_zone() -> None:
    azure = by_address(SHARED / "terraform-plan" / "tfcompliance_test_issue-394" / "plan.out.json")
    assert azure["azurerm_storage_account.example"].region == "eastus"
    gcp = by_address(SHARED / "terraform-plan" / "checkov_google_compute_instance" / "tfplan.json")
    assert gcp["google_compute_instance.default"].region == "us-central1"


def test_training_plan_regions_from_aliases_and_module_mapping() -> None:
    resources = by_address(TRAINING)
    assert resources["aws_instance.trainer"].region == "us-east-1"
    assert resources["module.eks.aws_eks_node_group.gpu"].region == "us-west-2"
    assert resources["aws_sagemaker_notebook_instance.research"].region == "eu-west-1"


def test_effective_tags_include_provider_default_tags() -> None:
    trainer = by_address(TRAINING)["aws_instance.trainer"]
    assert trainer.tags["team"] == "nlp-research"
    assert trainer.tags["experiment_id"] == "exp-2026-042"


def test_default_tags_used_when_tags_all_is_unknown(tmp_path: Path) -> None:
    doc = json.loads(TRAINING.read_text())
    change = next(c for c in doc["resource_changes"] if c["address"] == "aws_ebs_volume.dataset")
    del change["change"]["after"]["tags_all"]
    change["change"]["after_unknown"]["tags_all"] = True
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc))
    volume = by_address(path)["aws_ebs_volume.dataset"]
    assert volume.tags["cost_center"] == "engineering-ml"
    assert volume.tags["Name"] == "dataset-cache"


def test_unknown_after_apply_values_are_marked_not_guessed() -> None:
    resources = by_address(TRAINING)
    config = resources["aws_s3_bucket_lifecycle_configuration.checkpoints"]
    assert is_unknown(config.attributes["bucket"])
    assert config.references["bucket"] == (
        "aws_s3_bucket.checkpoints.id",
        "aws_s3_bucket.checkpoints",
    )
    trainer = resources["aws_instance.trainer"]
    assert is_unknown(trainer.attr("root_block_device", "iops"))
    assert trainer.attr("root_block_device", "volume_size") == 500


def test_references_of_repeated_blocks_merge(tmp_path: Path) -> None:
    """Each block of a repeated block names its own disk: both references are kept under
    the shared path (the last block's list replaced the others' before)."""
    block = {"references": []}
    doc = {
        "format_version": "1.2",
        "planned_values": {"root_module": {}},
        "resource_changes": [
            {
                "address": "azurerm_virtual_machine.vm",
                "type": "azurerm_virtual_machine",
                "name": "vm",
                "provider_name": "registry.terraform.io/hashicorp/azurerm",
                "change": {"actions": ["create"], "after": {"location": "westeurope"}},
            }
        ],
        "configuration": {
            "root_module": {
                "resources": [
                    {
                        "address": "azurerm_virtual_machine.vm",
                        "type": "azurerm_virtual_machine",
                        "name": "vm",
                        "expressions": {
                            "storage_data_disk": [
                                {"lun": block, "managed_disk_id": {"references": [f"{d}.id", d]}}
                                for d in ("azurerm_managed_disk.a", "azurerm_managed_disk.b")
                            ]
                        },
                    }
                ]
            }
        },
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc))
    vm = by_address(path)["azurerm_virtual_machine.vm"]
    assert vm.references["storage_data_disk.managed_disk_id"] == (
        "azurerm_managed_disk.a.id",
        "azurerm_managed_disk.a",
        "azurerm_managed_disk.b.id",
        "azurerm_managed_disk.b",
    )


def test_merge_unknown_nested_blocks() -> None:
    after = {"a": 1, "blocks": [{"x": 1}], "m": None}
    unknown = {"id": True, "blocks": [{"y": True}], "m": {"k": True}}
    assert merge_unknown(after, unknown) == freeze(
        {"a": 1, "id": UNKNOWN, "blocks": [{"x": 1, "y": UNKNOWN}], "m": {"k": UNKNOWN}}
    )


def test_delete_and_replace_actions(tmp_path: Path) -> None:
    doc = json.loads(TRAINING.read_text())
    changes = {c["address"]: c for c in doc["resource_changes"]}
    trainer = changes["aws_instance.trainer"]["change"]
    trainer["actions"] = ["delete"]
    trainer["before"], trainer["after"] = trainer["after"], None
    volume = changes["aws_ebs_volume.dataset"]["change"]
    volume["actions"] = ["delete", "create"]
    volume["before"] = dict(volume["after"], size=500)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc))
    resources = by_address(path)
    deleted = resources["aws_instance.trainer"]
    assert deleted.action is Action.DELETE
    assert deleted.attr("instance_type") == "p4d.24xlarge"
    replaced = resources["aws_ebs_volume.dataset"]
    assert replaced.action is Action.REPLACE
    assert replaced.attr("size") == 1000
    assert replaced.before is not None and replaced.before["size"] == 500


def test_state_json_is_a_baseline() -> None:
    stack = read_input(FIXTURES / "terraform-plan" / "ml-training" / "base-state.json")
    assert stack.format == "terraform-state"
    trainer = next(r for r in stack.resources if r.address == "aws_instance.trainer")
    assert trainer.origin is Origin.TERRAFORM_STATE and trainer.action is Action.NO_OP
    assert trainer.region == "us-east-1"  # from the availability zone
    assert trainer.tags["team"] == "nlp-research"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "not valid JSON"),
        ('{"format_version": "1.2", "resource_changes": [', "truncated"),
        ('{"hello": "world"}', "not a recognised input"),
        ("[1, 2, 3]", "not a recognised input"),
        (
            '{"format_version": "1.2", "resource_changes": [{"address": "x"}]}',
            "/resource_changes/0",
        ),
        (
            '{"format_version": "1.2", "resource_changes": [{"address": "a.b", "type": "a", '
            '"provider_name": "aws", "change": {"actions": ["explode"]}}]}',
            "unknown change actions",
        ),
    ],
)
def test_bad_input_names_file_and_problem(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "plan.json"
    path.write_text(content)
    with pytest.raises(InputError) as err:
        read_input(path)
    assert expected in str(err.value)
    assert str(path) in str(err.value)


def test_input_registries_name_each_adapter_by_its_own_name() -> None:
    from costgate.inputs import DIRECTORY_INPUTS, INPUT_FORMATS, JSON_INPUTS

    for registry in (JSON_INPUTS, DIRECTORY_INPUTS):
        assert all(adapter.name == name for name, adapter in registry.items())
    assert INPUT_FORMATS == (*JSON_INPUTS, *DIRECTORY_INPUTS)
