"""Steady-state storage split for lifecycle-managed buckets (any cloud).

Objects arrive at a steady rate and each follows the same path: initial class, then each
transition, then expiry. At steady state the share of the stored volume in a class equals
the share of an object's lifetime spent there. A class with a minimum storage duration
bills an object that leaves it early (by transition or expiry) for the rest of the minimum.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from costgate.errors import ConfigError
from costgate.facts.specs import LifecycleRule, ObjectStorage
from costgate.model import ZERO
from costgate.pricing.catalog import Catalog
from costgate.pricing.quote import Quote, Unpriceable
from costgate.usage import stored_volumes


@dataclass(frozen=True, slots=True)
class Stage:
    """Time an object spends in one storage class, and the days it is billed for there."""

    storage_class: str
    start_day: Decimal
    days: Decimal
    billed_days: Decimal

    @property
    def early_deletion_days(self) -> Decimal:
        """Days billed beyond the days actually stored (minimum duration not met)."""
        return self.billed_days - self.days


@dataclass(frozen=True, slots=True)
class Timeline:
    """An object's path through storage classes over its lifetime."""

    stages: tuple[Stage, ...]
    lifetime_days: Decimal
    expires: bool


def timeline(
    initial_class: str,
    transitions: Sequence[tuple[Decimal, str]],
    expire_days: Decimal | None,
    default_lifetime_days: Decimal,
    min_days: Callable[[str], Decimal],
) -> Timeline:
    """Stages an object goes through; transitions at or after expiry never happen.

    Without an expiry, objects are assumed to live *default_lifetime_days* and nothing is
    charged as early deletion at the end of that horizon (the object is not deleted).
    Negative days (or an expiry at day 0 or before) would make negative volumes:
    Unpriceable, as the cloud would reject the rule.
    """
    lifetime = expire_days if expire_days is not None else default_lifetime_days
    classes = {initial_class, *(storage_class for _, storage_class in transitions)}
    minimums = tuple(sorted((c, min_days(c)) for c in classes))
    # equal Decimals can be spelt differently (30 and 30.0) and the stages print them
    spelling = (str(expire_days), str(lifetime), tuple(str(d) for d, _ in transitions))
    return _timeline(initial_class, tuple(transitions), expire_days, lifetime, minimums, spelling)


@lru_cache(maxsize=1024)
def _timeline(
    initial_class: str,
    transitions: tuple[tuple[Decimal, str], ...],
    expire_days: Decimal | None,
    lifetime: Decimal,
    minimums: tuple[tuple[str, Decimal], ...],
    spelling: object,
) -> Timeline:
    """`timeline` on hashable arguments: thousands of buckets share a handful of rules."""
    min_days = dict(minimums)
    if lifetime <= ZERO:
        raise Unpriceable(
            f"lifecycle expiration after {lifetime} days: the cloud requires a "
            "positive number of days"
        )
    for day, storage_class in transitions:
        if day < ZERO:
            raise Unpriceable(
                f"lifecycle transition to {storage_class} after {day} days: "
                "the cloud requires zero or more days"
            )
    path: list[tuple[Decimal, str]] = [(ZERO, initial_class)]
    for day, storage_class in sorted(transitions, key=lambda t: t[0]):
        if day >= lifetime:
            continue
        if day == path[-1][0]:
            path[-1] = (day, storage_class)
        else:
            path.append((day, storage_class))
    stages = []
    for i, (start, storage_class) in enumerate(path):
        end = path[i + 1][0] if i + 1 < len(path) else lifetime
        days = end - start
        leaves_early = i + 1 < len(path) or expire_days is not None
        billed = max(days, min_days[storage_class]) if leaves_early else days
        stages.append(Stage(storage_class, start, days, billed))
    return Timeline(tuple(stages), lifetime, expire_days is not None)


DEFAULT_LIFETIME_DAYS = Decimal(365)
"""Horizon for objects no rule deletes; override with `object_lifetime_days` in usage."""


def minimum_days(catalog: Catalog, spec: ObjectStorage, storage_class: str) -> Decimal:
    """The class's minimum storage duration from the catalog's product facts (0 if none)."""
    provider = spec.resource.provider
    for product in spec.products(storage_class):
        facts = catalog.product(provider, spec.service, product)
        if "min_storage_days" in facts:
            return Decimal(facts["min_storage_days"])
    return ZERO


def lifecycle_notes(spec: ObjectStorage, shares: Mapping[str, Decimal]) -> list[str]:
    """What a bucket's rules say that its price leaves out: unmodelled rules, and rules
    narrowed to objects (by tag, size or suffix) whose share the usage file does not give."""
    notes = list(spec.notes)
    for rule in spec.narrowed_rules():
        if rule.id in shares:
            continue
        name = f"lifecycle rule {rule.id!r}" if rule.id else "a lifecycle rule"
        notes.append(
            f"{name} applies only to objects with {rule.describe_filter()}: not applied to "
            "the stored volume (set the share of objects it matches in the usage file, "
            "lifecycle_rule_share)"
        )
    return notes


@dataclass(frozen=True, slots=True)
class VolumeGroup:
    """Part of a bucket's stored volume (a usage prefix, or the rest; all of it, or the
    share a filtered rule matches) and the path its objects take through storage classes
    under the rule that governs them."""

    prefix: str
    volume: Decimal
    objects: Decimal | None
    rule: LifecycleRule | None
    path: Timeline
    share: str = ""
    """Which share of the prefix's objects this is and where that comes from, or ''."""

    def where(self, bucket: str = "") -> str:
        """The group in words for cost lines: prefix, then the share, if any."""
        parts = [f"prefix {self.prefix!r}" if self.prefix else bucket, self.share]
        return ", ".join(p for p in parts if p)


def percent(share: Decimal) -> str:
    """0.4 -> '40 %' (shares print as the usage file's figure, without trailing zeros)."""
    return f"{(share * 100).normalize():f} %"


def rule_shares(spec: ObjectStorage, usage: Mapping[str, Any], path: str | None) -> Shares:
    """The usage file's `lifecycle_rule_share`, checked against the bucket's rules: a rule
    id the bucket lacks, or one that filters by prefix alone, is a usage error (exit 2)."""
    shares = {str(k): Decimal(v) for k, v in (usage.get("lifecycle_rule_share") or {}).items()}
    narrowed = {r.id for r in spec.narrowed_rules() if r.id}
    for rule_id in shares:
        if rule_id in narrowed:
            continue
        where = f"{spec.resource.base_address}: lifecycle_rule_share {rule_id!r}"
        if any(r.id == rule_id for r in spec.rules):
            why = (
                "that rule filters by prefix alone, so it governs all of its prefix's volume "
                "(give that volume under `prefixes`)"
            )
        else:
            why = "the bucket has no lifecycle rule with that id"
        listed = ", ".join(repr(i) for i in sorted(narrowed)) or "none"
        raise ConfigError(
            f"{where}: {why}; expected the id of one of its rules filtered by object tags, "
            f"size or suffix ({listed})",
            path=path,
        )
    return shares


Shares = dict[str, Decimal]
"""Rule id -> fraction of the objects under its prefix that the rule matches."""


@dataclass(frozen=True, slots=True)
class RuleVolume:
    """Stored volume one rule (or none) governs: a prefix's, or a share of it."""

    prefix: str
    volume: Decimal
    objects: Decimal | None
    rule: LifecycleRule | None
    share: str = ""


def rule_volumes(
    spec: ObjectStorage, usage: Mapping[str, Any], path: str | None
) -> tuple[list[RuleVolume], list[str]]:
    """The usage file's volumes, each under the rule that governs it: per prefix, the share
    of objects a filtered rule matches (`lifecycle_rule_share`) under that rule, the rest
    under the prefix's own; and notes on what that leaves out. Shares of one volume adding
    up to more than 100 % are a usage error (exit 2)."""
    shares = rule_shares(spec, usage, path)
    notes = lifecycle_notes(spec, shares)
    out = []
    for prefix, volume, objects in stored_volumes(usage):
        rule = spec.rule_for(prefix)
        matched = [
            r for r in spec.narrowed_rules() if r.id in shares and prefix.startswith(r.prefix)
        ]
        taken = sum((shares[r.id] for r in matched), ZERO)
        if taken > 1:
            raise ConfigError(
                f"{spec.resource.base_address}: lifecycle_rule_share of rules "
                f"{', '.join(repr(r.id) for r in matched)} add up to {percent(taken)} of "
                f"{'prefix ' + repr(prefix) if prefix else 'storage_gb'}; expected at most "
                "100 % (each share is a separate set of objects)",
                path=path,
            )
        for r in matched:
            share = shares[r.id]
            if share == ZERO:
                continue  # no object matches: no lines of 0 GB
            said = f"{percent(share)} of objects match {r.describe_filter()} (usage file)"
            part = None if objects is None else objects * share
            out.append(RuleVolume(prefix, volume * share, part, r, said))
            if rule is not None and not _covers(r, rule):
                notes.append(
                    f"objects matching lifecycle rule {r.id!r} are priced under its actions "
                    f"alone, not also under rule {rule.id!r}'s"
                )
        if not matched:
            out.append(RuleVolume(prefix, volume, objects, rule))
            continue
        rest = 1 - taken
        if rest > ZERO:
            part = None if objects is None else objects * rest
            said = f"the other {percent(rest)} of objects (usage file lifecycle_rule_share)"
            out.append(RuleVolume(prefix, volume * rest, part, rule, said))
    return out, notes


def _covers(narrowed: LifecycleRule, rule: LifecycleRule) -> bool:
    """Whether *narrowed* already does what *rule* does (GCS folds shared actions in)."""
    expire_ok = rule.expire_days is None or (
        narrowed.expire_days is not None and narrowed.expire_days <= rule.expire_days
    )
    return set(rule.transitions) <= set(narrowed.transitions) and expire_ok


def volume_groups(
    q: Quote, spec: ObjectStorage, min_days: Callable[[str], Decimal]
) -> list[VolumeGroup]:
    """The bucket's volumes from the usage file (`rule_volumes`), each on its own lifecycle
    path (objects with no rule stay in the first class); the quote notes what the rules
    leave out. Unpriceable when the usage file gives no volume."""
    if not stored_volumes(q.usage):
        raise Unpriceable(
            f"usage unknown: set storage_gb for {q.resource.base_address} in a usage file (--usage)"
        )
    volumes, notes = rule_volumes(spec, q.usage, q.ctx.usage.path)
    for note in notes:
        q.note(note)
    lifetime = Decimal(q.usage.get("object_lifetime_days", DEFAULT_LIFETIME_DAYS))
    out = []
    for v in volumes:
        rule = v.rule
        transitions, expire = (rule.transitions, rule.expire_days) if rule else ((), None)
        path = timeline(spec.initial_class, transitions, expire, lifetime, min_days)
        out.append(VolumeGroup(v.prefix, v.volume, v.objects, rule, path, v.share))
    return out
