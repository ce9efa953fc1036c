"""Burstable CPU credits and detailed monitoring: T3/T3a/T4g default to unlimited credits,
T2 to standard; surplus credits are priced only from usage (hours per vCPU x vCPUs);
detailed monitoring is 7 CloudWatch metrics per instance."""

from __future__ import annotations

from decimal import Decimal

from costgate.facts import aws
from costgate.infracost_usage import translate
from costgate.model import PricedResource, Resource
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import make_resource, usage

D = Decimal


def _price(
    catalog: Catalog, resources: list[Resource], per_address: dict[str, object] | None = None
) -> dict[str, PricedResource]:
    priced = price_resources(tuple(resources), catalog, usage(per_address or {}, overhead="0"))
    return {p.resource.address: p for p in priced}


def _lines(p: PricedResource) -> dict[str, Decimal]:
    return {line.name: line.monthly_cost for line in p.cost_lines}


def test_credit_modes_follow_the_family_default_unless_set() -> None:
    plain = make_resource("aws_instance", {"instance_type": "t3.medium"})
    standard = make_resource(
        "aws_instance", {"credit_specification": [{"cpu_credits": "standard"}]}
    )
    assert aws.cpu_credits("t3.medium", plain) == "unlimited"
    assert aws.cpu_credits("t4g.small", plain) == "unlimited"
    assert aws.cpu_credits("t2.medium", plain) == "standard"
    assert aws.cpu_credits("t3.medium", standard) == "standard"
    assert aws.cpu_credits("m5.large", plain) == ""


def test_unlimited_t3_prices_surplus_credit_hours_from_usage(catalog: Catalog) -> None:
    instance = make_resource("aws_instance", {"instance_type": "t3.medium"})
    rate = catalog.price("aws", "ec2", "t3", "us-east-1", "cpu_credits")
    assert rate is not None and rate.price == D("0.05") and rate.unit == "vCPU-hour"
    (p,) = _price(catalog, [instance], {instance.address: {"cpu_credit_hours": 730}}).values()
    # 730 h x 2 vCPUs (t3.medium) = 1,460 vCPU-hours x $0.05 = $73.00
    assert _lines(p)["CPU credits (t3.medium unlimited, 730 h x 2 vCPU)"] == D("73.00")
    # 730 h x $0.0416 + 8 GB gp2 root x $0.10 + $73.00
    assert p.monthly_cost == D("30.368") + D("0.8") + D("73.00")


def test_unlimited_without_usage_is_a_note_and_standard_has_no_credit_line(
    catalog: Catalog,
) -> None:
    t3 = make_resource("aws_instance", {"instance_type": "t3.medium"}, address="aws_instance.a")
    t2 = make_resource("aws_instance", {"instance_type": "t2.medium"}, address="aws_instance.b")
    priced = _price(catalog, [t3, t2], {"aws_instance.b": {"cpu_credit_hours": 300}})
    assert not any(n.startswith("CPU credits") for n in _lines(priced["aws_instance.a"]))
    assert any("set cpu_credit_hours" in n for n in priced["aws_instance.a"].notes)
    assert not any(n.startswith("CPU credits") for n in _lines(priced["aws_instance.b"]))


def test_group_credits_come_from_its_launch_template_for_every_instance(
    catalog: Catalog,
) -> None:
    template = make_resource(
        "aws_launch_template",
        {"instance_type": "t2.medium", "credit_specification": [{"cpu_credits": "unlimited"}]},
        address="aws_launch_template.lt",
    )
    group = make_resource(
        "aws_autoscaling_group",
        {"desired_capacity": 2, "launch_template": [{"id": "lt-1"}]},
        address="aws_autoscaling_group.g",
        references={"launch_template.id": ("aws_launch_template.lt",)},
    )
    priced = _price(catalog, [template, group], {group.address: {"cpu_credit_hours": 100}})
    # 2 instances x 100 h x 2 vCPUs = 400 vCPU-hours x $0.05 = $20.00
    lines = _lines(priced[group.address])
    assert lines["CPU credits (t2.medium unlimited, 100 h x 2 vCPU x 2)"] == D("20.00")


def test_detailed_monitoring_is_seven_metrics_per_instance(catalog: Catalog) -> None:
    instance = make_resource("aws_instance", {"instance_type": "m5.large", "monitoring": True})
    rate = catalog.price("aws", "cloudwatch", "detailed_monitoring", "us-east-1", "metric")
    assert rate is not None and rate.price == D("0.30")
    (p,) = _price(catalog, [instance]).values()
    assert _lines(p)["EC2 detailed monitoring (7 metrics)"] == D("2.10")  # 7 x $0.30
    off = make_resource("aws_launch_configuration", {"enable_monitoring": False})
    assert not aws.detailed_monitoring(off)
    assert aws.detailed_monitoring(make_resource("aws_launch_configuration", {}))
    template = make_resource("aws_launch_template", {"monitoring": [{"enabled": True}]})
    assert aws.detailed_monitoring(template)
    assert not aws.detailed_monitoring(make_resource("aws_instance", {}))


def test_infracost_credit_keys_are_translated() -> None:
    doc, warnings = translate(
        {
            "version": "0.1",
            "resource_usage": {"aws_instance.a": {"monthly_cpu_credit_hrs": 300, "vcpu_count": 2}},
        }
    )
    assert doc["resources"]["aws_instance.a"] == {"cpu_credit_hours": 300, "vcpu_count": 2}
    assert warnings == []


def test_eks_node_group_without_template_prices_its_default_node_disk(
    catalog: Catalog,
) -> None:
    group = make_resource(
        "aws_eks_node_group",
        {"instance_types": ["t2.medium"], "scaling_config": [{"desired_size": 2}]},
    )
    (p,) = _price(catalog, [group]).values()
    # 2 nodes x 20 GB gp2 (EKS default disk_size) x $0.10 = $4.00
    assert _lines(p)["Node disk (gp2, 20 GB x 2)"] == D("4.00")
    assert any("the EKS default" in n for n in p.notes)


def test_s3_volumes_stated_per_class_are_priced_as_they_are(catalog: Catalog) -> None:
    doc, warnings = translate(
        {
            "version": "0.1",
            "resource_usage": {
                "aws_s3_bucket.b": {
                    "standard_infrequent_access": {
                        "storage_gb": 300,
                        "monthly_lifecycle_transition_requests": 5,
                    },
                    "glacier_flexible_retrieval": {"storage_gb": 1000},
                }
            },
        }
    )
    classes = doc["resources"]["aws_s3_bucket.b"]["class_storage_gb"]
    assert classes == {"STANDARD_IA": 300, "GLACIER": 1000}
    # transitions stated in usage are read into class_usage (priced in test_s3_class_usage)
    assert doc["resources"]["aws_s3_bucket.b"]["class_usage"] == {
        "STANDARD_IA": {"transition_requests": 5}
    }
    assert warnings == []
    bucket = make_resource("aws_s3_bucket", {"bucket": "b"}, address="aws_s3_bucket.b")
    (p,) = _price(catalog, [bucket], {bucket.address: {"class_storage_gb": classes}}).values()
    ia = catalog.price("aws", "s3", "STANDARD_IA", "us-east-1", "storage")
    glacier = catalog.price("aws", "s3", "GLACIER", "us-east-1", "storage")
    assert ia is not None and glacier is not None
    # 300 GB x $0.0125 = $3.75; 1,000 GB x $0.0036 = $3.60; no storage_gb: nothing else
    assert ia.price == D("0.0125") and glacier.price == D("0.0036")
    assert p.monthly_cost == D("3.75") + D("3.60")
