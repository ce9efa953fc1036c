"""Storage-account meters read from Retail Prices API items (live pages and dumps alike):
product family, kind and unit per meter, volume tiers kept, tiered meters of trimmed dumps
skipped, free meters dropped."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from costgate.errors import CatalogError
from costgate.pricing.build import READERS, Dump, Known
from costgate.pricing.refresh import Request, azure

D = Decimal


def item(product: str, sku: str, meter: str, unit: str, price: float, **extra: object) -> dict:
    return {
        "type": "Consumption",
        "serviceName": "Storage",
        "armRegionName": "westus",
        "productName": product,
        "skuName": sku,
        "meterName": meter,
        "unitOfMeasure": unit,
        "retailPrice": price,
        **extra,
    }


def test_meters_map_to_product_family_kind_and_unit() -> None:
    found = azure.parse_items(
        [
            item(
                "Premium Block Blob", "Premium ZRS", "Premium ZRS Write Operations", "10K", 0.0303
            ),
            item("Blob Storage", "Cool GRS", "Cool GRS Data Write", "1 GB", 0.005),
            item("General Block Blob", "Standard LRS", "Delete Operations", "10K", 0.00036),
            item(
                "General Block Blob v2 Hierarchical Namespace",
                "Hot LRS",
                "Hot LRS Iterative Write Operations",
                "100",
                0.072,
            ),
            item("Premium Files", "Premium LRS", "Premium LRS Snapshots", "1 GB/Month", 0.163),
            item("General Block Blob v2", "Cool LRS", "Cool LRS Index Tags", "10K/Month", 0.039),
            item(
                "Storage - Bandwidth",
                "Geo-Replication v2",
                "Geo-Replication v2 Data Transfer",
                "1 GB",
                0.02,
            ),
            item(
                "Storage - Bandwidth", "Geo-Replication", "Geo-Replication Data Transfer", "1 GB", 0
            ),
        ]
    )
    got = {(f.service, f.product, f.kind, f.unit, f.price) for f in found}
    assert got == {
        ("blob", "Premium_ZRS", "write_ops", "10k operations", D("0.0303")),
        ("blob", "BlobStorage_Cool_GRS", "data_write", "GB", D("0.005")),
        ("blob", "V1_Standard_LRS", "delete_ops", "10k operations", D("0.00036")),
        ("blob", "HNS_Hot_LRS", "iterative_write_ops", "100 operations", D("0.072")),
        ("files", "Premium_LRS", "snapshots", "GB-month", D("0.163")),
        ("blob", "Cool_LRS", "index_tags", "10k tags-month", D("0.039")),
        ("blob", "geo-replication", "transfer", "GB", D("0.02")),
    }


def test_volume_tiers_are_kept_and_trimmed_tiered_meters_skipped() -> None:
    stored = ("General Block Blob v2", "Hot LRS", "Hot LRS Data Stored", "1 GB/Month")
    found = azure.parse_items(
        [
            item(*stored, 0.0208, tierMinimumUnits=0.0),
            item(*stored, 0.019968, tierMinimumUnits=51200.0),
            item(*stored, 0.018032),  # a dump that dropped tierMinimumUnits: which tier?
            item("General Block Blob v2", "Cool LRS", "Cool LRS Data Stored", "1 GB/Month", 0.0115),
            item("General Block Blob v2", "Cold LRS", "Cold LRS Data Write", "1 GB", 0.0),
            item(
                "General Block Blob v2",
                "Archive LRS",
                "Archive Priority Data Retrieval",
                "1 GB",
                0.1,
            ),
        ]
    )
    assert [(f.product, f.tier_start, f.price) for f in found] == [
        ("Hot_LRS", D(0), D("0.0208")),
        ("Hot_LRS", D(51200), D("0.019968")),
        ("Cool_LRS", D(0), D("0.0115")),  # Cool is not volume-tiered: no tier needed
    ]


def test_refresh_asks_for_a_regions_storage_meters(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    page = {
        "Items": [
            item(
                "Premium Block Blob", "Premium LRS", "Premium LRS Data Stored", "1 GB/Month", 0.195
            )
        ]
    }

    def pages(url: str) -> Iterator[dict]:
        asked.append(urllib.parse.unquote_plus(url))
        yield page

    monkeypatch.setattr(azure, "_pages", pages)
    (found,) = azure.fetch(Request(("westus",), (azure.STORAGE_ACCOUNTS,)))
    assert "armRegionName eq 'westus' and serviceName eq 'Storage'" in asked[0]
    assert (found.service, found.product, found.kind, found.price) == (
        "blob",
        "Premium_LRS",
        "storage",
        D("0.195"),
    )


CSV_HEADER = (
    "currencyCode,tierMinimumUnits,retailPrice,unitPrice,armRegionName,location,meterId,"
    "meterName,productName,skuName,serviceName,unitOfMeasure,type,armSkuName\n"
)


def csv_dump(options: dict[str, Any]) -> Dump:
    """A manifest entry for a Retail API CSV export (the fixture files stand in for it)."""
    return Dump(
        id="csv-westus",
        provider="azurerm",
        reader="azure-retail-csv",
        repository="jokamotonpi/azure-price-mirror",
        commit="2129dd59f2ca435dc0d35ccbad80b31e06e728f9",
        path="prices/AzurePriceList_westus.csv",
        data_date="2026-09-01",
        description="fixture",
        options=options,
    )


def test_a_csv_dump_builds_tiered_storage_prices(tmp_path: Path) -> None:
    """A Retail API CSV export (own fixture, the columns of jokamotonpi/azure-price-mirror):
    Hot capacity keeps its three volume tiers; a reservation row and a free meter are not
    entries."""
    rows = [
        "USD,0.0,0.03,0.03,westus,US West,m1,Hot LRS Data Stored,General Block Blob v2,Hot LRS,"
        "Storage,1 GB/Month,Consumption,",
        "USD,51200.0,0.02,0.02,westus,US West,m1,Hot LRS Data Stored,General Block Blob v2,"
        "Hot LRS,Storage,1 GB/Month,Consumption,",
        "USD,512000.0,0.01,0.01,westus,US West,m1,Hot LRS Data Stored,General Block Blob v2,"
        "Hot LRS,Storage,1 GB/Month,Consumption,",
        "USD,0.0,0.0,0.0,westus,US West,m2,Cold LRS Data Write,General Block Blob v2,Cold LRS,"
        "Storage,1 GB,Consumption,",
        "USD,0.0,100.0,100.0,westus,US West,m3,Hot LRS Data Stored,General Block Blob v2,"
        "Hot LRS,Storage,1 GB/Month,Reservation,",
    ]
    dump = tmp_path / "csv-westus.csv"
    dump.write_text(CSV_HEADER + "\n".join(rows) + "\n")
    spec = csv_dump({"services": ["blob"]})
    read = READERS["azure-retail-csv"](dump, spec, Known(frozenset()))
    assert [(p.product, p.tier_start, p.price) for p in read.prices] == [
        ("Hot_LRS", D(0), D("0.03")),
        ("Hot_LRS", D(51200), D("0.02")),
        ("Hot_LRS", D(512000), D("0.01")),
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(CatalogError, match="not a CSV of Retail Prices API items"):
        READERS["azure-retail-csv"](bad, spec, Known(frozenset()))


def test_read_services_builds_the_same_entries_from_a_whole_export_and_its_subset(
    tmp_path: Path,
) -> None:
    """`options.read_services`: a known VM size in the whole regional export is not read, so
    the service subset kept as the dump and the whole file build the same entries."""
    storage = (
        "USD,0.0,0.0115,0.0115,westus,US West,m4,Cool LRS Data Stored,General Block Blob v2,"
        "Cool LRS,Storage,1 GB/Month,Consumption,"
    )
    vm = (
        "USD,0.0,0.192,0.192,westus,US West,m5,D2s v3,Virtual Machines DSv3 Series Windows,"
        "D2s v3,Virtual Machines,1 Hour,Consumption,Standard_D2s_v3"
    )
    whole, subset = tmp_path / "whole.csv", tmp_path / "subset.csv"
    whole.write_text(CSV_HEADER + f"{storage}\n{vm}\n")
    subset.write_text(CSV_HEADER + f"{storage}\n")
    known = Known(frozenset({("vm", "Standard_D2s_v3")}))

    def read(path: Path, options: dict[str, Any]) -> list[tuple[str, str, str]]:
        found = READERS["azure-retail-csv"](path, csv_dump(options), known).prices
        return [(p.service, p.product, p.kind) for p in found]

    # without the option the whole file also prices the known VM size (Windows rate)
    assert read(whole, {"services": ["blob"]}) == [
        ("blob", "Cool_LRS", "storage"),
        ("vm", "Standard_D2s_v3", "on_demand_windows"),
    ]
    only = {"services": ["blob"], "read_services": ["blob", "files", "disk"]}
    assert read(whole, only) == read(subset, only) == [("blob", "Cool_LRS", "storage")]
    # a string is no list of services: read letter by letter, "vm" in "blob,vm" would match
    with pytest.raises(CatalogError, match="read_services must be a list"):
        read(whole, {"services": ["blob"], "read_services": "blob,vm"})


def test_the_free_baseline_tier_of_premium_ssd_v2_is_no_price() -> None:
    """A whole export lists Premium SSD v2 IOPS and throughput from tier 0 at price 0 (the
    included 3,000 IOPS and 125 MB/s): only the paid tier becomes the catalog rate."""
    base = {
        "armRegionName": "westus",
        "productName": "Azure Premium SSD v2",
        "skuName": "Premium LRS",
        "serviceName": "Storage",
        "unitOfMeasure": "1/Hour",
        "type": "Consumption",
    }
    rows = [
        {**base, "meterName": "Premium LRS Provisioned IOPS", "retailPrice": 0.0},
        {
            **base,
            "meterName": "Premium LRS Provisioned IOPS",
            "retailPrice": 8e-06,
            "tierMinimumUnits": 3000.0,
        },
    ]
    (found,) = azure.parse_items(rows)
    assert (found.product, found.kind, found.price) == ("PremiumV2_LRS", "iops", D("0.000008"))


@pytest.mark.parametrize(
    ("row", "error"),
    [
        # a price that is not a number: the line, not an internal error
        (
            "USD,0.0,abc,0.03,westus,US West,m1,Hot LRS Data Stored,General Block Blob v2,"
            "Hot LRS,Storage,1 GB/Month,Consumption,",
            r"bad\.csv:3: retailPrice 'abc' is not a number",
        ),
        (
            "USD,zz,0.03,0.03,westus,US West,m1,Hot LRS Data Stored,General Block Blob v2,"
            "Hot LRS,Storage,1 GB/Month,Consumption,",
            r"bad\.csv:3: tierMinimumUnits 'zz' is not a number",
        ),
        # a cut row: its missing fields would be dropped and the row read as another meter
        ("USD,0.0,0.03,0.03,westus", r"bad\.csv:3: expected 14 comma-separated fields"),
        (
            "USD,0.0,0.03,0.03,westus,US West,m1,Hot LRS Data Stored,General Block Blob v2,"
            "Hot LRS,Storage,1 GB/Month,Consumption,,extra",
            r"bad\.csv:3: expected 14 comma-separated fields",
        ),
    ],
)
def test_a_malformed_csv_row_is_an_error_naming_its_line(
    tmp_path: Path, row: str, error: str
) -> None:
    good = (
        "USD,0.0,0.02,0.02,westus,US West,m0,Cool LRS Data Stored,General Block Blob v2,"
        "Cool LRS,Storage,1 GB/Month,Consumption,"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV_HEADER + f"{good}\n{row}\n")
    with pytest.raises(CatalogError, match=error):
        READERS["azure-retail-csv"](bad, csv_dump({"services": ["blob"]}), Known(frozenset()))
