"""Load the versioned pricing catalog: one JSON file per provider, optionally overridden.

A user catalog file (same format) replaces single entries of the shipped one, which is how
negotiated discounts or a private price book are applied.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from costgate.errors import CatalogError
from costgate.model import PriceRef, freeze
from costgate.resources import data_dir

_NO_FACTS: Mapping[str, Any] = MappingProxyType({})

PriceKey = tuple[str, str, str, str, str]
"""(provider, service, product, region, kind)"""


@dataclass(frozen=True, slots=True)
class PriceEntry:
    """One unit price from the catalog, with where it came from."""

    provider: str
    service: str
    product: str
    region: str
    kind: str
    unit: str
    price: Decimal
    source: str
    source_url: str
    as_of: str
    tier_start: Decimal = Decimal(0)
    file: str = ""
    _ref: PriceRef | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def key(self) -> str:
        """Stable human-readable id, e.g. `aws/ec2/us-east-1/p4d.24xlarge/on_demand`."""
        base = f"{self.provider}/{self.service}/{self.region}/{self.product}/{self.kind}"
        return f"{base}@{self.tier_start}" if self.tier_start else base

    @property
    def ref(self) -> PriceRef:
        """What a cost line cites (built once: every line priced from the entry shares it)."""
        ref = self._ref
        if ref is None:
            ref = PriceRef(key=self.key, source=self.source_url, as_of=self.as_of)
            object.__setattr__(self, "_ref", ref)
        return ref


@dataclass(frozen=True)
class Catalog:
    """All loaded prices, indexed for lookup by (provider, service, product, region, kind)."""

    entries: Mapping[PriceKey, tuple[PriceEntry, ...]]
    products: Mapping[tuple[str, str], Mapping[str, Any]]
    files: tuple[str, ...]
    as_of: str
    file_dates: tuple[tuple[str, str], ...] = ()
    """(file, as_of) of every loaded file, to say which one is stale."""

    def tiers(
        self, provider: str, service: str, product: str, region: str, kind: str
    ) -> tuple[PriceEntry, ...]:
        """Every tier of a price, lowest tier first; empty when the catalog has no price."""
        return self.entries.get((provider, service, product, region, kind), ())

    def price(
        self, provider: str, service: str, product: str, region: str, kind: str
    ) -> PriceEntry | None:
        """The first-tier price, or None when the catalog has none."""
        found = self.tiers(provider, service, product, region, kind)
        return found[0] if found else None

    def product(self, provider: str, service: str, product: str) -> Mapping[str, Any]:
        """Non-price facts (GPU model and count, minimum storage days); empty if none."""
        return self.products.get((provider, f"{service}:{product}"), _NO_FACTS)

    def spelling(self, provider: str, service: str, product: str) -> str:
        """The catalog's spelling of a product named in another case (Azure sizes are
        case-insensitive: `standard_b1s` is `Standard_B1s`); *product* when unknown."""
        return self._spellings.get((provider, service, product.lower()), product)

    @cached_property
    def _spellings(self) -> dict[tuple[str, str, str], str]:
        return {(k[0], k[1], k[2].lower()): k[2] for k in self.entries}

    def regions(self, provider: str, service: str, product: str) -> tuple[str, ...]:
        """Regions in which the catalog prices *product* (to explain a missing price)."""
        return tuple(sorted({k[3] for k in self.entries if k[:3] == (provider, service, product)}))

    def all_entries(self) -> Iterable[PriceEntry]:
        """Every entry, in a stable order."""
        for key in sorted(self.entries):
            yield from self.entries[key]


def bundled_catalog_files() -> list[Path]:
    """The provider catalog files shipped with costgate."""
    return sorted(p for p in data_dir("pricing").glob("*.json") if p.name != "catalog.schema.json")


def user_catalog_dir() -> Path:
    """Where `costgate pricing refresh` writes and every run reads refreshed catalogs.

    `$COSTGATE_CATALOG_DIR`, else `$XDG_DATA_HOME/costgate/pricing`, else
    `~/.local/share/costgate/pricing`.
    """
    explicit = os.environ.get("COSTGATE_CATALOG_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "costgate" / "pricing"


def user_catalog_files() -> list[Path]:
    """Refreshed catalog files in the user catalog directory (they override the bundled ones)."""
    folder = user_catalog_dir()
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def read_catalog_file(path: Path) -> dict[str, Any]:
    """Parse one catalog file (money as Decimal), failing with file and position."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CatalogError(
            "not a UTF-8 text file; expected a costgate catalog file", path=str(path)
        ) from None
    except OSError as exc:
        raise CatalogError(f"cannot read catalog file: {exc.strerror}", path=str(path)) from exc
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise CatalogError(
            f"not valid JSON ({exc.msg}); expected a costgate catalog file",
            path=str(path),
            location=f"{exc.lineno}:{exc.colno}",
        ) from exc
    if not isinstance(data, dict) or "prices" not in data or "provider" not in data:
        raise CatalogError(
            "not a costgate catalog: expected an object with 'provider' and 'prices'",
            path=str(path),
        )
    return data


def validate_catalog_document(data: Mapping[str, Any], path: Path) -> None:
    """Check a catalog document against the published JSON Schema."""
    from costgate.validation import first_schema_error

    schema_file = data_dir("pricing") / "catalog.schema.json"
    error = first_schema_error(data, schema_file)
    if error is not None:
        raise CatalogError(error, path=str(path))


def load_catalog(
    extra: Iterable[Path] = (), *, validate_bundled: bool = False, user_files: bool = True
) -> Catalog:
    """Load the shipped catalog, then the user catalog directory, then each *extra* file.

    Later files replace single entries of earlier ones (same provider, service, product,
    region, kind and tier).
    """
    documents = [(p, read_catalog_file(p), validate_bundled) for p in bundled_catalog_files()]
    overrides = [*(user_catalog_files() if user_files else []), *map(Path, extra)]
    documents += [(p, read_catalog_file(p), True) for p in overrides]
    entries: dict[PriceKey, dict[Decimal, PriceEntry]] = {}
    products: dict[tuple[str, str], Mapping[str, Any]] = {}
    dates: list[str] = []
    for path, doc, validate in documents:
        if validate:
            validate_catalog_document(doc, path)
            _reject_content_errors(doc, path)
        provider = str(doc["provider"])
        sources = doc.get("sources", {})
        dates.append(str(doc.get("as_of", "")))
        for name, spec in doc.get("products", {}).items():
            products[(provider, name)] = freeze(spec)
        for index, item in enumerate(doc["prices"]):
            entry = _entry(provider, item, sources, path, index)
            key = (provider, entry.service, entry.product, entry.region, entry.kind)
            entries.setdefault(key, {})[entry.tier_start] = entry
    frozen = {key: tuple(tiers[t] for t in sorted(tiers)) for key, tiers in entries.items()}
    return Catalog(
        entries=MappingProxyType(frozen),
        products=MappingProxyType(products),
        files=tuple(str(p) for p, _, _ in documents),
        as_of=min((d for d in dates if d), default=""),
        file_dates=tuple((str(p), str(doc.get("as_of", ""))) for p, doc, _ in documents),
    )


def _reject_content_errors(doc: dict[str, Any], path: Path) -> None:
    """A user catalog gets the checks `pricing validate` makes: a zero or negative price,
    a dangling source or a duplicate entry would silently misprice every report."""
    from costgate.pricing.validate import content_problems

    errors = [p for p in content_problems(str(path), doc) if p.severity == "error"]
    if errors:
        raise CatalogError(errors[0].message, path=str(path), location=errors[0].location)


def _entry(
    provider: str, item: Mapping[str, Any], sources: Mapping[str, Any], path: Path, index: int
) -> PriceEntry:
    try:
        source_id = str(item["source"])
        source = sources.get(source_id, {})
        return PriceEntry(
            provider=provider,
            service=str(item["service"]),
            product=str(item["product"]),
            region=str(item["region"]),
            kind=str(item["kind"]),
            unit=str(item["unit"]),
            price=Decimal(str(item["price"])),
            source=source_id,
            source_url=str(source.get("url", source_id)),
            as_of=str(item["as_of"]),
            tier_start=Decimal(str(item.get("tier_start", "0"))),
            file=str(path),
        )
    except (KeyError, ArithmeticError, TypeError) as exc:
        raise CatalogError(
            f"price entry is incomplete or malformed ({exc!r}); expected service, product, "
            "region, kind, unit, price, source and as_of",
            path=str(path),
            location=f"/prices/{index}",
        ) from exc
