"""The usage file: quantities a plan cannot know (stored GB, object counts, hours)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

from costgate.errors import ConfigError
from costgate.infracost_usage import Origins, is_infracost_usage, translate
from costgate.model import EMPTY, Resource, freeze
from costgate.resources import schema_path
from costgate.validation import LocatedYaml, format_pointer, load_yaml, schema_errors

DEFAULT_SPOT_INTERRUPTION_OVERHEAD = Decimal("0.05")
"""5 % extra spot hours: e.g. ~2 interruptions a day x (5 min checkpoint + 10 min restart
+ ~7 min lost work) / 24 h, per the seed's Interruption_Overhead formula."""


EntryKey = tuple[str, str]
"""A usage entry: ("resources", address) or ("defaults", resource type)."""


@dataclass(frozen=True)
class Usage:
    """Loaded usage values; look-ups merge type defaults with address entries."""

    defaults: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: EMPTY)
    resources: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: EMPTY)
    spot_interruption_overhead: Decimal = DEFAULT_SPOT_INTERRUPTION_OVERHEAD
    path: str | None = None
    warnings: tuple[str, ...] = ()
    """What the file says that costgate does not use (Infracost keys it has no use for)."""
    spelling: Mapping[EntryKey, Spelling] = field(default_factory=lambda: MappingProxyType({}))
    """How an Infracost file wrote an entry's name and keys, for warnings about them."""

    def entries(self, resource: Resource) -> tuple[tuple[EntryKey, Mapping[str, Any]], ...]:
        """The entries that apply to *resource*, most specific first: its exact address,
        its address without instance keys, its type's default."""
        found: list[tuple[EntryKey, Mapping[str, Any]]] = []
        if resource.address != resource.base_address:
            own = self.resources.get(resource.address)
            if own is not None:
                found.append((("resources", resource.address), own))
        base = self.resources.get(resource.base_address)
        if base is not None:
            found.append((("resources", resource.base_address), base))
        default = self.defaults.get(resource.type)
        if default is not None:
            found.append((("defaults", resource.type), default))
        return tuple(found)

    def for_resource(self, resource: Resource) -> Mapping[str, Any]:
        """Type default, overlaid by the entry for the address without keys, then the exact one."""
        if not self.resources:
            return self.defaults.get(resource.type, EMPTY)  # no address entries to merge
        found = self.entries(resource)
        if len(found) < 2:
            return found[0][1] if found else EMPTY  # most resources: nothing to merge
        merged: dict[str, Any] = {}
        for _, values in reversed(found):
            merged.update(values)
        return MappingProxyType(merged)


@dataclass(frozen=True)
class Spelling:
    """An Infracost entry as its file wrote it: the name (`aws_instance.web[*]`) and the
    Infracost key each costgate key came from (`monthly_io_requests` <-
    `monthly_standard_io_requests`)."""

    name: str
    keys: Mapping[str, str] = field(default_factory=lambda: EMPTY)


class UsageView(Mapping[str, Any]):
    """A resource's usage values that remember which keys its pricing looked at (read,
    tested with `in`), so a key nothing looked at is reported as not used rather than
    ignored silently. A nested block counts as read when its key is."""

    __slots__ = ("_values", "read")

    def __init__(self, values: Mapping[str, Any]):
        self._values = values
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return self._values[key]

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return self._values.get(key, default)

    def __contains__(self, key: object) -> bool:
        self.read.add(str(key))
        return key in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def _decimals(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _decimals(v) for k, v in value.items()}
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


def load_usage(path: Path | None) -> Usage:
    """Read and validate a usage file; no path means no usage data."""
    if path is None:
        return Usage()
    doc = load_yaml(path, "usage file")
    _check_magnitudes(doc, doc.data, ())
    warnings: list[str] = []
    spelling: dict[EntryKey, Spelling] = {}
    if is_infracost_usage(doc.data):
        doc.validate(schema_path("infracost-usage.schema.json"), "Infracost usage file")
        origins: Origins = {}
        translated, warnings = translate(doc.data, origins)
        _validate_translated(doc, translated, path)
        data = _decimals(translated)
        spelling = {
            entry: Spelling(name, MappingProxyType(keys)) for entry, (name, keys) in origins.items()
        }
    else:
        doc.validate(schema_path("usage.schema.json"), "usage file")
        data = _decimals(doc.data)
    settings = data.get("settings") or {}
    return Usage(
        defaults=freeze(data.get("defaults") or {}),
        resources=freeze(data.get("resources") or {}),
        spot_interruption_overhead=settings.get(
            "spot_interruption_overhead", DEFAULT_SPOT_INTERRUPTION_OVERHEAD
        ),
        path=str(path),
        warnings=tuple(warnings),
        spelling=MappingProxyType(spelling),
    )


MAX_USAGE_FIGURE = Decimal(10) ** 15
"""Largest usage figure (a quadrillion GB, requests, objects or hours): far above any real
month, and small enough that figure x rate stays within Decimal's 28 digits when rounded
to cents (a larger one failed while pricing and was blamed on the plan)."""


def _check_magnitudes(doc: LocatedYaml, value: Any, pointer: tuple[str, ...]) -> None:
    """Reject a usage number beyond MAX_USAGE_FIGURE with its file, line and column."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            _check_magnitudes(doc, item, (*pointer, str(key)))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if abs(Decimal(str(value))) > MAX_USAGE_FIGURE:
            raise ConfigError(
                f"invalid usage file at {format_pointer(pointer)}: {value} is larger than "
                f"{MAX_USAGE_FIGURE:,}, the largest usage figure costgate accepts",
                path=str(doc.path),
                location=doc.location(pointer),
            )


_INFRACOST_SECTIONS = {"resources": "resource_usage", "defaults": "resource_type_default_usage"}


def _validate_translated(doc: LocatedYaml, translated: Mapping[str, Any], path: Path) -> None:
    """Check the translated values against costgate's usage schema; an error points at
    the Infracost entry it came from."""
    errors = schema_errors(translated, schema_path("usage.schema.json"))
    if not errors:
        return
    pointer, message = errors[0]
    section = _INFRACOST_SECTIONS.get(str(pointer[0])) if pointer else None
    raise ConfigError(
        f"invalid Infracost usage file at {format_pointer(pointer)} (as costgate reads it): "
        f"{message}",
        path=str(path),
        location=doc.location((section, *pointer[1:2]) if section else ()),
    )


def stored_volumes(usage: Mapping[str, Any]) -> list[tuple[str, Decimal, Decimal | None]]:
    """(prefix, stored GB, object count) groups of a bucket's usage: each `prefixes` entry,
    then the bucket-wide `storage_gb` under the empty prefix."""
    groups = [
        (str(prefix), Decimal(v["storage_gb"]), _count(v.get("objects")))
        for prefix, v in (usage.get("prefixes") or {}).items()
    ]
    if "storage_gb" in usage:
        groups.append(("", Decimal(usage["storage_gb"]), _count(usage.get("objects"))))
    return groups


def _count(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)
