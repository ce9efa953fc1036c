"""Prices built from the AWS dumps carry their dump as source (values as read in the dump
files at their commits): previous generations from Karpenter's us-east-1 table, GPU types
from the vantage array in regions outside the three the hand-copied catalog had."""

from __future__ import annotations

from decimal import Decimal

import pytest

from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import make_resource, usage

D = Decimal


@pytest.mark.parametrize(
    ("product", "region", "price", "source"),
    [
        # Karpenter's table (AWS Price List, us-east-1, 2026-07-20), previous generations
        ("m3.medium", "us-east-1", "0.067", "karpenter-aws-us-east-1-2026-07-20"),
        ("r3.xlarge", "us-east-1", "0.333", "karpenter-aws-us-east-1-2026-07-20"),
        ("c4.large", "us-east-1", "0.1", "karpenter-aws-us-east-1-2026-07-20"),
        # GPU and accelerator types the catalog did not have, or not in these regions
        ("p5.4xlarge", "us-east-1", "6.88", "aws-vantage-gpu-2026-01-21"),
        ("trn1n.32xlarge", "us-east-1", "24.78", "aws-vantage-gpu-2026-01-21"),
        ("gr6.4xlarge", "eu-central-1", "1.9248", "aws-vantage-gpu-2026-01-21"),
        ("inf1.xlarge", "ap-northeast-1", "0.308", "aws-vantage-gpu-2026-01-21"),
    ],
)
def test_built_prices_carry_their_dump(
    catalog: Catalog, product: str, region: str, price: str, source: str
) -> None:
    entry = catalog.price("aws", "ec2", product, region, "on_demand")
    assert entry is not None and entry.price == D(price) and entry.source == source


def test_a_previous_generation_instance_is_priced_with_its_ami_root_volume(
    catalog: Catalog,
) -> None:
    (p,) = price_resources(
        (make_resource("aws_instance", {"instance_type": "m3.medium"}),), catalog, usage()
    )
    # 730 h x $0.067 = $48.91; 8 GB gp2 x $0.10 = $0.80
    assert p.monthly_cost == D("48.91") + D("0.80")


def test_new_accelerator_types_are_described_for_the_gpu_rules(catalog: Catalog) -> None:
    facts = catalog.product("aws", "ec2", "trn1n.32xlarge")
    assert facts["accelerator"]["kind"] == "trainium" and facts["accelerator"]["count"] == 16
    assert catalog.product("aws", "ec2", "gr6.4xlarge")["accelerator"]["model"] == "NVIDIA L4"
    assert catalog.product("aws", "ec2", "m3.medium")["vcpu"] == 1  # Spot Advisor facts
