"""Google Cloud facts: Cloud Storage lifecycle rules with their conditions, and the
accelerators attached to instances and node pools."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from costgate.facts.index import StackIndex
from costgate.facts.specs import Disk, LifecycleRule, Market, NodeConfig, ObjectStorage
from costgate.facts.values import block_list, blocks, days, first, number, scalar, text
from costgate.model import Resource, is_unknown

DEFAULT_DISK_TYPE = "pd-standard"
"""google_compute_instance / google_compute_disk default disk type."""

GKE_DEFAULT_MACHINE_TYPE = "e2-medium"
GKE_DEFAULT_DISK_GB = Decimal(100)
GKE_DEFAULT_DISK_TYPE = "pd-balanced"
"""GKE node defaults when node_config leaves them unset (GKE documentation)."""

NONCURRENT_CONDITIONS = (
    "num_newer_versions",
    "days_since_noncurrent_time",
    "noncurrent_time_before",
    "created_before",
)
"""Conditions that pick object versions or dates, not ages: not modelled as volume."""


def gcs_bucket(bucket: Resource) -> ObjectStorage:
    """A bucket's `lifecycle_rule` blocks by the objects they apply to.

    GCS applies every rule whose conditions an object meets, so each prefix's rule holds
    its own actions plus those of rules without a prefix; a rule that also names a
    suffix applies to objects the usage file cannot single out (kept, marked narrowed).
    """
    notes: list[str] = []
    raw_class = bucket.attr("storage_class")
    initial = text(raw_class)
    groups: dict[tuple[str, tuple[str, ...]], tuple[list[tuple[Decimal, str]], list[Decimal]]]
    groups = {}
    rules = bucket.attr("lifecycle_rule")
    for rule in () if is_unknown(rules) else blocks(rules):
        action, condition = first(rule.get("action")), first(rule.get("condition"))
        age = days(condition.get("age"))
        if condition.get("with_state") == "ARCHIVED" or any(
            condition.get(k) for k in NONCURRENT_CONDITIONS
        ):
            notes.append("a lifecycle rule on object versions or dates is not modelled")
            continue
        if age is None or is_unknown(action):
            notes.append("a lifecycle rule without a known age condition is not modelled")
            continue
        suffixes = tuple(f"name suffix {s}" for s in condition.get("matches_suffix") or ())
        for prefix in condition.get("matches_prefix") or ("",):
            transitions, deletes = groups.setdefault((str(prefix), suffixes), ([], []))
            kind = action.get("type")
            if kind == "SetStorageClass" and text(action.get("storage_class")):
                transitions.append((age, str(action["storage_class"]).upper()))
            elif kind == "Delete":
                deletes.append(age)
    shared_t, shared_d = groups.get(("", ()), ([], []))
    folded = tuple(
        LifecycleRule(
            f"lifecycle_rule[{prefix or '*'}{'|' + ','.join(other) if other else ''}]",
            prefix,
            tuple(transitions + (shared_t if prefix or other else [])),
            min(deletes + (shared_d if prefix or other else []), default=None),
            other_filters=other,
        )
        for (prefix, other), (transitions, deletes) in groups.items()
    )
    return ObjectStorage(
        resource=bucket,
        service="gcs",
        initial_class=(initial or "STANDARD").upper(),
        initial_class_assumed=initial is None,
        rules=folded,
        declared_in=None,
        charges_transitions=False,
        notes=tuple(dict.fromkeys(notes)),
    )


def node_config(pool: Resource) -> NodeConfig:
    """A node pool's machine type and boot disk, GKE's defaults filling what is unset."""
    return node_config_of(first(pool.attr("node_config")))


def node_config_of(config: Mapping[str, Any]) -> NodeConfig:
    """A `node_config` block (of a node pool, an inline `node_pool` or a cluster's default
    pool) with GKE's defaults filling what is unset."""
    machine = scalar(config.get("machine_type"), "node_config.machine_type")
    return NodeConfig(
        machine_type=GKE_DEFAULT_MACHINE_TYPE if machine is None or machine == "" else machine,
        machine_assumed=machine is None or machine == "",
        disk_type=config.get("disk_type") or GKE_DEFAULT_DISK_TYPE,
        disk_size_gb=config.get("disk_size_gb") or GKE_DEFAULT_DISK_GB,
    )


@dataclass(frozen=True)
class CustomMachine:
    """A custom machine type (`custom-6-20480`, `n2-custom-4-16384-ext`): the family whose
    per-vCPU and per-GB rates apply, vCPUs, memory in GB (Google's GB: GiB) within the
    family's per-vCPU maximum, and memory above it (extended memory, `-ext`)."""

    family: str
    vcpus: int
    memory_gb: Decimal
    extended_gb: Decimal


CUSTOM_MAX_GB_PER_VCPU = {"n1": Decimal("6.5")}
"""Memory per vCPU a custom machine gets at the normal memory rate (N1 6.5 GB, N2, N2D and
E2 8 GB); beyond it, `-ext` types pay the extended memory rate (Compute Engine custom
machine types documentation)."""

_CUSTOM = re.compile(r"^(?:(?P<family>[a-z0-9]+)-)?custom-(?P<cpus>\d+)-(?P<mb>\d+)(?P<ext>-ext)?$")


def custom_machine(machine_type: str) -> CustomMachine | None:
    """The parts of a custom machine type, None for a predefined one. `custom-` alone is
    N1; memory is given in MB (a multiple of 256) and billed per GB (1,024 MB)."""
    match = _CUSTOM.match(machine_type.lower())
    if match is None:
        return None
    family = match["family"] or "n1"
    vcpus = int(match["cpus"])
    memory = Decimal(match["mb"]) / 1024
    extended = Decimal(0)
    if match["ext"]:
        ceiling = vcpus * CUSTOM_MAX_GB_PER_VCPU.get(family, Decimal(8))
        extended = max(memory - ceiling, Decimal(0))
        memory -= extended
    return CustomMachine(family, vcpus, memory, extended)


GPUS_ONLY_BUNDLED = {
    "nvidia-tesla-a100": "A2",
    "nvidia-a100-80gb": "A2",
    "nvidia-h100-80gb": "A3",
    "nvidia-h100-mega-80gb": "A3",
    "nvidia-l4": "G2",
}
"""GPUs Compute Engine sells only inside accelerator-optimised machine types, never attached
to an N1 VM (Compute Engine GPU platforms)."""

RETIRED_GPUS = {"nvidia-tesla-k80": "Google ended support for NVIDIA K80 GPUs on 2024-05-01"}
"""GPUs Compute Engine no longer sells: no current price exists."""


def short_name(value: Any) -> str:
    """Last segment of a self link or type path (`.../acceleratorTypes/nvidia-tesla-t4`)."""
    return str(value).rstrip("/").rsplit("/", 1)[-1]


def persistent_disk(label: str, disk_type: Any, size: Any) -> Disk:
    """A persistent disk of a known size (the type defaults to pd-standard); a size that
    comes from an image or snapshot is missing, never guessed."""
    size = scalar(size, f"{label} size")
    if size is None or is_unknown(size) or size == 0:
        return Disk(
            label,
            missing=f"{label}: size comes from the image or snapshot at apply time; not priced",
        )
    unset = disk_type in (None, "") or is_unknown(disk_type)
    return Disk(label, DEFAULT_DISK_TYPE if unset else short_name(disk_type), Decimal(size))


def instance_disks(resource: Resource) -> tuple[Disk, ...]:
    """An instance's boot disk (attached disks are their own `google_compute_disk`)."""
    params = first(first(resource.attr("boot_disk")).get("initialize_params"))
    return (persistent_disk("Boot disk", params.get("type"), params.get("size")),)


def template_disks(template: Resource) -> tuple[Disk, ...]:
    """The disks of an instance template (`disk` blocks, in the order written); a local SSD
    (`type = "SCRATCH"` or `disk_type = "local-ssd"`) is 375 GB unless sized."""
    disks = []
    for disk in block_list(template.attr("disk"), "disk"):
        if disk.get("type") == "SCRATCH" or disk.get("disk_type") == LOCAL_SSD:
            size = number(disk.get("disk_size_gb"))
            disks.append(Disk("Local SSD", LOCAL_SSD, Decimal(size) if size else LOCAL_SSD_GB))
            continue
        disks.append(
            persistent_disk(
                "Boot disk" if disk.get("boot") else "Disk",
                disk.get("disk_type"),
                disk.get("disk_size_gb"),
            )
        )
    return tuple(disks)


def node_disk(pool: Resource) -> Disk:
    """A GKE node's boot disk, GKE's defaults filling what is unset."""
    return node_disk_of(first(pool.attr("node_config")))


def node_disk_of(config: Mapping[str, Any]) -> Disk:
    """The boot disk a `node_config` block gives each node, GKE's defaults filling the rest."""
    node = node_config_of(config)
    return persistent_disk("Node boot disk", node.disk_type, node.disk_size_gb)


LOCAL_SSD = "local-ssd"
"""The disk type (and catalog product) of a local SSD."""

LOCAL_SSD_GB = Decimal(375)
"""A local SSD disk is 375 GB unless a `scratch_disk` says `size` (Compute Engine local SSD)."""

NODE_LOCAL_SSD_BLOCKS = (
    "ephemeral_storage_local_ssd_config",
    "local_nvme_ssd_block_config",
    "ephemeral_storage_config",
)
"""`node_config` blocks that attach local SSDs to GKE nodes (besides `local_ssd_count`)."""


def instance_local_ssd_gb(resource: Resource) -> Decimal:
    """GB of local SSD an instance attaches (`scratch_disk` blocks)."""
    total = Decimal(0)
    for disk in block_list(resource.attr("scratch_disk"), "scratch_disk"):
        size = number(disk.get("size"))
        total += Decimal(size) if size else LOCAL_SSD_GB
    return total


def node_local_ssd_gb(config: Mapping[str, Any]) -> Decimal:
    """GB of local SSD each GKE node of a `node_config` block attaches."""
    count = number(config.get("local_ssd_count")) or 0
    for name in NODE_LOCAL_SSD_BLOCKS:
        count += number(first(config.get(name)).get("local_ssd_count")) or 0
    return Decimal(count) * LOCAL_SSD_GB


def market(resource: Resource) -> Market:
    """Spot for `provisioning_model = "SPOT"` or `preemptible = true` (instances and
    templates: `scheduling`; node pools: `node_config`'s `spot` / `preemptible`)."""
    if resource.type == "google_container_node_pool":
        return config_market(first(resource.attr("node_config")))
    scheduling = first(resource.attr("scheduling"))
    spot = scheduling.get("provisioning_model") == "SPOT" or scheduling.get("preemptible") is True
    return Market.SPOT if spot else Market.ON_DEMAND


def config_market(config: Mapping[str, Any]) -> Market:
    """Spot for a `node_config` block with `spot` or `preemptible` set."""
    spot = config.get("spot") is True or config.get("preemptible") is True
    return Market.SPOT if spot else Market.ON_DEMAND


TEMPLATE_TYPES = ("google_compute_instance_template", "google_compute_region_instance_template")


def instance_template(manager: Resource, index: StackIndex) -> Resource | None:
    """The instance template a (regional) instance group manager launches: its first
    `version` block's template, else the legacy `instance_template` attribute."""
    for attribute in ("version.instance_template", "instance_template"):
        for type_ in TEMPLATE_TYPES:
            found = index.referenced(manager, attribute, type_)
            if found is not None:
                return found
    return None


DEFAULT_POOL = "default_pool"
"""The label of a cluster's default node pool (usage `instances` applies to it)."""

GKE_REGIONAL_ZONES = 3
"""A regional GKE cluster without node_locations runs its node pools in 3 zones."""


def is_zone(location: str) -> bool:
    """`us-central1-a` is a zone; `us-central1` (and a multi-region such as `US`) is not."""
    parts = location.split("-")
    return len(parts) == 3 and len(parts[2]) == 1


def cluster_location(cluster: Resource) -> str:
    """A GKE cluster's location (zone or region), else its provider's region."""
    return text(cluster.attr("location")) or cluster.region or ""


def node_pool_zones(pool: Resource, index: StackIndex) -> tuple[int, str]:
    """How many zones a GKE node pool runs `node_count` nodes in, and why: its own
    `node_locations`, else its cluster's (a zonal cluster adds its own zone), else one
    zone for a zonal location and 3 for a regional one — the location being the pool's,
    else its cluster's, else the provider's region."""
    cluster = index.referenced(pool, "cluster", "google_container_cluster")
    location = text(pool.attr("location")) or (
        text(cluster.attr("location")) if cluster is not None else None
    )
    return _zones(pool.attr("node_locations"), location or pool.region or "", cluster)


def cluster_pool_zones(cluster: Resource, pool: Mapping[str, Any]) -> tuple[int, str]:
    """The zones of a pool declared in a `google_container_cluster` (an inline `node_pool`
    block or the default pool): the same rule as `node_pool_zones`, location the cluster's."""
    return _zones(pool.get("node_locations"), cluster_location(cluster), cluster)


def _zones(own: Any, location: str, cluster: Resource | None) -> tuple[int, str]:
    if isinstance(own, tuple) and own:
        return len(own), "node_locations"
    zonal = is_zone(location)
    inherited = cluster.attr("node_locations") if cluster is not None else None
    if isinstance(inherited, tuple) and inherited:
        zones = len(inherited) + (1 if zonal and location not in inherited else 0)
        return zones, f"the cluster's node_locations ({zones} zones)"
    if zonal:
        return 1, f"zonal location {location}"
    return GKE_REGIONAL_ZONES, f"regional location {location}"


def guest_accelerators(resource: Resource) -> tuple[tuple[str, int], ...]:
    """(accelerator type, count per instance) attached to an instance, template or node
    pool (`guest_accelerator`, under `node_config` for node pools)."""
    block = resource.attr("guest_accelerator")
    if resource.type == "google_container_node_pool":
        block = resource.attr("node_config", "guest_accelerator")
    return tuple(
        (str(item["type"]), number(item.get("count")) or 1)
        for item in blocks(block)
        if text(item.get("type"))
    )


def autopilot(cluster: Resource) -> bool:
    """Whether a `google_container_cluster` runs in Autopilot mode (`enable_autopilot`)."""
    return cluster.attr("enable_autopilot") is True


def cluster_node_pools(cluster: Resource) -> tuple[tuple[str, Mapping[str, Any]], ...]:
    """The node pools a `google_container_cluster` creates, each (label, pool block).

    The GKE API takes either `node_pool` blocks or a default pool (`initial_node_count` and
    `node_config`), never both: with `node_pool` blocks the cluster has exactly those
    pools. The default pool is deleted after creation when `remove_default_node_pool`
    is true, so it is not priced then.
    """
    inline = blocks(cluster.attr("node_pool"))
    if inline:
        return tuple(
            (f"node_pool[{text(pool.get('name')) or i}]", pool) for i, pool in enumerate(inline)
        )
    if cluster.attr("remove_default_node_pool") is True:
        return ()
    default = {
        "initial_node_count": cluster.attr("initial_node_count"),
        "node_config": cluster.attr("node_config"),
        "node_locations": None,
    }
    return ((DEFAULT_POOL, default),)
