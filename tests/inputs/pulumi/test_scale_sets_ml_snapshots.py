"""Pulumi scale sets, Azure ML compute and EBS snapshots, priced end to end.

One `pulumi preview --json` document (written here, in the shape Pulumi emits: create steps
with `newState.inputs` and `propertyDependencies`) holds the bridged `azure:` scale sets
(current and legacy), `azure-native` scale sets, Azure ML compute with its workspace and
an EBS volume -> snapshot -> copy -> fast snapshot restore chain. Each is translated to its
Terraform type with the plural / camelCase nested blocks renamed, and priced against
figures computed by hand from catalog prices (730 hours a month).
"""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from costgate.errors import InputError
from costgate.inputs import read_input
from costgate.inputs.pulumi.type_map import terraform_type
from costgate.model import UNKNOWN, PricedResource, Resource
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import usage
from tests.inputs.pulumi.steps import UNKNOWN_WIRE, step

PREFIX = "urn:pulumi:dev::gpu::"
HOURS = Decimal(730)


def _urn(token: str, name: str) -> str:
    return f"{PREFIX}{token}::{name}"


_step = functools.partial(step, "gpu")


LINUX_VMSS = "azure:compute/linuxVirtualMachineScaleSet:LinuxVirtualMachineScaleSet"
WINDOWS_VMSS = "azure:compute/windowsVirtualMachineScaleSet:WindowsVirtualMachineScaleSet"
LEGACY_VMSS = "azure:compute/scaleSet:ScaleSet"
NATIVE_VMSS = "azure-native:compute:VirtualMachineScaleSet"
WORKSPACE = "azure:machinelearning/workspace:Workspace"
CLUSTER = "azure:machinelearning/computeCluster:ComputeCluster"
INSTANCE = "azure:machinelearning/computeInstance:ComputeInstance"
NATIVE_WORKSPACE = "azure-native:machinelearningservices:Workspace"
NATIVE_COMPUTE = "azure-native:machinelearningservices:Compute"
VOLUME = "aws:ebs/volume:Volume"
SNAPSHOT = "aws:ebs/snapshot:Snapshot"
COPY = "aws:ebs/snapshotCopy:SnapshotCopy"
FSR = "aws:ebs/fastSnapshotRestore:FastSnapshotRestore"

SUBNET = (
    "/subscriptions/0000/resourceGroups/gpu/providers/Microsoft.Network/virtualNetworks/v/subnets/s"
)

STEPS = [
    _step(
        LINUX_VMSS,
        "workers",
        {
            "name": "workers",
            "resourceGroupName": "gpu",
            "location": "westeurope",
            "sku": "Standard_NC4as_T4_v3",
            "instances": 3,
            "adminUsername": "azureuser",
            "adminSshKeys": [{"username": "azureuser", "publicKey": "ssh-rsa AAAA"}],
            "sourceImageReference": {
                "publisher": "Canonical",
                "offer": "0001-com-ubuntu-server-jammy",
                "sku": "22_04-lts-gen2",
                "version": "latest",
            },
            "osDisk": {"caching": "ReadWrite", "storageAccountType": "Premium_LRS"},
            "dataDisks": [
                {
                    "lun": 0,
                    "caching": "ReadOnly",
                    "storageAccountType": "Premium_LRS",
                    "diskSizeGb": 256,
                }
            ],
            "networkInterfaces": [
                {
                    "name": "nic",
                    "primary": True,
                    "ipConfigurations": [{"name": "internal", "primary": True, "subnetId": SUBNET}],
                }
            ],
        },
    ),
    _step(
        WINDOWS_VMSS,
        "builders",
        {
            "name": "builders",
            "resourceGroupName": "gpu",
            "location": "westeurope",
            "sku": "Standard_DS3_v2",
            "instances": 2,
            "adminUsername": "builder",
            "adminPassword": {
                "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
                "ciphertext": "v1:abc",
            },
            "sourceImageReference": {
                "publisher": "MicrosoftWindowsServer",
                "offer": "WindowsServer",
                "sku": "2022-datacenter-azure-edition",
                "version": "latest",
            },
            "osDisk": {"caching": "ReadWrite", "storageAccountType": "StandardSSD_LRS"},
            "winrmListeners": [{"protocol": "Http"}],
            "networkInterfaces": [
                {
                    "name": "nic",
                    "primary": True,
                    "ipConfigurations": [{"name": "internal", "primary": True, "subnetId": SUBNET}],
                }
            ],
        },
    ),
    _step(
        LEGACY_VMSS,
        "legacy",
        {
            "name": "legacy",
            "resourceGroupName": "gpu",
            "location": "westeurope",
            "upgradePolicyMode": "Manual",
            "sku": {"name": "Standard_DS3_v2", "tier": "Standard", "capacity": 2},
            "storageProfileImageReference": {
                "publisher": "Canonical",
                "offer": "0001-com-ubuntu-server-jammy",
                "sku": "22_04-lts",
                "version": "latest",
            },
            "storageProfileOsDisk": {
                "caching": "ReadWrite",
                "createOption": "FromImage",
                "managedDiskType": "Standard_LRS",
            },
            "storageProfileDataDisks": [
                {
                    "lun": 0,
                    "caching": "ReadWrite",
                    "createOption": "Empty",
                    "diskSizeGb": 128,
                    "managedDiskType": "Premium_LRS",
                }
            ],
            "osProfile": {"computerNamePrefix": "legacy", "adminUsername": "azureuser"},
            "osProfileLinuxConfig": {"disablePasswordAuthentication": True},
            "networkProfiles": [
                {
                    "name": "net",
                    "primary": True,
                    "ipConfigurations": [{"name": "ip", "primary": True, "subnetId": SUBNET}],
                }
            ],
        },
    ),
    _step(
        NATIVE_VMSS,
        "spot",
        {
            "vmScaleSetName": "spot",
            "resourceGroupName": "gpu",
            "location": "westeurope",
            "sku": {"name": "Standard_NC4as_T4_v3", "tier": "Standard", "capacity": 4},
            "orchestrationMode": "Uniform",
            "upgradePolicy": {"mode": "Manual"},
            "virtualMachineProfile": {
                "priority": "Spot",
                "evictionPolicy": "Delete",
                "billingProfile": {"maxPrice": -1},
                "osProfile": {
                    "computerNamePrefix": "spot",
                    "adminUsername": "azureuser",
                    "linuxConfiguration": {"disablePasswordAuthentication": True},
                },
                "storageProfile": {
                    "imageReference": {
                        "publisher": "Canonical",
                        "offer": "0001-com-ubuntu-server-jammy",
                        "sku": "22_04-lts-gen2",
                        "version": "latest",
                    },
                    "osDisk": {
                        "createOption": "FromImage",
                        "caching": "ReadWrite",
                        "diskSizeGB": 64,
                        "managedDisk": {"storageAccountType": "Premium_LRS"},
                    },
                    "dataDisks": [
                        {
                            "lun": 0,
                            "createOption": "Empty",
                            "diskSizeGB": 512,
                            "managedDisk": {"storageAccountType": "Premium_LRS"},
                        }
                    ],
                },
            },
        },
    ),
    _step(
        NATIVE_VMSS,
        "agents",
        {
            "vmScaleSetName": "agents",
            "resourceGroupName": "gpu",
            "location": "westeurope",
            "sku": {"name": "Standard_DS3_v2", "capacity": 2},
            "virtualMachineProfile": {
                "licenseType": "Windows_Server",
                "osProfile": {
                    "computerNamePrefix": "agent",
                    "adminUsername": "agent",
                    "windowsConfiguration": {"enableAutomaticUpdates": True},
                },
                "storageProfile": {
                    "imageReference": {
                        "publisher": "MicrosoftWindowsServer",
                        "offer": "WindowsServer",
                        "sku": "2022-datacenter-azure-edition",
                        "version": "latest",
                    },
                    "osDisk": {
                        "createOption": "FromImage",
                        "managedDisk": {"storageAccountType": "StandardSSD_LRS"},
                    },
                },
            },
        },
    ),
    _step(
        WORKSPACE,
        "ml",
        {
            "name": "ml",
            "location": "westeurope",
            "resourceGroupName": "gpu",
            "applicationInsightsId": UNKNOWN_WIRE,
            "keyVaultId": UNKNOWN_WIRE,
            "storageAccountId": UNKNOWN_WIRE,
            "identity": {"type": "SystemAssigned"},
        },
    ),
    _step(
        CLUSTER,
        "train",
        {
            "name": "train",
            "machineLearningWorkspaceId": UNKNOWN_WIRE,
            "vmPriority": "LowPriority",
            "vmSize": "Standard_NC4as_T4_v3",
            "scaleSettings": {
                "minNodeCount": 1,
                "maxNodeCount": 4,
                "scaleDownNodesAfterIdleDuration": "PT30M",
            },
            "identity": {"type": "SystemAssigned"},
        },
        machineLearningWorkspaceId=_urn(WORKSPACE, "ml"),
    ),
    _step(
        INSTANCE,
        "notebook",
        {
            "name": "notebook",
            "machineLearningWorkspaceId": UNKNOWN_WIRE,
            "virtualMachineSize": "Standard_DS3_v2",
        },
        machineLearningWorkspaceId=_urn(WORKSPACE, "ml"),
    ),
    _step(
        NATIVE_WORKSPACE,
        "mlnative",
        {
            "workspaceName": "mlnative",
            "resourceGroupName": "gpu",
            "location": "westeurope",
            "identity": {"type": "SystemAssigned"},
            "sku": {"name": "Basic", "tier": "Basic"},
        },
    ),
    _step(
        NATIVE_COMPUTE,
        "amlcluster",
        {
            "computeName": "amlcluster",
            "resourceGroupName": "gpu",
            "workspaceName": UNKNOWN_WIRE,
            "properties": {
                "computeType": "AmlCompute",
                "properties": {
                    "vmSize": "Standard_NC4as_T4_v3",
                    "vmPriority": "Dedicated",
                    "osType": "Linux",
                    "scaleSettings": {
                        "minNodeCount": 2,
                        "maxNodeCount": 8,
                        "nodeIdleTimeBeforeScaleDown": "PT10M",
                    },
                },
            },
        },
        workspaceName=_urn(NATIVE_WORKSPACE, "mlnative"),
    ),
    _step(
        NATIVE_COMPUTE,
        "devbox",
        {
            "computeName": "devbox",
            "resourceGroupName": "gpu",
            "workspaceName": "mlnative",
            "location": "westeurope",
            "properties": {
                "computeType": "ComputeInstance",
                "properties": {"vmSize": "Standard_DS3_v2"},
            },
        },
    ),
    _step(
        NATIVE_COMPUTE,
        "attached",
        {
            "computeName": "attached",
            "resourceGroupName": "gpu",
            "workspaceName": "mlnative",
            "location": "westeurope",
            "properties": {"computeType": "AKS", "resourceId": "/subscriptions/0000/aks"},
        },
    ),
    _step(
        "aws:secretsmanager/secret:Secret",
        "dbpass",
        {
            "name": "db-password",
            "replicas": [{"region": "us-west-2"}, {"region": "eu-west-1"}],
        },
    ),
    _step(
        VOLUME,
        "data",
        {"availabilityZone": "us-east-1a", "size": 500, "type": "gp3"},
    ),
    _step(
        SNAPSHOT,
        "nightly",
        {"volumeId": UNKNOWN_WIRE, "tags": {"team": "ml"}},
        volumeId=_urn(VOLUME, "data"),
    ),
    _step(
        COPY,
        "dr",
        {"sourceSnapshotId": UNKNOWN_WIRE, "sourceRegion": "us-east-1"},
        sourceSnapshotId=_urn(SNAPSHOT, "nightly"),
    ),
    _step(
        FSR,
        "fast",
        {"availabilityZone": "us-east-1a", "snapshotId": UNKNOWN_WIRE},
        snapshotId=_urn(SNAPSHOT, "nightly"),
    ),
]


def _export(steps: list[dict[str, Any]]) -> dict[str, Any]:
    """The same resources as a `pulumi stack export` checkpoint (deployed: outputs = inputs)."""
    provider = {
        "urn": f"{PREFIX}pulumi:providers:aws::default_7_0_0",
        "id": "0e7ac1d5-5c0f-4ac1-9cbe-2a6e3a1fc1a7",
        "custom": True,
        "type": "pulumi:providers:aws",
        "inputs": {"region": "us-east-1"},
        "outputs": {"region": "us-east-1"},
    }
    states = [
        {
            **s["newState"],
            "outputs": s["newState"]["inputs"],
            "provider": f"{provider['urn']}::{provider['id']}",
        }
        for s in steps
        if s["newState"]["type"].startswith("aws:")
    ] + [
        {**s["newState"], "outputs": s["newState"]["inputs"]}
        for s in steps
        if not s["newState"]["type"].startswith("aws:")
    ]
    return {"version": 3, "deployment": {"manifest": {}, "resources": [provider, *states]}}


@pytest.fixture(scope="module", params=["preview", "export"])
def resources(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Resource]:
    path = Path(tmp_path_factory.mktemp("pulumi")) / f"{request.param}.json"
    if request.param == "preview":
        doc: dict[str, Any] = {"config": {"aws:region": "us-east-1"}, "steps": STEPS}
    else:
        doc = _export(STEPS)
    path.write_text(json.dumps(doc))
    return {r.address: r for r in read_input(path).resources}


@pytest.fixture(scope="module")
def priced(resources: dict[str, Resource], catalog: Catalog) -> dict[str, PricedResource]:
    found = price_resources(tuple(resources.values()), catalog, usage())
    return {p.resource.address: p for p in found}


def _vm(catalog: Catalog, size: str, kind: str) -> Decimal:
    return catalog.tiers("azurerm", "vm", size, "westeurope", kind)[0].price


def _disk(catalog: Catalog, product: str) -> Decimal:
    return catalog.tiers("azurerm", "disk", product, "westeurope", "storage")[0].price


def _lines(p: PricedResource) -> list[tuple[str, Decimal, Decimal]]:
    return [(c.name, c.quantity, c.unit_price) for c in p.cost_lines]


@pytest.mark.parametrize(
    ("token", "tf_type"),
    [
        (LINUX_VMSS, "azurerm_linux_virtual_machine_scale_set"),
        (WINDOWS_VMSS, "azurerm_windows_virtual_machine_scale_set"),
        (LEGACY_VMSS, "azurerm_virtual_machine_scale_set"),
        (WORKSPACE, "azurerm_machine_learning_workspace"),
        (CLUSTER, "azurerm_machine_learning_compute_cluster"),
        (INSTANCE, "azurerm_machine_learning_compute_instance"),
        (
            "azure:machinelearning/inferenceCluster:InferenceCluster",
            "azurerm_machine_learning_inference_cluster",
        ),
        ("azure:containerservice/registry:Registry", "azurerm_container_registry"),
        ("azure:keyvault/key:Key", "azurerm_key_vault_key"),
        (
            "azure:operationalinsights/analyticsWorkspace:AnalyticsWorkspace",
            "azurerm_log_analytics_workspace",
        ),
        (
            "azure:operationalinsights/analyticsSolution:AnalyticsSolution",
            "azurerm_log_analytics_solution",
        ),
        (
            "azure:compute/dataDiskAttachment:DataDiskAttachment",
            "azurerm_virtual_machine_data_disk_attachment",
        ),
        (NATIVE_VMSS, "azurerm_linux_virtual_machine_scale_set"),
        (NATIVE_WORKSPACE, "azurerm_machine_learning_workspace"),
        (VOLUME, "aws_ebs_volume"),
        (SNAPSHOT, "aws_ebs_snapshot"),
        (COPY, "aws_ebs_snapshot_copy"),
        (FSR, "aws_ebs_fast_snapshot_restore"),
        ("aws:ec2/dedicatedHost:DedicatedHost", "aws_ec2_host"),
        (
            "aws:ec2/capacityBlockReservation:CapacityBlockReservation",
            "aws_ec2_capacity_block_reservation",
        ),
        ("aws:s3/inventory:Inventory", "aws_s3_bucket_inventory"),
        (
            "aws:s3/analyticsConfiguration:AnalyticsConfiguration",
            "aws_s3_bucket_analytics_configuration",
        ),
        ("gcp:compute/instanceTemplate:InstanceTemplate", "google_compute_instance_template"),
        (
            "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
            "google_compute_region_instance_group_manager",
        ),
        ("gcp:container/cluster:Cluster", "google_container_cluster"),
        ("gcp:gkehub/membership:Membership", "google_gke_hub_membership"),
        ("gcp:gkehub/feature:Feature", "google_gke_hub_feature"),
    ],
)
def test_token_is_the_priced_terraform_type(token: str, tf_type: str) -> None:
    # the Terraform types of pulumi-azure / pulumi-aws / pulumi-gcp bridge metadata
    assert terraform_type(token) == tf_type


def test_bridged_scale_sets_rename_their_repeatable_blocks(resources: dict[str, Resource]) -> None:
    workers = resources["azurerm_linux_virtual_machine_scale_set.workers"]
    assert workers.attr("os_disk") == (
        {"caching": "ReadWrite", "storage_account_type": "Premium_LRS"},
    )
    assert workers.attr("data_disk") == (
        {
            "lun": 0,
            "caching": "ReadOnly",
            "storage_account_type": "Premium_LRS",
            "disk_size_gb": 256,
        },
    )
    assert workers.attr("network_interface", "ip_configuration", "subnet_id") == SUBNET
    assert workers.attr("admin_ssh_key", "username") == "azureuser"
    assert workers.attr("data_disks") is None and workers.attr("network_interfaces") is None
    builders = resources["azurerm_windows_virtual_machine_scale_set.builders"]
    assert builders.attr("winrm_listener") == ({"protocol": "Http"},)
    legacy = resources["azurerm_virtual_machine_scale_set.legacy"]
    assert legacy.attr("sku") == ({"name": "Standard_DS3_v2", "tier": "Standard", "capacity": 2},)
    assert legacy.attr("storage_profile_data_disk", "managed_disk_type") == "Premium_LRS"
    assert legacy.attr("storage_profile_os_disk", "managed_disk_type") == "Standard_LRS"
    assert legacy.attr("network_profile", "ip_configuration", "primary") is True


def test_native_scale_set_is_translated_field_by_field(resources: dict[str, Resource]) -> None:
    spot = resources["azurerm_linux_virtual_machine_scale_set.spot"]
    assert (spot.attr("sku"), spot.attr("instances"), spot.attr("priority")) == (
        "Standard_NC4as_T4_v3",
        4,
        "Spot",
    )
    assert spot.attr("os_disk") == (
        {"storage_account_type": "Premium_LRS", "disk_size_gb": 64, "caching": "ReadWrite"},
    )
    assert spot.attr("data_disk") == (
        {
            "lun": 0,
            "create_option": "Empty",
            "managed_disk_id": None,
            "storage_account_type": "Premium_LRS",
            "disk_size_gb": 512,
            "caching": None,
        },
    )
    agents = resources["azurerm_windows_virtual_machine_scale_set.agents"]  # windowsConfiguration
    assert agents.attr("license_type") == "Windows_Server"
    assert agents.attr("source_image_reference", "offer") == "WindowsServer"


def test_scale_sets_priced_from_catalog_prices(
    priced: dict[str, PricedResource], catalog: Catalog
) -> None:
    nc4, ds3 = "Standard_NC4as_T4_v3", "Standard_DS3_v2"
    # 3 x NC4as_T4_v3 at 0.658/h x 730 h = 1,441.02; OS disk: 30 GiB Ubuntu image -> P4
    # 5.8072 x 3 = 17.4216; the 256 GiB data disk on each instance, P15 41.811428 x 3
    # = 125.434284
    workers = priced["azurerm_linux_virtual_machine_scale_set.workers"]
    assert _lines(workers) == [
        (f"Instance usage ({nc4}, on-demand x 3)", HOURS * 3, _vm(catalog, nc4, "on_demand")),
        (
            "OS disk (30 GiB assumed: Linux marketplace images' size) "
            "(P4, Premium_LRS, 30 GiB x 3)",
            Decimal(3),
            _disk(catalog, "Premium_LRS:P4"),
        ),
        (
            "Data disk lun 0 (P15, Premium_LRS, 256 GiB x 3)",
            Decimal(3),
            _disk(catalog, "Premium_LRS:P15"),
        ),
    ]
    assert workers.monthly_cost == Decimal("1583.875884")
    # Windows rate 0.533/h x 2 x 730 = 778.18; 127 GiB Windows image -> E10 9.60 x 2
    builders = priced["azurerm_windows_virtual_machine_scale_set.builders"]
    assert builders.cost_lines[0].unit_price == _vm(catalog, ds3, "on_demand_windows")
    assert builders.monthly_cost == Decimal("797.38")
    # legacy: 2 x 0.272 x 730 = 397.12; S4 1.536 x 2; data disk lun 0 P10 21.68 x 2
    legacy = priced["azurerm_virtual_machine_scale_set.legacy"]
    assert [line[0] for line in _lines(legacy)][
        2
    ] == "Data disk lun 0 (P10, Premium_LRS, 128 GiB x 2)"
    assert legacy.cost_lines[2].unit_price == _disk(catalog, "Premium_LRS:P10")
    assert legacy.monthly_cost == Decimal("443.552")
    # native Spot: 4 x 0.457113 x 730 = 1,334.76996 + 5 % interruption overhead 66.738498;
    # P6 11.2272 x 4 = 44.9088; 512 GiB data disk P20 80.54 x 4 = 322.16
    spot = priced["azurerm_linux_virtual_machine_scale_set.spot"]
    assert spot.cost_lines[0].unit_price == _vm(catalog, nc4, "spot")
    assert spot.cost_lines[2].unit_price == _disk(catalog, "Premium_LRS:P6")
    assert spot.cost_lines[3].name == "Data disk lun 0 (P20, Premium_LRS, 512 GiB x 4)"
    assert spot.cost_lines[3].unit_price == _disk(catalog, "Premium_LRS:P20")
    assert spot.monthly_cost == Decimal("1768.577258")
    # native Windows with licenseType Windows_Server: Hybrid Benefit, the base rate 0.272
    agents = priced["azurerm_windows_virtual_machine_scale_set.agents"]
    assert agents.cost_lines[0].unit_price == _vm(catalog, ds3, "on_demand")
    assert "Hybrid Benefit" in agents.cost_lines[0].name
    assert agents.monthly_cost == Decimal("416.32")


def test_ml_compute_priced_in_its_workspace_region(
    resources: dict[str, Resource], priced: dict[str, PricedResource], catalog: Catalog
) -> None:
    cluster = priced["azurerm_machine_learning_compute_cluster.train"]
    assert resources["azurerm_machine_learning_compute_cluster.train"].references[
        "machine_learning_workspace_id"
    ] == ("azurerm_machine_learning_workspace.ml",)
    assert cluster.resource.attr("scale_settings", "min_node_count") == 1
    # minNodeCount 1 at the low-priority rate: 0.132 x 730 = 96.36 (region from the workspace)
    assert _lines(cluster) == [
        (
            "Node usage (Standard_NC4as_T4_v3, low priority x 1)",
            HOURS,
            _vm(catalog, "Standard_NC4as_T4_v3", "low_priority"),
        )
    ]
    assert cluster.monthly_cost == Decimal("96.36")
    notebook = priced["azurerm_machine_learning_compute_instance.notebook"]
    assert notebook.cost_lines[0].unit_price == _vm(catalog, "Standard_DS3_v2", "on_demand")
    assert notebook.monthly_cost == Decimal("198.56")  # 0.272 x 730
    workspace = priced["azurerm_machine_learning_workspace.ml"]
    assert workspace.unpriced_reason is None and not workspace.cost_lines


def test_ebs_snapshot_chain_sized_through_references(
    resources: dict[str, Resource], priced: dict[str, PricedResource], catalog: Catalog
) -> None:
    snapshot = resources["aws_ebs_snapshot.nightly"]
    assert snapshot.references["volume_id"] == ("aws_ebs_volume.data",)
    assert resources["aws_ebs_snapshot_copy.dr"].references["source_snapshot_id"] == (
        "aws_ebs_snapshot.nightly",
    )
    per_gb = catalog.tiers("aws", "ebs", "snapshot", "us-east-1", "storage")[0].price
    dsu = catalog.tiers("aws", "ebs", "snapshot", "us-east-1", "fast_snapshot_restore")[0].price
    # no usage: the 500 GB volume bounds what the snapshot stores, 500 x 0.05 = 25.00
    for address in ("aws_ebs_snapshot.nightly", "aws_ebs_snapshot_copy.dr"):
        assert _lines(priced[address]) == [("Snapshot storage (500 GB)", Decimal(500), per_gb)]
        assert priced[address].monthly_cost == Decimal("25.00")
    # one snapshot enabled in one zone: 730 DSU-hours x 0.75 = 547.50
    fast = priced["aws_ebs_fast_snapshot_restore.fast"]
    assert _lines(fast) == [("Fast snapshot restore (us-east-1a, DSU-hours)", HOURS, dsu)]
    assert fast.monthly_cost == Decimal("547.50")


def test_native_ml_compute_by_compute_type(
    resources: dict[str, Resource], priced: dict[str, PricedResource], catalog: Catalog
) -> None:
    cluster = priced["azurerm_machine_learning_compute_cluster.amlcluster"]
    assert cluster.resource.references["machine_learning_workspace_id"] == (
        "azurerm_machine_learning_workspace.mlnative",
    )
    assert cluster.resource.attr("scale_settings", "max_node_count") == 8
    # AmlCompute, Dedicated, minNodeCount 2 in the workspace's westeurope: 2 x 0.658 x 730
    assert cluster.cost_lines[0].unit_price == _vm(catalog, "Standard_NC4as_T4_v3", "on_demand")
    assert cluster.cost_lines[0].quantity == HOURS * 2
    assert cluster.monthly_cost == Decimal("960.68")
    devbox = priced["azurerm_machine_learning_compute_instance.devbox"]
    assert devbox.monthly_cost == Decimal("198.56")  # ComputeInstance: 0.272 x 730
    # an attached AKS compute bills as the cluster it attaches: no Azure ML pricer
    attached = priced["azurerm_machine_learning_compute.attached"]
    assert attached.unpriced_reason == (
        "resource type azurerm_machine_learning_compute is not supported yet"
    )
    assert not attached.cost_lines


def test_secret_replicas_each_billed_as_a_secret(
    resources: dict[str, Resource], priced: dict[str, PricedResource], catalog: Catalog
) -> None:
    secret = priced["aws_secretsmanager_secret.dbpass"]
    assert resources["aws_secretsmanager_secret.dbpass"].attr("replica", "region") == "us-west-2"
    per_secret = catalog.tiers("aws", "secretsmanager", "secret", "us-east-1", "storage")[0].price
    # `replicas` -> `replica`: the secret and its 2 replicas, 3 x 0.40 = 1.20 a month
    assert _lines(secret) == [("Secret (with 2 replica(s))", Decimal(3), per_secret)]
    assert secret.monthly_cost == Decimal("1.20")


def _read_one(tmp_path: Path, token: str, inputs: dict[str, Any]) -> Resource:
    path = tmp_path / "preview.json"
    path.write_text(json.dumps({"steps": [_step(token, "odd", inputs)]}))
    (resource,) = read_input(path).resources
    return resource


NATIVE_BASE = {
    "vmScaleSetName": "odd",
    "resourceGroupName": "gpu",
    "location": "westeurope",
    "sku": {"name": "Standard_DS3_v2", "capacity": 2},
}


def test_native_low_priority_scale_set_is_spot(tmp_path: Path, catalog: Catalog) -> None:
    # ARM still accepts priority Low, the deprecated name of Spot: 2 x the DS3_v2 Spot rate
    # (it was priced at the on-demand 0.272/h, as a regular scale set)
    inputs = {**NATIVE_BASE, "virtualMachineProfile": {"priority": "Low"}}
    resource = _read_one(tmp_path, NATIVE_VMSS, inputs)
    (found,) = price_resources((resource,), catalog, usage())
    line = found.cost_lines[0]
    assert line.unit_price == _vm(catalog, "Standard_DS3_v2", "spot")
    assert line.quantity == HOURS * 2
    assert "priority Low: Azure Spot" in line.name


def test_native_scale_set_unknown_profile_leaves_disks_missing(
    tmp_path: Path, catalog: Catalog
) -> None:
    # a computed storage profile: its data disks are unknown, a missing component (they
    # were read as no data disks), and an unknown priority is said on the line
    profile = {"priority": UNKNOWN_WIRE, "storageProfile": UNKNOWN_WIRE}
    resource = _read_one(tmp_path, NATIVE_VMSS, {**NATIVE_BASE, "virtualMachineProfile": profile})
    assert resource.attr("data_disk") is UNKNOWN and resource.attr("priority") is UNKNOWN
    (found,) = price_resources((resource,), catalog, usage())
    assert found.missing == (
        "OS disk not priced: os_disk unknown until apply",
        "Data disks not priced: data_disk unknown until apply",
    )
    assert "priority unknown until apply" in found.cost_lines[0].name
    assert found.cost_lines[0].unit_price == _vm(catalog, "Standard_DS3_v2", "on_demand")


@pytest.mark.parametrize("data_disks", [5, "disk", ["disk"]])
def test_native_scale_set_malformed_data_disks_are_input_errors(
    tmp_path: Path, catalog: Catalog, data_disks: Any
) -> None:
    # `dataDisks: 5` failed the run with an internal TypeError; a string entry was read as
    # a disk whose type and size Azure decides
    profile = {"storageProfile": {"dataDisks": data_disks}}
    resource = _read_one(tmp_path, NATIVE_VMSS, {**NATIVE_BASE, "virtualMachineProfile": profile})
    with pytest.raises(InputError, match="data_disk should be a list of blocks"):
        price_resources((resource,), catalog, usage())


def test_native_ml_compute_unknown_settings_stay_unknown(tmp_path: Path, catalog: Catalog) -> None:
    # an unknown minNodeCount is not 0 (it said the cluster scales to zero) and an unknown
    # vmPriority is not silently Dedicated
    props = {
        "vmSize": "Standard_DS3_v2",
        "vmPriority": UNKNOWN_WIRE,
        "scaleSettings": {"minNodeCount": UNKNOWN_WIRE, "maxNodeCount": 4},
    }
    inputs = {
        "computeName": "odd",
        "workspaceName": "ml",
        "location": "westeurope",
        "properties": {"computeType": "AmlCompute", "properties": props},
    }
    resource = _read_one(tmp_path, NATIVE_COMPUTE, inputs)
    assert resource.attr("scale_settings", "min_node_count") is UNKNOWN
    (found,) = price_resources((resource,), catalog, usage())
    assert found.unpriced_reason == (
        "instance count unknown: usage file instances not set; "
        "scale_settings.min_node_count unknown until apply"
    )
    # with the usage file's 3 nodes: 3 x 0.272 x 730 = 595.68 at the dedicated rate, said so
    (found,) = price_resources(
        (resource,),
        catalog,
        usage({"azurerm_machine_learning_compute_cluster.odd": {"instances": 3}}),
    )
    assert found.cost_lines[0].name.startswith(
        "Node usage (vm_priority unknown until apply: dedicated rate assumed)"
    )
    assert found.monthly_cost == Decimal("595.68")


def test_native_windows_vm_license_type_is_hybrid_benefit(tmp_path: Path, catalog: Catalog) -> None:
    # licenseType Windows_Server on an azure-native VM, as on its scale set: the base
    # (Linux) rate 0.272/h, not the Windows rate (licenseType was dropped)
    inputs = {
        "vmName": "odd",
        "resourceGroupName": "gpu",
        "location": "westeurope",
        "hardwareProfile": {"vmSize": "Standard_DS3_v2"},
        "licenseType": "Windows_Server",
        "osProfile": {"computerName": "odd", "windowsConfiguration": {}},
        "storageProfile": {"osDisk": {"osType": "Windows", "createOption": "FromImage"}},
    }
    resource = _read_one(tmp_path, "azure-native:compute:VirtualMachine", inputs)
    assert resource.type == "azurerm_windows_virtual_machine"
    (found,) = price_resources((resource,), catalog, usage())
    line = found.cost_lines[0]
    assert "Hybrid Benefit" in line.name
    assert line.unit_price == _vm(catalog, "Standard_DS3_v2", "on_demand") == Decimal("0.272")


def test_native_vm_prices_the_data_disks_it_creates(tmp_path: Path, catalog: Catalog) -> None:
    """An azure-native VM's `storageProfile.dataDisks` are created with it (azurerm declares
    them as separate disk resources): an Empty disk is priced at its tier, an attached one
    (`createOption: Attach`, an existing disk) only named, it bills as its own resource."""
    p20 = _disk(catalog, "Premium_LRS:P20")
    assert p20 == Decimal("80.54")  # westeurope, 512 GiB
    inputs = {
        "vmName": "train",
        "resourceGroupName": "gpu",
        "location": "westeurope",
        "hardwareProfile": {"vmSize": "Standard_DS3_v2"},
        "storageProfile": {
            "osDisk": {
                "createOption": "FromImage",
                "diskSizeGB": 64,
                "managedDisk": {"storageAccountType": "Premium_LRS"},
            },
            "dataDisks": [
                {
                    "lun": 0,
                    "createOption": "Empty",
                    "diskSizeGB": 512,
                    "managedDisk": {"storageAccountType": "Premium_LRS"},
                },
                {
                    "lun": 1,
                    "createOption": "Attach",
                    "managedDisk": {
                        "id": "/subscriptions/s/resourceGroups/gpu/providers/"
                        "Microsoft.Compute/disks/datasets"
                    },
                },
            ],
        },
    }
    resource = _read_one(tmp_path, "azure-native:compute:VirtualMachine", inputs)
    (found,) = price_resources((resource,), catalog, usage())
    lines = {c.name: c for c in found.cost_lines}
    data = lines["Data disk lun 0 (P20, Premium_LRS, 512 GiB)"]
    assert data.quantity == 1 and data.unit_price == p20
    assert not [n for n in lines if "lun 1" in n]
    assert any(n.startswith("Data disk lun 1: attached existing disk") for n in found.notes)
    assert not found.missing
    # 730 h x DS3_v2 Linux $0.272 + P6 OS disk (64 GiB) + P20 data disk
    hours = 730 * _vm(catalog, "Standard_DS3_v2", "on_demand")
    assert found.monthly_cost == hours + _disk(catalog, "Premium_LRS:P6") + p20
