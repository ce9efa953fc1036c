"""Compute Engine disk and snapshot SKUs of the Cloud Billing Catalog API.

`pricing refresh gcp` reads every Compute Engine SKU page for the machine prices; the same
pages carry Persistent Disk, Hyperdisk and snapshot SKUs ("Balanced PD Capacity in
Belgium", "Extreme PD IOPS in Iowa", "Hyperdisk Throughput Throughput Capacity in ..."),
priced per GiB-month (`GiBy.mo`) or per provisioned unit-month (`mo`). This module turns
them into catalog entries for the requested regions, under the names the disk pricer looks
up. SKUs in other units are skipped rather than converted on a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from costgate.pricing.refresh import Fetched, Request

DISK_SKUS: dict[str, tuple[str, str, str, str]] = {
    "Storage PD Capacity": ("disk", "pd-standard", "storage", "GB-month"),
    "Balanced PD Capacity": ("disk", "pd-balanced", "storage", "GB-month"),
    "SSD backed PD Capacity": ("disk", "pd-ssd", "storage", "GB-month"),
    "Extreme PD Capacity": ("disk", "pd-extreme", "storage", "GB-month"),
    "Extreme PD IOPS": ("disk", "pd-extreme", "iops", "IOPS-month"),
    "Regional Storage PD Capacity": ("disk", "regional-pd-standard", "storage", "GB-month"),
    "Regional Balanced PD Capacity": ("disk", "regional-pd-balanced", "storage", "GB-month"),
    "Regional SSD backed PD Capacity": ("disk", "regional-pd-ssd", "storage", "GB-month"),
    "Hyperdisk Extreme Capacity": ("disk", "hyperdisk-extreme", "storage", "GB-month"),
    "Hyperdisk Extreme IOPS": ("disk", "hyperdisk-extreme", "iops", "IOPS-month"),
    "Hyperdisk Balanced Capacity": ("disk", "hyperdisk-balanced", "storage", "GB-month"),
    "Hyperdisk Balanced IOPS": ("disk", "hyperdisk-balanced", "iops", "IOPS-month"),
    "Hyperdisk Balanced Throughput": ("disk", "hyperdisk-balanced", "throughput", "MBps-month"),
    "Hyperdisk Throughput Capacity": ("disk", "hyperdisk-throughput", "storage", "GB-month"),
    "Hyperdisk Throughput Throughput Capacity": (
        "disk",
        "hyperdisk-throughput",
        "throughput",
        "MBps-month",
    ),
    "Storage PD Snapshot": ("snapshot", "standard", "storage", "GB-month"),
}
"""SKU description (before " in <location>") -> (service, product, kind, unit)."""

UNITS = {"GB-month": "GiBy.mo", "IOPS-month": "mo", "MBps-month": "mo"}
"""The API usage unit each catalog unit is read from; other units are skipped."""

_NAME = re.compile(r"^(?P<name>.+?) in (?P<where>.+)$")


def parse_storage_sku(raw: Mapping[str, Any]) -> Iterator[Fetched]:
    """One Fetched per service region of a disk or snapshot SKU costgate prices (on-demand
    list price, the last tier's rate), none for any other SKU."""
    match = _NAME.match(str(raw.get("description", "")))
    category = raw.get("category") or {}
    if not match or category.get("usageType", "OnDemand") != "OnDemand":
        return
    spec = DISK_SKUS.get(match.group("name"))
    info = (raw.get("pricingInfo") or [None])[0]
    if spec is None or not info:
        return
    expression = info.get("pricingExpression") or {}
    service, product, kind, unit = spec
    rates = expression.get("tieredRates") or []
    if expression.get("usageUnit") != UNITS[unit] or not rates:
        return
    price = money(rates[-1].get("unitPrice") or {}, info.get("currencyConversionRate", 1))
    effective = str(info.get("effectiveTime") or "")
    for region in raw.get("serviceRegions") or ():
        note = f"SKU {raw.get('skuId', '?')} {match.group('name')}, effective {effective}"
        yield Fetched(service, product, str(region), kind, unit, price, note)


def money(unit: Mapping[str, Any], conversion: Any) -> Decimal:
    """A Cloud Billing `unitPrice` (units + nanos) in USD, converted at the page's
    `currencyConversionRate` when the key's billing currency is another (both SKU readers)."""
    value = Decimal(str(unit.get("units") or 0)) + Decimal(int(unit.get("nanos") or 0)) / 10**9
    if unit.get("currencyCode", "USD") != "USD":
        value = value / Decimal(str(conversion))
    return value


def storage_prices(pages: Iterable[Mapping[str, Any]], request: Request) -> list[Fetched]:
    """Disk and snapshot prices in the requested regions (a pure function of the pages)."""
    wanted = set(request.regions)
    return [
        fetched
        for page in pages
        for raw in page.get("skus") or ()
        for fetched in parse_storage_sku(raw)
        if fetched.region in wanted
    ]
