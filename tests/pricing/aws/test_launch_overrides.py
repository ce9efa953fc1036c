"""An instance launched from a template: its own settings win device by device and attribute
by attribute; dedicated tenancy and Windows, whose rates the catalog lacks, are listed as
missing instead of being priced at the shared Linux rate without a word."""

from __future__ import annotations

from decimal import Decimal

from costgate.facts import aws
from costgate.model import PricedResource, Resource
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import make_resource, usage

D = Decimal
TEMPLATE = make_resource(
    "aws_launch_template",
    {
        "instance_type": "m5.large",
        "monitoring": [{"enabled": True}],
        "block_device_mappings": [
            {"device_name": "xvdc", "ebs": [{"volume_type": "io1", "volume_size": 10, "iops": 100}]}
        ],
    },
    address="aws_launch_template.lt",
)


def _instance(attributes: dict[str, object]) -> Resource:
    return make_resource(
        "aws_instance",
        {"launch_template": [{"id": "lt-1"}], **attributes},
        references={"launch_template.id": ("aws_launch_template.lt",)},
    )


def _price(
    catalog: Catalog, instance: Resource, per: dict[str, object] | None = None
) -> PricedResource:
    priced = price_resources((TEMPLATE, instance), catalog, usage(per or {}, overhead="0"))
    return next(p for p in priced if p.resource.type == "aws_instance")


def test_instance_device_overrides_the_template_mapping_of_the_same_name(
    catalog: Catalog,
) -> None:
    instance = _instance(
        {"monitoring": False, "ebs_block_device": [{"device_name": "xvdc", "volume_size": 20}]}
    )
    p = _price(catalog, instance)
    lines = {line.name: line.monthly_cost for line in p.cost_lines}
    # xvdc: size 20 from the instance, io1 and 100 IOPS from the template:
    # 20 GB x $0.125 = $2.50, 100 IOPS x $0.065 = $6.50; monitoring turned off by the instance
    assert lines["EBS volume xvdc (io1, 20 GB)"] == D("2.500")
    assert lines["Provisioned IOPS (io1)"] == D("6.500")
    assert lines["Root volume (gp2, 8 GB)"] == D("0.8")
    assert not any("monitoring" in name for name in lines)


def test_template_mappings_and_monitoring_apply_when_the_instance_sets_none(
    catalog: Catalog,
) -> None:
    lines = {line.name: line.monthly_cost for line in _price(catalog, _instance({})).cost_lines}
    assert lines["Volume xvdc (io1, 10 GB)"] == D("1.250")  # 10 GB x $0.125
    assert lines["EC2 detailed monitoring (7 metrics)"] == D("2.10")  # 7 x $0.30


def test_a_template_mapping_the_root_device_replaces_the_assumed_root_volume() -> None:
    template = make_resource(
        "aws_launch_template",
        {"block_device_mappings": [{"device_name": "/dev/xvda", "ebs": [{"volume_size": 50}]}]},
    )
    disks = aws.launched_disks(make_resource("aws_instance", {}), template)
    assert [(d.label, d.size_gb) for d in disks] == [("Volume /dev/xvda", D(50))]


def test_dedicated_tenancy_is_a_missing_premium(catalog: Catalog) -> None:
    p = _price(catalog, _instance({"tenancy": "dedicated"}))
    assert p.partial
    assert p.missing[0].startswith("Dedicated tenancy premium not priced")
    assert (
        aws.tenancy(
            None, make_resource("aws_launch_template", {"placement": [{"tenancy": "host"}]})
        )
        == "host"
    )


def test_windows_from_usage_asks_for_the_windows_rate(catalog: Catalog) -> None:
    instance = make_resource("aws_instance", {"instance_type": "m5.large"})
    p = _price(catalog, instance, {instance.address: {"operating_system": "windows"}})
    assert not p.priced
    assert p.unpriced_reason == "no on-demand-windows price for ec2 m5.large in us-east-1"


def test_a_group_at_min_size_zero_runs_no_instances_and_says_how_to_price_it(
    catalog: Catalog,
) -> None:
    group = make_resource(
        "aws_autoscaling_group",
        {"min_size": 0, "max_size": 3, "launch_template": [{"id": "lt-1"}]},
        references={"launch_template.id": ("aws_launch_template.lt",)},
    )
    priced = price_resources((TEMPLATE, group), catalog, usage(overhead="0"))
    (p,) = [x for x in priced if x.resource.type == "aws_autoscaling_group"]
    assert p.cost_lines == () and p.monthly_cost == 0
    assert "AWS starts the group at min_size 0" in p.notes[0]
