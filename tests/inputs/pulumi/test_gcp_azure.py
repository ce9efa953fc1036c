"""GCP and Azure Pulumi resources price exactly like their Terraform equivalents.

Each Pulumi resource (bridged `gcp:` / `azure:` tokens and ARM-based `azure-native:`) is
read from a preview and priced; the same resource written the way the Terraform plan
reader produces it must give the same cost lines.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from costgate.inputs import read_input
from costgate.model import PricedResource, Resource
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import make_resource, usage

PREFIX = "urn:pulumi:dev::ml::"
STORAGE_USAGE = {"storage_gb": 1000, "object_lifetime_days": 365}


def _state(token: str, name: str, inputs: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "urn": f"{PREFIX}{token}::{name}",
        "custom": True,
        "type": token,
        "inputs": inputs,
        **extra,
    }


PULUMI = [
    _state(
        "gcp:compute/instance:Instance",
        "trainer",
        {
            "machineType": "a2-highgpu-1g",
            "zone": "us-central1-a",
            "scheduling": {"provisioningModel": "SPOT", "preemptible": True},
            "bootDisk": {"initializeParams": {"size": 200, "type": "pd-ssd"}},
            "labels": {"team": "ml"},
        },
    ),
    _state(
        "gcp:compute/instance:Instance",
        "t4",
        {
            "machineType": "n1-standard-8",
            "zone": "us-central1-b",
            "guestAccelerators": [{"type": "nvidia-tesla-t4", "count": 2}],
            "bootDisk": {"initializeParams": {"size": 100}},
        },
    ),
    _state(
        "gcp:container/nodePool:NodePool",
        "gpu",
        {
            "location": "us-central1-a",
            "nodeCount": 3,
            "nodeConfig": {
                "machineType": "g2-standard-8",
                "spot": True,
                "diskSizeGb": 100,
                "diskType": "pd-balanced",
            },
        },
    ),
    _state(
        "gcp:storage/bucket:Bucket",
        "ckpt",
        {
            "location": "US-CENTRAL1",
            "storageClass": "STANDARD",
            "lifecycleRules": [
                {
                    "action": {"type": "SetStorageClass", "storageClass": "NEARLINE"},
                    "condition": {"age": 30},
                },
                {"action": {"type": "Delete"}, "condition": {"age": 180}},
            ],
        },
    ),
    _state(
        "azure-native:compute:VirtualMachine",
        "a100",
        {
            "location": "eastus",
            "priority": "Spot",
            "evictionPolicy": "Deallocate",
            "hardwareProfile": {"vmSize": "Standard_NC24ads_A100_v4"},
            "storageProfile": {
                "osDisk": {"diskSizeGB": 128, "managedDisk": {"storageAccountType": "Premium_LRS"}}
            },
            "osProfile": {"linuxConfiguration": {}},
        },
    ),
    _state(
        "azure:compute/linuxVirtualMachine:LinuxVirtualMachine",
        "t4vm",
        {
            "location": "East US",
            "size": "Standard_NC8as_T4_v3",
            "osDisk": {"storageAccountType": "Premium_LRS", "diskSizeGb": 128},
        },
    ),
    _state(
        "azure-native:storage:StorageAccount",
        "ckpts",
        {
            "accountName": "ckpts",
            "location": "westus",
            "kind": "StorageV2",
            "sku": {"name": "Standard_LRS"},
            "accessTier": "Hot",
        },
    ),
    _state(
        "azure-native:storage:ManagementPolicy",
        "tiering",
        {
            "accountName": "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
            "policy": {
                "rules": [
                    {
                        "name": "cool",
                        "enabled": True,
                        "type": "Lifecycle",
                        "definition": {
                            "filters": {"blobTypes": ["blockBlob"]},
                            "actions": {
                                "baseBlob": {
                                    "tierToCool": {"daysAfterModificationGreaterThan": 30},
                                    "delete": {"daysAfterModificationGreaterThan": 365},
                                }
                            },
                        },
                    }
                ]
            },
        },
        propertyDependencies={
            "accountName": [f"{PREFIX}azure-native:storage:StorageAccount::ckpts"]
        },
    ),
]

TERRAFORM = [
    make_resource(
        "google_compute_instance",
        {
            "machine_type": "a2-highgpu-1g",
            "zone": "us-central1-a",
            "scheduling": [{"provisioning_model": "SPOT", "preemptible": True}],
            "boot_disk": [{"initialize_params": [{"size": 200, "type": "pd-ssd"}]}],
            "labels": {"team": "ml"},
        },
        address="google_compute_instance.trainer",
        region="us-central1",
    ),
    make_resource(
        "google_compute_instance",
        {
            "machine_type": "n1-standard-8",
            "zone": "us-central1-b",
            "guest_accelerator": [{"type": "nvidia-tesla-t4", "count": 2}],
            "boot_disk": [{"initialize_params": [{"size": 100}]}],
        },
        address="google_compute_instance.t4",
        region="us-central1",
    ),
    make_resource(
        "google_container_node_pool",
        {
            "location": "us-central1-a",
            "node_count": 3,
            "node_config": [
                {
                    "machine_type": "g2-standard-8",
                    "spot": True,
                    "disk_size_gb": 100,
                    "disk_type": "pd-balanced",
                }
            ],
        },
        address="google_container_node_pool.gpu",
        region="us-central1",
    ),
    make_resource(
        "google_storage_bucket",
        {
            "location": "US-CENTRAL1",
            "storage_class": "STANDARD",
            "lifecycle_rule": [
                {
                    "action": [{"type": "SetStorageClass", "storage_class": "NEARLINE"}],
                    "condition": [{"age": 30}],
                },
                {"action": [{"type": "Delete"}], "condition": [{"age": 180}]},
            ],
        },
        address="google_storage_bucket.ckpt",
        region="us-central1",
    ),
    make_resource(
        "azurerm_linux_virtual_machine",
        {
            "location": "eastus",
            "size": "Standard_NC24ads_A100_v4",
            "priority": "Spot",
            "eviction_policy": "Deallocate",
            "os_disk": [{"storage_account_type": "Premium_LRS", "disk_size_gb": 128}],
        },
        address="azurerm_linux_virtual_machine.a100",
        region="eastus",
    ),
    make_resource(
        "azurerm_linux_virtual_machine",
        {
            "location": "East US",
            "size": "Standard_NC8as_T4_v3",
            "os_disk": [{"storage_account_type": "Premium_LRS", "disk_size_gb": 128}],
        },
        address="azurerm_linux_virtual_machine.t4vm",
        region="eastus",
    ),
    make_resource(
        "azurerm_storage_account",
        {
            "name": "ckpts",
            "location": "westus",
            "account_kind": "StorageV2",
            "account_tier": "Standard",
            "account_replication_type": "LRS",
            "access_tier": "Hot",
        },
        address="azurerm_storage_account.ckpts",
        region="westus",
    ),
    make_resource(
        "azurerm_storage_management_policy",
        {
            "rule": [
                {
                    "name": "cool",
                    "enabled": True,
                    "filters": [{"blob_types": ["blockBlob"]}],
                    "actions": [
                        {
                            "base_blob": [
                                {
                                    "tier_to_cool_after_days_since_modification_greater_than": 30,
                                    "delete_after_days_since_modification_greater_than": 365,
                                }
                            ]
                        }
                    ],
                }
            ]
        },
        address="azurerm_storage_management_policy.tiering",
        region=None,
        references={"storage_account_id": ("azurerm_storage_account.ckpts",)},
    ),
]


def _priced(resources: tuple[Resource, ...], catalog: Catalog) -> dict[str, PricedResource]:
    quantities = usage(
        {
            "google_storage_bucket.ckpt": STORAGE_USAGE,
            "azurerm_storage_account.ckpts": STORAGE_USAGE,
        }
    )
    return {p.resource.address: p for p in price_resources(resources, catalog, quantities)}


@pytest.fixture(scope="module")
def pulumi_resources(tmp_path_factory: pytest.TempPathFactory) -> tuple[Resource, ...]:
    path = Path(tmp_path_factory.mktemp("preview")) / "preview.json"
    path.write_text(
        json.dumps({"steps": [{"op": "create", "urn": s["urn"], "newState": s} for s in PULUMI]})
    )
    return read_input(path).resources


def test_same_cost_lines_as_terraform(
    pulumi_resources: tuple[Resource, ...], catalog: Catalog
) -> None:
    pulumi = _priced(pulumi_resources, catalog)
    terraform = _priced(tuple(TERRAFORM), catalog)
    assert set(pulumi) == set(terraform)
    for address, expected in terraform.items():
        got = pulumi[address]
        assert (got.unpriced_reason, got.free) == (expected.unpriced_reason, expected.free), address
        assert [(c.name, c.quantity, c.unit_price) for c in got.cost_lines] == [
            (c.name, c.quantity, c.unit_price) for c in expected.cost_lines
        ], address
    priced = [a for a, p in pulumi.items() if p.cost_lines]
    # all but the management policy (priced with its account); the spot NC24ads_A100_v4 at
    # the catalog's eastus spot rate (0.444433/h) on both sides
    assert len(priced) == 7
    a100 = pulumi["azurerm_linux_virtual_machine.a100"]
    spot = catalog.tiers("azurerm", "vm", "Standard_NC24ads_A100_v4", "eastus", "spot")[0].price
    assert a100.cost_lines[0].unit_price == spot == Decimal("0.444433")


def test_gcp_spot_gpu_machine_at_the_catalog_spot_rate(
    pulumi_resources: tuple[Resource, ...], catalog: Catalog
) -> None:
    trainer = _priced(pulumi_resources, catalog)["google_compute_instance.trainer"]
    spot = catalog.tiers("google", "compute", "a2-highgpu-1g", "us-central1", "spot")[0].price
    usage_line = trainer.cost_lines[0]
    assert usage_line.monthly_cost == spot * 730
    assert trainer.resource.region == "us-central1"  # from the zone
    assert dict(trainer.resource.tags) == {"team": "ml"}  # GCP labels are the tags


def test_azure_account_tiered_by_its_native_management_policy(
    pulumi_resources: tuple[Resource, ...], catalog: Catalog
) -> None:
    account = _priced(pulumi_resources, catalog)["azurerm_storage_account.ckpts"]
    hot = catalog.tiers("azurerm", "blob", "Hot_LRS", "westus", "storage")[0].price
    cool = catalog.tiers("azurerm", "blob", "Cool_LRS", "westus", "storage")[0].price
    # 30 of 365 days Hot, 335 Cool: the policy was found through propertyDependencies
    step = Decimal("0.000001")
    assert account.monthly_cost == (
        (Decimal(1000) * 30 / 365).quantize(step) * hot
        + (Decimal(1000) * 335 / 365).quantize(step) * cool
    )
    assert [c.name for c in account.cost_lines] == [
        "Storage (Hot_LRS, 30/365 d)",
        "Storage (Cool_LRS, 335/365 d)",
    ]
