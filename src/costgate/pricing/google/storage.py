"""Cloud Storage buckets: stored volume from the usage file, split by lifecycle rules.

Google bills a minimum storage duration from the object's creation: a lifecycle
`SetStorageClass` does not reset it and is not an early deletion, so only a `Delete`
before the current class's minimum is charged for the remaining days.
"""

from __future__ import annotations

from decimal import Decimal

from costgate.facts.storage import object_storage
from costgate.model import ZERO
from costgate.pricing.google.compute import region_of
from costgate.pricing.lifecycle import (
    DEFAULT_LIFETIME_DAYS,
    lifecycle_notes,
    minimum_days,
    timeline,
)
from costgate.pricing.quote import Quote, Unpriceable
from costgate.usage import stored_volumes


def price_bucket(q: Quote) -> None:
    """`google_storage_bucket`: steady-state GB-months per class, early deletion on Delete;
    each usage prefix follows the lifecycle rule that matches it."""
    groups = stored_volumes(q.usage)
    if not groups:
        raise Unpriceable(
            f"usage unknown: set storage_gb for {q.resource.base_address} in a usage file (--usage)"
        )
    spec = object_storage(q.resource, q.ctx.index)
    assert spec is not None
    for note in lifecycle_notes(spec):
        q.note(note)
    region = region_of(q)
    lifetime = Decimal(q.usage.get("object_lifetime_days", DEFAULT_LIFETIME_DAYS))
    for prefix, volume, _ in groups:
        rule = spec.rule_for(prefix)
        where = f", prefix {prefix!r}" if prefix else ""
        path = timeline(
            spec.initial_class,
            rule.transitions if rule else (),
            rule.expire_days if rule else None,
            lifetime,
            lambda _: ZERO,
        )
        life = path.lifetime_days
        for stage in path.stages:
            q.add(
                f"Storage ({stage.storage_class}{where}, {stage.days}/{life} d)",
                volume * stage.days / life,
                "gcs",
                stage.storage_class,
                "storage",
                region=region,
            )
        final = path.stages[-1].storage_class
        minimum = minimum_days(q.ctx.catalog, spec, final)
        if path.expires and life < minimum:
            q.add(
                f"Early deletion ({final}{where}, deleted at {life} d of the {minimum}-day "
                "minimum)",
                volume * (minimum - life) / life,
                "gcs",
                final,
                "storage",
                region=region,
            )
        if not path.expires:
            q.note(
                f"no Delete rule{where}; objects assumed to live {life} days "
                "(set object_lifetime_days in the usage file)"
            )
