"""Catalog trust checks behind `costgate pricing validate`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from costgate.errors import CatalogError
from costgate.pricing import store
from costgate.pricing.catalog import validate_catalog_document


@dataclass(frozen=True, slots=True)
class Problem:
    """One catalog problem; errors fail validation, warnings are reported."""

    file: str
    location: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.location}: {self.severity}: {self.message}"


def validate_files(paths: Iterable[Path]) -> list[Problem]:
    """Schema (of every file of a sharded folder), references, duplicates, prices that
    cannot be right, regions missing."""
    problems: list[Problem] = []
    for path in paths:
        try:
            parts = store.read_parts(path)
            for part, document in parts:
                validate_catalog_document(document, part)
            doc = store.join(path, parts)
            if store.is_sharded(path):
                store.check_index(path, doc)
        except CatalogError as exc:
            problems.append(Problem(exc.path or str(path), exc.location or "/", exc.message))
            continue
        problems.extend(content_problems(str(path), doc))
        problems.extend(age_problems(str(path), doc))
    return problems


def age_problems(file: str, doc: dict[str, Any]) -> list[Problem]:
    """Warnings for families whose prices' data is older than the spot (30 days) or list
    (180 days) limit, judged on each price's own `as_of`."""
    from costgate.pricing.trust import price_age_warnings

    provider = str(doc["provider"])
    prices = [
        (f"{provider}/{p['service']}/{p['region']}/{p['product']}/{p['kind']}", str(p["as_of"]))
        for p in doc["prices"]
    ]
    return [Problem(file, "as_of", w, "warning") for w in price_age_warnings(prices)]


def content_problems(file: str, doc: dict[str, Any]) -> list[Problem]:
    """Problems the schema cannot see: references, duplicates, prices that cannot be right."""
    problems = []
    sources = doc["sources"]
    seen: dict[tuple[str, ...], int] = {}
    by_kind: dict[tuple[str, str, str], dict[str, Decimal]] = defaultdict(dict)
    regions_by_product: dict[tuple[str, str], set[str]] = defaultdict(set)
    all_regions: dict[str, set[str]] = defaultdict(set)
    for i, item in enumerate(doc["prices"]):
        where = f"/prices/{i}"
        key = (
            item["service"],
            item["product"],
            item["region"],
            item["kind"],
            str(item.get("tier_start", "0")),
        )
        if key in seen:
            problems.append(
                Problem(file, where, f"duplicate of /prices/{seen[key]}: {'/'.join(key)}")
            )
        seen.setdefault(key, i)
        if item["source"] not in sources:
            problems.append(Problem(file, where, f"source {item['source']!r} is not in sources"))
        price = Decimal(item["price"])
        if price <= 0:
            problems.append(Problem(file, where, f"price {item['price']} is not positive"))
        if item.get("tier_start", "0") == "0":
            by_kind[(item["service"], item["product"], item["region"])][item["kind"]] = price
        regions_by_product[(item["service"], item["product"])].add(item["region"])
        all_regions[item["service"]].add(item["region"])
    for (service, product, region), kinds in sorted(by_kind.items()):
        spot, on_demand = kinds.get("spot"), kinds.get("on_demand")
        if spot is not None and on_demand is not None and spot > on_demand:
            problems.append(
                Problem(
                    file,
                    f"{service}/{product}/{region}",
                    f"spot {spot} is above on-demand {on_demand}",
                )
            )
    gaps: dict[str, list[str]] = defaultdict(list)
    for (service, product), regions in sorted(regions_by_product.items()):
        if all_regions[service] - regions:
            gaps[service].append(product)
    for service, products in sorted(gaps.items()):
        # one line per service: a wide catalog prices many types only where they are sold
        shown = ", ".join(products[:5]) + (", ..." if len(products) > 5 else "")
        problems.append(
            Problem(
                file,
                service,
                f"{len(products)} product(s) not priced in every one of the "
                f"{len(all_regions[service])} regions this file prices {service} in ({shown}); "
                "`costgate pricing coverage` shows where each family is priced",
                "warning",
            )
        )
    products = doc.get("products", {})
    for i, item in enumerate(doc["prices"]):
        retired = products.get(f"{item['service']}:{item['product']}", {}).get("retired")
        if retired:
            problems.append(
                Problem(
                    file,
                    f"/prices/{i}",
                    f"{item['product']} was retired on {retired}: a retired product keeps no price",
                )
            )
    for name, facts in products.items():
        if "source" in facts and facts["source"] not in sources:
            problems.append(
                Problem(file, f"/products/{name}", f"source {facts['source']!r} is not in sources")
            )
    return problems
