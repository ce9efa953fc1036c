"""Zone-redundant storage where Azure does not offer it (westus has no availability zones):
the account or disk is unpriced with one reason citing Microsoft's region list, never $0
and never one "no price" line per meter. Listed regions, and regions the lists do not
know, are priced as before. Figures: the catalog's Retail API meters, by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from costgate.model import Resource, Severity
from costgate.pricing.catalog import Catalog
from tests.conftest import usage
from tests.policy.helpers import run_rule
from tests.pricing.helpers import azure, lines, list_price, price

D = Decimal
ADDRESS = "azurerm_storage_account.a"
WESTUS_ZRS = (
    "ZRS is not offered in westus: Microsoft's list of regions that support zone-redundant "
    "storage (ZRS) for standard accounts (as of 2024-03-07) does not include it"
)


def account(region: str, **attributes: object) -> Resource:
    return azure("azurerm_storage_account", dict(attributes), region=region, address=ADDRESS)


STORED = usage({ADDRESS: {"storage_gb": 1000, "monthly_write_operations": 1_000_000}})


def test_zrs_account_in_west_us_is_unpriced_with_one_reason(catalog: Catalog) -> None:
    (a,) = price(catalog, account("westus", account_replication_type="ZRS"), use=STORED)
    assert a.unpriced_reason == WESTUS_ZRS
    # unpriced, not a $0 priced resource; no per-meter "no price" lines
    assert not a.priced and not a.cost_lines and not a.missing


@pytest.mark.parametrize(
    ("attributes", "reason"),
    [
        ({"account_replication_type": "GZRS"}, "GZRS is not offered in westus"),
        ({"account_replication_type": "RAGZRS"}, "RA-GZRS is not offered in westus"),
        (
            {
                "account_kind": "BlockBlobStorage",
                "account_tier": "Premium",
                "account_replication_type": "ZRS",
            },
            "premium block blob accounts (as of 2023-03-24)",
        ),
        (
            {
                "account_kind": "FileStorage",
                "account_tier": "Premium",
                "account_replication_type": "ZRS",
            },
            "premium file shares (as of 2025-01-07)",
        ),
    ],
)
def test_each_kind_cites_its_list(
    catalog: Catalog, attributes: dict[str, object], reason: str
) -> None:
    (a,) = price(catalog, account("West US", **attributes), use=STORED)
    assert reason in str(a.unpriced_reason)
    assert not a.cost_lines


def test_grs_account_in_west_us_is_still_priced(catalog: Catalog) -> None:
    # westus Hot GRS: 0.0458 per GB-month for the first 50 TB
    assert list_price(catalog, "azurerm", "blob", "Hot_GRS", "storage", "westus") == D("0.0458")
    (a,) = price(catalog, account("westus", account_replication_type="GRS"), use=STORED)
    assert a.unpriced_reason is None
    assert lines(a)["Storage (Hot_GRS, 365/365 d)"] == (D(1000), D("0.0458"))


def test_zrs_in_west_europe_is_priced_as_before(catalog: Catalog) -> None:
    # westeurope premium block blob ZRS: 0.259 per GB-month, 0.0303 per 10k writes
    (a,) = price(
        catalog,
        account(
            "westeurope",
            account_kind="BlockBlobStorage",
            account_tier="Premium",
            account_replication_type="ZRS",
        ),
        use=STORED,
    )
    got = lines(a)
    assert got["Storage (Premium_ZRS, 365/365 d)"] == (D(1000), D("0.259"))
    assert got["Write operations"] == (D(100), D("0.0303"))
    assert a.monthly_cost == D("259") + D("3.03")
    # standard Cool ZRS: 0.0131 per GB-month
    (cool,) = price(
        catalog,
        account("westeurope", account_replication_type="ZRS", access_tier="Cool"),
        use=STORED,
    )
    assert lines(cool)["Storage (Cool_ZRS, 365/365 d)"] == (D(1000), D("0.0131"))


def test_zrs_in_east_us_2_keeps_the_catalog_reason(catalog: Catalog) -> None:
    """East US 2 offers ZRS; the catalog has no eastus2 storage prices: the reason says so."""
    (a,) = price(catalog, account("eastus2", account_replication_type="ZRS"), use=STORED)
    assert "ZRS is not offered" not in str(a.unpriced_reason)
    assert "no blob price for Hot_ZRS in eastus2" in str(a.unpriced_reason)


def test_zrs_in_a_region_the_lists_do_not_know_keeps_todays_behaviour(catalog: Catalog) -> None:
    (a,) = price(catalog, account("marsnorth", account_replication_type="ZRS"), use=STORED)
    assert "no blob price for Hot_ZRS in marsnorth" in str(a.unpriced_reason)


@pytest.mark.parametrize("account_type", ["Premium_ZRS", "StandardSSD_ZRS"])
def test_zrs_managed_disk_in_a_region_without_zones(catalog: Catalog, account_type: str) -> None:
    disk = azure(
        "azurerm_managed_disk",
        {"storage_account_type": account_type, "disk_size_gb": 128, "create_option": "Empty"},
        region="westus",
    )
    (d,) = price(catalog, disk)
    assert d.unpriced_reason == (
        f"{account_type}: ZRS disks are not offered in westus: Microsoft's list of regions "
        "with availability zones, where ZRS managed disks are available (as of 2025-09-23) "
        "does not include it"
    )
    # the LRS disk there is priced: P10 westus from the catalog, one month
    lrs = azure(
        "azurerm_managed_disk",
        {"storage_account_type": "Premium_LRS", "disk_size_gb": 128, "create_option": "Empty"},
        region="westus",
    )
    (p,) = price(catalog, lrs)
    p10 = list_price(catalog, "azurerm", "disk", "Premium_LRS:P10", "storage", "westus")
    assert p.monthly_cost == p10


def test_zrs_disk_in_a_zonal_region_keeps_the_catalog_reason(catalog: Catalog) -> None:
    disk = azure(
        "azurerm_managed_disk",
        {"storage_account_type": "Premium_ZRS", "disk_size_gb": 128, "create_option": "Empty"},
        region="eastus",
    )
    (d,) = price(catalog, disk)
    assert "not offered" not in str(d.unpriced_reason)
    assert "Premium_ZRS" in str(d.unpriced_reason)


def test_vm_with_a_zrs_os_disk_in_west_us_is_unpriced(catalog: Catalog) -> None:
    vm = azure(
        "azurerm_linux_virtual_machine",
        {
            "size": "Standard_D2s_v5",
            "os_disk": [{"storage_account_type": "StandardSSD_ZRS", "disk_size_gb": 64}],
        },
        region="westus",
    )
    (v,) = price(catalog, vm)
    assert str(v.unpriced_reason).startswith("StandardSSD_ZRS: ZRS disks are not offered in westus")
    assert not v.cost_lines


def test_unpriced_resources_policy_warns_as_before(catalog: Catalog) -> None:
    zrs = account("westus", account_replication_type="ZRS")
    (finding,) = run_rule("unpriced-resources", [zrs], catalog, severity=Severity.WARNING)
    assert finding.resource == ADDRESS and finding.severity is Severity.WARNING
    assert WESTUS_ZRS in finding.message
