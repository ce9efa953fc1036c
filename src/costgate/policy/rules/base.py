"""What a policy rule is: metadata the docs and CLI show, and a check over priced resources."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any, ClassVar

from costgate.facts.index import StackIndex
from costgate.model import EMPTY, CostDiff, Finding, PricedResource, Resource, Severity
from costgate.pricing.catalog import Catalog
from costgate.usage import Usage


@dataclass(frozen=True)
class _PricingView:
    """What the pricing engine needs to price one more resource of this stack."""

    catalog: Catalog
    usage: Usage
    index: StackIndex


@dataclass(frozen=True)
class RuleContext:
    """What a rule sees: the resources its selectors matched, its options, the diff.

    `catalog` and `usage` are the ones the run priced with, so a rule can price a
    variant of a resource (the spot version of an on-demand trainer) through the
    pricing engine instead of repeating price logic.
    """

    resources: tuple[PricedResource, ...]
    all_resources: tuple[PricedResource, ...]
    options: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    severity: Severity = Severity.ERROR
    diff: CostDiff | None = None
    catalog: Catalog | None = None
    usage: Usage | None = None
    index: StackIndex | None = None
    """The run's stack index, shared by every rule (built here when a rule runs alone)."""

    @cached_property
    def pricing(self) -> _PricingView:
        """Catalog, usage and stack index as the pricing engine and `Quote` expect them
        (an empty catalog when the rule runs without one: everything is unpriced)."""
        from types import MappingProxyType

        catalog = self.catalog or Catalog(MappingProxyType({}), MappingProxyType({}), (), "")
        index = self.index or StackIndex(tuple(p.resource for p in self.all_resources))
        return _PricingView(catalog, self.usage or Usage(), index)

    @property
    def stack(self) -> Mapping[str, Resource]:
        """Every resource of the input by address, and by address without instance keys
        (what a reference such as `aws_launch_template.t.id` names)."""
        return self.pricing.index.by_address()

    def price(self, resource: Resource) -> PricedResource:
        """Price *resource* (e.g. a variant of a stack resource) as the run would."""
        from costgate.pricing.engine import price_one

        return price_one(resource, self.pricing)  # type: ignore[arg-type]


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
