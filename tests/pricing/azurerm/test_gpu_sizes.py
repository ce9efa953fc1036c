"""Azure GPU sizes priced from the Retail Prices API dumps once their size facts are in the
catalog (ND H200 v5, ND MI300X v5, NCC H100 v5, NVads V710 v5), by hand at 730 h; NVv3 and
NVv4 (retired 2026-09-30) keep their facts but no price.

Each test pins the catalog price to the dump's meter first, then checks the monthly figure.
"""

from __future__ import annotations

import pytest

from costgate.pricing.catalog import Catalog
from costgate.pricing.refresh import azure as azure_refresh
from costgate.pricing.trust import gpu_offers
from tests.conftest import make_resource
from tests.policy.helpers import run_rule
from tests.pricing.helpers import D, azure, check_azure_vm_on_demand, list_price, price


@pytest.mark.parametrize(
    ("size", "region", "hourly", "monthly"),
    [
        # ND96isrMI300Xv5 meter, swedencentral: 67.2 x 730
        ("Standard_ND96isr_MI300X_v5", "swedencentral", "67.2", "49056.00"),
        # ND96isrH200v5 meter, northeurope: 101.76 x 730
        ("Standard_ND96isr_H200_v5", "northeurope", "101.76", "74284.80"),
        # NCC40adsH100v5 meter, westeurope: 8.9 x 730
        ("Standard_NCC40ads_H100_v5", "westeurope", "8.9", "6497.00"),
        # NV12adsV710v5 meter, westeurope: 1.3 x 730
        ("Standard_NV12ads_V710_v5", "westeurope", "1.3", "949.00"),
        # NV4adsV710v5 meter (a 1/6 share of one V710), westeurope: 0.433 x 730
        ("Standard_NV4ads_V710_v5", "westeurope", "0.433", "316.09"),
        # NV28admsV710v5 meter, westeurope: 3.12 x 730
        ("Standard_NV28adms_V710_v5", "westeurope", "3.12", "2277.60"),
    ],
)
def test_new_gpu_sizes_priced_on_demand(
    catalog: Catalog, size: str, region: str, hourly: str, monthly: str
) -> None:
    check_azure_vm_on_demand(catalog, size, region, hourly, monthly)


def test_windows_spot_and_low_priority_meters_are_built_in(catalog: Catalog) -> None:
    mi300x = "Standard_ND96isr_MI300X_v5"
    assert list_price(catalog, "azurerm", "vm", mi300x, "spot", "swedencentral") == D("12.41856")
    assert list_price(catalog, "azurerm", "vm", mi300x, "low_priority", "swedencentral") == D(
        "13.44"
    )
    (win,) = price(
        catalog,
        azure(
            "azurerm_windows_virtual_machine",
            {"size": "Standard_NCC40ads_H100_v5"},
            region="westeurope",
        ),
    )
    assert win.monthly_cost == 730 * D("10.74") == D("7840.20")  # NCCadsv5 Srs Win meter


def test_size_facts_and_per_gpu_comparison(catalog: Catalog) -> None:
    facts = catalog.product("azurerm", "vm", "Standard_ND96isr_H200_v5")
    assert (facts["vcpu"], facts["memory_gib"]) == (96, 1850)
    assert facts["accelerator"] == {
        "kind": "gpu",
        "model": "NVIDIA H200",
        "count": 8,
        "memory_gib": 1128,
    }
    rows = {(o.product, o.region): o for o in gpu_offers(catalog, "MI300X")}
    sweden = rows[("Standard_ND96isr_MI300X_v5", "swedencentral")]
    assert (sweden.gpus, sweden.gpu_memory_gib) == (8, 192)
    assert sweden.per_gpu(sweden.on_demand) == D("8.4")  # 67.2 / 8
    assert sweden.per_gpu(sweden.spot) == D("1.55232")  # 12.41856 / 8
    # a part of one GPU (NVads V710 v5 1/6 .. 1/2 of a V710) has no per-GPU price: only whole ones
    assert {o.product for o in gpu_offers(catalog, "V710")} == {
        "Standard_NV24ads_V710_v5",
        "Standard_NV28adms_V710_v5",
    }
    # retired sizes (NVv4 MI25 parts, NVv3 M60) are not offered at all
    assert not gpu_offers(catalog, "MI25")
    assert not [o for o in gpu_offers(catalog, "M60") if o.product.startswith("Standard_")]


def test_gpu_allowlist_reads_the_new_models(catalog: Catalog) -> None:
    options = {"environments": {"development": {"models": ["NVIDIA T4"], "max_gpus": 4}}}
    mi300x = make_resource(
        "azurerm_linux_virtual_machine",
        {"size": "Standard_ND96isr_MI300X_v5"},
        tags={"environment": "development"},
        region="francecentral",
    )
    [finding] = run_rule("gpu-allowlist", [mi300x], catalog, options=options)
    assert finding.message.startswith(
        "Standard_ND96isr_MI300X_v5 runs 8 x AMD MI300X, not allowed for environment=development"
    )
    assert finding.monthly_cost == D("60") * 730  # francecentral on-demand
    nv = make_resource(
        "azurerm_linux_virtual_machine",
        {"size": "Standard_NV4ads_V710_v5"},
        tags={"environment": "development"},
        region="westeurope",
    )
    amd = {"environments": {"development": {"models": ["AMD *"], "max_gpus": 1}}}
    assert run_rule("gpu-allowlist", [nv], catalog, options=amd) == []
    [partial] = run_rule("gpu-allowlist", [nv], catalog, options=options)
    assert partial.message.startswith(
        "Standard_NV4ads_V710_v5 runs a 1/6 share of one AMD Radeon Pro V710, not allowed for "
        "environment=development"
    )
    assert partial.monthly_cost == D("0.433") * 730  # westeurope on-demand: 316.09


@pytest.mark.parametrize(
    ("size", "region", "retired"),
    [
        ("Standard_NV12s_v3", "westeurope", "2026-09-30"),  # NVv3 (M60), priced 1.426 before
        ("Standard_NV4as_v4", "francecentral", "2026-09-30"),  # NVv4 (MI25 part), 0.291 before
        ("Standard_NC6s_v3", "eastus", "2025-09-30"),  # NCv3 (V100), 3.06 before
        ("Standard_NV24", "westeurope", "2023-09-06"),  # NV (M60): "not in the catalog" before
    ],
)
def test_retired_gpu_sizes_keep_their_facts_but_no_price(
    catalog: Catalog, size: str, region: str, retired: str
) -> None:
    facts = catalog.product("azurerm", "vm", size)
    assert facts["retired"] == retired
    assert facts["accelerator"]["kind"] == "gpu"
    assert catalog.regions("azurerm", "vm", size) == ()
    (p,) = price(catalog, azure("azurerm_linux_virtual_machine", {"size": size}, region=region))
    assert not p.priced
    assert p.unpriced_reason == (
        f"{size} was retired by Azure on {retired}: it can no longer be created or run, so it "
        "has no current price"
    )


def test_h200_spot_meter_at_the_on_demand_price_is_not_a_spot_price(catalog: Catalog) -> None:
    # the dumps' ND96isrH200v5 Spot meters repeat on-demand (101.76 in northeurope): dropped
    assert catalog.price("azurerm", "vm", "Standard_ND96isr_H200_v5", "northeurope", "spot") is None
    vm = azure(
        "azurerm_linux_virtual_machine",
        {"size": "Standard_ND96isr_H200_v5", "priority": "Spot"},
        region="northeurope",
    )
    (p,) = price(catalog, vm)
    assert p.unpriced_reason == "no spot price for vm Standard_ND96isr_H200_v5 in northeurope"


def test_parse_items_drops_only_a_spot_meter_equal_to_on_demand() -> None:
    def item(sku: str, price: str, size: str = "Standard_ND96isr_H200_v5") -> dict[str, str]:
        return {
            "type": "Consumption",
            "serviceName": "Virtual Machines",
            "armSkuName": size,
            "armRegionName": "northeurope",
            "productName": "Virtual Machines NDsrH200v5 Series",
            "skuName": sku,
            "unitOfMeasure": "1 Hour",
            "retailPrice": price,
        }

    found = azure_refresh.parse_items(
        [
            item("ND96isrH200v5", "101.76"),
            item("ND96isrH200v5 Spot", "101.76"),
            item("ND96isrMI300Xv5", "57.6", "Standard_ND96isr_MI300X_v5"),
            item("ND96isrMI300Xv5 Spot", "10.64448", "Standard_ND96isr_MI300X_v5"),
        ]
    )
    assert [(f.product, f.kind, f.price) for f in found] == [
        ("Standard_ND96isr_H200_v5", "on_demand", D("101.76")),
        ("Standard_ND96isr_MI300X_v5", "on_demand", D("57.6")),
        ("Standard_ND96isr_MI300X_v5", "spot", D("10.64448")),
    ]
