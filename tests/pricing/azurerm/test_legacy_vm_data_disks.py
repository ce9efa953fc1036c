"""The legacy `azurerm_virtual_machine`'s `storage_data_disk` blocks, priced through the
same helper as the legacy scale set's data disks (`facts.azurerm.data_disks`): a managed
disk at its tier, an unmanaged VHD or a disk Azure sizes as a note (never $0), and an
attached `azurerm_managed_disk` priced once, by the disk resource. West Europe rates from
the shipped catalog (Retail Prices API of 2026-08-22), pinned below; 730 h a month."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from costgate.errors import InputError
from costgate.facts import azurerm
from costgate.inputs import InputOptions, read_input
from costgate.model import UNKNOWN, PricedResource, Resource
from costgate.pricing.catalog import Catalog
from tests.pricing.helpers import D, azure, lines, list_price, price

REGION = "westeurope"
UBUNTU = {"publisher": "Canonical", "offer": "UbuntuServer", "sku": "16.04-LTS"}
OS_DISK = {"name": "os", "create_option": "FromImage", "managed_disk_type": "Standard_LRS"}


def vm(address: str = "azurerm_virtual_machine.app", **attributes: Any) -> Resource:
    """A legacy Linux Standard_F2 VM in West Europe with a 30 GiB Standard HDD OS disk."""
    base: dict[str, Any] = {
        "vm_size": "Standard_F2",
        "storage_image_reference": [UBUNTU],
        "storage_os_disk": [OS_DISK],
        "os_profile_linux_config": [{}],
    }
    return azure("azurerm_virtual_machine", {**base, **attributes}, region=REGION, address=address)


def by_address(priced: list[PricedResource]) -> dict[str, PricedResource]:
    return {p.resource.address: p for p in priced}


@pytest.fixture
def rates(catalog: Catalog) -> dict[str, D]:
    found = {
        "F2": list_price(catalog, "azurerm", "vm", "Standard_F2", "on_demand", REGION),
        "S4": list_price(catalog, "azurerm", "disk", "Standard_LRS:S4", "storage", REGION),
        "E10": list_price(catalog, "azurerm", "disk", "StandardSSD_LRS:E10", "storage", REGION),
        "P10": list_price(catalog, "azurerm", "disk", "Premium_LRS:P10", "storage", REGION),
    }
    assert found == {"F2": D("0.114"), "S4": D("1.536"), "E10": D("9.6"), "P10": D("21.68")}
    return found


def test_managed_data_disks_are_priced_at_their_tier(catalog: Catalog, rates: dict[str, D]) -> None:
    disks = [
        {
            "name": "logs",
            "lun": 0,
            "create_option": "Empty",
            "disk_size_gb": 100,
            "managed_disk_type": "StandardSSD_LRS",
        },
        {
            "name": "db",
            "lun": 1,
            "create_option": "Empty",
            "disk_size_gb": 128,
            "managed_disk_type": "Premium_LRS",
        },
    ]
    (p,) = price(catalog, vm(storage_data_disk=disks))
    got = lines(p)
    # 100 GiB fits E10 (128 GiB), 128 GiB is exactly P10
    assert got["Data disk lun 0 (E10, StandardSSD_LRS, 100 GiB)"] == (D(1), rates["E10"])
    assert got["Data disk lun 1 (P10, Premium_LRS, 128 GiB)"] == (D(1), rates["P10"])
    # 730 x 0.114 = 83.22; OS disk S4 (Ubuntu's 30 GiB) 1.536; data disks 9.60 + 21.68
    assert p.monthly_cost == D("83.22") + D("1.536") + D("9.6") + D("21.68")  # 116.036


@pytest.mark.parametrize(
    ("disk", "note"),
    [
        (
            {
                "name": "d",
                "lun": 2,
                "create_option": "FromImage",
                "managed_disk_type": "Premium_LRS",
            },
            "Data disk lun 2 not priced: disk_size_gb not set (Azure decides it)",
        ),
        (
            {
                "name": "d",
                "lun": 2,
                "create_option": "Empty",
                "disk_size_gb": UNKNOWN,
                "managed_disk_type": "Premium_LRS",
            },
            "Data disk lun 2 not priced: disk_size_gb unknown until apply",
        ),
        (
            {
                "name": "d",
                "lun": 2,
                "create_option": "Empty",
                "disk_size_gb": 64,
                "vhd_uri": "https://acct.blob.core.windows.net/vhds/d.vhd",
            },
            "Data disk lun 2: unmanaged (a VHD in a storage account, billed as that account's "
            "page blobs); not priced",
        ),
        (
            # the usual vhd_uri, built from its storage account's endpoint: unknown in a plan,
            # still unmanaged (it was "managed_disk_type not set (Azure decides it)", missing)
            {"name": "d", "lun": 2, "create_option": "Empty", "vhd_uri": UNKNOWN},
            "Data disk lun 2: unmanaged (a VHD in a storage account, billed as that account's "
            "page blobs); not priced",
        ),
        (
            # a plan shows the Optional + Computed managed_disk_type of a VHD disk unknown
            # (it was "managed_disk_type unknown until apply", missing)
            {
                "name": "d",
                "lun": 2,
                "create_option": "Empty",
                "vhd_uri": "https://acct.blob.core.windows.net/vhds/d.vhd",
                "managed_disk_type": UNKNOWN,
            },
            "Data disk lun 2: unmanaged (a VHD in a storage account, billed as that account's "
            "page blobs); not priced",
        ),
        (
            {
                "name": "d",
                "lun": 2,
                "create_option": "Attach",
                "managed_disk_id": "/subscriptions/s/resourceGroups/rg/providers/"
                "Microsoft.Compute/disks/shared",
            },
            "Data disk lun 2: attached existing disk /subscriptions/s/resourceGroups/rg/"
            "providers/Microsoft.Compute/disks/shared (create_option Attach), billed as that "
            "disk outside this stack; not priced here",
        ),
    ],
    ids=[
        "size-from-image",
        "size-unknown",
        "unmanaged-vhd",
        "unmanaged-vhd-unknown",
        "unmanaged-vhd-plan",
        "attach-outside-stack",
    ],
)
def test_a_data_disk_not_priced_on_the_vm_says_why(
    catalog: Catalog, rates: dict[str, D], disk: dict[str, Any], note: str
) -> None:
    (p,) = price(catalog, vm(storage_data_disk=[disk]))
    assert not [c for c in p.cost_lines if c.name.startswith("Data disk")]
    # a disk Azure sizes costs something unpriced: a missing component (partially priced);
    # one billed elsewhere (a VHD's storage account, an attached disk) is a note
    if " not priced: " in note:
        assert p.missing == (note,) and p.partial
    else:
        assert note in p.notes and not p.missing
    assert p.monthly_cost == D("83.22") + rates["S4"]  # instance and OS disk only


def test_an_attached_stack_disk_known_by_id_is_priced_once(
    catalog: Catalog, rates: dict[str, D]
) -> None:
    disk_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/data"
    managed = azure(
        "azurerm_managed_disk",
        {
            "id": disk_id,
            "storage_account_type": "Premium_LRS",
            "disk_size_gb": 128,
            "create_option": "Empty",
        },
        region=REGION,
        address="azurerm_managed_disk.data",
    )
    attach = {
        "name": "data",
        "lun": 0,
        "create_option": "Attach",
        "managed_disk_id": disk_id,
        "managed_disk_type": "Premium_LRS",
        "disk_size_gb": 128,
    }
    got = by_address(price(catalog, managed, vm(storage_data_disk=[attach])))
    assert got["azurerm_managed_disk.data"].monthly_cost == rates["P10"]  # 21.68, once
    app = got["azurerm_virtual_machine.app"]
    assert "Data disk lun 0: priced as azurerm_managed_disk.data" in app.notes
    assert app.monthly_cost == D("83.22") + rates["S4"]  # no second P10


HCL = """
provider "azurerm" {
  features {}
}

resource "azurerm_managed_disk" "data" {
  name                 = "data"
  location             = "westeurope"
  resource_group_name  = "rg"
  storage_account_type = "Premium_LRS"
  create_option        = "Empty"
  disk_size_gb         = 128
}

resource "azurerm_virtual_machine" "app" {
  name                  = "app"
  location              = "westeurope"
  resource_group_name   = "rg"
  network_interface_ids = ["nic"]
  vm_size               = "Standard_F2"

  storage_image_reference {
    publisher = "Canonical"
    offer     = "UbuntuServer"
    sku       = "16.04-LTS"
    version   = "latest"
  }
  storage_os_disk {
    name              = "os"
    create_option     = "FromImage"
    managed_disk_type = "Standard_LRS"
  }
  storage_data_disk {
    name              = azurerm_managed_disk.data.name
    managed_disk_id   = azurerm_managed_disk.data.id
    create_option     = "Attach"
    lun               = 0
    disk_size_gb      = azurerm_managed_disk.data.disk_size_gb
  }
  storage_data_disk {
    name              = "scratch"
    create_option     = "Empty"
    managed_disk_type = "StandardSSD_LRS"
    disk_size_gb      = 100
    lun               = 1
  }
  os_profile {
    computer_name  = "app"
    admin_username = "azureuser"
  }
  os_profile_linux_config {
    disable_password_authentication = true
  }
}
"""


def test_hcl_attach_by_reference_is_priced_by_the_disk_resource(
    tmp_path: Path, catalog: Catalog, rates: dict[str, D]
) -> None:
    (tmp_path / "main.tf").write_text(textwrap.dedent(HCL))
    stack = read_input(tmp_path, options=InputOptions())
    got = by_address(price(catalog, *stack.resources))
    assert got["azurerm_managed_disk.data"].monthly_cost == rates["P10"]
    app = got["azurerm_virtual_machine.app"]
    assert (
        "Data disk lun 0: priced as azurerm_managed_disk.data (create_option Attach: assumed "
        "to be the azurerm_managed_disk its managed_disk_id refers to, priced there)"
    ) in app.notes
    assert lines(app)["Data disk lun 1 (E10, StandardSSD_LRS, 100 GiB)"] == (D(1), rates["E10"])
    # 83.22 + OS disk 1.536 + scratch E10 9.60; the attached P10 is not counted again
    assert app.monthly_cost == D("94.356")


def test_hcl_two_attached_disks_are_not_matched_by_reference(
    tmp_path: Path, catalog: Catalog, rates: dict[str, D]
) -> None:
    # the inputs keep one reference list per attribute path, so two Attach blocks cannot be
    # told apart: neither is named, neither is priced on the VM, both disks are priced once
    second = HCL.replace('"data"', '"logs"').split('resource "azurerm_virtual_machine"')[0]
    two = HCL.replace(
        """    name              = "scratch"
    create_option     = "Empty"
    managed_disk_type = "StandardSSD_LRS"
    disk_size_gb      = 100
""",
        """    name              = azurerm_managed_disk.logs.name
    managed_disk_id   = azurerm_managed_disk.logs.id
    create_option     = "Attach"
""",
    )
    (tmp_path / "main.tf").write_text(textwrap.dedent(second + two))
    stack = read_input(tmp_path, options=InputOptions())
    got = by_address(price(catalog, *stack.resources))
    assert got["azurerm_managed_disk.data"].monthly_cost == rates["P10"]
    assert got["azurerm_managed_disk.logs"].monthly_cost == rates["P10"]
    app = got["azurerm_virtual_machine.app"]
    for lun in (0, 1):
        assert (
            f"Data disk lun {lun}: attached disk (create_option Attach, managed_disk_id unknown "
            "until apply): assumed billed as its own disk resource, in this stack or outside "
            "it; not priced here"
        ) in app.notes
    assert app.monthly_cost == D("83.22") + rates["S4"]  # 84.756


@pytest.mark.parametrize(
    ("type_", "block", "extra"),
    [
        ("azurerm_linux_virtual_machine_scale_set", "data_disk", {"sku": "Standard_F2"}),
        (
            "azurerm_virtual_machine_scale_set",
            "storage_profile_data_disk",
            {"sku": [{"name": "Standard_F2", "capacity": 2}]},
        ),
    ],
)
def test_scale_set_attach_data_disk_is_malformed(
    catalog: Catalog, type_: str, block: str, extra: dict[str, Any]
) -> None:
    # only the legacy VM attaches an existing disk; a scale set's provider accepts Empty or
    # FromImage. Attach was an internal error on the current scale sets (KeyError in the
    # Attach lookup, exit 3) and a disk "billed outside the stack" on the legacy one
    disk = {"lun": 0, "create_option": "Attach", "disk_size_gb": 64}
    scale_set = azure(type_, {"instances": 2, **extra, block: [disk]}, region=REGION)
    with pytest.raises(InputError, match=f"{block} create_option should be Empty or FromImage"):
        price(catalog, scale_set)


def test_os_disk_with_a_vhd_uri_unknown_until_apply_is_unmanaged(catalog: Catalog) -> None:
    # vhd_uri = "${azurerm_storage_account.x.primary_blob_endpoint}vhds/os.vhd" is unknown in a
    # plan: the OS disk is still an unmanaged VHD (it was a managed disk of no type, unpriced)
    unmanaged = {"name": "os", "create_option": "FromImage", "vhd_uri": UNKNOWN}
    # and so is one whose managed_disk_type a plan shows unknown (Optional + Computed)
    planned = {**unmanaged, "vhd_uri": "https://a.blob.core.windows.net/v/os.vhd"}
    for disk in (unmanaged, {**planned, "managed_disk_type": UNKNOWN}):
        (p,) = price(catalog, vm(storage_os_disk=[disk]))
        assert azurerm.UNMANAGED in p.notes
        assert [c.name for c in p.cost_lines] == ["Instance usage (Standard_F2, on-demand)"]
