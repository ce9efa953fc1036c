"""Compute on every cloud: where each resource type names its machine size and capacity,
and the machines a resource runs (AWS groups resolved through their launch templates)."""

from __future__ import annotations

import re

from costgate.facts import aws, azurerm, google
from costgate.facts.index import StackIndex
from costgate.facts.specs import Machines, Market
from costgate.facts.values import number, text
from costgate.model import Resource

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
    "azurerm_virtual_machine_scale_set": ("sku", "name"),
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
    "azurerm_virtual_machine_scale_set": (("sku", "capacity"),),
    "azurerm_kubernetes_cluster_node_pool": (("max_count",), ("node_count",)),
    "azurerm_machine_learning_compute_cluster": (("scale_settings", "max_node_count"),),
}
"""Where scaling resources say how many instances they may run (largest figure first)."""


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


def machines(resource: Resource, index: StackIndex) -> list[Machines]:
    """The machine kinds a resource runs; templates are followed through references."""
    r = resource
    if r.type not in MACHINE_TYPES:
        return []
    count = instance_count(r)
    if r.type == "google_container_node_pool":
        machine = text(google.node_config(r).machine_type)
        return [Machines(machine, count, google.guest_accelerators(r))] if machine else []
    if r.type in MACHINE_ATTRIBUTE:
        machine = text(r.attr(*MACHINE_ATTRIBUTE[r.type]))
        accels = google.guest_accelerators(r)
        return [Machines(machine, count, accels)] if machine else []
    if r.type in ("aws_eks_node_group", "aws_autoscaling_group"):
        types = aws.fleet(r, index).instance_types
        return [Machines(types[0], count)] if types else []
    if r.type == "aws_sagemaker_endpoint_configuration":
        return [
            Machines(str(v.instance_type), int(v.count))
            for v in aws.endpoint_variants(r)
            if text(v.instance_type)
        ]
    return []


def market(resource: Resource, index: StackIndex) -> Market:
    """The market a compute resource buys in, by its cloud's reader."""
    if resource.provider == "aws":
        return aws.market(resource, index)
    if resource.provider == "google":
        return google.market(resource)
    if resource.provider == "azurerm":
        return azurerm.market(resource)
    return Market.ON_DEMAND


ACCELERATED_FAMILIES: dict[str, re.Pattern[str]] = {
    "aws": re.compile(r"^(ml\.)?(p\d|g\d|gr\d|trn\d|inf\d|dl\d)", re.IGNORECASE),
    "google": re.compile(r"^(a\d|g\d|ct\d|tpu)", re.IGNORECASE),
    "azurerm": re.compile(r"^standard_n[cdvg]", re.IGNORECASE),
}
"""Machine families that carry GPUs or ML accelerators, by provider naming convention
(AWS P/G/Trn/Inf/DL, GCP A2-A4/G2/TPU, Azure N-series): how an accelerator resource is
recognised when the catalog does not know the machine type."""


def accelerated(resource: Resource, index: StackIndex) -> bool:
    """Whether the resource runs GPUs or ML accelerators: attached accelerators, a machine
    family that carries them, or a TPU resource type."""
    if "tpu" in resource.type:
        return True
    pattern = ACCELERATED_FAMILIES.get(resource.provider)
    for machine in machines(resource, index):
        if machine.accelerators:
            return True
        if pattern is not None and pattern.match(machine.machine_type):
            return True
    return False
