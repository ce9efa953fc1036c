"""us-east-1 rates from the 2026-12-05 page hunt: Windows (licence-included) on-demand hours
and the mac1 Dedicated Host hour, each checked against a hand-computed month (730 h)."""

from __future__ import annotations

from decimal import Decimal

from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import make_resource, usage

D = Decimal


def test_windows_t3_medium_bills_the_licence_included_rate(catalog: Catalog) -> None:
    instance = make_resource("aws_instance", {"instance_type": "t3.medium"})
    windows = {instance.address: {"operating_system": "windows"}}
    (linux,) = price_resources((instance,), catalog, usage())
    (p,) = price_resources((instance,), catalog, usage(windows))
    (line,) = [c for c in p.cost_lines if "Instance usage" in c.name]
    (linux_line,) = [c for c in linux.cost_lines if "Instance usage" in c.name]
    # 730 h x $0.06 = $43.80 (Linux: 730 h x $0.0416 = $30.368)
    assert (line.unit_price, line.quantity, line.monthly_cost) == (D("0.06"), D(730), D("43.80"))
    assert line.price is not None
    assert (line.price.key, line.price.as_of) == (
        "aws/ec2/us-east-1/t3.medium/on_demand_windows",
        "2026-09-28",
    )
    assert linux_line.monthly_cost == D("30.368")


def test_windows_rate_missing_for_a_type_is_named_not_priced_as_linux(catalog: Catalog) -> None:
    instance = make_resource("aws_instance", {"instance_type": "t3.micro"})
    (p,) = price_resources(
        (instance,), catalog, usage({instance.address: {"operating_system": "windows"}})
    )
    assert p.unpriced_reason == "no on-demand-windows price for ec2 t3.micro in us-east-1"


def test_a_mac1_dedicated_host_bills_its_host_hours(catalog: Catalog) -> None:
    host = make_resource("aws_ec2_host", {"instance_type": "mac1.metal"})
    part = make_resource("aws_ec2_host", {"instance_family": "mac1"}, address="aws_ec2_host.part")
    month, short = price_resources(
        (host, part), catalog, usage({"aws_ec2_host.part": {"monthly_hours": 100}})
    )
    # 730 h x $1.083 = $790.59; 100 h x $1.083 = $108.30
    assert [(c.unit_price, c.quantity, c.monthly_cost) for c in month.cost_lines] == [
        (D("1.083"), D(730), D("790.59"))
    ]
    assert short.monthly_cost == D("108.30")
    assert month.cost_lines[0].name == "EC2 Dedicated Host (on-demand, mac1)"


def test_a_host_family_without_a_rate_stays_unpriced_with_its_reason(catalog: Catalog) -> None:
    m5 = make_resource("aws_ec2_host", {"instance_type": "m5.large"})
    mac_eu = make_resource(
        "aws_ec2_host",
        {"instance_type": "mac1.metal"},
        address="aws_ec2_host.eu",
        region="eu-west-1",
    )
    first, second = price_resources((m5, mac_eu), catalog, usage())
    assert (
        first.unpriced_reason
        == "Dedicated Host rates are not in the pricing catalog (m5.large host)"
    )
    # a mac1 host outside us-east-1: the reason names where the catalog has the rate
    assert second.unpriced_reason == "no ec2 price for mac1 in eu-west-1 (catalog has: us-east-1)"
