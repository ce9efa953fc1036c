"""Compute Engine: instances, instance groups (through their templates), GKE node pools, disks.

A2, A3 and G2 machine prices bundle their GPUs (the catalog's product facts say so); N1
machines pay per attached GPU. Spot and preemptible VMs use the Spot rate of both.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from costgate.facts import google
from costgate.facts.specs import Disk
from costgate.facts.values import block_list
from costgate.model import is_unknown
from costgate.pricing.quote import Quote, Unpriceable


def region_of(q: Quote) -> str:
    """The resource's region; a zone (`us-central1-a`) or location is cut to its region."""
    region = q.region
    return region.rsplit("-", 1)[0] if google.is_zone(region) else region


def add_machine(
    q: Quote, label: str, machine_type: Any, *, spot: bool, count: Decimal, accelerators: Any
) -> None:
    """Machine hours plus per-GPU hours for accelerators not bundled in the machine price;
    the machine and each GPU are components priced (or missing) on their own."""
    machine = None
    with q.component(label):
        machine = google.short_name(q.known(machine_type, "machine_type"))
        if machine.startswith("custom-") or "-custom-" in machine:
            raise Unpriceable(
                f"custom machine type {machine} is not priced (per-vCPU/GB rates "
                "are not in the catalog)"
            )
        q.add_compute(
            label, machine, spot=spot, count=count, service="compute", region=region_of(q)
        )
    if machine is None:
        return
    bundled = q.product("compute", machine).get("accelerator")
    if is_unknown(accelerators):
        q.note("guest_accelerator unknown until apply; GPUs not priced")
        return
    for accelerator in block_list(accelerators, "guest_accelerator"):
        gpu, per_machine = google.short_name(accelerator.get("type")), accelerator.get("count")
        if is_unknown(per_machine) or is_unknown(accelerator.get("type")):
            q.note("guest_accelerator type or count unknown until apply; GPUs not priced")
            continue
        if bundled:
            q.note(f"{gpu} is included in the {machine} price (bundled GPUs)")
            continue
        if not per_machine:
            continue
        with q.component(f"GPU ({gpu})"):
            q.add_compute(
                "GPU",
                gpu,
                spot=spot,
                count=count * Decimal(per_machine),
                service="compute",
                region=region_of(q),
            )


def add_disk(q: Quote, disk: Disk, count: Decimal = Decimal(1)) -> None:
    """A persistent disk (x *count*); one that cannot be sized or priced becomes a note."""
    if disk.missing:
        q.note(disk.missing)
        return
    suffix = f" x {count}" if count != 1 else ""
    with q.component(disk.label):
        q.add(
            f"{disk.label} ({disk.type}, {disk.size_gb} GB{suffix})",
            disk.size_gb * count,
            "disk",
            disk.type,
            "storage",
            region=region_of(q),
        )


def price_instance(q: Quote) -> None:
    """`google_compute_instance`: machine (+ GPUs), Spot by scheduling, boot disk."""
    r = q.resource
    add_machine(
        q,
        "Instance usage",
        r.attr("machine_type"),
        spot=q.spot(),
        count=Decimal(1),
        accelerators=r.attr("guest_accelerator"),
    )
    for disk in google.instance_disks(r):
        add_disk(q, disk)
    if r.attr("attached_disk"):
        q.note("attached disks are priced as their google_compute_disk resources")
    if r.attr("scratch_disk"):
        q.note("local SSD scratch disks not priced (no local SSD price in the catalog)")


def price_instance_group_manager(q: Quote) -> None:
    """`google_compute_(region_)instance_group_manager`: target_size x its template's machine."""
    size = q.count(q.usage_instances(), (q.resource.attr("target_size"), "target_size"))
    template = google.instance_template(q.resource, q.ctx.index)
    if template is None:
        raise Unpriceable("instance template not found in this plan; the machine type is unknown")
    add_machine(
        q,
        "Instance usage",
        template.attr("machine_type"),
        spot=q.spot(template),
        count=size,
        accelerators=template.attr("guest_accelerator"),
    )
    for disk in google.template_disks(template):
        add_disk(q, disk, size)


def _node_count(q: Quote) -> Decimal:
    r = q.resource
    if "instances" in q.usage:  # the node pool's total, across its zones
        return q.count(q.usage_instances())
    per_zone = q.count(
        (r.attr("node_count"), "node_count"),
        (r.attr("initial_node_count"), "initial_node_count"),
        (r.attr("autoscaling", "min_node_count"), "autoscaling.min_node_count"),
    )
    zones, why = google.node_pool_zones(r, q.ctx.index)
    if zones > 1 and why.startswith("regional"):
        q.note(f"regional node pool: {per_zone} node(s) per zone x {zones} zones")
    return per_zone * zones


def price_node_pool(q: Quote) -> None:
    """`google_container_node_pool`: nodes x (machine + GPUs), Spot/preemptible, boot disks."""
    nodes = _node_count(q)
    node = google.node_config(q.resource)
    if node.machine_assumed:
        q.note(f"node_config.machine_type not set: priced as {node.machine_type}, the GKE default")
    add_machine(
        q,
        "Node usage",
        node.machine_type,
        spot=q.spot(),
        count=nodes,
        accelerators=q.resource.attr("node_config", "guest_accelerator"),
    )
    add_disk(q, google.node_disk(q.resource), nodes)
