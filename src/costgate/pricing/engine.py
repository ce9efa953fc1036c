"""Apply the pricers to a stack of resources; pure, no I/O."""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from types import MappingProxyType

from costgate.errors import ConfigError, InputError
from costgate.facts.index import StackIndex
from costgate.facts.values import MalformedAttribute
from costgate.model import NOT_EVALUATED, PricedResource, Resource
from costgate.pricing.catalog import Catalog
from costgate.pricing.free import outside_reason
from costgate.pricing.quote import Quote, Unpriceable
from costgate.pricing.registry import FREE, PRICED_ELSEWHERE, PRICERS
from costgate.usage import Usage


@dataclass(frozen=True)
class PricingSession:
    """One run's catalog, usage and stack index: what every quote needs, and what policy
    rules are handed (`policy.rules.base.Pricing`) to price a variant of a resource."""

    catalog: Catalog
    usage: Usage
    index: StackIndex

    def price(self, resource: Resource) -> PricedResource:
        """Price one resource (e.g. the spot variant of a stack resource) as the run does."""
        return price_one(resource, self)


def price_resources(
    resources: tuple[Resource, ...],
    catalog: Catalog,
    usage: Usage,
    index: StackIndex | None = None,
) -> tuple[PricedResource, ...]:
    """Price every resource; those that cannot be priced say why. *index* is the stack's
    index when the caller shares it with the policy engine."""
    ctx = PricingSession(catalog, usage, index or StackIndex(resources))
    return tuple(price_one(r, ctx) for r in resources)


def price_one(resource: Resource, ctx: PricingSession) -> PricedResource:
    """Price one resource with its type's pricer."""
    if resource.type == NOT_EVALUATED:
        reason = str(resource.attributes.get("reason") or "not evaluated")
        counted = resource.attributes.get("resource_type")
        if counted in FREE or counted in PRICED_ELSEWHERE:
            # however many instances apply makes, a free type costs nothing
            uncounted = reason.removesuffix("; not priced")
            why = PRICED_ELSEWHERE.get(str(counted), "no charge for this resource type")
            note = f"{counted}: {why}; {uncounted}"
            if counted in PRICED_ELSEWHERE:
                return _priced_elsewhere(resource, ctx, why, note)
            return PricedResource(resource, notes=(note,), free=True)
        return PricedResource(resource, unpriced_reason=reason)
    pricer = PRICERS.get(resource.type)
    if pricer is None:
        if resource.type in PRICED_ELSEWHERE:
            why = PRICED_ELSEWHERE[resource.type]
            return _priced_elsewhere(resource, ctx, why, why)
        if resource.type in FREE:
            return PricedResource(resource, notes=("no charge for this resource type",), free=True)
        outside = outside_reason(resource.type, resource.attributes.get("type"))
        if outside is not None:
            return PricedResource(resource, unpriced_reason=outside)
        return PricedResource(
            resource, unpriced_reason=f"resource type {resource.type} is not supported yet"
        )
    quote = Quote(resource, ctx)
    try:
        pricer(quote)
    except Unpriceable as exc:
        return quote.with_usage(
            PricedResource(resource, unpriced_reason=str(exc), notes=tuple(quote.notes))
        )
    except (MalformedAttribute, decimal.InvalidOperation) as exc:
        raise malformed_attributes(resource, exc) from exc
    except ConfigError:
        raise  # the usage file contradicts the resource (a rule it names is not there): exit 2
    except Exception as exc:
        raise PricingBug(
            f"pricing {resource.address} ({resource.type}) failed: {type(exc).__name__}: {exc}"
        ) from exc
    return quote.result()


def _priced_elsewhere(
    resource: Resource, ctx: PricingSession, why: str, note: str
) -> PricedResource:
    """A type billed as part of another resource (*why*: "priced through the Auto Scaling
    group that uses it"): free itself, and its usage keys are not used for that reason,
    which the run's warning gives (not "costs nothing", which reads as no bill at all)."""
    keys = ctx.usage.for_resource(resource)
    return PricedResource(
        resource,
        notes=(note,),
        free=True,
        usage_skipped=MappingProxyType(dict.fromkeys(keys, why)) if keys else None,
    )


class PricingBug(RuntimeError):
    """A pricer failed on input it should handle: a bug in costgate (exit 3), reported with
    the resource it was pricing. Wrong input is `MalformedAttribute` or a number that is
    not one (`decimal.InvalidOperation`), both exit 2."""


def malformed_attributes(resource: Resource, exc: Exception) -> InputError:
    """An exit-2 error naming the resource whose attributes could not be read."""
    if isinstance(exc, decimal.InvalidOperation):
        detail = "a value that should be a number is not one, or is out of range"
    else:
        detail = str(exc)
    return InputError(
        f"{resource.address} ({resource.type}): an attribute has a value of the wrong type "
        f"or shape ({detail}); expected the provider's types (numbers for sizes and counts, "
        "objects for blocks)",
        path=resource.source.file if resource.source else None,
        location=str(resource.source.line) if resource.source and resource.source.line else None,
    )
