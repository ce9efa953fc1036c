"""Compute Engine: instances, instance groups (through their templates), GKE node pools, disks.

A2, A3 and G2 machine prices bundle their GPUs (the catalog's product facts say so); N1
machines pay per attached GPU. Spot and preemptible VMs use the Spot rate of both; on-demand
hours carry the sustained-use discount of their family (`sustained_use`). Custom machine
types pay per vCPU and GB; local SSDs per GB-month while the VM runs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from costgate.facts import google
from costgate.facts.specs import Disk, OsLicence
from costgate.facts.values import block_list, first, scalar
from costgate.model import HOURS_PER_MONTH, is_unknown
from costgate.pricing.google import sustained_use
from costgate.pricing.quote import Quote, Unpriceable


def region_of(q: Quote) -> str:
    """The resource's region; a zone (`us-central1-a`) or location is cut to its region."""
    return google.region_of_location(q.region)


def add_machine(
    q: Quote, label: str, machine_type: Any, *, spot: bool, count: Decimal, accelerators: Any
) -> None:
    """Machine hours plus per-GPU hours for accelerators not bundled in the machine price;
    the machine and each GPU are components priced (or missing) on their own. On-demand
    hours of the families Google discounts carry the sustained-use discount."""
    machine = None
    with q.component(label):
        machine = google.short_name(q.known(machine_type, "machine_type"))
    if machine is None:
        return
    custom = google.custom_machine(machine)
    if custom is not None:
        _add_custom(q, label, machine, custom, spot=spot, count=count)
    else:
        with q.component(label):
            _add_hours(q, label, machine, machine, spot=spot, count=count)
    bundled = custom is None and q.product("compute", machine).get("accelerator")
    if is_unknown(accelerators):
        _unknown_gpus(q, "guest_accelerator unknown until apply")
        return
    n1 = machine.startswith(("n1-", "custom-"))
    for accelerator in block_list(accelerators, "guest_accelerator"):
        block = first(accelerator)
        per_machine = scalar(block.get("count"), "guest_accelerator.count")
        gpu = google.short_name(block.get("type"))
        if is_unknown(accelerator) or is_unknown(per_machine) or is_unknown(block.get("type")):
            _unknown_gpus(q, "guest_accelerator type or count unknown until apply")
            continue
        if bundled:
            q.note(f"{gpu} is included in the {machine} price (bundled GPUs)")
            continue
        if not per_machine:
            continue
        with q.component(f"GPU ({gpu})"):
            if gpu in google.RETIRED_GPUS:
                raise Unpriceable(google.RETIRED_GPUS[gpu])
            if gpu in google.GPUS_ONLY_BUNDLED:
                family = google.GPUS_ONLY_BUNDLED[gpu]
                raise Unpriceable(
                    f"{gpu} comes only bundled in {family} machine types; {machine} cannot "
                    "attach it"
                )
            _add_hours(
                q,
                "GPU",
                gpu,
                gpu,
                spot=spot,
                count=count * Decimal(per_machine),
                schedule=sustained_use.N1_GPU_SCHEDULE if n1 else None,
            )


def add_licence(
    q: Quote,
    licence: OsLicence,
    machine_type: Any,
    *,
    count: Decimal,
    spot: bool,
    label: str = "",
) -> None:
    """The premium OS licence *count* VMs of *machine_type* bill per hour on top of the
    machine (Windows Server, RHEL, SLES), at its rate for that machine type; Spot VMs pay
    the same rate and no sustained-use discount applies. A type without a rate in the
    catalog (custom machine types, families the price data lacks) makes the licence a
    missing component, never $0; licences without a rate (SQL Server, Ubuntu Pro) too."""
    prefix = f"{label} " if label else ""
    if licence.note:
        q.note(licence.note)
    if licence.kind is not None and count:
        name = f"{prefix}{licence.os} licence"
        with q.component(name):
            machine = google.short_name(q.known(machine_type, "machine_type"))
            try:
                q.lookup("license", machine, licence.kind, region=google.LICENSE_REGION)
            except Unpriceable:
                custom = " (a custom machine type)" if google.custom_machine(machine) else ""
                raise Unpriceable(
                    f"no {licence.os} licence rate for {machine}{custom} in the catalog: the "
                    "price data gives one per predefined machine type"
                ) from None
            per = f" x {count}" if count != 1 else ""
            q.add(
                f"{name} ({machine}{per}, {licence.source})",
                q.hours() * count,
                "license",
                machine,
                licence.kind,
                region=google.LICENSE_REGION,
            )
            spot_note = "; Spot VMs pay the full licence rate" if spot else ""
            q.note(
                f"{licence.os} licence: {licence.source}, billed per hour on top of the "
                f"machine{spot_note}"
            )
    for what, why in licence.unpriced if count else ():
        q.lacks(f"{prefix}{what}", why)


def _unknown_gpus(q: Quote, why: str) -> None:
    """GPUs the plan cannot name or count: a missing component (partially priced), never
    a note on a resource that reads as fully priced."""
    q.lacks("GPU", why)


def _add_hours(
    q: Quote,
    label: str,
    what: str,
    product: str,
    *,
    spot: bool,
    count: Decimal,
    per_unit: Decimal = Decimal(1),
    unit: str = "",
    schedule: sustained_use.Schedule | None = None,
) -> None:
    """Hours of a machine (or of *per_unit* vCPUs / GB of it) x *count*: Spot with its
    interruption overhead, or on-demand with the sustained-use discount of *schedule*
    (default: the machine family's) stated on the line."""
    hours = q.hours()
    per = f" x {count}" if count != 1 else ""
    size = f" {per_unit.normalize():f} {unit}," if unit else ""
    if spot:
        q.add(
            f"{label} ({what},{size} spot{per})",
            hours * count * per_unit,
            "compute",
            product,
            "spot",
            region=region_of(q),
        )
        q.add_spot_overhead(
            f"{what},{size}".removesuffix(","),
            hours * count * per_unit,
            "compute",
            product,
            "spot",
            region=region_of(q),
        )
        return
    schedule = schedule or sustained_use.schedule_for(what)
    billed = schedule.billed_hours(hours) if schedule else hours
    sud = f"; {sustained_use.discount_label(schedule, hours)}" if schedule else ""
    q.add(
        f"{label} ({what},{size} on-demand{per}{sud})",
        billed * count * per_unit,
        "compute",
        product,
        "on_demand",
        region=region_of(q),
    )


def _add_custom(
    q: Quote,
    label: str,
    machine: str,
    custom: google.CustomMachine,
    *,
    spot: bool,
    count: Decimal,
) -> None:
    """A custom machine type: vCPU-hours and GB-hours at its family's custom rates, and
    extended memory (above the family's per-vCPU maximum) as its own component."""
    parts = [
        ("vCPU", "vcpu", Decimal(custom.vcpus), "vCPU"),
        ("memory", "memory", custom.memory_gb, "GB"),
    ]
    if custom.extended_gb:
        parts.append(("extended memory", "extended-memory", custom.extended_gb, "GB"))
    for name, suffix, amount, unit in parts:
        product = f"{custom.family}-custom-{suffix}"
        with q.component(f"{label} {name}"):
            try:
                _add_hours(
                    q,
                    f"{label} {name}",
                    machine,
                    product,
                    spot=spot,
                    count=count,
                    per_unit=amount,
                    unit=unit,
                )
            except Unpriceable as exc:
                raise Unpriceable(
                    f"custom machine type {machine}: no {custom.family.upper()} custom "
                    f"{name} rate in the catalog ({exc}); `costgate pricing refresh gcp "
                    f"--regions {region_of(q)} --types {custom.family}-custom` reads it"
                ) from exc


def add_disk(q: Quote, disk: Disk, count: Decimal = Decimal(1)) -> None:
    """A persistent disk (x *count*). One that cannot be sized is a missing component with
    its reason (partially priced), never $0; one priced as its own resource is a note."""
    if disk.priced_as:
        q.note(f"{disk.label}: priced as {disk.priced_as}")
        return
    suffix = f" x {count}" if count != 1 else ""
    with q.component(disk.label):
        if disk.missing:
            raise Unpriceable(disk.missing)
        q.add(
            f"{disk.label} ({disk.type}, {disk.size_gb} GB{suffix})",
            disk.size_gb * count,
            "disk",
            disk.type,
            "storage",
            region=region_of(q),
        )


def bundled_local_ssd(q: Quote, machine_type: Any, declared_gb: Decimal) -> bool:
    """Whether *machine_type* always comes with Local SSD (product fact
    `bundled_local_ssd_gib`: A2 Ultra, A3), which its catalog price already includes;
    then a note says so and the declared disks (*declared_gb*) are not charged again.

    Google attaches a fixed number of Local SSD disks to these machine types and sells no
    more (compute/docs/disks/add-local-ssd: "every machine type comes with Local SSD
    storage"), so a declared capacity that differs is noted, never priced."""
    if is_unknown(machine_type) or not isinstance(machine_type, str) or not machine_type:
        return False
    machine = google.short_name(machine_type)
    bundled = q.product("compute", machine).get("bundled_local_ssd_gib")
    if not bundled:
        return False
    q.note(f"the {bundled} GiB of Local SSD {machine} comes with is included in its price")
    if declared_gb and declared_gb != bundled:
        q.note(
            f"{declared_gb.normalize():f} GB of Local SSD declared, but {machine} always comes "
            f"with {bundled} GiB and Google sells no more for it: not charged"
        )
    return True


def add_local_ssd(
    q: Quote,
    gb: Decimal,
    *,
    spot: bool,
    count: Decimal = Decimal(1),
    label: str = "Local SSD",
    machine_type: Any = None,
) -> None:
    """Local SSD GB-months (x *count* VMs), at the Spot VM rate on Spot VMs; billed for
    the hours the VM runs, like the VM. None for a *machine_type* whose price bundles its
    Local SSD (`bundled_local_ssd`)."""
    if bundled_local_ssd(q, machine_type, gb) or not gb:
        return
    share = q.hours() / HOURS_PER_MONTH
    part = f", {q.hours().normalize():f} of {HOURS_PER_MONTH} h" if share != 1 else ""
    per = f" x {count}" if count != 1 else ""
    with q.component(label):
        q.add(
            f"{label} ({gb.normalize():f} GB{per}, {'Spot VM' if spot else 'on-demand'}{part})",
            gb * count * share,
            "disk",
            "local-ssd",
            "spot" if spot else "storage",
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
    add_licence(
        q,
        google.os_licence(r, q.ctx.index),
        r.attr("machine_type"),
        count=Decimal(1),
        spot=q.spot(),
    )
    for disk in google.instance_disks(r, q.ctx.index):
        add_disk(q, disk)
    if r.attr("attached_disk"):
        q.note("attached disks are priced as their google_compute_disk resources")
    add_local_ssd(
        q, google.instance_local_ssd_gb(r), spot=q.spot(), machine_type=r.attr("machine_type")
    )


def price_instance_group_manager(q: Quote) -> None:
    """`google_compute_(region_)instance_group_manager`: target_size x its template's machine."""
    size = q.count(q.usage_instances(), (q.resource.attr("target_size"), "target_size"))
    template = google.instance_template(q.resource, q.ctx.index)
    if template is None:
        raise Unpriceable("instance template not found in this plan; the machine type is unknown")
    spot = q.spot(template)
    add_machine(
        q,
        "Instance usage",
        template.attr("machine_type"),
        spot=spot,
        count=size,
        accelerators=template.attr("guest_accelerator"),
    )
    add_licence(
        q, google.os_licence(template), template.attr("machine_type"), count=size, spot=spot
    )
    disks = google.template_disks(template)
    local_gb = sum((d.size_gb for d in disks if d.type == google.LOCAL_SSD), Decimal(0))
    bundled = bundled_local_ssd(q, template.attr("machine_type"), local_gb)
    for disk in disks:
        if disk.type != google.LOCAL_SSD:
            add_disk(q, disk, size)
        elif not bundled:
            add_local_ssd(q, disk.size_gb, spot=spot, count=size)


EMPTY_POOL_NOTE = (
    "no node_count, initial_node_count or autoscaling: the google provider creates the pool "
    "with initialNodeCount 0, so it has no nodes (set a usage file's nodes_per_zone or "
    "instances to price the nodes it will run)"
)


def pool_nodes(
    q: Quote,
    pool: Mapping[str, Any],
    usage: Mapping[str, Any],
    zones: int,
    label: str = "",
    *,
    empty_is_zero: bool = True,
) -> tuple[Decimal, Decimal | None]:
    """How many nodes a GKE pool runs in all, and per zone when it is counted per zone.

    *pool* is a `google_container_node_pool`'s attributes or a cluster's pool block. The
    usage file's `instances` (in all) or `nodes_per_zone`, else `node_count`,
    `initial_node_count` or `autoscaling.min_node_count` per zone x *zones*, else
    `autoscaling.total_min_node_count` in all. A pool with none of them and no autoscaling
    has no nodes when *empty_is_zero* (the google provider creates it with
    initialNodeCount 0), said in a note."""
    if "instances" in usage:  # the pool's total, across its zones
        return q.count((usage["instances"], "usage file instances")), None
    prefix = f"{label}." if label else ""
    scaling = pool.get("autoscaling")
    auto = first(scaling)
    candidates = (
        (usage.get("nodes_per_zone"), "usage file nodes_per_zone"),
        (pool.get("node_count"), f"{prefix}node_count"),
        (pool.get("initial_node_count"), f"{prefix}initial_node_count"),
        (
            scaling if is_unknown(scaling) else auto.get("min_node_count"),
            f"{prefix}autoscaling.min_node_count",
        ),
    )
    if all(value is None for value, _ in candidates):
        total_min = auto.get("total_min_node_count")
        if total_min is not None:
            what = f"{prefix}autoscaling.total_min_node_count"
            return q.count((total_min, what)), None  # across all zones
        if scaling is None and empty_is_zero:
            q.note(EMPTY_POOL_NOTE)
            return Decimal(0), None
    per_zone = q.count(*candidates)
    return per_zone * zones, per_zone


def _node_count(q: Quote) -> Decimal:
    r = q.resource
    zones, why = google.node_pool_zones(r, q.ctx.index)
    nodes, per_zone = pool_nodes(q, r.attributes, q.usage, zones)
    if per_zone is not None and zones > 1 and why.startswith("regional"):
        q.note(f"regional node pool: {per_zone} node(s) per zone x {zones} zones")
    return nodes


def price_node_pool(q: Quote) -> None:
    """`google_container_node_pool`: nodes x (machine + GPUs), Spot/preemptible, boot disks."""
    nodes = _node_count(q)
    if not nodes:
        return
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
    add_licence(q, google.os_licence(q.resource), node.machine_type, count=nodes, spot=q.spot())
    disk = google.node_disk(q.resource)
    if node.disk_defaults and not disk.missing:
        disk = dataclasses.replace(disk, label=f"{disk.label} ({'; '.join(node.disk_defaults)})")
    add_disk(q, disk, nodes)
    config = first(q.resource.attr("node_config"))
    add_local_ssd(
        q,
        google.node_local_ssd_gb(config),
        spot=q.spot(),
        count=nodes,
        machine_type=node.machine_type,
    )
