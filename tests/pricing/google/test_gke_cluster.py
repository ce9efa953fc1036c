"""`google_container_cluster` nodes: the default pool (initial_node_count per zone) or the
inline node_pool blocks, never both, with the cluster's zones and GKE's node defaults."""

from __future__ import annotations

from pathlib import Path

from costgate.pricing.catalog import Catalog
from costgate.usage import load_usage
from tests.pricing.helpers import D, gcp, lines, list_price, price

FEE = D("73.00")  # 730 h x $0.10


def monthly(catalog: Catalog, attributes: dict) -> tuple[D, list[str]]:
    (priced,) = price(catalog, gcp("google_container_cluster", attributes))
    return priced.monthly_cost, [c.name for c in priced.cost_lines] + list(priced.missing)


def test_default_pool_of_a_zonal_cluster(catalog: Catalog) -> None:
    e2 = list_price(catalog, "google", "compute", "e2-medium", "on_demand", "us-central1")
    balanced = list_price(catalog, "google", "disk", "pd-balanced", "storage", "us-central1")
    assert (e2, balanced) == (D("0.03350571"), D("0.1"))
    cost, names = monthly(catalog, {"location": "us-central1-a", "initial_node_count": 3})
    # 3 nodes x 730 h x $0.03350571 = 3 x $24.4591683 = $73.3775049; 3 x 100 GB x $0.10 = $30
    assert cost == FEE + D("73.3775049") + D("30")
    assert any("e2-medium assumed" in n for n in names)
    assert any("pd-balanced is GKE's default type" in n for n in names)


def test_default_pool_of_a_regional_cluster_runs_in_three_zones(catalog: Catalog) -> None:
    cost, _ = monthly(catalog, {"location": "us-central1", "initial_node_count": 1})
    assert cost == FEE + 3 * (D("730") * D("0.03350571") + D("10"))


def test_node_locations_of_the_cluster(catalog: Catalog) -> None:
    attributes = {
        "location": "us-central1",
        "initial_node_count": 2,
        "node_locations": ["us-central1-a", "us-central1-b"],
    }
    cost, _ = monthly(catalog, attributes)
    assert cost == FEE + 4 * (D("730") * D("0.03350571") + D("10"))


def test_inline_pools_replace_the_default_pool(catalog: Catalog) -> None:
    n1 = list_price(catalog, "google", "compute", "n1-standard-16", "on_demand", "us-central1")
    attributes = {
        "location": "us-central1-a",
        "initial_node_count": 5,  # ignored: the GKE API takes node pools or a default pool
        "node_pool": [
            {
                "name": "big",
                "node_count": 2,
                "node_config": [
                    {"machine_type": "n1-standard-16", "disk_type": "pd-ssd", "disk_size_gb": 50}
                ],
            },
            {"name": "lines", "node_locations": ["us-central1-b", "us-central1-c"]},
        ],
    }
    (priced,) = price(catalog, gcp("google_container_cluster", attributes))
    names = [c.name for c in priced.cost_lines]
    assert not any(n.startswith("default_pool") for n in names)
    # 2 nodes x 511 h (730 h less N1's 30 % sustained-use discount) x n1-standard-16
    # + 2 x 50 GB pd-ssd x $0.17
    big = 2 * 511 * n1 + 2 * 50 * D("0.17")
    assert priced.monthly_cost == FEE + big
    # a pool without any count has no nodes, as a google_container_node_pool does: the
    # provider sends initialNodeCount 0 for both (one expandNodePool)
    assert priced.missing == ()
    assert any("initialNodeCount 0" in n for n in priced.notes)


def test_removed_default_pool_is_not_priced(catalog: Catalog) -> None:
    cost, names = monthly(
        catalog,
        {"location": "us-central1", "initial_node_count": 1, "remove_default_node_pool": True},
    )
    assert cost == FEE and len(names) == 1


def test_default_pool_without_a_count_is_missing_not_guessed(catalog: Catalog) -> None:
    (priced,) = price(catalog, gcp("google_container_cluster", {"location": "us-central1"}))
    assert priced.monthly_cost == FEE
    assert any("initial_node_count" in m for m in priced.missing)


def test_usage_instances_are_the_default_pools_total(catalog: Catalog) -> None:
    from tests.conftest import usage

    cluster = gcp(
        "google_container_cluster",
        {"location": "us-central1", "initial_node_count": 1},
        address="google_container_cluster.k",
    )
    (priced,) = price(catalog, cluster, use=usage({"google_container_cluster.k": {"instances": 4}}))
    # 4 nodes in all (not per zone): 4 x (730 h x $0.03350571 + 100 GB x $0.10)
    assert priced.monthly_cost == FEE + 4 * (D("730") * D("0.03350571") + D("10"))


def test_infracost_usage_per_inline_pool_and_per_zone(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "usage.yml"
    path.write_text(
        "version: 0.1\n"
        "resource_usage:\n"
        "  google_container_cluster.test:\n"
        "    node_pool[1]:\n"
        "      nodes: 4\n"
        "      unknown_key: 1\n"
    )
    use = load_usage(path)
    attributes = {
        "location": "us-central1",
        "node_pool": [
            {"name": "a", "node_count": 1},
            {"name": "b", "node_count": 1, "node_config": [{"disk_size_gb": 10}]},
        ],
    }
    (priced,) = price(catalog, gcp("google_container_cluster", attributes), use=use)
    got = lines(priced)
    # pool a: 1 node per zone x 3 zones; pool b: Infracost's nodes 4 per zone x 3 zones
    sizes = {name.split(" ")[0]: q for name, (q, _) in got.items() if "node usage" in name}
    assert sizes == {"node_pool[a]": D(3 * 730), "node_pool[b]": D(12 * 730)}
    assert any("node_pool[1].unknown_key" in w for w in use.warnings)


def test_inline_pool_counts_like_a_node_pool_resource(catalog: Catalog) -> None:
    # autoscaling.total_min_node_count counts nodes across all zones, in a cluster's
    # node_pool block as in a google_container_node_pool (it was 'count unknown' inline)
    n1 = list_price(catalog, "google", "compute", "n1-standard-4", "on_demand", "us-central1")
    attributes = {
        "location": "us-central1",
        "node_pool": [
            {
                "name": "scaled",
                "autoscaling": [{"total_min_node_count": 3, "total_max_node_count": 9}],
                "node_config": [{"machine_type": "n1-standard-4", "disk_size_gb": 10}],
            }
        ],
    }
    (priced,) = price(catalog, gcp("google_container_cluster", attributes))
    assert priced.missing == ()
    # 3 nodes x 511 h (730 h less N1's 30 % sustained-use discount) + 3 x 10 GB pd-balanced
    nodes = [c for c in priced.cost_lines if c.name.startswith("node_pool[scaled] node usage")]
    assert [c.quantity for c in nodes] == [D(3 * 511)]
    assert nodes[0].monthly_cost == 3 * 511 * n1
