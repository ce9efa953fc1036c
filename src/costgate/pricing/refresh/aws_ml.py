"""Managed-ML and reserved-GPU prices for `costgate pricing refresh aws`: SageMaker instance
rates from the Price List Query API and EC2 Capacity Block rates from
DescribeCapacityBlockOfferings. No dated public dump covers either (pricing/README.md), so a
refresh on a machine with AWS access is how they reach the catalog.

The clients are passed in (boto3's or a test's); botocore is imported only for its error
type, when Capacity Blocks are asked for.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from costgate.errors import CatalogError
from costgate.pricing.refresh import Fetched

SAGEMAKER_SERVICE_CODE = "AmazonSageMaker"
SAGEMAKER_PREFIX = "ml."
"""SageMaker instance types are EC2 types with this prefix (`ml.g5.xlarge`)."""

SAGEMAKER_USAGE = {"Train": "training", "Host": "hosting", "Notebk": "notebook"}
"""Price List `usagetype` `<region code>-<usage>:<instance>` (e.g. `USE1-Train:ml.g5.xlarge`,
`USE1-Host:ml.m5.xlarge`, `USE1-Notebk:ml.t3.medium`) -> the catalog kind the SageMaker
pricers look up. Other usages of the same instance (Studio apps, processing, batch
transform, training-plan fees) are not these rates and are skipped."""

ML_STORAGE_USAGE = "Notebk:VolumeUsage.gp2"
"""`usagetype` `<region code>-Notebk:VolumeUsage.gp2` (product family Storage, per GB-Mo): a
notebook instance's ML storage volume, the catalog's `ml-storage` `storage` price."""

CAPACITY_BLOCK_TYPES = frozenset(
    {
        "p4d.24xlarge",
        "p4de.24xlarge",
        "p5.4xlarge",
        "p5.48xlarge",
        "p5e.48xlarge",
        "p5en.48xlarge",
        "p6-b200.48xlarge",
        "p6e-gb200.36xlarge",
        "trn1.32xlarge",
        "trn2.48xlarge",
    }
)
"""Instance types sold as Capacity Blocks for ML (the ReservedCapacityInstanceType values of
the SageMaker API model in botocore, the same GPU/Trainium types EC2 offers as blocks);
DescribeCapacityBlockOfferings is asked only about these."""

CAPACITY_BLOCK_PROBE_HOURS = 24
"""The block asked for: the shortest a block can be (1 day) for one instance; the API wants a
duration, and the per-instance-hour rate is what the catalog keeps."""

NOT_OFFERED = frozenset({"InvalidParameterValue", "InvalidInstanceType", "Unsupported"})
"""EC2 error codes meaning "no Capacity Blocks of this type here": that type stays unpriced
in that region instead of failing the whole refresh."""


def number(value: Any, what: str) -> Decimal:
    """A Price List figure as a finite Decimal; ValueError naming it otherwise (the refresh
    reports it as a malformed answer, exit 2, instead of an internal error)."""
    try:
        result = Decimal(str(value))
    except decimal.InvalidOperation:
        result = Decimal("NaN")
    if not result.is_finite():
        raise ValueError(f"{what} {value!r} is not a number")
    return result


def product_document(text: Any) -> dict[str, Any]:
    """One `PriceList` entry (a JSON string) as a dict; ValueError when it is not one."""
    try:
        document = json.loads(text)
    except (TypeError, ValueError):
        document = None
    if not isinstance(document, dict):
        raise ValueError(f"not a JSON product document: {str(text)[:60]!r}")
    return document


def hourly_usd(product: Mapping[str, Any], unit: str = "Hrs") -> Decimal | None:
    """The USD on-demand price per *unit* (Price List spelling: Hrs, GB-Mo) of one Price
    List product, if it has one above 0."""
    for term in (product.get("terms", {}).get("OnDemand") or {}).values():
        for dimension in (term.get("priceDimensions") or {}).values():
            usd = dimension.get("pricePerUnit", {}).get("USD")
            if dimension.get("unit") == unit and usd is not None:
                if (price := number(usd, "USD price")) > 0:
                    return price
    return None


def split_types(types: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(EC2 types, SageMaker `ml.` types) of a request."""
    names = tuple(types)
    return (
        tuple(t for t in names if not t.startswith(SAGEMAKER_PREFIX)),
        tuple(t for t in names if t.startswith(SAGEMAKER_PREFIX)),
    )


def sagemaker_kind(usagetype: str, instance_type: str) -> str | None:
    """The catalog kind of a SageMaker `usagetype`, or None when it is not one of the three
    instance-hour rates of *instance_type*."""
    _, _, usage = usagetype.partition("-")
    name, _, instance = usage.partition(":")
    return SAGEMAKER_USAGE.get(name) if instance == instance_type else None


def products(paginator: Any, code: str, filters: Mapping[str, str]) -> Iterator[dict[str, Any]]:
    """Every Price List product of service *code* matching *filters* (TERM_MATCH), all pages
    (SageMaker here, EBS and S3 in `aws_storage`)."""
    pages = paginator.paginate(
        ServiceCode=code,
        Filters=[{"Type": "TERM_MATCH", "Field": k, "Value": v} for k, v in filters.items()],
    )
    for page in pages:
        for document in page.get("PriceList", []):
            yield product_document(document)


def _usagetype(product: Mapping[str, Any]) -> str:
    return str(product.get("product", {}).get("attributes", {}).get("usagetype") or "")


def ml_storage_price(paginator: Any, region: str) -> Fetched | None:
    """The notebook ML storage rate per GB-month in *region*, if the API lists one."""
    prices = {
        price
        for product in products(
            paginator, SAGEMAKER_SERVICE_CODE, {"regionCode": region, "productFamily": "Storage"}
        )
        if _usagetype(product).partition("-")[2] == ML_STORAGE_USAGE
        and (price := hourly_usd(product, "GB-Mo")) is not None
    }
    if len(prices) > 1:
        raise CatalogError(
            f"AWS Pricing API returned {len(prices)} different notebook ML storage prices "
            f"in {region}; nothing written"
        )
    if not prices:
        return None
    return Fetched(
        "sagemaker",
        "ml-storage",
        region,
        "storage",
        "GB-month",
        prices.pop(),
        f"Price List API AmazonSageMaker, usagetype <region>-{ML_STORAGE_USAGE}",
    )


def sagemaker_prices(pricing: Any, regions: Iterable[str], types: Iterable[str]) -> list[Fetched]:
    """Training, hosting and notebook-instance rates of each region x `ml.` type, and each
    region's notebook ML storage rate."""
    paginator = pricing.get_paginator("get_products")
    out = []
    for region in regions:
        storage = ml_storage_price(paginator, region)
        if storage is not None:
            out.append(storage)
        for instance_type in types:
            found: dict[str, dict[Decimal, str]] = {}
            filters = {"regionCode": region, "instanceName": instance_type}
            for product in products(paginator, SAGEMAKER_SERVICE_CODE, filters):
                usagetype = _usagetype(product)
                kind = sagemaker_kind(usagetype, instance_type)
                price = hourly_usd(product)
                if kind is not None and price is not None:
                    found.setdefault(kind, {})[price] = usagetype
            for kind, prices in sorted(found.items()):
                if len(prices) > 1:
                    raise CatalogError(
                        f"AWS Pricing API returned {len(prices)} different {kind} prices for "
                        f"{instance_type} in {region} ({', '.join(sorted(set(prices.values())))})"
                        "; nothing written"
                    )
                ((price, usagetype),) = prices.items()
                out.append(
                    Fetched(
                        "sagemaker",
                        instance_type,
                        region,
                        kind,
                        "hour",
                        price,
                        f"Price List API AmazonSageMaker, usagetype {usagetype}",
                    )
                )
    return out


def capacity_block_rate(offering: Mapping[str, Any]) -> Decimal | None:
    """Per-instance-hour USD rate of one offering: UpfrontFee / (duration hours x count);
    None when the offering is not in USD or has no duration, count or fee."""
    if offering.get("CurrencyCode", "USD") != "USD" or offering.get("UpfrontFee") is None:
        return None
    hours = Decimal(offering.get("CapacityBlockDurationHours") or 0) + Decimal(
        offering.get("CapacityBlockDurationMinutes") or 0
    ) / Decimal(60)
    count = Decimal(offering.get("InstanceCount") or 0)
    fee = number(offering["UpfrontFee"], "UpfrontFee")
    if hours <= 0 or count <= 0 or fee <= 0:
        return None
    return fee / (hours * count)


def _offering_note(offering: Mapping[str, Any], rate_count: int) -> str:
    start = offering.get("StartDate")
    when = start.date().isoformat() if isinstance(start, dt.datetime) else str(start)
    return (
        f"Capacity Block offering {offering.get('CapacityBlockOfferingId')} in "
        f"{offering.get('AvailabilityZone')} starting {when}: UpfrontFee "
        f"{offering['UpfrontFee']} USD for {offering.get('InstanceCount')} instance(s) x "
        f"{offering.get('CapacityBlockDurationHours')} h; the highest per-instance-hour rate "
        f"of {rate_count} offering(s). Block rates vary by start date and are fixed at purchase."
    )


OFFERINGS = "describe_capacity_block_offerings"
MAX_OFFERING_PAGES = 100


def _offering_pages(ec2: Any, **params: Any) -> Iterator[Mapping[str, Any]]:
    """DescribeCapacityBlockOfferings pages: boto3's paginator, or NextToken by hand on a
    botocore that has the operation but no paginator for it."""
    if ec2.can_paginate(OFFERINGS):
        yield from ec2.get_paginator(OFFERINGS).paginate(**params)
        return
    token = None
    for _ in range(MAX_OFFERING_PAGES):
        page = getattr(ec2, OFFERINGS)(**params, **({"NextToken": token} if token else {}))
        yield page
        token = page.get("NextToken")
        if not token:
            return
    raise CatalogError(f"AWS EC2 API returned more than {MAX_OFFERING_PAGES} pages of offerings")


def capacity_block_prices(ec2: Any, region: str, types: Iterable[str]) -> list[Fetched]:
    """The highest per-instance-hour Capacity Block rate offered for each type in *region*
    (one instance, one day, starting from now). None with a botocore older than the
    operation (boto3 >= 1.28 is allowed): the blocks stay unpriced, the rest is fetched."""
    from botocore.exceptions import ClientError  # type: ignore[import-untyped]

    if not ec2.can_paginate(OFFERINGS) and not hasattr(ec2, OFFERINGS):
        return []
    out = []
    for instance_type in sorted(set(types) & CAPACITY_BLOCK_TYPES):
        pages = _offering_pages(
            ec2,
            InstanceType=instance_type,
            InstanceCount=1,
            CapacityDurationHours=CAPACITY_BLOCK_PROBE_HOURS,
        )
        try:
            offerings = [o for page in pages for o in page.get("CapacityBlockOfferings", [])]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in NOT_OFFERED:
                continue
            raise
        rated = [(rate, o) for o in offerings if (rate := capacity_block_rate(o)) is not None]
        if not rated:
            continue
        rate, offering = max(rated, key=lambda pair: pair[0])
        out.append(
            Fetched(
                "ec2",
                instance_type,
                region,
                "capacity_block",
                "hour",
                rate,
                _offering_note(offering, len(rated)),
            )
        )
    return out
