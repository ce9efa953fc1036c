"""What a policy rule is: metadata the docs and CLI show, and a check over priced resources."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, Protocol

from costgate.facts.index import StackIndex
from costgate.model import EMPTY, CostDiff, Finding, PricedResource, Resource, Severity
from costgate.pricing.catalog import Catalog
from costgate.usage import Usage


class Pricing(Protocol):
    """What a rule may ask of pricing: the run's catalog, usage and stack index, and the
    price of one more resource (a variant the rule builds, such as the spot version of an
    on-demand trainer), so rules never repeat price logic or import pricers."""

    @property
    def catalog(self) -> Catalog: ...

    @property
    def usage(self) -> Usage: ...

    @property
    def index(self) -> StackIndex: ...

    def price(self, resource: Resource) -> PricedResource: ...


@dataclass(frozen=True)
class RuleContext:
    """What a rule sees: the resources its selectors matched, its options, the diff, and
    the run's pricing."""

    resources: tuple[PricedResource, ...]
    all_resources: tuple[PricedResource, ...]
    pricing: Pricing
    options: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    severity: Severity = Severity.ERROR
    diff: CostDiff | None = None

    def price(self, resource: Resource) -> PricedResource:
        """Price *resource* (e.g. a variant of a stack resource) as the run would."""
        return self.pricing.price(resource)


class Rule(ABC):
    """A cost policy rule. Subclasses set the class attributes and implement `check`.

    The docstring of a subclass is its documentation: first line the summary, then
    sections "Why", "Bad", "Good" (and "Options" where it has any) that
    `costgate policies explain` prints.
    """

    id: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    clouds: ClassVar[tuple[str, ...]] = ("aws", "google", "azurerm")
    default_severity: ClassVar[Severity] = Severity.ERROR
    options_schema: ClassVar[Mapping[str, Any]] = {"type": "object", "additionalProperties": False}

    @abstractmethod
    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        """Yield findings for the selected resources."""

    def finding(
        self,
        ctx: RuleContext,
        resource: PricedResource | None,
        message: str,
        remediation: str = "",
        *,
        severity: Severity | None = None,
        monthly_cost: Decimal | None = None,
        address: str | None = None,
    ) -> Finding:
        """A finding of this rule at the configured severity, located at *resource*."""
        res = resource.resource if resource else None
        return Finding(
            rule=self.name,
            id=self.id,
            severity=severity or ctx.severity,
            resource=address or (res.address if res else None),
            message=message,
            remediation=remediation,
            monthly_cost=monthly_cost,
            location=res.source if res else None,
        )
