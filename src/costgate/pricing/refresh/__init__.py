"""`costgate pricing refresh`: fetch current list prices from a cloud's price API and write
a catalog file that overrides the shipped one entry by entry.

Each provider module (listed in `source.PRICE_SOURCES`) turns API responses into `Fetched`
prices; this module builds the
catalog document (source and as_of on every entry, product facts copied from the shipped
catalog) and writes it atomically, so a failed refresh never replaces a good file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from costgate.errors import CatalogError

if TYPE_CHECKING:  # the catalog is loaded by the caller; importing it here would slow start-up
    from costgate.pricing.catalog import Catalog

PRICE_STEP = Decimal("0.0000000001")
"""Refreshed prices keep 10 decimal places (currency conversion makes endless fractions)."""

COMPUTE_SERVICE = {"aws": "ec2", "google": "compute", "azurerm": "vm"}


@dataclass(frozen=True, slots=True)
class Fetched:
    """One price read from a cloud API."""

    service: str
    product: str
    region: str
    kind: str
    unit: str
    price: Decimal
    note: str = ""
    tier_start: Decimal = Decimal(0)


@dataclass(frozen=True)
class Request:
    """What to refresh: regions and product types (defaults come from the shipped catalog).

    `regions_named` / `types_named` say whether the user gave them: a source widens a
    default request (AWS adds SageMaker and storage, GCP reads Cloud Storage in every
    location) but never a named one."""

    regions: tuple[str, ...]
    types: tuple[str, ...]
    regions_named: bool = True
    types_named: bool = True


def default_request(
    catalog: Catalog, provider: str, regions: Sequence[str], types: Sequence[str]
) -> Request:
    """Regions/types the user named, else the compute ones the shipped catalog prices, plus
    the types it describes without a price (a family no dated dump covers, such as GCP's A4:
    refresh is the way to price it) unless they are retired."""
    service = COMPUTE_SERVICE[provider]
    known = catalog.priced(provider, service)
    described = {
        name.partition(":")[2]
        for (owner, name), facts in catalog.products.items()
        if owner == provider and name.startswith(f"{service}:") and not facts.get("retired")
    }
    return Request(
        regions=tuple(regions) or tuple(sorted({r for where in known.values() for r in where})),
        types=tuple(types) or tuple(sorted(set(known) | described)),
        regions_named=bool(regions),
        types_named=bool(types),
    )


def without_retired(
    request: Request, catalog: Catalog, provider: str
) -> tuple[Request, tuple[str, ...]]:
    """*request* without the types the shipped catalog marks `retired` (a retired product
    keeps no price, so `pricing validate` would reject the written file), and a message per
    type left out naming its retirement date. Every requested type retired is an error:
    there is nothing to fetch."""
    service = COMPUTE_SERVICE[provider]
    kept, skipped = [], []
    for name in request.types:
        retired = catalog.product(provider, service, name).get("retired")
        if retired:
            skipped.append(f"skipping {name}: retired on {retired} (a retired size keeps no price)")
        else:
            kept.append(name)
    if skipped and not kept:
        raise CatalogError(
            f"every requested {provider} type is retired: "
            + "; ".join(m.removeprefix("skipping ") for m in skipped)
            + "; nothing written"
        )
    return replace(request, types=tuple(kept)), tuple(skipped)


def build_document(
    provider: str,
    prices: Iterable[Fetched],
    source_id: str,
    source_url: str,
    description: str,
    catalog: Catalog,
    today: dt.date,
) -> dict[str, Any]:
    """A catalog document for the fetched prices, validated by the caller."""
    as_of = today.isoformat()
    items = sorted(prices, key=lambda p: (p.service, p.product, p.region, p.kind, p.tier_start))
    if not items:
        raise CatalogError(
            f"refresh found no {provider} prices for the requested regions and "
            "types; nothing written"
        )
    products = {  # facts without their source id: the shipped file's sources are not copied
        f"{p.service}:{p.product}": {
            k: v
            for k, v in catalog.product(provider, p.service, p.product).items()
            if k != "source"
        }
        for p in items
        if catalog.product(provider, p.service, p.product)
    }
    return {
        "schema_version": 1,
        "provider": provider,
        "currency": "USD",
        "as_of": as_of,
        "description": f"Refreshed by `costgate pricing refresh` on {as_of}; overrides the "
        "shipped catalog entry by entry.",
        "sources": {source_id: {"url": source_url, "description": description, "retrieved": as_of}},
        "products": {k: _plain(v) for k, v in sorted(products.items())},
        "prices": [_entry(p, source_id, as_of) for p in items],
    }


def _plain(value: Any) -> Any:
    if isinstance(value, dict) or hasattr(value, "items"):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _entry(p: Fetched, source_id: str, as_of: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "service": p.service,
        "product": p.product,
        "region": p.region,
        "kind": p.kind,
        "unit": p.unit,
        "price": format(p.price.quantize(PRICE_STEP).normalize(), "f"),
        "source": source_id,
        "as_of": as_of,
    }
    if p.tier_start:
        entry["tier_start"] = format(p.tier_start.normalize(), "f")
    if p.note:
        entry["note"] = p.note
    return entry


def default_output(provider: str) -> Path:
    """`<user catalog dir>/<provider>.json`, loaded automatically by every run."""
    from costgate.pricing.catalog import user_catalog_dir

    return user_catalog_dir() / f"{provider}.json"


def write_catalog(document: dict[str, Any], target: Path) -> None:
    """Validate, then write to a temp file beside *target* and rename over it."""
    from costgate.pricing.catalog import validate_catalog_document

    validate_catalog_document(document, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=2)
            handle.write("\n")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
