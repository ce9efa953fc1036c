"""`costgate pricing coverage`: what the catalog prices where (cloud x family x region)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from costgate.pricing.catalog import Catalog

COMPUTE = {"aws": "ec2", "google": "compute", "azurerm": "vm"}
_AZURE_SIZE = re.compile(r"^(?:Standard_|Basic_)?(?P<series>[A-Z]+)\d+(?P<rest>.*)$")


def family(provider: str, service: str, product: str) -> str:
    """The family a product belongs to: `p4d` (p4d.24xlarge), `a2` (a2-highgpu-1g),
    `NCads_A100_v4` (Standard_NC24ads_A100_v4), `gpu` for GCP attachable GPUs; other
    services are one family each (`ebs`, `s3`, `disk`, ...)."""
    if service != COMPUTE.get(provider):
        return service
    if provider == "aws":
        return product.split(".", 1)[0]
    if provider == "google":
        return "gpu" if product.startswith("nvidia-") else product.split("-", 1)[0]
    match = _AZURE_SIZE.match(product)
    return match.group("series") + match.group("rest") if match else product


@dataclass(frozen=True, slots=True)
class Cell:
    """One (cloud, service, family, region): the price kinds present and how many products."""

    provider: str
    service: str
    family: str
    region: str
    kinds: tuple[str, ...]
    products: int


def coverage(catalog: Catalog, providers: tuple[str, ...] = ()) -> list[Cell]:
    """Every priced (cloud, service, family, region), sorted."""
    kinds: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
    products: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
    for provider, service, product, region, kind in catalog.entries:
        if providers and provider not in providers:
            continue
        key = (provider, service, family(provider, service, product), region)
        kinds[key].add(kind)
        products[key].add(product)
    return [Cell(*key, tuple(sorted(kinds[key])), len(products[key])) for key in sorted(kinds)]


def summary(cells: list[Cell]) -> dict[str, dict[str, int]]:
    """Per cloud: regions, families, priced (family, region) pairs, and those with spot."""
    out: dict[str, dict[str, int]] = {}
    for provider in sorted({c.provider for c in cells}):
        mine = [c for c in cells if c.provider == provider]
        out[provider] = {
            "regions": len({c.region for c in mine}),
            "families": len({(c.service, c.family) for c in mine}),
            "family_regions": len(mine),
            "family_regions_with_spot": sum(1 for c in mine if "spot" in c.kinds),
        }
    return out
