"""Managed disks: billed per provisioned tier (the smallest tier that holds the size)."""

from __future__ import annotations

from decimal import Decimal

from costgate.facts.specs import Disk
from costgate.pricing.quote import Quote, Unpriceable


def disk_tier(q: Quote, account_type: str, size_gib: Decimal) -> str:
    """Name of the smallest tier of *account_type* with at least *size_gib* (catalog facts)."""
    prefix = f"disk:{account_type}:"
    sizes = sorted(
        (Decimal(facts["disk_size_gib"]), name[len(prefix) :])
        for (provider, name), facts in q.ctx.catalog.products.items()
        if provider == "azurerm" and name.startswith(prefix) and "disk_size_gib" in facts
    )
    if not sizes:
        raise Unpriceable(f"managed disk type {account_type} has no tiers in the catalog")
    for tier_size, tier in sizes:
        if tier_size >= size_gib:
            return tier
    raise Unpriceable(f"{size_gib} GiB is larger than the largest {account_type} tier")


def add_managed_disk(
    q: Quote, disk: Disk, count: Decimal = Decimal(1), *, region: str | None = None
) -> None:
    """One managed disk (x *count*); one that cannot be sized or priced becomes a note.
    *region* is given for disks of resources without a location of their own (AKS pools)."""
    if disk.missing:
        q.note(disk.missing)
        return
    with q.component(disk.label):
        tier = disk_tier(q, disk.type, disk.size_gb)
        suffix = f" x {count}" if count != 1 else ""
        q.add(
            f"{disk.label} ({tier}, {disk.type}, {disk.size_gb} GiB{suffix})",
            count,
            "disk",
            f"{disk.type}:{tier}",
            "storage",
            region=region,
        )


def price_managed_disk(q: Quote) -> None:
    """`azurerm_managed_disk`: the tier's monthly price."""
    r = q.resource
    size = q.known(r.attr("disk_size_gb"), "disk_size_gb")
    account_type = str(q.known(r.attr("storage_account_type"), "storage_account_type"))
    tier = disk_tier(q, account_type, Decimal(size))
    q.add(
        f"Storage ({tier}, {account_type}, {size} GiB)",
        Decimal(1),
        "disk",
        f"{account_type}:{tier}",
        "storage",
    )
