"""Cloud Storage usage besides stored volume: data retrieval, Class A/B operations and network
egress, each from its usage-file key and priced (or listed as missing) on its own.

Retrieval and operations are billed at the storage class objects are read in; the usage
file gives one figure for the bucket, so they are priced at the bucket's `storage_class`
and the line says so. Reads to the internet are billed under Cloud Storage's own download
SKUs, one rate for every bucket location (docs/pricing-notes.md, "Cloud Storage network");
the shipped source gives only the first tier (10 TiB) to worldwide destinations.
"""

from __future__ import annotations

from decimal import Decimal

from costgate.facts.specs import ObjectStorage
from costgate.model import ZERO
from costgate.pricing.quote import Quote, Unpriceable

PER_OPERATIONS = Decimal(1000)
"""Operations are priced per 1,000 (the catalog unit `1k requests`)."""

WORLDWIDE_FIRST_TIER_GB = Decimal(10240)
"""The egress tier the source prices: 'Network egress worldwide 0-10 TiB' (source
`gcp-storage-pricing-page-2026-09-20`), 10 TiB = 10,240 GiB."""
FIRST_TIER = f"{WORLDWIDE_FIRST_TIER_GB / 1024:f} TiB"
"""The tier as the lines and reasons name it (`10 TiB`), from the one figure above."""

OPERATIONS = (
    ("Class A operations", "monthly_class_a_operations", "class_a_operations"),
    ("Class B operations", "monthly_class_b_operations", "class_b_operations"),
)
"""(label, usage key, catalog kind) of the two operation classes."""

UNSOURCED_EGRESS = {
    "asia": "Internet egress to Asia (excl. China)",
    "china": "Internet egress to China",
    "australia": "Internet egress to Australia",
    "same_continent": "Data transfer to other locations on the same continent",
}
"""`egress_gb` destinations with no dated Cloud Storage rate in the catalog."""


def price_usage(q: Quote, spec: ObjectStorage, location: str) -> None:
    """Retrieval, operations and egress of a bucket in *location* (`us-east1`, `eu`)."""
    storage_class = spec.initial_class
    _retrieval(q, storage_class, location)
    for label, key, kind in OPERATIONS:
        if key in q.usage:
            name = f"{label} ({storage_class}, per 1,000)"
            with q.component(name):
                _require(q, storage_class, kind, location, label)
                q.add(
                    name,
                    Decimal(q.usage[key]) / PER_OPERATIONS,
                    "gcs",
                    storage_class,
                    kind,
                    region=location,
                )
    _egress(q, location)


def _retrieval(q: Quote, storage_class: str, location: str) -> None:
    gb = q.usage.get("monthly_data_retrieval_gb")
    if gb is None:
        return
    if storage_class == "STANDARD":
        q.note("monthly_data_retrieval_gb: STANDARD has no retrieval fee")
        return
    q.add_optional(
        f"Data retrieval ({storage_class}, the bucket's storage class)",
        Decimal(gb),
        "gcs",
        storage_class,
        "retrieval",
        region=location,
    )


def _require(q: Quote, storage_class: str, kind: str, location: str, label: str) -> None:
    """Unpriceable with the reason when the catalog has no rate (it holds the Standard
    single-region rates only)."""
    if not q.ctx.catalog.tiers(q.resource.provider, "gcs", storage_class, location, kind):
        raise Unpriceable(
            f"no dated {label} rate for {storage_class} in {location} (the shipped source "
            "gives the Standard single-region rates only)"
        )


def _egress(q: Quote, location: str) -> None:
    egress = q.usage.get("egress_gb") or {}
    worldwide = Decimal(egress.get("worldwide", 0))
    if worldwide > ZERO:
        first = min(worldwide, WORLDWIDE_FIRST_TIER_GB)
        q.add_optional(
            f"Internet egress to worldwide destinations excl. Asia, China, Australia (first "
            f"{FIRST_TIER})",
            first,
            "gcs",
            "internet_egress",
            "worldwide",
            region=location,
        )
        q.note(
            "internet egress at Cloud Storage's worldwide download rate, one rate for every "
            "bucket location; the Always Free 100 GB a month (account-wide) is not deducted"
        )
        if worldwide > first:
            q.lacks(
                f"Internet egress worldwide above {FIRST_TIER} ({worldwide - first} GB)",
                f"no dated Cloud Storage rate above the first {FIRST_TIER}",
            )
    for key, label in UNSOURCED_EGRESS.items():
        if Decimal(egress.get(key, 0)) > ZERO:
            q.lacks(
                f"{label} ({egress[key]} GB)", f"no dated Cloud Storage rate for egress_gb.{key}"
            )
