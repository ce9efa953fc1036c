"""What a policy rule is: metadata the docs and CLI show, and a check over priced resources."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from costgate.model import EMPTY, CostDiff, Finding, PricedResource, Severity


@dataclass(frozen=True)
class RuleContext:
    """What a rule sees: the resources its selectors matched, its options, the diff."""

    resources: tuple[PricedResource, ...]
    all_resources: tuple[PricedResource, ...]
    options: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    severity: Severity = Severity.ERROR
    diff: CostDiff | None = None


class Rule(ABC):
    """A cost policy rule. Subclasses set the class attributes and implement `check`.

    The docstring of a subclass is its documentation: first line the summary, then
    sections "Why", "Bad", "Good" that `costgate policies explain` prints.
    """

    id: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    default_severity: ClassVar[Severity] = Severity.ERROR
    options_schema: ClassVar[Mapping[str, Any]] = {"type": "object", "additionalProperties": False}

    @abstractmethod
    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        """Yield findings for the selected resources."""

    def finding(self, ctx: RuleContext, resource: PricedResource | None, message: str,
                remediation: str = "", **extra: Any) -> Finding:
        """A finding of this rule at the configured severity, located at *resource*."""
        res = resource.resource if resource else None
        return Finding(
            rule=self.name,
            id=self.id,
            severity=ctx.severity,
            resource=res.address if res else None,
            message=message,
            remediation=remediation,
            location=res.source if res else None,
            **extra,
        )
