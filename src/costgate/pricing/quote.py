"""The toolkit pricers use: catalog look-ups that turn into cost lines or honest gaps.

A pricer receives a `Quote` for one resource, adds lines (`quote.add(...)`) and notes, and
raises `Unpriceable` when the resource as a whole cannot be priced. The engine turns both
into a `PricedResource`; nothing here guesses a missing price or quantity.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from costgate.model import (
    HOURS_PER_MONTH,
    ZERO,
    CostLine,
    PricedResource,
    Resource,
    is_unknown,
)
from costgate.pricing.catalog import Catalog, PriceEntry
from costgate.usage import Usage

QUANTITY_STEP = Decimal("0.000001")
"""Quantities keep 6 decimal places, so quantity x unit price is exactly the line's cost."""


class Unpriceable(Exception):
    """The resource cannot be priced; the message is the reason shown to the user."""


class StackIndex:
    """All resources of one input, indexed to follow references (lifecycle config -> bucket).

    One index serves the pricing engine and every policy rule of a run, and `memo` keeps
    what they derive from it (a bucket's parsed lifecycle rules) so it is derived once.
    """

    def __init__(self, resources: tuple[Resource, ...]):
        self.resources = resources
        self.memo: dict[Hashable, Any] = {}
        self._by_address: dict[str, Resource] | None = None
        self._by_type: dict[str, list[Resource]] = {}
        self._by_base: dict[str, list[Resource]] = {}
        self._instances: dict[tuple[str, str, str], Resource] = {}
        self._links: dict[tuple[str, str, str, str], dict[str, Resource]] = {}
        for r in resources:
            self._by_type.setdefault(r.type, []).append(r)
            self._by_base.setdefault(r.base_address, []).append(r)
            self._instances[(r.base_address, r.module, _instance_key(r.address))] = r

    def by_address(self) -> Mapping[str, Resource]:
        """Every resource by address, and by address without instance keys (what a
        reference such as `aws_launch_template.t.id` names)."""
        if self._by_address is None:
            found = {r.base_address: r for r in self.resources}
            found.update({r.address: r for r in self.resources})
            self._by_address = found
        return self._by_address

    def of_type(self, type_: str) -> list[Resource]:
        """Every resource of a type."""
        return self._by_type.get(type_, [])

    def referenced(self, resource: Resource, attribute: str, type_: str) -> Resource | None:
        """The *type_* resource that *resource*'s *attribute* expression refers to.

        With count/for_each the reference names every instance; the one in the same module
        instance with the same instance key is taken (`aws_s3_bucket.b[count.index]` from
        `aws_s3_bucket_lifecycle_configuration.l[0]`), else the only instance there is.
        """
        key = _instance_key(resource.address)
        for ref in resource.references.get(attribute, ()):
            parts = ref.split(".")
            for cut in range(len(parts), 1, -1):
                base = ".".join(parts[:cut])
                candidates = self._by_base.get(base)
                if not candidates or candidates[0].type != type_:
                    continue
                for wanted in ((base, resource.module, key), (base, resource.module, "")):
                    if wanted in self._instances:
                        return self._instances[wanted]
                if len(candidates) == 1:
                    return candidates[0]
        return None

    def linked_from(
        self, target: Resource, from_type: str, attribute: str, match_attribute: str
    ) -> Resource | None:
        """The *from_type* resource whose *attribute* points at *target*.

        It points by reference (`bucket = aws_s3_bucket.b.id`) or, for literal values, by
        equality with the target's *match_attribute* (`bucket = "my-bucket"`). Built once
        per (from_type, attribute) so linking stays linear in the number of resources.
        """
        table_key = (from_type, attribute, target.type, match_attribute)
        table: dict[str, Resource] | None = self._links.get(table_key)
        if table is None:
            by_value: dict[str, Resource] = {}
            for candidate in self.of_type(target.type):
                value = candidate.attr(match_attribute)
                if isinstance(value, str):
                    by_value.setdefault(value, candidate)
            table = {}
            for source in self.of_type(from_type):
                linked = self.referenced(source, attribute, target.type)
                if linked is None:
                    value = source.attr(attribute)
                    linked = by_value.get(value) if isinstance(value, str) else None
                if linked is not None:
                    table.setdefault(linked.address, source)
            self._links[table_key] = table
        return table.get(target.address)


def _instance_key(address: str) -> str:
    """The trailing instance key of an address (`[0]`, `["a"]`) or ''."""
    if address.endswith("]"):
        return address[address.rfind("[") :]
    return ""


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
        self.usage: Mapping[str, Any] = self.ctx.usage.for_resource(self.resource)

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

    def known(self, value: Any, what: str) -> Any:
        """*value*, or Unpriceable when it is unknown at plan time or missing."""
        if is_unknown(value):
            raise Unpriceable(f"{what} is unknown until apply")
        if value is None or value == "":
            raise Unpriceable(f"{what} is not set")
        return value

    def count(self, *candidates: tuple[Any, str]) -> Decimal:
        """The first known capacity figure (value, name); unknown ones are skipped with a note."""
        for value, what in candidates:
            if value is None:
                continue
            if is_unknown(value):
                self.note(f"{what} unknown until apply")
                continue
            return Decimal(value)
        raise Unpriceable(
            "instance count unknown: " + ", ".join(w for _, w in candidates) + " not set"
        )

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
        """Price *quantity* units; tiered prices split into one line per tier used."""
        tiers = self.lookup(service, product, kind, region=region)
        quantity = Decimal(quantity)
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
        try:
            self.add(name, quantity, service, product, kind, region=region)
        except Unpriceable as exc:
            self.notes.append(f"{name} not priced: {exc}")

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
    ) -> None:
        """Instance hours on-demand, or spot plus the interruption overhead line.

        *kind_suffix* selects an OS variant of the price (`_windows` -> `on_demand_windows`).
        """
        hours = self.hours() * count
        per = f" x {count}" if count != 1 else ""
        variant = kind_suffix.replace("_", " ").strip()
        os_label = f"{variant}, " if variant else ""
        if not spot:
            self.add(
                f"{label} ({instance_type}, {os_label}on-demand{per})",
                hours,
                service,
                instance_type,
                f"on_demand{kind_suffix}",
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
        overhead = self.ctx.usage.spot_interruption_overhead
        if overhead:
            self.add(
                f"Spot interruption overhead ({instance_type}, "
                f"{overhead * 100:.0f}% of spot hours)",
                hours * overhead,
                service,
                instance_type,
                f"spot{kind_suffix}",
                region=region,
            )

    def note(self, text: str) -> None:
        """Record a part of the resource that was not priced, and why."""
        self.notes.append(text)

    def result(self) -> PricedResource:
        """The priced resource built so far."""
        return PricedResource(
            resource=self.resource, cost_lines=tuple(self.lines), notes=tuple(self.notes)
        )


Pricer = Callable[[Quote], None]
"""A pricer adds lines and notes to a quote, or raises Unpriceable."""
