"""Kubernetes control-plane fees (issue 15): EKS standard/extended support, the GKE
cluster management fee and Autopilot, AKS sku_tier. Each test checks the catalog value
and the hand-computed month (730 h x $/h)."""

from __future__ import annotations

from datetime import date

import pytest

from costgate.pricing.aws import eks
from costgate.pricing.catalog import Catalog
from tests.conftest import make_resource
from tests.pricing.helpers import D, azure, gcp, lines, list_price, price


@pytest.fixture
def day(monkeypatch: pytest.MonkeyPatch) -> date:
    fixed = date(2026, 12, 4)
    monkeypatch.setattr(eks, "today", lambda: fixed)
    return fixed


def eks_cluster(**attributes: object) -> object:
    return make_resource("aws_eks_cluster", dict(attributes), address="aws_eks_cluster.k")


def test_catalog_has_the_eks_rates(catalog: Catalog) -> None:
    assert list_price(catalog, "aws", "eks", "cluster", "standard_support", "us-east-1") == D(
        "0.10"
    )
    assert list_price(catalog, "aws", "eks", "cluster", "extended_support", "us-east-1") == D(
        "0.60"
    )


@pytest.mark.parametrize(
    ("attributes", "extended", "monthly"),
    [
        ({"version": "1.34"}, True, D("438.00")),  # standard support ended 2026-12-02
        ({"version": "1.35"}, False, D("73.00")),  # 730 h x $0.10
        ({"version": "1.29"}, True, D("438.00")),  # 730 h x $0.60
        ({"version": "1.23"}, True, D("438.00")),  # older than the calendar: long past
        ({}, False, D("73.00")),  # unset: the latest version
        ({"version": "1.40"}, False, D("73.00")),  # newer than the calendar: assumed
        ({"version": 1.3}, False, D("73.00")),  # `version = 1.30` unquoted: not understood
        ({"version": "1.29", "upgrade_policy": [{"support_type": "STANDARD"}]}, False, D("73")),
    ],
)
def test_eks_support_tier(
    catalog: Catalog, day: date, attributes: dict, extended: bool, monthly: D
) -> None:
    (priced,) = price(catalog, eks_cluster(**attributes))
    (line,) = priced.cost_lines
    assert ("extended support" in line.name) is extended
    assert line.quantity == 730
    assert line.monthly_cost == monthly


@pytest.mark.parametrize(
    ("region", "version", "rate", "monthly"),
    [
        ("us-east-2", "1.35", D("0.1"), D("73.00")),  # 730 h x $0.10
        ("ap-southeast-1", "1.35", D("0.1"), D("73.00")),
        ("eu-central-1", "1.29", D("0.6"), D("438.00")),  # 730 h x ($0.10 + $0.50 fee)
        ("sa-east-1", "1.29", D("0.6"), D("438.00")),
    ],
)
def test_eks_cluster_outside_the_three_hand_copied_regions(
    catalog: Catalog, day: date, region: str, version: str, rate: D, monthly: D
) -> None:
    kind = "extended_support" if rate == D("0.6") else "standard_support"
    assert list_price(catalog, "aws", "eks", "cluster", kind, region) == rate
    resource = make_resource(
        "aws_eks_cluster", {"version": version}, address="aws_eks_cluster.k", region=region
    )
    (priced,) = price(catalog, resource)
    (line,) = priced.cost_lines
    assert ("extended support" in line.name) is (kind == "extended_support")
    assert (line.quantity, line.unit_price, line.monthly_cost) == (730, rate, monthly)
    assert not priced.missing


def test_eks_assumption_is_on_the_line(catalog: Catalog, day: date) -> None:
    (priced,) = price(catalog, eks_cluster(version="1.40"))
    assert "standard support assumed" in priced.cost_lines[0].name


def test_gke_management_fee(catalog: Catalog) -> None:
    assert list_price(catalog, "google", "gke", "cluster", "management_fee", "us-central1") == D(
        "0.10"
    )
    cluster = gcp(
        "google_container_cluster",
        {"location": "us-central1", "remove_default_node_pool": True, "initial_node_count": 1},
        address="google_container_cluster.k",
    )
    (priced,) = price(catalog, cluster)
    (line,) = priced.cost_lines
    assert line.monthly_cost == D("73.00")  # 730 h x $0.10, no free tier credit (regional)
    assert "free tier" not in line.name


def test_gke_zonal_fee_says_the_free_tier_is_not_deducted(catalog: Catalog) -> None:
    cluster = gcp(
        "google_container_cluster",
        {"location": "us-central1-a", "remove_default_node_pool": True},
        region="us-central1",
    )
    (priced,) = price(catalog, cluster)
    assert priced.cost_lines[0].monthly_cost == D("73.00")
    assert "free tier credit not deducted" in priced.cost_lines[0].name
    assert any("$74.40" in note for note in priced.notes)


def test_gke_autopilot_is_partial(catalog: Catalog) -> None:
    cluster = gcp("google_container_cluster", {"location": "us-central1", "enable_autopilot": True})
    (priced,) = price(catalog, cluster)
    assert [c.monthly_cost for c in priced.cost_lines] == [D("73.00")]
    assert priced.missing and "pods request" in priced.missing[0]
    assert priced.unpriced_reason is None


def test_aks_tiers(catalog: Catalog) -> None:
    assert list_price(catalog, "azurerm", "aks", "cluster", "standard_tier", "eastus") == D("0.10")
    pool = [{"name": "default", "vm_size": "Standard_D2_v2", "node_count": 1}]
    priced = {
        tier: price(catalog, azure("azurerm_kubernetes_cluster", {"sku_tier": tier, **extra}))[0]
        for tier, extra in [
            ("Free", {"default_node_pool": pool}),
            ("Standard", {"default_node_pool": pool}),
            ("Paid", {"default_node_pool": pool}),
            ("Premium", {"default_node_pool": pool}),
        ]
    }
    fee = "Control plane (Standard tier, per cluster-hour)"
    assert fee not in lines(priced["Free"])
    assert any("Free" in n for n in priced["Free"].notes)
    for tier in ("Standard", "Paid"):
        assert lines(priced[tier])[fee] == (730, D("0.10"))  # $73.00 a month
    premium = priced["Premium"]
    assert not any("Control plane" in c.name for c in premium.cost_lines)
    assert any("Premium" in m for m in premium.missing)


def test_gke_autopilot_pods_from_usage(catalog: Catalog) -> None:
    from tests.conftest import usage

    vcpu = list_price(catalog, "google", "gke", "autopilot-pod-vcpu", "on_demand", "us-central1")
    memory = list_price(
        catalog, "google", "gke", "autopilot-pod-memory", "on_demand", "us-central1"
    )
    assert (vcpu, memory) == (D("0.0445"), D("3.593425"))
    cluster = gcp(
        "google_container_cluster",
        {"location": "us-central1", "enable_autopilot": True},
        address="google_container_cluster.ap",
    )
    use = usage({"google_container_cluster.ap": {"pod_vcpus": 4, "pod_memory_gib": 16}})
    (priced,) = price(catalog, cluster, use=use)
    # fee $73.00 + 4 vCPU x 730 h x $0.0445 ($129.94) + 16 GiB x $3.593425 ($57.4948)
    assert priced.monthly_cost == D("73.00") + D("129.94") + D("57.4948")
    assert not priced.missing
    assert any("pod_ephemeral_storage_gib not in the usage file" in n for n in priced.notes)
