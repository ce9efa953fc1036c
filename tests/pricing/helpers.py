"""Shared helpers for the pricer tests: price resources with the shipped catalog, read lines."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from costgate.model import PricedResource, Resource
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from costgate.usage import Usage
from tests.conftest import SHARED, make_resource, usage

D = Decimal
PLANS = (SHARED if SHARED.is_dir() else Path("/work/shared/fixtures")) / "terraform-plan"


def price(catalog: Catalog, *resources: Resource, use: Usage | None = None) -> list[PricedResource]:
    return list(price_resources(tuple(resources), catalog, use or usage()))


def lines(p: PricedResource) -> dict[str, tuple[Decimal, Decimal]]:
    return {c.name: (c.quantity, c.unit_price) for c in p.cost_lines}


def list_price(
    catalog: Catalog, provider: str, service: str, product: str, kind: str, region: str
) -> Decimal:
    entry = catalog.price(provider, service, product, region, kind)
    assert entry is not None, f"{provider}/{service}/{product}/{region}/{kind} missing"
    return entry.price


def gcp(type_: str, attributes: dict, region: str = "us-central1", **kw: object) -> Resource:
    return make_resource(type_, attributes, region=region, **kw)  # type: ignore[arg-type]


def azure(type_: str, attributes: dict, region: str = "eastus", **kw: object) -> Resource:
    return make_resource(type_, attributes, region=region, **kw)  # type: ignore[arg-type]


def check_azure_vm_on_demand(
    catalog: Catalog, size: str, region: str, hourly: str, monthly: str
) -> None:
    """A Linux VM of *size* in *region*: the catalog's on-demand rate is *hourly* and a month
    is one line of 730 hours at it, *monthly* in all (the hand-computed figures)."""
    assert list_price(catalog, "azurerm", "vm", size, "on_demand", region) == Decimal(hourly)
    (p,) = price(catalog, azure("azurerm_linux_virtual_machine", {"size": size}, region=region))
    assert lines(p)[f"Instance usage ({size}, on-demand)"] == (Decimal(730), Decimal(hourly))
    assert p.monthly_cost == Decimal(monthly)
