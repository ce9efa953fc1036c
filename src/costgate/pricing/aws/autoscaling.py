"""Launch templates, Auto Scaling groups (incl. mixed instances) and EKS node groups."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from costgate.model import ZERO, Resource, is_unknown
from costgate.pricing.aws.ec2 import add_device
from costgate.pricing.quote import Quote, Unpriceable

EKS_DEFAULT_INSTANCE_TYPE = "t3.medium"
"""EKS managed node groups use t3.medium when neither instance_types nor a template sets one."""


def _launch_template(q: Quote, *attributes: str) -> Resource | None:
    for attribute in attributes:
        found = q.ctx.index.referenced(q.resource, attribute, "aws_launch_template")
        if found is not None:
            return found
    return None


def _template_volumes(q: Quote, template: Resource | None, count: Decimal) -> None:
    if template is None:
        return
    for mapping in template.attr("block_device_mappings") or ():
        ebs = mapping.get("ebs") if hasattr(mapping, "get") else None
        if ebs:
            add_device(q, f"Volume {mapping.get('device_name', '')}".strip(), ebs[0], count)


def _on_demand_share(distribution: Mapping[str, Any], desired: Decimal) -> Decimal:
    """On-demand instances of a mixed group: the base, plus the percentage of the rest.

    The split is kept exact (a fraction of an instance is an expected value); AWS documents
    no rounding rule for it.
    """
    base = Decimal(distribution.get("on_demand_base_capacity") or 0)
    value = distribution.get("on_demand_percentage_above_base_capacity")
    percent = Decimal(100) if value is None or is_unknown(value) else Decimal(value)
    return min(desired, base) + max(desired - base, ZERO) * percent / Decimal(100)


def price_autoscaling_group(q: Quote) -> None:
    """`aws_autoscaling_group`: desired capacity x instance price, split on-demand / spot."""
    r = q.resource
    desired = q.count(
        (r.attr("desired_capacity"), "desired_capacity"), (r.attr("min_size"), "min_size")
    )
    spec = "mixed_instances_policy.launch_template.launch_template_specification"
    overrides: tuple[Any, ...] = ()
    if r.attr("mixed_instances_policy"):
        template = _launch_template(q, f"{spec}.launch_template_id", f"{spec}.launch_template_name")
        overrides = r.attr("mixed_instances_policy", "launch_template", "override") or ()
        types = [o.get("instance_type") for o in overrides if o.get("instance_type")]
        if types:
            instance_type = types[0]
        else:
            instance_type = template.attr("instance_type") if template else None
        on_demand = _on_demand_share(
            r.block("mixed_instances_policy", "instances_distribution"), desired
        )
    else:
        template = _launch_template(q, "launch_template.id", "launch_template.name")
        instance_type = template.attr("instance_type") if template else None
        if template is None and r.attr("launch_configuration"):
            raise Unpriceable("launch configurations are not supported; use a launch template")
        on_demand = desired
    instance_type = q.known(
        instance_type,
        "instance type (launch template not found)"
        if template is None
        else "launch template instance_type",
    )
    if on_demand:
        q.add_compute("Instance usage", instance_type, spot=False, count=on_demand)
    if desired - on_demand:
        q.add_compute("Instance usage", instance_type, spot=True, count=desired - on_demand)
    if len(overrides) > 1:
        q.note(f"priced with the first override ({instance_type}); other types may be launched")
    _template_volumes(q, template, desired)


def price_eks_node_group(q: Quote) -> None:
    """`aws_eks_node_group`: desired size x first instance type, on-demand or SPOT."""
    r = q.resource
    desired = q.count(
        (r.attr("scaling_config", "desired_size"), "scaling_config.desired_size"),
        (r.attr("scaling_config", "min_size"), "scaling_config.min_size"),
    )
    types = r.attr("instance_types")
    if isinstance(types, str):
        raise Unpriceable(
            f"instance_types must be a list of instance types, not the string {types!r}"
        )
    template = _launch_template(q, "launch_template.id", "launch_template.name")
    if types and not is_unknown(types):
        instance_type = types[0]
    elif template is not None and template.attr("instance_type"):
        instance_type = q.known(template.attr("instance_type"), "launch template instance_type")
    else:
        instance_type = EKS_DEFAULT_INSTANCE_TYPE
        q.note(f"instance_types not set: priced as {EKS_DEFAULT_INSTANCE_TYPE}, the EKS default")
    spot = r.attr("capacity_type") == "SPOT"
    q.add_compute("Node usage", instance_type, spot=spot, count=desired)
    if types and not is_unknown(types) and len(types) > 1:
        q.note(f"priced with the first instance type ({instance_type}) of {len(types)}")
    _template_volumes(q, template, desired)
    if template is None:
        q.note("node root volumes not priced (size and type come from the node AMI)")
