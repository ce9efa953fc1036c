"""Azure pricers against the shipped catalog, worked out by hand at 730 h.

Each test pins the catalog prices it relies on to the sourced list price first, so a
catalog change is noticed, then checks the monthly figure computed by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from costgate.inputs import read_input
from costgate.model import UNKNOWN
from costgate.pricing.catalog import Catalog, load_catalog
from tests.conftest import usage, write_price_book
from tests.pricing.helpers import PLANS, D, azure, lines, list_price, price

# --------------------------------------------------------------------------- Azure


def test_azure_nd_a100_vm_with_premium_os_disk(catalog: Catalog) -> None:
    assert list_price(catalog, "azurerm", "vm", "Standard_ND96asr_v4", "on_demand", "eastus") == D(
        "27.197"
    )
    (p,) = price(
        catalog,
        azure(
            "azurerm_linux_virtual_machine",
            {
                "size": "Standard_ND96asr_v4",
                "priority": "Regular",
                "os_disk": [{"storage_account_type": "Premium_LRS", "disk_size_gb": 100}],
            },
        ),
    )
    got = lines(p)
    assert got["Instance usage (Standard_ND96asr_v4, on-demand)"] == (D(730), D("27.197"))
    assert got["OS disk (P10, Premium_LRS, 100 GiB)"] == (D(1), D("19.71"))  # 100 GiB -> P10
    assert p.monthly_cost == D("19853.81") + D("19.71")


def test_azure_windows_vm_uses_the_windows_rate(catalog: Catalog) -> None:
    vm = azure(
        "azurerm_windows_virtual_machine",
        {"size": "Standard_NC24ads_A100_v4"},
        region="westeurope",
    )
    (p,) = price(catalog, vm)
    # Retail Prices API 'NC24ads A100 v4' Windows meter, westeurope (4.775 Linux): $4,291.67
    assert p.monthly_cost == 730 * D("5.879")


def test_azure_spot_vm_at_the_retail_spot_rate_unpriced_without_one_and_price_book_wins(
    catalog: Catalog, tmp_path: Path
) -> None:
    # Retail Prices API 'NC24ads A100 v4 Spot' meter in eastus (skypilot-catalog-azure)
    a100 = "Standard_NC24ads_A100_v4"
    assert list_price(catalog, "azurerm", "vm", a100, "spot", "eastus") == D("0.444433")
    vm = azure("azurerm_linux_virtual_machine", {"size": a100, "priority": "Spot"})
    (shipped,) = price(catalog, vm)
    assert shipped.monthly_cost == 730 * D("0.444433") * D("1.05")  # 340.6578945
    # H100 v5 has no sourced Spot meter (the snapshot repeats on-demand there): unpriced, not $0
    h100 = azure(
        "azurerm_linux_virtual_machine",
        {"size": "Standard_NC80adis_H100_v5", "priority": "Spot"},
        address="azurerm_linux_virtual_machine.h100",
    )
    (unpriced,) = price(catalog, h100)
    assert unpriced.unpriced_reason == "no spot price for vm Standard_NC80adis_H100_v5 in eastus"
    book = write_price_book(
        tmp_path / "private.json",
        "azurerm",
        [
            {
                "service": "vm",
                "product": "Standard_NC24ads_A100_v4",
                "region": "eastus",
                "kind": "spot",
                "price": "0.9",
            }
        ],
    )
    (p,) = price(load_catalog([book]), vm)
    assert p.monthly_cost == 730 * D("0.9") * D("1.05")


def test_azure_westus2_and_westeurope_are_priced_from_their_own_rows(catalog: Catalog) -> None:
    # westus2 Linux meter and Spot meter (skypilot-catalog-azure); westeurope from the radar's
    # Retail Prices API items of 2026-08-22 (F2 0.114 an hour; S4 1.536 a month, which
    # supersedes the 1.54 read off Infracost's West Europe goldens)
    assert list_price(catalog, "azurerm", "vm", "Standard_D2_v2", "on_demand", "westus2") == D(
        "0.114"
    )
    assert list_price(catalog, "azurerm", "vm", "Standard_D2_v2", "spot", "westus2") == D("0.01482")
    assert list_price(catalog, "azurerm", "vm", "Standard_F2", "on_demand", "westeurope") == D(
        "0.114"
    )
    assert list_price(catalog, "azurerm", "disk", "Standard_LRS:S4", "storage", "westeurope") == D(
        "1.536"
    )
    spot_pool = azure(
        "azurerm_linux_virtual_machine_scale_set",
        {"sku": "Standard_D2_v2", "instances": 2, "priority": "Spot"},
        region="westus2",
        address="azurerm_linux_virtual_machine_scale_set.batch",
    )
    europe = azure(
        "azurerm_linux_virtual_machine",
        {"size": "Standard_F2", "os_disk": [{"storage_account_type": "Standard_LRS"}]},
        region="westeurope",
        address="azurerm_linux_virtual_machine.eu",
    )
    s, e = price(catalog, spot_pool, europe)
    assert s.monthly_cost == 2 * 730 * D("0.01482") * D("1.05")  # 22.718580
    assert lines(e)["Instance usage (Standard_F2, on-demand)"] == (D(730), D("0.114"))


def test_azure_aks_node_pool_and_scale_set(catalog: Catalog) -> None:
    assert list_price(catalog, "azurerm", "vm", "Standard_NC8as_T4_v3", "on_demand", "eastus") == D(
        "0.752"
    )
    pool = azure(
        "azurerm_kubernetes_cluster_node_pool", {"vm_size": "Standard_NC8as_T4_v3", "node_count": 2}
    )
    vmss = azure(
        "azurerm_linux_virtual_machine_scale_set",
        {
            "sku": "Standard_DS2_v2",
            "instances": 3,
            "os_disk": [{"storage_account_type": "Standard_LRS", "disk_size_gb": 30}],
        },
        address="azurerm_linux_virtual_machine_scale_set.web",
    )
    p, s = price(catalog, pool, vmss)
    assert lines(p)["Node usage (Standard_NC8as_T4_v3, on-demand x 2)"] == (D(1460), D("0.752"))
    assert p.monthly_cost == D("1097.92")
    # 3 x 730 x 0.146 + 3 x S4 (32 GiB tier) at 1.54
    assert s.monthly_cost == D("319.74") + D("4.62")


def test_azure_ml_cluster_low_priority_and_dedicated(catalog: Catalog) -> None:
    dedicated = azure(
        "azurerm_machine_learning_compute_cluster",
        {
            "vm_size": "Standard_D2s_v3",
            "vm_priority": "Dedicated",
            "scale_settings": [{"min_node_count": 2, "max_node_count": 8}],
        },
        region="westeurope",
    )
    low = azure(
        "azurerm_machine_learning_compute_cluster",
        {
            "vm_size": "Standard_D2s_v3",
            "vm_priority": "LowPriority",
            "scale_settings": [{"min_node_count": 1, "max_node_count": 4}],
        },
        region="westeurope",
        address="azurerm_machine_learning_compute_cluster.low",
    )
    idle = azure(
        "azurerm_machine_learning_compute_cluster",
        {"vm_size": "Standard_D2s_v3", "scale_settings": [{"min_node_count": 0}]},
        region="westeurope",
        address="azurerm_machine_learning_compute_cluster.idle",
    )
    d, lo, i = price(catalog, dedicated, low, idle)
    assert d.monthly_cost == 2 * 730 * D("0.12")  # infracost West Europe: $87.60 / 730 h
    assert any("scale to 8" in n for n in d.notes)
    # Low Priority meter "D2s v3 Low Priority" (Retail Prices API, westeurope, 2026-08-22):
    # 0.024/h for the 1 node the cluster keeps
    assert lo.monthly_cost == 1 * 730 * D("0.024") == D("17.52")
    assert i.unpriced_reason and i.unpriced_reason.startswith(
        "usage unknown: the cluster scales to zero"
    )


def test_azure_ml_cluster_nodes_cost_exactly_the_vm_rate(catalog: Catalog) -> None:
    # Azure ML adds no surcharge (azure.microsoft.com/pricing/details/machine-learning: "no
    # additional charge to use Azure Machine Learning"); a node is the VM meter of its size
    vm_rate = list_price(
        catalog, "azurerm", "vm", "Standard_NC24ads_A100_v4", "on_demand", "eastus"
    )
    assert vm_rate == D("3.673")
    cluster = azure(
        "azurerm_machine_learning_compute_cluster",
        {
            "vm_size": "Standard_NC24ads_A100_v4",
            "vm_priority": "Dedicated",
            "scale_settings": [{"min_node_count": 1, "max_node_count": 1}],
        },
    )
    vm = azure(
        "azurerm_linux_virtual_machine",
        {"size": "Standard_NC24ads_A100_v4"},
        address="azurerm_linux_virtual_machine.same",
    )
    c, v = price(catalog, cluster, vm)
    assert [(x.quantity, x.unit_price, x.unit) for x in c.cost_lines] == [(D(730), vm_rate, "hour")]
    assert c.monthly_cost == 730 * D("3.673") == D("2681.29")
    node = next(x for x in v.cost_lines if x.unit == "hour")
    assert node.unit_price == c.cost_lines[0].unit_price
    assert any("billed at the VM rates" in n and "no Azure ML surcharge" in n for n in c.notes)


def test_azure_storage_account_with_management_policy_early_deletion(catalog: Catalog) -> None:
    assert catalog.product("azurerm", "blob", "Cool_LRS")["min_storage_days"] == 30
    account = azure(
        "azurerm_storage_account",
        {"account_tier": "Standard", "account_replication_type": "LRS", "access_tier": "Hot"},
        region="westus",
        address="azurerm_storage_account.data",
    )
    policy = azure(
        "azurerm_storage_management_policy",
        {
            "rule": [
                {
                    "enabled": True,
                    "actions": [
                        {
                            "base_blob": [
                                {
                                    "tier_to_cool_after_days_since_modification_greater_than": 10,
                                    "delete_after_days_since_modification_greater_than": 30,
                                }
                            ]
                        }
                    ],
                }
            ]
        },
        region="westus",
        address="azurerm_storage_management_policy.p",
        references={"storage_account_id": ("azurerm_storage_account.data",)},
    )
    a, p = price(
        catalog, account, policy, use=usage({"azurerm_storage_account.data": {"storage_gb": 1000}})
    )
    got = lines(a)
    assert got["Storage (Hot_LRS, 10/30 d)"] == (D("333.333333"), D("0.0208"))
    assert got["Storage (Cool_LRS, 20/30 d)"] == (D("666.666667"), D("0.0115"))
    # deleted 20 days into Cool: 10 more days of the 30-day minimum
    assert got["Early deletion (Cool_LRS, 10 d short of 30-day minimum)"] == (
        D("333.333333"),
        D("0.0115"),
    )
    assert a.monthly_cost == (
        D("333.333333") * D("0.0208")
        + D("666.666667") * D("0.0115")
        + D("333.333333") * D("0.0115")
    )
    assert p.free


def test_azure_managed_disk_tier_rounds_up(catalog: Catalog) -> None:
    (p,) = price(
        catalog,
        azure(
            "azurerm_managed_disk",
            {"storage_account_type": "StandardSSD_LRS", "disk_size_gb": 1000},
        ),
    )
    assert lines(p)["Storage (E30, StandardSSD_LRS, 1000 GiB)"] == (D(1), D("76.8"))


@pytest.mark.parametrize(
    "plan, address, reason",
    [
        (
            "tfcompliance_test_issue-394/plan.out.json",
            "azurerm_storage_account.example",
            "usage unknown",
        ),
    ],
)
def test_shared_azure_storage_plan_explains(
    catalog: Catalog, plan: str, address: str, reason: str
) -> None:
    stack = read_input(PLANS / plan)
    priced = [
        p for p in price(catalog, *stack.resources) if p.resource.type == "azurerm_storage_account"
    ]
    assert priced and all(p.unpriced_reason and reason in p.unpriced_reason for p in priced)


def test_shared_legacy_azure_vm_plan_explains_missing_region(catalog: Catalog) -> None:
    stack = read_input(PLANS / "tfcompliance_test_issue-294" / "plan.out.json")
    vms = [
        p for p in price(catalog, *stack.resources) if p.resource.type == "azurerm_virtual_machine"
    ]
    assert vms
    for vm in vms:
        assert vm.unpriced_reason is not None
        assert "Standard_D2s_v3" in vm.unpriced_reason or "region unknown" in vm.unpriced_reason


def test_scale_set_data_disks_on_every_instance(catalog: Catalog) -> None:
    """Each `data_disk` of a Linux / Windows scale set is a managed disk on every instance
    (Azure scale sets: data disks are configured for all VMs); one whose type or size is
    unknown is named, not priced."""
    assert list_price(catalog, "azurerm", "disk", "Premium_LRS:P10", "storage", "westeurope") == (
        D("21.68")
    )
    vmss = azure(
        "azurerm_windows_virtual_machine_scale_set",
        {
            "sku": "Standard_DS3_v2",
            "instances": 2,
            "os_disk": [{"storage_account_type": "Standard_LRS", "disk_size_gb": 30}],
            "data_disk": [
                {"lun": 0, "storage_account_type": "Premium_LRS", "disk_size_gb": 128},
                {"lun": 1, "storage_account_type": "Premium_LRS", "disk_size_gb": UNKNOWN},
            ],
        },
        region="westeurope",
        address="azurerm_windows_virtual_machine_scale_set.build",
    )
    (s,) = price(catalog, vmss)
    assert lines(s)["Data disk lun 0 (P10, Premium_LRS, 128 GiB x 2)"] == (D(2), D("21.68"))
    # the unknown size costs something unpriced: a missing component (partially priced)
    assert s.missing == ("Data disk lun 1 not priced: disk_size_gb unknown until apply",)
    # 2 x 730 x 0.533 (Windows) + 2 x S4 1.536 + 2 x P10 21.68
    assert s.monthly_cost == D("778.18") + D("3.072") + D("43.36")
