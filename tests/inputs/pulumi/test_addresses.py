"""Pulumi resources carry their Terraform type, so usage keys and policies written for
Terraform apply; azure-native disks and AKS pools are priced like their azurerm twins."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from costgate.inputs import read_input
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import usage

PREFIX = "urn:pulumi:dev::aks::"
CLUSTER = PREFIX + "azure-native:containerservice:ManagedCluster::ml"


def state(token: str, name: str, inputs: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "urn": f"{PREFIX}{token}::{name}",
        "type": token,
        "custom": True,
        "inputs": inputs,
        **extra,
    }


STATES = [
    state(
        "azure-native:containerservice:ManagedCluster",
        "ml",
        {
            "location": "eastus",
            "resourceGroupName": "rg",
            "agentPoolProfiles": [
                {"name": "system", "mode": "System", "vmSize": "Standard_D2_v3", "count": 3},
            ],
        },
    ),
    state(
        "azure-native:containerservice/v20240702:AgentPool",
        "gpu",
        {
            "resourceName": "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
            "resourceGroupName": "rg",
            "vmSize": "Standard_NC24ads_A100_v4",
            "count": 2,
            "scaleSetPriority": "Spot",
        },
        propertyDependencies={"resourceName": [CLUSTER]},
    ),
    state(
        "azure-native:compute:Disk",
        "data",
        {"location": "eastus", "sku": {"name": "Premium_LRS"}, "diskSizeGB": 128},
    ),
    state("random:index/randomString:RandomString", "suffix", {"length": 8}),
    state("aws:rds/instance:Instance", "db", {"instanceClass": "db.t3.micro"}),
]


def read(tmp_path: Path) -> Any:
    path = tmp_path / "preview.json"
    steps = [{"op": "create", "urn": s["urn"], "newState": s} for s in STATES]
    path.write_text(json.dumps({"steps": steps}))
    return read_input(path)


def test_addresses_are_terraform_addresses(tmp_path: Path) -> None:
    addresses = {r.address for r in read(tmp_path).resources}
    assert addresses == {
        "azurerm_kubernetes_cluster.ml",
        "azurerm_kubernetes_cluster_node_pool.gpu",
        "azurerm_managed_disk.data",
        "random_string.suffix",  # was random_random_string
        "aws_db_instance.db",  # was aws_rds_instance
    }


def test_azure_native_aks_and_disk_priced_with_terraform_usage_keys(
    tmp_path: Path, catalog: Catalog
) -> None:
    resources = read(tmp_path).resources
    pool = next(r for r in resources if r.type == "azurerm_kubernetes_cluster_node_pool")
    assert pool.references["kubernetes_cluster_id"] == ("azurerm_kubernetes_cluster.ml",)
    priced = {p.resource.address: p for p in price_resources(resources, catalog, usage())}
    # default pool: 3 x Standard_D2_v3 at $0.096/h in eastus x 730 h = $210.24, plus its
    # nodes' OS disks (AKS's default 128 GB, Standard HDD for a D2_v3: S10) 3 x $5.89 = $17.67
    s10 = catalog.price("azurerm", "disk", "Standard_LRS:S10", "eastus", "storage")
    assert s10 is not None and s10.price == Decimal("5.89")
    assert priced["azurerm_kubernetes_cluster.ml"].monthly_cost == Decimal("227.91")
    # 2 x Standard_NC24ads_A100_v4 Spot at $0.444433/h (eastus, the cluster's region) x 730 h
    # = $648.87218, plus the usage file's 5 % spot interruption overhead = $681.315789
    assert priced["azurerm_kubernetes_cluster_node_pool.gpu"].monthly_cost == Decimal("681.315789")
    # a Premium_LRS 128 GiB disk is a P10: $19.71 a month in eastus
    assert priced["azurerm_managed_disk.data"].monthly_cost == Decimal("19.71")
    assert priced["random_string.suffix"].free  # a free provider, recognised by its name
    # a usage file written for the Terraform version of the stack applies as it is
    scaled = {
        p.resource.address: p
        for p in price_resources(
            resources,
            catalog,
            usage({"azurerm_kubernetes_cluster_node_pool.gpu": {"instances": 4}}),
        )
    }
    # 4 x $0.444433 x 730 = $1,297.74436, x 1.05 = $1,362.631578
    assert scaled["azurerm_kubernetes_cluster_node_pool.gpu"].monthly_cost == Decimal("1362.631578")
