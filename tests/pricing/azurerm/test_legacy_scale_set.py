"""The legacy `azurerm_virtual_machine_scale_set`: `sku { name, capacity }` instances at the
Linux or Windows rate (Hybrid Benefit at the Linux rate, `priority = "Low"` at Spot), the OS
disk and every `storage_profile_data_disk` on each instance. Prices are pinned to the
shipped catalog (West Europe, Retail Prices API of 2026-08-22) and every figure is worked out
by hand at 730 h."""

from __future__ import annotations

from typing import Any

import pytest

from costgate.errors import InputError
from costgate.facts import compute
from costgate.facts.index import StackIndex
from costgate.model import UNKNOWN, PricedResource
from costgate.pricing.catalog import Catalog
from tests.conftest import usage
from tests.pricing.helpers import D, azure, lines, list_price, price

REGION = "westeurope"
UBUNTU = {"publisher": "Canonical", "offer": "UbuntuServer", "sku": "16.04-LTS"}
WINDOWS_SERVER = {"publisher": "MicrosoftWindowsServer", "offer": "WindowsServer", "sku": "2019"}
OS_DISK = {"create_option": "FromImage", "managed_disk_type": "Standard_LRS"}


def scale_set(name: str = "pool", capacity: int = 3, **attributes: Any) -> Any:
    """A legacy scale set of Standard_F2 in West Europe with a Standard HDD OS disk."""
    base: dict[str, Any] = {
        "sku": [{"name": "Standard_F2", "tier": "Standard", "capacity": capacity}],
        "storage_profile_image_reference": [UBUNTU],
        "storage_profile_os_disk": [OS_DISK],
    }
    return azure(
        "azurerm_virtual_machine_scale_set",
        {**base, **attributes},
        region=REGION,
        address=f"azurerm_virtual_machine_scale_set.{name}",
    )


def cost_of(priced: PricedResource, prefix: str) -> D:
    (line,) = [c for c in priced.cost_lines if c.name.startswith(prefix)]
    return line.monthly_cost


@pytest.fixture
def f2(catalog: Catalog) -> dict[str, D]:
    """The West Europe rates these tests rely on, pinned to the catalog."""
    rates = {
        "linux": list_price(catalog, "azurerm", "vm", "Standard_F2", "on_demand", REGION),
        "windows": list_price(catalog, "azurerm", "vm", "Standard_F2", "on_demand_windows", REGION),
        "S4": list_price(catalog, "azurerm", "disk", "Standard_LRS:S4", "storage", REGION),
        "S10": list_price(catalog, "azurerm", "disk", "Standard_LRS:S10", "storage", REGION),
        "E4": list_price(catalog, "azurerm", "disk", "StandardSSD_LRS:E4", "storage", REGION),
    }
    assert rates == {
        "linux": D("0.114"),
        "windows": D("0.206"),
        "S4": D("1.536"),
        "S10": D("5.888"),
        "E4": D("2.4"),
    }
    return rates


def test_linux_scale_set_is_capacity_instances_with_an_os_disk_each(
    catalog: Catalog, f2: dict[str, D]
) -> None:
    (p,) = price(catalog, scale_set(os_profile_linux_config=[{}]))
    got = lines(p)
    assert got["Instance usage (Standard_F2, on-demand x 3)"] == (D(2190), f2["linux"])
    # 3 x 730 x 0.114 = 249.66; Ubuntu's 30 GiB OS disk is an S4 on each instance: 3 x 1.536
    assert cost_of(p, "Instance usage") == D("249.66")
    disk = next(c for c in p.cost_lines if c.name.startswith("OS disk"))
    assert "30 GiB assumed" in disk.name and "S4" in disk.name and "x 3" in disk.name
    assert disk.monthly_cost == D("4.608")
    assert p.monthly_cost == D("254.268")


@pytest.mark.parametrize(
    "windows",
    [
        {"os_profile_windows_config": [{"provision_vm_agent": True}]},
        {"storage_profile_os_disk": [{**OS_DISK, "os_type": "windows"}]},
        {"storage_profile_image_reference": [WINDOWS_SERVER]},
    ],
    ids=["os_profile_windows_config", "os_type", "image_offer"],
)
def test_windows_scale_set_bills_the_windows_rate_and_a_127_gib_os_disk(
    catalog: Catalog, f2: dict[str, D], windows: dict[str, Any]
) -> None:
    (p,) = price(catalog, scale_set(**windows))
    # 3 x 730 x 0.206 = 451.14 (the Linux rate would be 249.66)
    assert lines(p)["Instance usage (Standard_F2, windows, on-demand x 3)"] == (
        D(2190),
        f2["windows"],
    )
    assert cost_of(p, "Instance usage") == D("451.14")
    # no disk_size_gb in this type: a Windows image's 127 GiB, an S10 on each instance
    assert "127 GiB assumed" in next(c.name for c in p.cost_lines if c.name.startswith("OS disk"))
    assert cost_of(p, "OS disk") == 3 * D("5.888")  # 17.664


def test_hybrid_benefit_bills_a_windows_scale_set_at_the_linux_rate(
    catalog: Catalog, f2: dict[str, D]
) -> None:
    (p,) = price(catalog, scale_set(os_profile_windows_config=[{}], license_type="Windows_Server"))
    (usage_line,) = [c for c in p.cost_lines if c.name.startswith("Instance usage")]
    assert "license_type Windows_Server: Hybrid Benefit" in usage_line.name
    assert (usage_line.quantity, usage_line.unit_price) == (D(2190), f2["linux"])
    assert usage_line.monthly_cost == D("249.66")  # 3 x 730 x 0.114


def test_each_data_disk_is_a_managed_disk_on_every_instance(
    catalog: Catalog, f2: dict[str, D]
) -> None:
    disks = [
        {
            "lun": 0,
            "create_option": "Empty",
            "managed_disk_type": "StandardSSD_LRS",
            "disk_size_gb": 32,
        },
        {
            "lun": 1,
            "create_option": "Empty",
            "managed_disk_type": "Standard_LRS",
            "disk_size_gb": 10,
        },
        {"lun": 2, "create_option": "Empty", "disk_size_gb": 64},
    ]
    (p,) = price(catalog, scale_set(capacity=2, storage_profile_data_disk=disks))
    got = lines(p)
    assert got["Data disk lun 0 (E4, StandardSSD_LRS, 32 GiB x 2)"] == (D(2), f2["E4"])
    assert got["Data disk lun 1 (S4, Standard_LRS, 10 GiB x 2)"] == (D(2), f2["S4"])
    # 2 x 2.4 = 4.80 and 2 x 1.536 = 3.072; lun 2 leaves its type to Azure: a missing
    # component (the scale set is partially priced), not a note on a fully priced resource
    assert cost_of(p, "Data disk lun 0") + cost_of(p, "Data disk lun 1") == D("7.872")
    assert p.missing == (
        "Data disk lun 2 not priced: managed_disk_type not set (Azure decides it)",
    )
    # 2 x 730 x 0.114 = 166.44, 2 OS disks (S4) 3.072
    assert p.monthly_cost == D("166.44") + D("3.072") + D("7.872")


def test_usage_instances_override_sku_capacity(catalog: Catalog, f2: dict[str, D]) -> None:
    pool = scale_set(capacity=2)
    (p,) = price(catalog, pool, use=usage({pool.address: {"instances": 5}}))
    assert lines(p)["Instance usage (Standard_F2, on-demand x 5)"] == (D(3650), f2["linux"])
    # 5 x 730 x 0.114 = 416.10, plus 5 OS disks (S4) 7.68
    assert p.monthly_cost == D("416.1") + D("7.68")


def test_priority_low_is_billed_at_the_spot_rate(catalog: Catalog) -> None:
    a100 = "Standard_NC24ads_A100_v4"
    spot = list_price(catalog, "azurerm", "vm", a100, "spot", REGION)
    assert spot == D("1.097295")
    pool = azure(
        "azurerm_virtual_machine_scale_set",
        {
            "sku": [{"name": a100, "capacity": 2}],
            "priority": "Low",
            "eviction_policy": "Delete",
            "storage_profile_os_disk": [{**OS_DISK, "managed_disk_type": None}],
        },
        region=REGION,
    )
    (p,) = price(catalog, pool, use=usage(overhead="0"))
    (hours,) = p.cost_lines
    assert "priority Low" in hours.name and "spot x 2" in hours.name
    assert (hours.quantity, hours.unit_price) == (D(1460), spot)
    assert p.monthly_cost == D("1602.0507")  # 2 x 730 x 1.097295


def test_an_unmanaged_os_disk_is_not_priced_and_says_why(catalog: Catalog) -> None:
    unmanaged = {"name": "osdisk", "create_option": "FromImage", "vhd_containers": ["https://x"]}
    (p,) = price(catalog, scale_set(capacity=1, storage_profile_os_disk=[unmanaged]))
    assert [c.name for c in p.cost_lines] == ["Instance usage (Standard_F2, on-demand)"]
    assert any("unmanaged" in n for n in p.notes)
    assert p.monthly_cost == D("83.22")  # 730 x 0.114


def test_compute_facts_read_the_legacy_sku_block() -> None:
    pool = azure(
        "azurerm_virtual_machine_scale_set",
        {"sku": [{"name": "Standard_NC24ads_A100_v4", "capacity": 4}]},
    )
    index = StackIndex((pool,))
    (machines,) = compute.machines(pool, index)
    assert (machines.machine_type, machines.instances) == ("Standard_NC24ads_A100_v4", 4)
    assert compute.accelerated(pool, index)


def test_a_data_disk_type_unknown_in_the_plan_is_missing(catalog: Catalog) -> None:
    disk = {"lun": 3, "create_option": "Empty", "managed_disk_type": UNKNOWN, "disk_size_gb": 8}
    (p,) = price(catalog, scale_set(capacity=1, storage_profile_data_disk=[disk]))
    assert not [c for c in p.cost_lines if c.name.startswith("Data disk")]
    assert p.missing == ("Data disk lun 3 not priced: managed_disk_type unknown until apply",)


def test_a_negative_data_disk_size_is_malformed_not_the_smallest_tier(catalog: Catalog) -> None:
    # disk_size_gb = -4 was priced as an S4 (the first tier holding "-4 GiB"): 1.536 a month
    disk = {"lun": 0, "create_option": "Empty", "managed_disk_type": "Standard_LRS"}
    with pytest.raises(InputError, match="disk_size_gb should be zero or more, not -4"):
        price(
            catalog, scale_set(capacity=1, storage_profile_data_disk=[{**disk, "disk_size_gb": -4}])
        )
