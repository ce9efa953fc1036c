"""Reserved instances from the usage file: the on-demand hours of an instance, group or node
group priced at the reservation's effective hourly rate, with the term on the line; rates the
catalog lacks (partial upfront, Windows) leave the hours unpriced with the reason; an all-upfront
reservation bills no hourly charge, and its one-time fee is listed as missing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from costgate.model import PricedResource, Resource
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import make_resource, usage

D = Decimal
STD_1Y = {
    "reserved_instance_type": "standard",
    "reserved_instance_term": "1_year",
    "reserved_instance_payment_option": "no_upfront",
}
CNVR_3Y = {**STD_1Y, "reserved_instance_type": "convertible", "reserved_instance_term": "3_year"}


def _price(catalog: Catalog, *resources: Resource, per: dict[str, Any]) -> PricedResource:
    priced = price_resources(resources, catalog, usage(per, overhead="0"))
    return next(p for p in priced if p.resource is resources[-1])


def _rate(catalog: Catalog, product: str, kind: str) -> Decimal:
    entry = catalog.price("aws", "ec2", product, "us-east-1", kind)
    assert entry is not None
    return entry.price


def test_rates_are_the_pricing_page_no_upfront_rates(catalog: Catalog) -> None:
    # us-east-1 pricing-page maps of 2025-04-05 (yeo/ec2.shop): t3.medium $0.0416 on-demand
    assert _rate(catalog, "t3.medium", "reserved_standard_1_year_no_upfront") == D("0.0261")
    assert _rate(catalog, "t3.medium", "reserved_convertible_3_year_no_upfront") == D("0.0206")
    assert _rate(catalog, "c5.xlarge", "reserved_standard_1_year_no_upfront") == D("0.107")
    assert _rate(catalog, "m5.large", "reserved_convertible_3_year_no_upfront") == D("0.049")


def test_instance_standard_1_year_no_upfront(catalog: Catalog) -> None:
    instance = make_resource(
        "aws_instance", {"instance_type": "t3.medium", "root_block_device": [{"volume_size": 8}]}
    )
    p = _price(catalog, instance, per={instance.address: STD_1Y})
    line = p.cost_lines[0]
    assert line.name == ("Instance usage (t3.medium, standard reserved, 1-year term, no upfront)")
    # 730 h x $0.0261 = $19.053
    assert (line.quantity, line.unit_price, line.monthly_cost) == (D(730), D("0.0261"), D("19.053"))


def test_partial_upfront_has_no_rate_and_is_unpriced_with_the_reason(catalog: Catalog) -> None:
    instance = make_resource("aws_instance", {"instance_type": "t3.medium"})
    per = {instance.address: {**STD_1Y, "reserved_instance_payment_option": "partial_upfront"}}
    p = _price(catalog, instance, per=per)
    assert not p.priced
    assert p.unpriced_reason == (
        "no reserved-standard-1-year-partial-upfront price for ec2 t3.medium in us-east-1"
    )


def test_all_upfront_bills_no_hours_and_lists_its_one_time_fee_as_missing(
    catalog: Catalog,
) -> None:
    """AWS bills an all-upfront reservation once, at purchase, and nothing per hour: the
    hours cost nothing a month, said in a note; the fee, which the catalog lacks, is a missing
    component, so the instance is partially priced and its root volume is still priced."""
    instance = make_resource(
        "aws_instance", {"instance_type": "t3.medium", "root_block_device": [{"volume_size": 8}]}
    )
    per = {instance.address: {**CNVR_3Y, "reserved_instance_payment_option": "all_upfront"}}
    p = _price(catalog, instance, per=per)
    assert p.partial
    assert p.missing == (
        "Instance usage upfront fee not priced: the one-time fee of a convertible reserved, "
        "3-year term, all upfront reservation of t3.medium is not in the pricing catalog",
    )
    assert any("no hourly charge for the 730 h" in n for n in p.notes)
    (root,) = p.cost_lines
    assert root.name == "Root volume (gp2, 8 GB)"  # the default the AMI usually sets
    gp2 = catalog.price("aws", "ebs", "gp2", "us-east-1", "storage")
    assert gp2 is not None and p.monthly_cost == D(8) * gp2.price == D("0.80")


def test_root_volume_is_assumed_when_the_hours_priced_not_when_they_are_missing(
    catalog: Catalog,
) -> None:
    """The assumed 8 GB root volume rides on priced hours: all-upfront hours are priced ($0,
    only the fee is missing), so the root volume is assumed; partial-upfront hours have no
    rate, so nothing is assumed and the instance stays unpriced."""
    instance = make_resource("aws_instance", {"instance_type": "t3.medium"})
    upfront = {**CNVR_3Y, "reserved_instance_payment_option": "all_upfront"}
    p = _price(catalog, instance, per={instance.address: upfront})
    (root,) = p.cost_lines
    assert root.name.startswith("Root volume (gp2, 8 GB")
    assert p.partial and p.monthly_cost == D("0.80")  # 8 GB x $0.10, the hours $0
    partial = {**CNVR_3Y, "reserved_instance_payment_option": "partial_upfront"}
    p = _price(catalog, instance, per={instance.address: partial})
    assert not p.priced and not p.cost_lines


def test_windows_reservation_asks_for_the_windows_reserved_rate(catalog: Catalog) -> None:
    instance = make_resource("aws_instance", {"instance_type": "t3.medium"})
    p = _price(catalog, instance, per={instance.address: {**STD_1Y, "operating_system": "windows"}})
    assert not p.priced
    assert "reserved-standard-1-year-no-upfront-windows" in str(p.unpriced_reason)


def test_an_incomplete_reservation_is_priced_on_demand_and_says_so(catalog: Catalog) -> None:
    instance = make_resource("aws_instance", {"instance_type": "t3.medium"})
    per = {instance.address: {"reserved_instance_type": "standard"}}
    p = _price(catalog, instance, per=per)
    line = p.cost_lines[0]
    # 730 h x $0.0416 = $30.368
    assert line.name == "Instance usage (t3.medium, on-demand)"
    assert line.monthly_cost == D("30.368")
    assert any(
        "reserved_instance_term, reserved_instance_payment_option not set" in n for n in p.notes
    )


def test_spot_instance_ignores_the_reservation(catalog: Catalog) -> None:
    instance = make_resource(
        "aws_instance",
        {"instance_type": "t3.medium", "instance_market_options": [{"market_type": "spot"}]},
    )
    p = _price(catalog, instance, per={instance.address: STD_1Y})
    assert p.cost_lines[0].name == "Instance usage (t3.medium, spot)"
    assert p.cost_lines[0].unit_price == D("0.017")
    assert any("a reservation covers on-demand hours" in n for n in p.notes)


def test_group_reserves_its_on_demand_share_only(catalog: Catalog) -> None:
    template = make_resource(
        "aws_launch_template", {"instance_type": "c5.xlarge"}, address="aws_launch_template.lt"
    )
    group = make_resource(
        "aws_autoscaling_group",
        {
            "desired_capacity": 5,
            "min_size": 1,
            "mixed_instances_policy": [
                {
                    "instances_distribution": [
                        {
                            "on_demand_base_capacity": 1,
                            "on_demand_percentage_above_base_capacity": 50,
                        }
                    ],
                    "launch_template": [{"launch_template_specification": [{}], "override": []}],
                }
            ],
        },
        references={
            "mixed_instances_policy.launch_template.launch_template_specification"
            ".launch_template_id": ("aws_launch_template.lt",)
        },
    )
    p = _price(catalog, template, group, per={group.address: STD_1Y})
    by_name = {c.name: c.monthly_cost for c in p.cost_lines}
    # 3 on-demand x 730 h x $0.107 = $234.33; 2 spot x 730 h x $0.0646 = $94.316
    assert by_name[
        "Instance usage (c5.xlarge, standard reserved, 1-year term, no upfront x 3)"
    ] == (D("234.33"))
    assert by_name["Instance usage (c5.xlarge, spot x 2)"] == D("94.316")


def test_eks_node_group_convertible_3_year(catalog: Catalog) -> None:
    group = make_resource(
        "aws_eks_node_group",
        {"instance_types": ["m5.large"], "scaling_config": [{"desired_size": 2, "min_size": 1}]},
    )
    p = _price(catalog, group, per={group.address: CNVR_3Y})
    line = p.cost_lines[0]
    assert line.name == "Node usage (m5.large, convertible reserved, 3-year term, no upfront x 2)"
    # 2 nodes x 730 h x $0.049 = $71.54
    assert line.monthly_cost == D("71.54")
