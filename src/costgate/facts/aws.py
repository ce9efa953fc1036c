"""AWS facts: S3 lifecycle rules with their filters, and what Auto Scaling groups and EKS
node groups launch through their launch templates."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from costgate.facts.index import StackIndex
from costgate.facts.specs import (
    AwsFleet,
    Disk,
    EndpointVariant,
    LifecycleRule,
    Market,
    ObjectStorage,
)
from costgate.facts.values import MalformedAttribute, block_list, blocks, number, scalar, text
from costgate.model import EMPTY, ZERO, Resource, freeze, is_unknown, strip_indexes

DEFAULT_VOLUME_TYPE = "gp2"
"""EC2 CreateVolume's documented default when no type is given."""

EKS_DEFAULT_INSTANCE_TYPE = "t3.medium"
"""EKS managed node groups use t3.medium when neither instance_types nor a template sets one."""

DEFAULT_ROOT_GB = Decimal(8)
DEFAULT_ROOT_TYPE = "gp2"
"""The root volume of an instance whose plan does not size it: the AMI decides, and Amazon
Linux 2 AMIs (the AMI Infracost also assumes) map an 8 GiB gp2 root volume."""

EKS_DEFAULT_DISK_GB = Decimal(20)
"""`disk_size` of an EKS managed node group without a launch template (EKS API default:
20 GiB for Linux nodes); the volume type is assumed gp2, as Infracost does."""

DETAILED_MONITORING_METRICS = Decimal(7)
"""EC2 sends 7 metrics at 1-minute resolution under detailed monitoring (CPUUtilization,
DiskReadOps, DiskWriteOps, DiskReadBytes, DiskWriteBytes, NetworkIn, NetworkOut)."""

UNLIMITED_BY_DEFAULT = frozenset({"t3", "t3a", "t4g"})
"""Burstable families that launch in `unlimited` credit mode unless told otherwise; T2
launches `standard` (EC2 User Guide, "Unlimited mode for burstable performance instances")."""
BURSTABLE = UNLIMITED_BY_DEFAULT | {"t2"}

TEMPLATE_REFERENCES = ("launch_template.id", "launch_template.name")
MIXED_TEMPLATE_REFERENCES = (
    "mixed_instances_policy.launch_template.launch_template_specification.launch_template_id",
    "mixed_instances_policy.launch_template.launch_template_specification.launch_template_name",
)


def launch_template(resource: Resource, index: StackIndex) -> Resource | None:
    """The `aws_launch_template` a group, node group or instance launches from, whichever
    way it names it (plain `launch_template` or a mixed instances policy)."""
    for attribute in (*TEMPLATE_REFERENCES, *MIXED_TEMPLATE_REFERENCES):
        found = index.referenced(resource, attribute, "aws_launch_template")
        if found is not None:
            return found
    return None


def launch_configuration(resource: Resource, index: StackIndex) -> Resource | None:
    """The `aws_launch_configuration` an Auto Scaling group names, by reference or by its
    literal name."""
    found = index.referenced(resource, "launch_configuration", "aws_launch_configuration")
    name = resource.attr("launch_configuration")
    if found is None and text(name):
        found = next(
            (c for c in index.of_type("aws_launch_configuration") if c.attr("name") == name),
            None,
        )
    return found


def fleet(resource: Resource, index: StackIndex) -> AwsFleet:
    """What an `aws_autoscaling_group` or `aws_eks_node_group` launches: from a launch
    template, or (groups only) a launch configuration."""
    template = launch_template(resource, index)
    weights: tuple[Decimal, ...] = ()
    if template is None and resource.type == "aws_autoscaling_group":
        template = launch_configuration(resource, index)
    types: tuple[str, ...] = ()
    source = ""
    unknown = False
    if resource.type == "aws_eks_node_group":
        listed = resource.attr("instance_types")
        unknown = is_unknown(listed)
        if isinstance(listed, tuple):
            types, source = tuple(str(t) for t in listed if text(t)), "instance_types"
    mixed = bool(resource.attr("mixed_instances_policy"))
    if mixed:
        overrides = blocks(resource.attr("mixed_instances_policy", "launch_template", "override"))
        typed = [o for o in overrides if text(o.get("instance_type"))]
        types = tuple(str(o["instance_type"]) for o in typed)
        weights = tuple(_weight(o.get("weighted_capacity")) for o in typed)
        source = "mixed_instances_policy overrides"
    if not types and not unknown and template is not None:
        source = f"{template.type.removeprefix('aws_').replace('_', ' ')} instance_type"
        found = template.attr("instance_type")
        unknown = is_unknown(found)
        types = (str(found),) if text(found) else ()
    assumed = ""
    if resource.type == "aws_eks_node_group" and not types and not unknown:
        types, assumed = (EKS_DEFAULT_INSTANCE_TYPE,), "the EKS default"
    distribution = resource.block("mixed_instances_policy", "instances_distribution")
    percent = number(distribution.get("on_demand_percentage_above_base_capacity"))
    spot_template = template is not None and (
        template.attr("instance_market_options", "market_type") == "spot"
        or bool(text(template.attr("spot_price")))  # a launch configuration's spot request
    )
    return AwsFleet(
        template=template,
        instance_types=types,
        type_source=source,
        types_unknown=unknown,
        assumed=assumed,
        weights=weights if any(w != 1 for w in weights) else (),
        mixed=mixed,
        on_demand_base=Decimal(number(distribution.get("on_demand_base_capacity")) or 0),
        on_demand_percent=Decimal(100)
        if number(percent) is None
        else Decimal(number(percent) or 0),
        spot_template=spot_template,
    )


def _weight(value: Any) -> Decimal:
    """A `weighted_capacity` (a string in the provider schema); 1 when unset or unknown."""
    found = number(value)
    if found is not None and found < 0:
        raise MalformedAttribute("weighted_capacity", "a positive number", value)
    return Decimal(found) if found else Decimal(1)


def on_demand_share(fleet: AwsFleet, desired: Decimal) -> Decimal:
    """On-demand instances of a group: all of them unless mixed; for a mixed group the base
    plus the percentage of the rest, kept exact (AWS documents no rounding rule)."""
    if not fleet.mixed:
        return ZERO if fleet.spot_template else desired
    base = fleet.on_demand_base
    return min(desired, base) + max(desired - base, ZERO) * fleet.on_demand_percent / 100


def market(resource: Resource, index: StackIndex) -> Market:
    """The market an instance, spot request, node group or Auto Scaling group buys in (a
    group with any on-demand share is on-demand)."""
    if resource.type == "aws_spot_instance_request":
        return Market.SPOT
    if resource.type == "aws_eks_node_group":
        kind = str(scalar(resource.attr("capacity_type"), "capacity_type") or "").upper()
        return _MARKETS.get(kind.replace("_", "-").lower(), Market.ON_DEMAND)
    if resource.type == "aws_autoscaling_group":
        share = on_demand_share(fleet(resource, index), Decimal(1))
        return Market.ON_DEMAND if share > 0 else Market.SPOT
    kind = scalar(resource.attr("instance_market_options", "market_type"), "market_type")
    template = launch_template(resource, index) if resource.type == "aws_instance" else None
    if kind is None and template is not None:  # the instance's own options win
        kind = scalar(template.attr("instance_market_options", "market_type"), "market_type")
    return _MARKETS.get(str(kind or "").lower(), Market.ON_DEMAND)


_MARKETS = {"spot": Market.SPOT, "capacity-block": Market.CAPACITY_BLOCK}
"""`market_type` / `capacity_type` spellings (EKS: SPOT, CAPACITY_BLOCK) by market."""


def endpoint_variants(resource: Resource) -> tuple[EndpointVariant, ...]:
    """The production variants of an `aws_sagemaker_endpoint_configuration`; a variant
    without an instance count runs one instance (SageMaker's default)."""
    found = []
    for variant in block_list(resource.attr("production_variants"), "production_variants"):
        if is_unknown(variant):
            continue
        name = str(variant.get("variant_name") or "variant")
        count = scalar(variant.get("initial_instance_count"), f"{name}.initial_instance_count")
        found.append(
            EndpointVariant(
                name,
                scalar(variant.get("instance_type"), f"{name}.instance_type"),
                Decimal(1) if count is None or is_unknown(count) else Decimal(count),
                bool(variant.get("serverless_config")),
            )
        )
    return tuple(found)


# -- EBS -----------------------------------------------------------------------------------


def instance_disks(resource: Resource, assume_root: bool = True) -> tuple[Disk, ...]:
    """Root and EBS block devices of an instance or launch configuration, in order; a root
    volume the plan does not size is the AMI's, assumed 8 GB gp2 and said so on its line
    (not when *assume_root* is off: an assumption never makes an unpriced instance priced)."""
    root = block_list(resource.attr("root_block_device"), "root_block_device")
    found: list[Disk] = []
    if root and not is_unknown(root[0]):
        found.append(block_device("Root volume", root[0], default_size=DEFAULT_ROOT_GB))
    elif assume_root:
        found.append(default_root_volume())
    else:
        found.append(
            Disk(
                "Root volume",
                missing="its size comes from the AMI at apply time (set "
                "root_block_device.volume_size to price it)",
            )
        )
    devices = resource.attr("ebs_block_device")
    if is_unknown(devices):
        found.append(Disk("EBS block devices", missing="ebs_block_device unknown until apply"))
    for device in block_list(devices, "ebs_block_device"):
        label = f"EBS volume {device.get('device_name', '') if device else ''}".strip()
        found.append(block_device(label, device))
    return tuple(found)


ROOT_DEVICE_NAMES = frozenset({"/dev/xvda", "/dev/sda1", "xvda", "sda1"})
"""Root device names of the common AMIs (Amazon Linux: /dev/xvda; Ubuntu, RHEL, Windows:
/dev/sda1): a template mapping one of them sizes the root volume itself."""


def launched_disks(
    resource: Resource, template: Resource | None, assume_root: bool = True
) -> tuple[Disk, ...]:
    """Volumes of an instance launched from *template*: its own root and EBS block devices,
    where a device it names that the template also maps takes the template's settings for
    what it leaves unset, then the template's other mappings (EC2 applies the template's
    block device mappings and lets the request override them device by device)."""
    if template is None:
        return instance_disks(resource, assume_root)
    mapped = {name: ebs for name, ebs in template_mappings(template) if not is_unknown(ebs)}
    if not mapped:
        return instance_disks(resource, assume_root)
    own = resource.attr("ebs_block_device")
    if not resource.attr("root_block_device") and ROOT_DEVICE_NAMES & set(mapped):
        found: list[Disk] = []  # the template maps the root device itself
    else:
        found = list(instance_disks(resource, assume_root)[:1])
    if is_unknown(own):
        found.append(Disk("EBS block devices", missing="ebs_block_device unknown until apply"))
        own = ()
    named = set()
    for device in block_list(own, "ebs_block_device"):
        name = str(device.get("device_name", "")) if device else ""
        base = mapped.get(name, {})
        merged = {**base, **{k: v for k, v in (device or {}).items() if v not in (None, "", 0)}}
        named.add(name)
        found.append(block_device(f"EBS volume {name}".strip(), merged))
    found += [
        block_device(f"Volume {name}".strip(), ebs)
        for name, ebs in mapped.items()
        if name not in named
    ]
    return tuple(found)


def template_mappings(template: Resource) -> tuple[tuple[str, Any], ...]:
    """(device name, `ebs` block) of each block device mapping of a launch template that
    maps an EBS volume, in order; the block is UNKNOWN when only known after apply."""
    found = []
    for mapping in block_list(template.attr("block_device_mappings"), "block_device_mappings"):
        ebs = block_list(mapping.get("ebs"), "block_device_mappings.ebs") if mapping else ()
        if ebs:
            found.append((text(mapping.get("device_name")) or "", ebs[0]))
    return tuple(found)


def maps_root_device(template: Resource) -> bool:
    """Whether a launch template maps the AMI's root device itself (and so sizes the
    instances' root volume)."""
    return any(name in ROOT_DEVICE_NAMES for name, _ in template_mappings(template))


def template_disks(template: Resource) -> tuple[Disk, ...]:
    """EBS volumes of a launch template's block device mappings."""
    return tuple(
        block_device(f"Volume {name}".strip(), ebs) for name, ebs in template_mappings(template)
    )


def default_root_volume(label: str = "Root volume") -> Disk:
    """The AMI's root volume when nothing in the plan sizes it."""
    return Disk(
        label,
        DEFAULT_ROOT_TYPE,
        DEFAULT_ROOT_GB,
        assumed=f"{label}: {DEFAULT_ROOT_GB} GB {DEFAULT_ROOT_TYPE} assumed: the AMI decides "
        "its size and type (set root_block_device.volume_size to price your own)",
    )


def block_device(label: str, device: Any, default_size: Decimal | None = None) -> Disk:
    """One block device mapping; unknown sizes are missing, never guessed. A root device
    without `volume_size` keeps the AMI's size (*default_size*, stated as assumed)."""
    if is_unknown(device):
        return Disk(label, missing="unknown until apply")
    size = scalar(device.get("volume_size"), f"{label} volume_size")
    assumed = ""
    if (size is None or size == 0) and default_size is not None:
        size = default_size
        assumed = f"{label}: {default_size} GB assumed: the AMI decides its size"
    if size is None or is_unknown(size) or size == 0:
        return Disk(label, missing="size unknown until apply (comes from the AMI)")
    volume_type = scalar(device.get("volume_type"), f"{label} volume_type")
    if volume_type is None or is_unknown(volume_type) or volume_type == "":
        volume_type = DEFAULT_VOLUME_TYPE
        assumed = "; ".join(
            a
            for a in (
                assumed,
                f"{label}: volume type not set; priced as {DEFAULT_VOLUME_TYPE}, the EC2 default",
            )
            if a
        )
    return Disk(
        label,
        str(volume_type),
        Decimal(size),
        device.get("iops"),
        device.get("throughput"),
        assumed=assumed,
    )


def eks_node_disk(resource: Resource) -> Disk:
    """The node volume of an EKS managed node group without a launch template."""
    size = scalar(resource.attr("disk_size"), "disk_size")
    if is_unknown(size):
        # the AWS provider computes an unset disk_size, so a plan shows it as unknown
        return Disk(
            "Node disk",
            DEFAULT_VOLUME_TYPE,
            EKS_DEFAULT_DISK_GB,
            assumed=f"disk_size unknown until apply (a plan shows an unset one so): "
            f"{EKS_DEFAULT_DISK_GB} GB, the EKS default, assumed; {DEFAULT_VOLUME_TYPE} "
            "assumed (the node AMI decides the volume type)",
        )
    if size is None:
        return Disk(
            "Node disk",
            DEFAULT_VOLUME_TYPE,
            EKS_DEFAULT_DISK_GB,
            assumed=f"disk_size not set: {EKS_DEFAULT_DISK_GB} GB, the EKS default; "
            f"{DEFAULT_VOLUME_TYPE} assumed (the node AMI decides the volume type)",
        )
    return Disk("Node disk", DEFAULT_VOLUME_TYPE, Decimal(size))


# -- burstable credits and monitoring ------------------------------------------------------


def family(instance_type: str) -> str:
    """`t3` of `t3.medium`."""
    return instance_type.split(".", 1)[0]


def cpu_credits(instance_type: str, *sources: Resource | None) -> str:
    """The credit mode of a burstable instance (`unlimited` / `standard`), "" for other
    types: the first `credit_specification.cpu_credits` set on the instance, group or its
    template, else the family's default."""
    if family(instance_type) not in BURSTABLE:
        return ""
    for source in sources:
        if source is None:
            continue
        mode = source.attr("credit_specification", "cpu_credits")
        if text(mode):
            return str(mode).lower()
    return "unlimited" if family(instance_type) in UNLIMITED_BY_DEFAULT else "standard"


def detailed_monitoring(resource: Resource, template: Resource | None = None) -> bool:
    """Whether instances launched from *resource* send detailed (1-minute) metrics: an
    instance's `monitoring` (else its launch template's), a launch template's
    `monitoring.enabled`, or a launch configuration's `enable_monitoring`, which AWS turns
    on by default."""
    if resource.type == "aws_launch_configuration":
        return resource.attr("enable_monitoring") is not False
    if resource.type == "aws_launch_template":
        return resource.attr("monitoring", "enabled") is True
    own = resource.attr("monitoring")
    if own is None and template is not None:
        return detailed_monitoring(template)
    return own is True


def tenancy(resource: Resource | None, template: Resource | None = None) -> str:
    """`default`, `dedicated` or `host`: an instance's `tenancy`, a launch template's
    `placement.tenancy` or a launch configuration's `placement_tenancy`, the first set."""
    for source in (resource, template):
        if source is None:
            continue
        for path in (("tenancy",), ("placement", "tenancy"), ("placement_tenancy",)):
            found = source.attr(*path)
            if text(found):
                return str(found).lower()
    return "default"


# -- S3 ------------------------------------------------------------------------------------

S3_RESTORE_SPEEDS = {
    "GLACIER": ("standard", "expedited", "bulk"),
    "DEEP_ARCHIVE": ("standard", "bulk"),
}
"""The archive classes, which bill restores by speed, and the speeds each offers (AWS S3
pricing page: Glacier Flexible Retrieval has expedited, standard and bulk retrievals, Deep
Archive standard and bulk only). The usage schema's `class_usage` keys repeat this (JSON)."""


def lifecycle_configuration(index: StackIndex, bucket: Resource) -> Resource | None:
    """The `aws_s3_bucket_lifecycle_configuration` for a bucket, by reference or by name."""
    return index.linked_from(bucket, "aws_s3_bucket_lifecycle_configuration", "bucket", "bucket")


def s3_bucket(bucket: Resource, index: StackIndex) -> ObjectStorage:
    """A bucket's enabled lifecycle rules, from `aws_s3_bucket_lifecycle_configuration` or
    the legacy inline `lifecycle_rule` blocks. S3 objects start in STANDARD."""
    notes: list[str] = []
    config = lifecycle_configuration(index, bucket)
    if config is not None:
        rules = _rules(
            config.attr("rule"), lambda r: r.get("status") == "Enabled", notes, config.address
        )
    else:
        inline = bucket.attr("lifecycle_rule")
        rules = (
            []
            if is_unknown(inline)
            else _rules(inline, lambda r: bool(r.get("enabled")), notes, "lifecycle_rule")
        )
    return ObjectStorage(
        resource=bucket,
        service="s3",
        initial_class="STANDARD",
        initial_class_assumed=False,
        rules=tuple(rules),
        declared_in=config,
        notes=tuple(notes),
    )


def _rules(
    raw: Any, enabled: Callable[[Mapping[str, Any]], bool], notes: list[str], where: str
) -> list[LifecycleRule]:
    rules = []
    for rule in blocks(raw):
        if not enabled(rule):
            continue
        transitions = []
        for t in blocks(rule.get("transition")):
            days, storage_class = t.get("days"), t.get("storage_class")
            if days is None or is_unknown(days) or is_unknown(storage_class):
                notes.append(f"{where}: a transition by date or unknown value is not modelled")
                continue
            transitions.append((Decimal(days), str(storage_class)))
        expire = None
        for e in blocks(rule.get("expiration")):
            if e.get("days") not in (None, 0) and not is_unknown(e.get("days")):
                expire = Decimal(e["days"])
        if rule.get("noncurrent_version_transition") or rule.get("noncurrent_version_expiration"):
            notes.append(
                f"{where}: noncurrent-version rules are not priced (versioned data volume unknown)"
            )
        prefix, tags, other = _filter(rule)
        rules.append(
            LifecycleRule(
                str(rule.get("id") or ""), prefix, tuple(transitions), expire, tags, other
            )
        )
    return rules


def _filter(rule: Mapping[str, Any]) -> tuple[str, Mapping[str, str], tuple[str, ...]]:
    """(prefix, object tags, other filters) of an S3 rule: `filter` with `prefix`, `tag`,
    `object_size_*` or an `and` of them, or the legacy rule-level `prefix`."""
    prefix = str(rule.get("prefix") or "")
    filters = blocks(rule.get("filter"))
    if not filters:
        return prefix, EMPTY, ()
    tags: dict[str, str] = {}
    other: list[str] = []
    for f in filters:
        for part in (f, *blocks(f.get("and"))):
            if text(part.get("prefix")):
                prefix = str(part["prefix"])
            for tag in blocks(part.get("tag")):
                tags[str(tag.get("key"))] = str(tag.get("value"))
            if isinstance(part.get("tags"), Mapping):
                tags.update({str(k): str(v) for k, v in part["tags"].items()})
            for key, words in (
                ("object_size_greater_than", "object size >"),
                ("object_size_less_than", "object size <"),
            ):
                size = number(part.get(key))
                if size:
                    other.append(f"{words} {size} bytes")
    return prefix, freeze(tags) if tags else EMPTY, tuple(other)


SNAPSHOT_TYPES = ("aws_ebs_snapshot", "aws_ebs_snapshot_copy")
"""Resources that hold an EBS snapshot, and so can be the source of a snapshot copy."""

_MAX_SNAPSHOT_CHAIN = 8
"""Copies of copies followed at most this deep (a cycle in a malformed stack ends here)."""


def ebs_snapshot_size(
    snapshot: Resource, index: StackIndex, depth: int = 0
) -> tuple[Decimal | None, str]:
    """The size in GB of the volume an EBS snapshot (or snapshot copy) was taken from, and
    where that figure comes from, or why it is unknown.

    The snapshot's own `volume_size` (known in a state) wins; else the `size` of the
    `aws_ebs_volume` its `volume_id` refers to (or the `aws_instance` root or EBS block
    device it refers to), or for a copy the size of the snapshot its `source_snapshot_id`
    refers to. This is an upper bound of what the snapshot stores:
    EBS stores only the blocks written to the volume (docs/pricing-notes.md)."""
    own = scalar(snapshot.attr("volume_size"), "volume_size")
    if own not in (None, "", 0) and not is_unknown(own):
        return Decimal(own), f"its volume_size ({own} GB)"
    if depth > _MAX_SNAPSHOT_CHAIN:
        return None, "its source snapshots form a chain too long to follow"
    if snapshot.type == "aws_ebs_snapshot_copy":
        return _copy_source_size(snapshot, index, depth)
    volume = index.referenced(snapshot, "volume_id", "aws_ebs_volume")
    if volume is None:
        instance = index.referenced(snapshot, "volume_id", "aws_instance")
        if instance is not None:
            return _instance_volume_size(snapshot, instance)
        return None, (
            "its volume_id does not refer to an aws_ebs_volume or an aws_instance volume in "
            "this stack"
        )
    size = scalar(volume.attr("size"), f"{volume.address} size")
    if size in (None, "", 0) or is_unknown(size):
        return None, f"the size of its volume {volume.address} is unknown until apply"
    return Decimal(size), f"the size of its volume {volume.address} ({size} GB)"


def _copy_source_size(copy: Resource, index: StackIndex, depth: int) -> tuple[Decimal | None, str]:
    for type_ in SNAPSHOT_TYPES:
        source = index.referenced(copy, "source_snapshot_id", type_)
        if source is not None:
            size, why = ebs_snapshot_size(source, index, depth + 1)
            return size, f"its source snapshot {source.address}: {why}"
    return None, "its source_snapshot_id does not refer to a snapshot in this stack"


def _instance_volume_size(snapshot: Resource, instance: Resource) -> tuple[Decimal | None, str]:
    """The size of the instance volume a snapshot's `volume_id` names
    (`aws_instance.x.root_block_device[0].volume_id`, or a volume of its
    `ebs_block_device` set): that block's `volume_size` as written in the plan.

    A root volume without `volume_size` takes the AMI's size. The instance pricer assumes
    8 GB for it, which is honest for an instance (a stated default for a line it prices),
    but not here: the snapshot line states its size as an upper bound of what it stores,
    and an assumed AMI size bounds nothing (Windows and many Linux AMIs are larger), so such
    a snapshot is usage unknown. Of several `ebs_block_device` volumes (a set, which the
    plan cannot index) the size is known only when they all have the same."""
    device = _referenced_device(snapshot, instance)
    where = instance.address
    if device is None:
        return None, f"its volume_id refers to {where} but to neither of its block devices"
    if device == "root_block_device":
        roots = block_list(instance.attr(device), device)
        size = scalar(roots[0].get("volume_size"), device) if roots and roots[0] else None
        if size in (None, "", 0) or is_unknown(size):
            return None, (
                f"it is the root volume of {where}, whose size the AMI decides "
                "(root_block_device.volume_size not set; the instance's assumed "
                f"{DEFAULT_ROOT_GB} GB is no bound on what the snapshot stores)"
            )
        return Decimal(size), f"the size of the root volume of {where} ({size} GB)"
    devices = instance.attr(device)
    if is_unknown(devices):
        return None, f"the ebs_block_device volumes of {where} are unknown until apply"
    sizes = {
        scalar(d.get("volume_size"), device) if d else None for d in block_list(devices, device)
    }
    if not sizes:
        return None, f"{where} declares no ebs_block_device"
    if any(s in (None, "", 0) or is_unknown(s) for s in sizes):
        return None, f"the size of an ebs_block_device of {where} is not known before apply"
    if len(sizes) > 1:
        return None, (
            f"{where} has ebs_block_device volumes of different sizes and the plan does not "
            "say which one volume_id names"
        )
    (size,) = sizes
    return Decimal(str(size)), f"the size of its volume, an ebs_block_device of {where} ({size} GB)"


def _referenced_device(snapshot: Resource, instance: Resource) -> str | None:
    """Which block of *instance* a snapshot's `volume_id` reference walks into."""
    prefix = f"{instance.base_address}."
    for ref in snapshot.references.get("volume_id", ()):
        path = strip_indexes(ref)
        for device in ("root_block_device", "ebs_block_device"):
            if path.startswith(f"{prefix}{device}"):
                return device
    return None
