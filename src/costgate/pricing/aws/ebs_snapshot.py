"""EBS snapshots, snapshot copies and fast snapshot restore.

A snapshot bills the GB it stores each month, which only the usage file can say
(`storage_gb`); without it the size of the volume it was taken from stands in, stated on
the line as an upper bound (EBS stores only the blocks written to the volume, and later
snapshots only the blocks changed since). The archive tier has its own rate, a 90-day
minimum and a fee per GB restored; Fast Snapshot Restore (per DSU-hour) and the EBS direct
APIs are priced from usage.
"""

from __future__ import annotations

from decimal import Decimal

from costgate.facts import aws
from costgate.facts.values import text
from costgate.pricing.quote import PER_THOUSAND, Quote, Unpriceable

DIRECT_API = (
    ("ListChangedBlocks and ListSnapshotBlocks requests", "monthly_list_block_requests", "list"),
    ("GetSnapshotBlock requests (512 KiB blocks)", "monthly_get_block_requests", "get_block"),
    ("PutSnapshotBlock requests (512 KiB blocks)", "monthly_put_block_requests", "put_block"),
)
"""EBS direct API components: (label, usage key, catalog kind prefix); each Get or Put
request moves one block, one SnapshotAPIUnit, the unit AWS bills them by."""

TIERS = ("standard", "archive")
"""`storage_tier` values of the AWS provider; `standard` is EBS's default."""


def price_ebs_snapshot(q: Quote) -> None:
    """`aws_ebs_snapshot`: stored GB at its tier's rate, plus fast snapshot restore and
    EBS direct API requests from usage."""
    _snapshot(q)


def price_ebs_snapshot_copy(q: Quote) -> None:
    """`aws_ebs_snapshot_copy`: priced as a snapshot of the copy's own Region, sized from
    its source snapshot when the stack has it."""
    source_region = text(q.resource.attr("source_region"))
    if source_region and source_region != q.region:
        q.note(
            f"copied from {source_region}: the first copy of a snapshot to another Region "
            "is a full (not incremental) copy, later ones incremental; the data transfer "
            "between Regions is not priced"
        )
    _snapshot(q)


def price_fast_snapshot_restore(q: Quote) -> None:
    """`aws_ebs_fast_snapshot_restore`: one snapshot enabled in one Availability Zone bills
    one DSU-hour per hour enabled (730 a month unless usage `monthly_hours` says less)."""
    hours = q.hours()
    zone = text(q.resource.attr("availability_zone")) or q.region
    q.add(
        f"Fast snapshot restore ({zone}, DSU-hours)",
        hours,
        "ebs",
        "snapshot",
        "fast_snapshot_restore",
    )
    q.note("fast snapshot restore is billed per minute enabled in the zone, at least one hour")


def _snapshot(q: Quote) -> None:
    with q.component("Snapshot storage"):
        _storage(q)
    _fast_snapshot_restore(q)
    for label, key, kind in DIRECT_API:
        q.add_usage(label, key, "ebs", "snapshot", f"{kind}_requests", per=PER_THOUSAND)


def _storage(q: Quote) -> None:
    """Stored GB at the standard or archive rate; the archive tier's restore fee from
    usage `monthly_data_retrieval_gb`."""
    tier = q.setting("storage_tier", "standard", computed=True)
    if tier not in TIERS:
        raise Unpriceable(f"storage_tier {tier!r} is not one of {', '.join(TIERS)}")
    if tier == "standard":
        q.usage_not_applicable(
            "monthly_data_retrieval_gb", "a snapshot in the standard tier has no restore fee"
        )
    size = _stored_gb(q)
    if tier == "standard":
        q.add(f"Snapshot storage ({size} GB)", size, "ebs", "snapshot", "storage")
        return
    q.add(f"Snapshot storage (archive tier, {size} GB)", size, "ebs", "snapshot", "archive_storage")
    q.note(
        "archive tier: an archived snapshot is a full snapshot (every block written to the "
        "volume), billed for at least 90 days: deleting or permanently restoring it earlier "
        "bills the remaining days at the archive rate"
    )
    q.add_usage(
        "Archive restores (GB restored)",
        "monthly_data_retrieval_gb",
        "ebs",
        "snapshot",
        "archive_retrieval",
    )


def _stored_gb(q: Quote) -> Decimal:
    """The usage file's `storage_gb`, else the source volume's size as an upper bound."""
    stored = q.usage.get("storage_gb")
    if stored is not None:
        size = Decimal(str(stored))
        q.note(f"stored size from the usage file: {size} GB")
        return size
    found, why = aws.ebs_snapshot_size(q.resource, q.ctx.index)
    if found is None:
        raise Unpriceable(
            f"usage unknown: set `storage_gb` in the usage file (stored GB; {why}, so no "
            "upper bound is known)"
        )
    q.note(
        f"stored size assumed {found} GB, {why}: an upper bound, as EBS bills only the "
        "blocks a snapshot stores (a volume's first snapshot holds its written blocks, later "
        "ones the blocks changed since); set `storage_gb` in a usage file"
    )
    return found


def _fast_snapshot_restore(q: Quote) -> None:
    """DSU-hours from usage, unless the stack enables fast snapshot restore for this
    snapshot with an `aws_ebs_fast_snapshot_restore`, which is priced on its own."""
    enabled = q.ctx.index.linked_from(
        q.resource, "aws_ebs_fast_snapshot_restore", "snapshot_id", "id"
    )
    if enabled is not None:
        reason = f"fast snapshot restore is priced on {enabled.address}"
        q.usage_not_applicable("fast_snapshot_restore_hours", reason)
        q.note(reason)
        return
    q.add_usage(
        "Fast snapshot restore (DSU-hours)",
        "fast_snapshot_restore_hours",
        "ebs",
        "snapshot",
        "fast_snapshot_restore",
    )
