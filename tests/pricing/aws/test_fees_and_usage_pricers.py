"""AWS types priced by a fixed fee and by the usage file (KMS, Secrets Manager, Private CA,
ACM, Elastic IP, Route 53, VPC endpoints, CloudWatch Logs, SQS, capacity reservations, S3
features). Prices come from the catalog and are checked against hand-computed figures
(730 hours a month)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from costgate.model import PricedResource
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import make_resource, usage


def _price(
    catalog: Catalog,
    type_: str,
    attributes: dict[str, Any],
    use: dict[str, Any] | None = None,
    region: str = "us-east-1",
) -> PricedResource:
    resource = make_resource(type_, attributes, region=region)
    resources = {resource.address: use} if use else {}
    (priced,) = price_resources((resource,), catalog, usage(resources))
    return priced


def _lines(priced: PricedResource) -> dict[str, Decimal]:
    return {line.name: line.monthly_cost for line in priced.cost_lines}


def test_kms_key_is_one_dollar_a_month_plus_requests(catalog: Catalog) -> None:
    priced = _price(catalog, "aws_kms_key", {}, {"monthly_requests": 100_000})
    # $1.00 a key; 100,000 requests = 10 x 10k at $0.03 = $0.30
    assert _lines(priced) == {
        "Customer managed key": Decimal("1.00"),
        "API requests": Decimal("0.30"),
    }
    assert priced.monthly_cost == Decimal("1.30")


def test_kms_requests_without_usage_are_usage_unknown_not_zero(catalog: Catalog) -> None:
    priced = _price(catalog, "aws_kms_key", {"enable_key_rotation": True}, region="eu-west-1")
    assert priced.monthly_cost == Decimal("1.00")
    assert priced.missing == (
        "API requests not priced: usage unknown: set `monthly_requests` in the usage file",
    )
    assert any("rotation" in n for n in priced.notes)


def test_secret_and_its_replicas_are_billed_each(catalog: Catalog) -> None:
    priced = _price(
        catalog,
        "aws_secretsmanager_secret",
        {"replica": [{"region": "eu-west-1"}, {"region": "us-west-2"}]},
        {"monthly_requests": 50_000},
        region="us-west-2",
    )
    # 3 secrets x $0.40 = $1.20; 50,000 calls = 5 x $0.05 = $0.25
    assert _lines(priced) == {
        "Secret (with 2 replica(s))": Decimal("1.20"),
        "API calls": Decimal("0.25"),
    }


def test_private_ca_by_usage_mode(catalog: Catalog) -> None:
    general = _price(catalog, "aws_acmpca_certificate_authority", {})
    short = _price(
        catalog, "aws_acmpca_certificate_authority", {"usage_mode": "SHORT_LIVED_CERTIFICATE"}
    )
    assert general.monthly_cost == Decimal("400.00")
    assert short.monthly_cost == Decimal("50.00")


def test_certificates_one_time_or_free(catalog: Catalog) -> None:
    public = _price(catalog, "aws_acm_certificate", {"domain_name": "example.com"})
    private = _price(catalog, "aws_acm_certificate", {"certificate_authority_arn": "arn:x"})
    pca_cert = _price(catalog, "aws_acmpca_certificate", {})
    assert public.free and public.notes[0] == "public ACM certificates have no charge"
    assert private.unpriced_reason and "one-time" in private.unpriced_reason
    assert pca_cert.unpriced_reason and "one-time" in pca_cert.unpriced_reason


def test_elastic_ip_bills_every_hour_unless_byoip(catalog: Catalog) -> None:
    eip = _price(catalog, "aws_eip", {"domain": "vpc"})
    byoip = _price(catalog, "aws_eip", {"public_ipv4_pool": "ipv4pool-ec2-123"})
    # 730 h x $0.005 = $3.65
    assert eip.monthly_cost == Decimal("3.65")
    assert byoip.free


def test_route53_zone_fee_and_tiered_queries(catalog: Catalog) -> None:
    priced = _price(
        catalog,
        "aws_route53_zone",
        {"name": "example.com"},
        {"monthly_queries": 2_000_000_000},
        region="ap-southeast-1",  # a global service: priced at its us-east-1 rates anywhere
    )
    # $0.50 a zone; 2,000 M queries: first 1,000 M x $0.40 + next 1,000 M x $0.20 = $600
    assert _lines(priced) == {
        "Hosted zone": Decimal("0.50"),
        "DNS queries": Decimal("400"),
        "DNS queries (tier from 1000 1M queries)": Decimal("200"),
    }
    assert priced.monthly_cost == Decimal("600.50")
    assert not priced.missing


def test_kms_key_in_eu_central_1(catalog: Catalog) -> None:
    priced = _price(catalog, "aws_kms_key", {}, {"monthly_requests": 50_000}, "eu-central-1")
    # $1.00 a key; 50,000 requests = 5 x 10k at $0.03 = $0.15 (the 2025-08-28 pricing-page map)
    assert _lines(priced) == {
        "Customer managed key": Decimal("1.00"),
        "API requests": Decimal("0.15"),
    }
    assert priced.monthly_cost == Decimal("1.15")


def test_gateway_endpoint_is_free_interface_endpoint_bills_per_az(catalog: Catalog) -> None:
    gateway = _price(catalog, "aws_vpc_endpoint", {"service_name": "com.amazonaws.s3"})
    interface = _price(
        catalog,
        "aws_vpc_endpoint",
        {"vpc_endpoint_type": "Interface", "subnet_ids": ["a", "b"]},
        {"monthly_data_processed_gb": 100},
    )
    assert gateway.free and not gateway.cost_lines
    # 2 AZs x 730 h x $0.01 = $14.60; 100 GB x $0.01 = $1.00
    assert _lines(interface) == {
        "Interface endpoint (2 AZ)": Decimal("14.60"),
        "Data processed": Decimal("1.00"),
    }
    # GovCloud is not in the catalog: unpriced, with the reason
    elsewhere = _price(
        catalog,
        "aws_vpc_endpoint",
        {"vpc_endpoint_type": "Interface", "subnet_ids": ["a"]},
        region="us-gov-west-1",
    )
    assert elsewhere.unpriced_reason is not None
    assert elsewhere.unpriced_reason.startswith("no vpce price for interface in us-gov-west-1")


def test_log_group_is_all_usage(catalog: Catalog) -> None:
    priced = _price(
        catalog,
        "aws_cloudwatch_log_group",
        {"retention_in_days": 30},
        {"monthly_data_ingested_gb": 100, "storage_gb": 500},
    )
    # 100 GB x $0.50 = $50.00; 500 GB-month x $0.03 = $15.00
    assert _lines(priced) == {
        "Data ingested": Decimal("50.00"),
        "Archival storage": Decimal("15.00"),
    }
    bare = _price(catalog, "aws_cloudwatch_log_group", {})
    assert bare.unpriced_reason == "usage unknown: set `monthly_data_ingested_gb` in the usage file"


def test_sqs_standard_and_fifo_requests(catalog: Catalog) -> None:
    standard = _price(catalog, "aws_sqs_queue", {}, {"monthly_requests": 10_000_000})
    fifo = _price(catalog, "aws_sqs_queue", {"fifo_queue": True}, {"monthly_requests": 10_000_000})
    # 10 M requests x $0.40 / M = $4.00; FIFO x $0.50 / M = $5.00
    assert standard.monthly_cost == Decimal("4.00")
    assert fifo.monthly_cost == Decimal("5.00")
    assert _price(catalog, "aws_sqs_queue", {}).unpriced_reason == (
        "usage unknown: set `monthly_requests` in the usage file"
    )


def test_capacity_reservation_at_the_on_demand_rate(catalog: Catalog) -> None:
    rate = catalog.price("aws", "ec2", "t3.micro", "us-east-1", "on_demand")
    assert rate is not None and rate.price == Decimal("0.0104")
    priced = _price(
        catalog,
        "aws_ec2_capacity_reservation",
        {"instance_type": "t3.micro", "instance_count": 2, "instance_platform": "Linux/UNIX"},
    )
    # 2 x 730 h x $0.0104 = $15.184
    assert priced.monthly_cost == Decimal("15.184")
    unused = _price(
        catalog,
        "aws_ec2_capacity_reservation",
        {"instance_type": "t3.micro", "instance_count": 2},
        {"instances": 1},
    )
    assert unused.monthly_cost == Decimal("7.592")
    windows = _price(
        catalog,
        "aws_ec2_capacity_reservation",
        {"instance_type": "t3.micro", "instance_count": 1, "instance_platform": "Windows"},
    )
    assert windows.unpriced_reason and "Linux/UNIX" in windows.unpriced_reason


def test_s3_features_name_their_usage_and_missing_prices(catalog: Catalog) -> None:
    inventory = _price(catalog, "aws_s3_bucket_inventory", {"schedule": [{"frequency": "Daily"}]})
    assert inventory.unpriced_reason == "usage unknown: set `objects` in the usage file"
    listed = _price(
        catalog,
        "aws_s3_bucket_inventory",
        {"schedule": [{"frequency": "Daily"}]},
        {"objects": 3_000_000},
    )
    assert listed.unpriced_reason == "s3 'inventory' is not in the pricing catalog"
    disabled = _price(catalog, "aws_s3_bucket_inventory", {"enabled": False})
    assert disabled.free
    metric = _price(catalog, "aws_s3_bucket_metric", {"name": "all"})
    assert metric.unpriced_reason and "CloudWatch custom metrics" in metric.unpriced_reason
    suspended = _price(catalog, "aws_s3_bucket_accelerate_configuration", {"status": "Suspended"})
    assert suspended.free
    directory = _price(catalog, "aws_s3_directory_bucket", {})
    assert directory.unpriced_reason == "usage unknown: set `storage_gb` in the usage file"


def test_s3_object_is_priced_with_its_bucket(catalog: Catalog) -> None:
    priced = _price(catalog, "aws_s3_object", {"key": "a"})
    assert priced.free and "bucket's storage" in priced.notes[0]


def test_the_usage_file_accepts_the_new_keys(catalog: Catalog, tmp_path: Path) -> None:
    from costgate.usage import load_usage

    path = tmp_path / "usage.yml"
    path.write_text(
        "version: 1\n"
        "resources:\n"
        "  aws_kms_key.test: {monthly_requests: 20000}\n"
        "  aws_route53_zone.test: {monthly_queries: 1000000}\n"
        "  aws_cloudwatch_log_group.test: {monthly_data_ingested_gb: 1, storage_gb: 2}\n"
        "  aws_vpc_endpoint.test: {monthly_data_processed_gb: 3}\n"
        "  google_compute_router_nat.test: {assigned_vms: 4}\n"
        "  azurerm_key_vault.test: {monthly_operations: 5}\n"
        "  aws_s3_bucket_accelerate_configuration.test: {monthly_accelerated_gb: 6}\n"
    )
    use = load_usage(path)
    key = make_resource("aws_kms_key", {})
    (priced,) = price_resources((key,), catalog, use)
    # $1.00 + 2 x 10k requests x $0.03 = $1.06
    assert priced.monthly_cost == Decimal("1.06")


def test_an_unknown_choice_is_never_priced_as_the_default(catalog: Catalog) -> None:
    from costgate.model import UNKNOWN

    endpoint = _price(catalog, "aws_vpc_endpoint", {"vpc_endpoint_type": UNKNOWN})
    assert not endpoint.free  # not taken for a (free) gateway endpoint
    assert endpoint.unpriced_reason == "vpc_endpoint_type is unknown until apply"
    # usage_mode is Optional + Computed (unknown in every plan that leaves it unset): see
    # test_odd_attributes.py, priced as the default with a note


def test_nat_gateway_hours_and_gb_processed(catalog: Catalog) -> None:
    priced = _price(
        catalog, "aws_nat_gateway", {"subnet_id": "s"}, {"monthly_data_processed_gb": 500}
    )
    # 730 h x $0.045 = $32.85; 500 GB x $0.045 = $22.50
    assert _lines(priced) == {"NAT gateway": Decimal("32.85"), "Data processed": Decimal("22.50")}
    bare = _price(catalog, "aws_nat_gateway", {})
    assert bare.monthly_cost == Decimal("32.85")
    assert bare.missing == (
        "Data processed not priced: usage unknown: "
        "set `monthly_data_processed_gb` in the usage file",
    )
