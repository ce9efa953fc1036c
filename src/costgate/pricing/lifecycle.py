"""Steady-state storage split for lifecycle-managed buckets (any cloud).

Objects arrive at a steady rate and each follows the same path: initial class, then each
transition, then expiry. At steady state the share of the stored volume in a class equals
the share of an object's lifetime spent there. A class with a minimum storage duration
bills an object that leaves it early (by transition or expiry) for the rest of the minimum.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

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


def lifecycle_notes(spec: ObjectStorage) -> list[str]:
    """What a bucket's rules say that its price leaves out: unmodelled rules, and rules
    narrowed to objects the usage file cannot single out (by tag, size or suffix)."""
    notes = list(spec.notes)
    for rule in spec.narrowed_rules():
        name = f"lifecycle rule {rule.id!r}" if rule.id else "a lifecycle rule"
        notes.append(
            f"{name} applies only to objects with {rule.describe_filter()}: not applied to "
            "the stored volume (the usage file cannot say how much of it those objects hold)"
        )
    return notes


@dataclass(frozen=True, slots=True)
class VolumeGroup:
    """Part of a bucket's stored volume (a usage prefix, or the rest) and the path its
    objects take through storage classes under the rule that governs that prefix."""

    prefix: str
    volume: Decimal
    objects: Decimal | None
    rule: LifecycleRule | None
    path: Timeline


def volume_groups(
    q: Quote, spec: ObjectStorage, min_days: Callable[[str], Decimal]
) -> list[VolumeGroup]:
    """The bucket's volume from the usage file, split by prefix, each group on its own
    lifecycle path (objects with no rule stay in the first class); the quote notes what the
    rules leave out. Unpriceable when the usage file gives no volume."""
    groups = stored_volumes(q.usage)
    if not groups:
        raise Unpriceable(
            f"usage unknown: set storage_gb for {q.resource.base_address} in a usage file (--usage)"
        )
    for note in lifecycle_notes(spec):
        q.note(note)
    lifetime = Decimal(q.usage.get("object_lifetime_days", DEFAULT_LIFETIME_DAYS))
    out = []
    for prefix, volume, objects in groups:
        rule = spec.rule_for(prefix)
        transitions, expire = (rule.transitions, rule.expire_days) if rule else ((), None)
        path = timeline(spec.initial_class, transitions, expire, lifetime, min_days)
        out.append(VolumeGroup(prefix, volume, objects, rule, path))
    return out
