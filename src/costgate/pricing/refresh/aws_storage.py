"""EBS and S3 prices for `costgate pricing refresh aws --types ebs,s3`, from the Price List
Query API (pricing:GetProducts), written under exactly the catalog keys the EBS and S3
pricers look up (the same keys the pricing-page build reader in build_aws.py writes).

Rows are matched by `usagetype` without its region prefix (`APS1-EBS:VolumeUsage.gp3` ->
`EBS:VolumeUsage.gp3`; us-east-1 has none), as AWS names them:
- EBS (AmazonEC2, product families Storage, System Operation, Provisioned Throughput,
  Storage Snapshot): `EBS:VolumeUsage[.type]`, `EBS:VolumeP-IOPS.*`,
  `EBS:VolumeP-Throughput.gp3`, `EBS:VolumeIOUsage`, `EBS:SnapshotUsage`, the usage types
  of the AmazonEC2 offer (io1 is `piops` there); `volumeApiName` names the Terraform type
  and must agree when a row has it. Rates and tiers: https://aws.amazon.com/ebs/pricing/.
- S3 (AmazonS3, every product family of the region): the usage types of "Understanding your
  AWS billing and usage reports for Amazon S3"
  (https://docs.aws.amazon.com/AmazonS3/latest/userguide/aws-usage-report-understand.html):
  `TimedStorage-*-ByteHrs`, `Requests-*-Tier1/2`, `Retrieval-*`, `Select-*-Bytes`,
  `Monitoring-Automation-INT`, and lifecycle transitions (`Requests-Tier3`/`Tier4`) told
  apart by their `operation` (`S3-SIATransition`, `S3-GlacierTransition`, ...).

Queries: `GetProducts` with TERM_MATCH filters
(https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_pricing_GetProducts.html).
Tiers: a row's `beginRange` is its tier start (S3 Standard's 50 TB / 500 TB steps); io2's
IOPS tiers are separate usage types whose rows each span 0-Inf, so their starts (32,000 and
64,000 IOPS, the EBS pricing page's tiers) come from the usage type.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from costgate.errors import CatalogError
from costgate.pricing.refresh import Fetched
from costgate.pricing.refresh.aws_ml import number, products

EBS = "ebs"
S3 = "s3"
STORAGE_TYPES = (EBS, S3)
"""`--types` words that ask for storage prices instead of an instance type."""

EBS_FAMILIES = ("Storage", "System Operation", "Provisioned Throughput", "Storage Snapshot")
"""AmazonEC2 product families holding EBS rows (one query each, with `regionCode`)."""

S3_SERVICE_CODES = ("AmazonS3", "AmazonS3GlacierDeepArchive")
"""Queried in this order; a key the first gives is not taken from the second (Deep Archive
rows are also published under their own service code)."""

_GB_MONTH = frozenset({"gb-mo", "gb-month"})
_PER_1K = Decimal(1000)


@dataclass(frozen=True, slots=True)
class Meter:
    """One Price List usage type -> one catalog key."""

    product: str
    kind: str
    unit: str
    api_units: frozenset[str]
    per: Decimal = Decimal(1)
    """API units in one catalog unit (requests: 1,000; gp3 throughput: 1/1,024 GiBps)."""
    tier_start: Decimal | None = None
    """A tier fixed by the usage type (io2 IOPS); otherwise the row's `beginRange`."""
    operation: str | None = None
    """The `operation` a row must have; None takes any, preferring rows without one."""
    volume_type: str | None = None
    """The S3 `volumeType` a row must have when it names one."""
    rank: int = 0
    """Lower wins when several usage types give the same key."""


def _ebs(product: str, kind: str, unit: str, api: Iterable[str], **extra: Any) -> Meter:
    return Meter(product, kind, unit, frozenset(api), **extra)


EBS_METERS: dict[str, Meter] = {
    "EBS:VolumeUsage": _ebs("standard", "storage", "GB-month", _GB_MONTH),
    "EBS:VolumeUsage.gp2": _ebs("gp2", "storage", "GB-month", _GB_MONTH),
    "EBS:VolumeUsage.gp3": _ebs("gp3", "storage", "GB-month", _GB_MONTH),
    "EBS:VolumeUsage.piops": _ebs("io1", "storage", "GB-month", _GB_MONTH),
    "EBS:VolumeUsage.io2": _ebs("io2", "storage", "GB-month", _GB_MONTH),
    "EBS:VolumeUsage.st1": _ebs("st1", "storage", "GB-month", _GB_MONTH),
    "EBS:VolumeUsage.sc1": _ebs("sc1", "storage", "GB-month", _GB_MONTH),
    "EBS:VolumeP-IOPS.gp3": _ebs("gp3", "iops", "IOPS-month", {"iops-mo"}),
    "EBS:VolumeP-IOPS.piops": _ebs("io1", "iops", "IOPS-month", {"iops-mo"}),
    "EBS:VolumeP-IOPS.io2": _ebs("io2", "iops", "IOPS-month", {"iops-mo"}, tier_start=Decimal(0)),
    "EBS:VolumeP-IOPS.io2.tier2": _ebs(
        "io2", "iops", "IOPS-month", {"iops-mo"}, tier_start=Decimal(32000)
    ),
    "EBS:VolumeP-IOPS.io2.tier3": _ebs(
        "io2", "iops", "IOPS-month", {"iops-mo"}, tier_start=Decimal(64000)
    ),
    # Sold per GiBps-month; the catalog (and the pricer) count MiB/s: 1 GiBps = 1,024 MiBps.
    "EBS:VolumeP-Throughput.gp3": _ebs(
        "gp3", "throughput", "MBps-month", {"gibps-mo"}, per=Decimal(1) / Decimal(1024)
    ),
    # Magnetic volumes bill each I/O request; the row is per IO.
    "EBS:VolumeIOUsage": _ebs("standard", "io_requests", "1k requests", {"ios"}, per=_PER_1K),
    # Snapshots (pricing/aws/ebs_snapshot.py): standard and archive tier storage.
    "EBS:SnapshotUsage": _ebs("snapshot", "storage", "GB-month", _GB_MONTH),
    "EBS:SnapshotArchiveStorage": _ebs("snapshot", "archive_storage", "GB-month", _GB_MONTH),
}
"""EBS usage type (region prefix removed) -> catalog key (service `ebs`)."""

EBS_VOLUME_API_NAME = {"piops": "io1", "": "standard"}
"""usage-type suffix -> `volumeApiName` where they differ (else the suffix itself)."""

S3_CLASS_CODES = {
    "": "STANDARD",
    "SIA-": "STANDARD_IA",
    "ZIA-": "ONEZONE_IA",
    "GIR-": "GLACIER_IR",
    "INT-": "INTELLIGENT_TIERING",
    "GLACIER-": "GLACIER",
    "GDA-": "DEEP_ARCHIVE",
}
"""Usage-type class code (`Requests-<code>Tier1`) -> S3 storage class."""

S3_STORAGE = {
    "TimedStorage-ByteHrs": "STANDARD",
    "TimedStorage-SIA-ByteHrs": "STANDARD_IA",
    "TimedStorage-ZIA-ByteHrs": "ONEZONE_IA",
    "TimedStorage-GIR-ByteHrs": "GLACIER_IR",
    "TimedStorage-GlacierByteHrs": "GLACIER",
    "TimedStorage-GDA-ByteHrs": "DEEP_ARCHIVE",
    "TimedStorage-INT-FA-ByteHrs": "INTELLIGENT_TIERING_FREQUENT",
    "TimedStorage-INT-IA-ByteHrs": "INTELLIGENT_TIERING_INFREQUENT",
    "TimedStorage-INT-AA-ByteHrs": "INTELLIGENT_TIERING_ARCHIVE",
    "TimedStorage-INT-DAA-ByteHrs": "INTELLIGENT_TIERING_DEEP_ARCHIVE",
}
"""Storage usage type -> catalog product (kind `storage`)."""

S3_TRANSITIONS = {
    "S3-SIATransition": "STANDARD_IA",
    "S3-ZIATransition": "ONEZONE_IA",
    "S3-INTTransition": "INTELLIGENT_TIERING",
    "S3-GIRTransition": "GLACIER_IR",
    "S3-GlacierTransition": "GLACIER",
    "S3-GDATransition": "DEEP_ARCHIVE",
}
"""`operation` of a lifecycle-transition row (`Requests-Tier3` / `Requests-Tier4`) -> the
class transitioned into (kind `transition_requests`)."""

TIER4_CLASSES = ("STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING")
"""Classes a `Requests-Tier4` row without an operation prices (AWS: "lifecycle transitions
to Glacier Instant Retrieval, Intelligent-Tiering, Standard-IA or One Zone-IA"); Glacier IR
is left to its own `S3-GIRTransition` row, its pricing-page rate being twice the others'."""


def _s3_meters() -> dict[str, tuple[Meter, ...]]:
    requests = frozenset({"requests"})
    gb = frozenset({"gb"})
    out: dict[str, tuple[Meter, ...]] = {}
    for usage, product in S3_STORAGE.items():
        volume = "Standard" if product == "STANDARD" else None
        out[usage] = (Meter(product, "storage", "GB-month", _GB_MONTH, volume_type=volume),)
    for code, product in S3_CLASS_CODES.items():
        for tier in ("1", "2"):
            meter = Meter(product, f"tier{tier}_requests", "1k requests", requests, per=_PER_1K)
            out[f"Requests-{code}Tier{tier}"] = (meter,)
        if product in ("STANDARD_IA", "ONEZONE_IA", "GLACIER_IR"):
            out[f"Retrieval-{code[:-1]}"] = (Meter(product, "retrieval", "GB", gb),)
        if product not in ("GLACIER", "DEEP_ARCHIVE"):
            for what in ("Scanned", "Returned"):
                kind = f"select_{what.lower()}"
                out[f"Select-{what}-{code}Bytes"] = (Meter(product, kind, "GB", gb),)
    out["Monitoring-Automation-INT"] = (
        Meter(
            "INTELLIGENT_TIERING",
            "monitoring",
            "1k objects-month",
            frozenset({"objects"}),
            per=_PER_1K,
        ),
    )
    transitions = tuple(
        Meter(product, "transition_requests", "1k requests", requests, per=_PER_1K, operation=op)
        for op, product in S3_TRANSITIONS.items()
    )
    generic = tuple(
        Meter(p, "transition_requests", "1k requests", requests, per=_PER_1K, operation="", rank=1)
        for p in TIER4_CLASSES
    )
    out["Requests-Tier3"] = transitions
    out["Requests-Tier4"] = transitions + generic
    return out


S3_METERS = _s3_meters()
"""S3 usage type (region prefix removed) -> the catalog keys its rows may give."""


def usage_of(usagetype: str) -> str:
    """`usagetype` without its region prefix: `EU-TimedStorage-ByteHrs` ->
    `TimedStorage-ByteHrs`; us-east-1's have none (`EBS:VolumeUsage.gp3`)."""
    head, sep, rest = usagetype.partition("-")
    if sep and head and head.isupper() and head.isalnum():
        return rest
    return usagetype


def _ebs_meters(usage: str) -> tuple[Meter, ...]:
    meter = EBS_METERS.get(usage)
    return (meter,) if meter else ()


@dataclass(frozen=True, slots=True)
class _Candidate:
    rank: tuple[int, int]
    price: Decimal
    usagetype: str


Key = tuple[str, str, str, Decimal]
"""(catalog product, kind, unit, tier start)."""


def _dimensions(product: Mapping[str, Any]) -> Iterator[tuple[str, Decimal, Decimal]]:
    """(unit, beginRange, USD) of every on-demand price dimension of one product."""
    for term in (product.get("terms", {}).get("OnDemand") or {}).values():
        for dimension in (term.get("priceDimensions") or {}).values():
            usd = dimension.get("pricePerUnit", {}).get("USD")
            if usd is not None:
                begin = number(dimension.get("beginRange") or "0", "beginRange")
                yield str(dimension.get("unit", "")), begin, number(usd, "USD price")


def volume_matches(usage: str, attributes: Mapping[str, Any]) -> bool:
    """An EBS row's `volumeApiName`, when it has one, names the meter's volume type."""
    named = attributes.get("volumeApiName")
    if not named or not usage.startswith("EBS:Volume"):
        return True
    suffix = usage.rpartition(".")[2] if "." in usage else ""
    if suffix.startswith("tier"):
        suffix = "io2"
    return bool(named == EBS_VOLUME_API_NAME.get(suffix, suffix))


def _collect(
    rows: Iterable[Mapping[str, Any]],
    meters_of: Any,
    found: dict[Key, list[_Candidate]],
    where: str,
) -> None:
    for row in rows:
        attributes = row.get("product", {}).get("attributes", {})
        usagetype = str(attributes.get("usagetype") or "")
        usage = usage_of(usagetype)
        operation = str(attributes.get("operation") or "")
        for meter in meters_of(usage):
            if meter.operation is not None and operation != meter.operation:
                continue
            volume = attributes.get("volumeType")
            if meter.volume_type and volume and volume != meter.volume_type:
                continue
            if not volume_matches(usage, attributes):
                continue
            rank = (meter.rank, 1 if meter.operation is None and operation else 0)
            for unit, begin, usd in _dimensions(row):
                if usd <= 0:
                    continue  # a free step is not a rate to store
                if unit.lower() not in meter.api_units:
                    raise CatalogError(
                        f"AWS Pricing API: {usagetype} in {where} is priced per {unit!r}, "
                        f"expected {' or '.join(sorted(meter.api_units))}; nothing written"
                    )
                start = meter.tier_start if meter.tier_start is not None else begin
                key = (meter.product, meter.kind, meter.unit, start)
                found.setdefault(key, []).append(_Candidate(rank, usd * meter.per, usagetype))


def _choose(service: str, region: str, found: Mapping[Key, list[_Candidate]]) -> list[Fetched]:
    out = []
    for (product, kind, unit, start), candidates in sorted(found.items()):
        best = min(c.rank for c in candidates)
        kept = [c for c in candidates if c.rank == best]
        prices = {c.price for c in kept}
        if len(prices) > 1:
            raise CatalogError(
                f"AWS Pricing API returned {len(prices)} different {service} {kind} prices "
                f"for {product} in {region} "
                f"({', '.join(sorted({c.usagetype for c in kept}))}); nothing written"
            )
        usagetypes = ", ".join(sorted({c.usagetype for c in kept}))
        out.append(
            Fetched(
                service,
                product,
                region,
                kind,
                unit,
                prices.pop(),
                f"Price List API usagetype {usagetypes}",
                start,
            )
        )
    return out


def ebs_prices(paginator: Any, region: str) -> list[Fetched]:
    """Every EBS volume, IOPS, throughput, I/O and snapshot rate of *region*."""
    found: dict[Key, list[_Candidate]] = {}
    for family in EBS_FAMILIES:
        rows = products(paginator, "AmazonEC2", {"regionCode": region, "productFamily": family})
        _collect(rows, _ebs_meters, found, region)
    return _choose(EBS, region, found)


def s3_prices(paginator: Any, region: str) -> list[Fetched]:
    """Every S3 storage, request, retrieval, S3 Select, monitoring and transition rate of
    *region*; a key AmazonS3 gives is not read again from the Deep Archive service code."""
    found: dict[Key, list[_Candidate]] = {}
    for code in S3_SERVICE_CODES:
        more: dict[Key, list[_Candidate]] = {}
        rows = products(paginator, code, {"regionCode": region})
        _collect(rows, lambda usage: S3_METERS.get(usage, ()), more, region)
        known = {k[:3] for k in found}
        found |= {k: v for k, v in more.items() if k[:3] not in known}
    return _choose(S3, region, found)


def storage_prices(pricing: Any, regions: Iterable[str], services: Iterable[str]) -> list[Fetched]:
    """EBS and/or S3 prices (*services*: `ebs`, `s3`) for every region."""
    paginator = pricing.get_paginator("get_products")
    wanted = set(services)
    out = []
    for region in regions:
        if EBS in wanted:
            out += ebs_prices(paginator, region)
        if S3 in wanted:
            out += s3_prices(paginator, region)
    return out
