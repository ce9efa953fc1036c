"""Compare two priced stacks resource by resource."""

from __future__ import annotations

from costgate.model import ZERO, CostDiff, PricedResource, ResourceDelta


def existing(priced: tuple[PricedResource, ...]) -> dict[str, PricedResource]:
    """Resources that exist once the input's change is applied, by address."""
    return {p.resource.address: p for p in priced if p.resource.action.exists_after}


def diff_stacks(base: tuple[PricedResource, ...], head: tuple[PricedResource, ...]) -> CostDiff:
    """Per-resource deltas from *base* to *head*, ordered by largest absolute delta first."""
    before, after = existing(base), existing(head)
    deltas = []
    for address in sorted(before.keys() | after.keys()):
        b, h = before.get(address), after.get(address)
        if b is None:
            change = "added"
        elif h is None:
            change = "removed"
        elif b.monthly_cost != h.monthly_cost or b.unpriced_reason != h.unpriced_reason:
            change = "changed"
        else:
            change = "unchanged"
        deltas.append(ResourceDelta(address, change, b, h))
    deltas.sort(key=lambda d: (-abs(d.delta), d.address))
    return CostDiff(
        base_monthly_cost=sum((p.monthly_cost for p in before.values()), ZERO),
        head_monthly_cost=sum((p.monthly_cost for p in after.values()), ZERO),
        resources=tuple(deltas),
    )
