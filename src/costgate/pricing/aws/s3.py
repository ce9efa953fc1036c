"""S3 buckets: stored volume from the usage file, split across classes by lifecycle rules."""

from __future__ import annotations

from decimal import Decimal

from costgate.facts.aws import S3_RESTORE_SPEEDS
from costgate.facts.specs import ObjectStorage
from costgate.facts.storage import object_storage
from costgate.model import DAYS_PER_MONTH, ZERO
from costgate.pricing.lifecycle import VolumeGroup, minimum_days, volume_groups
from costgate.pricing.quote import PER_THOUSAND, Quote

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
            q.lacks("Storage", "usage unknown: set storage_gb or class_storage_gb")
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


SPEEDS = S3_RESTORE_SPEEDS["GLACIER"]
"""Every restore speed (Glacier Flexible Retrieval offers them all): the `class_usage` keys
by speed; which class takes which is the usage schema's to say."""

FREE_RESTORES = {("GLACIER", "bulk_retrieval"), ("GLACIER", "bulk_retrieval_requests")}
"""(class, kind) AWS does not charge: bulk restores from Glacier Flexible Retrieval, GB and
requests (S3 pricing page $0.00; the pricing-page map's meters are 0, and the catalog keeps
positive prices only)."""

CLASS_USAGE: dict[str, tuple[str, str, Decimal]] = {
    "tier1_requests": ("PUT, COPY, POST, LIST requests ({cls})", "tier1_requests", PER_THOUSAND),
    "tier2_requests": ("GET and all other requests ({cls})", "tier2_requests", PER_THOUSAND),
    "retrieval_gb": ("Retrieval ({cls})", "retrieval", Decimal(1)),
    "select_scanned_gb": ("S3 Select data scanned ({cls})", "select_scanned", Decimal(1)),
    "select_returned_gb": ("S3 Select data returned ({cls})", "select_returned", Decimal(1)),
    "transition_requests": (
        "Lifecycle transition requests into {cls}",
        "transition_requests",
        PER_THOUSAND,
    ),
    "monitored_objects": ("Monitoring and automation ({cls})", "monitoring", PER_THOUSAND),
    **{
        f"{speed}_retrieval_requests": (
            f"Retrieval requests ({{cls}}, {speed})",
            f"{speed}_retrieval_requests",
            PER_THOUSAND,
        )
        for speed in SPEEDS
    },
    **{
        f"{speed}_retrieval_gb": (f"Retrieval ({{cls}}, {speed})", f"{speed}_retrieval", Decimal(1))
        for speed in SPEEDS
    },
    **{
        f"{speed}_select_{what}_gb": (
            f"Glacier Select data {what} ({{cls}}, {speed})",
            f"{speed}_select_{what}",
            Decimal(1),
        )
        for speed in SPEEDS
        for what in ("scanned", "returned")
    },
}
"""`class_usage` key -> (line name, `{cls}` the class; catalog kind; units per catalog unit:
requests and monitored objects are priced per 1,000, the rest per GB). Which keys a class
takes is the usage schema's to say."""


def _price_class_usage(q: Quote) -> None:
    """Each class's requests, transitions, monitoring, retrievals (by speed in the Glacier
    classes) and S3 Select from usage `class_usage`, at that class's rates; one without a
    rate (Deep Archive PUTs and restore requests, Glacier Select) is listed as missing with
    its reason, a free bulk restore says so in a note."""
    for storage_class, figures in sorted((q.usage.get("class_usage") or {}).items()):
        for key, (label, kind, per) in CLASS_USAGE.items():
            if key not in figures:
                continue
            name = label.format(cls=storage_class)
            if key == "retrieval_gb" and storage_class in S3_RESTORE_SPEEDS:
                keys = " or ".join(f"{s}_retrieval_gb" for s in S3_RESTORE_SPEEDS[storage_class])
                q.lacks(name, f"{storage_class} bills restores by speed: set {keys}")
                continue
            if (storage_class, kind) in FREE_RESTORES:
                q.note(
                    f"{name}: {figures[key]} {'requests' if per != 1 else 'GB'} at no charge "
                    "(AWS S3 pricing page: bulk retrievals from Glacier Flexible Retrieval "
                    "are free)"
                )
                continue
            q.add_optional(name, Decimal(figures[key]) / per, "s3", storage_class, kind)


def _stated(q: Quote, storage_class: str, key: str) -> bool:
    """Whether usage `class_usage` states *key* of *storage_class* (transitions into it,
    Intelligent-Tiering monitoring): then the lifecycle model does not price it again, and a
    note says so once."""
    if key not in ((q.usage.get("class_usage") or {}).get(storage_class) or {}):
        return False
    note = (
        f"class_usage {storage_class}.{key} from the usage file replaces the lifecycle "
        "rules' estimate (not counted twice)"
    )
    if note not in q.notes:
        q.note(note)
    return True


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
        if (
            stage.storage_class == INTELLIGENT_TIERING
            and objects
            and not _stated(q, INTELLIGENT_TIERING, "monitored_objects")
        ):
            q.add(
                f"Intelligent-Tiering monitoring ({where})",
                objects * stage.days / life / 1000,
                "s3",
                INTELLIGENT_TIERING,
                "monitoring",
            )
        if (
            stage.start_day > ZERO
            and objects
            and not _stated(q, stage.storage_class, "transition_requests")
        ):
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
