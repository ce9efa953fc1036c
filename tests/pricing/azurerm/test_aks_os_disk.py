"""AKS node OS disks (issue 15): `os_disk_size_gb` / `os_disk_type`, else AKS's defaults
(Managed; size by vCPU count; Premium SSD when the VM size takes it), stated on the line."""

from __future__ import annotations

import pytest

from costgate.facts.azurerm import premium_storage, size_vcpus
from costgate.pricing.catalog import Catalog
from tests.pricing.helpers import D, azure, list_price, price


def disk_lines(catalog: Catalog, pool: dict) -> tuple[list, tuple[str, ...]]:
    cluster = azure("azurerm_kubernetes_cluster", {"default_node_pool": [pool]})
    (priced,) = price(catalog, cluster)
    return [c for c in priced.cost_lines if "OS disk" in c.name], priced.notes


def test_default_size_and_premium_type(catalog: Catalog) -> None:
    p10 = list_price(catalog, "azurerm", "disk", "Premium_LRS:P10", "storage", "eastus")
    assert p10 == D("19.71")
    (line,), _ = disk_lines(catalog, {"vm_size": "Standard_D2s_v5", "node_count": 3})
    # 2 vCPUs: AKS's default 128 GB -> P10, 3 disks x $19.71 = $59.13
    assert line.quantity == 3 and line.monthly_cost == D("59.13")
    assert "128 GB: AKS's default for 2 vCPUs" in line.name
    assert "Managed: the azurerm default" in line.name


def test_given_size_on_a_size_without_premium_storage(catalog: Catalog) -> None:
    s4 = list_price(catalog, "azurerm", "disk", "Standard_LRS:S4", "storage", "eastus")
    assert s4 == D("1.54")
    pool = {"vm_size": "Standard_D2_v2", "node_count": 2, "os_disk_size_gb": 32}
    (line,), _ = disk_lines(catalog, pool)
    assert line.monthly_cost == 2 * s4  # $3.08
    assert "Standard HDD assumed" in line.name


def test_ephemeral_disk_is_in_the_vm_price(catalog: Catalog) -> None:
    pool = {"vm_size": "Standard_D2s_v5", "node_count": 1, "os_disk_type": "Ephemeral"}
    found, notes = disk_lines(catalog, pool)
    assert not found
    assert any("Ephemeral" in n for n in notes)


def test_unknown_vcpus_leave_the_default_size_unpriced(catalog: Catalog) -> None:
    cluster = azure(
        "azurerm_kubernetes_cluster",
        {"default_node_pool": [{"vm_size": "Standard_G5", "node_count": 1}]},
        region="westeurope",  # where the catalog prices the G5 node itself
    )
    (priced,) = price(catalog, cluster)
    assert not [c for c in priced.cost_lines if "OS disk" in c.name]
    # the disk costs something AKS sizes: a missing component, the cluster partially priced
    assert any(
        m.startswith(
            "Node OS disk not priced: os_disk_size_gb not set and the vCPUs of Standard_G5"
        )
        for m in priced.missing
    )


@pytest.mark.parametrize(
    ("size", "vcpus", "premium"),
    [
        ("Standard_D2_v2", 2, False),
        ("Standard_DS2_v2", 2, True),
        ("Standard_D11_v2", 2, False),  # the D11-D15 table, not the name
        ("Standard_DS14_v2", 16, True),
        ("Basic_A2", 2, False),  # the A-series table
        ("Standard_A7", 8, False),
        ("Standard_G5", None, False),
        ("Standard_E8-4ds_v5", 4, True),
        ("Standard_NC24ads_A100_v4", 24, True),
        ("Standard_B2ms", 2, True),
    ],
)
def test_size_names(size: str, vcpus: int | None, premium: bool) -> None:
    assert size_vcpus(size) == vcpus
    assert premium_storage(size) is premium
