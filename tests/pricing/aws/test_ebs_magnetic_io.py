"""Magnetic (`standard`) EBS volumes bill every I/O request besides their GB-months; the rate
comes from the AWS pricing-page EBS map of 2024-07-18 ("Provisioned EBS I O Requests standard
Volumes per IOs", $0.00000005 per request in us-east-1 = $0.05 per million)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from costgate.usage import load_usage
from tests.conftest import make_resource, usage

D = Decimal


def _volume(volume_type: str = "standard") -> object:
    return make_resource(
        "aws_ebs_volume",
        {"availability_zone": "us-east-1a", "size": 20, "type": volume_type},
        address="aws_ebs_volume.logs",
    )


@pytest.mark.parametrize(
    ("region", "per_1k"), [("us-east-1", "0.00005"), ("ap-east-1", "0.000088")]
)
def test_the_request_rate_is_built_per_thousand_from_the_ebs_map(
    catalog: Catalog, region: str, per_1k: str
) -> None:
    entry = catalog.price("aws", "ebs", "standard", region, "io_requests")
    assert entry is not None
    assert (entry.unit, entry.price, entry.source) == (
        "1k requests",
        D(per_1k),
        "aws-pricing-page-ebs-2024-07-18",
    )


def test_requests_from_usage_are_priced_beside_the_storage(catalog: Catalog) -> None:
    (priced,) = price_resources(
        (_volume(),), catalog, usage({"aws_ebs_volume.logs": {"monthly_io_requests": 3000000}})
    )
    lines = {line.name: line for line in priced.cost_lines}
    # 20 GB x $0.05 = $1.00; 3,000,000 requests = 3,000 x 1k at $0.00005 = $0.15
    assert lines["Storage (standard, 20 GB)"].monthly_cost == D("1.00")
    io = lines["I/O requests (standard)"]
    assert (io.quantity, io.unit, io.unit_price) == (D(3000), "1k requests", D("0.00005"))
    assert io.monthly_cost == D("0.15")
    assert priced.monthly_cost == D("1.15")


def test_without_usage_the_requests_are_listed_as_missing_not_zero(catalog: Catalog) -> None:
    (priced,) = price_resources((_volume(),), catalog, usage())
    assert priced.monthly_cost == D("1.00")
    assert priced.missing == (
        "I/O requests (standard) not priced: usage unknown: set `monthly_io_requests` in the "
        "usage file",
    )


def test_other_volume_types_have_no_request_charge(catalog: Catalog) -> None:
    (priced,) = price_resources(
        (_volume("gp2"),), catalog, usage({"aws_ebs_volume.logs": {"monthly_io_requests": 10**6}})
    )
    assert [line.name for line in priced.cost_lines] == ["Storage (gp2, 20 GB)"]
    assert not priced.missing


def test_infracost_usage_key_is_read(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "infracost-usage.yml"
    path.write_text(
        "version: 0.1\nresource_usage:\n  aws_ebs_volume.logs:\n"
        "    monthly_standard_io_requests: 1000000\n"
    )
    loaded = load_usage(path)
    assert not loaded.warnings
    (priced,) = price_resources((_volume(),), catalog, loaded)
    assert priced.monthly_cost == D("1.05")  # $1.00 storage + 1,000 x 1k at $0.00005
