"""storage-lifecycle: ML buckets tier and expire, with rules the provider accepts and that
do not pay for early deletion."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, ClassVar

from costgate.facts.specs import ObjectStorage
from costgate.facts.storage import object_storage
from costgate.model import ZERO, Finding, PricedResource, Severity
from costgate.money import money_display
from costgate.policy.rules.base import Rule, RuleContext
from costgate.policy.workloads import glob_pattern, resource_names
from costgate.pricing.lifecycle import (
    DEFAULT_LIFETIME_DAYS,
    Timeline,
    minimum_days,
    rule_volumes,
    timeline,
)
from costgate.pricing.quote import Unpriceable

DEFAULT_BUCKETS = ("*checkpoint*", "*logs*", "*artifact*", "*tensorboard*")
"""The seed's artifact lifecycle: checkpoints, (tensorboard) logs, experiment artifacts."""

S3_WATERFALL = (
    "STANDARD",
    "STANDARD_IA",
    "INTELLIGENT_TIERING",
    "ONEZONE_IA",
    "GLACIER_IR",
    "GLACIER",
    "DEEP_ARCHIVE",
)
"""S3 lifecycle transitions only go down this list (AWS "supported lifecycle transitions")."""

S3_IA_CLASSES = ("STANDARD_IA", "ONEZONE_IA")
S3_DAYS_BEFORE_IA = Decimal(30)
"""S3 rejects a transition to STANDARD_IA / ONEZONE_IA before an object is 30 days in its
current class (AWS "lifecycle transition general considerations")."""


@dataclass(frozen=True)
class BucketLifecycle:
    """A bucket being judged: its priced resource and its object-storage facts."""

    bucket: PricedResource
    spec: ObjectStorage


class StorageLifecycle(Rule):
    """ML buckets must tier and expire objects, with lifecycle rules the provider accepts
    and that do not pay for early deletion.

    Why: checkpoints, logs and artifacts pile up; the seed's tiered storage and artifact
    lifecycle ("hot -> warm -> cold -> delete", 40-70 % on storage) only works when every
    such bucket moves objects to a colder class within `tier_within_days` and deletes
    them within `expire_within_days`. Two kinds of lifecycle rule also cost money
    instead of saving it, and are reported for every selected bucket:

    - rules S3 rejects at apply time: STANDARD_IA / ONEZONE_IA less than 30 days after
      the object entered its class, transitions up the storage-class waterfall, expiry
      on or before a transition;
    - rules that delete or move objects before the class's minimum storage duration
      (catalog `min_storage_days`: S3 STANDARD_IA / ONEZONE_IA 30, GLACIER_IR 90, GLACIER 90,
      DEEP_ARCHIVE 180 days;
      GCS NEARLINE 30, COLDLINE 90, ARCHIVE 365; Azure Cool 30, Cold 90, Archive 180).
      The finding's cost is the monthly early-deletion charge at steady state, from the
      catalog price and the stored GB in the usage file (GCS measures the minimum from
      object creation, so only a deletion too soon after creation is charged).

    Buckets are S3 buckets (`aws_s3_bucket_lifecycle_configuration` or inline
    `lifecycle_rule`), GCS buckets (`lifecycle_rule` with `SetStorageClass` / `Delete`
    and `age`) and Azure storage accounts (`azurerm_storage_management_policy`).

    Options: `buckets` (globs on bucket / account name or Terraform name that must have a
    lifecycle; default checkpoints, logs, artifacts, tensorboard), `tier_within_days`
    (default 30), `expire_within_days` (default 180).

    Bad:
        resource "aws_s3_bucket_lifecycle_configuration" "checkpoints" {
          bucket = aws_s3_bucket.checkpoints.id
          rule {
            id     = "checkpoints"
            status = "Enabled"
            transition { days = 7  storage_class = "STANDARD_IA" }  # S3 rejects: < 30 days
            transition { days = 30 storage_class = "GLACIER" }
            expiration { days = 90 }                                # 60 days in a 90-day class
          }
        }

    Good:
        resource "aws_s3_bucket_lifecycle_configuration" "checkpoints" {
          bucket = aws_s3_bucket.checkpoints.id
          rule {
            id     = "checkpoints"
            status = "Enabled"
            transition { days = 30 storage_class = "STANDARD_IA" }
            transition { days = 60 storage_class = "GLACIER" }
            expiration { days = 180 }
          }
        }
    """

    id = "CG201"
    name = "storage-lifecycle"
    summary = "ML buckets must tier and expire objects without rejected or early-deletion rules."
    default_severity = Severity.ERROR
    options_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "buckets": {"type": "array", "items": {"type": "string", "minLength": 1}},
            "tier_within_days": {"type": "integer", "minimum": 0},
            "expire_within_days": {"type": "integer", "minimum": 1},
        },
    }

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        patterns = glob_pattern(tuple(ctx.options.get("buckets", DEFAULT_BUCKETS)))
        tier_days = Decimal(ctx.options.get("tier_within_days", 30))
        expire_days = Decimal(ctx.options.get("expire_within_days", 180))
        for priced in ctx.resources:
            r = priced.resource
            spec = object_storage(r, ctx.pricing.index)
            if spec is None or not r.action.exists_after:
                continue
            lifecycle = BucketLifecycle(priced, spec)
            if any(patterns.match(name.lower()) for name in resource_names(r)):
                yield from self._required(ctx, lifecycle, tier_days, expire_days)
            if r.provider == "aws":
                yield from self._rejected(ctx, lifecycle)
            yield from self._early_deletion(ctx, lifecycle)

    def _finding(
        self,
        ctx: RuleContext,
        lifecycle: BucketLifecycle,
        message: str,
        fix: str,
        cost: Decimal | None = None,
    ) -> Finding:
        finding = self.finding(ctx, lifecycle.bucket, message, fix, monthly_cost=cost)
        declared = lifecycle.spec.declared_in
        if declared is not None and declared.source is not None:
            finding = replace(finding, location=declared.source)
        return finding

    def _required(
        self, ctx: RuleContext, lifecycle: BucketLifecycle, tier_days: Decimal, expire_days: Decimal
    ) -> Iterator[Finding]:
        cost = lifecycle.bucket.monthly_cost if lifecycle.bucket.priced else None
        at = f" ({money_display(cost)}/month)" if cost else ""
        if not lifecycle.spec.rules:
            yield self._finding(
                ctx,
                lifecycle,
                f"no lifecycle rules: every object stays in "
                f"{lifecycle.spec.initial_class} and is never deleted{at}",
                f"add lifecycle rules that move objects to a colder class within {tier_days} "
                f"days and delete them within {expire_days} days",
                cost,
            )
            return
        tiers = [d for rule in lifecycle.spec.rules for d, _ in rule.transitions]
        expiries = [
            rule.expire_days for rule in lifecycle.spec.rules if rule.expire_days is not None
        ]
        if not any(d <= tier_days for d in tiers + expiries):
            yield self._finding(
                ctx,
                lifecycle,
                f"no lifecycle rule moves objects to a colder class within {tier_days} days{at}",
                f"add a transition at {tier_days} days or less",
                cost,
            )
        if not any(d <= expire_days for d in expiries):
            yield self._finding(
                ctx,
                lifecycle,
                f"no lifecycle rule deletes objects within {expire_days} days{at}",
                f"add an expiration of {expire_days} days or less",
                cost,
            )

    def _rejected(self, ctx: RuleContext, lifecycle: BucketLifecycle) -> Iterator[Finding]:
        for rule in lifecycle.spec.rules:
            where = f"lifecycle rule {rule.id!r}" if rule.id else "a lifecycle rule"
            previous_day, previous_class = ZERO, "STANDARD"
            for day, storage_class in sorted(rule.transitions):
                if (
                    storage_class in S3_WATERFALL
                    and previous_class in S3_WATERFALL
                    and (S3_WATERFALL.index(storage_class) < S3_WATERFALL.index(previous_class))
                ):
                    yield self._finding(
                        ctx,
                        lifecycle,
                        f"S3 rejects {where}: transition from {previous_class} "
                        f"up to {storage_class} at day {day}",
                        "lifecycle transitions only move objects to colder classes; remove it",
                    )
                elif storage_class in S3_IA_CLASSES and day - previous_day < S3_DAYS_BEFORE_IA:
                    yield self._finding(
                        ctx,
                        lifecycle,
                        f"S3 rejects {where}: transition to {storage_class} at "
                        f"day {day}, {day - previous_day} days after entering {previous_class} "
                        f"(minimum {S3_DAYS_BEFORE_IA})",
                        f"transition to {storage_class} at day "
                        f"{previous_day + S3_DAYS_BEFORE_IA} or later",
                    )
                previous_day, previous_class = day, storage_class
            if (
                rule.expire_days is not None
                and rule.transitions
                and (rule.expire_days <= max(d for d, _ in rule.transitions))
            ):
                yield self._finding(
                    ctx,
                    lifecycle,
                    f"S3 rejects {where}: expiration at day {rule.expire_days} "
                    f"is not after its last transition (day {max(d for d, _ in rule.transitions)})",
                    "expire after the last transition, or drop the transitions",
                )

    def _early_deletion(self, ctx: RuleContext, lifecycle: BucketLifecycle) -> Iterator[Finding]:
        r = lifecycle.bucket.resource
        usage = ctx.pricing.usage.for_resource(r)
        default_life = Decimal(usage.get("object_lifetime_days", DEFAULT_LIFETIME_DAYS))
        volumes = _volumes(usage, lifecycle.spec, ctx.pricing.usage.path)

        def min_days(storage_class: str) -> Decimal:
            return minimum_days(ctx.pricing.catalog, lifecycle.spec, storage_class)

        for rule in lifecycle.spec.rules:
            try:
                path = timeline(
                    lifecycle.spec.initial_class,
                    rule.transitions,
                    rule.expire_days,
                    default_life,
                    min_days,
                )
            except Unpriceable:
                continue  # days the cloud rejects: the bucket is reported unpriced with why
            where = f"lifecycle rule {rule.id!r}" if rule.id else "a lifecycle rule"
            for storage_class, early_days, what in _early(lifecycle, path, min_days):
                wasted, note = self._wasted(
                    ctx,
                    lifecycle,
                    storage_class,
                    early_days,
                    path.lifetime_days,
                    volumes.get(id(rule)),
                )
                yield self._finding(
                    ctx,
                    lifecycle,
                    f"{where} pays early deletion: {what}{note}",
                    f"keep objects in {storage_class} for its minimum duration (move the next "
                    "transition or the expiration later), or skip that class",
                    wasted,
                )

    def _wasted(
        self,
        ctx: RuleContext,
        lifecycle: BucketLifecycle,
        storage_class: str,
        days: Decimal,
        lifetime: Decimal,
        volume: Decimal | None,
    ) -> tuple[Decimal | None, str]:
        r = lifecycle.bucket.resource
        if volume is None:
            return None, f"; cost not priced: set storage_gb for {r.base_address} in the usage file"
        price = _storage_price(ctx, lifecycle, storage_class)
        if price is None:
            return None, f"; cost not priced: no {storage_class} storage price for {r.region}"
        wasted = volume * days / lifetime * price
        return wasted, f": {money_display(wasted)}/month wasted on {volume} GB"


def _early(
    lifecycle: BucketLifecycle, path: Timeline, min_days: Callable[[str], Decimal]
) -> Iterator[tuple[str, Decimal, str]]:
    """(class, days charged beyond storage, explanation) for each early exit."""
    if not lifecycle.spec.charges_transitions:
        last = path.stages[-1]
        short = min_days(last.storage_class) - path.lifetime_days
        if path.expires and short > ZERO:
            yield (
                last.storage_class,
                short,
                f"objects are deleted at {path.lifetime_days} days old in "
                f"{last.storage_class}, which bills at least {min_days(last.storage_class)} "
                "days from creation",
            )
        return
    for stage in path.stages:
        if stage.early_deletion_days > ZERO:
            left = "deleted" if stage is path.stages[-1] else "moved on"
            yield (
                stage.storage_class,
                stage.early_deletion_days,
                f"objects are {left} after {stage.days} days in {stage.storage_class}, "
                f"which bills at least {stage.billed_days} days",
            )


def _volumes(usage: Mapping[str, Any], spec: ObjectStorage, path: str | None) -> dict[int, Decimal]:
    """Stored GB per rule (by identity): each usage prefix, or the share of it a filtered
    rule matches, goes to the rule that governs it."""
    out: dict[int, Decimal] = {}
    for v in rule_volumes(spec, usage, path)[0]:
        if v.rule is not None:
            out[id(v.rule)] = out.get(id(v.rule), ZERO) + v.volume
    return out


def _storage_price(
    ctx: RuleContext, lifecycle: BucketLifecycle, storage_class: str
) -> Decimal | None:
    """Per GB-month price of a storage class in the bucket's region, from the catalog."""
    r = lifecycle.bucket.resource
    for product in lifecycle.spec.products(storage_class) if r.region else ():
        entry = ctx.pricing.catalog.price(
            r.provider, lifecycle.spec.service, product, r.region or "", "storage"
        )
        if entry is not None:
            return entry.price
    return None
