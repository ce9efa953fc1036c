"""EC2 instances, spot requests and EBS volumes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from costgate.facts.values import block_list
from costgate.model import ZERO, Resource, is_unknown
from costgate.pricing.quote import Quote, Unpriceable

DEFAULT_VOLUME_TYPE = "gp2"
"""EC2 CreateVolume's documented default when no type is given."""


def price_instance(q: Quote) -> None:
    """`aws_instance`: on-demand, or spot via `instance_market_options`, plus its volumes."""
    instance_type = q.known(q.resource.attr("instance_type"), "instance_type")
    q.add_compute("Instance usage", instance_type, spot=q.spot())
    add_block_devices(q)


def price_spot_instance_request(q: Quote) -> None:
    """`aws_spot_instance_request`: always spot."""
    instance_type = q.known(q.resource.attr("instance_type"), "instance_type")
    q.add_compute("Instance usage", instance_type, spot=True)
    add_block_devices(q)


def price_ebs_volume(q: Quote) -> None:
    """`aws_ebs_volume`: size, and IOPS / throughput where the type charges for them."""
    r = q.resource
    volume_type = r.attr("type")
    if volume_type is None or is_unknown(volume_type):
        volume_type = DEFAULT_VOLUME_TYPE
        q.note(f"volume type not set: priced as {DEFAULT_VOLUME_TYPE}, the EC2 default")
    size = q.known(r.attr("size"), "size")
    add_volume(q, "Storage", volume_type, Decimal(size), r.attr("iops"), r.attr("throughput"))


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
    q: Quote, count: Decimal = Decimal(1), source: Resource | None = None
) -> None:
    """Root and EBS block devices of an instance, or of the launch configuration *source*
    its group launches from."""
    r = source or q.resource
    root = r.attr("root_block_device")
    if isinstance(root, tuple) and root:
        add_device(q, "Root volume", root[0], count)
    else:
        q.note(
            "root volume size comes from the AMI at apply time; not priced "
            "(set root_block_device.volume_size to price it)"
        )
    devices = r.attr("ebs_block_device")
    if is_unknown(devices):
        q.note("EBS block devices unknown until apply; not priced")
    for device in block_list(devices, "ebs_block_device"):
        add_device(q, f"EBS volume {device.get('device_name', '')}".strip(), device, count)


def add_device(q: Quote, label: str, device: Any, count: Decimal) -> None:
    """One block device mapping; unknown sizes become notes, not guesses."""
    if is_unknown(device):
        q.note(f"{label}: unknown until apply; not priced")
        return
    size = device.get("volume_size")
    if size is None or is_unknown(size) or size == 0:
        q.note(f"{label}: size unknown until apply (comes from the AMI); not priced")
        return
    volume_type = device.get("volume_type")
    if volume_type is None or is_unknown(volume_type) or volume_type == "":
        volume_type = DEFAULT_VOLUME_TYPE
        q.note(f"{label}: volume type not set; priced as {DEFAULT_VOLUME_TYPE}, the EC2 default")
    try:
        add_volume(
            q,
            label,
            volume_type,
            Decimal(size),
            device.get("iops"),
            device.get("throughput"),
            count,
        )
    except Unpriceable as exc:
        q.note(f"{label} not priced: {exc}")
