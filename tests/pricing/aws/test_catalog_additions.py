"""Facts added to the AWS catalog on 2026-11-25, pinned to their sources and priced by hand.

S3 STANDARD tiers come from the AWS S3 offer file (version 20260728131000); the us-east-1
SageMaker rates from the AmazonSageMaker bulk CSV published 2026-09-24. The 2026-11-26 additions
(us-west-2 and eu-west-1 gp3, eu-west-1 io2 storage and S3 classes, us-east-1 ml.m5.xlarge
hosting) are second-hand Price List reads; gaps next to them must stay unpriced. See
pricing/README.md.
"""

from __future__ import annotations

from decimal import Decimal

from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import make_resource, usage

D = Decimal


def test_s3_standard_has_the_three_offer_file_tiers(catalog: Catalog) -> None:
    tiers = catalog.tiers("aws", "s3", "STANDARD", "us-east-1", "storage")
    assert [(t.tier_start, t.price) for t in tiers] == [
        (D(0), D("0.023")),
        (D(51200), D("0.022")),
        (D(512000), D("0.021")),
    ]


def test_bucket_above_500_tb_is_billed_per_tier(catalog: Catalog) -> None:
    bucket = make_resource("aws_s3_bucket", {"bucket": "lake"}, address="aws_s3_bucket.lake")
    (p,) = price_resources(
        (bucket,), catalog, usage({"aws_s3_bucket.lake": {"storage_gb": 600000}})
    )
    by_price = {c.unit_price: c.quantity for c in p.cost_lines}
    # 51,200 GB at 0.023, the next 460,800 GB at 0.022, the last 88,000 GB at 0.021.
    assert by_price == {D("0.023"): D(51200), D("0.022"): D(460800), D("0.021"): D(88000)}
    assert p.monthly_cost == D("1177.6") + D("10137.6") + D("1848")


def test_us_east_1_sagemaker_rates_from_the_bulk_csv(catalog: Catalog) -> None:
    def rate(product: str, kind: str) -> Decimal | None:
        entry = catalog.price("aws", "sagemaker", product, "us-east-1", kind)
        return None if entry is None else entry.price

    assert rate("ml.t3.medium", "notebook") == D("0.05")
    assert rate("ml.m5.xlarge", "notebook") == rate("ml.m5.xlarge", "training") == D("0.23")
    assert rate("ml.g4dn.xlarge", "notebook") == rate("ml.g4dn.xlarge", "training") == D("0.736")
    # The CSV prices a g5.xlarge notebook and training job differently.
    assert (rate("ml.g5.xlarge", "notebook"), rate("ml.g5.xlarge", "training")) == (
        D("1.41"),
        D("1.408"),
    )
    assert rate("ml.g6.xlarge", "notebook") == rate("ml.g6.xlarge", "training") == D("1.127")
    # No sourced us-east-1 hosting or P4/P5 rates: these stay gaps, never guesses.
    assert rate("ml.g5.xlarge", "hosting") is None
    assert rate("ml.p4d.24xlarge", "training") is None


def test_us_east_1_notebook_prices_hours_and_notes_the_unsourced_storage(catalog: Catalog) -> None:
    notebook = make_resource(
        "aws_sagemaker_notebook_instance", {"instance_type": "ml.g5.xlarge", "volume_size": 50}
    )
    (p,) = price_resources((notebook,), catalog, usage())
    assert p.monthly_cost == 730 * D("1.41")
    assert p.partial and any("ML storage (50 GB) not priced" in n for n in p.missing)


# --- Added 2026-11-26: regional EBS/S3 and us-east-1 hosting (see pricing/README.md) ---


def test_gp3_volume_in_us_west_2_is_1000_times_the_oregon_price(catalog: Catalog) -> None:
    assert catalog.price("aws", "ebs", "gp3", "us-west-2", "storage").price == D("0.08")
    volume = make_resource("aws_ebs_volume", {"type": "gp3", "size": 1000}, region="us-west-2")
    (p,) = price_resources((volume,), catalog, usage())
    assert p.monthly_cost == D("80.00")  # 1,000 GB x $0.08 (USW2-EBS:VolumeUsage.gp3)
    assert [(c.quantity, c.unit_price) for c in p.cost_lines] == [(D(1000), D("0.08"))]


def test_gp3_volume_in_eu_west_1_uses_the_ireland_price(catalog: Catalog) -> None:
    volume = make_resource("aws_ebs_volume", {"type": "gp3", "size": 1000}, region="eu-west-1")
    (p,) = price_resources((volume,), catalog, usage())
    assert p.monthly_cost == D("88.000")  # 1,000 GB x $0.088, not the us-east-1 $0.08


def test_eu_west_1_gp3_extra_iops_use_the_regional_rate(catalog: Catalog) -> None:
    # EBS pricing-page map (2024-07-18), EU (Ireland): gp3 $0.088/GB-month, $0.0055/IOPS-month
    volume = make_resource(
        "aws_ebs_volume", {"type": "gp3", "size": 100, "iops": 6000}, region="eu-west-1"
    )
    (p,) = price_resources((volume,), catalog, usage())
    # 100 GB x 0.088 = 8.80; (6,000 - 3,000 free) x 0.0055 = 16.50
    assert p.monthly_cost == D("25.30")


def test_gp2_in_a_region_the_ebs_map_predates_stays_unpriced(catalog: Catalog) -> None:
    # Mexico (Central) opened after the July 2024 EBS map: no gp2 price, never borrowed.
    volume = make_resource("aws_ebs_volume", {"type": "gp2", "size": 100}, region="mx-central-1")
    (p,) = price_resources((volume,), catalog, usage())
    assert not p.priced
    assert p.unpriced_reason is not None
    assert p.unpriced_reason.startswith("no ebs price for gp2 in mx-central-1")


def test_io2_iops_above_32000_use_the_second_tier(catalog: Catalog) -> None:
    volume = make_resource(
        "aws_ebs_volume", {"type": "io2", "size": 100, "iops": 40000}, region="eu-west-1"
    )
    (p,) = price_resources((volume,), catalog, usage())
    # 100 GB x 0.138 = 13.80; 32,000 IOPS x 0.072 = 2,304.00; 8,000 x 0.0504 = 403.20
    assert p.monthly_cost == D("2721.00")
    assert catalog.price("aws", "ebs", "io2", "eu-west-1", "storage").price == D("0.138")


def test_eu_west_1_bucket_with_standard_ia_after_30_days(catalog: Catalog) -> None:
    bucket = make_resource(
        "aws_s3_bucket", {"bucket": "logs"}, address="aws_s3_bucket.logs", region="eu-west-1"
    )
    config = make_resource(
        "aws_s3_bucket_lifecycle_configuration",
        {
            "rule": [
                {
                    "id": "ia",
                    "status": "Enabled",
                    "transition": [{"days": 30, "storage_class": "STANDARD_IA"}],
                    "expiration": [{"days": 90}],
                }
            ]
        },
        address="aws_s3_bucket_lifecycle_configuration.logs",
        region="eu-west-1",
        references={"bucket": ("aws_s3_bucket.logs",)},
    )
    priced = price_resources(
        (bucket, config), catalog, usage({"aws_s3_bucket.logs": {"storage_gb": 9000}})
    )
    (p,) = [r for r in priced if r.resource.address == "aws_s3_bucket.logs"]
    # 30/90 of 9,000 GB in STANDARD at $0.023, 60/90 in STANDARD_IA at $0.0125.
    assert p.monthly_cost == 3000 * D("0.023") + 6000 * D("0.0125")
    assert any("transition requests not priced" in n for n in p.notes)


def test_us_east_1_endpoint_on_ml_m5_xlarge_uses_the_hosting_rate(catalog: Catalog) -> None:
    endpoint = make_resource(
        "aws_sagemaker_endpoint_configuration",
        {
            "production_variants": [
                {"variant_name": "a", "instance_type": "ml.m5.xlarge", "initial_instance_count": 2}
            ]
        },
    )
    (p,) = price_resources((endpoint,), catalog, usage())
    assert p.monthly_cost == 2 * 730 * D("0.23")
    gpu = make_resource(
        "aws_sagemaker_endpoint_configuration",
        {
            "production_variants": [
                {"variant_name": "a", "instance_type": "ml.g5.xlarge", "initial_instance_count": 1}
            ]
        },
    )
    (g,) = price_resources((gpu,), catalog, usage())
    assert g.unpriced_reason == "no hosting price for sagemaker ml.g5.xlarge in us-east-1"
