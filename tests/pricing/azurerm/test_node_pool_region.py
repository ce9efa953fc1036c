"""An AKS node pool has no location of its own: it runs in its cluster's (issue 15: pools
were unpriced for want of a region)."""

from __future__ import annotations

from decimal import Decimal

from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import make_resource, usage


def test_pool_takes_its_clusters_region(catalog: Catalog) -> None:
    hourly = catalog.price("azurerm", "vm", "Standard_D2s_v5", "eastus", "on_demand")
    assert hourly is not None and hourly.price == Decimal("0.096")
    cluster = make_resource(
        "azurerm_kubernetes_cluster",
        {"default_node_pool": [{"vm_size": "Standard_D2s_v5", "node_count": 1}]},
        address="azurerm_kubernetes_cluster.ml",
        region="eastus",
    )
    pool = make_resource(
        "azurerm_kubernetes_cluster_node_pool",
        {"vm_size": "Standard_D2s_v5", "node_count": 3},
        address="azurerm_kubernetes_cluster_node_pool.cpu",
        region=None,
        references={"kubernetes_cluster_id": ("azurerm_kubernetes_cluster.ml",)},
    )
    priced = {p.resource.address: p for p in price_resources((cluster, pool), catalog, usage())}
    nodes = priced["azurerm_kubernetes_cluster_node_pool.cpu"]
    assert nodes.priced, nodes.unpriced_reason
    node_hours = [c for c in nodes.cost_lines if c.name.startswith("Node usage")]
    # 3 nodes x 730 h x $0.096 = $210.24 (the eastus price: the cluster's region)
    assert sum(c.monthly_cost for c in node_hours) == 3 * 730 * hourly.price == Decimal("210.24")
    (disk,) = [c for c in nodes.cost_lines if c.name.startswith("Node OS disk")]
    # the OS disks too take the cluster's region: 3 x P10 (128 GB default, 2 vCPUs) x $19.71
    assert disk.price is not None and "eastus" in disk.price.key
    assert disk.monthly_cost == Decimal("59.13")
