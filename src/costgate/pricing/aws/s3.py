"""S3 buckets: stored volume from the usage file, split across classes by lifecycle rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from costgate.model import DAYS_PER_MONTH, ZERO, Resource, is_unknown
from costgate.pricing.lifecycle import timeline
from costgate.pricing.quote import Quote, StackIndex, Unpriceable

DEFAULT_LIFETIME_DAYS = Decimal(365)
"""Horizon for objects no rule expires; override with `object_lifetime_days` in usage."""

INTELLIGENT_TIERING = "INTELLIGENT_TIERING"


@dataclass(frozen=True, slots=True)
class LifecycleRule:
    """One enabled S3 lifecycle rule, reduced to what pricing needs."""

    id: str
    prefix: str
    transitions: tuple[tuple[Decimal, str], ...]
    expire_days: Decimal | None


def _prefix(rule: Mapping[str, Any]) -> str:
    filters = rule.get("filter") or ()
    for f in filters:
        if f.get("prefix"):
            return str(f["prefix"])
        for conj in f.get("and") or ():
            if conj.get("prefix"):
                return str(conj["prefix"])
    return str(rule.get("prefix") or "")


def _rules(raw: Any, enabled: Any, notes: list[str], where: str) -> list[LifecycleRule]:
    rules = []
    for rule in raw or ():
        if is_unknown(rule) or not enabled(rule):
            continue
        transitions = []
        for t in rule.get("transition") or ():
            days, storage_class = t.get("days"), t.get("storage_class")
            if days is None or is_unknown(days) or is_unknown(storage_class):
                notes.append(f"{where}: a transition by date or unknown value is not modelled")
                continue
            transitions.append((Decimal(days), str(storage_class)))
        expire = None
        for e in rule.get("expiration") or ():
            if e.get("days") not in (None, 0) and not is_unknown(e.get("days")):
                expire = Decimal(e["days"])
        if rule.get("noncurrent_version_transition") or rule.get("noncurrent_version_expiration"):
            notes.append(
                f"{where}: noncurrent-version rules are not priced (versioned data volume unknown)"
            )
        rules.append(
            LifecycleRule(str(rule.get("id") or ""), _prefix(rule), tuple(transitions), expire)
        )
    return rules


def lifecycle_configuration(index: StackIndex, bucket: Resource) -> Resource | None:
    """The `aws_s3_bucket_lifecycle_configuration` for a bucket, by reference or by name."""
    return index.linked_from(bucket, "aws_s3_bucket_lifecycle_configuration", "bucket", "bucket")


def bucket_lifecycle(
    q: Quote, bucket: Resource
) -> tuple[Resource | None, tuple[LifecycleRule, ...]]:
    """The bucket's lifecycle configuration resource (None for inline rules or none) and
    its enabled rules: from `aws_s3_bucket_lifecycle_configuration` or the legacy inline
    `lifecycle_rule` block. Read once per run (the pricer and the storage-lifecycle rule
    both ask); what cannot be modelled is noted on *q* each time."""
    key = ("aws_s3_bucket lifecycle", bucket.address)
    found = q.ctx.index.memo.get(key)
    if found is None or found[0] is not bucket:  # a variant priced by a rule is read anew
        found = q.ctx.index.memo[key] = (bucket, *_read_lifecycle(q.ctx.index, bucket))
    _, config, rules, notes = found
    for note in notes:
        q.note(note)
    return config, rules


def _read_lifecycle(
    index: StackIndex, bucket: Resource
) -> tuple[Resource | None, tuple[LifecycleRule, ...], tuple[str, ...]]:
    notes: list[str] = []
    config = lifecycle_configuration(index, bucket)
    if config is not None:
        rules = _rules(
            config.attr("rule"), lambda r: r.get("status") == "Enabled", notes, config.address
        )
        return config, tuple(rules), tuple(notes)
    inline = bucket.attr("lifecycle_rule")
    if is_unknown(inline):
        return None, (), ()
    rules = _rules(inline, lambda r: bool(r.get("enabled")), notes, "lifecycle_rule")
    return None, tuple(rules), tuple(notes)


def _rule_for(prefix: str, rules: tuple[LifecycleRule, ...]) -> LifecycleRule | None:
    matching = [r for r in rules if prefix.startswith(r.prefix)]
    return max(matching, key=lambda r: len(r.prefix)) if matching else None


def price_bucket(q: Quote) -> None:
    """`aws_s3_bucket`: steady-state storage by class, early deletion, transition requests."""
    usage = q.usage
    groups: list[tuple[str, Decimal, Decimal | None]] = [
        (str(prefix), Decimal(v["storage_gb"]), _opt(v.get("objects")))
        for prefix, v in (usage.get("prefixes") or {}).items()
    ]
    if "storage_gb" in usage:
        groups.append(("", Decimal(usage["storage_gb"]), _opt(usage.get("objects"))))
    if not groups:
        raise Unpriceable(
            f"usage unknown: set storage_gb for {q.resource.base_address} in a usage file (--usage)"
        )
    _, rules = bucket_lifecycle(q, q.resource)
    lifetime_default = Decimal(usage.get("object_lifetime_days", DEFAULT_LIFETIME_DAYS))
    for prefix, volume, objects in groups:
        rule = _rule_for(prefix, rules)
        where = f"prefix {prefix!r}" if prefix else "bucket"
        if rule is None:
            q.add(
                f"Storage (STANDARD, {where}, no lifecycle rule)",
                volume,
                "s3",
                "STANDARD",
                "storage",
            )
            continue
        _price_group(q, where, volume, objects, rule, lifetime_default)
    if not any(objects for _, _, objects in groups) and any(r.transitions for r in rules):
        q.note("lifecycle transition requests not priced: set `objects` in the usage file")


def _opt(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def _price_group(
    q: Quote,
    where: str,
    volume: Decimal,
    objects: Decimal | None,
    rule: LifecycleRule,
    lifetime_default: Decimal,
) -> None:
    def min_days(storage_class: str) -> Decimal:
        product = _storage_product(storage_class)
        return Decimal(q.product("s3", product).get("min_storage_days", 0))

    path = timeline("STANDARD", rule.transitions, rule.expire_days, lifetime_default, min_days)
    life = path.lifetime_days
    horizon = "expires" if path.expires else "assumed lifetime"
    for stage in path.stages:
        product = _storage_product(stage.storage_class)
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


def _storage_product(storage_class: str) -> str:
    return "INTELLIGENT_TIERING_FREQUENT" if storage_class == INTELLIGENT_TIERING else storage_class
