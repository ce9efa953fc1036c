"""The Azure Karpenter price-table reader (`azure-karpenter-go`) on a small table written
here in the generator's shape, and what the shipped catalog holds from the real table."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from costgate.errors import CatalogError
from costgate.pricing.build import Dump, Known, load_manifest
from costgate.pricing.build_azure import azure_karpenter_go
from costgate.pricing.catalog import load_catalog
from tests.conftest import REPO, shipped_document
from tests.pricing.helpers import azure, list_price, price

D = Decimal

TABLE = """package pricing

// generated at 2026-06-18T03:43:41Z

var initialOnDemandPrices = map[string]map[string]float64{}

func init() {
	// eastus
	initialOnDemandPrices["eastus"] = map[string]float64{
		"Basic_A2":                 0.079000,
		"Dsv3_Type3":               6.599000,
		"Standard_D2_v4":           0.096000,
		"Standard_E16-8as_v4":      1.008000,
		"Standard_NC6s_v3":         3.060000,
		"Standard_NC4as_T4_v3":     0.526000,
		"Standard_NCC40ads_H100_v5": 10.740000,
		"Standard_Free_v1":         0.000000,
	}
	// westeurope
	initialOnDemandPrices["westeurope"] = map[string]float64{
		"Standard_D2_v4":           0.110000,
	}
}
"""


def _dump(**options: object) -> Dump:
    return Dump(
        "fixture-karpenter-azure",
        "azurerm",
        "azure-karpenter-go",
        "Azure/karpenter-provider-azure",
        "2b431da153a6a92b705c18046512c60b1631b682",
        "pkg/providers/pricing/zz_generated.pricing.go",
        "2026-06-18",
        "",
        options,
    )


def _read(
    tmp_path: Path, known: set[tuple[str, str]], **options: object
) -> dict[tuple[str, str], D]:
    path = tmp_path / "table.go"
    path.write_text(TABLE, encoding="utf-8")
    read = azure_karpenter_go(path, _dump(**options), Known(frozenset(known)))
    assert {(p.service, p.kind, p.unit) for p in read.prices} <= {("vm", "on_demand", "hour")}
    return {(p.product, p.region): p.price for p in read.prices}


def test_known_sizes_only_by_default(tmp_path: Path) -> None:
    got = _read(tmp_path, {("vm", "Standard_NC6s_v3"), ("vm", "Standard_D2_v4")})
    assert got == {
        ("Standard_D2_v4", "eastus"): D("0.096"),
        ("Standard_D2_v4", "westeurope"): D("0.11"),
        ("Standard_NC6s_v3", "eastus"): D("3.06"),
    }


def test_add_unlisted_adds_plain_sizes_not_accelerated_constrained_or_hosts(
    tmp_path: Path,
) -> None:
    got = _read(
        tmp_path,
        {("vm", "Standard_NC6s_v3"), ("vm", "Standard_NCC40ads_H100_v5")},
        add_unlisted=True,
        skip_regions=["westeurope"],
        exclude=["Standard_NCC40ads_H100_v5"],
    )
    # NC4as_T4_v3: a GPU size the catalog does not describe; E16-8as_v4: constrained vCPUs
    # (priced as E16as_v4 by the pricer); Dsv3_Type3: a dedicated host; Free_v1: price 0;
    # NCC40ads_H100_v5 excluded (its ' Srs Win' product is not dropped by the generator)
    assert got == {
        ("Basic_A2", "eastus"): D("0.079"),
        ("Standard_D2_v4", "eastus"): D("0.096"),
        ("Standard_NC6s_v3", "eastus"): D("3.06"),
    }


def test_a_file_without_region_blocks_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "other.go"
    path.write_text('package pricing\nvar x = map[string]float64{"Standard_D2_v4": 0.1}\n')
    with pytest.raises(CatalogError, match="no initialOnDemandPrices region block"):
        azure_karpenter_go(path, _dump(), Known(frozenset()))


def test_shipped_catalog_prices_linux_vms_in_over_fifty_azure_regions() -> None:
    """Issue 16 asks for at least 50 Azure regions; the table has 57 public ones."""
    doc = shipped_document("azurerm")
    karpenter = [p for p in doc["prices"] if p["source"] == "azure-karpenter-ondemand-2026-06-18"]
    regions = {p["region"] for p in karpenter}
    assert len(regions) >= 50
    assert {p["kind"] for p in karpenter} == {"on_demand"}
    assert all(p["as_of"] == "2026-06-18" for p in karpenter)
    # the radar's newer (2026-08-22) regions are left to the radar dumps
    assert not regions & {"westeurope", "northeurope", "francecentral", "swedencentral"}


def test_a_brazilsouth_linux_vm_is_priced_from_the_table_for_730_hours() -> None:
    """brazilsouth had no Azure price before this table; Standard_D2_v4 there is 0.153 an
    hour in the table (`"Standard_D2_v4": 0.153000`), 730 x 0.153 = 111.69 a month."""
    catalog = load_catalog()
    assert list_price(catalog, "azurerm", "vm", "Standard_D2_v4", "on_demand", "brazilsouth") == (
        D("0.153")
    )
    vm = azure(
        "azurerm_linux_virtual_machine",
        {"size": "Standard_D2_v4", "os_disk": [{"storage_account_type": "Standard_LRS"}]},
        region="brazilsouth",
    )
    (priced,) = price(catalog, vm)
    (usage,) = [c for c in priced.cost_lines if c.name.startswith("Instance usage")]
    assert usage.monthly_cost == D("111.69")
    assert usage.price is not None and usage.price.as_of == "2026-06-18"


def test_every_shipped_karpenter_price_equals_the_table() -> None:
    """Needs the dump (`COSTGATE_DUMPS`, as for `costgate pricing build`); re-reads it with
    the reader, knowing every product, and requires every shipped entry of the source to be
    the table's value (the reader's own filters decide which keys exist)."""
    dump_id = "azure-karpenter-ondemand-2026-06-18"
    dump = next(
        d for d in load_manifest(REPO / "pricing" / "sources" / "manifest.json") if d.id == dump_id
    )
    path = Path(os.environ.get("COSTGATE_DUMPS") or "/nonexistent") / dump.local_name()
    if not path.is_file():
        pytest.skip(f"set COSTGATE_DUMPS to a folder holding {dump.local_name()}")
    shipped = {
        (e["product"], e["region"]): D(e["price"])
        for e in shipped_document("azurerm")["prices"]
        if e["source"] == dump_id
    }
    known = Known(frozenset(("vm", product) for product, _ in shipped))
    dumped = {(p.product, p.region): p.price for p in azure_karpenter_go(path, dump, known).prices}
    assert len(shipped) > 40_000
    assert {k: (v, dumped.get(k)) for k, v in shipped.items() if dumped.get(k) != v} == {}
