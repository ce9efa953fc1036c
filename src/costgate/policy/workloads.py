"""What several rules share beyond the facts layer: the accelerators the catalog says a
machine carries, the names a person gave a resource, glob lists, and a way to edit nested
attributes of a frozen resource (to build the spot variant of an on-demand one).
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from costgate.facts.compute import machines
from costgate.facts.index import StackIndex
from costgate.facts.specs import Machines
from costgate.facts.values import text
from costgate.model import Resource, freeze
from costgate.pricing.catalog import Catalog


@dataclass(frozen=True, slots=True)
class Accelerators:
    """GPUs (or other accelerators) per instance, from the catalog or the resource."""

    model: str
    names: tuple[str, ...]
    per_instance: int
    share: str = ""
    """Part of one GPU the size gets (`1/6`, Azure NVads V710 v5); one GPU for limits."""

    def described(self) -> str:
        """`8 x NVIDIA H100`, or `a 1/8 share of one AMD MI25` for a partial GPU."""
        if self.share:
            return f"a {self.share} share of one {self.model}"
        return f"{self.per_instance} x {self.model}"


@functools.lru_cache(maxsize=256)
def glob_pattern(globs: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive pattern for a list of globs, compiled once: match it against a
    lowercased name. An empty list matches nothing."""
    return re.compile("|".join(fnmatch.translate(g.lower()) for g in globs) or "(?!)")


def product_facts(catalog: Catalog, provider: str, product: str) -> Mapping[str, Any]:
    """Catalog facts for a machine type, whichever service of the provider lists it."""
    if provider == "aws":
        return catalog.product("aws", "ec2", product.removeprefix("ml."))
    return catalog.facts_named(provider, product)


def retired(resource: Resource, index: StackIndex, catalog: Catalog) -> str | None:
    """`Standard_NC6s_v3 was retired on 2025-09-30` when the resource runs a machine type the
    cloud retired (the catalog's `retired` fact): the fix is another size, not a price."""
    for machine in machines(resource, index):
        date = product_facts(catalog, resource.provider, machine.machine_type).get("retired")
        if date:
            return f"{machine.machine_type} was retired on {date}"
    return None


def accelerators(resource: Resource, machine: Machines, catalog: Catalog) -> Accelerators | None:
    """The accelerators one instance carries: attached ones, else the machine type's own."""
    if machine.accelerators:
        kind = machine.accelerators[0][0]
        facts = product_facts(catalog, resource.provider, kind)
        model = str(facts.get("model") or (facts.get("accelerator") or {}).get("model") or kind)
        return Accelerators(
            model, (model, kind, machine.machine_type), sum(c for _, c in machine.accelerators)
        )
    facts = product_facts(catalog, resource.provider, machine.machine_type)
    accel = facts.get("accelerator")
    if not accel:
        return None
    model = str(accel.get("model"))
    return Accelerators(
        model,
        (model, machine.machine_type),
        int(accel.get("count") or 1),
        str(accel.get("share") or ""),
    )


def resource_names(resource: Resource) -> list[str]:
    """Names a person gave the resource: the Terraform name, `Name` tag, name attributes."""
    names = [resource.name or resource.base_address.rsplit(".", 1)[-1]]
    for key in ("name", "name_prefix", "node_group_name", "bucket", "display_name"):
        value = text(resource.attr(key))
        if value:
            names.append(value)
    if resource.tags.get("Name"):
        names.append(resource.tags["Name"])
    return names


def thaw(value: Any) -> Any:
    """A mutable copy of frozen attributes (mappings -> dicts, tuples -> lists)."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value


def with_attributes(
    resource: Resource, path: Sequence[str], updates: Mapping[str, Any]
) -> Resource:
    """A copy of *resource* with *updates* merged into the block at *path* (created if
    missing; one-element block lists are stepped into, as `Resource.attr` does)."""
    attributes = thaw(resource.attributes)
    target = attributes
    for key in path:
        child = target.get(key)
        if isinstance(child, list):
            if not child or not isinstance(child[0], dict):
                child[:] = [{}]
            child = child[0]
        elif not isinstance(child, dict):
            target[key] = [{}]
            child = target[key][0]
        target = child
    target.update(updates)
    return replace(resource, attributes=freeze(attributes))
