"""Defaults Azure applies to VMs and AKS pools when Terraform leaves them out (issue 15):
the OS disk size comes from the image (30 GiB Linux marketplace, 127 GiB Windows Server,
30 GiB `smalldisk`) and an AKS pool without `node_count` has 1 node. Each default is stated
on the line it affects; figures are worked out by hand at 730 h."""

from __future__ import annotations

from costgate.pricing.catalog import Catalog
from tests.pricing.helpers import D, azure, list_price, price

UBUNTU = {"publisher": "Canonical", "offer": "UbuntuServer", "sku": "16.04-LTS"}


def os_disk_line(priced: object) -> tuple[str, D]:
    (line,) = [c for c in priced.cost_lines if c.name.startswith("OS disk")]  # type: ignore[attr-defined]
    return line.name, line.monthly_cost


def test_linux_os_disk_without_a_size_is_the_images_30_gib(catalog: Catalog) -> None:
    assert list_price(catalog, "azurerm", "vm", "Standard_B1s", "on_demand", "eastus") == D(
        "0.0104"
    )
    assert list_price(catalog, "azurerm", "disk", "Premium_LRS:P4", "storage", "eastus") == D(
        "5.28"
    )
    vm = azure(
        "azurerm_linux_virtual_machine",
        {
            "size": "Standard_B1s",
            "os_disk": [{"storage_account_type": "Premium_LRS"}],
            "source_image_reference": [UBUNTU],
        },
    )
    (priced,) = price(catalog, vm)
    name, cost = os_disk_line(priced)
    assert "30 GiB assumed" in name and "P4" in name
    # 730 x 0.0104 = 7.592 + P4 (32 GiB tier) 5.28
    assert cost == D("5.28")
    assert priced.monthly_cost == D("7.592") + D("5.28")


def test_windows_os_disk_is_127_gib_unless_the_image_is_smalldisk(catalog: Catalog) -> None:
    assert list_price(catalog, "azurerm", "disk", "Standard_LRS:S10", "storage", "eastus") == D(
        "5.89"
    )
    image = {"publisher": "MicrosoftWindowsServer", "offer": "WindowsServer"}
    big, small = (
        azure(
            "azurerm_windows_virtual_machine",
            {
                "size": "Standard_DS2_v2",
                "os_disk": [{"storage_account_type": "Standard_LRS"}],
                "source_image_reference": [{**image, "sku": sku}],
            },
            address=f"azurerm_windows_virtual_machine.{name}",
        )
        for name, sku in (("big", "2019-Datacenter"), ("small", "2019-Datacenter-smalldisk"))
    )
    b, s = price(catalog, big, small)
    name, cost = os_disk_line(b)
    assert "127 GiB assumed" in name and "S10" in name and cost == D("5.89")  # 128 GiB tier
    name, cost = os_disk_line(s)
    assert "30 GiB assumed" in name and "S4" in name and cost == D("1.54")


def test_aks_pool_without_node_count_has_one_node(catalog: Catalog) -> None:
    assert list_price(catalog, "azurerm", "vm", "Standard_DS2_v2", "on_demand", "eastus") == D(
        "0.146"
    )
    pool = azure("azurerm_kubernetes_cluster_node_pool", {"vm_size": "Standard_DS2_v2"})
    (priced,) = price(catalog, pool)
    (node,) = [c for c in priced.cost_lines if c.name.startswith("Node usage")]
    assert "node_count not set: 1, the AKS agent pool default" in node.name
    # 730 h x 0.146 = 106.58, plus one P10 node OS disk (AKS default 128 GB) 19.71
    assert node.monthly_cost == D("106.58")
    assert priced.monthly_cost == D("106.58") + D("19.71")


def test_aks_pool_with_a_windows_os_sku_is_billed_at_the_windows_rate(catalog: Catalog) -> None:
    assert list_price(
        catalog, "azurerm", "vm", "Standard_DS2_v2", "on_demand_windows", "eastus"
    ) == D("0.238")
    pool = azure(
        "azurerm_kubernetes_cluster_node_pool",
        {"vm_size": "Standard_DS2_v2", "node_count": 2, "os_sku": "Windows2022"},
    )
    (priced,) = price(catalog, pool)
    (node,) = [c for c in priced.cost_lines if c.name.startswith("Node usage")]
    assert "windows" in node.name
    assert node.monthly_cost == 2 * 730 * D("0.238")  # 347.48


def test_a_retired_size_is_unpriced_with_its_retirement_date(catalog: Catalog) -> None:
    facts = catalog.products[("azurerm", "vm:Standard_NC6")]
    assert facts["retired"] == "2023-09-06"  # NC-series (K80) retirement
    assert catalog.price("azurerm", "vm", "Standard_NC6", "westeurope", "on_demand") is None
    vm = azure(
        "azurerm_linux_virtual_machine",
        {"size": "Standard_NC6", "os_disk": [{"storage_account_type": "Standard_LRS"}]},
        region="westeurope",
    )
    (priced,) = price(catalog, vm)
    assert any("retired by Azure on 2023-09-06" in m for m in priced.missing)
    # the OS disk is still priced: 30 GiB S4 in westeurope
    assert priced.monthly_cost == list_price(
        catalog, "azurerm", "disk", "Standard_LRS:S4", "storage", "westeurope"
    )


def test_hybrid_benefit_bills_a_windows_vm_at_the_linux_rate(catalog: Catalog) -> None:
    assert list_price(catalog, "azurerm", "vm", "Standard_D2s_v3", "on_demand", "eastus") == D(
        "0.096"
    )
    vm = azure(
        "azurerm_windows_virtual_machine",
        {
            "size": "Standard_D2s_v3",
            "license_type": "Windows_Server",
            "os_disk": [{"storage_account_type": "Premium_LRS", "disk_size_gb": 128}],
        },
    )
    (priced,) = price(catalog, vm)
    (usage,) = [c for c in priced.cost_lines if c.name.startswith("Instance usage")]
    assert "license_type Windows_Server: Hybrid Benefit" in usage.name
    assert usage.monthly_cost == D("70.08")  # 730 x 0.096


def test_constrained_vcpu_size_is_billed_as_its_original_size(catalog: Catalog) -> None:
    e8s = list_price(catalog, "azurerm", "vm", "Standard_E8s_v3", "on_demand", "eastus")
    vm = azure(
        "azurerm_linux_virtual_machine",
        {
            "size": "Standard_E8-4s_v3",
            "os_disk": [{"storage_account_type": "Premium_LRS", "disk_size_gb": 128}],
        },
    )
    (priced,) = price(catalog, vm)
    (usage,) = [c for c in priced.cost_lines if c.name.startswith("Instance usage")]
    assert "constrained vCPUs, billed as Standard_E8s_v3" in usage.name
    assert usage.monthly_cost == 730 * e8s


def test_legacy_windows_vm_os_disk_and_hybrid_benefit_scale_set(catalog: Catalog) -> None:
    legacy = azure(
        "azurerm_virtual_machine",
        {
            "vm_size": "Standard_DS2_v2",
            "storage_image_reference": [{"offer": "WindowsServer", "sku": "2019-Datacenter"}],
            "storage_os_disk": [{"managed_disk_type": "Standard_LRS"}],
        },
    )
    vmss = azure(
        "azurerm_windows_virtual_machine_scale_set",
        {
            "sku": "Standard_D2s_v3",
            "instances": 2,
            "license_type": "Windows_Server",
            "os_disk": [{"storage_account_type": "Standard_LRS", "disk_size_gb": 30}],
        },
        address="azurerm_windows_virtual_machine_scale_set.web",
    )
    lg, ss = price(catalog, legacy, vmss)
    name, cost = os_disk_line(lg)
    assert "127 GiB assumed" in name and cost == D("5.89")  # S10
    # Windows rate 730 x 0.238 = 173.74, plus the disk
    assert lg.monthly_cost == D("173.74") + D("5.89")
    # 2 x 730 x 0.096 (Linux rate with Hybrid Benefit) = 140.16, plus 2 x S4 1.54
    assert ss.monthly_cost == D("140.16") + D("3.08")


def test_legacy_vm_is_windows_by_its_os_disks_os_type(catalog: Catalog) -> None:
    # no image reference, no OS profile: `storage_os_disk.os_type` alone says Windows (an OS
    # disk attached or created with that type); before, it was priced at the Linux rate
    windows = list_price(
        catalog, "azurerm", "vm", "Standard_D2s_v3", "on_demand_windows", "westeurope"
    )
    linux = list_price(catalog, "azurerm", "vm", "Standard_D2s_v3", "on_demand", "westeurope")
    assert (windows, linux) == (D("0.212"), D("0.12"))
    disk = {"create_option": "FromImage", "managed_disk_type": "Standard_LRS"}
    vms = [
        azure(
            "azurerm_virtual_machine",
            {"vm_size": "Standard_D2s_v3", "storage_os_disk": [{**disk, "os_type": os_type}]},
            region="westeurope",
            address=f"azurerm_virtual_machine.{os_type.lower()}",
        )
        for os_type in ("Windows", "Linux")
    ]
    win, lin = price(catalog, *vms)
    (hours,) = [c for c in win.cost_lines if c.name.startswith("Instance usage")]
    assert "windows" in hours.name
    # 730 x $0.212 = $154.76 (Windows); 730 x $0.12 = $87.60 (Linux)
    assert hours.monthly_cost == D("154.76")
    assert [c.monthly_cost for c in lin.cost_lines if c.name.startswith("Instance")] == [D("87.6")]
    assert "127 GiB assumed" in os_disk_line(win)[0] and "30 GiB" in os_disk_line(lin)[0]
