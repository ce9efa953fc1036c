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
