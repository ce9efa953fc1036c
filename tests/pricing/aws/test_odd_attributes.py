"""AWS pricers on attributes a plan may leave unset, unknown or oddly shaped: each is an
unpriced resource with its reason or an input error (exit 2), never a traceback."""

from __future__ import annotations

from decimal import Decimal

import pytest

from costgate.errors import InputError
from costgate.model import UNKNOWN
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import make_resource, usage


@pytest.mark.parametrize(("value", "reason"), [(None, "not set"), (UNKNOWN, "unknown until apply")])
def test_spot_request_without_a_known_instance_type_is_unpriced(
    catalog: Catalog, value: object, reason: str
) -> None:
    resource = make_resource("aws_spot_instance_request", {"instance_type": value})
    (priced,) = price_resources((resource,), catalog, usage())
    assert priced.unpriced_reason == f"instance_type is {reason}"
    assert priced.cost_lines == ()


def test_endpoint_of_a_type_without_rates_is_unpriced_with_its_type(catalog: Catalog) -> None:
    resource = make_resource(
        "aws_vpc_endpoint", {"vpc_endpoint_type": "ServiceNetwork", "subnet_ids": ["a"]}
    )
    (priced,) = price_resources((resource,), catalog, usage())
    assert priced.unpriced_reason == (
        "vpc_endpoint_type 'ServiceNetwork': its rates are not in the pricing catalog"
    )


def test_interface_endpoint_with_unknown_subnets_lists_its_hours_as_missing(
    catalog: Catalog,
) -> None:
    resource = make_resource(
        "aws_vpc_endpoint", {"vpc_endpoint_type": "Interface", "subnet_ids": UNKNOWN}
    )
    use = {resource.address: {"monthly_data_processed_gb": 100}}
    (priced,) = price_resources((resource,), catalog, usage(use))
    # 100 GB x $0.01 in us-east-1 = $1.00; the endpoint hours are partial pricing, not $0
    assert [line.monthly_cost for line in priced.cost_lines] == [Decimal("1.00")]
    assert priced.missing == (
        "Interface endpoint not priced: its subnets (one per AZ) are unknown until apply",
    )


def test_root_block_device_that_is_not_a_block_is_an_input_error(catalog: Catalog) -> None:
    resource = make_resource(
        "aws_instance", {"instance_type": "t3.micro", "root_block_device": ["gp3"]}
    )
    with pytest.raises(InputError, match="root_block_device"):
        price_resources((resource,), catalog, usage())


def test_dedicated_host_of_unknown_type_does_not_print_a_placeholder(catalog: Catalog) -> None:
    known = make_resource("aws_ec2_host", {"instance_family": "c5"})
    unknown = make_resource("aws_ec2_host", {"instance_type": UNKNOWN})
    first, second = price_resources((known, unknown), catalog, usage())
    assert first.unpriced_reason == "Dedicated Host rates are not in the pricing catalog (c5 host)"
    assert second.unpriced_reason == (
        "Dedicated Host rates are not in the pricing catalog (instance type unknown until apply)"
    )


def test_zero_credit_hours_in_usage_is_no_surplus_not_a_request_for_usage(
    catalog: Catalog,
) -> None:
    resource = make_resource("aws_instance", {"instance_type": "t3.medium"})
    (priced,) = price_resources(
        (resource,), catalog, usage({resource.address: {"cpu_credit_hours": Decimal(0)}})
    )
    assert not any("cpu_credit_hours" in note for note in priced.notes)
    assert not any(line.name.startswith("CPU credits") for line in priced.cost_lines)


def test_route53_zone_is_priced_whatever_region_the_provider_names(catalog: Catalog) -> None:
    # Route 53 is global: $0.50 a zone a month in every region, not unpriced outside the
    # regions whose shard happens to list it
    for region in ("us-east-1", "ap-southeast-2", "sa-east-1"):
        resource = make_resource("aws_route53_zone", {"name": "example.com"}, region=region)
        (priced,) = price_resources((resource,), catalog, usage())
        assert priced.monthly_cost == Decimal("0.50"), region


def test_computed_settings_unknown_in_a_plan_are_priced_as_the_default_and_said(
    catalog: Catalog,
) -> None:
    # log_group_class and usage_mode are Optional + Computed in the AWS provider: a plan
    # that leaves them unset shows them unknown, and every such log group or CA read
    # "unknown until apply" (unpriced)
    group = make_resource("aws_cloudwatch_log_group", {"log_group_class": UNKNOWN})
    ca = make_resource("aws_acmpca_certificate_authority", {"usage_mode": UNKNOWN})
    use = {group.address: {"monthly_data_ingested_gb": Decimal(10), "storage_gb": Decimal(100)}}
    logs, authority = price_resources((group, ca), catalog, usage(use))
    # 10 GB x $0.50 + 100 GB-month x $0.03 (STANDARD, us-east-1) = $8.00
    assert logs.monthly_cost == Decimal("8.00")
    assert any(n.startswith("log_group_class unknown until apply") for n in logs.notes)
    # general-purpose mode: $400 a month
    assert authority.monthly_cost == Decimal("400")
    assert any(n.startswith("usage_mode unknown until apply") for n in authority.notes)


def test_a_planned_eks_node_group_with_unset_disk_size_pays_the_eks_default_disk(
    catalog: Catalog,
) -> None:
    # the AWS provider computes disk_size, so a plan that leaves it unset shows it unknown
    group = make_resource(
        "aws_eks_node_group",
        {
            "instance_types": ["m5.large"],
            "scaling_config": [{"desired_size": 2, "min_size": 1, "max_size": 3}],
            "disk_size": UNKNOWN,
        },
    )
    (priced,) = price_resources((group,), catalog, usage())
    disk = next(line for line in priced.cost_lines if line.name.startswith("Node disk"))
    gp2 = catalog.price("aws", "ebs", "gp2", "us-east-1", "storage")
    assert gp2 is not None and gp2.price == Decimal("0.1")
    assert disk.quantity == 40 and disk.monthly_cost == Decimal("4.0")  # 2 nodes x 20 GB x 0.10
    assert "EKS default, assumed" in priced.notes[0]


def test_a_volume_unknown_until_apply_is_a_missing_component(catalog: Catalog) -> None:
    """An EBS block device whose size the plan leaves unknown costs something unpriced:
    the instance is partially priced and the volume named as missing (was a note on a
    fully priced instance); the hours and the known volumes stay priced."""
    gp3 = catalog.price("aws", "ebs", "gp3", "us-east-1", "storage")
    hourly = catalog.price("aws", "ec2", "m5.large", "us-east-1", "on_demand")
    assert gp3 is not None and hourly is not None
    instance = make_resource(
        "aws_instance",
        {
            "instance_type": "m5.large",
            "root_block_device": [{"volume_size": 20, "volume_type": "gp3"}],
            "ebs_block_device": [{"device_name": "/dev/sdb", "volume_size": UNKNOWN}],
        },
    )
    (p,) = price_resources((instance,), catalog, usage())
    assert p.partial
    assert p.missing == (
        "EBS volume /dev/sdb not priced: size unknown until apply (comes from the AMI)",
    )
    # 730 h x m5.large + 20 GB gp3
    assert p.monthly_cost == 730 * hourly.price + 20 * gp3.price
