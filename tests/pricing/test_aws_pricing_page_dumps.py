"""Shipped AWS prices against the AWS pricing-page maps they were built from, and a hand check
of a few figures read in the maps themselves.

The dump comparison needs the dump files (`python pricing/sources/fetch_dumps.py DIR ...`,
as for `costgate pricing build`) in the folder named by `COSTGATE_DUMPS`; without it that
test is skipped. It re-reads each dump with its reader and requires every shipped entry of
that source to equal the dump's value.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from costgate.pricing.build import READERS, Known, load_manifest
from costgate.pricing.catalog import Catalog
from tests.conftest import REPO, shipped_document
from tests.pricing.helpers import list_price

MANIFEST = REPO / "pricing" / "sources" / "manifest.json"
DUMPS = (
    "aws-pricing-page-ebs-2024-07-18",
    "aws-pricing-page-ec2-eu-central-1-2025-04-04",
    "aws-pricing-page-ec2-ap-northeast-1-2025-04-04",
    "aws-pricing-page-ec2-us-west-2-2025-04-04",
    "aws-pricing-page-ec2-previousgen-eu-central-1-2025-04-04",
    "aws-pricing-page-natgateway-2025-10-28",
    "aws-pricing-page-vpc-2025-11-04",
    "aws-pricing-page-cloudwatch-2025-09-23",
    "aws-pricing-page-s3-2025-10-22",
    "aws-pricing-page-eks-2025-10-28",
    "aws-pricing-page-kms-2025-08-28",
)


def _key(service: str, product: str, region: str, kind: str, tier: str) -> tuple[str, ...]:
    return (service, product, region, kind, tier)


@pytest.mark.parametrize("dump_id", DUMPS)
def test_every_shipped_price_equals_its_dump(dump_id: str) -> None:
    folder = os.environ.get("COSTGATE_DUMPS")
    dump = next(d for d in load_manifest(MANIFEST) if d.id == dump_id)
    path = Path(folder or "/nonexistent") / dump.local_name()
    if not path.is_file():
        pytest.skip(f"set COSTGATE_DUMPS to a folder holding {dump.local_name()}")
    shipped = {
        _key(e["service"], e["product"], e["region"], e["kind"], e.get("tier_start", "0")): (
            Decimal(e["price"])
        )
        for e in shipped_document("aws")["prices"]
        if e["source"] == dump_id
    }
    known = Known(frozenset((k[0], k[1]) for k in shipped))
    read = READERS[dump.reader](path, dump, known)
    dumped = {
        _key(p.service, p.product, p.region, p.kind, format(p.tier_start.normalize(), "f")): (
            p.price
        )
        for p in read.prices
    }
    assert len(shipped) >= 20
    # every shipped entry is in the dump with the same price (the EC2 on-demand dumps may
    # hold more: where an earlier dump of the build priced a type, that entry is kept)
    assert {k: v for k, v in shipped.items() if dumped.get(k) != v} == {}


def test_hand_checked_against_the_maps(catalog: Catalog) -> None:
    # ebs.json (2024-07-18), EU (Frankfurt): "Storage General Purpose gp3 GB Mo" 0.0952,
    # gp2 0.1190, "Provisioned Throughput gp3 per GiBps mo" 48.7424 (= 0.0476 per MiB/s).
    assert list_price(catalog, "aws", "ebs", "gp3", "storage", "eu-central-1") == Decimal("0.0952")
    assert list_price(catalog, "aws", "ebs", "gp2", "storage", "eu-central-1") == Decimal("0.119")
    assert list_price(catalog, "aws", "ebs", "gp3", "throughput", "eu-central-1") == Decimal(
        "0.0476"
    )
    # us-west-2 gp2, the ml-training example's node disk: 0.10 per GB-month
    assert list_price(catalog, "aws", "ebs", "gp2", "storage", "us-west-2") == Decimal("0.1")
    # EU (Frankfurt) EC2 on-demand Linux (2025-04-04): m5.large 0.115, t3.medium 0.048
    assert list_price(catalog, "aws", "ec2", "m5.large", "on_demand", "eu-central-1") == Decimal(
        "0.115"
    )
    assert list_price(catalog, "aws", "ec2", "t3.medium", "on_demand", "eu-central-1") == (
        Decimal("0.048")
    )
    # EU (Ireland): NAT gateway 0.048 per hour and per GB; interface endpoint 0.011 per
    # hour; CloudWatch Logs ingestion 0.57 per GB, storage 0.03 per GB-month
    assert list_price(catalog, "aws", "vpc", "nat_gateway", "hours", "eu-west-1") == Decimal(
        "0.048"
    )
    assert list_price(catalog, "aws", "vpce", "interface", "endpoint_hours", "eu-west-1") == (
        Decimal("0.011")
    )
    assert list_price(catalog, "aws", "logs", "standard", "ingestion", "eu-west-1") == Decimal(
        "0.57"
    )
    # Asia Pacific (Tokyo) S3 STANDARD first 50 TB: 0.025 per GB-month
    assert list_price(catalog, "aws", "s3", "STANDARD", "storage", "ap-northeast-1") == Decimal(
        "0.025"
    )
