"""Data-driven test cases in YAML (sqlfluff-style): load them, build resources and usage.

A case file holds named cases; each becomes one pytest id. Resources are written as
{type, address?, region?, attributes, tags?, references?}; the region defaults to the
provider's usual test region and the address to `<type>.test`. Numbers in usage become
Decimal (money stays exact), through their text so no float ever reaches the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from costgate.model import Resource
from costgate.usage import Usage
from tests.conftest import make_resource, usage

DEFAULT_REGION = {"aws": "us-east-1", "google": "us-central1", "azurerm": "eastus"}
RESOURCE_KEYS = {"type", "address", "region", "attributes", "tags", "references"}


@dataclass(frozen=True)
class YamlCase:
    """One named case of one file: `id` is `<file stem>-<case name>`."""

    file: Path
    name: str
    body: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.file.stem}-{self.name}"


def load_cases(folder: Path) -> list[YamlCase]:
    """Every case of every `*.yml` in *folder*, in file then document order."""
    cases = []
    for path in sorted(folder.glob("*.yml")):
        doc = yaml.safe_load(path.read_text())
        assert isinstance(doc, dict) and isinstance(doc.get("cases"), dict), f"{path}: no cases"
        cases.extend(YamlCase(path, name, body) for name, body in doc["cases"].items())
    return cases


def build_resource(spec: dict[str, Any]) -> Resource:
    unknown = set(spec) - RESOURCE_KEYS
    assert not unknown, f"unknown resource keys {sorted(unknown)} in {spec}"
    type_ = spec["type"]
    provider = type_.split("_", 1)[0]
    return make_resource(
        type_,
        spec.get("attributes") or {},
        address=spec.get("address"),
        region=spec.get("region", DEFAULT_REGION.get(provider)),
        tags=spec.get("tags"),
        references={k: tuple(v) for k, v in (spec.get("references") or {}).items()},
    )


def build_resources(specs: list[dict[str, Any]] | None) -> list[Resource]:
    return [build_resource(spec) for spec in specs or []]


def decimals(value: Any) -> Any:
    """YAML numbers as Decimal, recursively (bools stay bools)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: decimals(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decimals(v) for v in value]
    return value


def build_usage(resources: dict[str, Any] | None) -> Usage:
    """The usage file's per-address section, as `tests.conftest.usage` builds it."""
    return usage(decimals(resources or {}))
