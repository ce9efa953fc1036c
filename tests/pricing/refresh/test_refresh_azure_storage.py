"""`costgate pricing refresh azure --types storage-accounts` fills a region's storage: one
query `serviceName eq 'Storage'` returns managed-disk tiers (every SKU and redundancy),
Ultra Disk and Premium SSD v2 meters and blob / Files meters, which the Retail API all files
under serviceName Storage. The fake Retail Prices API on 127.0.0.1 answers for japaneast, a
region the shipped catalog has no storage prices in, with items in the documented shape
(https://learn.microsoft.com/en-us/rest/api/cost-management/retail-prices/azure-retail-prices).

Every price is TEST DATA chosen for easy hand arithmetic, not an Azure price; the expected
costs are worked out by hand in the comments (730 hours a month)."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from costgate.cli import main
from costgate.pricing.catalog import Catalog, load_catalog
from costgate.pricing.engine import price_resources
from costgate.pricing.validate import validate_files
from tests.conftest import make_resource, usage
from tests.helpers import loopback

D = Decimal
REGION = "japaneast"


def item(product: str, sku: str, meter: str, unit: str, price: str, **extra: Any) -> dict:
    return {
        "currencyCode": "USD",
        "type": "Consumption",
        "serviceName": "Storage",
        "serviceFamily": "Storage",
        "armRegionName": REGION,
        "location": "JA East",
        "productName": product,
        "skuName": sku,
        "meterName": meter,
        "meterId": f"test-{abs(hash((product, sku, meter))) % 10**8}",
        "unitOfMeasure": unit,
        "retailPrice": float(price),
        "unitPrice": float(price),
        "tierMinimumUnits": 0.0,
        **extra,
    }


PAGE_1 = [
    item("Premium SSD Managed Disks", "P10 LRS", "P10 LRS Disk", "1/Month", "19.71"),
    item("Premium SSD Managed Disks", "P10 ZRS", "P10 ZRS Disk", "1/Month", "29.57"),
    item("Standard SSD Managed Disks", "E10 LRS", "E10 LRS Disk", "1/Month", "9.6"),
    item("Standard HDD Managed Disks", "S10 LRS", "S10 LRS Disk", "1/Month", "5.89"),
    # a per-operation disk meter: not a tier price, not read
    item("Standard SSD Managed Disks", "E10 LRS", "E10 LRS Disk Operations", "10K", "0.002"),
    item("Ultra Disks", "Ultra LRS", "Ultra LRS Provisioned Capacity", "1 GiB/Hour", "0.0002"),
    item("Ultra Disks", "Ultra LRS", "Ultra LRS Provisioned IOPS", "1/Hour", "0.0001"),
    item("Ultra Disks", "Ultra LRS", "Ultra LRS Provisioned Throughput (MBps)", "1/Hour", "0.0005"),
]
PAGE_2 = [
    item(
        "Azure Premium SSD v2",
        "Premium LRS",
        "Premium LRS Provisioned Capacity",
        "1 GiB/Hour",
        "0.0001",
    ),
    item(
        "Azure Premium SSD v2", "Premium LRS", "Premium LRS Provisioned IOPS", "1/Hour", "0.00001"
    ),
    item(
        "Azure Premium SSD v2",
        "Premium LRS",
        "Premium LRS Provisioned Throughput (MBps)",
        "1/Hour",
        "0.00004",
    ),
    item("General Block Blob v2", "Hot LRS", "Hot LRS Data Stored", "1 GB/Month", "0.02"),
    item(
        "General Block Blob v2",
        "Hot LRS",
        "Hot LRS Data Stored",
        "1 GB/Month",
        "0.019",
        tierMinimumUnits=51200.0,
    ),
    item("General Block Blob v2", "Cool RA-GRS", "Cool RA-GRS Data Stored", "1 GB/Month", "0.025"),
    item("General Block Blob v2", "Cool RA-GRS", "Cool RA-GRS Read Operations", "10K", "0.013"),
    item(
        "General Block Blob v2", "Archive GZRS", "Archive GZRS Data Stored", "1 GB/Month", "0.004"
    ),
    item("Files v2", "Hot ZRS", "Hot ZRS Data Stored", "1 GB/Month", "0.03"),
]

EXPECTED = {  # (service, product, kind, tier start) -> price, from the two pages
    ("disk", "Premium_LRS:P10", "storage", None): "19.71",
    ("disk", "Premium_ZRS:P10", "storage", None): "29.57",
    ("disk", "StandardSSD_LRS:E10", "storage", None): "9.6",
    ("disk", "Standard_LRS:S10", "storage", None): "5.89",
    ("disk", "UltraSSD_LRS", "storage", None): "0.0002",
    ("disk", "UltraSSD_LRS", "iops", None): "0.0001",
    ("disk", "UltraSSD_LRS", "throughput", None): "0.0005",
    ("disk", "PremiumV2_LRS", "storage", None): "0.0001",
    ("disk", "PremiumV2_LRS", "iops", None): "0.00001",
    ("disk", "PremiumV2_LRS", "throughput", None): "0.00004",
    ("blob", "Hot_LRS", "storage", None): "0.02",
    ("blob", "Hot_LRS", "storage", "51200"): "0.019",
    ("blob", "Cool_RA-GRS", "storage", None): "0.025",
    ("blob", "Cool_RA-GRS", "read_ops", None): "0.013",
    ("blob", "Archive_GZRS", "storage", None): "0.004",
    ("files", "Hot_ZRS", "storage", None): "0.03",
}


def retail(request: loopback.Request) -> loopback.Response:
    wanted = f"armRegionName eq '{REGION}' and serviceName eq 'Storage'"
    if request.query.get("$filter") != [wanted]:
        return loopback.Response(200, {"Items": [], "NextPageLink": None, "Count": 0})
    if "page" in request.query:
        return loopback.Response(200, {"Items": PAGE_2, "NextPageLink": None, "Count": 9})
    query = urllib.parse.urlencode({"$filter": wanted, "page": "2"})
    link = f"{request.base_url}/api/retail/prices?{query}"
    return loopback.Response(200, {"Items": PAGE_1, "NextPageLink": link, "Count": 8})


@pytest.fixture()
def refreshed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    with loopback.LoopbackServer(retail) as server:
        monkeypatch.setenv("COSTGATE_AZURE_PRICES_URL", f"{server.url}/api/retail/prices")
        out = tmp_path / "azurerm.json"
        result = CliRunner().invoke(
            main,
            [
                "pricing",
                "refresh",
                "azure",
                "--regions",
                REGION,
                "--types",
                "storage-accounts",
                "-o",
                str(out),
            ],
        )
        assert result.exit_code == 0, result.output
        assert len(server.requests) == 2  # followed NextPageLink
        yield out


def test_storage_accounts_fill_disks_ultra_premium_v2_blob_and_files(refreshed: Path) -> None:
    assert validate_files([refreshed]) == []
    doc = json.loads(refreshed.read_text())
    got = {
        (p["service"], p["product"], p["kind"], p.get("tier_start")): p["price"]
        for p in doc["prices"]
    }
    assert got == EXPECTED
    units = {(p["product"], p["kind"]): p["unit"] for p in doc["prices"]}
    assert units[("UltraSSD_LRS", "iops")] == "IOPS-hour"
    assert units[("Premium_LRS:P10", "storage")] == "month"


def _lines(priced: object) -> list[tuple[str, str, Decimal, Decimal]]:
    return [
        (line.name, line.unit, line.quantity, line.unit_price)
        for line in priced.cost_lines  # type: ignore[attr-defined]
    ]


def test_refreshed_storage_prices_disks_and_an_account_in_a_new_region(
    refreshed: Path, catalog: Catalog
) -> None:
    p10 = make_resource(
        "azurerm_managed_disk",
        {"storage_account_type": "Premium_LRS", "disk_size_gb": 100, "create_option": "Empty"},
        address="azurerm_managed_disk.p10",
        region=REGION,
    )
    zrs = make_resource(
        "azurerm_managed_disk",
        {"storage_account_type": "Premium_ZRS", "disk_size_gb": 100, "create_option": "Empty"},
        address="azurerm_managed_disk.zrs",
        region=REGION,
    )
    v2 = make_resource(
        "azurerm_managed_disk",
        {
            "storage_account_type": "PremiumV2_LRS",
            "disk_size_gb": 512,
            "disk_iops_read_write": 5000,
            "disk_mbps_read_write": 200,
            "create_option": "Empty",
        },
        address="azurerm_managed_disk.v2",
        region=REGION,
    )
    account = make_resource(
        "azurerm_storage_account",
        {
            "account_tier": "Standard",
            "account_replication_type": "RAGRS",
            "access_tier": "Cool",
            "account_kind": "StorageV2",
        },
        address="azurerm_storage_account.cool",
        region=REGION,
    )
    figures = {"storage_gb": 1000, "monthly_read_operations": 100000}
    resources = (p10, zrs, v2, account)
    assert not any(p.priced for p in price_resources(resources, catalog, usage()))
    disk, zone, premium_v2, cool = price_resources(
        resources, load_catalog([refreshed]), usage({"azurerm_storage_account.cool": figures})
    )
    assert _lines(disk) == [("Storage (P10, Premium_LRS, 100 GiB)", "month", D(1), D("19.71"))]
    # a ZRS disk is tiered by its LRS type's sizes (100 GiB -> P10, 128 GiB)
    assert _lines(zone) == [("Storage (P10, Premium_ZRS, 100 GiB)", "month", D(1), D("29.57"))]
    assert _lines(premium_v2) == [
        ("Storage (PremiumV2_LRS, 512 GiB, per GiB-hour)", "GiB-hour", D(373760), D("0.0001")),
        (
            "Provisioned IOPS (5000 IOPS, 3000 included, per IOPS-hour)",
            "IOPS-hour",
            D(1460000),
            D("0.00001"),
        ),
        (
            "Provisioned Throughput (200 MB/s, 125 included, per MB/s-hour)",
            "MBps-hour",
            D(54750),
            D("0.00004"),
        ),
    ]
    # 512 x 730 x 0.0001 = 37.376; 2,000 x 730 x 0.00001 = 14.60; 75 x 730 x 0.00004 = 2.19
    assert premium_v2.monthly_cost == D("54.166")
    # 1,000 GB x 0.025 = 25; 100,000 reads / 10,000 x 0.013 = 0.13
    assert cool.monthly_cost == D("25.13")
    assert ("Read operations", "10k operations", D(10), D("0.013")) in _lines(cool)
