"""AWS pricers against the shipped catalog, with the arithmetic worked out by hand.

Each test first pins the catalog price it relies on to the published list price (so a
catalog change is noticed), then checks the monthly figure computed by hand at 730 h.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from costgate.model import PricedResource, Resource
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from costgate.usage import Usage
from tests.conftest import make_resource, usage

D = Decimal


def price(catalog: Catalog, *resources: Resource, use: Usage | None = None) -> list[PricedResource]:
    return list(price_resources(tuple(resources), catalog, use or usage()))


def lines(p: PricedResource) -> dict[str, tuple[Decimal, Decimal, Decimal]]:
    return {c.name: (c.quantity, c.unit_price, c.monthly_cost) for c in p.cost_lines}


def catalog_price(
    catalog: Catalog, service: str, product: str, kind: str, region: str = "us-east-1"
) -> Decimal:
    entry = catalog.price("aws", service, product, region, kind)
    assert entry is not None, f"{service}/{product}/{kind} missing from catalog"
    return entry.price


def test_on_demand_p4d_is_730_hours_of_the_list_price(catalog: Catalog) -> None:
    # AWS list price after the June 2025 P4 cut (AWS Price List via karpenter, 2026-07).
    assert catalog_price(catalog, "ec2", "p4d.24xlarge", "on_demand") == D("21.957642")
    (p,) = price(catalog, make_resource("aws_instance", {"instance_type": "p4d.24xlarge"}))
    assert lines(p)["Instance usage (p4d.24xlarge, on-demand)"] == (
        D(730),
        D("21.957642"),
        D("16029.07866"),
    )
    # plus the AMI's root volume, assumed 8 GB gp2 at $0.10 and said so on the resource
    assert lines(p)["Root volume (gp2, 8 GB)"] == (D(8), D("0.1"), D("0.8"))
    assert p.monthly_cost == D("16029.87866")
    assert any("8 GB gp2 assumed: the AMI decides" in n for n in p.notes)


def test_spot_instance_adds_the_interruption_overhead(catalog: Catalog) -> None:
    spot = catalog_price(catalog, "ec2", "p4d.24xlarge", "spot")
    assert D(0) < spot < catalog_price(catalog, "ec2", "p4d.24xlarge", "on_demand")
    resource = make_resource(
        "aws_instance",
        {
            "instance_type": "p4d.24xlarge",
            "instance_market_options": [{"market_type": "spot"}],
            "root_block_device": [{"volume_type": "gp3", "volume_size": 500}],
        },
    )
    (p,) = price(catalog, resource, use=usage(overhead="0.10"))
    got = lines(p)
    assert got["Instance usage (p4d.24xlarge, spot)"] == (D(730), spot, 730 * spot)
    assert got["Spot interruption overhead (p4d.24xlarge, 10% of spot hours)"] == (
        D("73.0"),
        spot,
        73 * spot,
    )
    assert got["Root volume (gp3, 500 GB)"] == (D(500), D("0.08"), D("40.00"))
    # seed formula: spot x hours x (1 + overhead), plus the volume
    assert p.monthly_cost == spot * 730 * D("1.10") + D(40)


def test_gp3_volume_of_1000_gb_with_extra_iops_and_throughput(catalog: Catalog) -> None:
    assert catalog_price(catalog, "ebs", "gp3", "storage") == D("0.08")
    (plain,) = price(catalog, make_resource("aws_ebs_volume", {"type": "gp3", "size": 1000}))
    assert plain.monthly_cost == D("80.00")  # 1,000 GB x $0.08
    assert [c.unit for c in plain.cost_lines] == ["GB-month"]
    (fast,) = price(
        catalog,
        make_resource(
            "aws_ebs_volume", {"type": "gp3", "size": 1000, "iops": 6000, "throughput": 250}
        ),
    )
    # + (6000 - 3000) IOPS x $0.005 + (250 - 125) MB/s x $0.04
    assert fast.monthly_cost == D("80") + D("15") + D("5")


def test_io1_volume_charges_every_provisioned_iops(catalog: Catalog) -> None:
    (p,) = price(
        catalog, make_resource("aws_ebs_volume", {"type": "io1", "size": 100, "iops": 1000})
    )
    assert p.monthly_cost == 100 * D("0.125") + 1000 * D("0.065")


def test_volume_without_type_uses_the_ec2_default_and_says_so(catalog: Catalog) -> None:
    (p,) = price(catalog, make_resource("aws_ebs_volume", {"size": 10}))
    assert p.monthly_cost == D("1.0")  # 10 GB gp2 at $0.10
    assert any("gp2" in n for n in p.notes)


def _bucket(rules: list[dict[str, object]]) -> tuple[Resource, Resource]:
    bucket = make_resource("aws_s3_bucket", {"bucket": "ckpt"}, address="aws_s3_bucket.ckpt")
    config = make_resource(
        "aws_s3_bucket_lifecycle_configuration",
        {"rule": rules},
        address="aws_s3_bucket_lifecycle_configuration.ckpt",
        references={"bucket": ("aws_s3_bucket.ckpt.id", "aws_s3_bucket.ckpt")},
    )
    return bucket, config


def test_bucket_volume_is_split_by_days_in_each_class(catalog: Catalog) -> None:
    bucket, config = _bucket(
        [
            {
                "status": "Enabled",
                "filter": [{"prefix": ""}],
                "transition": [
                    {"days": 30, "storage_class": "STANDARD_IA"},
                    {"days": 60, "storage_class": "GLACIER"},
                ],
                "expiration": [{"days": 180}],
            }
        ]
    )
    p, free = price(
        catalog, bucket, config, use=usage({"aws_s3_bucket.ckpt": {"storage_gb": 9000}})
    )
    assert free.free and free.monthly_cost == 0
    quantities = {c.name.split(",")[0]: (c.quantity, c.unit_price) for c in p.cost_lines}
    # 30/180, 30/180 and 120/180 of 9,000 GB
    assert quantities == {
        "Storage (STANDARD": (D(1500), D("0.023")),
        "Storage (STANDARD_IA": (D(1500), D("0.0125")),
        "Storage (GLACIER": (D(6000), D("0.0036")),
    }
    assert p.monthly_cost == D("34.5") + D("18.75") + D("21.6")
    assert any("transition requests not priced" in n for n in p.notes)


def test_seed_lifecycle_charges_glacier_for_its_90_day_minimum(catalog: Catalog) -> None:
    # The seed's rule: GLACIER at 30 days, expire at 90. Objects spend 60 days in GLACIER
    # but are billed for the 90-day minimum: 30 extra days as early deletion.
    bucket, config = _bucket(
        [
            {
                "status": "Enabled",
                "filter": [{"prefix": "checkpoints/"}],
                "transition": [{"days": 30, "storage_class": "GLACIER"}],
                "expiration": [{"days": 90}],
            }
        ]
    )
    use = usage({"aws_s3_bucket.ckpt": {"prefixes": {"checkpoints/": {"storage_gb": 9000}}}})
    p, _ = price(catalog, bucket, config, use=use)
    got = {
        c.name.split(" (")[0] + ":" + c.name.split("(")[1].split(",")[0]: c.quantity
        for c in p.cost_lines
    }
    assert got == {
        "Storage:STANDARD": D(3000),
        "Storage:GLACIER": D(6000),
        "Early deletion:GLACIER": D(3000),
    }
    glacier_billed = sum(c.quantity for c in p.cost_lines if "GLACIER" in c.name)
    assert glacier_billed == D(9000)  # 90 of 90 days
    assert p.monthly_cost == 3000 * D("0.023") + 9000 * D("0.0036")


def test_transition_requests_priced_from_the_object_count(catalog: Catalog) -> None:
    bucket, config = _bucket(
        [
            {
                "status": "Enabled",
                "transition": [{"days": 30, "storage_class": "GLACIER"}],
                "expiration": [{"days": 90}],
            }
        ]
    )
    use = usage({"aws_s3_bucket.ckpt": {"storage_gb": 900, "objects": 90000}})
    p, _ = price(catalog, bucket, config, use=use)
    (transition,) = [c for c in p.cost_lines if c.unit == "1k requests"]
    # 90,000 objects living 90 days: 1,000 a day x 730/24 days a month = 30,416.67 transitions,
    # kept to 6 decimal places in thousands
    assert transition.quantity == D("30.416667")
    assert transition.monthly_cost == D("30.416667") * D("0.03")
    assert transition.unit_price == D("0.03")


def test_legacy_inline_lifecycle_rule(catalog: Catalog) -> None:
    bucket = make_resource(
        "aws_s3_bucket",
        {
            "bucket": "logs",
            "lifecycle_rule": [
                {
                    "enabled": True,
                    "prefix": "",
                    "transition": [{"days": 30, "storage_class": "STANDARD_IA"}],
                    "expiration": [{"days": 60}],
                }
            ],
        },
        address="aws_s3_bucket.logs",
    )
    (p,) = price(catalog, bucket, use=usage({"aws_s3_bucket.logs": {"storage_gb": 600}}))
    assert p.monthly_cost == 300 * D("0.023") + 300 * D("0.0125")


def test_a_bucket_lifecycle_is_read_once_a_run_but_a_variant_is_read_anew(catalog: Catalog) -> None:
    from dataclasses import replace

    from costgate.facts.index import StackIndex
    from costgate.model import freeze
    from costgate.pricing.engine import PricingSession, price_one

    rule = {
        "enabled": True,
        "prefix": "",
        "expiration": [{"days": 60}],
        "transition": [{"days": 30, "storage_class": "STANDARD_IA"}],
        "noncurrent_version_expiration": [{"noncurrent_days": 7}],
    }
    bucket = make_resource(
        "aws_s3_bucket", {"bucket": "logs", "lifecycle_rule": [rule]}, address="aws_s3_bucket.logs"
    )
    use = usage({"aws_s3_bucket.logs": {"storage_gb": 600}})
    index = StackIndex((bucket,))
    first, again = (price_resources((bucket,), catalog, use, index) for _ in range(2))
    assert first == again and len(index.memo) == 1
    assert first[0].monthly_cost == 300 * D("0.023") + 300 * D("0.0125")
    assert any("noncurrent-version" in n for n in again[0].notes)  # notes on every quote
    # a rule pricing a changed copy of the bucket (same address) gets its own rules
    kept = replace(
        bucket,
        attributes=freeze(
            {"bucket": "logs", "lifecycle_rule": [{**rule, "expiration": [], "transition": []}]}
        ),
    )
    variant = price_one(kept, PricingSession(catalog, use, index))
    assert variant.monthly_cost == 600 * D("0.023")


def test_bucket_without_usage_is_unpriced_not_zero(catalog: Catalog) -> None:
    (p,) = price(catalog, make_resource("aws_s3_bucket", {"bucket": "x"}))
    assert not p.priced
    assert "usage unknown" in (p.unpriced_reason or "")


def test_autoscaling_group_mixed_instances_split(catalog: Catalog) -> None:
    od, spot = (catalog_price(catalog, "ec2", "c5.xlarge", k) for k in ("on_demand", "spot"))
    assert od == D("0.17")
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
            "mixed_instances_policy.launch_template.launch_template_specification."
            "launch_template_id": ("aws_launch_template.lt.id",)
        },
    )
    p, t = price(catalog, group, template, use=usage(overhead="0"))
    assert t.free
    # base 1 on-demand + 50% of the 4 above it: 3 on-demand, 2 spot
    assert p.monthly_cost == 3 * 730 * od + 2 * 730 * spot


def test_eks_spot_node_group(catalog: Catalog) -> None:
    spot = catalog_price(catalog, "ec2", "g5.12xlarge", "spot", "us-west-2")
    group = make_resource(
        "aws_eks_node_group",
        {
            "instance_types": ["g5.12xlarge"],
            "capacity_type": "SPOT",
            "scaling_config": [{"desired_size": 2, "min_size": 0}],
        },
        region="us-west-2",
    )
    disk = catalog_price(catalog, "ebs", "gp2", "storage", "us-west-2")
    (p,) = price(catalog, group, use=usage(overhead="0.05"))
    # the default 20 GB gp2 node disk of each node is priced too (us-west-2 gp2: $0.10)
    assert disk == D("0.1")
    assert p.monthly_cost == 2 * 730 * spot * D("1.05") + 2 * 20 * disk


def test_sagemaker_notebook_and_endpoint(catalog: Catalog) -> None:
    nb_price = catalog_price(catalog, "sagemaker", "ml.t3.medium", "notebook", "eu-west-1")
    storage = catalog_price(catalog, "sagemaker", "ml-storage", "storage", "eu-west-1")
    notebook = make_resource(
        "aws_sagemaker_notebook_instance",
        {"instance_type": "ml.t3.medium", "volume_size": 50},
        region="eu-west-1",
    )
    host = catalog_price(catalog, "sagemaker", "ml.g4dn.xlarge", "hosting", "eu-west-1")
    endpoint = make_resource(
        "aws_sagemaker_endpoint_configuration",
        {
            "production_variants": [
                {
                    "variant_name": "a",
                    "instance_type": "ml.g4dn.xlarge",
                    "initial_instance_count": 2,
                }
            ]
        },
        region="eu-west-1",
    )
    n, e = price(catalog, notebook, endpoint)
    assert n.monthly_cost == 730 * nb_price + 50 * storage
    assert e.monthly_cost == 2 * 730 * host


@pytest.mark.parametrize(
    ("resource", "reason"),
    [
        (make_resource("aws_instance", {"instance_type": "p9.mega"}), "not in the pricing catalog"),
        (
            make_resource("aws_instance", {"instance_type": "p4d.24xlarge"}, region="ap-south-9"),
            "no ec2 price for p4d.24xlarge in ap-south-9",
        ),
        (
            make_resource("aws_instance", {"instance_type": "p4d.24xlarge"}, region=None),
            "region unknown",
        ),
        (make_resource("aws_instance", {"instance_type": None}), "instance_type is not set"),
        (make_resource("aws_quantum_computer", {}), "not supported"),
    ],
)
def test_unpriceable_resources_say_why(catalog: Catalog, resource: Resource, reason: str) -> None:
    (p,) = price(catalog, resource)
    assert not p.priced and p.monthly_cost == 0
    assert reason in (p.unpriced_reason or "")


def test_eks_instance_types_given_as_a_string_is_explained(catalog: Catalog) -> None:
    group = make_resource(
        "aws_eks_node_group",
        {"instance_types": "g5.xlarge", "scaling_config": [{"desired_size": 1}]},
    )
    (p,) = price(catalog, group)
    assert p.unpriced_reason == (
        "instance_types must be a list of instance types, not the string 'g5.xlarge'"
    )
