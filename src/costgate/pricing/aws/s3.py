"""S3 buckets: stored volume from the usage file, split across classes by lifecycle rules."""

from __future__ import annotations

from decimal import Decimal

from costgate.facts.specs import ObjectStorage
from costgate.facts.storage import object_storage
from costgate.model import DAYS_PER_MONTH, ZERO
from costgate.pricing.lifecycle import VolumeGroup, minimum_days, volume_groups
from costgate.pricing.quote import Quote, Unpriceable

INTELLIGENT_TIERING = "INTELLIGENT_TIERING"


def price_bucket(q: Quote) -> None:
    """`aws_s3_bucket`: steady-state storage by class, early deletion, transition requests,
    and the requests, retrievals and S3 Select of usage `class_usage`."""
    spec = object_storage(q.resource, q.ctx.index)
    assert spec is not None
    classes = q.usage.get("class_storage_gb") or {}
    for storage_class, gb in sorted(classes.items()):
        with q.component(f"Storage ({storage_class})"):
            q.add(
                f"Storage ({storage_class}, usage file class_storage_gb)",
                Decimal(gb),
                "s3",
                storage_class,
                "storage",
            )
    _price_class_usage(q)
    if "storage_gb" not in q.usage and not q.usage.get("prefixes"):
        if not classes and q.usage.get("class_usage"):  # requests known, stored GB not
            with q.component("Storage"):
                raise Unpriceable("usage unknown: set storage_gb or class_storage_gb")
        if classes or q.usage.get("class_usage"):
            return  # the usage file states every class's volume
    groups = volume_groups(q, spec, lambda c: minimum_days(q.ctx.catalog, spec, c))
    for group in groups:
        where = group.where("bucket")
        if group.rule is None:
            q.add(
                f"Storage (STANDARD, {where}, no lifecycle rule)",
                group.volume,
                "s3",
                "STANDARD",
                "storage",
            )
            continue
        _price_group(q, spec, where, group)
    if not any(g.objects for g in groups) and any(r.transitions for r in spec.rules):
        q.note("lifecycle transition requests not priced: set `objects` in the usage file")


CLASS_USAGE = {
    "tier1_requests": ("PUT, COPY, POST, LIST requests", "tier1_requests", Decimal(1000)),
    "tier2_requests": ("GET and all other requests", "tier2_requests", Decimal(1000)),
    "retrieval_gb": ("Retrieval", "retrieval", Decimal(1)),
    "select_scanned_gb": ("S3 Select data scanned", "select_scanned", Decimal(1)),
    "select_returned_gb": ("S3 Select data returned", "select_returned", Decimal(1)),
}
"""`class_usage` key -> (line, catalog kind, units per catalog unit: requests are priced per
1,000, the rest per GB)."""


def _price_class_usage(q: Quote) -> None:
    """Each class's requests, retrievals and S3 Select from usage `class_usage`, at that
    class's rates; one without a rate (Deep Archive PUTs, Glacier retrieval) is listed as
    missing with its reason."""
    for storage_class, figures in sorted((q.usage.get("class_usage") or {}).items()):
        for key, (label, kind, per) in CLASS_USAGE.items():
            if key in figures:
                name = f"{label} ({storage_class})"
                q.add_optional(name, Decimal(figures[key]) / per, "s3", storage_class, kind)


def _price_group(q: Quote, spec: ObjectStorage, where: str, group: VolumeGroup) -> None:
    path, volume, objects = group.path, group.volume, group.objects
    life = path.lifetime_days
    horizon = "expires" if path.expires else "assumed lifetime"
    for stage in path.stages:
        product = spec.products(stage.storage_class)[0]
        share = f"{stage.days}/{life} d"
        q.add(
            f"Storage ({stage.storage_class}, {where}, {share} of {life}-day {horizon})",
            volume * stage.days / life,
            "s3",
            product,
            "storage",
        )
        if stage.early_deletion_days > ZERO:
            q.add(
                f"Early deletion ({stage.storage_class}, {stage.early_deletion_days} d short of "
                f"{stage.billed_days}-day minimum, {where})",
                volume * stage.early_deletion_days / life,
                "s3",
                product,
                "storage",
            )
        if stage.storage_class == INTELLIGENT_TIERING and objects:
            q.add(
                f"Intelligent-Tiering monitoring ({where})",
                objects * stage.days / life / 1000,
                "s3",
                INTELLIGENT_TIERING,
                "monitoring",
            )
        if stage.start_day > ZERO and objects:
            per_month = objects / life * DAYS_PER_MONTH
            q.add(
                f"Lifecycle transitions to {stage.storage_class} ({where})",
                per_month / 1000,
                "s3",
                stage.storage_class,
                "transition_requests",
            )
    if not path.expires:
        q.note(
            f"{where}: no expiration rule; objects assumed to live {life} days "
            "(set object_lifetime_days in the usage file)"
        )
    if any(s.storage_class == INTELLIGENT_TIERING for s in path.stages):
        q.note("Intelligent-Tiering priced at the Frequent Access tier (access pattern unknown)")
