"""Reader for the storage part of Cyclenerd's `pricing.yml` (derived from Cloud Billing
Catalog API SKUs): Persistent Disk / Hyperdisk capacity, standard snapshots and Cloud
Storage classes per region, dual-region and multi-region, and the Cloud Storage data
retrieval fee per class and location.

The file names disk types and bucket classes its own way (`hdd`, `archiv`, `eur4`,
`europe-multi`); the tables below map them to the catalog's names, so the pricers look up
the names Terraform uses (`pd-standard`, `ARCHIVE`, a bucket `location` of `EU`). Local SSD
(`local*`) belongs to the machine prices and Durable Reduced Availability (`dra*`), a class
Google no longer offers for new buckets, is not read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from costgate.pricing.refresh import Fetched

if TYPE_CHECKING:
    from costgate.pricing.build import Dump, Known, Read

DISK_TYPES = {
    "hdd": "pd-standard",
    "balanced": "pd-balanced",
    "ssd": "pd-ssd",
    "extreme": "pd-extreme",
    "hyperdisk-extreme": "hyperdisk-extreme",
    "hdd-replicated": "regional-pd-standard",
    "balanced-replicated": "regional-pd-balanced",
    "ssd-replicated": "regional-pd-ssd",
}
"""pricing.yml `compute.storage` key -> catalog product of service `disk` (GB-month).
Standard snapshot storage (`snapshot`) is service `snapshot`, product `standard`: it is
also sold in multi-regions, where no disk is."""

BUCKET_CLASSES = {
    "standard": "STANDARD",
    "nearline": "NEARLINE",
    "coldline": "COLDLINE",
    "archiv": "ARCHIVE",
}
"""pricing.yml `storage.bucket` key (without `-dual` / `-multi`) -> GCS storage class."""

MULTI_REGIONS = {"asia-multi": "asia", "europe-multi": "eu", "us-multi": "us"}
"""pricing.yml multi-region keys -> the bucket `location` Terraform writes (lower case)."""


def gcp_cyclenerd_storage_yml(path: Path, dump: Dump, known: Known) -> Read:
    """Disk, snapshot and bucket storage prices (GB-month) of every location in the file.

    The storage types form a closed list (the tables above), so every one is read whether
    or not the catalog priced it before.
    """
    from costgate.pricing.build import Read, pricing_yml

    data = pricing_yml(path)
    note = f"pricing.yml @{dump.commit[:8]}"
    prices = [
        *_disks(data["compute"]["storage"], note),
        *_buckets(data["storage"]["bucket"], note),
        *_retrieval(data["storage"].get("retrieval") or {}, note),
    ]
    return Read(prices)


def pricing_yml_rate(value: Any) -> Decimal | None:
    """A rate of Cyclenerd's pricing.yml as Decimal (YAML gives floats: read through their
    text), None when absent or not positive: a 0 in the file is no price."""
    if value is None:
        return None
    rate = Decimal(str(value))
    return rate if rate > 0 else None


def _monthly(costs: Mapping[str, Any]) -> Iterator[tuple[str, Decimal]]:
    for location, cost in sorted((costs or {}).items()):
        rate = pricing_yml_rate((cost or {}).get("month"))
        if rate is not None:
            yield MULTI_REGIONS.get(location, location), rate


def _disks(storage: Mapping[str, Any], note: str) -> Iterator[Fetched]:
    for key, product in DISK_TYPES.items():
        for region, price in _monthly(storage.get(key, {}).get("cost")):
            yield Fetched("disk", product, region, "storage", "GB-month", price, f"{note}: {key}")
    for location, price in _monthly(storage.get("snapshot", {}).get("cost")):
        yield Fetched(
            "snapshot", "standard", location, "storage", "GB-month", price, f"{note}: snapshot"
        )


def _buckets(buckets: Mapping[str, Any], note: str) -> Iterator[Fetched]:
    """Stored GB per class and location, kind `storage`."""
    for storage_class, location, price, key in _per_class(buckets, BUCKET_CLASSES):
        label = f"{note}: {key}"
        yield Fetched("gcs", storage_class, location, "storage", "GB-month", price, label)


def _per_class(
    section: Mapping[str, Any], classes: Mapping[str, str]
) -> Iterator[tuple[str, str, Decimal, str]]:
    """(storage class, location, monthly rate, pricing.yml key) of a GCS section whose keys
    are a class with `""`, `-dual` or `-multi` for the location type (`nearline-dual`)."""
    for key, storage_class in classes.items():
        for suffix in ("", "-dual", "-multi"):
            for location, price in _monthly(section.get(key + suffix, {}).get("cost")):
                yield storage_class, location, price, key + suffix


RETRIEVAL_CLASSES = {"nearline": "NEARLINE", "coldline": "COLDLINE", "archiv": "ARCHIVE"}
"""pricing.yml `storage.retrieval` key (without `-dual` / `-multi`) -> GCS storage class:
the classes Google charges a retrieval fee for (Standard has none)."""


def _retrieval(retrieval: Mapping[str, Any], note: str) -> Iterator[Fetched]:
    """Data retrieval per GB read (the SKUs `Nearline/Coldline/Archive Data Retrieval`,
    per GiB, one global rate the file repeats for every location), kind `retrieval`."""
    for storage_class, location, price, key in _per_class(retrieval, RETRIEVAL_CLASSES):
        yield Fetched(
            "gcs",
            storage_class,
            location,
            "retrieval",
            "GB",
            price,
            f"{note}: retrieval {key} (per GiB read)",
        )
