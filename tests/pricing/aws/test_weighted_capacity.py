"""Mixed-instances `weighted_capacity`: a group's sizes are capacity units, so 6 units of a
type that counts 2 are 3 instances (issue 15), on-demand and spot alike."""

from __future__ import annotations

from decimal import Decimal

from costgate.model import Resource
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import make_resource, usage


def _group(distribution: dict[str, object]) -> Resource:
    return make_resource(
        "aws_autoscaling_group",
        {
            "desired_capacity": 6,
            "max_size": 12,
            "mixed_instances_policy": [
                {
                    "instances_distribution": [distribution],
                    "launch_template": [
                        {
                            "override": [
                                {"instance_type": "m5.xlarge", "weighted_capacity": "2"},
                                {"instance_type": "m5.2xlarge", "weighted_capacity": "4"},
                            ]
                        }
                    ],
                }
            ],
        },
    )


def test_six_units_at_weight_two_are_three_instances(catalog: Catalog) -> None:
    hourly = catalog.price("aws", "ec2", "m5.xlarge", "us-east-1", "on_demand")
    assert hourly is not None and hourly.price == Decimal("0.192")
    group = _group({"on_demand_percentage_above_base_capacity": 100})
    (priced,) = price_resources((group,), catalog, usage(overhead="0"))
    (line,) = priced.cost_lines
    # 3 instances x 730 h x $0.192 = $420.48 (was priced as 6 instances: $840.96)
    assert line.quantity == Decimal(3 * 730)
    assert priced.monthly_cost == Decimal("420.48")
    assert any("6 units run 3 instances" in note for note in priced.notes)


def test_the_on_demand_base_is_in_units_too(catalog: Catalog) -> None:
    spot = catalog.price("aws", "ec2", "m5.xlarge", "us-east-1", "spot")
    assert spot is not None and spot.price == Decimal("0.0627")
    group = _group({"on_demand_base_capacity": 2, "on_demand_percentage_above_base_capacity": 0})
    (priced,) = price_resources((group,), catalog, usage(overhead="0"))
    on_demand, spot_line = priced.cost_lines
    # base 2 units = 1 on-demand instance: 730 x $0.192 = $140.16;
    # the other 4 units = 2 spot instances: 2 x 730 x $0.0627 = $91.542
    assert on_demand.monthly_cost == Decimal("140.16")
    assert spot_line.monthly_cost == Decimal("91.542")
