"""S3 bucket features billed on their own: inventory reports, storage class analysis,
request metrics, transfer acceleration, and the usage-only buckets of S3 Express One Zone
and S3 Tables. What they cost depends on objects, GB and requests the usage file gives."""

from __future__ import annotations

from decimal import Decimal

from costgate.facts.values import first, text
from costgate.model import DAYS_PER_MONTH
from costgate.pricing.quote import Quote, Unpriceable

PER_MILLION = Decimal(1_000_000)
RUNS_PER_MONTH = {"Daily": DAYS_PER_MONTH, "Weekly": DAYS_PER_MONTH / 7}
"""Inventory reports a month by schedule: 730/24 daily runs, 730/168 weekly runs."""


def price_bucket_inventory(q: Quote) -> None:
    """Objects listed per million: the bucket's `objects` (usage file, on this resource) x
    the reports a month of its schedule."""
    if q.resource.attr("enabled") is False:
        q.free("a disabled inventory lists nothing")
        return
    frequency = text(first(q.resource.attr("schedule")).get("frequency"))
    if frequency is None:
        raise Unpriceable("inventory schedule frequency is not set or unknown until apply")
    runs = RUNS_PER_MONTH.get(frequency)
    if runs is None:
        raise Unpriceable(f"inventory schedule {frequency!r} is not Daily or Weekly")
    with q.component("Objects listed"):
        objects = q.usage.get("objects")
        if objects is None:
            raise Unpriceable("usage unknown: set `objects` in the usage file")
        listed = Decimal(objects) * runs / PER_MILLION
        q.add(f"Objects listed ({frequency.lower()} reports)", listed, "s3", "inventory", "listed")


def price_bucket_analytics(q: Quote) -> None:
    """Storage class analysis: objects monitored a month per million (`objects`)."""
    q.add_usage(
        "Objects monitored (storage class analysis)",
        "objects",
        "s3",
        "analytics",
        "monitored",
        per=PER_MILLION,
    )


def price_bucket_metric(q: Quote) -> None:
    """Request metrics are CloudWatch custom metrics, billed per metric while they report."""
    raise Unpriceable(
        "S3 request metrics are billed as CloudWatch custom metrics (per metric a month, "
        "while requests arrive); CloudWatch metric prices are not in the pricing catalog"
    )


def price_bucket_accelerate(q: Quote) -> None:
    """Suspended acceleration is free; enabled, each accelerated GB is billed
    (`monthly_accelerated_gb`)."""
    if q.setting("status", "Enabled") == "Suspended":
        q.free("transfer acceleration is suspended")
        return
    q.add_usage(
        "Accelerated transfer", "monthly_accelerated_gb", "s3", "transfer_acceleration", "transfer"
    )


def price_directory_bucket(q: Quote) -> None:
    """S3 Express One Zone: GB stored a month (`storage_gb`); requests are not priced."""
    q.add_usage("Storage (S3 Express One Zone)", "storage_gb", "s3express", "one_zone", "storage")
    q.note("requests and data uploaded or retrieved are billed per request and GB (not priced)")


def price_s3tables_table(q: Quote) -> None:
    """S3 Tables: GB stored a month (`storage_gb`); requests, object monitoring and
    compaction are not priced."""
    q.add_usage("Table storage", "storage_gb", "s3tables", "table", "storage")
    q.note("requests, object monitoring and compaction are billed on their own (not priced)")
