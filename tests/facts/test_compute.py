"""The market (on-demand, spot, low priority, capacity block) and what AWS groups launch are
read once, by the facts layer, for the pricers and the spot-for-training rule alike."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from costgate.facts import aws
from costgate.facts.compute import machines, market
from costgate.facts.index import StackIndex
from costgate.facts.specs import Market
from costgate.model import UNKNOWN, Origin, PricedResource, Resource
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import make_resource, usage
from tests.policy.helpers import run_rule

HOURS = Decimal(730)


def _priced(catalog: Catalog, *resources: Resource) -> dict[str, PricedResource]:
    no_overhead = usage(overhead="0")
    return {p.resource.address: p for p in price_resources(resources, catalog, no_overhead)}


@pytest.mark.parametrize(
    ("type_", "attributes", "expected"),
    [
        ("aws_instance", {"instance_market_options": [{"market_type": "spot"}]}, Market.SPOT),
        (
            "aws_instance",
            {"instance_market_options": [{"market_type": "capacity-block"}]},
            Market.CAPACITY_BLOCK,
        ),
        ("aws_instance", {}, Market.ON_DEMAND),
        ("aws_spot_instance_request", {}, Market.SPOT),
        ("aws_eks_node_group", {"capacity_type": "CAPACITY_BLOCK"}, Market.CAPACITY_BLOCK),
        ("aws_eks_node_group", {"capacity_type": "SPOT"}, Market.SPOT),
        ("google_compute_instance", {"scheduling": [{"preemptible": True}]}, Market.SPOT),
        (
            "google_compute_instance",
            {"scheduling": [{"provisioning_model": "STANDARD"}]},
            Market.ON_DEMAND,
        ),
        ("google_container_node_pool", {"node_config": [{"spot": True}]}, Market.SPOT),
        ("azurerm_linux_virtual_machine", {"priority": "Spot"}, Market.SPOT),
        ("azurerm_kubernetes_cluster_node_pool", {"priority": "Regular"}, Market.ON_DEMAND),
        (
            "azurerm_machine_learning_compute_cluster",
            {"vm_priority": "LowPriority"},
            Market.LOW_PRIORITY,
        ),
    ],
)
def test_market_by_cloud(type_: str, attributes: dict[str, object], expected: Market) -> None:
    resource = make_resource(type_, attributes)
    assert market(resource, StackIndex((resource,))) is expected


def test_capacity_block_is_unpriced_with_its_reason_never_on_demand(catalog: Catalog) -> None:
    trainer = make_resource(
        "aws_instance",
        {
            "instance_type": "p4d.24xlarge",
            "instance_market_options": [{"market_type": "capacity-block"}],
        },
    )
    (priced,) = _priced(catalog, trainer).values()
    assert priced.unpriced_reason is not None
    assert "Capacity Block" in priced.unpriced_reason


def test_capacity_block_trainer_is_not_asked_to_move_to_spot(catalog: Catalog) -> None:
    trainer = make_resource(
        "aws_eks_node_group",
        {"capacity_type": "CAPACITY_BLOCK", "instance_types": ["p5.48xlarge"]},
        address="aws_eks_node_group.trainer",
    )
    assert run_rule("spot-for-training", [trainer], catalog) == []


def _spot_template_group() -> tuple[Resource, Resource]:
    template = make_resource(
        "aws_launch_template",
        {"instance_type": "m5.xlarge", "instance_market_options": [{"market_type": "spot"}]},
        address="aws_launch_template.workers",
    )
    group = make_resource(
        "aws_autoscaling_group",
        {"desired_capacity": 4, "max_size": 8, "launch_template": [{"id": None}]},
        address="aws_autoscaling_group.workers",
        references={"launch_template.id": ("aws_launch_template.workers",)},
    )
    return template, group


def test_group_whose_template_asks_for_spot_is_priced_at_spot(catalog: Catalog) -> None:
    template, group = _spot_template_group()
    spot = catalog.price("aws", "ec2", "m5.xlarge", "us-east-1", "spot")
    assert spot is not None and spot.price == Decimal("0.0627")
    priced = _priced(catalog, template, group)["aws_autoscaling_group.workers"]
    # 4 instances x 730 h x $0.0627 = $183.084 (was priced at on-demand: 4 x 730 x 0.192)
    assert priced.monthly_cost == 4 * HOURS * spot.price == Decimal("183.084")
    assert market(group, StackIndex((template, group))) is Market.SPOT


def test_one_launch_template_resolution_serves_pricing_and_policy() -> None:
    template, group = _spot_template_group()
    index = StackIndex((template, group))
    fleet = aws.fleet(group, index)
    assert fleet.template is template and fleet.instance_types == ("m5.xlarge",)
    assert [m.machine_type for m in machines(group, index)] == ["m5.xlarge"]
    assert aws.on_demand_share(fleet, Decimal(4)) == 0


def test_the_clouds_defaults_are_facts_seen_by_pricing_and_policy_alike() -> None:
    """An EKS node group without instance types runs t3.medium, a GKE node pool without a
    machine type e2-medium: the GPU allowlist sees the machine the pricer prices."""
    eks = make_resource("aws_eks_node_group", {"scaling_config": [{"desired_size": 2}]})
    gke = make_resource("google_container_node_pool", {"node_count": 1, "node_config": [{}]})
    assert [m.machine_type for m in machines(eks, StackIndex((eks,)))] == ["t3.medium"]
    assert aws.fleet(eks, StackIndex((eks,))).assumed == "the EKS default"
    assert [m.machine_type for m in machines(gke, StackIndex((gke,)))] == ["e2-medium"]


def test_a_gke_machine_type_known_only_after_apply_is_not_replaced_by_the_default(
    catalog: Catalog,
) -> None:
    """The configuration takes the machine type from another resource: only apply knows it."""
    pool = make_resource(
        "google_container_node_pool",
        {"node_count": 1, "node_config": [{"machine_type": UNKNOWN}]},
        region="us-central1-a",
        references={"node_config.machine_type": ("terraform_data.machine.output",)},
    )
    (priced,) = _priced(catalog, pool).values()
    assert priced.partial  # the boot disk is priced, the machine is missing with its reason
    assert priced.missing == ("Node usage not priced: machine_type is unknown until apply",)


def test_outside_a_plan_an_unknown_gke_setting_stays_unknown(catalog: Catalog) -> None:
    """HCL and Pulumi leave unset values out: an unknown there is a value only apply knows
    (a variable without a value), never read as GKE's default."""
    pool = make_resource(
        "google_container_node_pool",
        {"node_count": 1, "node_config": [{"machine_type": UNKNOWN}]},
        region="us-central1-a",
    )
    (priced,) = _priced(catalog, dataclasses.replace(pool, origin=Origin.TERRAFORM_HCL)).values()
    assert priced.missing == ("Node usage not priced: machine_type is unknown until apply",)


def test_gke_settings_a_plan_leaves_unknown_because_they_are_unset_take_gke_defaults(
    catalog: Catalog,
) -> None:
    """`terraform show -json` marks node_config's machine type and disk unknown when the
    configuration leaves them out (the provider reads GKE's choice back after apply): with
    no reference behind them they are unset, so GKE's defaults price the pool, said on the
    lines (e2-medium, a 100 GB pd-balanced boot disk)."""
    unset = {"machine_type": UNKNOWN, "disk_type": UNKNOWN, "disk_size_gb": UNKNOWN}
    pool = make_resource(
        "google_container_node_pool",
        {"node_count": 2, "node_config": [unset]},
        region="us-central1-a",
    )
    (priced,) = _priced(catalog, pool).values()
    assert not priced.missing and not priced.partial
    disk = next(c for c in priced.cost_lines if c.name.startswith("Node boot disk"))
    assert "pd-balanced is GKE's default type; 100 GB is GKE's default size" in disk.name
    assert disk.quantity == Decimal(200)  # 2 nodes x 100 GB
    rate = catalog.price("google", "disk", "pd-balanced", "us-central1", "storage")
    assert rate is not None and disk.monthly_cost == Decimal(200) * rate.price
    assert any("priced as e2-medium, the GKE default" in n for n in priced.notes)
