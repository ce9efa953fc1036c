"""Launch templates, Auto Scaling groups (incl. mixed instances) and EKS node groups."""

from __future__ import annotations

from decimal import Decimal

from costgate.facts import aws
from costgate.model import UNKNOWN, Resource
from costgate.pricing.aws.ec2 import (
    add_block_devices,
    add_disk,
    add_instance_extras,
    add_monitoring,
    add_tenancy,
    os_suffix,
    reservation,
    reserved_unless_spot,
)
from costgate.pricing.quote import Quote, Unpriceable


def _template_volumes(q: Quote, template: Resource | None, count: Decimal) -> None:
    """Volumes each instance gets: a launch template's block device mappings, or a launch
    configuration's root and EBS block devices (spelt as on `aws_instance`)."""
    if template is None:
        return
    if template.type == "aws_launch_configuration":
        add_block_devices(q, count, template)
        return
    for disk in aws.template_disks(template):
        add_disk(q, disk, count)
    if count and not aws.maps_root_device(template):
        q.note(
            "instance root volumes come from the AMI and are not priced "
            "(map /dev/xvda or /dev/sda1 in the launch template to price them)"
        )


def price_autoscaling_group(q: Quote) -> None:
    """`aws_autoscaling_group`: desired capacity x instance price, split on-demand / spot."""
    r = q.resource
    fleet = aws.fleet(r, q.ctx.index)
    if "instances" in q.usage:  # instances, not capacity units
        desired = q.count(q.usage_instances()) * (fleet.weights[0] if fleet.weights else 1)
    else:
        desired = q.count(
            (r.attr("desired_capacity"), "desired_capacity"), (r.attr("min_size"), "min_size")
        )
    if desired == 0:
        if "instances" in q.usage:
            why = "the usage file's instances is 0"
        elif r.attr("desired_capacity") is None:
            why = "desired_capacity is not set, so AWS starts the group at min_size 0"
        else:
            why = "desired_capacity is 0"
        q.note(
            f"0 instances: {why}; set `instances` in the usage file for the average a "
            "scaling policy keeps"
        )
        return
    instance_type = q.known(
        UNKNOWN if fleet.types_unknown else next(iter(fleet.instance_types), None),
        fleet.type_source or "instance type (launch template not found)",
    )
    on_demand = aws.on_demand_share(fleet, desired)
    weight = fleet.weights[0] if fleet.weights else Decimal(1)
    if weight != 1:
        q.note(
            f"sizes are capacity units: {instance_type} counts {weight} "
            f"(weighted_capacity), so {desired} units run {desired / weight} instances"
        )
    system = os_suffix(q)
    if on_demand:
        q.add_compute(
            "Instance usage",
            instance_type,
            spot=False,
            count=on_demand / weight,
            kind_suffix=system,
            reservation=reservation(q),
        )
    if desired - on_demand:
        q.add_compute(
            "Instance usage",
            instance_type,
            spot=True,
            count=(desired - on_demand) / weight,
            kind_suffix=system,
        )
    if fleet.mixed and len(fleet.instance_types) > 1:
        q.note(f"priced with the first override ({instance_type}); other types may be launched")
    _extras(q, instance_type, desired / weight, fleet.template)
    _template_volumes(q, fleet.template, desired / weight)


def _extras(q: Quote, instance_type: str, count: Decimal, template: Resource | None) -> None:
    """CPU credits and detailed monitoring of each instance a group launches."""
    if count == 0:
        return
    add_instance_extras(q, instance_type, count, template)
    add_tenancy(q, aws.tenancy(None, template))
    if template is not None and aws.detailed_monitoring(template):
        add_monitoring(q, count)


def price_eks_node_group(q: Quote) -> None:
    """`aws_eks_node_group`: desired size x first instance type, on-demand or SPOT."""
    r = q.resource
    desired = q.count(
        q.usage_instances(),
        (r.attr("scaling_config", "desired_size"), "scaling_config.desired_size"),
        (r.attr("scaling_config", "min_size"), "scaling_config.min_size"),
    )
    types = r.attr("instance_types")
    if isinstance(types, str):
        raise Unpriceable(
            f"instance_types must be a list of instance types, not the string {types!r}"
        )
    fleet = aws.fleet(r, q.ctx.index)
    if fleet.types_unknown:
        raise Unpriceable(f"{fleet.type_source} is unknown until apply")
    instance_type = fleet.instance_types[0]
    if fleet.assumed:
        q.note(f"instance_types not set: priced as {instance_type}, {fleet.assumed}")
    spot = q.spot(capacity=f"{desired} x {instance_type}")
    q.add_compute(
        "Node usage",
        instance_type,
        spot=spot,
        count=desired,
        kind_suffix=os_suffix(q),
        reservation=reserved_unless_spot(q, spot),
    )
    if fleet.type_source == "instance_types" and len(fleet.instance_types) > 1:
        q.note(
            f"priced with the first instance type ({instance_type}) of {len(fleet.instance_types)}"
        )
    _extras(q, instance_type, desired, fleet.template)
    _template_volumes(q, fleet.template, desired)
    if fleet.template is None and desired:
        add_disk(q, aws.eks_node_disk(r), desired)
