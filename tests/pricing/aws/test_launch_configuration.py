"""`aws_launch_configuration`: an Auto Scaling group launched from one is priced like one
launched from a template (instance hours by the configuration's type, its volumes), and
a `spot_price` on the configuration makes the group's capacity spot."""

from __future__ import annotations

from decimal import Decimal

from costgate.model import PricedResource, Resource
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import make_resource, usage


def _group(configuration: dict[str, object], *, by_name: bool = False) -> list[Resource]:
    config = make_resource(
        "aws_launch_configuration",
        {"name": "gpu-workers", **configuration},
        address="aws_launch_configuration.gpu",
    )
    group = make_resource(
        "aws_autoscaling_group",
        {"desired_capacity": 2, "max_size": 4, "launch_configuration": "gpu-workers"},
        address="aws_autoscaling_group.gpu",
        references={} if by_name else {"launch_configuration": ("aws_launch_configuration.gpu",)},
    )
    return [config, group]


def _price(catalog: Catalog, resources: list[Resource]) -> dict[str, PricedResource]:
    priced = price_resources(tuple(resources), catalog, usage(overhead="0"))
    return {p.resource.address: p for p in priced}


def test_group_from_a_launch_configuration_prices_instances_and_root_volumes(
    catalog: Catalog,
) -> None:
    resources = _group(
        {
            "instance_type": "g5.xlarge",
            "root_block_device": [{"volume_size": 100, "volume_type": "gp3"}],
        }
    )
    hourly = catalog.price("aws", "ec2", "g5.xlarge", "us-east-1", "on_demand")
    gp3 = catalog.price("aws", "ebs", "gp3", "us-east-1", "storage")
    assert hourly is not None and hourly.price == Decimal("1.006")
    assert gp3 is not None and gp3.price == Decimal("0.08")
    priced = _price(catalog, resources)
    group = priced["aws_autoscaling_group.gpu"]
    lines = {line.name: line for line in group.cost_lines}
    # 2 instances x 730 h x $1.006 = $1,468.76; 2 x 100 GB gp3 x $0.08 = $16.00
    assert lines["Instance usage (g5.xlarge, on-demand x 2)"].monthly_cost == Decimal("1468.76")
    assert lines["Root volume (gp3, 100 GB x 2)"].monthly_cost == Decimal("16.00")
    # a launch configuration enables detailed monitoring unless told otherwise:
    # 2 instances x 7 metrics x $0.30 = $4.20
    assert lines["EC2 detailed monitoring (7 metrics x 2)"].monthly_cost == Decimal("4.20")
    assert group.monthly_cost == Decimal("1488.96")
    assert priced["aws_launch_configuration.gpu"].free  # priced through its group


def test_configuration_found_by_its_literal_name_and_spot_price_means_spot(
    catalog: Catalog,
) -> None:
    resources = _group({"instance_type": "g5.xlarge", "spot_price": "0.60"}, by_name=True)
    spot = catalog.price("aws", "ec2", "g5.xlarge", "us-east-1", "spot")
    assert spot is not None and spot.price == Decimal("0.5089")
    group = _price(catalog, resources)["aws_autoscaling_group.gpu"]
    # 2 x 730 h x $0.5089 = $743.00 (to the cent: 742.994)
    instance = group.cost_lines[0]
    assert instance.name == "Instance usage (g5.xlarge, spot x 2)"
    assert instance.monthly_cost == 2 * 730 * spot.price == Decimal("742.994")
