"""The typed facts pricing and policy read: frozen, cloud-neutral where the clouds agree."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from costgate.model import EMPTY, Resource


class Market(str, enum.Enum):
    """How a compute resource buys its capacity: the rate it is billed at."""

    ON_DEMAND = "on-demand"
    SPOT = "spot"
    """Spot, preemptible, Azure Spot: interruptible at the spot rate."""
    LOW_PRIORITY = "low-priority"
    """Azure Machine Learning low-priority nodes (their own rate)."""
    CAPACITY_BLOCK = "capacity-block"
    """EC2 Capacity Blocks for ML: reserved GPU capacity at a block rate."""


@dataclass(frozen=True, slots=True)
class LifecycleRule:
    """One lifecycle rule of a bucket, reduced to the objects it applies to and its actions.

    A rule applies to objects under `prefix`; a rule that also filters on object tags,
    size or name suffix applies to objects the usage file cannot single out, so it is
    never applied to a whole bucket's (or prefix's) volume.
    """

    id: str
    prefix: str
    transitions: tuple[tuple[Decimal, str], ...]
    expire_days: Decimal | None
    object_tags: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    other_filters: tuple[str, ...] = ()
    """Filters other than prefix and tags, described (`object size > 1000000 bytes`)."""

    @property
    def narrowed(self) -> bool:
        """Whether the rule picks objects by more than their prefix."""
        return bool(self.object_tags or self.other_filters)

    def describe_filter(self) -> str:
        """The rule's non-prefix filters in words, for notes."""
        # Azure index tags carry their operator in the value (`== done`)
        parts = [
            f"tag {k} {v}" if v[:1] in ("=", "<", ">") else f"tag {k}={v}"
            for k, v in self.object_tags.items()
        ]
        return ", ".join([*parts, *self.other_filters])


@dataclass(frozen=True, slots=True)
class ObjectStorage:
    """A bucket or storage account: its first storage class and its lifecycle rules."""

    resource: Resource
    service: str
    """Catalog service of its storage classes (`s3`, `gcs`, `blob`)."""
    initial_class: str
    initial_class_assumed: bool
    """True when the class is the cloud's default because none is set."""
    rules: tuple[LifecycleRule, ...]
    declared_in: Resource | None
    """The resource that declares the rules, when not the bucket itself."""
    replication: str = ""
    """Azure redundancy (`LRS`, `GRS`, ...), part of the product name."""
    charges_transitions: bool = True
    """False on GCS: class changes are free and minimum durations run from object
    creation, so only a deletion before the final class's minimum is charged."""
    notes: tuple[str, ...] = ()
    """What the rules say that is not modelled, and why."""
    product_prefix: str = ""
    """Azure: the catalog product family of the account kind (`BlobStorage_`, `HNS_`)."""

    def rule_for(self, prefix: str) -> LifecycleRule | None:
        """The rule that governs objects under *prefix*: the longest matching rule prefix
        among rules that filter by prefix alone."""
        matching = [r for r in self.rules if not r.narrowed and prefix.startswith(r.prefix)]
        return max(matching, key=lambda r: len(r.prefix)) if matching else None

    def narrowed_rules(self) -> tuple[LifecycleRule, ...]:
        """Rules that filter by object tags, size or suffix (not applied to volumes)."""
        return tuple(r for r in self.rules if r.narrowed)

    def products(self, storage_class: str) -> tuple[str, ...]:
        """Catalog products for a storage class, most specific first."""
        if self.service == "blob":
            family = self.product_prefix + storage_class
            return (f"{family}_{self.replication or 'LRS'}", f"{storage_class}_LRS")
        if self.service == "s3" and storage_class == "INTELLIGENT_TIERING":
            return ("INTELLIGENT_TIERING_FREQUENT", storage_class)
        return (storage_class,)


@dataclass(frozen=True, slots=True)
class Machines:
    """One kind of machine a resource runs, and how many of them at most."""

    machine_type: str
    instances: int | None
    accelerators: tuple[tuple[str, int], ...] = ()
    """Accelerators attached per instance by type name (GCP `guest_accelerator`)."""


@dataclass(frozen=True, slots=True)
class Disk:
    """A block volume, persistent disk or managed disk as the cloud will create it, or why
    it cannot be sized before apply (`missing`: a missing component of the resource)."""

    label: str
    type: str = ""
    size_gb: Decimal = Decimal(0)
    iops: Any = None
    throughput: Any = None
    assumed: str = ""
    """The default the cloud applies, stated where it is used (`volume type not set ...`)."""
    missing: str = ""
    priced_as: str = ""
    """The plan resource that prices this disk (a boot disk attached by reference to its
    own disk resource): the owner prices nothing for it and says so."""
    elsewhere: str = ""
    """Why this disk is billed outside the resource and the plan's prices (an unmanaged VHD
    in a storage account, an attached existing disk): said in a note, not a missing cost."""


@dataclass(frozen=True, slots=True)
class EndpointVariant:
    """One production variant of a SageMaker endpoint configuration: instances it hosts on
    (`instance_type` may be UNKNOWN), or serverless (billed per request)."""

    name: str
    instance_type: Any
    count: Decimal
    serverless: bool


@dataclass(frozen=True, slots=True)
class NodeConfig:
    """A GKE node pool's machine and boot disk, with GKE's defaults where unset; values
    known only after apply stay UNKNOWN."""

    machine_type: Any
    machine_assumed: bool
    disk_type: Any
    disk_size_gb: Any
    disk_defaults: tuple[str, ...] = ()
    """GKE's defaults the boot disk takes ("pd-balanced is GKE's default type"), for the line."""


@dataclass(frozen=True, slots=True)
class AwsFleet:
    """What an Auto Scaling group or EKS node group launches, resolved through its
    launch template (or a group's launch configuration): the instance types (overrides or
    `instance_types` first, else the template's), the template, and the on-demand share
    of a mixed group."""

    template: Resource | None
    """The `aws_launch_template`, or the group's `aws_launch_configuration`."""
    instance_types: tuple[str, ...]
    type_source: str
    """Where the types come from, for messages (`instance_types`, `launch template ...`)."""
    types_unknown: bool
    """The attribute that names the types is known only after apply."""
    assumed: str
    """Why the types are the cloud's default (`the EKS default`), or '' when set."""
    mixed: bool
    on_demand_base: Decimal
    on_demand_percent: Decimal
    spot_template: bool
    """The launch template requests spot (`instance_market_options.market_type`)."""
    weights: tuple[Decimal, ...] = ()
    """Capacity units each of `instance_types` counts for (mixed instances policy
    `weighted_capacity`; 1 when unset): the group's sizes are in these units."""


@dataclass(frozen=True, slots=True)
class OsLicence:
    """The operating system a VM boots, read from its boot image (or GKE node image type),
    and the premium licence Google bills per hour on top of the machine for it.

    `kind` is the catalog kind of the licence rate (`windows`, `rhel`, `rhel_sap`, `sles`,
    `sles_sap`; service `license`, product the machine type); None when no licence is
    priced. `unpriced` lists licences the image bills that the price data does not hold
    (SQL Server, Ubuntu Pro), each with why; `note` says why no licence is priced when the
    image cannot be read or comes from a project that is not Google's (empty for free
    public images)."""

    os: str = ""
    """What the licence is named after (`Windows Server`), empty when no licence applies."""
    kind: str | None = None
    source: str = ""
    """How the OS was read (`premium image windows-cloud/windows-2022`)."""
    unpriced: tuple[tuple[str, str], ...] = ()
    note: str = ""
