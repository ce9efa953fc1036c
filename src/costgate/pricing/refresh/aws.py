"""AWS through boto3: the Pricing API (`get_products`) for on-demand Linux prices and EC2
`describe_spot_price_history` for Spot; SageMaker instance rates and EC2 Capacity Block rates
through `aws_ml`; EBS and S3 rates (`--types ebs,s3`, included by default) through
`aws_storage`. boto3 is imported only when a refresh runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from costgate.errors import CatalogError
from costgate.extras import require
from costgate.pricing.refresh import Fetched, Request
from costgate.pricing.refresh.aws_ml import (
    capacity_block_prices,
    hourly_usd,
    number,
    product_document,
    sagemaker_prices,
    split_types,
)
from costgate.pricing.refresh.aws_storage import STORAGE_TYPES, storage_prices

if TYPE_CHECKING:
    from costgate.pricing.catalog import Catalog

SOURCE_ID = "aws-price-list-api"
DESCRIPTION = (
    "AWS Price List Query API (pricing:GetProducts, AmazonEC2, Linux, shared "
    "tenancy, no pre-installed software) for on-demand; EC2 DescribeSpotPriceHistory "
    "(Linux/UNIX) for Spot, the highest current price across the region's AZs. "
    "SageMaker (`ml.` types): Price List API AmazonSageMaker by usagetype "
    "(<region>-Train:, -Host:, -Notebk:) for training, hosting and notebook instances. "
    "Capacity Blocks: EC2 DescribeCapacityBlockOfferings (1 instance, 24 h from the refresh "
    "date), UpfrontFee / (hours x instances), the highest offering kept; offerings vary by date. "
    "EBS (`ebs`): Price List API AmazonEC2 families Storage, System Operation, Provisioned "
    "Throughput and Storage Snapshot by usagetype (EBS:VolumeUsage.<type>, "
    "EBS:VolumeP-IOPS.<type>[.tierN], EBS:VolumeP-Throughput.gp3, EBS:VolumeIOUsage, "
    "EBS:SnapshotUsage). S3 (`s3`): Price List API AmazonS3 (and AmazonS3GlacierDeepArchive "
    "for what AmazonS3 lacks) by usagetype (TimedStorage-*-ByteHrs, Requests-*-Tier1/2, "
    "Retrieval-*, Select-*-Bytes, Monitoring-Automation-INT) and lifecycle-transition "
    "operation (S3-*Transition); tiers from beginRange."
)
PRICING_REGION = "us-east-1"
WHAT = "`costgate pricing refresh aws`"
"""The feature named when the `refresh` extra (boto3) is missing."""
PRICE_LIST_URL = f"https://api.pricing.{PRICING_REGION}.amazonaws.com"

ClientFactory = Callable[[str, str], Any]
"""(service name, region) -> a boto3 client; tests pass clients wrapped in botocore Stubber
or clients of a loopback server (`AWS_ENDPOINT_URL_PRICING` / `AWS_ENDPOINT_URL_EC2`)."""


def default_clients(service: str, region: str) -> Any:
    """A boto3 client from the standard credential chain."""
    boto3 = require("boto3", "refresh", WHAT)
    return boto3.session.Session().client(service, region_name=region)


def _filters(region: str, instance_type: str) -> list[dict[str, str]]:
    pairs = {
        "instanceType": instance_type,
        "regionCode": region,
        "operatingSystem": "Linux",
        "tenancy": "Shared",
        "preInstalledSw": "NA",
        "capacitystatus": "Used",
        "licenseModel": "No License required",
    }
    return [{"Type": "TERM_MATCH", "Field": k, "Value": v} for k, v in pairs.items()]


def on_demand_price(document: str) -> Decimal | None:
    """The hourly USD price in one Price List product document (a JSON string); None for a
    Capacity Block row (`marketoption` CapacityBlock), which is not an on-demand rate."""
    product = product_document(document)
    if product.get("product", {}).get("attributes", {}).get("marketoption") == "CapacityBlock":
        return None
    return hourly_usd(product)


def _call(what: str, action: Callable[[], list[Fetched]]) -> list[Fetched]:
    from botocore.exceptions import (  # type: ignore[import-untyped]
        BotoCoreError,
        ClientError,
        EndpointConnectionError,
        NoCredentialsError,
        NoRegionError,
    )

    try:
        return action()
    except NoCredentialsError as exc:
        raise CatalogError(
            "no AWS credentials found (environment, shared config, SSO or "
            "instance role); nothing written"
        ) from exc
    except EndpointConnectionError as exc:
        raise CatalogError(
            f"cannot reach the AWS {what} endpoint ({exc}); check the network; nothing written"
        ) from exc
    except NoRegionError as exc:
        raise CatalogError(f"AWS {what}: {exc}") from exc
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise CatalogError(
            f"AWS {what} refused the request: {error.get('Code')}: "
            f"{error.get('Message')}; nothing written"
        ) from exc
    except BotoCoreError as exc:
        raise CatalogError(f"AWS {what} failed: {exc}; nothing written") from exc
    except ValueError as exc:  # aws_ml.number / product_document: a malformed answer
        raise CatalogError(
            f"AWS {what} returned a malformed answer: {exc}; nothing written"
        ) from exc


def fetch(
    request: Request, clients: ClientFactory = default_clients, now: dt.datetime | None = None
) -> list[Fetched]:
    """On-demand, Spot and Capacity Block prices for every requested region x EC2 type, and
    SageMaker training, hosting and notebook rates for every `ml.` type."""
    require("boto3", "refresh", WHAT)  # checked first: `_call` needs botocore even when stubbed
    storage = [t for t in request.types if t in STORAGE_TYPES]
    ec2_types, ml_types = split_types(t for t in request.types if t not in STORAGE_TYPES)
    ec2_request = replace(request, types=ec2_types)
    out: list[Fetched] = []
    if ec2_types:
        out += [
            *_call("Pricing API", lambda: _on_demand(ec2_request, clients)),
            *_call(
                "EC2 API",
                lambda: _spot(ec2_request, clients, now or dt.datetime.now(dt.timezone.utc)),
            ),
            *_call("EC2 API", lambda: _capacity_blocks(ec2_request, clients)),
        ]
    if ml_types:
        out += _call(
            "Pricing API",
            lambda: sagemaker_prices(clients("pricing", PRICING_REGION), request.regions, ml_types),
        )
    if storage:
        out += _call(
            "Pricing API",
            lambda: storage_prices(clients("pricing", PRICING_REGION), request.regions, storage),
        )
    return out


def _capacity_blocks(request: Request, clients: ClientFactory) -> list[Fetched]:
    return [
        price
        for region in request.regions
        for price in capacity_block_prices(clients("ec2", region), region, request.types)
    ]


def with_shipped_sagemaker(request: Request, shipped: Catalog) -> Request:
    """*request* plus the shipped catalog's SageMaker types and the storage services (`ebs`,
    `s3`) when its types are the defaults (no `--types`: the CLI's default request names only
    the EC2 compute types)."""
    if request.types_named:
        return request
    ml_types = [t for t in shipped.priced("aws", "sagemaker") if split_types([t])[1]]
    return replace(request, types=(*request.types, *ml_types, *STORAGE_TYPES))


def _on_demand(request: Request, clients: ClientFactory) -> list[Fetched]:
    pricing = clients("pricing", PRICING_REGION)
    paginator = pricing.get_paginator("get_products")
    out = []
    for region in request.regions:
        for instance_type in request.types:
            prices = {
                price
                for page in paginator.paginate(
                    ServiceCode="AmazonEC2", Filters=_filters(region, instance_type)
                )
                for document in page.get("PriceList", [])
                if (price := on_demand_price(document)) is not None
            }
            if len(prices) > 1:
                raise CatalogError(
                    f"AWS Pricing API returned {len(prices)} different on-demand "
                    f"prices for {instance_type} in {region}; nothing written"
                )
            if prices:
                out.append(
                    Fetched(
                        "ec2",
                        instance_type,
                        region,
                        "on_demand",
                        "hour",
                        prices.pop(),
                        "Price List API, Linux, shared tenancy",
                    )
                )
    return out


def _spot(request: Request, clients: ClientFactory, now: dt.datetime) -> list[Fetched]:
    out = []
    for region in request.regions:
        ec2 = clients("ec2", region)
        latest: dict[tuple[str, str], tuple[dt.datetime, Decimal]] = {}
        pages = ec2.get_paginator("describe_spot_price_history").paginate(
            InstanceTypes=list(request.types), ProductDescriptions=["Linux/UNIX"], StartTime=now
        )
        for page in pages:
            for item in page.get("SpotPriceHistory", []):
                key = (item["InstanceType"], item["AvailabilityZone"])
                if key not in latest or item["Timestamp"] > latest[key][0]:
                    latest[key] = (item["Timestamp"], number(item["SpotPrice"], "SpotPrice"))
        by_type: dict[str, list[Decimal]] = {}
        for (instance_type, _zone), (_, price) in latest.items():
            by_type.setdefault(instance_type, []).append(price)
        for instance_type, prices in sorted(by_type.items()):
            out.append(
                Fetched(
                    "ec2",
                    instance_type,
                    region,
                    "spot",
                    "hour",
                    max(prices),
                    f"highest of {len(prices)} AZ price(s)",
                )
            )
    return out


class AwsPriceList:
    """`costgate pricing refresh aws`: boto3 clients from the standard credential chain."""

    name = "aws"
    provider = "aws"
    source_id = SOURCE_ID
    description = DESCRIPTION

    def url(self) -> str:
        """The Price List Query API endpoint (Spot prices come from each region's EC2)."""
        return PRICE_LIST_URL

    def fetch(self, request: Request, shipped: Catalog) -> list[Fetched]:
        """On-demand, Spot, Capacity Block, SageMaker, EBS and S3 prices; the shipped
        catalog gives the default SageMaker types."""
        return fetch(with_shipped_sagemaker(request, shipped))


SOURCE = AwsPriceList()
