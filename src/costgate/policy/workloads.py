"""What rules need to know about compute resources on every cloud, in Terraform spelling.

Machine types, how many instances a resource can run, the accelerators the catalog says
a machine carries, and a way to edit nested attributes of a frozen resource (to build
the spot variant of an on-demand one). Rules share these; none of them prices anything.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from costgate.model import Resource, freeze, is_unknown
from costgate.pricing.catalog import Catalog

MACHINE_ATTRIBUTE: dict[str, tuple[str, ...]] = {
    "aws_instance": ("instance_type",),
    "aws_spot_instance_request": ("instance_type",),
    "aws_launch_template": ("instance_type",),
    "aws_sagemaker_notebook_instance": ("instance_type",),
    "google_compute_instance": ("machine_type",),
    "google_compute_instance_template": ("machine_type",),
    "google_compute_region_instance_template": ("machine_type",),
    "google_container_node_pool": ("node_config", "machine_type"),
    "google_workbench_instance": ("gce_setup", "machine_type"),
    "azurerm_linux_virtual_machine": ("size",),
    "azurerm_windows_virtual_machine": ("size",),
    "azurerm_virtual_machine": ("vm_size",),
    "azurerm_linux_virtual_machine_scale_set": ("sku",),
    "azurerm_windows_virtual_machine_scale_set": ("sku",),
    "azurerm_orchestrated_virtual_machine_scale_set": ("sku_name",),
    "azurerm_kubernetes_cluster_node_pool": ("vm_size",),
    "azurerm_machine_learning_compute_cluster": ("vm_size",),
    "azurerm_machine_learning_compute_instance": ("virtual_machine_size",),
}
"""Where each compute resource type names its machine size."""

CAPACITY_ATTRIBUTES: dict[str, tuple[tuple[str, ...], ...]] = {
    "aws_autoscaling_group": (("max_size",), ("desired_capacity",)),
    "aws_eks_node_group": (("scaling_config", "max_size"), ("scaling_config", "desired_size")),
    "google_container_node_pool": (
        ("autoscaling", "max_node_count"),
        ("autoscaling", "total_max_node_count"),
        ("node_count",),
        ("initial_node_count",),
    ),
    "google_compute_instance_group_manager": (("target_size",),),
    "google_compute_region_instance_group_manager": (("target_size",),),
    "azurerm_linux_virtual_machine_scale_set": (("instances",),),
    "azurerm_windows_virtual_machine_scale_set": (("instances",),),
    "azurerm_orchestrated_virtual_machine_scale_set": (("instances",),),
    "azurerm_kubernetes_cluster_node_pool": (("max_count",), ("node_count",)),
    "azurerm_machine_learning_compute_cluster": (("scale_settings", "max_node_count"),),
}
"""Where scaling resources say how many instances they may run (largest figure first)."""


@dataclass(frozen=True, slots=True)
class Machines:
    """One kind of machine a resource runs, and how many of them at most."""

    machine_type: str
    instances: int | None
    accelerators: tuple[tuple[str, int], ...] = ()
    """Accelerators attached per instance by type name (GCP `guest_accelerator`)."""


@dataclass(frozen=True, slots=True)
class Accelerators:
    """GPUs (or other accelerators) per instance, from the catalog or the resource."""

    model: str
    names: tuple[str, ...]
    per_instance: int


def number(value: Any) -> int | None:
    """An integer attribute, or None when unset or unknown at plan time."""
    if value is None or is_unknown(value) or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@functools.lru_cache(maxsize=256)
def glob_pattern(globs: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive pattern for a list of globs, compiled once: match it against a
    lowercased name. An empty list matches nothing."""
    return re.compile("|".join(fnmatch.translate(g.lower()) for g in globs) or "(?!)")


def text(value: Any) -> str | None:
    """A string attribute, or None when unset or unknown."""
    return value if isinstance(value, str) and value else None


def instance_count(resource: Resource) -> int | None:
    """Most instances the resource can run: 1 for a single VM, the max size of a group."""
    paths = CAPACITY_ATTRIBUTES.get(resource.type)
    if paths is None:
        return 1
    for path in paths:
        found = number(resource.attr(*path))
        if found is not None:
            return found
    return None


MACHINE_TYPES = frozenset(
    {
        *MACHINE_ATTRIBUTE,
        "aws_eks_node_group",
        "aws_autoscaling_group",
        "aws_sagemaker_endpoint_configuration",
    }
)
"""Resource types that run machines (`machines` returns nothing for any other type)."""


def machines(resource: Resource, stack: Mapping[str, Resource]) -> list[Machines]:
    """The machine kinds a resource runs; templates are followed through references."""
    r = resource
    if r.type not in MACHINE_TYPES:
        return []
    count = instance_count(r)
    if r.type in MACHINE_ATTRIBUTE:
        machine = text(r.attr(*MACHINE_ATTRIBUTE[r.type]))
        accels = _guest_accelerators(r)
        return [Machines(machine, count, accels)] if machine else []
    if r.type == "aws_eks_node_group":
        types = r.attr("instance_types")
        if isinstance(types, tuple) and types:
            return [Machines(str(types[0]), count)]
        template = referenced(r, stack, "launch_template.id", "launch_template.name")
        machine = text(template.attr("instance_type")) if template else None
        return [Machines(machine, count)] if machine else []
    if r.type == "aws_autoscaling_group":
        overrides = r.attr("mixed_instances_policy", "launch_template", "override") or ()
        types = [o.get("instance_type") for o in overrides if text(o.get("instance_type"))]
        if types:
            return [Machines(str(types[0]), count)]
        template = asg_launch_template(r, stack)
        machine = text(template.attr("instance_type")) if template else None
        return [Machines(machine, count)] if machine else []
    if r.type == "aws_sagemaker_endpoint_configuration":
        variants = r.attr("production_variants") or ()
        return [
            Machines(str(v["instance_type"]), number(v.get("initial_instance_count")) or 1)
            for v in variants
            if hasattr(v, "get") and text(v.get("instance_type"))
        ]
    return []


def referenced(
    resource: Resource, stack: Mapping[str, Resource], *attributes: str
) -> Resource | None:
    """The first stack resource an attribute's expression refers to."""
    for attribute in attributes:
        for ref in resource.references.get(attribute, ()):
            parts = ref.split(".")
            for cut in range(len(parts), 1, -1):
                found = stack.get(".".join(parts[:cut]))
                if found is not None:
                    return found
    return None


ASG_TEMPLATE_REFERENCES = (
    "launch_template.id",
    "launch_template.name",
    "mixed_instances_policy.launch_template.launch_template_specification.launch_template_id",
    "mixed_instances_policy.launch_template.launch_template_specification.launch_template_name",
)


def asg_launch_template(resource: Resource, stack: Mapping[str, Resource]) -> Resource | None:
    """The launch template an Auto Scaling group launches from."""
    return referenced(resource, stack, *ASG_TEMPLATE_REFERENCES)


def _guest_accelerators(resource: Resource) -> tuple[tuple[str, int], ...]:
    block = resource.attr("guest_accelerator")
    if resource.type == "google_container_node_pool":
        block = resource.attr("node_config", "guest_accelerator")
    return tuple(
        (str(item["type"]), number(item.get("count")) or 1)
        for item in block or ()
        if hasattr(item, "get") and text(item.get("type"))
    )


def product_facts(catalog: Catalog, provider: str, product: str) -> Mapping[str, Any]:
    """Catalog facts for a machine type, whichever service of the provider lists it."""
    if provider == "aws":
        return catalog.product("aws", "ec2", product.removeprefix("ml."))
    wanted = product.lower()
    for (prov, name), facts in catalog.products.items():
        if prov == provider and name.split(":", 1)[-1].lower() == wanted:
            return facts
    return {}


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
    return Accelerators(model, (model, machine.machine_type), int(accel.get("count") or 1))


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
