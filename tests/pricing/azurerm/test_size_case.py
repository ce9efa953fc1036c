"""Azure VM sizes are case-insensitive (ARM accepts `standard_d2s_v5`): priced as the
catalog's `Standard_D2s_v5`, not reported missing (issue 15)."""

from __future__ import annotations

from decimal import Decimal

from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import make_resource, usage


def test_a_lower_case_size_is_priced_as_the_catalogs_spelling(catalog: Catalog) -> None:
    hourly = catalog.price("azurerm", "vm", "Standard_D2s_v5", "eastus", "on_demand")
    assert hourly is not None and hourly.price == Decimal("0.096")
    vm = make_resource(
        "azurerm_linux_virtual_machine", {"size": "standard_d2s_v5"}, region="eastus"
    )
    (priced,) = price_resources((vm,), catalog, usage())
    assert priced.priced, priced.unpriced_reason
    (line,) = priced.cost_lines
    assert line.name == "Instance usage (Standard_D2s_v5, on-demand)"
    assert priced.monthly_cost == 730 * hourly.price == Decimal("70.08")
