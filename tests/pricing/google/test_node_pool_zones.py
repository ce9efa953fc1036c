"""A GKE node pool runs node_count nodes in each of its zones: one for a zonal cluster,
three for a regional one (issue 15: pools of zonal clusters were priced across 3 zones)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from costgate.model import PricedResource
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from costgate.usage import Usage, load_usage
from tests.conftest import make_resource, usage


@pytest.mark.parametrize(
    ("cluster", "zones"),
    [
        ({"location": "us-central1-a"}, 1),
        ({"location": "us-central1"}, 3),
        ({"location": "us-central1-a", "node_locations": ["us-central1-b"]}, 2),
    ],
)
def test_pool_zones_come_from_its_cluster(
    catalog: Catalog, cluster: dict[str, object], zones: int
) -> None:
    hourly = catalog.price("google", "compute", "e2-medium", "us-central1", "on_demand")
    assert hourly is not None and hourly.price == Decimal("0.03350571")
    resources = (
        make_resource("google_container_cluster", cluster, address="google_container_cluster.ml"),
        make_resource(
            "google_container_node_pool",
            {"node_count": 2, "node_config": [{"machine_type": "e2-medium"}]},
            address="google_container_node_pool.cpu",
            region="us-central1",  # the provider's region: the pool sets no location
            references={"cluster": ("google_container_cluster.ml",)},
        ),
    )
    priced = {p.resource.address: p for p in price_resources(resources, catalog, usage())}
    node = priced["google_container_node_pool.cpu"].cost_lines[0]
    # 2 nodes per zone x zones x 730 h at $0.03350571 (1 zone: 1460 x 0.03350571 = $48.9183366)
    assert node.quantity == 2 * zones * 730
    assert node.monthly_cost == 2 * zones * 730 * hourly.price


def _regional_pool(catalog: Catalog, attributes: dict[str, object], use: Usage) -> PricedResource:
    resources = (
        make_resource(
            "google_container_cluster",
            {"location": "us-central1", "remove_default_node_pool": True, "initial_node_count": 1},
            address="google_container_cluster.ml",
        ),
        make_resource(
            "google_container_node_pool",
            {"node_config": [{"machine_type": "e2-medium"}], **attributes},
            address="google_container_node_pool.cpu",
            region="us-central1",
            references={"cluster": ("google_container_cluster.ml",)},
        ),
    )
    priced = {p.resource.address: p for p in price_resources(resources, catalog, use)}
    return priced["google_container_node_pool.cpu"]


def test_infracost_nodes_is_per_zone_and_total_min_is_across_zones(
    tmp_path: Path, catalog: Catalog
) -> None:
    path = tmp_path / "usage.yml"
    path.write_text(
        "version: 0.1\nresource_usage:\n  google_container_node_pool.cpu:\n    nodes: 4\n"
    )
    per_zone = _regional_pool(catalog, {"node_count": 1}, load_usage(path))
    # Infracost's GKE `nodes` is per zone: 4 x 3 zones x 730 h at $0.03350571
    # = 8760 x 0.03350571 = $293.5100196
    assert per_zone.cost_lines[0].quantity == 12 * 730
    assert per_zone.cost_lines[0].monthly_cost == Decimal("293.5100196")
    total = _regional_pool(catalog, {"autoscaling": [{"total_min_node_count": 2}]}, usage())
    # total_min_node_count counts nodes across all zones: 2 x 730 h
    assert total.cost_lines[0].quantity == 2 * 730


def test_a_pool_without_any_count_has_no_nodes(catalog: Catalog) -> None:
    pool = _regional_pool(catalog, {}, usage())
    # the google provider sends initialNodeCount 0 when no count is set
    assert pool.priced and pool.monthly_cost == 0
    assert any("initialNodeCount 0" in n for n in pool.notes)
