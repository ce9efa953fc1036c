"""Azure facts: a storage account's management policy rules with their filters."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from costgate.facts.index import StackIndex
from costgate.facts.specs import Disk, LifecycleRule, Market, ObjectStorage
from costgate.facts.values import (
    MalformedAttribute,
    block_list,
    blocks,
    days,
    first,
    scalar,
    text,
)
from costgate.model import EMPTY, Resource, freeze, is_unknown, strip_indexes

TIER_ACTIONS = (("tier_to_cool", "Cool"), ("tier_to_cold", "Cold"), ("tier_to_archive", "Archive"))
DAY_BASES = ("modification", "creation", "last_access_time")


def market(resource: Resource) -> Market:
    """Spot for `priority = "Spot"` (VMs, scale sets, AKS node pools) and for the legacy
    scale set's `priority = "Low"`, low priority for Azure ML `vm_priority = "LowPriority"`;
    anything else pays as you go."""
    if resource.type == "azurerm_machine_learning_compute_cluster":
        priority = scalar(resource.attr("vm_priority"), "vm_priority")
        low = isinstance(priority, str) and priority.lower() == "lowpriority"
        return Market.LOW_PRIORITY if low else Market.ON_DEMAND
    if low_priority(resource):
        return Market.SPOT
    return pool_market(resource.attributes)


LOW_IS_SPOT = "priority Low: Azure Spot, which replaced low-priority scale sets"
"""Why `priority = "Low"` is priced at the Spot meters: the legacy scale set's only
non-regular priority (the provider accepts Low or Regular), and an ARM value that
azure-native VMs and scale sets still accept (learn.microsoft.com,
Azure.ResourceManager.Compute VirtualMachinePriorityType: "'Low' enum will be deprecated in
the future, please use 'Spot' as the enum to deploy Azure Spot VM/VMSS";
virtual-machine-scale-sets/use-spot)."""


def low_priority(resource: Resource) -> bool:
    """Whether a VM or scale set has ARM's deprecated `priority = "Low"` (`LOW_IS_SPOT`)."""
    priority = scalar(resource.attr("priority"), "priority")
    return isinstance(priority, str) and priority.lower() == "low"


def pool_market(pool: Mapping[str, Any]) -> Market:
    """A VM's or node pool's market from its `priority` (the AKS default pool is a block)."""
    priority = scalar(pool.get("priority"), "priority")
    spot = isinstance(priority, str) and priority.lower() == "spot"
    return Market.SPOT if spot else Market.ON_DEMAND


LINUX_IMAGE_OS_DISK_GB = 30
"""OS disk of the common Linux marketplace images (Canonical Ubuntu, Debian): 30 GiB. The
image decides; RHEL and some others are larger."""
WINDOWS_IMAGE_OS_DISK_GB = 127
"""OS disk of Windows Server marketplace images: 127 GiB ("the default OS drive is often
127 GiB", learn.microsoft.com/azure/virtual-machines/windows/expand-disks); `smalldisk`
image SKUs have 30 GiB."""


LEGACY_STORAGE_BLOCKS = {
    "azurerm_virtual_machine": ("storage_os_disk", "storage_image_reference"),
    "azurerm_virtual_machine_scale_set": (
        "storage_profile_os_disk",
        "storage_profile_image_reference",
    ),
}
"""Where the legacy VM and scale set declare their OS disk and image (the current types use
`os_disk` and `source_image_reference`)."""


UNMANAGED_OS_DISK = ("vhd_uri", "vhd_containers", "image")
"""Legacy OS disk attributes that place the disk as a VHD in a storage account (unmanaged)."""
UNMANAGED_DISK = "unmanaged (a VHD in a storage account, billed as that account's page blobs)"
UNMANAGED = f"OS disk: {UNMANAGED_DISK}; not priced"


def _unmanaged(account_type: Any, *placement: Any) -> bool:
    """Whether a legacy disk is an unmanaged VHD: a *placement* (`vhd_uri`, `vhd_containers`,
    `image`) is set, known or unknown until apply (it is usually built from its storage
    account's endpoint), and no managed type. The provider's `managed_disk_type` is
    Optional + Computed and conflicts with the VHD, so a plan shows it unknown, not null."""
    placed = any(is_unknown(value) or bool(value) for value in placement)
    return placed and (account_type is None or is_unknown(account_type))


def os_disk(resource: Resource) -> Disk | None:
    """A VM's or scale set's OS disk (`os_disk`, legacy `storage_os_disk` or
    `storage_profile_os_disk`); its size is the image's when not set (assumed from the OS and
    image SKU, stated on the line); None when a legacy VM declares none."""
    legacy = LEGACY_STORAGE_BLOCKS.get(resource.type)
    if legacy:
        block = first(resource.attr(legacy[0]))
        if not block:
            if resource.type == "azurerm_virtual_machine":
                return None
            return Disk("OS disk", missing=f"{legacy[0]} unknown until apply")
        account_type = block.get("managed_disk_type")
        if _unmanaged(account_type, *(block.get(k) for k in UNMANAGED_OS_DISK)):
            return Disk("OS disk", elsewhere=UNMANAGED)
    else:
        block = first(resource.attr("os_disk"))
        if not block:
            return Disk("OS disk", missing="os_disk unknown until apply")
        account_type = block.get("storage_account_type")
    size = block.get("disk_size_gb")
    if size is None:
        gb, why = image_os_disk_gb(resource)
        disk = managed_disk("OS disk", account_type, gb)
        return disk if disk.missing else replace(disk, label=f"OS disk ({why})")
    return managed_disk("OS disk", account_type, size)


def windows_vm(resource: Resource) -> bool:
    """A Windows VM or scale set: by type, or for the legacy `azurerm_virtual_machine` and
    `azurerm_virtual_machine_scale_set` the OS disk's `os_type`, a Windows OS profile or a
    Windows image offer."""
    legacy = LEGACY_STORAGE_BLOCKS.get(resource.type)
    if legacy is None:
        return "windows" in resource.type
    disk, image = legacy
    os_type = str(first(resource.attr(disk)).get("os_type") or "")
    offer = str(first(resource.attr(image)).get("offer") or "")
    return (
        os_type.lower() == "windows"
        or bool(resource.attr("os_profile_windows_config"))
        or "windows" in offer.lower()
    )


def image_os_disk_gb(resource: Resource) -> tuple[int, str]:
    """The OS disk size an image gives when `disk_size_gb` is not set, and why."""
    windows = windows_vm(resource)
    legacy = LEGACY_STORAGE_BLOCKS.get(resource.type)
    image = first(resource.attr(legacy[1] if legacy else "source_image_reference"))
    sku = str(image.get("sku") or "").lower()
    if windows and "smalldisk" not in sku:
        return WINDOWS_IMAGE_OS_DISK_GB, (
            f"{WINDOWS_IMAGE_OS_DISK_GB} GiB assumed: Windows Server images' OS disk size"
        )
    kind = "smalldisk Windows" if windows else "Linux marketplace"
    return LINUX_IMAGE_OS_DISK_GB, f"{LINUX_IMAGE_OS_DISK_GB} GiB assumed: {kind} images' size"


def managed_disk(label: str, account_type: Any, size: Any) -> Disk:
    """A managed disk of a known type and size; either taken from the image is missing."""
    size = scalar(size, f"{label} disk_size_gb")
    account_type = scalar(account_type, f"{label} storage account type")
    if size is None or is_unknown(size) or account_type is None or is_unknown(account_type):
        return Disk(
            label,
            missing="size or type unknown until apply (taken from the image)",
        )
    return Disk(label, str(account_type), Decimal(size))


DATA_DISK_BLOCKS = {
    "azurerm_virtual_machine": ("storage_data_disk", "managed_disk_type"),
    "azurerm_virtual_machine_scale_set": ("storage_profile_data_disk", "managed_disk_type"),
}
"""Where a VM or scale set declares its data disks and their account type: the legacy VM's
`storage_data_disk` and legacy scale set's `storage_profile_data_disk` (`managed_disk_type`);
the current Linux / Windows scale sets' `data_disk.storage_account_type` otherwise."""


def data_disks(resource: Resource, index: StackIndex) -> list[Disk]:
    """A VM's or scale set's data disk blocks (`DATA_DISK_BLOCKS`): each a managed disk of its
    account type and `disk_size_gb` (on every instance of a scale set). A disk whose type or
    size is left to Azure (optional and computed on the legacy types) or unknown in the plan
    is missing with the reason, never $0; an unmanaged one (`vhd_uri`) is billed as its
    storage account's page blobs, and an attached existing disk (`create_option = "Attach"`)
    as that disk (`elsewhere`), so it is never priced twice."""
    name, type_key = DATA_DISK_BLOCKS.get(resource.type, ("data_disk", "storage_account_type"))
    if is_unknown(resource.attr(name)):  # a dynamic block over an unknown collection, say
        return [Disk("Data disks", missing=f"{name} unknown until apply")]
    found = block_list(resource.attr(name), name)
    by_reference = [b for b in found if _attaches(b) and text(b.get("managed_disk_id")) is None]
    disks: list[Disk] = []
    for block in found:
        if is_unknown(block):
            disks.append(Disk("Data disk", missing="the data disk is unknown until apply"))
            continue
        lun = scalar(block.get("lun"), f"{name} lun")
        label = "Data disk" if lun is None or is_unknown(lun) else f"Data disk lun {lun}"
        account_type, size = block.get(type_key), block.get("disk_size_gb")
        if _unmanaged(account_type, block.get("vhd_uri")):
            disks.append(Disk(label, elsewhere=f"{label}: {UNMANAGED_DISK}; not priced"))
            continue
        if _attaches(block):
            if "scale_set" in resource.type:  # scale sets: Empty or FromImage only
                raise MalformedAttribute(
                    f"{name} create_option",
                    "Empty or FromImage (a scale set's instances cannot share an attached disk)",
                    block.get("create_option"),
                )
            disk_id = block.get("managed_disk_id")
            alone = len(by_reference) == 1
            disks.append(_attached(resource, index, label, disk_id, alone, name))
            continue
        values = ((type_key, account_type), ("disk_size_gb", size))
        unset = [f"{what} not set (Azure decides it)" for what, value in values if value is None]
        unknown = [f"{what} unknown until apply" for what, value in values if is_unknown(value)]
        if unset or unknown:
            disks.append(Disk(label, missing=", ".join(unset + unknown)))
            continue
        disks.append(managed_disk(label, account_type, size))
    return disks


def _attaches(block: Any) -> bool:
    """Whether a data disk block attaches an existing disk (`create_option = "Attach"`)."""
    option = block.get("create_option") if isinstance(block, Mapping) else None
    return isinstance(option, str) and option.lower() == "attach"


def _attached(
    resource: Resource, index: StackIndex, label: str, disk_id: Any, alone: bool, block: str
) -> Disk:
    """A data disk attached by `managed_disk_id`, never priced on the VM: the
    `azurerm_managed_disk` of this stack with that id, or (id unknown until apply) the one
    its reference names, stated as the assumption, prices it; else it is an existing disk
    billed outside the stack. Only an *alone* Attach block (the VM's only one whose id is
    unknown) is matched by reference: the inputs merge the references of repeated blocks under
    one attribute path, so which block names which disk cannot be told apart."""
    disks = index.of_type("azurerm_managed_disk")
    if text(disk_id) is not None:
        same = [d.address for d in disks if d.attr("id") == disk_id]
        if same:
            return Disk(label, priced_as=same[0])
        return Disk(
            label,
            elsewhere=f"{label}: attached existing disk {disk_id} (create_option Attach), billed "
            "as that disk outside this stack; not priced here",
        )
    if not alone:
        return Disk(
            label,
            elsewhere=f"{label}: attached disk (create_option Attach, managed_disk_id unknown "
            "until apply): assumed billed as its own disk resource, in this stack or outside "
            "it; not priced here",
        )
    bases = list(dict.fromkeys(d.base_address for d in disks))
    named = []
    path = f"{block}.managed_disk_id"
    for ref in resource.references.get(path, ()):
        ref = strip_indexes(ref)
        named += [b for b in bases if (ref == b or ref.startswith(f"{b}.")) and b not in named]
    if not named:
        return Disk(
            label,
            elsewhere=f"{label}: attached existing disk (create_option Attach, managed_disk_id "
            "not from this stack), billed as that disk; not priced here",
        )
    return Disk(
        label,
        priced_as=" or ".join(named),
        assumed="create_option Attach: assumed to be the azurerm_managed_disk its "
        "managed_disk_id refers to, priced there",
    )


def node_pool_cluster(pool: Resource, index: StackIndex) -> Resource | None:
    """The `azurerm_kubernetes_cluster` a node pool belongs to (its location is the
    pool's: node pools have no location of their own)."""
    return index.referenced(pool, "kubernetes_cluster_id", "azurerm_kubernetes_cluster")


def ml_workspace(compute: Resource, index: StackIndex) -> Resource | None:
    """The `azurerm_machine_learning_workspace` an Azure ML compute belongs to (its location
    is the compute's when the compute names none: `location` is optional, or deprecated)."""
    return index.referenced(
        compute, "machine_learning_workspace_id", "azurerm_machine_learning_workspace"
    )


def management_policy(index: StackIndex, account: Resource) -> Resource | None:
    """The `azurerm_storage_management_policy` attached to a storage account."""
    return index.linked_from(
        account, "azurerm_storage_management_policy", "storage_account_id", "id"
    )


def storage_account(account: Resource, index: StackIndex) -> ObjectStorage:
    """The account's access tier and its enabled policy rules, one per prefix it matches;
    a rule that matches blob index tags applies only to the blobs carrying them."""
    policy = management_policy(index, account)
    rules: list[LifecycleRule] = []
    for rule in blocks(policy.attr("rule")) if policy else ():
        if rule.get("enabled") is False:
            continue
        base = first(first(rule.get("actions")).get("base_blob"))
        transitions = tuple(
            (found, tier) for key, tier in TIER_ACTIONS if (found := _days(base, key)) is not None
        )
        filters = first(rule.get("filters"))
        tags = {
            str(t.get("name")): f"{t.get('operation') or '=='} {t.get('value')}"
            for t in blocks(filters.get("match_blob_index_tag"))
        }
        rules.extend(
            LifecycleRule(
                str(rule.get("name") or ""),
                str(prefix),
                transitions,
                _days(base, "delete"),
                freeze(tags) if tags else EMPTY,
            )
            for prefix in filters.get("prefix_match") or ("",)
        )
    sku = account_sku(account)
    notes = []
    prefixes = [r.prefix for r in rules if not r.narrowed]
    if len(prefixes) != len(set(prefixes)) and policy is not None:
        notes.append(f"{policy.address}: several rules match the same blobs; the first is modelled")
    return ObjectStorage(
        resource=account,
        service=sku.service,
        initial_class=sku.tier,
        initial_class_assumed=sku.tier_assumed,
        rules=tuple(rules) if sku.tiered else (),
        declared_in=policy,
        replication=sku.replication,
        notes=tuple(notes),
        product_prefix=sku.prefix,
    )


@dataclass(frozen=True, slots=True)
class AccountSku:
    """What a storage account is billed as: the Retail API product family (as a catalog
    service and product prefix), its first access tier and redundancy, or why Azure would
    not create it (`invalid`: the reason, priced as nothing)."""

    kind: str
    premium: bool
    service: str
    prefix: str
    tier: str
    replication: str
    tier_assumed: bool = False
    hns: bool = False
    invalid: str = ""

    @property
    def tiered(self) -> bool:
        """Whether blobs move between access tiers (lifecycle rules apply)."""
        return self.service == "blob" and not self.premium and self.prefix != "V1_"

    @property
    def product(self) -> str:
        """The catalog product of the account's first tier (`BlobStorage_Cool_GRS`)."""
        return f"{self.prefix}{self.tier}_{self.replication}"

    @property
    def geo_replicated(self) -> bool:
        """Writes are copied to a secondary region and billed per GB (Azure blob and Data
        Lake pricing, "Geo-replication data transfer"; general-purpose v1 accounts pay no
        such charge, their meter is priced 0)."""
        geo = self.replication in ("GRS", "RA-GRS", "GZRS", "RA-GZRS")
        return geo and self.prefix != "V1_" and not self.files

    @property
    def files(self) -> bool:
        """A FileStorage account (Azure Files premium shares)."""
        return self.service == "files"


REPLICATION_SPELLING = {"RAGRS": "RA-GRS", "RAGZRS": "RA-GZRS"}
"""azurerm's `account_replication_type` -> the Retail API's skuName spelling."""

PREMIUM_KINDS = {"BlockBlobStorage": ("blob", ""), "FileStorage": ("files", "")}
"""Premium account kinds Azure sells per GB (storage account overview: premium block
blobs, premium file shares); their redundancy is LRS or ZRS."""

LEGACY_KINDS = {"Storage": "General-purpose v1", "BlobStorage": "Legacy Blob Storage"}
LEGACY_REDUNDANCY = ("LRS", "GRS", "RA-GRS")
"""The redundancy the legacy standard kinds offer (Azure storage account overview, "Legacy
storage account types": general-purpose v1 and Blob Storage accounts, LRS/GRS/RA-GRS);
zone-redundant options exist for general-purpose v2 and the premium kinds only."""


def account_sku(account: Resource) -> AccountSku:
    """The account's billing SKU from `account_kind` (default StorageV2), `account_tier`,
    `account_replication_type`, `access_tier` (default Hot) and `nfsv3_enabled` /
    `is_hns_enabled` (hierarchical namespace: Data Lake Storage meters)."""
    kind = text(account.attr("account_kind")) or "StorageV2"
    premium = (text(account.attr("account_tier")) or "Standard").lower() == "premium"
    raw = (text(account.attr("account_replication_type")) or "LRS").upper()
    replication = REPLICATION_SPELLING.get(raw, raw)
    access = text(account.attr("access_tier"))
    hns = bool(account.attr("nfsv3_enabled")) or bool(account.attr("is_hns_enabled"))
    prefix = "HNS_" if hns else ""
    if premium:
        service, _ = PREMIUM_KINDS.get(kind, ("", ""))
        invalid = ""
        if kind == "BlobStorage":
            invalid = "BlobStorage accounts are Standard only (account_tier Standard)"
        elif not service:
            invalid = (
                f"Premium {kind} accounts hold page blobs, billed per blob size tier (P4-P80), "
                "not per GB; not priced"
            )
        elif replication not in ("LRS", "ZRS"):
            invalid = f"Premium {kind} accounts support LRS or ZRS only, not {replication}"
        return AccountSku(
            kind, True, service or "blob", prefix, "Premium", replication, hns=hns, invalid=invalid
        )
    if kind in PREMIUM_KINDS:
        return AccountSku(
            kind,
            False,
            "blob",
            prefix,
            access or "Hot",
            replication,
            hns=hns,
            invalid=f"{kind} accounts are Premium only (account_tier Premium); Azure does "
            "not create a Standard one",
        )
    legacy = ""
    if kind in LEGACY_KINDS and replication not in LEGACY_REDUNDANCY:
        legacy = (
            f"{LEGACY_KINDS[kind]} ({kind}) accounts support LRS, GRS or RA-GRS only, "
            f"not {replication}"
        )
    if kind == "Storage":
        return AccountSku(kind, False, "blob", "V1_", "Standard", replication, invalid=legacy)
    if kind == "BlobStorage":
        prefix = "BlobStorage_"
    return AccountSku(
        kind,
        False,
        "blob",
        prefix,
        access or "Hot",
        replication,
        tier_assumed=access is None,
        hns=hns,
        invalid=legacy,
    )


def _days(base: Mapping[str, Any], action: str) -> Decimal | None:
    """Days for an Azure action on any basis; the provider reads -1 as "not set"."""
    for basis in DAY_BASES:
        value = days(base.get(f"{action}_after_days_since_{basis}_greater_than"))
        if value is not None and value >= 0:
            return value
    return None


AKS_DEFAULT_OS_DISK_GB = ((64, 1024), (16, 512), (8, 256), (1, 128))
"""AKS's default managed OS disk size by vCPU count (AKS docs, "Storage options for
applications in AKS" > Default OS disk sizing: P10/128G for 1-7 vCPUs, P15/256G for 8-15,
P20/512G for 16-63, P30/1024G for 64+; pools created from July 2022)."""

SIZE_NAME = re.compile(r"^Standard_([A-Z]+)(\d+)(?:-(\d+))?([a-z]*)(?:_.*)?$")
"""Azure VM size names: family, vCPUs, constrained vCPUs, additive features
(learn.microsoft.com/azure/virtual-machines/vm-naming-conventions)."""

LEGACY_FAMILIES = ("A", "D", "DS", "G", "GS")
"""v1/v2 families whose size number is not the vCPU count (D11_v2 has 2 vCPUs)."""


A_SERIES_VCPUS = {"A0": 1, "A1": 1, "A2": 2, "A3": 4, "A4": 8, "A5": 2, "A6": 4, "A7": 8}
"""vCPUs of the previous-generation A-series sizes, Basic_ and Standard_ (Azure "Previous
generation sizes" > A-series), whose numbers are not vCPU counts."""
LEGACY_D_VCPUS = {"11": 2, "12": 4, "13": 8, "14": 16, "15": 20}
"""vCPUs of the memory-optimised D/DS v1-v2 sizes numbered 11-15 (D11_v2 has 2 vCPUs)."""

DEFAULT_NODE_COUNT = 1
"""AKS agent pool `count` default ("The default value is 1", AKS REST API,
ManagedClusterAgentPoolProfile.count)."""


def pool_windows(pool: Mapping[str, Any]) -> bool:
    """Whether an AKS node pool runs Windows nodes: `os_type = "Windows"` or a Windows
    `os_sku` (Windows2019, Windows2022)."""
    os_type = str(pool.get("os_type") or "").lower()
    os_sku = str(pool.get("os_sku") or "").lower()
    return os_type == "windows" or os_sku.startswith("windows")


HYBRID_BENEFIT_LICENSES = ("Windows_Server", "Windows_Client")
"""`license_type` values that apply Azure Hybrid Benefit: the VM brings its own Windows
licence and is billed the base compute (Linux) rate."""


def hybrid_benefit(resource: Resource) -> str | None:
    """The `license_type` of a Windows VM or scale set that uses Azure Hybrid Benefit."""
    value = scalar(resource.attr("license_type"), "license_type")
    return value if value in HYBRID_BENEFIT_LICENSES else None


CONSTRAINED = re.compile(r"^(Standard_[A-Z]+\d+)-\d+([a-z]*(?:_.*)?)$")
"""A constrained-vCPU size (`Standard_E16-8as_v4`, `Standard_M8-2ms`, `Standard_GS4-8`) and
its parent's parts (`E16as_v4`, `M8ms`, `GS4`)."""


def constrained_parent(size: str) -> str | None:
    """The original size of a constrained-vCPU size, billed at the original size's price
    (learn.microsoft.com/azure/virtual-machines/constrained-vcpu); None for other sizes."""
    match = CONSTRAINED.match(size)
    return f"{match.group(1)}{match.group(2)}" if match else None


def size_vcpus(size: str) -> int | None:
    """vCPUs read from a size name by the naming convention, or the A-series and D11-D15
    tables; None for shapes that follow neither."""
    legacy = re.match(r"^(?:Basic|Standard)_(A\d)$", size)
    if legacy:
        return A_SERIES_VCPUS.get(legacy.group(1))
    legacy = re.match(r"^Standard_DS?(1[1-5])(?:_v2)?(?:_Promo)?$", size)
    if legacy:
        return LEGACY_D_VCPUS[legacy.group(1)]
    match = SIZE_NAME.match(size)
    if match is None:
        return None
    family, number, constrained, _ = match.groups()
    if family in LEGACY_FAMILIES and (int(number) > 10 or family in ("A", "G", "GS")):
        return None
    return int(constrained or number)


def premium_storage(size: str) -> bool:
    """Whether a size takes Premium SSD: a DS/GS/M family or an `s` additive feature."""
    match = SIZE_NAME.match(size)
    if match is None:
        return False
    family, _, _, features = match.groups()
    return family in ("DS", "GS", "M") or "s" in features


def aks_os_disk(pool: Mapping[str, Any], size: str) -> Disk:
    """An AKS node's OS disk: none billed for `Ephemeral` (it lives on the VM's cache or
    temp disk), else a managed disk of `os_disk_size_gb` or AKS's default for the size's
    vCPUs; Premium SSD when the size takes it, else Standard HDD (assumed)."""
    kind = scalar(pool.get("os_disk_type"), "os_disk_type")
    if is_unknown(kind):
        return Disk("Node OS disk", missing="os_disk_type unknown until apply")
    if isinstance(kind, str) and kind.lower() == "ephemeral":
        return Disk(
            "Node OS disk", elsewhere="Ephemeral node OS disks are included in the VM price"
        )
    account = "Premium_LRS" if premium_storage(size) else "Standard_LRS"
    why = [] if kind else ["Managed: the azurerm default os_disk_type"]
    if not premium_storage(size):
        why.append(f"Standard HDD assumed: {size} takes no Premium SSD")
    raw = scalar(pool.get("os_disk_size_gb"), "os_disk_size_gb")
    if is_unknown(raw):
        return Disk("Node OS disk", missing="os_disk_size_gb unknown until apply")
    if raw:
        gb = Decimal(raw)
    else:
        vcpus = size_vcpus(size)
        if vcpus is None:
            return Disk(
                "Node OS disk",
                missing=f"os_disk_size_gb not set and the vCPUs of {size} (which decide AKS's "
                "default size) are not known",
            )
        gb = next(Decimal(gb) for floor, gb in AKS_DEFAULT_OS_DISK_GB if vcpus >= floor)
        why.append(f"{gb} GB: AKS's default for {vcpus} vCPUs")
    label = f"Node OS disk ({'; '.join(why)})" if why else "Node OS disk"
    return Disk(label, account, gb)
