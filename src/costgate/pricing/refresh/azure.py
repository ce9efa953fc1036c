"""Azure through the public Retail Prices API (no credentials; paginated by NextPageLink)."""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from costgate.errors import CatalogError
from costgate.pricing.refresh import Fetched, Request
from costgate.pricing.refresh.http import get_json

if TYPE_CHECKING:
    from costgate.pricing.catalog import Catalog

DEFAULT_URL = "https://prices.azure.com/api/retail/prices"
SOURCE_ID = "azure-retail-prices-api"
DESCRIPTION = (
    "Azure Retail Prices API (unauthenticated), priceType Consumption: Linux and "
    "Windows pay-as-you-go, Spot and Low Priority VM meters, managed disk tiers, Ultra Disk and "
    "Premium SSD v2 capacity, IOPS and throughput, storage account capacity and operation "
    "meters (blob and Files)."
)
MAX_PAGES = 200


def endpoint() -> str:
    """The API base URL (`COSTGATE_AZURE_PRICES_URL` overrides it, e.g. for a proxy)."""
    return os.environ.get("COSTGATE_AZURE_PRICES_URL", DEFAULT_URL)


def _pages(url: str) -> Iterator[Mapping[str, Any]]:
    for _ in range(MAX_PAGES):
        page = get_json(url, "the Azure Retail Prices API")
        if not isinstance(page, Mapping) or "Items" not in page:
            raise CatalogError(
                "the Azure Retail Prices API returned an unexpected document "
                "(no Items); nothing written"
            )
        yield page
        url = page.get("NextPageLink") or ""
        if not url:
            return
    raise CatalogError(f"the Azure Retail Prices API returned more than {MAX_PAGES} pages")


def classify(item: Mapping[str, Any]) -> Fetched | None:
    """A catalog price for one Retail API item, or None for items costgate does not use."""
    if item.get("type") != "Consumption" or item.get("currencyCode", "USD") != "USD":
        return None
    region = str(item.get("armRegionName") or "")
    price = Decimal(str(item.get("retailPrice")))
    product_name, sku = str(item.get("productName", "")), str(item.get("skuName", ""))
    if item.get("serviceName") == "Virtual Machines" and item.get("unitOfMeasure") == "1 Hour":
        kind = "low_priority" if "Low Priority" in sku else "spot" if "Spot" in sku else "on_demand"
        if product_name.endswith(("Windows", " Win")):  # "NCCadsv5 Srs Win"
            kind += "_windows"
        return Fetched(
            "vm",
            str(item["armSkuName"]),
            region,
            kind,
            "hour",
            price,
            note=f"meter {item.get('meterName')} ({item.get('meterId')})",
        )
    provisioned = _provisioned_disk(item, product_name, sku)
    if provisioned is not None:
        if price <= 0:
            return None  # the 0 tier is Premium SSD v2's included baseline (catalog free_iops)
        disk_type, kind, unit = provisioned
        return Fetched(
            "disk",
            disk_type,
            region,
            kind,
            unit,
            price,
            note=f"meter {item.get('meterName')} ({item.get('meterId')})",
        )
    if (
        product_name.endswith("Managed Disks")
        and item.get("unitOfMeasure") == "1/Month"
        and str(item.get("meterName", "")).endswith(" Disk")
    ):
        tier, replication = [*sku.split(), ""][:2]
        account = MANAGED_DISK_PRODUCTS.get(product_name)
        if account and replication:
            return Fetched(
                "disk",
                f"{account}_{replication}:{tier}",
                region,
                "storage",
                "month",
                price,
                note=f"meter {item.get('meterName')} ({item.get('meterId')})",
            )
    if item.get("serviceName", "Storage") == "Storage":
        return storage_account_meter(item, region, price)
    return None


MANAGED_DISK_PRODUCTS = {
    "Premium SSD Managed Disks": "Premium",
    "Standard SSD Managed Disks": "StandardSSD",
    "Standard HDD Managed Disks": "Standard",
}
"""Retail API product name of the fixed-size disk tiers -> the account-type prefix of the
catalog product (`Premium` + `_ZRS` + `:P10`)."""

PROVISIONED_DISKS = {
    "Ultra Disks": ("Ultra", "UltraSSD"),
    "Azure Premium SSD v2": ("Premium", "PremiumV2"),
}
"""Disks billed per provisioned GiB, IOPS and MBps by the hour: Retail API product name ->
(skuName prefix, Terraform storage_account_type prefix)."""
PROVISIONED_METERS = {
    "Provisioned Capacity": ("storage", "GiB-hour"),
    "Provisioned IOPS": ("iops", "IOPS-hour"),
    "Provisioned Throughput (MBps)": ("throughput", "MBps-hour"),
}


def _provisioned_disk(
    item: Mapping[str, Any], product_name: str, sku: str
) -> tuple[str, str, str] | None:
    """(`UltraSSD_LRS`, kind, unit) for an Ultra Disk or Premium SSD v2 capacity, IOPS or
    throughput meter (`Ultra LRS Provisioned IOPS`); None for other meters (snapshots,
    the per-vCPU reservation, confidential-compute encryption)."""
    names = PROVISIONED_DISKS.get(product_name)
    meter = str(item.get("meterName", ""))
    if names is None or not item.get("unitOfMeasure", "").endswith("/Hour"):
        return None
    prefix, account = names
    parts = sku.split()
    if len(parts) != 2 or parts[0] != prefix:
        return None
    for suffix, (kind, unit) in PROVISIONED_METERS.items():
        if meter == f"{sku} {suffix}":
            return f"{account}_{parts[1]}", kind, unit
    return None


STORAGE_PRODUCTS = {
    "General Block Blob v2": ("blob", ""),
    "Blob Storage": ("blob", "BlobStorage_"),
    "General Block Blob": ("blob", "V1_"),
    "Premium Block Blob": ("blob", ""),
    "General Block Blob v2 Hierarchical Namespace": ("blob", "HNS_"),
    "Premium Block Blob v2 Hierarchical Namespace": ("blob", "HNS_"),
    "Files v2": ("files", ""),
    "Premium Files": ("files", ""),
}
"""Retail API productName -> (catalog service, product prefix); the product is the prefix
plus the skuName with `_` for the space (`Hot LRS` -> `Hot_LRS`, `BlobStorage_Cool_GRS`)."""

STORAGE_METERS = (
    ("Iterative Write Operations", "iterative_write_ops"),
    ("Iterative Read Operations", "iterative_read_ops"),
    ("Priority Read Operations", ""),
    ("Priority Data Retrieval", ""),
    ("List and Create Container Operations", "list_ops"),
    ("List Operations", "list_ops"),
    ("Write Operations", "write_ops"),
    ("Read Operations", "read_ops"),
    ("Other Operations", "other_ops"),
    ("Delete Operations", "delete_ops"),
    ("Data Retrieval", "data_retrieval"),
    ("Data Write", "data_write"),
    ("Index Tags", "index_tags"),
    ("Early Delete", "early_delete"),
    ("Data Stored", "storage"),
    ("Provisioned", "storage"),
    ("Snapshots", "snapshots"),
    ("Metadata", "metadata"),
)
"""Meter name ending -> catalog kind (first match wins; an empty kind is not read)."""

STORAGE_UNITS = {
    "1 GB/Month": "GB-month",
    "1 GB": "GB",
    "10K": "10k operations",
    "100": "100 operations",
    "10K/Month": "10k tags-month",
}

GEO_REPLICATION_METER = "Geo-Replication v2 Data Transfer"
GEO_REPLICATION = "geo-replication"
"""Catalog product of the per-GB charge for copying writes to a geo-redundant account's
secondary region (`Storage - Bandwidth`; the older "Geo-Replication Data Transfer" meter is
priced 0)."""

VOLUME_TIERED = ("Hot ", "Standard ")
"""skuName starts of blob capacity meters Azure prices in volume tiers (Hot: first 50 TB,
next 450 TB, over 500 TB; general-purpose v1: by TB bands): such an item is read only when
it says which tier it is (`tierMinimumUnits`)."""


def storage_account_meter(item: Mapping[str, Any], region: str, price: Decimal) -> Fetched | None:
    """A storage-account capacity or operation price (blob, Data Lake, Files), or None.

    Items trimmed of `tierMinimumUnits` (azure-pricing-radar keeps one item per meter) are
    skipped for volume-tiered capacity meters: which of the tiers survived is not known."""
    product_name, sku = str(item.get("productName", "")), str(item.get("skuName", ""))
    if item.get("meterName") == GEO_REPLICATION_METER and price > 0:
        return Fetched(
            "blob",
            GEO_REPLICATION,
            region,
            "transfer",
            "GB",
            price,
            note=f"meter {product_name} / {GEO_REPLICATION_METER} ({item.get('meterId')})",
        )
    found = STORAGE_PRODUCTS.get(product_name)
    unit = STORAGE_UNITS.get(str(item.get("unitOfMeasure")))
    if found is None or unit is None or not sku:
        return None
    meter = str(item.get("meterName", ""))
    kind = next((k for end, k in STORAGE_METERS if meter.endswith(end)), "")
    if not kind or price <= 0:
        return None  # free meters (Delete Operations, GPv2 Data Write) are no cost line
    service, prefix = found
    tiered = service == "blob" and kind == "storage" and sku.startswith(VOLUME_TIERED)
    if tiered and "tierMinimumUnits" not in item:
        return None
    return Fetched(
        service,
        prefix + sku.replace(" ", "_"),
        region,
        kind,
        unit,
        price,
        note=f"meter {product_name} / {meter} ({item.get('meterId')})",
        tier_start=Decimal(str(item.get("tierMinimumUnits") or 0)),
    )


def parse_items(items: Iterable[Mapping[str, Any]]) -> list[Fetched]:
    """Every price costgate uses in one page's `Items` (a pure function: `pricing refresh`
    calls it on live pages, `pricing build` on recorded dumps)."""
    return _without_placeholder_spot(
        [found for item in items if (found := classify(item)) is not None]
    )


def _without_placeholder_spot(prices: list[Fetched]) -> list[Fetched]:
    """Drop a VM Spot meter priced exactly as the same size's on-demand meter: the API lists
    such meters for ND H200 v5 (ND96isrH200v5 Spot = 101.76 = on-demand, 2026-08-22), which is
    no Spot offer, so Spot stays unpriced there rather than shown at the full price."""
    on_demand = {
        (p.product, p.region, p.kind.replace("on_demand", "spot")): p.price
        for p in prices
        if p.service == "vm" and p.kind.startswith("on_demand")
    }
    return [
        p
        for p in prices
        if not (
            p.service == "vm"
            and p.kind.startswith("spot")
            and on_demand.get((p.product, p.region, p.kind)) == p.price
        )
    ]


def fetch(request: Request) -> list[Fetched]:
    """VM and disk prices for every requested region x size (one filtered query each);
    the type `storage-accounts` asks for every Storage meter of the region."""
    out: dict[tuple[str, str, str, str, Decimal], Fetched] = {}
    for region in request.regions:
        for size in request.types:
            query = f"armRegionName eq '{region}' and {_product_filter(size)}"
            if size == STORAGE_ACCOUNTS:
                query = f"armRegionName eq '{region}' and serviceName eq 'Storage'"
            url = f"{endpoint()}?{urllib.parse.urlencode({'$filter': query})}"
            for page in _pages(url):
                for found in parse_items(page["Items"]):
                    if found.region in request.regions:
                        key = (found.service, found.product, found.region, found.kind)
                        out[(*key, found.tier_start)] = found
    return list(out.values())


def _product_filter(size: str) -> str:
    """The Retail API filter for one requested product: Ultra Disk and Premium SSD v2
    meters by product name (`UltraSSD_LRS`), anything else by its ARM SKU name."""
    for product_name, (_, account) in PROVISIONED_DISKS.items():
        if size.startswith(f"{account}_"):
            return f"productName eq '{product_name}'"
    if ":" in size:
        return _disk_tier_filter(size)
    return f"armSkuName eq '{size}'"


STORAGE_ACCOUNTS = "storage-accounts"
"""`--types storage-accounts`: every Storage meter of the region (blob, Data Lake, Files
capacity and operations, volume tiers included), read by `storage_account_meter`."""


DISK_TIER = re.compile(r"[A-Z][0-9]+")
"""A managed disk tier name (`P10`, `E1`, `S80`): nothing else goes into the API filter."""


def _disk_tier_filter(size: str) -> str:
    """`Premium_ZRS:P10` -> the meters with product `Premium SSD Managed Disks` and SKU
    `P10 ZRS`: the product and SKU names, which the parser reads back, rather than an
    ARM SKU name, which the Retail API gives for LRS tiers only in a form nothing documents."""
    account, _, tier = size.partition(":")
    prefix, _, replication = account.rpartition("_")
    products = [name for name, known in MANAGED_DISK_PRODUCTS.items() if known == prefix]
    if not products or replication not in ("LRS", "ZRS") or not DISK_TIER.fullmatch(tier):
        raise CatalogError(
            f"--types {size}: expected a managed disk tier as ACCOUNT_TYPE:TIER, such as "
            "Premium_LRS:P10, StandardSSD_ZRS:E10 or Standard_LRS:S4"
        )
    return f"(productName eq '{products[0]}' and skuName eq '{tier} {replication}')"


class AzureRetailPrices:
    """`costgate pricing refresh azure`: the public Retail Prices API, no credentials."""

    name = "azure"
    provider = "azurerm"
    source_id = SOURCE_ID
    description = DESCRIPTION

    def url(self) -> str:
        """The API base URL, `COSTGATE_AZURE_PRICES_URL` applied."""
        return endpoint()

    def fetch(self, request: Request, shipped: Catalog) -> list[Fetched]:
        """VM and disk prices; the shipped catalog is not needed."""
        return fetch(request)


SOURCE = AzureRetailPrices()
