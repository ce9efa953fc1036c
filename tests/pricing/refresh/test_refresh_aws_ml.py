"""`costgate pricing refresh aws` for SageMaker and Capacity Blocks, end to end: the CLI's boto3
clients talk real HTTP to a fake Price List / EC2 API on 127.0.0.1 (tests/helpers/fake_aws.py,
the wire formats AWS documents) with dummy credentials from the environment. Every price in
the recorded answers is TEST DATA; the expected catalog prices and costs are worked out by
hand in the comments (730 hours a month)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from costgate.cli import main
from costgate.pricing.catalog import Catalog, load_catalog
from costgate.pricing.engine import price_resources
from costgate.pricing.quote import CAPACITY_BLOCK_UNPRICED
from costgate.pricing.refresh import Request, default_request
from costgate.pricing.refresh.aws import on_demand_price, with_shipped_sagemaker
from costgate.pricing.refresh.aws_ml import (
    capacity_block_prices,
    capacity_block_rate,
    sagemaker_kind,
)
from costgate.pricing.validate import validate_files
from tests.conftest import make_resource, usage
from tests.helpers import fake_aws
from tests.helpers.fake_aws import FakeAws, ec2_error, items, sagemaker, use_fake_aws, xml
from tests.helpers.loopback import LoopbackServer

pytest.importorskip("boto3")

D = Decimal
SM = "AmazonSageMaker"


def _sm_filter(instance: str) -> frozenset[tuple[str, str]]:
    return frozenset({("regionCode", "us-east-1"), ("instanceName", instance)})


def recorded() -> FakeAws:
    """The answers of one refresh of p5.48xlarge, p4d.24xlarge, ml.g5.xlarge, ml.m5.xlarge."""
    fake = FakeAws()
    fake.products[(SM, _sm_filter("ml.g5.xlarge"))] = [
        [  # page 1; the training-plan fee (unit Quantity) and Processing are other usages
            sagemaker("USE1-Train:ml.g5.xlarge", "1.5000000000", "Training"),
            sagemaker(
                "USE1-TrainingPlanUpfrontFee:ml.g5.xlarge", "0.9000000000", "", unit="Quantity"
            ),
            sagemaker("USE1-Processing:ml.g5.xlarge", "1.9000000000", "Processing"),
        ],
        [  # page 2, reached through NextToken
            sagemaker("USE1-Host:ml.g5.xlarge", "1.6000000000", "Hosting"),
            sagemaker("USE1-Notebk:ml.g5.xlarge", "1.7000000000", "Notebook"),
        ],
    ]
    fake.products[(SM, frozenset({("regionCode", "us-east-1"), ("productFamily", "Storage")}))] = [
        [  # the notebook's ML storage is kept; the endpoint's (Host:) is another usage
            fake_aws.sagemaker_storage("USE1-Host:VolumeUsage.gp2", "0.1600000000"),
            fake_aws.sagemaker_storage("USE1-Notebk:VolumeUsage.gp2", "0.1500000000"),
        ]
    ]
    fake.products[(SM, _sm_filter("ml.m5.xlarge"))] = [
        [sagemaker("USE1-Host:ml.m5.xlarge", "0.2500000000", "Hosting")]
    ]
    fake.products[("AmazonEC2", frozenset({("instanceType", "p5.48xlarge")}))] = [
        [fake_aws.ec2_linux("p5.48xlarge", "50.0000000000")]
    ]
    spot = [
        {
            "instanceType": "p5.48xlarge",
            "productDescription": "Linux/UNIX",
            "spotPrice": spot_price,
            "timestamp": "2026-12-04T10:00:00.000Z",
            "availabilityZone": zone,
        }
        for zone, spot_price in (("us-east-1a", "20.000000"), ("us-east-1b", "22.000000"))
    ]
    fake.ec2[("DescribeSpotPriceHistory", "p5.48xlarge")] = xml(
        "DescribeSpotPriceHistory", items("spotPriceHistorySet", spot) + "<nextToken/>"
    )
    offerings = [
        {  # 755.52 / (24 h x 1) = 31.48 per instance-hour: the highest, kept
            "capacityBlockOfferingId": "cb-0123456789abcdef0",
            "instanceType": "p5.48xlarge",
            "availabilityZone": "us-east-1a",
            "instanceCount": "1",
            "startDate": "2026-12-07T11:30:00.000Z",
            "endDate": "2026-12-08T11:30:00.000Z",
            "capacityBlockDurationHours": "24",
            "upfrontFee": "755.52",
            "currencyCode": "USD",
            "tenancy": "default",
        },
        {  # 700.80 / (24 h x 1) = 29.20
            "capacityBlockOfferingId": "cb-0fedcba9876543210",
            "instanceType": "p5.48xlarge",
            "availabilityZone": "us-east-1b",
            "instanceCount": "1",
            "startDate": "2026-12-14T11:30:00.000Z",
            "endDate": "2026-12-15T11:30:00.000Z",
            "capacityBlockDurationHours": "24",
            "upfrontFee": "700.80",
            "currencyCode": "USD",
            "tenancy": "default",
        },
    ]
    fake.ec2[("DescribeCapacityBlockOfferings", "p5.48xlarge")] = xml(
        "DescribeCapacityBlockOfferings", items("capacityBlockOfferingSet", offerings)
    )
    fake.ec2[("DescribeCapacityBlockOfferings", "p4d.24xlarge")] = ec2_error(
        "InvalidParameterValue", "TEST: no Capacity Blocks of this type in this region"
    )
    return fake


@pytest.fixture()
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeAws]:
    """Dummy credentials and both endpoints pointed at the fake, which is yielded."""
    fake = recorded()
    with LoopbackServer(fake) as server:
        use_fake_aws(monkeypatch, server.url, tmp_path)
        yield fake


def invoke(out: Path, types: str) -> Result:
    """`costgate pricing refresh aws` for us-east-1 and *types*, writing *out*."""
    return CliRunner().invoke(
        main,
        ["pricing", "refresh", "aws", "--regions", "us-east-1", "--types", types, "-o", str(out)],
    )


def refresh(out: Path, types: str) -> str:
    result = invoke(out, types)
    assert result.exit_code == 0, result.output
    return result.output


def test_refresh_fills_sagemaker_and_capacity_blocks_from_recorded_pages(
    aws_env: FakeAws, tmp_path: Path
) -> None:
    out = tmp_path / "aws.json"
    printed = refresh(out, "p5.48xlarge,p4d.24xlarge,ml.g5.xlarge,ml.m5.xlarge")
    assert validate_files([out]) == []
    doc = json.loads(out.read_text())
    got = {(p["service"], p["product"], p["kind"]): p["price"] for p in doc["prices"]}
    assert got == {
        ("ec2", "p5.48xlarge", "on_demand"): "50",
        ("ec2", "p5.48xlarge", "spot"): "22",  # the higher of the two AZ prices
        ("ec2", "p5.48xlarge", "capacity_block"): "31.48",  # 755.52 / 24 / 1
        ("sagemaker", "ml.g5.xlarge", "training"): "1.5",
        ("sagemaker", "ml.g5.xlarge", "hosting"): "1.6",
        ("sagemaker", "ml.g5.xlarge", "notebook"): "1.7",
        ("sagemaker", "ml.m5.xlarge", "hosting"): "0.25",
        ("sagemaker", "ml-storage", "storage"): "0.15",
    }  # p4d: the fake has no on-demand product, no spot and refuses Capacity Blocks
    assert printed.startswith("wrote 8 aws price(s)")
    notes = {(p["product"], p["kind"]): p.get("note", "") for p in doc["prices"]}
    assert "usagetype USE1-Host:ml.g5.xlarge" in notes[("ml.g5.xlarge", "hosting")]
    block = notes[("p5.48xlarge", "capacity_block")]
    assert "cb-0123456789abcdef0" in block and "starting 2026-12-07" in block
    assert "UpfrontFee 755.52 USD for 1 instance(s) x 24 h" in block
    assert "of 2 offering(s)" in block
    # what went over the wire: SageMaker by instance and region, two pages for ml.g5.xlarge
    sm_calls = [b for name, b in aws_env.calls if name == "GetProducts" and b["ServiceCode"] == SM]
    assert [c.get("NextToken") for c in sm_calls] == [None, None, "1", None]
    assert {(f["Field"], f["Value"]) for f in sm_calls[1]["Filters"]} == {
        ("regionCode", "us-east-1"),
        ("instanceName", "ml.g5.xlarge"),
    }
    blocks = [f for name, f in aws_env.calls if name == "DescribeCapacityBlockOfferings"]
    assert [
        (f["InstanceType"], f["InstanceCount"], f["CapacityDurationHours"]) for f in blocks
    ] == [
        ("p4d.24xlarge", "1", "24"),
        ("p5.48xlarge", "1", "24"),
    ]


def _line_facts(priced: object) -> list[tuple[str, str, Decimal, Decimal, str, str]]:
    return [
        (line.name, line.unit, line.quantity, line.unit_price, line.price.source, line.price.as_of)
        for line in priced.cost_lines  # type: ignore[attr-defined]
        if line.price is not None
    ]


def test_refreshed_sagemaker_prices_price_an_endpoint_and_a_notebook(
    aws_env: FakeAws, tmp_path: Path
) -> None:
    out = tmp_path / "aws.json"
    refresh(out, "ml.g5.xlarge,ml.m5.xlarge")
    refreshed = load_catalog([out])
    as_of = json.loads(out.read_text())["as_of"]
    api = "https://api.pricing.us-east-1.amazonaws.com"
    endpoint = make_resource(
        "aws_sagemaker_endpoint_configuration",
        {
            "production_variants": [
                {
                    "variant_name": "gpu",
                    "instance_type": "ml.g5.xlarge",
                    "initial_instance_count": 2,
                },
                {"variant_name": "cpu", "instance_type": "ml.m5.xlarge"},
            ]
        },
    )
    notebook = make_resource(
        "aws_sagemaker_notebook_instance", {"instance_type": "ml.g5.xlarge", "volume_size": 50}
    )
    ep, nb = price_resources((endpoint, notebook), refreshed, usage())
    assert _line_facts(ep) == [
        ("Real-time inference gpu (ml.g5.xlarge x 2)", "hour", D(1460), D("1.6"), api, as_of),
        ("Real-time inference cpu (ml.m5.xlarge)", "hour", D(730), D("0.25"), api, as_of),
    ]
    assert ep.monthly_cost == 2 * 730 * D("1.6") + 730 * D("0.25") == D("2518.50")
    assert _line_facts(nb) == [
        ("Notebook instance (ml.g5.xlarge)", "hour", D(730), D("1.7"), api, as_of),
        ("ML storage (50 GB)", "GB-month", D(50), D("0.15"), api, as_of),
    ]
    assert nb.monthly_cost == 730 * D("1.7") + 50 * D("0.15") == D("1248.50")
    assert not nb.missing


def test_a_refreshed_capacity_block_rate_prices_the_reservation_with_its_date(
    aws_env: FakeAws, tmp_path: Path, catalog: Catalog
) -> None:
    out = tmp_path / "aws.json"
    refresh(out, "p5.48xlarge")
    refreshed = load_catalog([out])
    as_of = json.loads(out.read_text())["as_of"]
    dated = make_resource(
        "aws_ec2_capacity_block_reservation",
        {
            "instance_type": "p5.48xlarge",
            "instance_count": 2,
            "start_date": "2026-12-07T11:30:00Z",
            "end_date": "2026-12-09T11:30:00Z",
        },
        address="aws_ec2_capacity_block_reservation.dated",
    )
    undated = make_resource(
        "aws_ec2_capacity_block_reservation",
        {"instance_type": "p5.48xlarge", "instance_count": 1},
        address="aws_ec2_capacity_block_reservation.undated",
    )
    two_days, month = price_resources((dated, undated), refreshed, usage())
    (line,) = two_days.cost_lines
    assert (line.name, line.unit, line.quantity, line.unit_price) == (
        "Capacity Block (p5.48xlarge x 2, 48 h block, paid up front)",
        "hour",
        D(96),  # 48 h x 2 instances
        D("31.48"),
    )
    assert two_days.monthly_cost == 96 * D("31.48") == D("3022.08")
    assert any(f"read on {as_of} (aws-price-list-api" in n and "31.48" in n for n in two_days.notes)
    assert month.monthly_cost == 730 * D("31.48") == D("22980.40")
    assert any("duration unknown until apply" in n for n in month.notes)
    # without a refreshed rate the reservation stays unpriced, never at on-demand
    (shipped,) = price_resources((undated,), catalog, usage())
    assert shipped.unpriced_reason == f"{CAPACITY_BLOCK_UNPRICED}: 1 x p5.48xlarge"


def test_conflicting_sagemaker_prices_write_nothing(aws_env: FakeAws, tmp_path: Path) -> None:
    aws_env.products[(SM, _sm_filter("ml.g5.xlarge"))] = [
        [
            sagemaker("USE1-Host:ml.g5.xlarge", "1.6000000000", "Hosting"),
            sagemaker("USE1-Host:ml.g5.xlarge", "1.6500000000", "Hosting"),
        ]
    ]
    out = tmp_path / "aws.json"
    result = invoke(out, "ml.g5.xlarge")
    assert result.exit_code == 2
    assert "2 different hosting prices for ml.g5.xlarge in us-east-1" in result.output
    assert not out.exists()


def test_an_ec2_error_other_than_not_offered_is_a_clear_error(
    aws_env: FakeAws, tmp_path: Path
) -> None:
    aws_env.ec2[("DescribeCapacityBlockOfferings", "p5.48xlarge")] = ec2_error(
        "UnauthorizedOperation", "TEST: not allowed"
    )
    out = tmp_path / "aws.json"
    result = invoke(out, "p5.48xlarge")
    assert result.exit_code == 2
    assert "AWS EC2 API refused the request: UnauthorizedOperation: TEST: not allowed" in (
        result.output
    )
    assert not out.exists()


def test_default_types_add_the_shipped_sagemaker_types(catalog: Catalog) -> None:
    defaults = default_request(catalog, "aws", ["us-east-1"], [])
    assert not any(t.startswith("ml.") for t in defaults.types)
    widened = with_shipped_sagemaker(defaults, catalog)
    added = set(widened.types) - set(defaults.types)
    assert {"ml.g5.xlarge", "ml.m5.xlarge", "ml.t3.medium"} <= added
    shipped = set(catalog.priced("aws", "sagemaker"))
    # ml-storage is a product, not an instance type to ask about; ebs and s3 are services
    assert added == (shipped - {"ml-storage"}) | {"ebs", "s3"}
    named = Request(("us-east-1",), ("p5.48xlarge",))
    assert with_shipped_sagemaker(named, catalog) == named


@pytest.mark.parametrize(
    ("usagetype", "kind"),
    [
        ("USE1-Train:ml.g5.xlarge", "training"),
        ("EU-Host:ml.g5.xlarge", "hosting"),
        ("APN1-Notebk:ml.g5.xlarge", "notebook"),
        ("USE1-Train:ml.g5.2xlarge", None),  # another instance
        ("USE1-TrainingPlanUpfrontFee:ml.g5.xlarge", None),
        ("USE1-Processing:ml.g5.xlarge", None),
    ],
)
def test_sagemaker_usage_types(usagetype: str, kind: str | None) -> None:
    assert sagemaker_kind(usagetype, "ml.g5.xlarge") == kind


def test_capacity_block_rate_is_fee_over_instance_hours() -> None:
    offering = {
        "UpfrontFee": "1000.00",
        "CapacityBlockDurationHours": 6,
        "CapacityBlockDurationMinutes": 30,
        "InstanceCount": 4,
        "CurrencyCode": "USD",
    }
    assert capacity_block_rate(offering) == D("1000.00") / (D("6.5") * 4)
    assert capacity_block_rate({**offering, "CurrencyCode": "EUR"}) is None
    assert capacity_block_rate({**offering, "InstanceCount": 0}) is None


def test_an_ec2_capacity_block_row_is_not_an_on_demand_price() -> None:
    row = json.loads(fake_aws.ec2_linux("p5.48xlarge", "31.0000000000"))
    assert on_demand_price(json.dumps(row)) == D(31)
    row["product"]["attributes"]["marketoption"] = "CapacityBlock"
    assert on_demand_price(json.dumps(row)) is None


class _OldEc2:
    """An EC2 client of a botocore older than Capacity Blocks (boto3 >= 1.28 is allowed):
    no describe_capacity_block_offerings at all."""

    def can_paginate(self, operation: str) -> bool:
        return False

    def get_paginator(self, operation: str) -> None:
        raise AssertionError(f"{operation} cannot be paginated by this client")


class _UnpaginatedEc2(_OldEc2):
    """A botocore that has the operation but no paginator for it: pages by NextToken."""

    def __init__(self) -> None:
        self.tokens: list[str | None] = []

    def describe_capacity_block_offerings(self, **kwargs: object) -> dict[str, object]:
        token = kwargs.get("NextToken")
        self.tokens.append(token if isinstance(token, str) else None)
        offering = {
            "UpfrontFee": "720.00" if token else "480.00",  # TEST DATA
            "CapacityBlockDurationHours": 24,
            "InstanceCount": 1,
            "CurrencyCode": "USD",
        }
        page: dict[str, object] = {"CapacityBlockOfferings": [offering]}
        if not token:
            page["NextToken"] = "2"
        return page


def test_an_old_botocore_without_capacity_blocks_skips_them() -> None:
    # used to raise OperationNotPageableError, failing the whole refresh (on-demand, Spot)
    assert capacity_block_prices(_OldEc2(), "us-east-1", ["p5.48xlarge", "g5.xlarge"]) == []


def test_capacity_blocks_are_paged_by_next_token_without_a_paginator() -> None:
    ec2 = _UnpaginatedEc2()
    (price,) = capacity_block_prices(ec2, "us-east-1", ["p5.48xlarge"])
    assert ec2.tokens == [None, "2"]
    assert price.price == D(30)  # the highest of 480 / 24 = 20 and 720 / 24 = 30
