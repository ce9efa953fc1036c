"""A GKE node pool runs node_count nodes in each of its zones: one for a zonal cluster,
three for a regional one (issue 15: pools of zonal clusters were priced across 3 zones)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
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
    assert hourly is not None and hourly.price == Decimal("0.03351")
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
    # 2 nodes per zone x zones x 730 h at $0.03351 (1 zone: $48.9246)
    assert node.quantity == 2 * zones * 730
    assert node.monthly_cost == 2 * zones * 730 * hourly.price
