"""azure-native container registries, Log Analytics workspaces and Key Vault keys from a
Pulumi preview: ARM's `sku: {name}` objects and `properties` become the azurerm attributes
the pricers read (before, a registry's `sku` object failed the run as a malformed
attribute and a key was an unknown `azurerm_key`)."""

from __future__ import annotations

import functools
from decimal import Decimal

import pytest

from costgate.model import PricedResource
from costgate.pricing.catalog import Catalog
from tests.inputs.pulumi.steps import priced_preview, step

_step = functools.partial(step, "platform")


STEPS = [
    _step(
        "azure-native:containerregistry:Registry",
        "images",
        {
            "registryName": "images",
            "resourceGroupName": "platform",
            "location": "eastus",
            "sku": {"name": "Premium"},
            "adminUserEnabled": False,
        },
    ),
    _step(
        "azure-native:operationalinsights:Workspace",
        "logs",
        {
            "workspaceName": "logs",
            "resourceGroupName": "platform",
            "location": "eastus",
            "sku": {"name": "CapacityReservation", "capacityReservationLevel": 100},
            "retentionInDays": 90,
        },
    ),
    _step(
        "azure-native:operationsmanagement:Solution",
        "insights",
        {
            "solutionName": "ContainerInsights(logs)",
            "resourceGroupName": "platform",
            "location": "eastus",
            "plan": {
                "name": "ContainerInsights(logs)",
                "product": "OMSGallery/ContainerInsights",
                "publisher": "Microsoft",
                "promotionCode": "",
            },
            "properties": {"workspaceResourceId": "/subscriptions/0/workspaces/logs"},
        },
    ),
    _step(
        "azure-native:keyvault:Key",
        "signing",
        {
            "keyName": "signing",
            "vaultName": "platform-kv",
            "resourceGroupName": "platform",
            "properties": {"kty": "RSA", "keySize": 2048},
        },
    ),
    _step(
        "azure-native:keyvault:Key",
        "hsm",
        {
            "keyName": "hsm",
            "vaultName": "platform-kv",
            "resourceGroupName": "platform",
            "properties": {"kty": "RSA-HSM", "keySize": 3072},
        },
    ),
]


@pytest.fixture(scope="module")
def priced(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> dict[str, PricedResource]:
    return priced_preview(tmp_path_factory.mktemp("preview"), STEPS, catalog)


def test_registry_tier_from_the_sku_object(
    priced: dict[str, PricedResource], catalog: Catalog
) -> None:
    registry = priced["azurerm_container_registry.images"]
    per_day = catalog.tiers("azurerm", "acr", "Premium", "eastus", "registry")[0].price
    assert per_day == Decimal("1.667")
    # 730 / 24 = 30.416667 days (quantities keep 6 places) x 1.667 a day = 50.704583889
    days = Decimal("30.416667")
    assert [(c.name, c.quantity, c.unit_price) for c in registry.cost_lines] == [
        ("Registry (Premium)", days, per_day)
    ]
    assert registry.monthly_cost == Decimal("50.704583889")


def test_workspace_sku_and_keys_by_kty(priced: dict[str, PricedResource]) -> None:
    workspace = priced["azurerm_log_analytics_workspace.logs"]
    assert workspace.resource.attr("sku") == "CapacityReservation"
    assert workspace.resource.attr("retention_in_days") == 90
    assert workspace.unpriced_reason == (
        "Log Analytics sku 'CapacityReservation': only pay-as-you-go (PerGB2018) is priced"
    )
    signing = priced["azurerm_key_vault_key.signing"]
    assert signing.free and signing.resource.attr("key_vault_id") == "platform-kv"
    hsm = priced["azurerm_key_vault_key.hsm"]
    assert hsm.unpriced_reason == (
        "RSA-HSM keys bill a monthly fee per key: not in the pricing catalog"
    )


def test_container_insights_solution_billed_as_workspace_ingestion(
    priced: dict[str, PricedResource],
) -> None:
    solution = priced["azurerm_log_analytics_solution.insights"]
    assert solution.resource.attr("solution_name") == "ContainerInsights"
    assert solution.free and not solution.cost_lines
