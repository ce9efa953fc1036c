"""EC2 instances, spot requests and EBS volumes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from costgate.facts import aws
from costgate.facts.aws import DEFAULT_VOLUME_TYPE
from costgate.facts.specs import Disk
from costgate.facts.values import text
from costgate.model import ZERO, Resource, is_unknown
from costgate.pricing.build_aws import reserved_kind
from costgate.pricing.quote import (
    CAPACITY_BLOCK_UNPRICED,
    PER_THOUSAND,
    Quote,
    Reservation,
    Unpriceable,
)


def price_instance(q: Quote) -> None:
    """`aws_instance`: on-demand, or spot via `instance_market_options`, plus its volumes;
    what the instance leaves unset comes from its `launch_template`, as EC2 fills it."""
    r = q.resource
    template = aws.launch_template(r, q.ctx.index)
    instance_type, source = r.attr("instance_type"), "instance_type"
    if instance_type is None and template is not None:
        instance_type, source = template.attr("instance_type"), "launch template instance_type"
    with q.component("Instance usage"):
        instance_type = q.known(instance_type, source)
        spot = q.spot(capacity=f"1 x {instance_type}")
        reserved = reserved_unless_spot(q, spot)
        q.add_compute(
            "Instance usage",
            instance_type,
            spot=spot,
            kind_suffix=os_suffix(q),
            reservation=reserved,
        )
    # an assumed root volume never makes an unpriced instance priced; the hours of an
    # all-upfront reservation are priced ($0), only its one-time fee is missing
    priced = q.priced("Instance usage")
    if isinstance(instance_type, str):
        add_instance_extras(q, instance_type, Decimal(1), r, template)
        add_tenancy(q, aws.tenancy(r, template))
        if aws.detailed_monitoring(r, template):
            add_monitoring(q, Decimal(1))
    for disk in aws.launched_disks(r, template, assume_root=priced):
        add_disk(q, disk, Decimal(1))


CAPACITY_BLOCK = "capacity_block"
"""Catalog kind of a Capacity Block rate per instance-hour (fee / (hours x instances)), which
only `costgate pricing refresh aws` writes: no dated public table of block rates exists."""


def price_capacity_block_reservation(q: Quote) -> None:
    """`aws_ec2_capacity_block_reservation`: the block's fee, paid up front, at the
    per-instance-hour rate of a refreshed offering when the catalog has one; otherwise
    unpriced with that reason (never at on-demand rates)."""
    r = q.resource
    instance_type, count = r.attr("instance_type"), r.attr("instance_count")
    entry = None
    if isinstance(instance_type, str) and not is_unknown(instance_type) and r.region:
        entry = q.ctx.catalog.price("aws", "ec2", instance_type, r.region, CAPACITY_BLOCK)
    if entry is None:
        raise Unpriceable(f"{CAPACITY_BLOCK_UNPRICED}: {count} x {instance_type}")
    instances = Decimal(q.known(count, "instance_count"))
    hours = _block_hours(r)
    if hours is None:
        hours = q.hours()
        q.note(
            f"Capacity Block duration unknown until apply (start_date/end_date): priced for "
            f"{hours} hours, a month; a block runs 1 to 182 days and its fee is paid up front"
        )
        duration = ""
    else:
        duration = f", {hours} h block, paid up front"
    q.note(
        f"Capacity Block rate {entry.price} USD per instance-hour from an offering read on "
        f"{entry.as_of} ({entry.source}, written by `costgate pricing refresh aws`); block "
        "rates vary by start date and are fixed when the block is bought"
    )
    per = f" x {instances}" if instances != 1 else ""
    q.add(
        f"Capacity Block ({instance_type}{per}{duration})",
        hours * instances,
        "ec2",
        instance_type,
        CAPACITY_BLOCK,
    )


def _block_hours(r: Resource) -> Decimal | None:
    """A reservation's length in hours from its start_date/end_date (RFC 3339), when the
    plan knows both."""
    start, end = text(r.attr("start_date")), text(r.attr("end_date"))
    if not start or not end:
        return None
    try:
        seconds = (
            dt.datetime.fromisoformat(end) - dt.datetime.fromisoformat(start)
        ).total_seconds()
    except (TypeError, ValueError):
        return None
    return (Decimal(int(seconds)) / 3600).normalize() if seconds > 0 else None


DEDICATED_HOST = "dedicated_host"
"""Price kind of a Dedicated Host's on-demand host-hour, stored per instance family."""


def price_dedicated_host(q: Quote) -> None:
    """`aws_ec2_host`: a Dedicated Host bills per host-hour at a rate per instance family,
    whatever runs on it. Families the catalog has no host rate for (all but mac1 in
    us-east-1) stay unpriced with that reason rather than "not supported"."""
    r = q.resource
    what = text(r.attr("instance_type")) or text(r.attr("instance_family"))
    host_family = aws.family(what) if what else ""
    if not host_family or not q.ctx.catalog.regions(r.provider, "ec2", host_family):
        host = f"{what} host" if what else "instance type unknown until apply"
        raise Unpriceable(f"Dedicated Host rates are not in the pricing catalog ({host})")
    q.add(
        f"EC2 Dedicated Host (on-demand, {host_family})",
        q.hours(),
        "ec2",
        host_family,
        DEDICATED_HOST,
    )


def price_spot_instance_request(q: Quote) -> None:
    """`aws_spot_instance_request`: always spot."""
    instance_type = q.resource.attr("instance_type")
    with q.component("Instance usage"):
        q.known(instance_type, "instance_type")
        q.add_compute("Instance usage", instance_type, spot=True, kind_suffix=os_suffix(q))
    priced = q.priced("Instance usage")
    if isinstance(instance_type, str):
        add_instance_extras(q, instance_type, Decimal(1), q.resource)
        if aws.detailed_monitoring(q.resource):
            add_monitoring(q, Decimal(1))
    add_block_devices(q, assume_root=priced)


WINDOWS = "_windows"
"""Price-kind suffix of the Windows (licence-included) rate, as for Azure VMs."""


def os_suffix(q: Quote) -> str:
    """`_windows` when the usage file says the instances run Windows (the AMI decides the
    OS, which the plan does not show); Linux otherwise."""
    return WINDOWS if str(q.usage.get("operating_system", "")).lower() == "windows" else ""


RESERVED_KEYS = (
    "reserved_instance_type",
    "reserved_instance_term",
    "reserved_instance_payment_option",
)
"""Usage keys that together name a reserved instance (offering class, term, payment)."""


def reservation(q: Quote) -> Reservation | None:
    """The reserved instance the usage file says covers the on-demand hours, or None. As
    Infracost does, a reservation missing one of its three keys is ignored (on-demand), and
    the note says so. The rate is the reservation's effective hourly rate; payment options
    whose rate the catalog lacks leave the hours unpriced with that reason."""
    values = {key: q.usage.get(key) for key in RESERVED_KEYS}
    if not any(values.values()):
        return None
    missing = [key for key, value in values.items() if not value]
    if missing:
        q.note(
            f"{', '.join(missing)} not set in the usage file: the reservation is ignored and "
            "the instance hours are priced on-demand"
        )
        return None
    offering, term, payment = (str(values[key]) for key in RESERVED_KEYS)
    label = f"{offering} reserved, {term.replace('_', '-')} term, {payment.replace('_', ' ')}"
    return Reservation(
        reserved_kind(offering, term, payment), label, all_upfront=payment == "all_upfront"
    )


def reserved_unless_spot(q: Quote, spot: bool) -> Reservation | None:
    """The usage file's reservation for on-demand hours; spot hours are never reserved, and
    the note says so when the usage file names a reservation anyway."""
    reserved = reservation(q)
    if spot and reserved:
        q.note(f"{reserved.label}: a reservation covers on-demand hours; spot hours priced as spot")
        return None
    return reserved


def add_tenancy(q: Quote, tenancy: str) -> None:
    """Dedicated Instances and Dedicated Hosts bill other rates than shared tenancy, which
    the catalog does not have: the instance is priced at the shared rate and the premium is
    listed as missing, so the resource counts as partially priced."""
    if tenancy in ("dedicated", "host"):
        q.lacks(
            f"{tenancy.capitalize()} tenancy premium",
            f"tenancy {tenancy}: dedicated rates are not in the pricing catalog "
            "(instance hours priced at the shared-tenancy rate)",
        )


def add_instance_extras(
    q: Quote, instance_type: str, count: Decimal, *sources: Resource | None
) -> None:
    """Surplus CPU credits of a burstable instance in `unlimited` mode: the usage file's
    `cpu_credit_hours` (per vCPU) x vCPUs x instances; without usage, a note."""
    mode = aws.cpu_credits(instance_type, *sources)
    if mode != "unlimited":
        for key in ("cpu_credit_hours", "vcpu_count"):
            q.usage_not_applicable(key, f"{instance_type} does not run in unlimited credit mode")
        return
    hours = q.usage.get("cpu_credit_hours")
    if hours == 0:
        q.usage_not_applicable("vcpu_count", "cpu_credit_hours is 0")
        return  # the usage file says the instances stay within their baseline
    if hours is None:
        q.note(
            f"{instance_type} runs in unlimited credit mode: CPU use above baseline is billed "
            "per vCPU-hour; set cpu_credit_hours in the usage file to price it"
        )
        return
    vcpus = q.usage.get("vcpu_count") or q.product("ec2", instance_type).get("vcpu")
    with q.component("CPU credits"):
        if vcpus is None:
            raise Unpriceable(f"vCPU count of {instance_type} unknown: set vcpu_count in usage")
        quantity = Decimal(hours) * Decimal(vcpus) * count
        suffix = f" x {count}" if count != 1 else ""
        q.add(
            f"CPU credits ({instance_type} unlimited, {hours} h x {vcpus} vCPU{suffix})",
            quantity,
            "ec2",
            aws.family(instance_type),
            "cpu_credits",
        )


def add_monitoring(q: Quote, count: Decimal) -> None:
    """CloudWatch detailed monitoring: 7 metrics per instance at the first-tier rate."""
    metrics = aws.DETAILED_MONITORING_METRICS * count
    q.add_optional(
        f"EC2 detailed monitoring ({aws.DETAILED_MONITORING_METRICS} metrics"
        f"{f' x {count}' if count != 1 else ''})",
        metrics,
        "cloudwatch",
        "detailed_monitoring",
        "metric",
    )


def price_ebs_volume(q: Quote) -> None:
    """`aws_ebs_volume`: size, IOPS / throughput where the type charges for them, and the
    I/O requests of a magnetic (`standard`) volume from usage `monthly_io_requests`."""
    r = q.resource
    volume_type = r.attr("type")
    if volume_type is None or is_unknown(volume_type):
        volume_type = DEFAULT_VOLUME_TYPE
        q.note(f"volume type not set: priced as {DEFAULT_VOLUME_TYPE}, the EC2 default")
    size = q.known(r.attr("size"), "size")
    add_volume(q, "Storage", volume_type, Decimal(size), r.attr("iops"), r.attr("throughput"))
    if volume_type == "standard":  # magnetic volumes also bill each I/O request
        q.add_usage(
            "I/O requests (standard)",
            "monthly_io_requests",
            "ebs",
            "standard",
            "io_requests",
            per=PER_THOUSAND,
        )
    else:
        q.usage_not_applicable(
            "monthly_io_requests", f"a {volume_type} volume does not bill I/O requests"
        )


def add_volume(
    q: Quote,
    label: str,
    volume_type: str,
    size: Decimal,
    iops: Any,
    throughput: Any,
    count: Decimal = Decimal(1),
) -> None:
    """Lines for one EBS volume (times *count* instances)."""
    suffix = f" x {count}" if count != 1 else ""
    q.add(
        f"{label} ({volume_type}, {size} GB{suffix})", size * count, "ebs", volume_type, "storage"
    )
    facts = q.product("ebs", volume_type)
    if volume_type == "gp3":
        free_iops = Decimal(facts.get("free_iops", 3000))
        free_tput = Decimal(facts.get("free_throughput_mbps", 125))
        extra_iops = _known_number(iops, free_iops) - free_iops
        extra_tput = _known_number(throughput, free_tput) - free_tput
        if extra_iops > ZERO:
            q.add(
                f"Provisioned IOPS above {free_iops} (gp3{suffix})",
                extra_iops * count,
                "ebs",
                "gp3",
                "iops",
            )
        if extra_tput > ZERO:
            q.add(
                f"Throughput above {free_tput} MB/s (gp3{suffix})",
                extra_tput * count,
                "ebs",
                "gp3",
                "throughput",
            )
    elif volume_type in ("io1", "io2"):
        if iops is None or is_unknown(iops):
            q.note(f"{label}: provisioned IOPS for {volume_type} unknown until apply; not priced")
        else:
            q.add(
                f"Provisioned IOPS ({volume_type}{suffix})",
                Decimal(iops) * count,
                "ebs",
                volume_type,
                "iops",
            )


def _known_number(value: Any, default: Decimal) -> Decimal:
    """Plan values that are unset or unknown fall back to the volume type's baseline."""
    if value is None or is_unknown(value) or value == 0:
        return default
    return Decimal(value)


def add_block_devices(
    q: Quote, count: Decimal = Decimal(1), source: Resource | None = None, assume_root: bool = True
) -> None:
    """Root and EBS block devices of an instance, or of the launch configuration *source*
    its group launches from; the AMI's root volume is assumed only when *assume_root*."""
    for disk in aws.instance_disks(source or q.resource, assume_root):
        add_disk(q, disk, count)


def add_disk(q: Quote, disk: Disk, count: Decimal) -> None:
    """Lines for one volume of each of *count* instances; one that cannot be sized before
    apply, or has no price, is a missing component (the instance is partially priced)."""
    if disk.missing:
        q.lacks(disk.label, disk.missing)
        return
    if disk.assumed:
        q.note(disk.assumed)
    with q.component(disk.label):
        add_volume(q, disk.label, disk.type, disk.size_gb, disk.iops, disk.throughput, count)
