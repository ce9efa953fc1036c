"""Pulumi type tokens and camelCase inputs -> Terraform resource types and attribute spellings.

Bridged providers (`aws`, `gcp`, `azure`) are Terraform providers underneath: their inputs
are the Terraform attributes in camelCase, with two systematic differences this module
undoes so every pricer and rule works unchanged:

- nested blocks with at most one element are objects in Pulumi but one-element lists in
  Terraform plans (`rootBlockDevice: {...}` -> `root_block_device: [{...}]`);
- repeatable blocks get plural names in Pulumi (`ebsBlockDevices` -> `ebs_block_device`),
  listed per type in `_TYPES` because only the provider schema knows them.

Maps of user data (`tags`, `labels`, ...) keep their keys. `azure-native` is generated from
the ARM API, not Terraform, so its resources are translated field by field
(`_azure_native_vm` etc.). Tokens not listed fall back to a derived Terraform type name and
the generic conversion; unlisted types are reported as unpriced by the pricing engine.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from costgate.model import EMPTY, UNKNOWN, is_unknown

PROVIDERS: Mapping[str, str] = MappingProxyType(
    {
        "aws": "aws",
        "gcp": "google",
        "azure": "azurerm",
        "azure-native": "azurerm",
    }
)
"""Pulumi package -> the provider name costgate (and Terraform) uses."""

MAP_ATTRIBUTES = frozenset(
    {
        "tags",
        "tags_all",
        "labels",
        "effective_labels",
        "pulumi_labels",
        "terraform_labels",
        "resource_labels",
        "metadata",
        "variables",
        "node_labels",
    }
)
"""Attributes holding user maps: their keys are data, not attribute names."""


@dataclass(frozen=True, slots=True)
class Translated:
    """A Pulumi resource in Terraform terms.

    `keys` maps each top-level Pulumi input name to the Terraform attribute it became,
    so `propertyDependencies` can be turned into `Resource.references`.
    """

    type: str
    attributes: Mapping[str, Any]
    keys: Mapping[str, str] = field(default_factory=lambda: EMPTY)


_CAMEL_1 = re.compile(r"([A-Z]+)([A-Z][a-z])")
_CAMEL_2 = re.compile(r"([a-z0-9])([A-Z])")


def snake(name: str) -> str:
    """`volumeSize` -> `volume_size`, `diskSizeGB` -> `disk_size_gb`, `IAMRole` -> `iam_role`."""
    return _CAMEL_2.sub(r"\1_\2", _CAMEL_1.sub(r"\1_\2", name)).lower()


def convert(value: Any, renames: Mapping[str, str], key: str = "") -> Any:
    """Camel-case inputs -> Terraform attributes: renamed keys, objects as one-element blocks."""
    if key in MAP_ATTRIBUTES or is_unknown(value):
        return value
    if isinstance(value, Mapping):
        return (_convert_object(value, renames),)
    if isinstance(value, (list, tuple)):
        return tuple(_convert_object(v, renames) if isinstance(v, Mapping) else v for v in value)
    return value


def _convert_object(obj: Mapping[str, Any], renames: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in obj.items():
        tf_name = renames.get(snake(name), snake(name))
        out[tf_name] = convert(value, renames, tf_name)
    return out


@dataclass(frozen=True, slots=True)
class _Bridged:
    """A bridged (Terraform-based) resource: its Terraform type and plural block names."""

    type: str
    renames: Mapping[str, str] = field(default_factory=lambda: EMPTY)

    def __call__(self, inputs: Mapping[str, Any]) -> Translated:
        keys = {name: self.renames.get(snake(name), snake(name)) for name in inputs}
        return Translated(self.type, _convert_object(inputs, self.renames), keys)


def _bridged(tf_type: str, **renames: str) -> _Bridged:
    return _Bridged(tf_type, MappingProxyType(renames))


_INSTANCE_BLOCKS = {
    "ebs_block_devices": "ebs_block_device",
    "ephemeral_block_devices": "ephemeral_block_device",
    "network_interfaces": "network_interface",
}
_S3_BUCKET_BLOCKS = {
    "lifecycle_rules": "lifecycle_rule",
    "transitions": "transition",
    "noncurrent_version_transitions": "noncurrent_version_transition",
    "cors_rules": "cors_rule",
    "grants": "grant",
    "loggings": "logging",
}
_S3_LIFECYCLE_BLOCKS = {
    "rules": "rule",
    "transitions": "transition",
    "noncurrent_version_transitions": "noncurrent_version_transition",
}
_GCE_BLOCKS = {
    "attached_disks": "attached_disk",
    "network_interfaces": "network_interface",
    "access_configs": "access_config",
    "alias_ip_ranges": "alias_ip_range",
    "guest_accelerators": "guest_accelerator",
    "scratch_disks": "scratch_disk",
    "ipv6_access_configs": "ipv6_access_config",
}
_AZURE_VM_BLOCKS = {
    "admin_ssh_keys": "admin_ssh_key",
    "secrets": "secret",
    "gallery_applications": "gallery_application",
    "certificates": "certificate",
    "additional_unattend_contents": "additional_unattend_content",
    "winrm_listeners": "winrm_listener",
}
_AZURE_SCALE_SET_BLOCKS = {
    **_AZURE_VM_BLOCKS,
    "data_disks": "data_disk",
    "network_interfaces": "network_interface",
    "ip_configurations": "ip_configuration",
    "public_ip_addresses": "public_ip_address",
    "ip_tags": "ip_tag",
    "extensions": "extension",
}
"""Repeatable blocks of azurerm_linux/windows_virtual_machine_scale_set (pulumi-azure bridge
metadata, `renamedProperties`): `dataDisks` -> `data_disk`, `networkInterfaces` -> ...;
`galleryApplications` is the deprecated spelling of `gallery_application`."""
_AZURE_LEGACY_SCALE_SET_BLOCKS = {
    "storage_profile_data_disks": "storage_profile_data_disk",
    "network_profiles": "network_profile",
    "ip_configurations": "ip_configuration",
    "extensions": "extension",
    "additional_unattend_configs": "additional_unattend_config",
    "winrms": "winrm",
}
"""azurerm_virtual_machine_scale_set (`azure:compute/scaleSet:ScaleSet`): its repeatable
blocks; `os_profile_secrets` and `ssh_keys` keep their Terraform (plural) names."""
_GCE_TEMPLATE_BLOCKS = {**_GCE_BLOCKS, "disks": "disk"}
"""google_compute_(region_)instance_template: `disks` -> `disk`, the GCE instance's blocks."""
_GCE_MANAGER_BLOCKS = {
    "versions": "version",
    "named_ports": "named_port",
    "stateful_disks": "stateful_disk",
    "stateful_external_ips": "stateful_external_ip",
    "stateful_internal_ips": "stateful_internal_ip",
}
"""google_compute_(region_)instance_group_manager: `versions` -> `version` (the block naming
the instance template the pricer follows)."""

Translator = Callable[[Mapping[str, Any]], Translated]


def _azure_sku(name: Any) -> tuple[Any, Any]:
    """`Standard_LRS` -> (`Standard`, `LRS`), the two azurerm attributes it stands for."""
    if isinstance(name, str) and "_" in name:
        tier, replication = name.split("_", 1)
        return tier, replication
    return UNKNOWN if is_unknown(name) else None, None


def _get(obj: Any, *path: str) -> Any:
    for key in path:
        if is_unknown(obj):
            return UNKNOWN
        if not isinstance(obj, Mapping):
            return None
        obj = obj.get(key)
    return obj


def _default(value: Any, default: Any) -> Any:
    """ARM's *default* for an unset value; an unknown one stays unknown (not `value or
    default`: the unknown sentinel is falsy, and a computed priority is no Regular one)."""
    return default if value is None else value


def _azure_native_vm(inputs: Mapping[str, Any]) -> Translated:
    """`azure-native:compute:VirtualMachine` -> azurerm_linux/windows_virtual_machine: size,
    priority, max price, `licenseType` (Hybrid Benefit, as the scale set reads it), OS disk
    and the data disks ARM creates with the VM (`storageProfile.dataDisks`; azurerm declares
    them as separate disk resources, so only this translation fills `data_disk`)."""
    os_disk = _get(inputs, "storageProfile", "osDisk") or {}
    windows = bool(_get(inputs, "osProfile", "windowsConfiguration")) or (
        _get(os_disk, "osType") == "Windows"
    )
    zones = inputs.get("zones")
    attributes = {
        "name": inputs.get("vmName"),
        "resource_group_name": inputs.get("resourceGroupName"),
        "location": inputs.get("location"),
        "size": _get(inputs, "hardwareProfile", "vmSize"),
        "priority": _default(inputs.get("priority"), "Regular"),
        "eviction_policy": inputs.get("evictionPolicy"),
        "max_bid_price": _get(inputs, "billingProfile", "maxPrice"),
        "license_type": inputs.get("licenseType"),  # Windows_Server: Azure Hybrid Benefit
        "zone": zones[0] if isinstance(zones, list) and zones else None,
        "os_disk": (_arm_managed_disk(os_disk),),
        "data_disk": _arm_data_disks(_get(inputs, "storageProfile", "dataDisks")),
        "tags": inputs.get("tags") or {},
    }
    keys = {
        "vmName": "name",
        "resourceGroupName": "resource_group_name",
        "location": "location",
        "hardwareProfile": "size",
        "storageProfile": "os_disk",
    }
    tf_type = "azurerm_windows_virtual_machine" if windows else "azurerm_linux_virtual_machine"
    return Translated(tf_type, attributes, keys)


def _arm_managed_disk(disk: Any) -> dict[str, Any]:
    """An ARM OS or data disk (`managedDisk.storageAccountType`, `diskSizeGB`) -> the azurerm
    disk block attributes (`storage_account_type`, `disk_size_gb`)."""
    return {
        "storage_account_type": _get(disk, "managedDisk", "storageAccountType"),
        "disk_size_gb": _get(disk, "diskSizeGB"),
        "caching": _get(disk, "caching"),
    }


def _arm_data_disks(value: Any) -> Any:
    """ARM `dataDisks` -> azurerm `data_disk` blocks. Unknown (the whole VM or storage
    profile computed) stays unknown, for the pricer to report as missing, not as no disks;
    an entry or list of the wrong shape is handed on as it is, for the pricer to reject as
    malformed input (exit 2) rather than read as a disk whose type and size are unset."""
    if value is None or is_unknown(value):
        return () if value is None else UNKNOWN
    if isinstance(value, Mapping):  # one object where a list belongs, read as one disk
        value = (value,)
    if not isinstance(value, (list, tuple)):
        return value
    return tuple(
        {
            "lun": _get(d, "lun"),
            "create_option": _get(d, "createOption"),
            "managed_disk_id": _get(d, "managedDisk", "id"),
            **_arm_managed_disk(d),
        }
        if isinstance(d, Mapping)
        else d
        for d in value
    )


def _arm_image(image: Any) -> tuple[dict[str, Any], ...]:
    """An ARM `imageReference` -> azurerm `source_image_reference` (its offer and SKU decide
    a Windows image and its OS disk size)."""
    if not isinstance(image, Mapping):
        return ()
    keys = ("publisher", "offer", "sku", "version")
    return ({key: image.get(key) for key in keys},)


def _azure_native_scale_set(inputs: Mapping[str, Any]) -> Translated:
    """`azure-native:compute:VirtualMachineScaleSet` -> azurerm_linux/windows_virtual_machine_
    scale_set: `sku.name` -> `sku`, `sku.capacity` -> `instances`, the VM profile's priority,
    eviction policy, max price, licence type, OS disk, data disks and image; Windows when the
    OS profile has a `windowsConfiguration`, the OS disk says `osType: Windows` or the image
    offer is a Windows one."""
    profile = inputs.get("virtualMachineProfile")
    storage = _get(profile, "storageProfile")
    os_disk = _get(storage, "osDisk")
    image = _get(storage, "imageReference")
    windows = (
        bool(_get(profile, "osProfile", "windowsConfiguration"))
        or _get(os_disk, "osType") == "Windows"
        or "windows" in str(_get(image, "offer") or "").lower()
    )
    zones = inputs.get("zones")
    attributes: dict[str, Any] = {
        "name": inputs.get("vmScaleSetName"),
        "resource_group_name": inputs.get("resourceGroupName"),
        "location": inputs.get("location"),
        "sku": _get(inputs, "sku", "name"),
        "instances": _get(inputs, "sku", "capacity"),
        "priority": _default(_get(profile, "priority"), "Regular"),
        "eviction_policy": _get(profile, "evictionPolicy"),
        "max_bid_price": _get(profile, "billingProfile", "maxPrice"),
        "license_type": _get(profile, "licenseType"),
        "zones": tuple(zones) if isinstance(zones, list) else zones,
        "os_disk": UNKNOWN if is_unknown(os_disk) else (_arm_managed_disk(os_disk),),
        "data_disk": _arm_data_disks(_get(storage, "dataDisks")),
        "source_image_reference": _arm_image(image),
        "tags": inputs.get("tags") or {},
    }
    keys = {
        "vmScaleSetName": "name",
        "resourceGroupName": "resource_group_name",
        "location": "location",
        "sku": "sku",
        "virtualMachineProfile": "os_disk",
    }
    kind = "windows" if windows else "linux"
    return Translated(f"azurerm_{kind}_virtual_machine_scale_set", attributes, keys)


_ML_COMPUTE_TYPES = {
    "AmlCompute": "azurerm_machine_learning_compute_cluster",
    "ComputeInstance": "azurerm_machine_learning_compute_instance",
}
"""`properties.computeType` of an Azure ML compute -> the azurerm type with that meaning;
the other kinds (attached AKS, Kubernetes, Databricks, VMs, ...) bill as the resources they
attach and keep the generic `azurerm_machine_learning_compute`, which has no pricer."""


def _azure_native_ml_compute(inputs: Mapping[str, Any]) -> Translated:
    """`azure-native:machinelearningservices:Compute` -> the azurerm Azure ML compute its
    `properties.computeType` names: an AmlCompute cluster (`vmSize`, `vmPriority`,
    `scaleSettings` min/max nodes) or a compute instance (`vmSize`). `workspaceName` is the
    reference `machine_learning_workspace_id` stands for (the region when none is set)."""
    kind = _get(inputs, "properties", "computeType")
    props = _get(inputs, "properties", "properties")
    tf_type = _ML_COMPUTE_TYPES.get(kind) if isinstance(kind, str) else None
    attributes: dict[str, Any] = {
        "name": inputs.get("computeName"),
        "location": inputs.get("location"),
        "machine_learning_workspace_id": inputs.get("workspaceName"),
        "tags": inputs.get("tags") or {},
    }
    if tf_type == "azurerm_machine_learning_compute_cluster":
        scale = _get(props, "scaleSettings")
        attributes |= {
            "vm_size": _get(props, "vmSize"),
            "vm_priority": _default(_get(props, "vmPriority"), "Dedicated"),
            "scale_settings": UNKNOWN
            if is_unknown(scale)
            else (
                {
                    "min_node_count": _default(_get(scale, "minNodeCount"), 0),
                    "max_node_count": _get(scale, "maxNodeCount"),
                    "scale_down_nodes_after_idle_duration": _get(
                        scale, "nodeIdleTimeBeforeScaleDown"
                    ),
                },
            ),
        }
    elif tf_type == "azurerm_machine_learning_compute_instance":
        attributes["virtual_machine_size"] = _get(props, "vmSize")
    keys = {"computeName": "name", "workspaceName": "machine_learning_workspace_id"}
    return Translated(tf_type or "azurerm_machine_learning_compute", attributes, keys)


def _azure_native_registry(inputs: Mapping[str, Any]) -> Translated:
    """`azure-native:containerregistry:Registry` -> azurerm_container_registry (`sku.name`
    is the tier; geo-replicas are separate `Replication` resources in ARM)."""
    attributes = {
        "name": inputs.get("registryName"),
        "resource_group_name": inputs.get("resourceGroupName"),
        "location": inputs.get("location"),
        "sku": _get(inputs, "sku", "name"),
        "tags": inputs.get("tags") or {},
    }
    keys = {"registryName": "name", "resourceGroupName": "resource_group_name", "sku": "sku"}
    return Translated("azurerm_container_registry", attributes, keys)


def _azure_native_log_workspace(inputs: Mapping[str, Any]) -> Translated:
    """`azure-native:operationalinsights:Workspace` -> azurerm_log_analytics_workspace."""
    attributes = {
        "name": inputs.get("workspaceName"),
        "resource_group_name": inputs.get("resourceGroupName"),
        "location": inputs.get("location"),
        "sku": _get(inputs, "sku", "name"),
        "retention_in_days": inputs.get("retentionInDays"),
        "daily_quota_gb": _get(inputs, "workspaceCapping", "dailyQuotaGb"),
        "tags": inputs.get("tags") or {},
    }
    keys = {"workspaceName": "name", "resourceGroupName": "resource_group_name", "sku": "sku"}
    return Translated("azurerm_log_analytics_workspace", attributes, keys)


def _azure_native_solution(inputs: Mapping[str, Any]) -> Translated:
    """`azure-native:operationsmanagement:Solution` -> azurerm_log_analytics_solution: ARM
    names it `ContainerInsights(<workspace>)` with plan product `OMSGallery/ContainerInsights`;
    azurerm's `solution_name` is the part before the workspace (`ContainerInsights`)."""
    product = _get(inputs, "plan", "product")
    name = inputs.get("solutionName")
    if isinstance(product, str) and "/" in product:
        solution: Any = product.rsplit("/", 1)[1]
    elif isinstance(name, str):
        solution = name.split("(", 1)[0]
    else:
        solution = name
    attributes = {
        "solution_name": solution,
        "resource_group_name": inputs.get("resourceGroupName"),
        "location": inputs.get("location"),
        "workspace_resource_id": _get(inputs, "properties", "workspaceResourceId"),
        "plan": ({"publisher": _get(inputs, "plan", "publisher"), "product": product},),
        "tags": inputs.get("tags") or {},
    }
    keys = {
        "solutionName": "solution_name",
        "resourceGroupName": "resource_group_name",
        "properties": "workspace_resource_id",
    }
    return Translated("azurerm_log_analytics_solution", attributes, keys)


def _azure_native_vault_key(inputs: Mapping[str, Any]) -> Translated:
    """`azure-native:keyvault:Key` -> azurerm_key_vault_key (`properties.kty` -> `key_type`),
    linked to its vault through `vaultName`."""
    attributes = {
        "name": inputs.get("keyName"),
        "key_vault_id": inputs.get("vaultName"),
        "key_type": _get(inputs, "properties", "kty"),
        "key_size": _get(inputs, "properties", "keySize"),
        "curve": _get(inputs, "properties", "curveName"),
        "tags": inputs.get("tags") or {},
    }
    keys = {"keyName": "name", "vaultName": "key_vault_id", "properties": "key_type"}
    return Translated("azurerm_key_vault_key", attributes, keys)


def _azure_native_disk(inputs: Mapping[str, Any]) -> Translated:
    """`azure-native:compute:Disk` -> azurerm_managed_disk (`sku.name` is the account type)."""
    zones = inputs.get("zones")
    attributes = {
        "name": inputs.get("diskName"),
        "resource_group_name": inputs.get("resourceGroupName"),
        "location": inputs.get("location"),
        "storage_account_type": _get(inputs, "sku", "name"),
        "disk_size_gb": inputs.get("diskSizeGB"),
        "disk_iops_read_write": inputs.get("diskIOPSReadWrite"),
        "disk_mbps_read_write": inputs.get("diskMBpsReadWrite"),
        "zone": zones[0] if isinstance(zones, list) and zones else None,
        "tags": inputs.get("tags") or {},
    }
    keys = {"diskName": "name", "resourceGroupName": "resource_group_name"}
    return Translated("azurerm_managed_disk", attributes, keys)


def _arm_agent_pool(pool: Any) -> dict[str, Any]:
    """An AKS agent pool (ARM) -> the azurerm node pool attributes the pricer reads."""
    return {
        "name": _get(pool, "name") or _get(pool, "agentPoolName"),
        "vm_size": _get(pool, "vmSize"),
        "node_count": _get(pool, "count"),
        "min_count": _get(pool, "minCount"),
        "max_count": _get(pool, "maxCount"),
        "auto_scaling_enabled": _get(pool, "enableAutoScaling"),
        "os_type": _get(pool, "osType"),
        "os_disk_size_gb": _get(pool, "osDiskSizeGB"),
        "priority": _get(pool, "scaleSetPriority") or "Regular",
        "spot_max_price": _get(pool, "spotMaxPrice"),
        "mode": _get(pool, "mode"),
        "node_labels": _get(pool, "nodeLabels") or {},
        "tags": _get(pool, "tags") or {},
    }


def _azure_native_agent_pool(inputs: Mapping[str, Any]) -> Translated:
    """`azure-native:containerservice:AgentPool` -> azurerm_kubernetes_cluster_node_pool;
    `resourceName` (the cluster) is the reference `kubernetes_cluster_id` stands for."""
    attributes = {
        **_arm_agent_pool(inputs),
        "kubernetes_cluster_id": inputs.get("resourceName"),
        "resource_group_name": inputs.get("resourceGroupName"),
    }
    keys = {
        "agentPoolName": "name",
        "resourceName": "kubernetes_cluster_id",
        "resourceGroupName": "resource_group_name",
    }
    return Translated("azurerm_kubernetes_cluster_node_pool", attributes, keys)


def _azure_native_managed_cluster(inputs: Mapping[str, Any]) -> Translated:
    """`azure-native:containerservice:ManagedCluster` -> azurerm_kubernetes_cluster: the
    first `System` agent pool profile (else the first) is the default node pool; the
    cluster's other inline profiles have no azurerm equivalent and are listed as
    `extra_node_pool`."""
    profiles = inputs.get("agentPoolProfiles")
    pools = [p for p in profiles if isinstance(p, Mapping)] if isinstance(profiles, list) else []
    system = next((p for p in pools if _get(p, "mode") == "System"), pools[0] if pools else None)
    attributes: dict[str, Any] = {
        "name": inputs.get("resourceName"),
        "resource_group_name": inputs.get("resourceGroupName"),
        "location": inputs.get("location"),
        "sku_tier": _get(inputs, "sku", "tier"),
        "kubernetes_version": inputs.get("kubernetesVersion"),
        "default_node_pool": (_arm_agent_pool(system),) if system is not None else (),
        "extra_node_pool": tuple(_arm_agent_pool(p) for p in pools if p is not system),
        "tags": inputs.get("tags") or {},
    }
    if is_unknown(profiles):
        attributes["default_node_pool"] = UNKNOWN
    keys = {
        "resourceName": "name",
        "resourceGroupName": "resource_group_name",
        "agentPoolProfiles": "default_node_pool",
    }
    return Translated("azurerm_kubernetes_cluster", attributes, keys)


def _azure_native_record_set(private: bool) -> Translator:
    """`azure-native:network:(Private)RecordSet` -> azurerm_(private_)dns_<type>_record."""

    def translate(inputs: Mapping[str, Any]) -> Translated:
        kind = inputs.get("recordType")
        prefix = "azurerm_private_dns" if private else "azurerm_dns"
        tf_type = f"{prefix}_{kind.lower()}_record" if isinstance(kind, str) else f"{prefix}_record"
        return _Bridged(tf_type)(inputs)

    return translate


def _azure_native_storage_account(inputs: Mapping[str, Any]) -> Translated:
    """`azure-native:storage:StorageAccount` -> azurerm_storage_account."""
    tier, replication = _azure_sku(_get(inputs, "sku", "name"))
    attributes = {
        "name": inputs.get("accountName"),
        "resource_group_name": inputs.get("resourceGroupName"),
        "location": inputs.get("location"),
        "account_kind": inputs.get("kind"),
        "account_tier": tier,
        "account_replication_type": replication,
        "access_tier": inputs.get("accessTier"),
        "tags": inputs.get("tags") or {},
    }
    keys = {"accountName": "name", "resourceGroupName": "resource_group_name"}
    return Translated("azurerm_storage_account", attributes, keys)


_ARM_ACTIONS = (
    ("tierToCool", "tier_to_cool"),
    ("tierToCold", "tier_to_cold"),
    ("tierToArchive", "tier_to_archive"),
    ("delete", "delete"),
)
_ARM_AGES = (
    ("daysAfterModificationGreaterThan", "after_days_since_modification_greater_than"),
    ("daysAfterCreationGreaterThan", "after_days_since_creation_greater_than"),
    ("daysAfterLastAccessTimeGreaterThan", "after_days_since_last_access_time_greater_than"),
)


def _arm_base_blob(base_blob: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for arm_action, tf_action in _ARM_ACTIONS:
        action = _get(base_blob, arm_action)
        for arm_age, tf_age in _ARM_AGES:
            days = _get(action, arm_age)
            if days is not None:
                out[f"{tf_action}_{tf_age}"] = days
    return out


def _azure_native_management_policy(inputs: Mapping[str, Any]) -> Translated:
    """`azure-native:storage:ManagementPolicy` -> azurerm_storage_management_policy."""
    rules = []
    for rule in _get(inputs, "policy", "rules") or ():
        definition = _get(rule, "definition") or {}
        filters = _get(definition, "filters") or {}
        rules.append(
            {
                "name": _get(rule, "name"),
                "enabled": _get(rule, "enabled") is not False,
                "filters": (
                    {
                        "prefix_match": tuple(_get(filters, "prefixMatch") or ()),
                        "blob_types": tuple(_get(filters, "blobTypes") or ()),
                    },
                ),
                "actions": (
                    {"base_blob": (_arm_base_blob(_get(definition, "actions", "baseBlob")),)},
                ),
            }
        )
    attributes = {
        "storage_account_id": UNKNOWN,
        "storage_account_name": inputs.get("accountName"),
        "resource_group_name": inputs.get("resourceGroupName"),
        "rule": tuple(rules),
    }
    keys = {"accountName": "storage_account_id", "policy": "rule"}
    return Translated("azurerm_storage_management_policy", attributes, keys)


_TYPES: Mapping[str, Translator] = MappingProxyType(
    {
        # AWS (pulumi-aws v6 and v7 tokens)
        "aws:ec2/instance:Instance": _bridged("aws_instance", **_INSTANCE_BLOCKS),
        "aws:ec2/spotInstanceRequest:SpotInstanceRequest": _bridged(
            "aws_spot_instance_request", **_INSTANCE_BLOCKS
        ),
        "aws:ec2/launchTemplate:LaunchTemplate": _bridged(
            "aws_launch_template", license_specifications="license_specification"
        ),
        "aws:autoscaling/group:Group": _bridged(
            "aws_autoscaling_group",
            tags="tag",
            overrides="override",
            initial_lifecycle_hooks="initial_lifecycle_hook",
            traffic_sources="traffic_source",
            vpc_zone_identifiers="vpc_zone_identifier",
        ),
        "aws:eks/nodeGroup:NodeGroup": _bridged("aws_eks_node_group", taints="taint"),
        "aws:ebs/volume:Volume": _bridged("aws_ebs_volume"),
        "aws:ebs/snapshot:Snapshot": _bridged("aws_ebs_snapshot"),
        "aws:ebs/snapshotCopy:SnapshotCopy": _bridged("aws_ebs_snapshot_copy"),
        "aws:ebs/fastSnapshotRestore:FastSnapshotRestore": _bridged(
            "aws_ebs_fast_snapshot_restore"
        ),
        "aws:s3/bucket:Bucket": _bridged("aws_s3_bucket", **_S3_BUCKET_BLOCKS),
        "aws:s3/bucketV2:BucketV2": _bridged("aws_s3_bucket", **_S3_BUCKET_BLOCKS),
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": _bridged(
            "aws_s3_bucket_lifecycle_configuration", **_S3_LIFECYCLE_BLOCKS
        ),
        "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": _bridged(
            "aws_s3_bucket_lifecycle_configuration", **_S3_LIFECYCLE_BLOCKS
        ),
        "aws:secretsmanager/secret:Secret": _bridged(
            "aws_secretsmanager_secret", replicas="replica"
        ),
        "aws:route53/zone:Zone": _bridged("aws_route53_zone", vpcs="vpc"),
        "aws:sagemaker/notebookInstance:NotebookInstance": _bridged(
            "aws_sagemaker_notebook_instance"
        ),
        "aws:sagemaker/endpointConfiguration:EndpointConfiguration": _bridged(
            "aws_sagemaker_endpoint_configuration"
        ),
        # Google Cloud
        "gcp:compute/instance:Instance": _bridged("google_compute_instance", **_GCE_BLOCKS),
        "gcp:container/nodePool:NodePool": _bridged(
            "google_container_node_pool", guest_accelerators="guest_accelerator", taints="taint"
        ),
        "gcp:container/cluster:Cluster": _bridged(
            "google_container_cluster",
            node_pools="node_pool",
            guest_accelerators="guest_accelerator",
            taints="taint",
        ),
        "gcp:compute/instanceTemplate:InstanceTemplate": _bridged(
            "google_compute_instance_template", **_GCE_TEMPLATE_BLOCKS
        ),
        "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate": _bridged(
            "google_compute_region_instance_template", **_GCE_TEMPLATE_BLOCKS
        ),
        "gcp:compute/instanceGroupManager:InstanceGroupManager": _bridged(
            "google_compute_instance_group_manager", **_GCE_MANAGER_BLOCKS
        ),
        "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager": _bridged(
            "google_compute_region_instance_group_manager", **_GCE_MANAGER_BLOCKS
        ),
        "gcp:storage/bucket:Bucket": _bridged(
            "google_storage_bucket",
            lifecycle_rules="lifecycle_rule",
            matches_storage_classes="matches_storage_class",
            matches_prefixes="matches_prefix",
            matches_suffixes="matches_suffix",
        ),
        # Azure classic (bridged azurerm)
        "azure:compute/linuxVirtualMachine:LinuxVirtualMachine": _bridged(
            "azurerm_linux_virtual_machine", **_AZURE_VM_BLOCKS
        ),
        "azure:compute/windowsVirtualMachine:WindowsVirtualMachine": _bridged(
            "azurerm_windows_virtual_machine", **_AZURE_VM_BLOCKS
        ),
        "azure:compute/linuxVirtualMachineScaleSet:LinuxVirtualMachineScaleSet": _bridged(
            "azurerm_linux_virtual_machine_scale_set", **_AZURE_SCALE_SET_BLOCKS
        ),
        "azure:compute/windowsVirtualMachineScaleSet:WindowsVirtualMachineScaleSet": _bridged(
            "azurerm_windows_virtual_machine_scale_set", **_AZURE_SCALE_SET_BLOCKS
        ),
        "azure:compute/scaleSet:ScaleSet": _bridged(
            "azurerm_virtual_machine_scale_set", **_AZURE_LEGACY_SCALE_SET_BLOCKS
        ),
        "azure:storage/account:Account": _bridged("azurerm_storage_account"),
        "azure:storage/managementPolicy:ManagementPolicy": _bridged(
            "azurerm_storage_management_policy",
            rules="rule",
            prefix_matches="prefix_match",
            match_blob_index_tags="match_blob_index_tag",
        ),
        # Azure native (ARM), translated field by field
        "azure-native:compute:VirtualMachine": _azure_native_vm,
        "azure-native:storage:StorageAccount": _azure_native_storage_account,
        "azure-native:storage:ManagementPolicy": _azure_native_management_policy,
        "azure-native:compute:Disk": _azure_native_disk,
        "azure-native:compute:VirtualMachineScaleSet": _azure_native_scale_set,
        "azure-native:containerregistry:Registry": _azure_native_registry,
        "azure-native:operationalinsights:Workspace": _azure_native_log_workspace,
        "azure-native:keyvault:Key": _azure_native_vault_key,
        "azure-native:operationsmanagement:Solution": _azure_native_solution,
        "azure-native:machinelearningservices:Compute": _azure_native_ml_compute,
        "azure-native:network:RecordSet": _azure_native_record_set(private=False),
        "azure-native:network:PrivateRecordSet": _azure_native_record_set(private=True),
        "azure-native:containerservice:AgentPool": _azure_native_agent_pool,
        "azure-native:containerservice:ManagedCluster": _azure_native_managed_cluster,
    }
)

RENAMED: Mapping[str, str] = MappingProxyType(
    {
        # AWS: names the provider does not derive from the token (bridge metadata)
        "aws:rds/instance:Instance": "aws_db_instance",
        "aws:rds/subnetGroup:SubnetGroup": "aws_db_subnet_group",
        "aws:rds/parameterGroup:ParameterGroup": "aws_db_parameter_group",
        "aws:rds/optionGroup:OptionGroup": "aws_db_option_group",
        "aws:rds/snapshot:Snapshot": "aws_db_snapshot",
        "aws:rds/snapshotCopy:SnapshotCopy": "aws_db_snapshot_copy",
        "aws:rds/clusterSnapshot:ClusterSnapshot": "aws_db_cluster_snapshot",
        "aws:rds/eventSubscription:EventSubscription": "aws_db_event_subscription",
        "aws:rds/proxy:Proxy": "aws_db_proxy",
        "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup": (
            "aws_db_proxy_default_target_group"
        ),
        "aws:rds/proxyEndpoint:ProxyEndpoint": "aws_db_proxy_endpoint",
        "aws:rds/proxyTarget:ProxyTarget": "aws_db_proxy_target",
        "aws:rds/roleAssociation:RoleAssociation": "aws_db_instance_role_association",
        "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": (
            "aws_db_instance_automated_backups_replication"
        ),
        "aws:lb/loadBalancer:LoadBalancer": "aws_lb",
        "aws:alb/loadBalancer:LoadBalancer": "aws_alb",
        "aws:elb/loadBalancer:LoadBalancer": "aws_elb",
        "aws:elb/loadBalancerPolicy:LoadBalancerPolicy": "aws_load_balancer_policy",
        "aws:elb/listenerPolicy:ListenerPolicy": "aws_load_balancer_listener_policy",
        "aws:elb/loadBalancerBackendServerPolicy:LoadBalancerBackendServerPolicy": (
            "aws_load_balancer_backend_server_policy"
        ),
        "aws:elb/appCookieStickinessPolicy:AppCookieStickinessPolicy": (
            "aws_app_cookie_stickiness_policy"
        ),
        "aws:elb/loadBalancerCookieStickinessPolicy:LoadBalancerCookieStickinessPolicy": (
            "aws_lb_cookie_stickiness_policy"
        ),
        "aws:elb/sslNegotiationPolicy:SslNegotiationPolicy": "aws_lb_ssl_negotiation_policy",
        "aws:cloudtrail/trail:Trail": "aws_cloudtrail",
        "aws:ec2transitgateway/transitGateway:TransitGateway": "aws_ec2_transit_gateway",
        "aws:ec2transitgateway/instanceConnectEndpoint:InstanceConnectEndpoint": (
            "aws_ec2_instance_connect_endpoint"
        ),
        "aws:ec2transitgateway/instanceState:InstanceState": "aws_ec2_instance_state",
        "aws:apigateway/response:Response": "aws_api_gateway_gateway_response",
        "aws:cfg/rule:Rule": "aws_config_config_rule",
        "aws:cfg/recorder:Recorder": "aws_config_configuration_recorder",
        "aws:cfg/recorderStatus:RecorderStatus": "aws_config_configuration_recorder_status",
        "aws:autoscaling/tag:Tag": "aws_autoscaling_group_tag",
        "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "aws_iam_openid_connect_provider",
        "aws:ec2/networkInterfaceSecurityGroupAttachment:NetworkInterfaceSecurityGroupAttachment": (
            "aws_network_interface_sg_attachment"
        ),
        "aws:s3/bucketObjectv2:BucketObjectv2": "aws_s3_object",
        "aws:s3/inventory:Inventory": "aws_s3_bucket_inventory",
        "aws:s3/analyticsConfiguration:AnalyticsConfiguration": (
            "aws_s3_bucket_analytics_configuration"
        ),
        "aws:ec2/dedicatedHost:DedicatedHost": "aws_ec2_host",
        "aws:account/alternativeContact:AlternativeContact": "aws_account_alternate_contact",
        "aws:appconfig/eventIntegration:EventIntegration": "aws_appintegrations_event_integration",
        "aws:appsync/dataSource:DataSource": "aws_appsync_datasource",
        "aws:appsync/graphQLApi:GraphQLApi": "aws_appsync_graphql_api",
        # Google Cloud
        "gcp:serviceaccount/account:Account": "google_service_account",
        "gcp:organizations/project:Project": "google_project",
        "gcp:organizations/folder:Folder": "google_folder",
        # Azure classic: types whose Terraform name is not `azurerm_<member>`
        "azure:containerservice/registry:Registry": "azurerm_container_registry",
        "azure:keyvault/key:Key": "azurerm_key_vault_key",
        "azure:operationalinsights/analyticsSolution:AnalyticsSolution": (
            "azurerm_log_analytics_solution"
        ),
        "azure:operationalinsights/analyticsWorkspace:AnalyticsWorkspace": (
            "azurerm_log_analytics_workspace"
        ),
        "azure:compute/dataDiskAttachment:DataDiskAttachment": (
            "azurerm_virtual_machine_data_disk_attachment"
        ),
        # Azure native (ARM names that azurerm spells differently)
        "azure-native:network:PublicIPAddress": "azurerm_public_ip",
        "azure-native:network:LoadBalancer": "azurerm_lb",
        "azure-native:network:SecurityRule": "azurerm_network_security_rule",
        "azure-native:network:PrivateZone": "azurerm_private_dns_zone",
        "azure-native:network:Zone": "azurerm_dns_zone",
        "azure-native:storage:BlobContainer": "azurerm_storage_container",
        "azure-native:web:AppServicePlan": "azurerm_service_plan",
        "azure-native:keyvault:Vault": "azurerm_key_vault",
        "azure-native:keyvault:AccessPolicy": "azurerm_key_vault_access_policy",
        "azure-native:insights:DiagnosticSetting": "azurerm_monitor_diagnostic_setting",
        "azure-native:insights:Component": "azurerm_application_insights",
        "azure-native:cache:Redis": "azurerm_redis_cache",
        "azure-native:documentdb:DatabaseAccount": "azurerm_cosmosdb_account",
        "azure-native:sql:Server": "azurerm_mssql_server",
        "azure-native:sql:Database": "azurerm_mssql_database",
        "azure-native:machinelearningservices:Workspace": "azurerm_machine_learning_workspace",
        **dict.fromkeys(
            (
                "azure-native:authorization:ManagementLockAtResourceGroupLevel",
                "azure-native:authorization:ManagementLockAtResourceLevel",
                "azure-native:authorization:ManagementLockAtSubscriptionLevel",
                "azure-native:authorization:ManagementLockByScope",
            ),
            "azurerm_management_lock",
        ),
    }
)
"""Tokens whose Terraform type is not the naming convention's (checked against the
providers' bridge metadata, `renames.resources`); translated with the generic conversion."""

_MODULES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "aws": {
            "apigateway": "api_gateway",
            "cfg": "config",
            "amp": "prometheus",
            "ec2transitgateway": "ec2_transit_gateway",
            "ec2clientvpn": "ec2_client_vpn",
            "directoryservice": "directory_service",
        },
        "gcp": {
            "serviceaccount": "service_account",
            "projects": "project",
            "organizations": "organization",
            "artifactregistry": "artifact_registry",
            "secretmanager": "secret_manager",
            "cloudrun": "cloud_run",
            "cloudrunv2": "cloud_run_v2",
            "cloudfunctionsv2": "cloudfunctions2",
            "gkehub": "gke_hub",
        },
        "azure": {"machinelearning": "machine_learning"},
    }
)
"""Pulumi modules whose Terraform types carry another prefix (`aws:cfg/...` -> `aws_config_`)."""

_EC2_PREFIXED = frozenset(
    {
        "fleet",
        "capacity_reservation",
        "capacity_block_reservation",
        "host",
        "tag",
        "instance_state",
        "serial_console_access",
    }
)
"""EC2 resources whose Terraform names keep the `ec2_` prefix (most drop it)."""

_AZURE_NATIVE_VERSION = re.compile(r"/v\d{8}(preview)?$")


@dataclass(frozen=True, slots=True)
class Token:
    """A type token `package:module/member:Type`, split."""

    package: str
    module: str
    name: str

    @classmethod
    def parse(cls, token: str) -> Token:
        """Split a token; azure-native API versions (`compute/v20230301`) are dropped."""
        parts = token.split(":")
        if len(parts) != 3:
            return cls(parts[0], "", parts[-1])
        package, module, name = parts
        module = (
            module.split("/", 1)[0]
            if package != "azure-native"
            else (_AZURE_NATIVE_VERSION.sub("", module))
        )
        return cls(package, module, name)

    def normalised(self, token: str) -> str:
        """The token without an azure-native API version."""
        return (
            f"{self.package}:{self.module}:{self.name}" if self.package == "azure-native" else token
        )


def terraform_type(token: str) -> str:
    """The Terraform type a token stands for: listed, else derived by naming convention."""
    parsed = Token.parse(token)
    listed = _TYPES.get(parsed.normalised(token))
    if isinstance(listed, _Bridged):
        return listed.type
    if listed is not None:
        return listed(EMPTY).type
    return RENAMED.get(parsed.normalised(token)) or _derived_type(parsed)


def _derived_type(token: Token) -> str:
    provider = PROVIDERS.get(token.package, token.package.replace("-", "_"))
    name = snake(token.name)
    module = _MODULES.get(token.package, {}).get(token.module) or snake(token.module).replace(
        "-", "_"
    )
    if token.package == "aws" and module == "s3" and name.endswith("_v2"):
        name = name[:-3]
    if token.package == "aws" and module == "ec2":
        return f"aws_ec2_{name}" if name in _EC2_PREFIXED else f"aws_{name}"
    if token.package == "azure" and token.module in _MODULES["azure"]:
        return f"azurerm_{module}_{name}"  # azure:machinelearning/workspace -> ..._workspace
    if token.package in ("azure", "azure-native"):
        if module == "storage" and not name.startswith("storage"):
            return f"azurerm_storage_{name}"
        return f"azurerm_{name}"
    if name.startswith(f"{provider}_"):  # random:index/randomString -> random_string
        return name
    if module in ("", "index") or name.startswith(module):
        return f"{provider}_{name}"
    return f"{provider}_{module}_{name}"


def translate(token: str, inputs: Mapping[str, Any]) -> Translated:
    """A Pulumi resource's inputs as the Terraform resource pricers and rules expect."""
    parsed = Token.parse(token)
    translator = _TYPES.get(parsed.normalised(token))
    if translator is None:
        renamed = RENAMED.get(parsed.normalised(token))
        translator = _Bridged(renamed or _derived_type(parsed))
    return translator(inputs)


def leaf_paths(value: Any, prefix: str) -> Iterator[str]:
    """Dotted attribute paths under *prefix* (blocks stepped into), for references."""
    yield prefix
    items: tuple[Any, ...] = value if isinstance(value, tuple) else (value,)
    for item in items:
        if isinstance(item, Mapping):
            for key, sub in item.items():
                yield from leaf_paths(sub, f"{prefix}.{key}")
