"""Managed disks: billed per provisioned tier (the smallest tier that holds the size)."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import Any

from costgate.facts.azure_zones import not_offered_reason
from costgate.facts.specs import Disk
from costgate.facts.values import MalformedAttribute
from costgate.model import HOURS_PER_MONTH, is_unknown
from costgate.pricing.quote import Quote, Unpriceable


def disk_tier(q: Quote, account_type: str, size_gib: Decimal) -> str:
    """Name of the smallest tier of *account_type* with at least *size_gib* (catalog facts).
    A zone-redundant type uses its LRS type's tier sizes: a tier's size goes with its name
    (P10 is 128 GiB, LRS or ZRS; the Retail API sells `P10 LRS` and `P10 ZRS`), and the
    catalog records the sizes once. A negative size is malformed input, not the smallest
    tier."""
    if size_gib < 0:
        raise MalformedAttribute("disk_size_gb", "zero or more", size_gib)
    sizes = _tier_sizes(q, account_type)
    if not sizes and account_type.endswith("_ZRS"):
        sizes = _tier_sizes(q, account_type.removesuffix("_ZRS") + "_LRS")
    if not sizes:
        raise Unpriceable(f"managed disk type {account_type} has no tiers in the catalog")
    for tier_size, tier in sizes:
        if tier_size >= size_gib:
            return tier
    raise Unpriceable(f"{size_gib} GiB is larger than the largest {account_type} tier")


def _tier_sizes(q: Quote, account_type: str) -> list[tuple[Decimal, str]]:
    prefix = f"disk:{account_type}:"
    return sorted(
        (Decimal(facts["disk_size_gib"]), name[len(prefix) :])
        for (provider, name), facts in q.ctx.catalog.products.items()
        if provider == "azurerm" and name.startswith(prefix) and "disk_size_gib" in facts
    )


def check_zone_redundancy(q: Quote, account_type: str, region: str | None = None) -> None:
    """Unpriceable when *account_type* is a ZRS disk type (`Premium_ZRS`,
    `StandardSSD_ZRS`) and its region has none: Azure would reject the disk, so the
    resource gets that one reason rather than a missing price."""
    where = region or q.resource.region
    if not account_type.endswith("_ZRS") or not where:
        return
    reason = not_offered_reason("disk", "ZRS", where)
    if reason:
        raise Unpriceable(f"{account_type}: {reason}")


def add_managed_disk(
    q: Quote, disk: Disk, count: Decimal = Decimal(1), *, region: str | None = None
) -> None:
    """One managed disk (x *count*); one that cannot be sized before apply is a missing
    component (it costs something unpriced), one billed elsewhere (an unmanaged VHD, an
    ephemeral OS disk, an attached disk) or by another resource of the stack a note.
    *region* is given for disks of resources without a location of their own (AKS pools)."""
    if disk.elsewhere:
        q.note(disk.elsewhere)
        return
    if disk.missing:
        q.lacks(disk.label, disk.missing)
        return
    if disk.priced_as:
        why = f" ({disk.assumed})" if disk.assumed else ""
        q.note(f"{disk.label}: priced as {disk.priced_as}{why}")
        return
    check_zone_redundancy(q, disk.type, region)
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


ULTRA_SIZES_GIB = (4, 8, 16, 32, 64, 128, 256, 512)
"""Ultra Disk sizes below 1 TiB; above, sizes go in 1,024 GiB steps up to 65,536 (Azure
"Select a disk type" > Ultra disk size table)."""
PROVISIONED_PREFIXES = ("UltraSSD_", "PremiumV2_")


def ultra_billed_gib(size_gib: Decimal) -> Decimal:
    """The Ultra Disk size billed for *size_gib*: the next size in Azure's table."""
    for tier in ULTRA_SIZES_GIB:
        if size_gib <= tier:
            return Decimal(tier)
    steps = (size_gib / 1024).to_integral_value(rounding=ROUND_CEILING)
    return min(Decimal(65536), steps * 1024)


def add_provisioned_disk(
    q: Quote, account_type: str, size_gib: Decimal, iops: Any, mbps: Any
) -> None:
    """Ultra Disk / Premium SSD v2: provisioned GiB, IOPS and MB/s, each billed by the hour
    for the month the disk exists (730 h). Premium SSD v2 includes 3,000 IOPS and 125 MB/s
    (catalog `free_iops`, `free_throughput_mbps`), which are also its defaults; an Ultra
    Disk's IOPS or throughput left to Azure is a missing component."""
    facts = q.product("disk", account_type)
    hours = HOURS_PER_MONTH
    billed = ultra_billed_gib(size_gib) if account_type.startswith("UltraSSD_") else size_gib
    rounded = f", billed as {billed} GiB" if billed != size_gib else ""
    with q.component("Storage"):
        q.add(
            f"Storage ({account_type}, {size_gib} GiB{rounded}, per GiB-hour)",
            billed * hours,
            "disk",
            account_type,
            "storage",
        )
    for what, value, free_key, kind, unit in (
        ("IOPS", iops, "free_iops", "iops", "IOPS"),
        ("Throughput", mbps, "free_throughput_mbps", "throughput", "MB/s"),
    ):
        with q.component(f"Provisioned {what}"):
            free = Decimal(facts.get(free_key, 0))
            if (value is None or is_unknown(value)) and free:
                # Optional + Computed: a plan shows it unknown when it is not set
                how = "" if value is None else " unknown in the plan (not set, or known later);"
                q.note(f"{what}:{how} {free} {unit} assumed (the included baseline, no charge)")
                continue
            amount = Decimal(q.known(value, f"disk_{kind}_read_write"))
            extra = max(amount - free, Decimal(0))
            above = f", {free} included" if free else ""
            q.add(
                f"Provisioned {what} ({amount} {unit}{above}, per {unit}-hour)",
                extra * hours,
                "disk",
                account_type,
                kind,
            )


def price_managed_disk(q: Quote) -> None:
    """`azurerm_managed_disk`: the tier's monthly price, or provisioned capacity, IOPS and
    throughput for Ultra Disk and Premium SSD v2. An empty disk needs `disk_size_gb`
    (Azure rejects one without it); other create options take their source's size."""
    r = q.resource
    account_type = str(q.known(r.attr("storage_account_type"), "storage_account_type"))
    check_zone_redundancy(q, account_type)
    raw = r.attr("disk_size_gb")
    if raw is None:
        option = str(r.attr("create_option") or "Empty")
        if option == "Empty":
            raise Unpriceable("disk_size_gb is not set: Azure requires it for create_option Empty")
        raise Unpriceable(f"disk_size_gb is not set: the size comes from the {option} source")
    size = Decimal(q.known(raw, "disk_size_gb"))
    if account_type.startswith(PROVISIONED_PREFIXES):
        add_provisioned_disk(
            q, account_type, size, r.attr("disk_iops_read_write"), r.attr("disk_mbps_read_write")
        )
        return
    tier = disk_tier(q, account_type, size)
    q.add(
        f"Storage ({tier}, {account_type}, {size} GiB)",
        Decimal(1),
        "disk",
        f"{account_type}:{tier}",
        "storage",
    )
