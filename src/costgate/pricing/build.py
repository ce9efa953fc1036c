"""`costgate pricing build`: turn dated dumps of the clouds' price APIs into catalog entries.

The dumps are listed in a manifest (`pricing/sources/manifest.json`): for each, the repository,
commit and path it was read from, the date of its data and the reader that parses it. The
readers reuse the parsers `pricing refresh` applies to live API pages (`refresh.azure.
parse_items` for Retail Prices API items), so a dump and a live page give the same entry.

A build is reproducible: the entries of every source in the manifest are removed and
re-added from its dump, sorted; entries from other sources are kept. Where another source
already prices a (service, product, region, kind), the existing entry is kept and the
difference is reported (`Conflict`), so a build never silently changes a reviewed price.
Only products the catalog knows (a price or product facts) are added; a reader may add
product facts taken from its own dump.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from costgate.errors import CatalogError
from costgate.pricing import store
from costgate.pricing.refresh import PRICE_STEP, Fetched
from costgate.pricing.refresh import azure as azure_refresh

MANIFEST_NAME = "sources/manifest.json"


@dataclass(frozen=True)
class Dump:
    """One dated dump named in the manifest."""

    id: str
    provider: str
    reader: str
    repository: str
    commit: str
    path: str
    data_date: str
    description: str
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """Where the dump can be read again: the file at its commit."""
        return f"https://github.com/{self.repository}/blob/{self.commit}/{self.path}"

    def local_name(self) -> str:
        """File name of the dump in the `--dumps` folder: `<id><suffix of path>`."""
        return self.id + Path(self.path).suffix


@dataclass(frozen=True)
class Read:
    """What a reader found in one dump: prices and facts for products new to the catalog."""

    prices: list[Fetched]
    products: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Conflict:
    """A dump price for a key another source already prices (the existing entry is kept)."""

    key: str
    kept: str
    kept_source: str
    dumped: str
    dump: str


@dataclass
class BuildResult:
    """Per provider: entries written per dump and conflicts with other sources."""

    added: dict[str, int] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class Known:
    """The products the catalog knows (a price or product facts), per service."""

    names: frozenset[tuple[str, str]]

    def __call__(self, service: str, product: str) -> bool:
        return (service, product) in self.names

    def of(self, service: str) -> list[str]:
        """Every known product of *service*."""
        return sorted(p for s, p in self.names if s == service)


def load_manifest(path: Path) -> list[Dump]:
    """The dumps a manifest lists."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return [
            Dump(
                id=str(d["id"]),
                provider=str(d["provider"]),
                reader=str(d["reader"]),
                repository=str(d["repository"]),
                commit=str(d["commit"]),
                path=str(d["path"]),
                data_date=str(d["data_date"]),
                description=str(d["description"]),
                options=dict(d.get("options", {})),
            )
            for d in raw["dumps"]
        ]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CatalogError(f"cannot read the build manifest: {exc!r}", path=str(path)) from exc


# --- readers -------------------------------------------------------------------------------

_SUFFIX = re.compile(r" (Spot|Low Priority)$")


def _squash(size: str) -> str:
    """`Standard_NC40ads_H100_v5` and the meter name `NC40adsH100v5` -> `nc40adsh100v5`."""
    name = size.lower()
    name = name.removeprefix("standard_")
    return name.replace("_", "").replace(" ", "")


def azure_retail_items(path: Path, dump: Dump, known: Known) -> Read:
    """A Retail Prices API page (`{"Items": [...]}`) or a mapping of trimmed API items keyed
    `productId/skuId|meterId|type|...` (andy-diericks/azure-pricing-radar), read with the
    same parser as `pricing refresh azure` (`refresh.azure.parse_items`).

    Items that lack `armSkuName` (the radar keeps only `skuName`, e.g. `NC40adsH100v5`) get
    the ARM size whose name matches it without `Standard_` and underscores, among the sizes
    the catalog knows (`options.sizes` may list more); other sizes are not added.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    sizes = {_squash(s): s for s in [*known.of("vm"), *dump.options.get("sizes", [])]}
    if isinstance(data, Mapping) and "Items" in data:
        raw_items: Iterable[tuple[str, Mapping[str, Any]]] = (("", i) for i in data["Items"])
    elif isinstance(data, Mapping):
        raw_items = data.items()
    else:
        raise CatalogError("not a Retail Prices API page or item mapping", path=str(path))
    items = []
    for key, raw in raw_items:
        item = dict(raw)
        parts = key.split("|")
        if len(parts) >= 3:
            item.setdefault("type", parts[2])
            item.setdefault("meterId", parts[1])
        if "serviceName" in dump.options:
            item.setdefault("serviceName", dump.options["serviceName"])
        if "armSkuName" not in item:
            base = _SUFFIX.sub("", str(item.get("skuName", "")))
            arm = sizes.get(_squash(base))
            if arm is None and base.startswith("Standard_"):
                arm = base
            if arm is None:
                if item.get("serviceName") == "Virtual Machines":
                    continue
                arm = base
            item["armSkuName"] = arm
        items.append(item)
    prices = [p for p in azure_refresh.parse_items(items) if known(p.service, p.product)]
    return Read(prices)


GCP_ACCELERATORS = {
    "a100": ("NVIDIA A100", 40),
    "a100-80gb": ("NVIDIA A100", 80),
    "h100-80gb": ("NVIDIA H100", 80),
    "h100-80gb-mega": ("NVIDIA H100", 80),
    "l4": ("NVIDIA L4", 24),
}
"""Accelerator keys of Cyclenerd's pricing.yml -> (model, GiB per GPU)."""


def gcp_cyclenerd_pricing_yml(path: Path, dump: Dump, known: Known) -> Read:
    """`pricing.yml` of Cyclenerd/google-cloud-pricing-cost-calculator: per machine type and
    region, `hour` (on-demand list price, GPUs of A2/A3/G2 included) and `hour_spot`, which
    the repository computes from Cloud Billing Catalog API SKUs. Machine types of the
    families in `options.families` are read; facts (vCPU, memory, bundled GPUs) come from
    the same file for types the catalog does not describe yet. Of the families in
    `options.known_types_of`, only the types the catalog already describes are read.
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=loader)
    families = tuple(f"{f}-" for f in dump.options.get("families", []))
    known_only = tuple(f"{f}-" for f in dump.options.get("known_types_of", []))
    prices: list[Fetched] = []
    products: dict[str, dict[str, Any]] = {}
    note = f"pricing.yml @{dump.commit[:8]}"
    for machine, spec in sorted(data["compute"]["instance"].items()):
        if machine.startswith(known_only) and not known("compute", machine):
            continue
        if not machine.startswith(families + known_only):
            continue
        if not known("compute", machine):
            facts = _gcp_facts(spec)
            if facts is None:
                continue
            products[f"compute:{machine}"] = {**facts, "source": dump.id}
        for region, cost in sorted((spec.get("cost") or {}).items()):
            for field_name, kind in (("hour", "on_demand"), ("hour_spot", "spot")):
                value = cost.get(field_name)
                if value is None or Decimal(str(value)) <= 0:
                    continue
                prices.append(
                    Fetched(
                        "compute",
                        machine,
                        region,
                        kind,
                        "hour",
                        Decimal(str(value)),
                        f"{note}: {field_name}",
                    )
                )
    return Read(prices, products)


def _gcp_facts(spec: Mapping[str, Any]) -> dict[str, Any] | None:
    try:
        facts: dict[str, Any] = {"vcpu": int(spec["cpu"]), "memory_gib": spec["ram"]}
    except (KeyError, TypeError, ValueError):
        return None
    for key, (model, gib) in GCP_ACCELERATORS.items():
        if spec.get(key):
            count = int(spec[key])
            facts["accelerator"] = {
                "kind": "gpu",
                "model": model,
                "count": count,
                "memory_gib": gib * count,
            }
    return facts


READERS: dict[str, Callable[[Path, Dump, Known], Read]] = {
    "azure-retail-items": azure_retail_items,
    "gcp-cyclenerd-pricing-yml": gcp_cyclenerd_pricing_yml,
}
"""Reader name (the manifest's `reader`) -> function."""


# --- build ---------------------------------------------------------------------------------


def _price_string(value: Decimal) -> str:
    return format(value.quantize(PRICE_STEP).normalize(), "f")


def build(manifest: Path, dumps: Path, catalog_dir: Path, only: Iterable[str] = ()) -> BuildResult:
    """Rebuild the entries of every manifest dump (or those in *only*) in *catalog_dir*."""
    wanted = set(only)
    selected = [d for d in load_manifest(manifest) if not wanted or d.id in wanted]
    if wanted - {d.id for d in selected}:
        raise CatalogError(f"not in the manifest: {', '.join(sorted(wanted))}")
    result = BuildResult()
    stored = store.shipped_providers(catalog_dir)
    for provider in sorted({d.provider for d in selected}):
        target = stored.get(provider, catalog_dir / f"{provider}.json")
        document = store.read_document(target)
        mine = [d for d in selected if d.provider == provider]
        _build_provider(document, mine, dumps, result)
        store.write_document(document, target)
        result.files.append(target)
    return result


def _build_provider(
    document: dict[str, Any], mine: list[Dump], dumps: Path, result: BuildResult
) -> None:
    ids = {d.id for d in mine}
    kept = [e for e in document["prices"] if e["source"] not in ids]
    products = {k: v for k, v in document["products"].items() if v.get("source") not in ids}
    known = Known(
        frozenset(
            {(e["service"], e["product"]) for e in kept}
            | {tuple(name.split(":", 1)) for name in products}
        )
    )

    existing = {
        (e["service"], e["product"], e["region"], e["kind"], e.get("tier_start", "0")): e
        for e in kept
    }
    added: list[dict[str, Any]] = []
    for dump in mine:
        path = dumps / dump.local_name()
        if not path.is_file():
            raise CatalogError(
                f"dump {dump.id} is missing: fetch {dump.path} of {dump.repository} at "
                f"{dump.commit} into {path}",
                path=str(path),
            )
        reader = READERS.get(dump.reader)
        if reader is None:
            raise CatalogError(f"unknown reader {dump.reader!r} for dump {dump.id}")
        read = reader(path, dump, known)
        for name, facts in read.products.items():
            products.setdefault(name, facts)
        known = Known(known.names | {tuple(n.split(":", 1)) for n in read.products})  # type: ignore[misc]
        count = 0
        for p in sorted(read.prices, key=lambda p: (p.service, p.product, p.region, p.kind)):
            key = (p.service, p.product, p.region, p.kind, "0")
            price = _price_string(p.price)
            if key in existing:
                other = existing[key]
                if other["source"] in ids and other["source"] != dump.id:
                    continue  # an earlier dump of this build already priced it
                if Decimal(other["price"]) != Decimal(price) and other["source"] != dump.id:
                    result.conflicts.append(
                        Conflict("/".join(key[:4]), other["price"], other["source"], price, dump.id)
                    )
                continue
            entry = {
                "service": p.service,
                "product": p.product,
                "region": p.region,
                "kind": p.kind,
                "unit": p.unit,
                "price": price,
                "source": dump.id,
                "as_of": dump.data_date,
            }
            if p.note:
                entry["note"] = p.note
            existing[key] = entry
            added.append(entry)
            count += 1
        result.added[dump.id] = count
        document["sources"][dump.id] = {
            "url": dump.url,
            "description": f"{dump.description} Data date {dump.data_date}; read by "
            f"`costgate pricing build` with the {dump.reader} reader.",
        }
    document["prices"] = kept + added
    document["products"] = products
