"""Azure ML compute: a compute instance is one VM at its size's rate; a compute with no
`location` runs in its workspace's region (issue 15: compute instances were "not supported
yet", and Infracost's goldens price them at eastus rates whatever the workspace's region)."""

from __future__ import annotations

from decimal import Decimal

from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from costgate.pricing.free import AZURERM
from tests.conftest import make_resource, usage

WORKSPACE = make_resource(
    "azurerm_machine_learning_workspace",
    {},
    address="azurerm_machine_learning_workspace.ml",
    region="westeurope",
)
REFERENCE = {"machine_learning_workspace_id": ("azurerm_machine_learning_workspace.ml",)}


def _rate(catalog: Catalog, size: str, region: str, kind: str) -> Decimal:
    entry = catalog.price("azurerm", "vm", size, region, kind)
    assert entry is not None, (size, region, kind)
    return entry.price


def test_compute_instance_is_one_vm_in_its_workspaces_region(catalog: Catalog) -> None:
    hourly = _rate(catalog, "Standard_D2s_v3", "westeurope", "on_demand")
    assert hourly == Decimal("0.12")
    assert _rate(catalog, "Standard_D2s_v3", "eastus", "on_demand") == Decimal("0.096")
    instance = make_resource(
        "azurerm_machine_learning_compute_instance",
        {"virtual_machine_size": "Standard_D2s_v3"},
        address="azurerm_machine_learning_compute_instance.dev",
        region=None,
        references=REFERENCE,
    )
    priced = {
        p.resource.address: p for p in price_resources((WORKSPACE, instance), catalog, usage())
    }
    dev = priced["azurerm_machine_learning_compute_instance.dev"]
    assert dev.priced and not dev.missing, dev.unpriced_reason
    (line,) = dev.cost_lines
    # 730 h x $0.12 (westeurope, the workspace's region; not eastus's $0.096) = $87.60
    assert line.quantity == 730 and line.price is not None and "westeurope" in line.price.key
    assert dev.monthly_cost == 730 * hourly == Decimal("87.6")
    assert any("priced running all month (730 h): set monthly_hours" in n for n in dev.notes)
    assert any("no Azure ML surcharge" in n for n in dev.notes)
    # the workspace bills nothing by itself: reported free, not "not supported yet"
    assert priced["azurerm_machine_learning_workspace.ml"].free
    assert "machine-learning" in AZURERM["azurerm_machine_learning_workspace"]


def test_compute_instance_hours_from_the_usage_file(catalog: Catalog) -> None:
    instance = make_resource(
        "azurerm_machine_learning_compute_instance",
        {"virtual_machine_size": "Standard_D2s_v3"},
        address="azurerm_machine_learning_compute_instance.dev",
        region="westeurope",
    )
    (dev,) = price_resources(
        (instance,),
        catalog,
        usage({"azurerm_machine_learning_compute_instance.dev": {"monthly_hours": 100}}),
    )
    # a schedule that runs it 100 h a month: 100 x $0.12 = $12.00
    assert dev.monthly_cost == Decimal("12")
    # the note names where the hours come from, not "set monthly_hours" again
    assert any("running hours from the usage file's monthly_hours" in n for n in dev.notes)
    assert not any("set monthly_hours" in n for n in dev.notes)


def test_compute_cluster_without_location_takes_its_workspaces_region(catalog: Catalog) -> None:
    low = _rate(catalog, "Standard_E16s_v3", "westeurope", "low_priority")
    assert low == Decimal("0.256")
    cluster = make_resource(
        "azurerm_machine_learning_compute_cluster",
        {
            "vm_size": "Standard_E16s_v3",
            "vm_priority": "LowPriority",
            "scale_settings": [{"min_node_count": 2, "max_node_count": 4}],
        },
        address="azurerm_machine_learning_compute_cluster.train",
        region=None,
        references=REFERENCE,
    )
    priced = {
        p.resource.address: p for p in price_resources((WORKSPACE, cluster), catalog, usage())
    }
    train = priced["azurerm_machine_learning_compute_cluster.train"]
    assert train.priced, train.unpriced_reason
    # 2 nodes x 730 h x $0.256 low priority = $373.76
    assert train.monthly_cost == 2 * 730 * low == Decimal("373.76")


def test_low_priority_cluster_of_a_retired_size_says_so(catalog: Catalog) -> None:
    assert catalog.product("azurerm", "vm", "Standard_NC6").get("retired") == "2023-09-06"
    cluster = make_resource(
        "azurerm_machine_learning_compute_cluster",
        {
            "vm_size": "Standard_NC6",
            "vm_priority": "LowPriority",
            "scale_settings": [{"min_node_count": 1, "max_node_count": 2}],
        },
        address="azurerm_machine_learning_compute_cluster.k80",
        region="westeurope",
    )
    (k80,) = price_resources((cluster,), catalog, usage())
    # the retirement, not "no low_priority price", whatever market the nodes would use
    assert k80.unpriced_reason == (
        "Standard_NC6 was retired by Azure on 2023-09-06: it can no longer be created or run, "
        "so it has no current price"
    )
