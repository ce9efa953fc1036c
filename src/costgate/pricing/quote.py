"""The toolkit pricers use: catalog look-ups that turn into cost lines or honest gaps.

A pricer receives a `Quote` for one resource, adds lines (`quote.add(...)`) and notes, and
raises `Unpriceable` when the resource as a whole cannot be priced. The engine turns both
into a `PricedResource`; nothing here guesses a missing price or quantity.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any, Protocol

from costgate.facts import compute
from costgate.facts.index import StackIndex
from costgate.facts.specs import Market
from costgate.facts.values import MalformedAttribute, scalar
from costgate.model import (
    HOURS_PER_MONTH,
    ZERO,
    CostLine,
    PricedResource,
    Resource,
    is_unknown,
)
from costgate.pricing.catalog import Catalog, PriceEntry
from costgate.usage import Usage, UsageView

QUANTITY_STEP = Decimal("0.000001")
"""Quantities keep 6 decimal places, so quantity x unit price is exactly the line's cost."""


CAPACITY_BLOCK_UNPRICED = (
    "Capacity Block rates are not in the pricing catalog (not priced at on-demand)"
)
"""AWS publishes no dated, stable Capacity Block rate table to ship; never guess one."""


@dataclass(frozen=True)
class Reservation:
    """A reserved-instance rate the on-demand hours are priced at: its catalog kind and how
    the line names it (offering class, term, payment option)."""

    kind: str
    label: str
    all_upfront: bool = False
    """Paid wholly at purchase: AWS bills no hourly charge for the hours it covers."""


PER_THOUSAND = Decimal(1000)
"""Units per catalog unit of a price per 1,000 (`1k requests`, `1k objects-month`): what a
usage count is divided by before `add` / `add_usage` prices it."""


class Unpriceable(Exception):
    """The resource cannot be priced; the message is the reason shown to the user."""


class PricingContext(Protocol):
    """What a quote needs from the engine."""

    @property
    def catalog(self) -> Catalog: ...

    @property
    def usage(self) -> Usage: ...

    @property
    def index(self) -> StackIndex: ...


@dataclass
class Quote:
    """Cost lines and notes collected for one resource."""

    resource: Resource
    ctx: PricingContext

    def __post_init__(self) -> None:
        self.lines: list[CostLine] = []
        self.notes: list[str] = []
        self.missing: list[tuple[str, str]] = []
        self.free_reason: str | None = None
        values = self.ctx.usage.for_resource(self.resource)
        # only a resource with usage values records its look-ups: no cost without a file
        self._usage_view = UsageView(values) if values else None
        self.usage: Mapping[str, Any] = self._usage_view or values
        self._usage_skipped: dict[str, str] = {}

    # -- look-ups ---------------------------------------------------------------------------

    @property
    def region(self) -> str:
        """The resource's region, or Unpriceable when it is unknown."""
        if not self.resource.region:
            raise Unpriceable(
                "region unknown: no provider region, zone or location found for this resource"
            )
        return self.resource.region

    def lookup(
        self, service: str, product: str, kind: str, *, region: str | None = None
    ) -> tuple[PriceEntry, ...]:
        """All tiers of a price, or Unpriceable naming what is missing."""
        region = region or self.region
        provider = self.resource.provider
        tiers = self.ctx.catalog.tiers(provider, service, product, region, kind)
        if tiers:
            return tiers
        elsewhere = self.ctx.catalog.regions(provider, service, product)
        if not elsewhere:
            raise Unpriceable(f"{service} {product!r} is not in the pricing catalog")
        where = ", ".join(elsewhere)
        if region not in elsewhere:
            raise Unpriceable(
                f"no {service} price for {product} in {region} (catalog has: {where})"
            )
        raise Unpriceable(f"no {kind.replace('_', '-')} price for {service} {product} in {region}")

    def product(self, service: str, product: str) -> Mapping[str, Any]:
        """Non-price facts about a product."""
        return self.ctx.catalog.product(self.resource.provider, service, product)

    def setting(self, attribute: str, default: str, *, computed: bool = False) -> str:
        """A string attribute that decides the price (a tier, a mode, a type): its value,
        *default* (the provider's) when unset, Unpriceable when it is unknown until apply,
        so an unknown choice is never priced as the default.

        A *computed* attribute (Optional + Computed in the provider schema) is unknown in
        every plan that leaves it unset: there the default is priced and the note says so."""
        value = scalar(self.resource.attr(attribute), attribute)
        if is_unknown(value):
            if not computed:
                raise Unpriceable(f"{attribute} is unknown until apply")
            self.note(
                f"{attribute} unknown until apply (the plan leaves it unknown when it is not "
                f"set): priced as {default}, the default"
            )
            return default
        return str(value) if value not in (None, "") else default

    def known(self, value: Any, what: str) -> Any:
        """*value*, or Unpriceable when it is unknown at plan time or missing; a block where
        a value belongs is malformed input."""
        scalar(value, what)
        if is_unknown(value):
            raise Unpriceable(f"{what} is unknown until apply")
        if value is None or value == "":
            raise Unpriceable(f"{what} is not set")
        return value

    def spot(self, resource: Resource | None = None, capacity: str = "") -> bool:
        """Whether *resource* (default: the quoted one; else e.g. its template) buys spot
        capacity, as the facts layer reads it. Capacity blocks have no rate in the catalog:
        the resource is unpriced with that reason (naming *capacity*, e.g. "2 x p5.48xlarge",
        when given), never priced at on-demand rates."""
        market = compute.market(resource or self.resource, self.ctx.index)
        if market is Market.CAPACITY_BLOCK:
            raise Unpriceable(
                f"{CAPACITY_BLOCK_UNPRICED}: {capacity}" if capacity else CAPACITY_BLOCK_UNPRICED
            )
        return market is Market.SPOT

    def count(self, *candidates: tuple[Any, str]) -> Decimal:
        """The first known capacity figure (value, name); unknown ones are skipped with a note."""
        for value, what in candidates:
            if value is None:
                continue
            if is_unknown(value):
                self.note(f"{what} unknown until apply")
                continue
            count = Decimal(scalar(value, what))
            if count < ZERO:
                raise MalformedAttribute(what, "zero or more", value)
            return count
        unset = [w for v, w in candidates if v is None]
        unknown = [w for v, w in candidates if is_unknown(v)]
        said = [f"{', '.join(unset)} not set"] if unset else []
        said += [f"{', '.join(unknown)} unknown until apply"] if unknown else []
        raise Unpriceable("instance count unknown: " + "; ".join(said))

    def usage_instances(self) -> tuple[Any, str]:
        """The usage file's `instances` as a `count` candidate: it overrides the desired or
        initial size of a group, node pool, scale set or cluster when given."""
        return (self.usage.get("instances"), "usage file instances")

    def hours(self) -> Decimal:
        """Running hours a month: the usage file's `monthly_hours`, else 730."""
        return Decimal(self.usage.get("monthly_hours", HOURS_PER_MONTH))

    # -- building lines ---------------------------------------------------------------------

    def add(
        self,
        name: str,
        quantity: Decimal,
        service: str,
        product: str,
        kind: str,
        *,
        region: str | None = None,
    ) -> None:
        """Price *quantity* units; tiered prices split into one line per tier used.

        A negative quantity (a size or count below zero) is malformed input: it would be
        priced as negative money and hide the cost of everything else in the change."""
        quantity = Decimal(quantity)
        if quantity < ZERO:
            raise MalformedAttribute(f"the quantity of {name!r}", "zero or more", quantity)
        tiers = self.lookup(service, product, kind, region=region)
        if len(tiers) == 1:
            self._line(name, quantity, tiers[0])
            return
        for i, tier in enumerate(tiers):
            upper = tiers[i + 1].tier_start if i + 1 < len(tiers) else None
            portion = (min(quantity, upper) if upper is not None else quantity) - tier.tier_start
            if portion <= ZERO:
                break
            label = f"{name} (tier from {tier.tier_start} {tier.unit.split('-')[0]})"
            self._line(label if tier.tier_start else name, portion, tier)

    def add_optional(
        self,
        name: str,
        quantity: Decimal,
        service: str,
        product: str,
        kind: str,
        *,
        region: str | None = None,
    ) -> None:
        """Like `add`, but a missing price becomes a note instead of failing the resource."""
        with self.component(name):
            self.add(name, quantity, service, product, kind, region=region)

    def priced(self, component: str) -> bool:
        """Whether *component* has priced so far (it is not listed missing): what a pricer
        asks before assuming something on top of it."""
        return all(name != component for name, _ in self.missing)

    def lacks(self, component: str, reason: str) -> None:
        """List *component* as missing with *reason*: it costs something the quote cannot
        price (partial pricing), the rest of the resource is priced. What `component`
        records when its block raises Unpriceable."""
        self.missing.append((component, reason))

    def component(self, name: str) -> _Component:
        """Price one component of the resource (`with q.component(name): ...`); when it
        cannot be priced, the rest still is and the component is listed as missing with its
        reason (partial pricing)."""
        return _Component(self, name)

    def _line(self, name: str, quantity: Decimal, entry: PriceEntry) -> None:
        quantity = quantity.quantize(QUANTITY_STEP, rounding=ROUND_HALF_UP).normalize()
        self.lines.append(
            CostLine(
                address=self.resource.address,
                name=name,
                unit=entry.unit,
                quantity=quantity,
                unit_price=entry.price,
                price=entry.ref,
            )
        )

    def add_compute(
        self,
        label: str,
        instance_type: str,
        *,
        spot: bool,
        count: Decimal = Decimal(1),
        service: str = "ec2",
        region: str | None = None,
        kind_suffix: str = "",
        reservation: Reservation | None = None,
    ) -> None:
        """Instance hours on-demand (at the *reservation*'s rate when one is given), or spot
        plus the interruption overhead line.

        *kind_suffix* selects an OS variant of the price (`_windows` -> `on_demand_windows`).
        """
        hours = self.hours() * count
        per = f" x {count}" if count != 1 else ""
        variant = kind_suffix.replace("_", " ").strip()
        os_label = f"{variant}, " if variant else ""
        if not spot:
            kind, how = (
                (reservation.kind, reservation.label) if reservation else ("on_demand", "on-demand")
            )
            if reservation and reservation.all_upfront:
                self.note(
                    f"{label} ({instance_type}, {os_label}{how}{per}): no hourly charge for the "
                    f"{hours} h; the reservation is paid once, at purchase"
                )
                self.lacks(
                    f"{label} upfront fee",
                    f"the one-time fee of a {how} reservation of {instance_type} is not in "
                    "the pricing catalog",
                )
                return
            self.add(
                f"{label} ({instance_type}, {os_label}{how}{per})",
                hours,
                service,
                instance_type,
                f"{kind}{kind_suffix}",
                region=region,
            )
            return
        self.add(
            f"{label} ({instance_type}, {os_label}spot{per})",
            hours,
            service,
            instance_type,
            f"spot{kind_suffix}",
            region=region,
        )
        self.add_spot_overhead(
            instance_type, hours, service, instance_type, f"spot{kind_suffix}", region=region
        )

    def add_spot_overhead(
        self,
        what: str,
        spot_hours: Decimal,
        service: str,
        product: str,
        kind: str,
        *,
        region: str | None = None,
    ) -> None:
        """The run's interruption overhead (usage `spot_interruption_overhead`) as extra
        spot hours of *what*, on a line of its own; nothing when the overhead is 0."""
        overhead = self.ctx.usage.spot_interruption_overhead
        if overhead:
            self.add(
                f"Spot interruption overhead ({what}, {overhead * 100:.0f}% of spot hours)",
                spot_hours * overhead,
                service,
                product,
                kind,
                region=region,
            )

    def add_usage(
        self,
        name: str,
        key: str,
        service: str,
        product: str,
        kind: str,
        *,
        per: Decimal = Decimal(1),
        region: str | None = None,
    ) -> None:
        """A usage-driven component: the usage file's *key* (divided by *per*, e.g. 10,000
        requests a unit) priced as `add` does; without the key the component is listed as
        missing ("usage unknown: set `key` in the usage file"), never priced at $0."""
        with self.component(name):
            value = self.usage.get(key)
            if value is None:
                raise Unpriceable(f"usage unknown: set `{key}` in the usage file")
            self.add(name, Decimal(value) / per, service, product, kind, region=region)

    def free(self, reason: str) -> None:
        """This resource, as configured, costs nothing by itself (a gateway VPC endpoint, an
        internal address): reported as free with *reason*, like a type of the free list."""
        self.free_reason = reason

    def note(self, text: str) -> None:
        """Record a part of the resource that was not priced, and why."""
        self.notes.append(text)

    def usage_not_applicable(self, key: str, reason: str) -> None:
        """The usage file's *key* does not apply to this resource as configured (*reason*:
        "a gp3 volume does not bill I/O requests"); the run's warning about the key, if the
        file gives it, says why."""
        if self._usage_view is not None:
            self._usage_skipped[key] = reason

    def with_usage(self, priced: PricedResource) -> PricedResource:
        """*priced* with the usage keys this quote looked at and the reasons it gave."""
        if self._usage_view is None:
            return priced
        return replace(
            priced,
            usage_read=frozenset(self._usage_view.read),
            usage_skipped=MappingProxyType(self._usage_skipped),
        )

    def result(self) -> PricedResource:
        """The priced resource built so far: unpriced (with the first missing component's
        reason) when nothing could be priced, partially priced when something could; free
        when the pricer said so and added nothing."""
        if self.free_reason is not None and not self.lines and not self.missing:
            priced = PricedResource(self.resource, notes=(self.free_reason, *self.notes), free=True)
        elif self.missing and not self.lines:
            priced = PricedResource(
                self.resource, unpriced_reason=self.missing[0][1], notes=tuple(self.notes)
            )
        else:
            priced = PricedResource(
                resource=self.resource,
                cost_lines=tuple(self.lines),
                notes=tuple(self.notes),
                missing=tuple(f"{name} not priced: {reason}" for name, reason in self.missing),
            )
        return self.with_usage(priced)


class _Component:
    """The context of `Quote.component`: a class, not a generator-based context manager,
    because thousands of components a run end in Unpriceable (a bucket without usage) and
    throwing into a generator costs several times more."""

    __slots__ = ("name", "quote")

    def __init__(self, quote: Quote, name: str):
        self.quote = quote
        self.name = name

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, _: Any) -> bool:
        if isinstance(exc, Unpriceable):
            self.quote.lacks(self.name, str(exc))
            return True
        return False


Pricer = Callable[[Quote], None]
"""A pricer adds lines and notes to a quote, or raises Unpriceable."""
