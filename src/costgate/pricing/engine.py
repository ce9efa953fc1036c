"""Apply the pricers to a stack of resources; pure, no I/O."""

from __future__ import annotations

from dataclasses import dataclass

from costgate.model import NOT_EVALUATED, PricedResource, Resource
from costgate.pricing.catalog import Catalog
from costgate.pricing.quote import Quote, StackIndex, Unpriceable
from costgate.pricing.registry import FREE, PRICED_ELSEWHERE, PRICERS
from costgate.usage import Usage


@dataclass(frozen=True)
class _Context:
    catalog: Catalog
    usage: Usage
    index: StackIndex


def price_resources(
    resources: tuple[Resource, ...], catalog: Catalog, usage: Usage
) -> tuple[PricedResource, ...]:
    """Price every resource; those that cannot be priced say why."""
    ctx = _Context(catalog, usage, StackIndex(resources))
    return tuple(price_one(r, ctx) for r in resources)


def price_one(resource: Resource, ctx: _Context) -> PricedResource:
    """Price one resource with its type's pricer."""
    if resource.type == NOT_EVALUATED:
        return PricedResource(resource, unpriced_reason=str(
            resource.attributes.get("reason") or "not evaluated"))
    pricer = PRICERS.get(resource.type)
    if pricer is None:
        if resource.type in PRICED_ELSEWHERE:
            return PricedResource(resource, notes=(PRICED_ELSEWHERE[resource.type],), free=True)
        if resource.type in FREE:
            return PricedResource(resource, notes=("no charge for this resource type",),
                                  free=True)
        return PricedResource(
            resource, unpriced_reason=f"resource type {resource.type} is not supported yet"
        )
    quote = Quote(resource, ctx)
    try:
        pricer(quote)
    except Unpriceable as exc:
        return PricedResource(resource, unpriced_reason=str(exc), notes=tuple(quote.notes))
    return quote.result()
