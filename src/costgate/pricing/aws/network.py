"""Elastic IPs, Route 53 hosted zones and VPC endpoints: hourly or monthly fees for what
they hold, plus the traffic or queries the usage file names."""

from __future__ import annotations

from decimal import Decimal

from costgate.facts.values import text
from costgate.model import is_unknown
from costgate.pricing.build_aws import ROUTE53_REGION
from costgate.pricing.quote import Quote, Unpriceable

PER_MILLION = Decimal(1_000_000)


def price_eip(q: Quote) -> None:
    """Every AWS-provided public IPv4 address, attached or idle, bills by the hour (since
    2024-02-01); addresses from your own pool (BYOIP) do not."""
    pool = text(q.resource.attr("public_ipv4_pool"))
    if pool and pool != "amazon":
        q.free(f"an address from your own IPv4 pool ({pool}): BYOIP addresses are not billed")
        return
    q.add("Public IPv4 address", q.hours(), "vpc", "public_ipv4", "in_use")


def price_route53_zone(q: Quote) -> None:
    """$/month per hosted zone (public or private; the rate for the first 25 zones of the
    account), plus standard queries per million (`monthly_queries`)."""
    q.add("Hosted zone", Decimal(1), "route53", "hosted_zone", "storage", region=ROUTE53_REGION)
    q.note("hosted zone at the rate of the account's first 25 zones (lower beyond 25)")
    q.add_usage(
        "DNS queries",
        "monthly_queries",
        "route53",
        "queries",
        "standard",
        per=PER_MILLION,
        region=ROUTE53_REGION,
    )


ENDPOINT_PRODUCTS = {"Interface": "interface", "GatewayLoadBalancer": "gateway_load_balancer"}
"""Endpoint types billed per AZ-hour and GB processed, by their catalog product."""


def price_vpc_endpoint(q: Quote) -> None:
    """Gateway endpoints (S3, DynamoDB) are free; interface and Gateway Load Balancer
    endpoints bill per hour in each subnet (Availability Zone), plus GB processed
    (`monthly_data_processed_gb`). Other types (Resource, ServiceNetwork) are unpriced."""
    kind = q.setting("vpc_endpoint_type", "Gateway")
    if kind == "Gateway":
        q.free("gateway VPC endpoints (S3, DynamoDB) have no charge")
        return
    product = ENDPOINT_PRODUCTS.get(kind)
    if product is None:
        raise Unpriceable(f"vpc_endpoint_type {kind!r}: its rates are not in the pricing catalog")
    subnets = q.resource.attr("subnet_ids")
    with q.component(f"{kind} endpoint"):
        if not isinstance(subnets, tuple) or not subnets or any(is_unknown(s) for s in subnets):
            raise Unpriceable("its subnets (one per AZ) are unknown until apply")
        zones = Decimal(len(subnets))
        q.add(f"{kind} endpoint ({zones} AZ)", q.hours() * zones, "vpce", product, "endpoint_hours")
    q.add_usage("Data processed", "monthly_data_processed_gb", "vpce", product, "data_processed")


def price_nat_gateway(q: Quote) -> None:
    """Gateway hours (public or private) and GB processed (`monthly_data_processed_gb`);
    a public gateway's Elastic IP is priced as its `aws_eip`, data transfer out is not
    priced."""
    q.add("NAT gateway", q.hours(), "vpc", "nat_gateway", "hours")
    q.add_usage(
        "Data processed", "monthly_data_processed_gb", "vpc", "nat_gateway", "data_processed"
    )
