"""Cloud Storage buckets: stored volume from the usage file, split by lifecycle rules.

Google bills a minimum storage duration from the object's creation: a lifecycle
`SetStorageClass` does not reset it and is not an early deletion, so only a `Delete`
before the current class's minimum is charged for the remaining days.
"""

from __future__ import annotations

from decimal import Decimal

from costgate.model import ZERO, is_unknown
from costgate.pricing.google.compute import region_of
from costgate.pricing.lifecycle import timeline
from costgate.pricing.quote import Quote, Unpriceable

DEFAULT_LIFETIME_DAYS = Decimal(365)
"""Horizon for objects no rule deletes; override with `object_lifetime_days` in usage."""


def _rules(q: Quote) -> tuple[list[tuple[Decimal, str]], Decimal | None]:
    """(age, class) transitions and the Delete age, from `lifecycle_rule` blocks."""
    transitions: list[tuple[Decimal, str]] = []
    expire: Decimal | None = None
    rules = q.resource.attr("lifecycle_rule")
    for rule in () if is_unknown(rules) else rules or ():
        action = (rule.get("action") or [{}])[0]
        condition = (rule.get("condition") or [{}])[0]
        age = condition.get("age")
        if age is None or is_unknown(age) or is_unknown(action):
            q.note("a lifecycle rule without a known age condition is not modelled")
            continue
        if action.get("type") == "SetStorageClass":
            transitions.append((Decimal(age), str(action.get("storage_class"))))
        elif action.get("type") == "Delete":
            expire = Decimal(age) if expire is None else min(expire, Decimal(age))
    return transitions, expire


def price_bucket(q: Quote) -> None:
    """`google_storage_bucket`: steady-state GB-months per class, early deletion on Delete."""
    if "storage_gb" not in q.usage:
        raise Unpriceable(
            f"usage unknown: set storage_gb for {q.resource.base_address} in a usage file (--usage)"
        )
    volume = Decimal(q.usage["storage_gb"])
    initial = q.resource.attr("storage_class") or "STANDARD"
    region = region_of(q)
    transitions, expire = _rules(q)
    lifetime = Decimal(q.usage.get("object_lifetime_days", DEFAULT_LIFETIME_DAYS))
    path = timeline(str(initial), transitions, expire, lifetime, lambda _: ZERO)
    life = path.lifetime_days
    for stage in path.stages:
        q.add(
            f"Storage ({stage.storage_class}, {stage.days}/{life} d)",
            volume * stage.days / life,
            "gcs",
            stage.storage_class,
            "storage",
            region=region,
        )
    final = path.stages[-1].storage_class
    minimum = Decimal(q.product("gcs", final).get("min_storage_days", 0))
    if path.expires and life < minimum:
        q.add(
            f"Early deletion ({final}, deleted at {life} d of the {minimum}-day minimum)",
            volume * (minimum - life) / life,
            "gcs",
            final,
            "storage",
            region=region,
        )
    if not path.expires:
        q.note(
            f"no Delete rule; objects assumed to live {life} days "
            "(set object_lifetime_days in the usage file)"
        )
