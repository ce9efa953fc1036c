"""Facts added to the AWS catalog on 2026-11-25, pinned to their sources and priced by hand.

S3 STANDARD tiers come from the AWS S3 offer file (version 20260728131000); the us-east-1
SageMaker rates from the AmazonSageMaker bulk CSV published 2026-09-24. See pricing/README.md.
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
        (D(0), D("0.023")), (D(51200), D("0.022")), (D(512000), D("0.021")),
    ]


def test_bucket_above_500_tb_is_billed_per_tier(catalog: Catalog) -> None:
    bucket = make_resource("aws_s3_bucket", {"bucket": "lake"}, address="aws_s3_bucket.lake")
    (p,) = price_resources((bucket,), catalog,
                           usage({"aws_s3_bucket.lake": {"storage_gb": 600000}}))
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
        D("1.41"), D("1.408"))
    assert rate("ml.g6.xlarge", "notebook") == rate("ml.g6.xlarge", "training") == D("1.127")
    # No sourced us-east-1 hosting or P4/P5 rates: these stay gaps, never guesses.
    assert rate("ml.g5.xlarge", "hosting") is None
    assert rate("ml.p4d.24xlarge", "training") is None


def test_us_east_1_notebook_prices_hours_and_notes_the_unsourced_storage(
        catalog: Catalog) -> None:
    notebook = make_resource("aws_sagemaker_notebook_instance",
                             {"instance_type": "ml.g5.xlarge", "volume_size": 50})
    (p,) = price_resources((notebook,), catalog, usage())
    assert p.monthly_cost == 730 * D("1.41")
    assert any("ML storage (50 GB) not priced" in n for n in p.notes)
