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

from costgate.errors import CatalogError
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
    info = pricing_info(raw)
    if spec is None or not info:
        return
    service, product, kind, unit = spec
    price = unit_rate(info, UNITS[unit])
    if price is None:
        return
    effective = str(info.get("effectiveTime") or "")
    for region in raw.get("serviceRegions") or ():
        note = f"SKU {raw.get('skuId', '?')} {match.group('name')}, effective {effective}"
        yield Fetched(service, product, str(region), kind, unit, price, note)


def money(unit: Mapping[str, Any], conversion: Any) -> Decimal:
    """A Cloud Billing `unitPrice` (units + nanos) in USD, converted at the page's
    `currencyConversionRate` when the key's billing currency is another (every SKU reader).
    A figure that is not a whole number where the API gives one, or a conversion rate that is
    not positive, is a malformed answer (exit 2), never an internal error."""
    units, nanos = unit.get("units") or 0, unit.get("nanos") or 0
    if not _whole(units) or not _whole(nanos):
        raise _malformed(f"unitPrice {{units: {units!r}, nanos: {nanos!r}}} is not whole numbers")
    value = Decimal(int(units)) + Decimal(int(nanos)) / 10**9
    if unit.get("currencyCode", "USD") != "USD":
        rate = _decimal(conversion)
        if rate is None or rate <= 0:
            raise _malformed(f"currencyConversionRate {conversion!r} is not a positive number")
        value = value / rate
    return value


def pricing_info(raw: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """A SKU's current `pricingInfo` entry (the first), None when it has none."""
    infos = raw.get("pricingInfo") or []
    if not isinstance(infos, list) or not all(isinstance(i, Mapping) for i in infos):
        raise _malformed(f"SKU {raw.get('skuId', '?')}: pricingInfo is not a list of objects")
    return infos[0] if infos else None


def tiered_rates(info: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The `tieredRates` of a pricing entry (a list of objects, possibly empty)."""
    expression = info.get("pricingExpression") or {}
    if not isinstance(expression, Mapping):
        raise _malformed("pricingExpression is not an object")
    rates = expression.get("tieredRates") or []
    if not isinstance(rates, list) or not all(isinstance(r, Mapping) for r in rates):
        raise _malformed("pricingExpression.tieredRates is not a list of objects")
    return rates


def unit_rate(info: Mapping[str, Any], unit: str) -> Decimal | None:
    """The last tier's USD rate of a pricing entry billed in *unit* (`GiBy.mo`, `h`,
    `GiBy.h`); None for an entry in another unit or without rates, which the SKU readers
    skip rather than convert on a guess."""
    rates = tiered_rates(info)
    if (info.get("pricingExpression") or {}).get("usageUnit") != unit or not rates:
        return None
    return money(rates[-1].get("unitPrice") or {}, info.get("currencyConversionRate", 1))


def _whole(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, str) and value.lstrip("-").isdigit()


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


def _malformed(what: str) -> CatalogError:
    return CatalogError(f"Cloud Billing Catalog API answer: {what}; nothing written")


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
