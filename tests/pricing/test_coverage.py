"""`costgate pricing coverage`: the cloud x family x region matrix, from the shipped catalog."""

from __future__ import annotations

import json

from click.testing import CliRunner

from costgate.cli import main
from costgate.pricing.catalog import Catalog
from costgate.pricing.coverage import coverage, family


def test_families() -> None:
    assert family("aws", "ec2", "p4d.24xlarge") == "p4d"
    assert family("google", "compute", "a3-megagpu-8g") == "a3"
    assert family("google", "compute", "nvidia-tesla-t4") == "gpu"
    assert family("azurerm", "vm", "Standard_NC24ads_A100_v4") == "NCads_A100_v4"
    assert family("azurerm", "vm", "Standard_ND96isr_H100_v5") == "NDisr_H100_v5"
    assert family("azurerm", "disk", "Premium_LRS:P10") == "disk"


def test_matrix_cells_come_from_the_catalog(catalog: Catalog) -> None:
    cells = {(c.provider, c.family, c.region): c for c in coverage(catalog, ("google",))}
    a3 = cells[("google", "a3", "us-central1")]
    assert "on_demand" in a3.kinds and "spot" in a3.kinds
    assert a3.products == len(
        {
            k[2]
            for k in catalog.entries
            if k[:2] == ("google", "compute") and k[3] == "us-central1" and k[2].startswith("a3-")
        }
    )
    assert all(c.provider == "google" for c in cells.values())


def test_coverage_table_and_json() -> None:
    table = CliRunner().invoke(main, ["pricing", "coverage", "--cloud", "azurerm"])
    assert table.exit_code == 0, table.output
    assert "NCads_A100_v4" in table.output and "westeurope+spot" in table.output
    assert "azurerm: " in table.output and "aws:" not in table.output
    result = CliRunner().invoke(main, ["pricing", "coverage", "--format", "json"])
    doc = json.loads(result.output)
    assert set(doc["summary"]) == {"aws", "google", "azurerm"}
    assert doc["summary"]["google"]["regions"] >= 40
    cell = next(
        c
        for c in doc["cells"]
        if (c["cloud"], c["family"], c["region"]) == ("azurerm", "NCads_H100_v5", "westeurope")
    )
    assert cell["kinds"] == [
        "low_priority",
        "low_priority_windows",
        "on_demand",
        "on_demand_windows",
        "spot",
        "spot_windows",
    ]
