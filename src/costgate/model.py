"""The normalized resource model every input converges on and every later stage reads.

Everything here is frozen: inputs build records once, pricing and policies only read them.
Money and quantities are `Decimal`; nothing is rounded until a report prints it.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any

HOURS_PER_MONTH = Decimal("730")
"""Always-on compute is priced at 730 hours a month (365 * 24 / 12)."""

DAYS_PER_MONTH = HOURS_PER_MONTH / Decimal("24")
"""30.41666... days: the month used to turn per-day rates into monthly quantities."""

ZERO = Decimal("0")


class _Unknown:
    """A value Terraform or Pulumi will only know after apply ("known after apply")."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()
"""Sentinel placed wherever an attribute value is unknown at plan time; never guessed."""


NOT_EVALUATED = "costgate_not_evaluated"
"""Type of a placeholder resource standing for code an input could not evaluate (a remote
module, a `count` known only after apply). Its `reason` attribute is reported as the
unpriced reason, so nothing the input could not read disappears silently."""


def is_unknown(value: object) -> bool:
    """True when *value* is the plan-time unknown sentinel."""
    return value is UNKNOWN


class Action(str, enum.Enum):
    """What the change does to a resource; a state or program input is all `no-op`/`create`."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    REPLACE = "replace"
    NO_OP = "no-op"
    READ = "read"

    @property
    def exists_after(self) -> bool:
        """Whether the resource exists (and costs money) once the change is applied."""
        return self is not Action.DELETE


class Origin(str, enum.Enum):
    """Which input format produced a resource."""

    TERRAFORM_PLAN = "terraform-plan"
    TERRAFORM_STATE = "terraform-state"
    TERRAFORM_HCL = "terraform-hcl"
    PULUMI_PREVIEW = "pulumi-preview"
    PULUMI_STATE = "pulumi-state"
    PULUMI_PROGRAM = "pulumi-program"


class Severity(str, enum.Enum):
    """Finding severities, ordered from most to least serious."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for error, 1 for warning, 2 for info: sort key and --fail-on threshold."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


LEAVES = frozenset({str, int, float, bool, type(None), Decimal, _Unknown})
"""Types `freeze` keeps as they are (immutable scalars)."""


def freeze(value: Any) -> Any:
    """Deep read-only copy of parsed JSON/HCL: dicts become mappings, lists tuples."""
    kind = type(value)
    if kind in LEAVES:
        return value
    if (
        kind is dict
        or kind is MappingProxyType
        or (kind is not list and kind is not tuple and isinstance(value, Mapping))
    ):
        # leaves are most values: test them inline rather than by a call each
        return MappingProxyType(
            {k: v if type(v) in LEAVES else freeze(v) for k, v in value.items()}
        )
    if kind is list or kind is tuple:
        return tuple([v if type(v) in LEAVES else freeze(v) for v in value])
    return value


EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """Where the resource was declared or read from, so findings can point at it."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True, slots=True)
class Resource:
    """One cloud resource as it will exist after the change (or before, for deletes).

    `attributes` holds provider attribute values (snake_case, Terraform spelling) with
    `UNKNOWN` wherever a value is only known after apply. `references` maps an attribute
    name to the addresses of resources its expression refers to, so pricers can link a
    lifecycle configuration to its bucket even when the bucket id is still unknown.
    """

    address: str
    type: str
    provider: str
    region: str | None
    action: Action
    origin: Origin
    attributes: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    tags: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    references: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: EMPTY)
    source: SourceLocation | None = None
    before: Mapping[str, Any] | None = None
    module: str = ""
    name: str = ""
    directives: tuple[str, ...] = ()
    """costgate directives written in source comments next to the resource, verbatim after
    `costgate:` (e.g. `skip=spot-for-training: short smoke test`); inline exemptions."""

    def attr(self, *path: str | int, default: Any = None) -> Any:
        """Walk nested attributes; blocks that are one-element lists are stepped into."""
        value: Any = self.attributes
        for key in path:
            if value is UNKNOWN:
                return UNKNOWN
            kind = type(value)
            if kind is tuple:
                if key.__class__ is int:
                    if len(value) <= key:
                        return default
                    value = value[key]
                    continue
                if not value:
                    return default
                value = value[0]
                kind = type(value)
            elif key.__class__ is int:
                return default
            if kind is not MappingProxyType and kind is not dict and not isinstance(value, Mapping):
                return default
            value = value.get(key)
            if value is None:
                return default
        return default if value is None else value

    def block(self, *path: str | int) -> Mapping[str, Any]:
        """A nested block as a mapping (the first of a block list); empty if absent or unknown."""
        value = self.attr(*path)
        if isinstance(value, tuple):
            value = value[0] if value else None
        return value if isinstance(value, Mapping) else EMPTY

    base_address: str = field(init=False, repr=False, compare=False)
    """Address without count/for_each keys: `module.a["x"].aws_instance.b[0]` ->
    `module.a.aws_instance.b` (computed once; references and usage entries use it)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_address", strip_indexes(self.address))


_INSTANCE_KEY = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|[^\]"]*)\]')


def strip_indexes(address: str) -> str:
    """Remove `[0]` / `["key"]` instance keys from every segment of an address."""
    return _INSTANCE_KEY.sub("", address) if "[" in address else address


@dataclass(frozen=True, slots=True)
class PriceRef:
    """Where a unit price came from: the catalog entry's key, source and as-of date."""

    key: str
    source: str
    as_of: str


@dataclass(frozen=True, slots=True)
class CostLine:
    """One priced component: `quantity` `unit` at `unit_price` each, per month."""

    address: str
    name: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    price: PriceRef | None = None

    @property
    def monthly_cost(self) -> Decimal:
        """Quantity times unit price, unrounded."""
        return self.quantity * self.unit_price


@dataclass(frozen=True, slots=True)
class PricedResource:
    """A resource with its cost lines, or the reason it could not be priced.

    `notes` name the parts of a priced resource that were left out (an unknown root
    volume size, transition requests without an object count) so a total is never
    quietly lower than it should be.
    """

    resource: Resource
    cost_lines: tuple[CostLine, ...] = ()
    unpriced_reason: str | None = None
    notes: tuple[str, ...] = ()
    free: bool = False
    missing: tuple[str, ...] = ()
    """Components that could not be priced, each `<component> not priced: <reason>`: a
    resource with cost lines and missing components is partially priced (its total is
    lower than the bill by what they cost)."""
    usage_read: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    """The usage-file keys pricing looked at; the run warns about the resource's other
    keys as not used (`costgate.usage_check`)."""
    usage_skipped: Mapping[str, str] | None = field(default=None, repr=False, compare=False)
    """Usage keys the pricer leaves out on purpose, with why ("a gp3 volume does not bill
    I/O requests"), for that warning."""

    monthly_cost: Decimal = field(init=False, repr=False, compare=False)
    """Sum of the cost lines (zero for unpriced or free resources), computed once."""

    def __post_init__(self) -> None:
        total = sum((line.monthly_cost for line in self.cost_lines), ZERO)
        object.__setattr__(self, "monthly_cost", total)

    @property
    def priced(self) -> bool:
        """True when the resource has a price (possibly zero because it is free)."""
        return self.unpriced_reason is None

    @property
    def partial(self) -> bool:
        """True when it is priced but some of its components are not."""
        return self.unpriced_reason is None and bool(self.missing)


@dataclass(frozen=True, slots=True)
class Exemption:
    """Why a finding does not count against the verdict, and until when."""

    reason: str
    expires: str | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """One policy result a reviewer acts on."""

    rule: str
    id: str
    severity: Severity
    resource: str | None
    message: str
    remediation: str = ""
    monthly_cost: Decimal | None = None
    location: SourceLocation | None = None
    exemption: Exemption | None = None

    @property
    def exempted(self) -> bool:
        """An exempted finding is reported but does not fail the run."""
        return self.exemption is not None


@dataclass(frozen=True, slots=True)
class PolicyChange:
    """The pull request changes the policy or usage files that judge it (`diff --base-ref`)."""

    ref: str
    """The base revision the policy was read from."""
    applied: str
    """Whose policy judged the run: "base" (the default) or "head"."""
    files: tuple[str, ...]
    """Repository paths of the policy and usage files the pull request changes."""
    changes: tuple[str, ...]
    """What changed, one line each: rules added or removed, severities, options, exemptions."""


@dataclass(frozen=True, slots=True)
class ResourceDelta:
    """How one resource's monthly cost moves between base and head."""

    address: str
    change: str  # added | removed | changed | unchanged
    base: PricedResource | None
    head: PricedResource | None

    @property
    def base_monthly_cost(self) -> Decimal:
        """Monthly cost before the change (zero if the resource is new)."""
        return self.base.monthly_cost if self.base else ZERO

    @property
    def head_monthly_cost(self) -> Decimal:
        """Monthly cost after the change (zero if the resource is removed)."""
        return self.head.monthly_cost if self.head else ZERO

    @property
    def delta(self) -> Decimal:
        """Head minus base."""
        return self.head_monthly_cost - self.base_monthly_cost


@dataclass(frozen=True, slots=True)
class CostDiff:
    """Base -> head comparison, resource by resource."""

    base_monthly_cost: Decimal
    head_monthly_cost: Decimal
    resources: tuple[ResourceDelta, ...]

    @property
    def delta(self) -> Decimal:
        """Head total minus base total."""
        return self.head_monthly_cost - self.base_monthly_cost

    @property
    def delta_percent(self) -> Decimal | None:
        """Relative change in percent; None when the base costs nothing."""
        if self.base_monthly_cost == ZERO:
            return None
        return self.delta / self.base_monthly_cost * Decimal(100)


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """A policy rule's metadata as reports show it (SARIF rule descriptors, JUnit ids):
    carried in the report so reporters never import the policy layer."""

    id: str
    name: str
    summary: str
    help: str
    default_severity: Severity


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a reporter renders: priced resources, findings, the verdict, the diff."""

    resources: tuple[PricedResource, ...]
    findings: tuple[Finding, ...] = ()
    diff: CostDiff | None = None
    currency: str = "USD"
    catalog_as_of: str = ""
    inputs: tuple[str, ...] = ()
    fail_on: Severity = Severity.ERROR
    warnings: tuple[str, ...] = field(default=())
    rules: tuple[str, ...] = ()
    """Names of the policy rules that were evaluated (empty for a breakdown without a policy),
    so reports can list the rules that passed, not only those with findings."""
    rule_catalog: tuple[RuleInfo, ...] = ()
    """Every rule costgate knows, by id: what SARIF lists as its tool's rules."""
    policy_change: PolicyChange | None = None
    """Set when the pull request changes the files of the policy that judges it."""

    @property
    def monthly_cost(self) -> Decimal:
        """Total monthly cost of resources that exist after the change."""
        return sum((p.monthly_cost for p in self.resources if p.resource.action.exists_after), ZERO)

    @property
    def failed(self) -> bool:
        """True when a non-exempted finding is at or above the fail-on severity."""
        return any(not f.exempted and f.severity.rank <= self.fail_on.rank for f in self.findings)
