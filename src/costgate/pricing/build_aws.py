"""Readers for AWS's own pricing-page data ("metered unit maps") copied into public repositories.

The AWS pricing pages load JSON files from `b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps/`:
one per service (`ebs.json`, `natgateway.json`, `vpc.json`, `s3.json`, `cloudwatch.json`,
`eks.json`, `kms.json`, `route53.json`) with
`regions[<location name>][<meter>] = {"price": ...}`, and one per region for EC2 on-demand
(`ec2-ondemand-without-sec-sel/<location>/Linux/index.json`). Each carries a `manifest` with
its `hawkFilePublicationDate`. Meters are named in words ("Storage General Purpose gp3 GB Mo");
the tables below map the ones the pricers use to catalog keys. Regions are named by location
(`EU (Ireland)`): `AWS_REGIONS` gives their codes; Local Zones, Wavelength Zones and GovCloud
are left out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from costgate.errors import CatalogError
from costgate.pricing.refresh import PRICE_STEP, Fetched

if TYPE_CHECKING:
    from costgate.pricing.build import Dump, Known, Read

AWS_REGIONS = {
    "Africa (Cape Town)": "af-south-1",
    "Asia Pacific (Hong Kong)": "ap-east-1",
    "Asia Pacific (Taipei)": "ap-east-2",
    "Asia Pacific (Tokyo)": "ap-northeast-1",
    "Asia Pacific (Seoul)": "ap-northeast-2",
    "Asia Pacific (Osaka)": "ap-northeast-3",
    "Asia Pacific (Mumbai)": "ap-south-1",
    "Asia Pacific (Hyderabad)": "ap-south-2",
    "Asia Pacific (Singapore)": "ap-southeast-1",
    "Asia Pacific (Sydney)": "ap-southeast-2",
    "Asia Pacific (Jakarta)": "ap-southeast-3",
    "Asia Pacific (Melbourne)": "ap-southeast-4",
    "Asia Pacific (Malaysia)": "ap-southeast-5",
    "Asia Pacific (New Zealand)": "ap-southeast-6",
    "Asia Pacific (Thailand)": "ap-southeast-7",
    "Canada (Central)": "ca-central-1",
    "Canada West (Calgary)": "ca-west-1",
    "EU (Frankfurt)": "eu-central-1",
    "EU (Zurich)": "eu-central-2",
    "EU (Stockholm)": "eu-north-1",
    "EU (Milan)": "eu-south-1",
    "EU (Spain)": "eu-south-2",
    "EU (Ireland)": "eu-west-1",
    "EU (London)": "eu-west-2",
    "EU (Paris)": "eu-west-3",
    "Israel (Tel Aviv)": "il-central-1",
    "Middle East (UAE)": "me-central-1",
    "Middle East (Bahrain)": "me-south-1",
    "Mexico (Central)": "mx-central-1",
    "South America (Sao Paulo)": "sa-east-1",
    "US East (N. Virginia)": "us-east-1",
    "US East (Ohio)": "us-east-2",
    "US West (N. California)": "us-west-1",
    "US West (Oregon)": "us-west-2",
}
"""Commercial region location name (as the pricing pages and AWS's `locations.json` spell it)
-> region code. Checked against `locations.json` (`type` "AWS Region") and against the region
code in each per-region EC2 file name."""

AWS_ACCELERATED = re.compile(r"^(p\d|g\d|gr\d|inf\d|trn\d|dl\d|f\d|vt\d)")
MAPS_ACCELERATED = re.compile(r"^trn2\.")
"""Accelerated families the pricing-page on-demand maps price although they predate the June
2025 cut: Trainium2, which no newer dump prices and which the cut (P4 and P5) did not touch."""

JUNE_2025_CUT = re.compile(r"^(p4d|p4de|p5|p5e|p5en)\.")
"""The families whose prices AWS cut in June 2025 (P4 and P5): a map dated before the cut
(the 2025-04 pricing-page maps) holds their old rates, which are not read (a 1-year
convertible p5.48xlarge reservation there is 77.43/h against today's 55.04 on demand)."""
"""Families with GPUs, FPGAs or ML chips: their facts must name the accelerator, so they are
described only by a dump that does (the vantage GPU array), and their prices come from it."""


@dataclass(frozen=True)
class Meter:
    """Where one pricing-page meter goes in the catalog."""

    service: str
    product: str
    kind: str
    unit: str
    tier_start: Decimal = Decimal(0)
    scale: Decimal = Decimal(1)
    """The meter's price times *scale* is the catalog price (per 1,000 requests, per MB/s)."""
    plus: str = ""
    """A meter of the same region whose price is added: a fee AWS bills on top of another
    (EKS extended support: $0.50 on top of the $0.10 standard cluster-hour, $0.60 in all)."""


_GB_MONTH = "GB-month"
_PER_1K = Decimal(1000)
_PER_10K = Decimal(10000)
_PER_1M = Decimal(1_000_000)
_GIB_TO_MIB = Decimal(1) / Decimal(1024)

S3_MAP_CLASSES = {
    "STANDARD_IA": "Standard Infrequent Access",
    "ONEZONE_IA": "One Zone Infrequent Access",
    "INTELLIGENT_TIERING": "Intelligent Tiering",
    "GLACIER_IR": "Glacier Instant Retrieval",
}
"""S3 class -> its name in the map's request, retrieval and S3 Select meters."""


S3_RESTORE_METERS = {
    "Glacier S3 Standard Retrieval RestoreObject": ("GLACIER", "standard_retrieval"),
    "Glacier S3 Expedited Retrieval": ("GLACIER", "expedited_retrieval"),
    "Glacier S3 API Tier 3 RestoreObject": ("GLACIER", "standard_retrieval_requests"),
    "Glacier Expedited Glacier Restore Requests": ("GLACIER", "expedited_retrieval_requests"),
    "Fee for Standard Retrieval of data stored from Glacier Deep Archive": (
        "DEEP_ARCHIVE",
        "standard_retrieval",
    ),
    "Fee for Bulk Retrieval of data stored from Glacier Deep Archive": (
        "DEEP_ARCHIVE",
        "bulk_retrieval",
    ),
}
"""Restores (RestoreObject) from Glacier Flexible Retrieval and Deep Archive: GB by speed,
and requests by speed (per request, stored per 1,000) where the map names them. Matched by
name and by AWS's S3 pricing page (us-east-1: Flexible Retrieval standard $0.01/GB and
$0.05 per 1,000 requests, expedited $0.03/GB and $10 per 1,000; Deep Archive standard
$0.02/GB, bulk $0.0025/GB). "Glacier S3 API Tier 3 RestoreObject" is the standard request:
expedited and bulk restore requests have their own meters, and its rate is the page's
standard one. Not read: the aliases with the same rate code ("Fee for Standard Retrieval of
data stored", "Restore Object per Requests"), the $0 bulk meters of Flexible Retrieval (the
catalog keeps positive prices; the pricer says bulk is free), the Intelligent-Tiering
archive-tier restores (`INT`, `DAA`: no usage key), and Deep Archive's restore requests (no
named meter; hash-keyed meters are not read)."""


def _s3_usage_meters() -> dict[str, Meter]:
    """The S3 map's per-class request (PUT/COPY/POST/LIST = tier 1, GET and all other =
    tier 2; per request, stored per 1,000), retrieval and S3 Select meters (per GB), and the
    Glacier classes' restores by speed (`S3_RESTORE_METERS`)."""
    meters = {
        "PUT COPY/POST or LIST requests per Requests": ("STANDARD", "tier1_requests"),
        "GET and all other requests per Requests": ("STANDARD", "tier2_requests"),
        "Data Scanned by S3 Select in Standard per GB": ("STANDARD", "select_scanned"),
        "Data Returned by S3 Select in Standard per GB": ("STANDARD", "select_returned"),
        "PUT requests to Glacier per Requests": ("GLACIER", "tier1_requests"),
        "GET and all other requests to GLACIER per Requests": ("GLACIER", "tier2_requests"),
        "GET and all other requests to GDA per Requests": ("DEEP_ARCHIVE", "tier2_requests"),
    }
    for product, name in S3_MAP_CLASSES.items():
        meters |= {
            f"PUT COPY/POST or LIST requests to {name} per Requests": (product, "tier1_requests"),
            f"GET and all other requests to {name} per Requests": (product, "tier2_requests"),
            f"Data Scanned by S3 Select in {name} per GB": (product, "select_scanned"),
            f"Data Returned by S3 Select in {name} per GB": (product, "select_returned"),
        }
        if product != "INTELLIGENT_TIERING":  # no retrieval fee in Intelligent-Tiering
            meters[f"Object Retrieval in {name} per GB"] = (product, "retrieval")
    return {
        name: Meter("s3", product, kind, "1k requests", scale=_PER_1K)
        if kind.endswith("_requests")
        else Meter("s3", product, kind, "GB")
        for name, (product, kind) in (meters | S3_RESTORE_METERS).items()
    }


def _ebs_snapshot_meters() -> dict[str, Meter]:
    """EBS snapshot meters of the EBS map: standard and archive tier storage, archive
    retrieval, Fast Snapshot Restore (per DSU-hour: one snapshot enabled in one zone for an
    hour; stored as `hour`) and the EBS direct APIs (List per request; Get and Put per
    SnapshotAPIUnit, one 512 KiB block, i.e. one GetSnapshotBlock or PutSnapshotBlock
    request; stored per 1,000 as `1k requests`). Not read: the
    "Backup SGW" duplicates (Storage Gateway volumes' snapshots), the Outposts snapshot
    meter and the archive early-delete meter (its pro-rated quantity is the remainder of
    the 90-day minimum, which the pricer states as a note instead)."""
    snapshot = "Storage Snapshot Amazon S3"
    return {
        f"{snapshot} GB Mo": Meter("ebs", "snapshot", "storage", _GB_MONTH),
        f"{snapshot} SnapshotArchiveStorage GB Mo": Meter(
            "ebs", "snapshot", "archive_storage", _GB_MONTH
        ),
        f"{snapshot} SnapshotArchiveRetrieval GB": Meter(
            "ebs", "snapshot", "archive_retrieval", "GB"
        ),
        "Fast Snapshot Restore per hours": Meter(
            "ebs", "snapshot", "fast_snapshot_restore", "hour"
        ),
        "List Requests for EBS direct APIs per Requests": Meter(
            "ebs", "snapshot", "list_requests", "1k requests", scale=_PER_1K
        ),
        "Get Requests for EBS direct APIs per SnapshotAPIUnits": Meter(
            "ebs", "snapshot", "get_block_requests", "1k requests", scale=_PER_1K
        ),
        "Put Requests for EBS direct APIs per SnapshotAPIUnits": Meter(
            "ebs", "snapshot", "put_block_requests", "1k requests", scale=_PER_1K
        ),
    }


METERS: dict[str, dict[str, Meter]] = {
    "ebs": {
        "Storage General Purpose gp2 GB Mo": Meter("ebs", "gp2", "storage", _GB_MONTH),
        "Storage General Purpose gp3 GB Mo": Meter("ebs", "gp3", "storage", _GB_MONTH),
        "Provisioned EBS IOPS gp3 Volumes per IOPS Mo": Meter("ebs", "gp3", "iops", "IOPS-month"),
        # Sold per MiB/s-month ($0.04 in us-east-1); the meter is per GiB/s (40.96).
        "Provisioned Throughput gp3 per GiBps mo": Meter(
            "ebs", "gp3", "throughput", "MBps-month", scale=_GIB_TO_MIB
        ),
        "Storage Provisioned IOPS io1 GB Mo": Meter("ebs", "io1", "storage", _GB_MONTH),
        "Provisioned EBS IOPS io1 Volumes per IOPS Mo": Meter("ebs", "io1", "iops", "IOPS-month"),
        "Storage Provisioned IOPS io2 GB Mo": Meter("ebs", "io2", "storage", _GB_MONTH),
        "Storage Provisioned IOPS io2 GB month": Meter("ebs", "io2", "storage", _GB_MONTH),
        "Provisioned EBS IOPS io2 Volumes per IOPS Mo": Meter("ebs", "io2", "iops", "IOPS-month"),
        "Provisioned EBS IOPS Tier 2 io2 Volumes per IOPS Mo": Meter(
            "ebs", "io2", "iops", "IOPS-month", tier_start=Decimal(32000)
        ),
        "Provisioned EBS IOPS Tier 3 io2 Volumes per IOPS Mo": Meter(
            "ebs", "io2", "iops", "IOPS-month", tier_start=Decimal(64000)
        ),
        "Storage Throughput Optimized HDD st1 GB Mo": Meter("ebs", "st1", "storage", _GB_MONTH),
        "Storage Cold HDD sc1 GB Mo": Meter("ebs", "sc1", "storage", _GB_MONTH),
        "Storage Magnetic standard GB Mo": Meter("ebs", "standard", "storage", _GB_MONTH),
        # Magnetic volumes also bill each I/O request; the meter is per request.
        "Provisioned EBS I O Requests standard Volumes per IOs": Meter(
            "ebs", "standard", "io_requests", "1k requests", scale=_PER_1K
        ),
        **_ebs_snapshot_meters(),
    },
    "natgateway": {
        "Hourly charge for NAT Gateways": Meter("vpc", "nat_gateway", "hours", "hour"),
        "Charge for per GB data processed by NatGateways": Meter(
            "vpc", "nat_gateway", "data_processed", "GB"
        ),
    },
    "vpc": {
        "Hourly charge for VPC Endpoints per Hrs": Meter(
            "vpce", "interface", "endpoint_hours", "hour"
        ),
        "Charge for per GB data processed by VPC Endpoints per GB from 0 to 1048576": Meter(
            "vpce", "interface", "data_processed", "GB"
        ),
        "Charge for per GB data processed by VPC Endpoints per GB from 1048576 to 5242880": Meter(
            "vpce", "interface", "data_processed", "GB", tier_start=Decimal(1048576)
        ),
        "Charge for per GB data processed by VPC Endpoints per GB from 5242880 to Inf": Meter(
            "vpce", "interface", "data_processed", "GB", tier_start=Decimal(5242880)
        ),
        "Hourly charge for In use Public IPv4 Addresses per Hrs": Meter(
            "vpc", "public_ipv4", "in_use", "hour"
        ),
    },
    "cloudwatch": {
        "Logs Collected Data Ingestion": Meter("logs", "standard", "ingestion", "GB"),
        "Stored Data": Meter("logs", "standard", "storage", _GB_MONTH),
        "Metric for the first 10000": Meter(
            "cloudwatch", "detailed_monitoring", "metric", "metric-month"
        ),
    },
    "s3": {
        "Standard Storage First 50 TB per GB Mo": Meter("s3", "STANDARD", "storage", _GB_MONTH),
        "Standard Storage Next 450 TB per GB Mo": Meter(
            "s3", "STANDARD", "storage", _GB_MONTH, tier_start=Decimal(51200)
        ),
        "Standard Storage Over 500 TB per GB Mo": Meter(
            "s3", "STANDARD", "storage", _GB_MONTH, tier_start=Decimal(512000)
        ),
        "Standard Infrequent Access Storage per GB-Mo": Meter(
            "s3", "STANDARD_IA", "storage", _GB_MONTH
        ),
        "One Zone Infrequent Access Storage Inf per GB-Mo": Meter(
            "s3", "ONEZONE_IA", "storage", _GB_MONTH
        ),
        "Glacier Storage per GB Mo": Meter("s3", "GLACIER", "storage", _GB_MONTH),
        "Glacier Instant Retrieval Storage": Meter("s3", "GLACIER_IR", "storage", _GB_MONTH),
        "Intelligent Tiering Frequent Access First 50 TB per GB Mo": Meter(
            "s3", "INTELLIGENT_TIERING_FREQUENT", "storage", _GB_MONTH
        ),
        "Intelligent Tiering Frequent Access Next 450 TB per GB Mo": Meter(
            "s3", "INTELLIGENT_TIERING_FREQUENT", "storage", _GB_MONTH, tier_start=Decimal(51200)
        ),
        "Intelligent Tiering Frequent Access Over 500 TB per GB Mo": Meter(
            "s3", "INTELLIGENT_TIERING_FREQUENT", "storage", _GB_MONTH, tier_start=Decimal(512000)
        ),
        "Intelligent Tiering Infrequent Access per GB Mo": Meter(
            "s3", "INTELLIGENT_TIERING_INFREQUENT", "storage", _GB_MONTH
        ),
        # the optional asynchronous archive tiers (AWS's S3 pricing page: Archive Access and
        # Deep Archive Access, us-east-1 $0.0036 and $0.00099 per GB-month)
        "IntelligentTieringArchiveAccess": Meter(
            "s3", "INTELLIGENT_TIERING_ARCHIVE", "storage", _GB_MONTH
        ),
        "IntelligentTieringDeepArchiveAccess": Meter(
            "s3", "INTELLIGENT_TIERING_DEEP_ARCHIVE", "storage", _GB_MONTH
        ),
        "Per object per month monitoring and automation fee for objects in Intelligent Tiering": (
            Meter("s3", "INTELLIGENT_TIERING", "monitoring", "1k objects-month", scale=_PER_1K)
        ),
        "Lifecycle Transition Requests into Standard Infrequent Access per Requests": Meter(
            "s3", "STANDARD_IA", "transition_requests", "1k requests", scale=_PER_1K
        ),
        "Lifecycle Transition Requests into One Zone Infrequent Access per Requests": Meter(
            "s3", "ONEZONE_IA", "transition_requests", "1k requests", scale=_PER_1K
        ),
        "Lifecycle Transition Requests into Intelligent Tiering per Requests": Meter(
            "s3", "INTELLIGENT_TIERING", "transition_requests", "1k requests", scale=_PER_1K
        ),
        "Lifecycle Transition Requests into Glacier per Requests": Meter(
            "s3", "GLACIER", "transition_requests", "1k requests", scale=_PER_1K
        ),
        "Lifecycle Transition Requests into Glacier Instant Retrieval per Requests": Meter(
            "s3", "GLACIER_IR", "transition_requests", "1k requests", scale=_PER_1K
        ),
        "Lifecycle Transition Requests into Glacier Deep Archive per Requests": Meter(
            "s3", "DEEP_ARCHIVE", "transition_requests", "1k requests", scale=_PER_1K
        ),
        **_s3_usage_meters(),
    },
    "eks": {
        "Compute per Hours": Meter("eks", "cluster", "standard_support", "hour"),
        "Compute ExtendedSupport per Hours": Meter(
            "eks", "cluster", "extended_support", "hour", plus="Compute per Hours"
        ),
    },
    "kms": {
        "Encryption Key": Meter("kms", "key", "storage", "month"),
        "API request - Non Free Tier": Meter(
            "kms", "key", "requests", "10k requests", scale=_PER_10K
        ),
    },
    "route53": {
        "DNS Zone first 25": Meter("route53", "hosted_zone", "storage", "month"),
        "Query Standard External first 1B": Meter(
            "route53", "queries", "standard", "1M queries", scale=_PER_1M
        ),
        "Query Standard External over 1B": Meter(
            "route53", "queries", "standard", "1M queries", Decimal(1000), _PER_1M
        ),
    },
}
"""Pricing-page map (`manifest.source`) -> meter name -> catalog key. A meter absent from a
region is not priced there; meters not listed are not read."""

ROUTE53_REGION = "us-east-1"
"""Route 53 is a global service with one price list, whatever region the provider names
(the AWS Price List files it under us-east-1)."""

GLOBAL_LOCATIONS = {"route53": ROUTE53_REGION}
"""Maps of a global service -> the region its prices are filed under: Route 53 prices hosted
zones under the location `Any` and queries under `` (no location); the pricer looks them up
in one region whatever the resource's."""


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data["regions"], dict) or not isinstance(data["manifest"], dict):
            raise TypeError("regions/manifest are not objects")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CatalogError(f"not an AWS pricing-page price map: {exc}", path=str(path)) from exc
    return dict(data)


def _regions(
    data: Mapping[str, Any], global_region: str | None = None
) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(region code, items) of a price map's commercial regions, in a stable order; the
    pricing pages' other locations (GovCloud, Local Zones, Wavelength) are not read. With
    *global_region*, only the locations `Any` and `` are read, as that region (a few regions
    of the Route 53 map repeat the query meters; the pricer never looks there)."""
    for location, items in sorted(data["regions"].items()):
        region = AWS_REGIONS.get(location)
        if global_region is not None:
            region = global_region if location in ("Any", "") else None
        if region is not None and isinstance(items, Mapping):
            yield region, items


def _note(dump: Dump) -> str:
    """What a built entry's `note` says it was read from: the map's file at its commit."""
    return f"{Path(dump.path).name} @{dump.commit[:8]}"


def _prices(items: Mapping[str, Any]) -> Iterator[tuple[str, Decimal]]:
    for name, item in items.items():
        value = _price(item)
        if value is not None:
            yield name, value


def _price(item: Any) -> Decimal | None:
    """A map item's `price`, or None when it has none that reads as a number."""
    try:
        return Decimal(str(item["price"]))
    except (KeyError, TypeError, ArithmeticError):
        return None


def aws_metered_unit_map_json(path: Path, dump: Dump, known: Known) -> Read:
    """A service price map of the AWS pricing pages (`ebs.json`, `natgateway.json`,
    `vpc.json`, `cloudwatch.json`, `s3.json`, `eks.json`, `kms.json`, `route53.json`): the
    meters of `METERS[manifest.source]` in every commercial region. Zero prices (free tiers)
    are not read, nor a price the unit conversion would have to round (gp3 throughput in
    Zurich, 58.4909 / 1024). The meter tables are a closed list of what the pricers look up,
    so every one is read whether or not the catalog priced it before (a build that replaced
    the only other source of a product is then still a fixed point)."""
    from costgate.pricing.build import Read

    data = _load(path)
    source = str(data["manifest"].get("source", ""))
    meters = METERS.get(source)
    if meters is None:
        raise CatalogError(f"no meter table for price map source {source!r}", path=str(path))
    note = _note(dump)
    prices: list[Fetched] = []
    for region, items in _regions(data, GLOBAL_LOCATIONS.get(source)):
        for name, value in _prices(items):
            meter = meters.get(name)
            if meter is None or value <= 0:
                continue
            if meter.plus:
                base = _price(items.get(meter.plus))
                if base is None:
                    continue  # the fee it is added to is not in this region
                value += base
                name = f"{meter.plus} + {name}"
            value *= meter.scale
            if value != value.quantize(PRICE_STEP):
                continue  # the unit conversion would need rounding: left unpriced instead
            prices.append(
                Fetched(
                    meter.service,
                    meter.product,
                    region,
                    meter.kind,
                    meter.unit,
                    value,
                    f"{note}: {name}{_scaled(meter.scale)}",
                    meter.tier_start,
                )
            )
    return Read(prices)


def aws_metered_ec2_ondemand_json(path: Path, dump: Dump, known: Known) -> Read:
    """One region's EC2 on-demand Linux map (`ec2-ondemand-without-sec-sel/<location>/Linux`):
    per instance type the shared-tenancy Linux price without pre-installed software.
    Accelerated families are left to the vantage GPU dump (newer: it has the June 2025 P4/P5
    cut these files predate), except `MAPS_ACCELERATED` (Trainium2, which no newer dump
    prices); types the catalog does not know are skipped."""
    from costgate.pricing.build import Read

    data = _load(path)
    note = _note(dump)
    prices: list[Fetched] = []
    for region, items in _regions(data):
        for item in items.values():
            if not isinstance(item, Mapping) or not _plain_linux(item):
                continue
            name = str(item.get("Instance Type", ""))
            value = _price(item)
            if value is None:
                continue
            accelerated = AWS_ACCELERATED.match(name) and not MAPS_ACCELERATED.match(name)
            if value <= 0 or accelerated or not known("ec2", name):
                continue
            prices.append(Fetched("ec2", name, region, "on_demand", "hour", value, note))
    return Read(prices)


RESERVED_CLASSES = {
    "ec2-reservedinstance": "standard",
    "ec2-reservedinstance-convertible": "convertible",
}
"""Reserved-instance map (`manifest.source`) -> offering class, as the usage file names it."""

RESERVED_TERMS = {"1yr": "1_year", "3yr": "3_year"}
RESERVED_PAYMENTS = {"No Upfront": "no_upfront"}
"""Lease lengths and payment options read; partial and all upfront are not in these maps
(yeo/ec2.shop fetches No Upfront only), and would need the upfront fee besides the rate."""


def reserved_kind(offering: str, term: str, payment: str) -> str:
    """Catalog price kind of a reserved rate: `reserved_standard_1_year_no_upfront`. The one
    place the usage file's three `reserved_instance_*` values become a kind."""
    return f"reserved_{offering}_{term}_{payment}"


def aws_metered_ec2_reserved_json(path: Path, dump: Dump, known: Known) -> Read:
    """One region's EC2 reserved-instance map of one offering class and term
    (`ec2-reservedinstance[-convertible]/<term>/No Upfront/<location>/Linux/Shared`): per
    instance type the effective hourly rate of a shared-tenancy Linux reservation, as kind
    `reserved_<class>_<term>_<payment>`. Types the catalog does not know are skipped, and so
    are the P4/P5 rates the June 2025 cut replaced (`JUNE_2025_CUT`)."""
    from costgate.pricing.build import Read

    data = _load(path)
    source = str(data["manifest"].get("source", ""))
    offering = RESERVED_CLASSES.get(source)
    if offering is None:
        raise CatalogError(f"not a reserved-instance price map: {source!r}", path=str(path))
    note = _note(dump)
    prices: list[Fetched] = []
    for region, items in _regions(data):
        for item in items.values():
            if not isinstance(item, Mapping) or not _plain_linux(item):
                continue
            term = RESERVED_TERMS.get(str(item.get("LeaseContractLength")))
            payment = RESERVED_PAYMENTS.get(str(item.get("PurchaseOption")))
            name = str(item.get("Instance Type", ""))
            if term is None or payment is None or item.get("Tenancy") != "Shared":
                continue
            value = _price(item)
            if value is None:
                continue
            if value <= 0 or not known("ec2", name) or JUNE_2025_CUT.match(name):
                continue
            kind = reserved_kind(offering, term, payment)
            prices.append(Fetched("ec2", name, region, kind, "hour", value, note))
    return Read(prices)


def _scaled(scale: Decimal) -> str:
    """How a meter price was turned into the catalog's unit, for the entry's note."""
    if scale > 1:
        return f" x {scale.normalize():f}"
    if scale < 1:
        return f" / {(1 / scale).normalize():f}"
    return ""


def _plain_linux(item: Mapping[str, Any]) -> bool:
    """Linux without SQL Server or other licensed software (what the catalog prices)."""
    return (
        item.get("Operating System") == "Linux"
        and item.get("Pre Installed S/W", "NA") == "NA"
        and item.get("License Model", "No License required") == "No License required"
    )
