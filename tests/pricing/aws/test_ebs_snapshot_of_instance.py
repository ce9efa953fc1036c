"""A snapshot of an instance's root or EBS block device (`volume_id =
aws_instance.x.root_block_device[0].volume_id`) is sized from that block's `volume_size` as
a stated upper bound; a root volume the AMI sizes is usage unknown, not the instance
pricer's assumed 8 GB. Standard snapshot storage in us-east-1 is $0.05 per GB-month (AWS
pricing-page EBS map of 2024-07-18, pinned below)."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from costgate.inputs import InputOptions, read_input
from costgate.model import UNKNOWN, PricedResource, Resource
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import make_resource, usage

D = Decimal

STACK = """
provider "aws" {
  region = "us-east-1"
}

resource "aws_instance" "web" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  root_block_device {
    volume_size = 20
    volume_type = "gp3"
  }
  ebs_block_device {
    device_name = "/dev/sdf"
    volume_size = 50
  }
}

resource "aws_instance" "bare" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
}

resource "aws_ebs_snapshot" "root" {
  volume_id = aws_instance.web.root_block_device[0].volume_id
}

resource "aws_ebs_snapshot" "data" {
  volume_id = one([
    for d in aws_instance.web.ebs_block_device : d.volume_id if d.device_name == "/dev/sdf"
  ])
}

resource "aws_ebs_snapshot" "bare_root" {
  volume_id = aws_instance.bare.root_block_device[0].volume_id
}
"""


@pytest.fixture
def rate(catalog: Catalog) -> D:
    entry = catalog.price("aws", "ebs", "snapshot", "us-east-1", "storage")
    assert entry is not None and entry.price == D("0.05")
    return entry.price


def _price(catalog: Catalog, resources: tuple[Resource, ...]) -> dict[str, PricedResource]:
    return {p.resource.address: p for p in price_resources(resources, catalog, usage())}


def _stored_note(priced: PricedResource) -> str:
    (note,) = [n for n in priced.notes if n.startswith("stored size")]
    return note


def test_hcl_snapshots_of_an_instance_root_and_ebs_volume(
    tmp_path: Path, catalog: Catalog, rate: D
) -> None:
    (tmp_path / "main.tf").write_text(textwrap.dedent(STACK))
    stack = read_input(tmp_path, options=InputOptions())
    priced = _price(catalog, stack.resources)
    root = priced["aws_ebs_snapshot.root"]
    (line,) = root.cost_lines
    assert (line.name, line.quantity, line.unit_price) == ("Snapshot storage (20 GB)", 20, rate)
    assert root.monthly_cost == D("1.00")  # 20 GB x $0.05
    assert "the size of the root volume of aws_instance.web (20 GB): an upper bound" in (
        _stored_note(root)
    )
    data = priced["aws_ebs_snapshot.data"]
    assert data.monthly_cost == D("2.50")  # 50 GB x $0.05
    assert "an ebs_block_device of aws_instance.web (50 GB)" in _stored_note(data)
    bare = priced["aws_ebs_snapshot.bare_root"]
    assert not bare.cost_lines and bare.monthly_cost == D(0)
    assert bare.unpriced_reason is not None
    assert bare.unpriced_reason.startswith("usage unknown: set `storage_gb`")
    assert "root volume of aws_instance.bare, whose size the AMI decides" in (bare.unpriced_reason)


def _instance(**attributes: Any) -> Resource:
    return make_resource(
        "aws_instance",
        {"ami": "ami-1", "instance_type": "t3.micro", **attributes},
        address="aws_instance.app[0]",
    )


def _plan_snapshot(*refs: str) -> Resource:
    """As a plan shows it: volume_id unknown, the configuration's references kept."""
    return make_resource(
        "aws_ebs_snapshot",
        {"volume_id": UNKNOWN},
        address="aws_ebs_snapshot.backup[0]",
        references={"volume_id": refs},
    )


ROOT_REFS = (
    "aws_instance.app[0].root_block_device[0].volume_id",
    "aws_instance.app[0].root_block_device[0]",
    "aws_instance.app[0].root_block_device",
    "aws_instance.app[0]",
    "aws_instance.app",
)
EBS_REFS = ("aws_instance.app[0].ebs_block_device", "aws_instance.app[0]", "aws_instance.app")


def test_plan_snapshot_of_a_counted_instance_root_volume(catalog: Catalog, rate: D) -> None:
    instance = _instance(root_block_device=[{"volume_size": 30, "volume_type": "gp3"}])
    priced = _price(catalog, (instance, _plan_snapshot(*ROOT_REFS)))["aws_ebs_snapshot.backup[0]"]
    assert priced.monthly_cost == D("1.50")  # 30 GB x $0.05
    assert "root volume of aws_instance.app[0] (30 GB)" in _stored_note(priced)


@pytest.mark.parametrize(
    ("devices", "cost", "reason"),
    [
        ([{"device_name": "/dev/sdf", "volume_size": 40}], D("2.00"), None),  # 40 x 0.05
        (
            [
                {"device_name": "/dev/sdf", "volume_size": 40},
                {"device_name": "/dev/sdg", "volume_size": 40},
            ],
            D("2.00"),
            None,
        ),
        (
            [
                {"device_name": "/dev/sdf", "volume_size": 40},
                {"device_name": "/dev/sdg", "volume_size": 80},
            ],
            D(0),
            "different sizes",
        ),
        ([{"device_name": "/dev/sdf", "volume_size": UNKNOWN}], D(0), "not known before apply"),
        (UNKNOWN, D(0), "unknown until apply"),
    ],
    ids=["one", "all-same-size", "different-sizes", "size-unknown", "set-unknown"],
)
def test_plan_snapshot_of_an_ebs_block_device(
    catalog: Catalog, devices: Any, cost: D, reason: str | None
) -> None:
    instance = _instance(root_block_device=[{"volume_size": 30}], ebs_block_device=devices)
    priced = _price(catalog, (instance, _plan_snapshot(*EBS_REFS)))["aws_ebs_snapshot.backup[0]"]
    assert priced.monthly_cost == cost
    if reason is None:
        assert "an ebs_block_device of aws_instance.app[0] (40 GB)" in _stored_note(priced)
    else:
        assert priced.unpriced_reason is not None and reason in priced.unpriced_reason


def test_a_plan_root_volume_left_to_the_ami_is_not_the_assumed_8_gb(catalog: Catalog) -> None:
    # the plan shows root_block_device computed (unknown) when the configuration omits it
    instance = _instance(root_block_device=UNKNOWN)
    priced = _price(catalog, (instance, _plan_snapshot(*ROOT_REFS)))
    snapshot = priced["aws_ebs_snapshot.backup[0]"]
    assert snapshot.monthly_cost == D(0) and not snapshot.cost_lines
    assert snapshot.unpriced_reason is not None
    assert "no bound on what the snapshot stores" in snapshot.unpriced_reason
    # the instance itself still states its 8 GB assumption on its own line
    assert any("8 GB gp2 assumed" in n for n in priced["aws_instance.app[0]"].notes)


def test_an_instance_id_reference_is_not_a_volume(catalog: Catalog) -> None:
    instance = _instance(root_block_device=[{"volume_size": 30}])
    snapshot = _plan_snapshot("aws_instance.app[0].id", "aws_instance.app[0]", "aws_instance.app")
    priced = _price(catalog, (instance, snapshot))["aws_ebs_snapshot.backup[0]"]
    assert priced.unpriced_reason is not None
    assert "refers to aws_instance.app[0] but to neither of its block devices" in (
        priced.unpriced_reason
    )
