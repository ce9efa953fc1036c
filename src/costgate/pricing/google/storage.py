"""Cloud Storage buckets: stored volume from the usage file, split by lifecycle rules.

Google bills a minimum storage duration from the object's creation: a lifecycle
`SetStorageClass` does not reset it and is not an early deletion, so only a `Delete`
before the current class's minimum is charged for the remaining days.
"""

from __future__ import annotations

from costgate.facts.storage import object_storage
from costgate.model import ZERO
from costgate.pricing.google.compute import region_of
from costgate.pricing.google.storage_usage import price_usage
from costgate.pricing.lifecycle import minimum_days, volume_groups
from costgate.pricing.quote import Quote


def price_bucket(q: Quote) -> None:
    """`google_storage_bucket`: steady-state GB-months per class, early deletion on Delete;
    each usage prefix follows the lifecycle rule that matches it; then retrieval,
    operations and egress from the usage file (`storage_usage`)."""
    spec = object_storage(q.resource, q.ctx.index)
    assert spec is not None
    groups = volume_groups(q, spec, lambda _: ZERO)
    region = region_of(q)
    for group in groups:
        where = f", {group.where()}" if group.where() else ""
        path, volume = group.path, group.volume
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
    price_usage(q, spec, region)
