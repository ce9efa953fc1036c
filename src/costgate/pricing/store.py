"""How a provider's catalog is stored: one file, or a folder sharded by region.

A user's price book or a refreshed catalog is one JSON document (`aws.json`). The shipped
catalog is large (every region of every cloud), and a run needs the prices of one or two
regions, so each shipped provider is a folder:

    pricing/aws/catalog.json            sources, products, description; no prices
    pricing/aws/regions/us-east-1.json  the prices of one region
    pricing/aws/index.json              which regions price each product (derived, see
                                        `index_of`)

Every file of the folder is itself a valid catalog document (same schema), so each can be
read, validated and overridden on its own; a shard carries only the sources its prices cite.
`read_document` and `write_document` turn a folder into one document and back, so the tools
that edit catalogs (`pricing build`, `validate`, `diff`) do not care how it is stored; the
run-time loader (`catalog.load_catalog`) reads a shard only when a price of its region is
asked for, and the index only when a missing price is explained.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from costgate.errors import CatalogError

HEADER = "catalog.json"
INDEX_FILE = "index.json"
"""A sharded folder's index file: `{"regions": {service:product: [regions]}}`. Not in the
header, which every run parses: with 58 Azure regions the index was 861 KB of the
header's 1.2 MB and most of `load_catalog`'s time, and only a missing price needs it."""
INDEX = "regions"
"""Key of the index file holding `service:product` -> regions (see `index_of`)."""
_OLD_HEADER_INDEX = "regions"
"""Where the index was kept before it got its own file: dropped when a folder is read."""
REGIONS = "regions"
_REGION_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SHARD_FIELDS = ("schema_version", "provider", "currency", "as_of")


def is_sharded(path: Path) -> bool:
    """A provider folder (header plus region shards) rather than a single file."""
    return path.is_dir()


def shipped_providers(folder: Path) -> dict[str, Path]:
    """Provider name -> its folder (or single file) in a shipped pricing folder."""
    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.is_dir() and (path / HEADER).is_file():
            found[path.name] = path
        elif path.suffix == ".json" and path.name != "catalog.schema.json":
            found.setdefault(path.stem, path)
    return found


def shard_path(folder: Path, region: str) -> Path | None:
    """The shard holding *region*'s prices, or None when the name cannot be a region."""
    if not _REGION_NAME.match(region):
        return None
    return folder / REGIONS / f"{region}.json"


def region_of(shard: Path) -> str:
    """The region a shard file holds (its file name)."""
    return shard.stem


def files(path: Path) -> list[Path]:
    """Every file of a stored catalog: the header then the shards, or the single file."""
    if not is_sharded(path):
        return [path]
    return [path / HEADER, *sorted((path / REGIONS).glob("*.json"))]


def read_document(path: Path) -> dict[str, Any]:
    """One catalog document from a single file or a sharded folder (prices of every shard)."""
    return join(path, read_parts(path))


Parts = list[tuple[Path, dict[str, Any]]]
"""Every file of a stored catalog with its parsed document (`files` order: header first)."""


def read_parts(path: Path) -> Parts:
    """Each file of a stored catalog, parsed once (for tools that check every file and
    then the whole: `pricing validate`)."""
    from costgate.pricing.catalog import read_catalog_file

    return [(part, read_catalog_file(part)) for part in files(path)]


def join(path: Path, parts: Parts) -> dict[str, Any]:
    """The one document the parts of *path* make (a single file is its own document)."""
    if not is_sharded(path):
        return parts[0][1]
    (_, header), *shards = parts
    document = {k: v for k, v in header.items() if k != _OLD_HEADER_INDEX}  # derived
    document["sources"] = dict(header.get("sources", {}))
    prices: list[Any] = list(header.get("prices", []))
    for shard, part in shards:
        check_shard(part, shard)
        for source, spec in part.get("sources", {}).items():
            document["sources"].setdefault(source, spec)
        prices.extend(part["prices"])
    document["prices"] = prices
    return document


def check_shard(document: Mapping[str, Any], shard: Path) -> None:
    """A shard holds only its own region's prices (the loader trusts the file name)."""
    region = region_of(shard)
    for index, item in enumerate(document.get("prices", ())):
        if isinstance(item, Mapping) and item.get("region") != region:
            raise CatalogError(
                f"price for region {item.get('region')!r} in the shard of {region!r}; "
                "expected every price of this file to be in the region its name says",
                path=str(shard),
                location=f"/prices/{index}",
            )


def write_document(document: Mapping[str, Any], path: Path) -> list[Path]:
    """Write *document* the way *path* stores it (folder: header plus one shard per region).

    Shards of regions that no longer have prices are removed; every file is written to a
    temporary file and renamed, so a failed write leaves the old file in place.
    """
    if not is_sharded(path):
        write_json(document, path)
        return [path]
    by_region: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for item in document["prices"]:
        by_region[str(item["region"])].append(item)
    bad = [r for r in by_region if not _REGION_NAME.match(r)]
    if bad:
        raise CatalogError(f"region name {bad[0]!r} cannot name a shard file", path=str(path))
    header = {k: v for k, v in document.items() if k not in ("prices", _OLD_HEADER_INDEX)}
    header["prices"] = []
    written = [path / HEADER]
    write_json(header, path / HEADER)
    write_json({INDEX: index_of(document["prices"])}, path / INDEX_FILE)
    sources: Mapping[str, Any] = document.get("sources", {})
    for region, items in sorted(by_region.items()):
        shard = path / REGIONS / f"{region}.json"
        write_json(shard_document(document, sources, sorted(items, key=_order)), shard)
        written.append(shard)
    for stale in set(files(path)[1:]) - set(written):
        stale.unlink()
    return written


def index_of(prices: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Which regions price each product: what a missing-price message lists, kept in the
    index file so that explaining one missing price does not read every shard."""
    found: dict[str, set[str]] = defaultdict(set)
    for item in prices:
        found[f"{item['service']}:{item['product']}"].add(str(item["region"]))
    return {name: sorted(regions) for name, regions in sorted(found.items())}


def read_index(folder: Path) -> dict[str, list[str]] | None:
    """A sharded folder's index (`index_of` of its prices), or None when the folder has no
    index file (the regions are then found by reading the shards)."""
    path = folder / INDEX_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"cannot read the region index: {exc}", path=str(path)) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogError(
            f"not valid JSON ({exc.msg}); expected the region index written by "
            "`costgate pricing build`",
            path=str(path),
            location=f"{exc.lineno}:{exc.colno}",
        ) from exc
    index = data.get(INDEX) if isinstance(data, dict) else None
    if not isinstance(index, dict) or not all(
        isinstance(v, list) and all(isinstance(r, str) for r in v) for v in index.values()
    ):
        raise CatalogError(
            f"expected an object with '{INDEX}': `service:product` -> list of region names",
            path=str(path),
            location=f"/{INDEX}",
        )
    return index


def check_index(path: Path, document: Mapping[str, Any]) -> None:
    """A sharded folder's index file must exist and match its shards (it is written by the
    build; a hand edit of a shard without a rebuild leaves it stale). *document* is the
    folder as read by `join`."""
    index = read_index(path)
    if index != index_of(document["prices"]):
        state = "missing" if index is None else "out of date with the region shards"
        raise CatalogError(
            f"the region index is {state}; expected it to list every product's regions: "
            "rewrite the folder (`costgate pricing build`)",
            path=str(path / INDEX_FILE),
            location=f"/{INDEX}",
        )


def shard_document(
    document: Mapping[str, Any], sources: Mapping[str, Any], items: Iterable[Mapping[str, Any]]
) -> dict[str, Any]:
    """A self-contained catalog document for one region's prices."""
    prices = list(items)
    cited = sorted({str(p["source"]) for p in prices})
    return {
        **{k: document[k] for k in _SHARD_FIELDS if k in document},
        "sources": {s: sources[s] for s in cited if s in sources},
        "products": {},
        "prices": prices,
    }


def _order(item: Mapping[str, Any]) -> tuple[str, str, str, Decimal]:
    return (
        str(item["service"]),
        str(item["product"]),
        str(item["kind"]),
        Decimal(str(item.get("tier_start", "0"))),
    )


def _number(value: object) -> int | float:
    """Product facts read as Decimal (`memory_gib: 85.0`) are written back as numbers."""
    if isinstance(value, Decimal):
        return (
            int(value)
            if value == value.to_integral_value() and "." not in str(value)
            else float(str(value))
        )
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def plain(document: Mapping[str, Any]) -> dict[str, Any]:
    """*document* with plain JSON values (product facts read as Decimal become numbers)."""
    result: dict[str, Any] = json.loads(json.dumps(document, default=_number))
    return result


def write_json(document: Mapping[str, Any], target: Path) -> None:
    """Write one JSON file atomically (temp file beside it, then rename), with the mode a
    plain `open()` gives (mkstemp's 0600 would ship unreadable catalog files in a wheel)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=2, ensure_ascii=False, default=_number)
            handle.write("\n")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process umask (reading it means setting it: restored at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
