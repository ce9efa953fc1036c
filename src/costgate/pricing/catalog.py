"""Load the versioned pricing catalog (sharded by region: pricing/store.py), optionally
overridden.

A user catalog file (same format) replaces single entries of the shipped one, which is how
negotiated discounts or a private price book are applied.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
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


_Tiers = dict[Decimal, PriceEntry]


class Catalog:
    """All prices, indexed by (provider, service, product, region, kind).

    Shipped providers stored as region shards are read lazily: the first lookup in a region
    reads that region's shard, so a run loads only the regions its plan uses. Override
    files (user catalog directory, `--catalog`) are read at once and win over the shipped
    entries they name, whatever order the shards are read in.
    """

    def __init__(
        self,
        shipped: Mapping[PriceKey, _Tiers] | None = None,
        products: Mapping[tuple[str, str], Mapping[str, Any]] | None = None,
        *,
        overrides: Mapping[PriceKey, _Tiers] | None = None,
        shards: Mapping[str, Path] | None = None,
        files: tuple[str, ...] = (),
        file_dates: tuple[tuple[str, str], ...] = (),
        validate_shards: bool = False,
    ) -> None:
        self._shipped: dict[PriceKey, _Tiers] = dict(shipped or {})
        self._overrides: dict[PriceKey, _Tiers] = dict(overrides or {})
        self.products: Mapping[tuple[str, str], Mapping[str, Any]] = MappingProxyType(
            dict(products or {})
        )
        self._shards = dict(shards or {})
        """provider -> folder of region shards not yet fully read"""
        self._folders = dict(self._shards)
        self._indexes: dict[str, Mapping[str, list[str]] | None] = {}
        """provider -> `service:product` -> regions, from a sharded provider's index file
        (read on first use: only a missing price needs it)"""
        self._read: set[tuple[str, str]] = set()
        self._shard_files: list[Path] = []
        self._pending: dict[PriceKey, list[tuple[Mapping[str, Any], Any, Path, int]]] = {}
        """shard items not yet turned into entries, by key"""
        self._merged: dict[PriceKey, tuple[PriceEntry, ...]] = {}
        self._spellings: dict[tuple[str, str, str], str] = {}
        self._facts_by_name: dict[tuple[str, str], Mapping[str, Any]] | None = None
        self._validate_shards = validate_shards
        self.files = files
        self.file_dates = file_dates
        """(file, as_of) of every loaded file, to say which one is stale."""
        self.as_of = min((d for _, d in file_dates if d), default="")
        self._index(self._shipped)
        self._index(self._overrides)
        for provider, name in self.products:  # a product without prices (retired) is spelled too
            service, _, product = name.partition(":")
            self._spellings.setdefault((provider, service, product.lower()), product)

    @property
    def shards_read(self) -> tuple[Path, ...]:
        """The region shards read so far, in the order they were read."""
        return tuple(self._shard_files)

    @classmethod
    def empty(cls) -> Catalog:
        """A catalog with no prices (policy evaluation without pricing)."""
        return cls()

    def tiers(
        self, provider: str, service: str, product: str, region: str, kind: str
    ) -> tuple[PriceEntry, ...]:
        """Every tier of a price, lowest tier first; empty when the catalog has no price."""
        key = (provider, service, product, region, kind)
        found = self._merged.get(key)
        if found is None:
            self._read_region(provider, region)
            self._build(key)
            shipped = self._shipped.get(key, {})
            tiers = {**shipped, **self._overrides.get(key, {})}
            found = tuple(tiers[t] for t in sorted(tiers))
            self._merged[key] = found
        return found

    def price(
        self, provider: str, service: str, product: str, region: str, kind: str
    ) -> PriceEntry | None:
        """The first-tier price, or None when the catalog has none."""
        found = self.tiers(provider, service, product, region, kind)
        return found[0] if found else None

    def product(self, provider: str, service: str, product: str) -> Mapping[str, Any]:
        """Non-price facts (GPU model and count, minimum storage days); empty if none."""
        return self.products.get((provider, f"{service}:{product}"), _NO_FACTS)

    def facts_named(self, provider: str, product: str) -> Mapping[str, Any]:
        """Facts of *product* in whichever service of *provider* describes it, the name
        compared case-insensitively (a GPU model or machine type named by a policy)."""
        if self._facts_by_name is None:
            index: dict[tuple[str, str], Mapping[str, Any]] = {}
            for (prov, name), facts in self.products.items():
                index.setdefault((prov, name.split(":", 1)[-1].lower()), facts)
            self._facts_by_name = index
        return self._facts_by_name.get((provider, product.lower()), _NO_FACTS)

    def spelling(self, provider: str, service: str, product: str, region: str = "") -> str:
        """The catalog's spelling of a product named in another case (Azure sizes are
        case-insensitive: `standard_b1s` is `Standard_B1s`); *product* when unknown.
        With *region* only that region's prices are read to find it."""
        if region:
            self._read_region(provider, region)
        else:
            self._read_provider(provider)
        return self._spellings.get((provider, service, product.lower()), product)

    def regions(self, provider: str, service: str, product: str) -> tuple[str, ...]:
        """Regions in which the catalog prices *product* (to explain a missing price): from
        a sharded provider's index file when it has one, else by reading its shards."""
        return tuple(sorted(self._placed(provider, service, product).get(product, ())))

    def priced(self, provider: str, service: str) -> dict[str, tuple[str, ...]]:
        """Every product of *service* the catalog prices, with its regions (what `pricing
        refresh` asks for by default): from the provider's index file when it has one, else
        by reading that provider's shards only."""
        found = self._placed(provider, service)
        return {product: tuple(sorted(where)) for product, where in sorted(found.items())}

    def _placed(
        self, provider: str, service: str, product: str | None = None
    ) -> dict[str, set[str]]:
        """Product -> regions priced, for one product or a whole service: the index file lists
        every shipped region, so then only overrides can add one; without an index the
        provider's shards are read."""
        found: dict[str, set[str]] = {}
        indexed = self._index_of(provider)
        if indexed is None:
            self._read_provider(provider)
            keys: Iterable[PriceKey] = (*self._shipped, *self._pending, *self._overrides)
        else:
            keys = self._overrides
            if product is not None:
                found[product] = set(indexed.get(f"{service}:{product}", ()))
            else:
                prefix = f"{service}:"
                for name, where in indexed.items():
                    if name.startswith(prefix):
                        found.setdefault(name[len(prefix) :], set()).update(where)
        for key in keys:
            if key[:2] == (provider, service) and product in (None, key[2]):
                found.setdefault(key[2], set()).add(key[3])
        return found

    def entries_of(self, product: str) -> list[PriceEntry]:
        """Every price of *product* in any provider and service (`pricing show`): only the
        region shards the providers' index files name for it are read."""
        for provider in list(self._shards):
            indexed = self._index_of(provider)
            if indexed is None:
                self._read_provider(provider)
                continue
            suffix = f":{product}"
            for name, where in indexed.items():
                if name.endswith(suffix):
                    for region in where:
                        self._read_region(provider, region)
        keys = {*self._shipped, *self._pending, *self._overrides}
        return [entry for key in sorted(keys) if key[2] == product for entry in self.tiers(*key)]

    @property
    def entries(self) -> Mapping[PriceKey, tuple[PriceEntry, ...]]:
        """Every price (reads every shard: for catalog tools, not for runs)."""
        for provider in list(self._shards):
            self._read_provider(provider)
        return MappingProxyType(
            {
                key: self.tiers(*key)
                for key in sorted({*self._shipped, *self._pending, *self._overrides})
            }
        )

    def all_entries(self) -> Iterable[PriceEntry]:
        """Every entry, in a stable order."""
        for tiers in self.entries.values():
            yield from tiers

    def _index_of(self, provider: str) -> Mapping[str, list[str]] | None:
        if provider not in self._indexes:
            from costgate.pricing import store

            folder = self._folders.get(provider)
            self._indexes[provider] = None if folder is None else store.read_index(folder)
        return self._indexes[provider]

    def _index(self, keys: Iterable[PriceKey]) -> None:
        for key in keys:
            self._spellings[(key[0], key[1], key[2].lower())] = key[2]

    def _read_region(self, provider: str, region: str) -> None:
        folder = self._shards.get(provider)
        if folder is None or (provider, region) in self._read:
            return
        self._read.add((provider, region))
        from costgate.pricing import store

        shard = store.shard_path(folder, region)
        if shard is None or not shard.is_file():
            return
        document = read_catalog_file(shard, decimal_strings=True)
        self._shard_files.append(shard)
        if self._validate_shards:
            validate_catalog_document(document, shard)
            _reject_content_errors(document, shard)
        store.check_shard(document, shard)
        # entries are built when their key is first looked up: a shard holds thousands of
        # prices, a run reads a few dozen (building them all took 30 ms for us-east-1)
        sources = document.get("sources", {})
        keys = []
        for index, item in enumerate(document["prices"]):
            key = _key(provider, item, shard, index)
            self._pending.setdefault(key, []).append((item, sources, shard, index))
            keys.append(key)
        self._index(keys)

    def _build(self, key: PriceKey) -> None:
        """Turn a shard's raw items for *key* into entries (once)."""
        for item, sources, shard, index in self._pending.pop(key, ()):
            entry = _entry(key[0], item, sources, shard, index)
            self._shipped.setdefault(key, {})[entry.tier_start] = entry

    def _read_provider(self, provider: str) -> None:
        folder = self._shards.get(provider)
        if folder is None:
            return
        from costgate.pricing import store

        for shard in store.files(folder)[1:]:
            self._read_region(provider, store.region_of(shard))
        del self._shards[provider]


def bundled_catalog_files() -> list[Path]:
    """Every file of the shipped catalog (a sharded provider's header and shards)."""
    from costgate.pricing import store

    providers = store.shipped_providers(data_dir("pricing")).values()
    return [f for path in providers for f in store.files(path)]


def bundled_catalogs() -> list[Path]:
    """The shipped catalog per provider: a shard folder or a single file."""
    from costgate.pricing import store

    return list(store.shipped_providers(data_dir("pricing")).values())


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


def read_catalog_file(path: Path, *, decimal_strings: bool = False) -> dict[str, Any]:
    """Parse one catalog file (money as Decimal), failing with file and position.

    *decimal_strings*: the file's money is decimal strings only, as the schema requires of
    prices and tiers (shipped region shards, checked by `pricing validate`), so the faster
    orjson parser may read it (a 2 MB Azure shard: 22 ms with json, 7 ms); a number where
    money belongs is then rejected when the entry is built, never read as a float."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CatalogError(
            "not a UTF-8 text file; expected a costgate catalog file", path=str(path)
        ) from None
    except OSError as exc:
        raise CatalogError(f"cannot read catalog file: {exc.strerror}", path=str(path)) from exc
    try:
        if decimal_strings:
            import orjson

            data = orjson.loads(raw)
        else:
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
    """The shipped catalog, then the user catalog directory, then each *extra* file.

    Later files replace single entries of earlier ones (same provider, service, product,
    region, kind and tier). Shipped region shards are read when a price of their region is
    first looked up, a provider's region index when a missing price is first explained.
    """
    from costgate.pricing import store

    shipped: dict[PriceKey, _Tiers] = {}
    overrides: dict[PriceKey, _Tiers] = {}
    products: dict[tuple[str, str], Mapping[str, Any]] = {}
    shards: dict[str, Path] = {}
    dates: list[tuple[str, str]] = []
    documents = []
    for provider, path in store.shipped_providers(data_dir("pricing")).items():
        if store.is_sharded(path):
            shards[provider] = path
            path = path / store.HEADER
        documents.append((path, read_catalog_file(path), validate_bundled, shipped))
    paths = [*(user_catalog_files() if user_files else []), *map(Path, extra)]
    documents += [(p, read_catalog_file(p), True, overrides) for p in paths]
    for path, doc, validate, into in documents:
        if validate:
            validate_catalog_document(doc, path)
            _reject_content_errors(doc, path)
        provider = str(doc["provider"])
        dates.append((str(path), str(doc.get("as_of", ""))))
        for name, spec in doc.get("products", {}).items():
            products[(provider, name)] = freeze(spec)
        _add_prices(into, provider, doc, path)
    return Catalog(
        shipped,
        products,
        overrides=overrides,
        shards=shards,
        files=tuple(path for path, _ in dates),
        file_dates=tuple(dates),
        validate_shards=validate_bundled,
    )


def _add_prices(
    into: dict[PriceKey, _Tiers], provider: str, doc: Mapping[str, Any], path: Path
) -> None:
    sources = doc.get("sources", {})
    for index, item in enumerate(doc["prices"]):
        entry = _entry(provider, item, sources, path, index)
        key = (provider, entry.service, entry.product, entry.region, entry.kind)
        into.setdefault(key, {})[entry.tier_start] = entry


def _reject_content_errors(doc: dict[str, Any], path: Path) -> None:
    """A user catalog gets the checks `pricing validate` makes: a zero or negative price,
    a dangling source or a duplicate entry would silently misprice every report."""
    from costgate.pricing.validate import content_problems

    errors = [p for p in content_problems(str(path), doc) if p.severity == "error"]
    if errors:
        raise CatalogError(errors[0].message, path=str(path), location=errors[0].location)


def _key(provider: str, item: Mapping[str, Any], path: Path, index: int) -> PriceKey:
    """The lookup key of a raw price item (its entry is built later, on first lookup)."""
    try:
        service, product = str(item["service"]), str(item["product"])
        return (provider, service, product, str(item["region"]), str(item["kind"]))
    except (KeyError, TypeError) as exc:
        raise _malformed_entry(exc, path, index) from exc


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
            price=_money(item["price"]),
            source=source_id,
            source_url=str(source.get("url", source_id)),
            as_of=str(item["as_of"]),
            tier_start=_money(item.get("tier_start", "0")),
            file=str(path),
        )
    except (KeyError, ArithmeticError, TypeError) as exc:
        raise _malformed_entry(exc, path, index) from exc


def _malformed_entry(exc: Exception, path: Path, index: int) -> CatalogError:
    """The error for price item *index* of *path* that cannot be read (key or entry)."""
    return CatalogError(
        f"price entry is incomplete or malformed ({exc!r}); expected service, product, "
        "region, kind, unit, price, source and as_of",
        path=str(path),
        location=f"/prices/{index}",
    )


def _money(value: object) -> Decimal:
    """A price or tier as Decimal; a binary float is refused (it cannot hold a price exactly)."""
    if isinstance(value, float):
        raise TypeError(f"{value!r} is a number, expected a decimal string")
    return Decimal(str(value))
