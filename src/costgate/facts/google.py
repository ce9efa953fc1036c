"""Google Cloud facts: Cloud Storage lifecycle rules with their conditions, and the
accelerators attached to instances and node pools."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from costgate.facts.index import StackIndex
from costgate.facts.specs import (
    Disk,
    LifecycleRule,
    Market,
    NodeConfig,
    ObjectStorage,
    OsLicence,
)
from costgate.facts.values import (
    MalformedAttribute,
    block_list,
    blocks,
    days,
    first,
    number,
    scalar,
    text,
)
from costgate.model import Origin, Resource, is_unknown

DEFAULT_DISK_TYPE = "pd-standard"
"""google_compute_instance / google_compute_disk default disk type."""

GKE_DEFAULT_MACHINE_TYPE = "e2-medium"
GKE_DEFAULT_DISK_GB = Decimal(100)
GKE_DEFAULT_DISK_TYPE = "pd-balanced"
"""GKE node defaults when node_config leaves them unset (GKE documentation)."""

LEGACY_CLASSES = {"REGIONAL": "STANDARD", "MULTI_REGIONAL": "STANDARD"}
"""Legacy GCS class names: Google bills Regional and Multi-Regional storage as Standard in
the bucket's location (storage classes documentation, "Legacy storage classes")."""

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
                target = str(action["storage_class"]).upper()
                transitions.append((age, LEGACY_CLASSES.get(target, target)))
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
    initial_class = (initial or "STANDARD").upper()
    if initial_class in LEGACY_CLASSES:
        notes.append(f"{initial_class} is billed as {LEGACY_CLASSES[initial_class]}")
        initial_class = LEGACY_CLASSES[initial_class]
    return ObjectStorage(
        resource=bucket,
        service="gcs",
        initial_class=initial_class,
        initial_class_assumed=initial is None,
        rules=folded,
        declared_in=None,
        charges_transitions=False,
        notes=tuple(dict.fromkeys(notes)),
    )


def node_config(pool: Resource) -> NodeConfig:
    """A node pool's machine type and boot disk, GKE's defaults filling what is unset."""
    return node_config_of(first(pool.attr("node_config")), pool)


def node_config_of(
    config: Mapping[str, Any], owner: Resource | None = None, path: str = "node_config"
) -> NodeConfig:
    """A `node_config` block (of a node pool, an inline `node_pool` or a cluster's default
    pool) with GKE's defaults filling what is unset.

    A Terraform plan shows `machine_type`, `disk_type` and `disk_size_gb` unknown when the
    configuration leaves them out (the provider reads GKE's choice back after apply), so in
    the *owner*'s plan an unknown value is unset unless the configuration at *path* refers
    to another resource for it, which only apply can tell. Other inputs leave unset values
    out, so there an unknown value stays unknown (a variable without a value, say)."""
    in_plan = owner is not None and owner.origin is Origin.TERRAFORM_PLAN
    references = owner.references if owner is not None else {}

    def setting(key: str) -> Any:
        value = config.get(key)
        if is_unknown(value) and in_plan and not references.get(f"{path}.{key}"):
            return None  # unset: GKE's default, said on the line
        return value

    machine = scalar(setting("machine_type"), "node_config.machine_type")
    disk_type, disk_size = setting("disk_type"), setting("disk_size_gb")
    defaults = []
    if not disk_type:
        defaults.append(f"{GKE_DEFAULT_DISK_TYPE} is GKE's default type")
    if not disk_size:
        defaults.append(f"{GKE_DEFAULT_DISK_GB} GB is GKE's default size")
    return NodeConfig(
        machine_type=GKE_DEFAULT_MACHINE_TYPE if machine is None or machine == "" else machine,
        machine_assumed=machine is None or machine == "",
        disk_type=disk_type or GKE_DEFAULT_DISK_TYPE,
        disk_size_gb=disk_size or GKE_DEFAULT_DISK_GB,
        disk_defaults=tuple(defaults),
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
    if vcpus < 1 or int(match["mb"]) < 256 or int(match["mb"]) % 256:
        raise MalformedAttribute(
            "machine_type",
            "a custom machine type with 1 or more vCPUs and memory in MB, a multiple of 256",
            machine_type,
        )
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


IMAGE_SIZED = "size comes from the image or snapshot at apply time"
"""Why a persistent disk without a size is missing: Compute Engine sizes it from its
source image or snapshot when it creates it, which the plan does not say."""


def persistent_disk(label: str, disk_type: Any, size: Any) -> Disk:
    """A persistent disk of a known size (the type defaults to pd-standard); a size that
    comes from an image or snapshot, or is unknown until apply, is missing, never guessed."""
    size = scalar(size, f"{label} size")
    if size is None or is_unknown(size) or size == 0:  # a plan shows an unset size unknown
        return Disk(label, missing=IMAGE_SIZED)
    unset = disk_type in (None, "") or is_unknown(disk_type)
    return Disk(label, DEFAULT_DISK_TYPE if unset else short_name(disk_type), Decimal(size))


def boot_source(resource: Resource, index: StackIndex | None) -> tuple[bool, Resource | None]:
    """Whether an instance's boot disk is attached from an existing disk
    (`boot_disk.source` refers to one or names one), and the `google_compute_disk` it
    refers to when *index* has it. A plan shows `source` unknown whenever it is unset (the
    provider fills it in at apply), so an unknown value without a reference is no source."""
    if resource.references.get("boot_disk.source"):
        disk = (
            index.referenced(resource, "boot_disk.source", "google_compute_disk") if index else None
        )
        return True, disk
    source = first(resource.attr("boot_disk")).get("source")
    return source not in (None, "") and not is_unknown(source), None


def instance_disks(resource: Resource, index: StackIndex | None = None) -> tuple[Disk, ...]:
    """An instance's boot disk (attached disks are their own `google_compute_disk`). A boot
    disk attached from a `google_compute_disk` in the plan is priced as that resource; one
    attached from a disk outside the plan has no size the plan states (missing)."""
    boot = resource.attr("boot_disk")
    if is_unknown(boot):
        return (Disk("Boot disk", missing="boot_disk unknown until apply"),)
    attached, disk = boot_source(resource, index)
    if disk is not None:
        return (Disk("Boot disk", priced_as=disk.address),)
    if attached:
        why = "boot_disk.source names a disk outside this plan, whose size the plan does not give"
        return (Disk("Boot disk", missing=why),)
    params = first(first(boot).get("initialize_params"))
    return (persistent_disk("Boot disk", params.get("type"), params.get("size")),)


def template_disks(template: Resource) -> tuple[Disk, ...]:
    """The disks of an instance template (`disk` blocks, in the order written); a local SSD
    (`type = "SCRATCH"` or `disk_type = "local-ssd"`) is 375 GB unless sized."""
    disks = []
    for disk in block_list(template.attr("disk"), "disk"):
        if is_unknown(disk):
            disks.append(Disk("Disk", missing="the disk block is unknown until apply"))
            continue
        if disk.get("type") == "SCRATCH" or disk.get("disk_type") == LOCAL_SSD:
            size = optional_amount(disk.get("disk_size_gb"), "disk.disk_size_gb")
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
    return node_disk_of(first(pool.attr("node_config")), pool)


def node_disk_of(
    config: Mapping[str, Any], owner: Resource | None = None, path: str = "node_config"
) -> Disk:
    """The boot disk a `node_config` block gives each node, GKE's defaults filling the rest
    (unknown values read as `node_config_of` reads them)."""
    node = node_config_of(config, owner, path)
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
    """GB of local SSD an instance attaches (`scratch_disk` blocks; one unknown until
    apply, like one without `size`, is Google's default 375 GB)."""
    total = Decimal(0)
    for disk in block_list(resource.attr("scratch_disk"), "scratch_disk"):
        size = optional_amount(first(disk).get("size"), "scratch_disk.size")
        total += Decimal(size) if size else LOCAL_SSD_GB
    return total


def node_local_ssd_gb(config: Mapping[str, Any]) -> Decimal:
    """GB of local SSD each GKE node of a `node_config` block attaches."""
    count = optional_amount(config.get("local_ssd_count"), "local_ssd_count") or 0
    for name in NODE_LOCAL_SSD_BLOCKS:
        found = first(config.get(name)).get("local_ssd_count")
        count += optional_amount(found, f"{name}.local_ssd_count") or 0
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


def region_of_location(location: str) -> str:
    """The region of a zone (`us-central1-a` -> `us-central1`); a region stays as it is."""
    return location.rsplit("-", 1)[0] if is_zone(location) else location


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


BLANK_DISK_GB: Mapping[str, Decimal] = {
    "pd-standard": Decimal(500),
    "pd-balanced": Decimal(100),
    "pd-ssd": Decimal(100),
    "pd-extreme": Decimal(1000),
    "hyperdisk-extreme": Decimal(1024),
}
"""Size Compute Engine gives a blank disk created without `sizeGb`: 500 GB for the default
pd-standard (disks.insert reference: "create an empty 500 GB data disk by omitting all
properties"); 100 GB for pd-balanced and pd-ssd and 1,000 GB for pd-extreme (`gcloud
compute disks create --size`); 1 TiB (1,024 GB, Compute Engine's GB being GiB) for
Hyperdisk Extreme ("The default size is 1 TiB", About Hyperdisk Extreme). Other types are
not listed: their default is not assumed."""

SNAPSHOT_MULTI_REGIONS = {"us": "us", "northamerica": "us", "europe": "eu", "asia": "asia"}
"""Region prefix -> the multi-region Compute Engine stores a snapshot in by default ("the
Cloud Storage multi-region closest to the source disk"); other prefixes are not assumed."""

_MAX_CHAIN = 8
"""How many image/snapshot/disk links are followed to find a size (a cycle stops here)."""


def disk_type(disk: Resource) -> tuple[str, bool]:
    """A `google_compute_disk`'s type (short name) and whether it was the pd-standard default."""
    raw = disk.attr("type")
    if raw in (None, "") or is_unknown(raw):
        return DEFAULT_DISK_TYPE, True
    return short_name(raw), False


def disk_size(disk: Resource, index: StackIndex, depth: int = 0) -> tuple[Decimal | None, str]:
    """A `google_compute_disk`'s size in GB and why, or None and the reason it is unknown.

    `size` when set; else the size of the image or snapshot it is made from when that
    resource is in the plan (a disk is at least as large as its source); else, for a blank
    disk, the size Compute Engine gives it (`BLANK_DISK_GB`). `size` is Optional + Computed
    in the google provider, so a plan shows it unknown when it is not set: read as unset,
    and the reason says so.
    """
    raw = disk.attr("size")
    if not is_unknown(raw) and raw not in (None, "", 0):
        return amount(raw, "size"), ""
    found, why = _unset_disk_size(disk, index, depth)
    if is_unknown(raw):
        why = f"size unknown in the plan (not set, or known only after apply); {why}"
    return found, why


def _unset_disk_size(disk: Resource, index: StackIndex, depth: int) -> tuple[Decimal | None, str]:
    """`disk_size` of a disk that does not set `size`."""
    for attribute, type_, size_of in (
        ("image", "google_compute_image", image_size),
        ("snapshot", "google_compute_snapshot", snapshot_size),
    ):
        source = disk.attr(attribute)
        if source in (None, ""):
            continue
        found = index.referenced(disk, attribute, type_)
        size = size_of(found, index, depth + 1) if found is not None else None
        if found is None or size is None:
            where = "" if is_unknown(source) else f" {short_name(source)}"
            return None, (
                f"size comes from the {attribute}{where}, whose size is not in this plan; set size"
            )
        return size, f"size not set: {size} GB, the size of its {attribute} {found.address}"
    type_name, _ = disk_type(disk)
    default = BLANK_DISK_GB.get(type_name)
    if default is None:
        return None, f"size not set and no default size is known for {type_name}; set size"
    return default, (
        f"size not set: {default} GB, the size Compute Engine gives a blank {type_name} disk"
    )


def amount(value: Any, what: str) -> Decimal:
    """A non-negative number attribute (`size`, `provisioned_iops`); anything else is
    malformed input, reported with the attribute's name."""
    try:
        found = Decimal(str(scalar(value, what)))
    except (InvalidOperation, ValueError):
        raise MalformedAttribute(what, "a number", value) from None
    if not found.is_finite() or found < 0 or isinstance(value, bool):
        raise MalformedAttribute(what, "a number of zero or more", value)
    return found


def optional_amount(value: Any, what: str) -> Decimal | None:
    """`amount` of an optional attribute: None when unset or unknown until apply."""
    if value is None or value == "" or is_unknown(value):
        return None
    return amount(value, what)


def image_size(image: Resource, index: StackIndex, depth: int = 0) -> Decimal | None:
    """The disk size a `google_compute_image` gives: `disk_size_gb`, else the size of its
    source image, snapshot or disk when that is in the plan."""
    if depth > _MAX_CHAIN:
        return None
    size = number(image.attr("disk_size_gb"))
    if size:
        return Decimal(size)
    for attribute, type_ in (
        ("source_image", "google_compute_image"),
        ("source_snapshot", "google_compute_snapshot"),
        ("source_disk", "google_compute_disk"),
    ):
        found = index.referenced(image, attribute, type_)
        if found is None:
            continue
        if type_ == "google_compute_image":
            return image_size(found, index, depth + 1)
        if type_ == "google_compute_snapshot":
            return snapshot_size(found, index, depth + 1)
        return disk_size(found, index, depth + 1)[0]
    return None


def snapshot_size(snapshot: Resource, index: StackIndex, depth: int = 0) -> Decimal | None:
    """The size of the disk a `google_compute_snapshot` was taken from, when in the plan."""
    if depth > _MAX_CHAIN:
        return None
    source = index.referenced(snapshot, "source_disk", "google_compute_disk")
    return disk_size(source, index, depth + 1)[0] if source is not None else None


def snapshot_location(snapshot: Resource, region: str) -> tuple[str | None, str]:
    """Where a snapshot is stored: its first `storage_locations` entry, else the
    multi-region Compute Engine picks for a source disk in *region*; and why."""
    locations = snapshot.attr("storage_locations")
    if isinstance(locations, (list, tuple)) and locations and not is_unknown(locations[0]):
        return str(locations[0]).lower(), f"storage_locations {locations[0]}"
    multi = SNAPSHOT_MULTI_REGIONS.get(region.split("-", 1)[0])
    if multi is None:
        return None, f"no storage_locations and no default multi-region known for {region}"
    return multi, f"storage_locations not set: the {multi} multi-region nearest {region}"


TPU_VERSIONS = {"v5litepod": "v5e", "v5lite": "v5e"}
"""`accelerator_type` prefixes that name a TPU version differently (v5e is `v5litepod-N`)."""

TPU_CONFIG_TYPES = {
    "V2": "v2",
    "V3": "v3",
    "V4": "v4",
    "V5LITE_POD": "v5e",
    "V5P": "v5p",
    "V6E": "v6e",
}
"""`accelerator_config.type` of google_tpu_v2_vm -> TPU version."""

TPU_CORES_PER_CHIP = {"v2": 2, "v3": 2, "v4": 2, "v5p": 2}
"""Versions whose `accelerator_type` suffix counts TensorCores (2 a chip: v4-8 is 4 chips);
v5e and v6e count chips (v5litepod-8, v6e-8 are 8 chips). Cloud TPU system architecture."""

TPU_DEFAULT_TYPE = "v2-8"
"""google_tpu_v2_vm's `accelerator_type` when neither it nor `accelerator_config` is set."""


def tpu_slice(tpu: Resource) -> tuple[str, int, str] | str:
    """A TPU VM's or node's (version, chips, how it was read), or the reason it is unknown.

    `accelerator_type` (`v6e-8`, `v5litepod-16`, `v5p-8`, `v4-32`) gives the version and the
    chips (TensorCores / 2 for v2-v5p); `accelerator_config` gives the version and a
    topology whose dimensions multiply to the chips (`2x2x1` is 4).
    """
    config = first(tpu.attr("accelerator_config"))
    raw = tpu.attr("accelerator_type")
    if is_unknown(raw) or is_unknown(config):
        return "accelerator type unknown until apply"
    if config and not raw:
        version = TPU_CONFIG_TYPES.get(str(config.get("type", "")).upper())
        topology = str(config.get("topology") or "")
        dims = topology.lower().split("x")
        if version is None or not all(d.isdigit() for d in dims):
            return f"accelerator_config {config.get('type')} {topology} is not a known TPU slice"
        chips = 1
        for d in dims:
            chips *= int(d)
        return version, chips, f"accelerator_config {config.get('type')} {topology}"
    name = str(raw) if raw else TPU_DEFAULT_TYPE
    prefix, _, size = short_name(name).rpartition("-")
    if not prefix or not size.isdigit():
        return f"accelerator_type {name} is not a known TPU slice"
    version = TPU_VERSIONS.get(prefix, prefix)
    cores = TPU_CORES_PER_CHIP.get(version, 1)
    why = name if raw else f"{name} (accelerator_type not set: the provider default)"
    return version, max(int(size) // cores, 1), why


def tpu_spot(tpu: Resource) -> bool:
    """Whether a TPU runs as Spot / preemptible (`scheduling_config`)."""
    scheduling = first(tpu.attr("scheduling_config"))
    return scheduling.get("spot") is True or scheduling.get("preemptible") is True


PREMIUM_IMAGE_PROJECTS: Mapping[str, tuple[str, str | None]] = {
    "windows-cloud": ("Windows Server", "windows"),
    "windows-sql-cloud": ("Windows Server", "windows"),
    "rhel-cloud": ("Red Hat Enterprise Linux", "rhel"),
    "rhel-sap-cloud": ("RHEL for SAP", "rhel_sap"),
    "suse-cloud": ("SUSE Linux Enterprise Server", "sles"),
    "suse-sap-cloud": ("SLES for SAP", "sles_sap"),
    "ubuntu-os-pro-cloud": ("Ubuntu Pro", None),
}
"""Google's public image projects whose images bill a premium licence per hour on top of
the machine ("Premium images": RHEL and RHEL for SAP, SLES and SLES for SAP, Ubuntu Pro,
Windows Server, SQL Server; Compute Engine disk and image pricing, and "Operating system
details"): project -> (OS the licence is named after, catalog kind of its rate, None when
the price data has no rate)."""

UNPRICED_LICENCES: Mapping[str, tuple[str, str]] = {
    "windows-sql-cloud": (
        "SQL Server licence",
        "SQL Server images also bill a SQL Server licence per vCPU, which the price data "
        "(pricing.yml compute.license) does not hold",
    ),
    "ubuntu-os-pro-cloud": (
        "Ubuntu Pro licence",
        "Ubuntu Pro images bill a licence the price data (pricing.yml compute.license) does "
        "not hold",
    ),
}
"""Licences a premium project's images bill that the catalog has no rate for: listed as
missing components (partial pricing), never $0."""

FREE_IMAGE_PROJECTS = frozenset(
    {
        "debian-cloud",
        "ubuntu-os-cloud",
        "ubuntu-os-accelerator-images",
        "cos-cloud",
        "centos-cloud",
        "rocky-linux-cloud",
        "rocky-linux-accelerator-cloud",
        "almalinux-cloud",
        "fedora-coreos-cloud",
        "opensuse-cloud",
        "rhel-byos-cloud",
        "suse-byos-cloud",
        "deeplearning-platform-release",
    }
)
"""Google's public image projects with no licence charge (Debian, Ubuntu, Container-Optimized
OS, CentOS, Rocky Linux, AlmaLinux, Fedora CoreOS, openSUSE; RHEL and SLES "bring your own
subscription" images, whose subscription is bought from Red Hat or SUSE; Deep Learning VM
images, built on Debian and Ubuntu)."""

PROVIDER_IMAGE_PROJECTS = (
    ("windows-sql", "windows-sql-cloud"),
    ("windows", "windows-cloud"),
    ("rhel", "rhel-cloud"),
    ("sles", "suse-cloud"),
    ("ubuntu", "ubuntu-os-cloud"),
    ("debian", "debian-cloud"),
    ("centos", "centos-cloud"),
    ("rocky-linux", "rocky-linux-cloud"),
    ("opensuse", "opensuse-cloud"),
    ("coreos", "coreos-cloud"),
)
"""Where the google provider looks for an image or family named without a project, after
the provider's own project: the first project whose key the name contains (its
`ImageMap`, resolveImage in compute_image_helpers; `windows-sql` before `windows`)."""

_IMAGE_PATH = re.compile(
    r"^(?:https://(?:www|compute)\.googleapis\.com/compute/[a-z0-9]+/)?"
    r"projects/(?P<project>[^/]+)/global/images/(?:family/)?(?P<name>[^/]+)$"
)
_IMAGE_SHORTHAND = re.compile(r"^(?P<project>[a-z][-a-z0-9.:]*)/(?P<name>[-_a-zA-Z0-9]+)$")
_OWN_PROJECT_IMAGE = re.compile(r"^(?:global/images/)?(?:family/)?(?P<name>[-_a-zA-Z0-9]+)$")

LICENSE_REGION = "global"
"""Region of premium-image licence rates in the catalog: Google prices them "the same
worldwide" (Compute Engine disk and image pricing, Premium images), one rate per machine
type and OS (service `license`, product the machine type, kind the OS). The catalog build
writes them there and the licence pricer reads them from there."""

WINDOWS_NODE_IMAGE_PREFIX = "WINDOWS_"
"""GKE node image types that run Windows Server (`WINDOWS_LTSC_CONTAINERD`,
`WINDOWS_SAC_CONTAINERD`, and the Docker-based `WINDOWS_LTSC` / `WINDOWS_SAC`): the nodes
are Compute Engine VMs booting Windows Server images, billed the Windows Server licence."""


def image_project(image: str) -> tuple[str | None, str]:
    """The project an image reference names (URL, `projects/P/global/images/[family/]N`,
    `P/N`), or, for a name without a project, the public project the google provider falls
    back to; and how it was read. None: the provider's own project (a private image)."""
    found = _IMAGE_PATH.match(image)
    if found is None and not image.startswith("family/"):
        found = _IMAGE_SHORTHAND.match(image)
    if found is not None:
        return found["project"], ""
    own = _OWN_PROJECT_IMAGE.match(image)
    if own is None or image.startswith("global/"):
        return None, ""
    name = own["name"]
    for key, project in PROVIDER_IMAGE_PROJECTS:
        if key in name:
            return project, (
                f"image {image} named without a project: read as {project}, where the google "
                "provider finds it (an image of that name in the provider's own project would "
                "be used first)"
            )
    return None, ""


def image_licence(image: Any, what: str = "boot image") -> OsLicence:
    """The OS licence a boot image bills, decided by the project it comes from: a premium
    project's licence; nothing for Google's free public projects; for an image of any
    other project (a custom image) no licence, with a note saying so, since an image made
    from a premium image keeps its licence. An image unknown until apply is a note."""
    image = scalar(image, what)
    if is_unknown(image):
        return OsLicence(
            note=f"{what} unknown until apply: the OS, and any premium licence it bills "
            "(Windows Server, RHEL, SLES), cannot be known; no licence priced"
        )
    if not isinstance(image, str) or not image:
        return OsLicence(
            note=f"no {what}: the OS, and any premium licence it bills, is not read; no "
            "licence priced"
        )
    project, how = image_project(image)
    short = f"{project}/{short_name(image)}" if project else image
    if project is not None and project in PREMIUM_IMAGE_PROJECTS:
        os_name, kind = PREMIUM_IMAGE_PROJECTS[project]
        extra = UNPRICED_LICENCES.get(project)
        return OsLicence(
            os=os_name,
            kind=kind,
            source=f"premium image {short}",
            unpriced=(extra,) if extra else (),
            note=how,
        )
    if project in FREE_IMAGE_PROJECTS:
        return OsLicence(source=f"image {short}")
    owner = f"project {project}" if project else "the provider's own project"
    return OsLicence(
        source=f"image {short}",
        note=f"{what} {image} is from {owner}, not one of Google's public image projects: "
        "assumed to bill no premium OS licence (an image made from a Windows Server, RHEL "
        "or SLES image keeps that licence and bills it)",
    )


def os_licence(resource: Resource, index: StackIndex | None = None) -> OsLicence:
    """The OS licence of an instance (`boot_disk.initialize_params.image`, or the `image`
    of the `google_compute_disk` its `boot_disk.source` names when *index* has it), an
    instance template (`source_image` of its boot disk: the `disk` block with
    `boot = true`, else the first) or a GKE node pool (`node_config.image_type`)."""
    if resource.type == "google_container_node_pool":
        return node_os_licence(first(resource.attr("node_config")))
    if resource.type in TEMPLATE_TYPES:
        disks = [d for d in block_list(resource.attr("disk"), "disk") if not is_unknown(d)]
        boot = next((d for d in disks if d.get("boot") is True), disks[0] if disks else None)
        if boot is None:
            return image_licence(None)
        return image_licence(boot.get("source_image"), "boot disk source_image")
    boot_disk = resource.attr("boot_disk")
    if is_unknown(boot_disk):
        return image_licence(boot_disk)
    params = first(first(boot_disk).get("initialize_params"))
    attached, disk = boot_source(resource, index) if not params.get("image") else (False, None)
    if attached:
        if disk is not None:
            return image_licence(disk.attr("image"), f"image of boot disk {disk.address}")
        return OsLicence(
            note="boot disk attached from an existing disk: its OS licence is not read; no "
            "licence priced"
        )
    return image_licence(params.get("image"))


def node_os_licence(config: Mapping[str, Any]) -> OsLicence:
    """The OS licence of GKE nodes: Windows Server for a Windows node image type; the
    Linux node images (Container-Optimized OS, the default, and Ubuntu) bill none."""
    image_type = scalar(config.get("image_type"), "node_config.image_type")
    if is_unknown(image_type):
        return OsLicence(
            note="node_config.image_type unknown until apply: a Windows Server node image "
            "would add its licence; no licence priced"
        )
    if isinstance(image_type, str) and image_type.upper().startswith(WINDOWS_NODE_IMAGE_PREFIX):
        return OsLicence(
            os="Windows Server", kind="windows", source=f"GKE node image type {image_type}"
        )
    return OsLicence()
