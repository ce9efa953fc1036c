"""Catalog trust: how old the prices are, what changed between two catalogs, and a
per-GPU comparison across clouds (the seed's GPU table, computed from the catalog)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from costgate.errors import CatalogError
from costgate.pricing.catalog import Catalog, PriceEntry
from costgate.pricing.refresh.source import REFRESH_CLOUDS

DEFAULT_MAX_CATALOG_AGE_DAYS = 180
"""A catalog file reviewed longer ago than this adds a warning to every report."""

SPOT_MAX_AGE_DAYS = 30
"""A spot (or low-priority) price whose data is older than this is stale: spot prices move."""
LIST_MAX_AGE_DAYS = 180
"""A list price whose data is older than this is stale."""


def _is_spot(kind: str) -> bool:
    return kind.startswith(("spot", "low_priority"))


def price_age_warnings(
    prices: Iterable[tuple[str, str]],
    today: dt.date | None = None,
    spot_days: int = SPOT_MAX_AGE_DAYS,
    list_days: int = LIST_MAX_AGE_DAYS,
) -> list[str]:
    """One warning per (cloud, service, family, spot or list) whose oldest price is older
    than its limit. *prices* are (key, as_of) pairs, keys as `PriceEntry.key` writes them
    (`aws/ec2/us-east-1/p4d.24xlarge/spot`): a report passes the prices its lines cite,
    `pricing validate` every price of a file."""
    from costgate.pricing.coverage import family

    today = today or dt.date.today()
    oldest: dict[tuple[str, str, str, bool], tuple[str, int]] = {}
    for key, as_of in prices:
        parts = key.split("@", 1)[0].split("/")
        if len(parts) != 5:
            continue
        provider, service, _region, product, kind = parts
        group = (provider, service, family(provider, service, product), _is_spot(kind))
        before = oldest.get(group)
        count = before[1] + 1 if before else 1
        oldest[group] = (min(as_of, before[0]) if before else as_of, count)
    warnings = []
    for (provider, service, fam, spot), (as_of, count) in sorted(oldest.items()):
        limit = spot_days if spot else list_days
        try:
            age = (today - dt.date.fromisoformat(as_of)).days
        except ValueError:
            warnings.append(f"{provider} {service} {fam}: a price has no valid as_of date")
            continue
        if age > limit:
            what = "spot" if spot else "list"
            warnings.append(
                f"{provider} {service} {fam} {what} prices are up to {age} days old (oldest "
                f"data as of {as_of}, {count} price(s); limit {limit} days); run "
                f"`costgate pricing refresh {REFRESH_CLOUDS.get(provider, provider)} --regions "
                "REGION` for current prices"
            )
    return warnings


def stale_warnings(
    catalog: Catalog, max_age_days: int | None, today: dt.date | None = None
) -> list[str]:
    """One warning per catalog file whose `as_of` is older than *max_age_days*."""
    if max_age_days is None:
        return []
    today = today or dt.date.today()
    warnings = []
    for file, as_of in catalog.file_dates:
        try:
            age = (today - dt.date.fromisoformat(as_of)).days
        except ValueError:
            warnings.append(f"pricing catalog {file} has no valid as_of date; its age is unknown")
            continue
        if age > max_age_days:
            warnings.append(
                f"pricing catalog {Path(file).name} is {age} days old (as of {as_of}; limit "
                f"{max_age_days}); run `costgate pricing refresh` or pass a newer --catalog"
            )
    return warnings


@dataclass(frozen=True, slots=True)
class Change:
    """One price that was added, removed or changed between two catalog files."""

    key: str
    old: Decimal | None
    new: Decimal | None

    @property
    def kind(self) -> str:
        """added | removed | changed."""
        if self.old is None:
            return "added"
        return "removed" if self.new is None else "changed"

    @property
    def percent(self) -> Decimal | None:
        """Relative change, None when added or removed."""
        if self.old is None or self.new is None or self.old == 0:
            return None
        return (self.new - self.old) / self.old * 100


def _prices(path: Path) -> dict[str, Decimal]:
    from costgate.pricing import store

    doc = store.read_document(path)
    out: dict[str, Decimal] = {}
    for index, item in enumerate(doc["prices"]):
        try:
            key = "/".join(
                (
                    str(doc["provider"]),
                    item["service"],
                    item["region"],
                    item["product"],
                    item["kind"],
                )
            )
            tier = str(item.get("tier_start", "0"))
            out[key if tier == "0" else f"{key}@{tier}"] = Decimal(str(item["price"]))
        except (KeyError, ArithmeticError) as exc:
            raise CatalogError(
                f"price entry is malformed ({exc!r})", path=str(path), location=f"/prices/{index}"
            ) from exc
    return out


def diff_catalogs(old: Path, new: Path) -> list[Change]:
    """Every price that differs between two catalog files, sorted by key."""
    before, after = _prices(old), _prices(new)
    return [
        Change(key, before.get(key), after.get(key))
        for key in sorted(before.keys() | after.keys())
        if before.get(key) != after.get(key)
    ]


_GPU_SPEC = re.compile(r"^(?P<model>[A-Za-z0-9 ]+?)(?:[- ](?P<gb>\d+)\s*GB)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class GpuOffer:
    """Per-GPU hourly prices of one machine type in one region."""

    provider: str
    product: str
    region: str
    gpus: int
    gpu_memory_gib: Decimal
    on_demand: PriceEntry | None
    spot: PriceEntry | None

    def per_gpu(self, entry: PriceEntry | None) -> Decimal | None:
        """Hourly price divided by the GPU count (whole machine, CPU and memory included)."""
        return None if entry is None else entry.price / self.gpus


def gpu_offers(catalog: Catalog, spec: str, regions: Iterable[str] = ()) -> list[GpuOffer]:
    """Machine types whose accelerator matches *spec* (`A100-40GB`, `H100`, `T4`)."""
    match = _GPU_SPEC.match(spec.strip())
    if not match:
        raise CatalogError(
            f"cannot read GPU {spec!r}; expected a model with optional memory, "
            "e.g. A100-40GB, H100-80GB, T4"
        )
    model = match.group("model").strip().lower()
    memory = Decimal(match.group("gb")) if match.group("gb") else None
    wanted = set(regions)
    offers = []
    for (provider, name), facts in catalog.products.items():
        accelerator = facts.get("accelerator")
        if not accelerator or accelerator.get("kind") != "gpu" or "share" in accelerator:
            continue  # a part of one GPU (Azure NVads V710 v5) has no per-GPU price
        words = str(accelerator["model"]).lower().split()
        if model not in words:
            continue
        count = int(accelerator["count"])
        per_gpu_memory = Decimal(str(accelerator.get("memory_gib", 0))) / count
        if memory is not None and per_gpu_memory != memory:
            continue
        service, product = name.split(":", 1)
        for region in catalog.regions(provider, service, product):
            if wanted and region not in wanted:
                continue
            offers.append(
                GpuOffer(
                    provider,
                    product,
                    region,
                    count,
                    per_gpu_memory,
                    catalog.price(provider, service, product, region, "on_demand"),
                    catalog.price(provider, service, product, region, "spot"),
                )
            )
    return sorted(offers, key=lambda o: (o.provider, o.region, o.product))
