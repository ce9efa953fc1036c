"""Infracost usage files (`version: 0.1`), read as they are next to costgate's own format.

Infracost keys usage by address (`resource_usage`) and by type
(`resource_type_default_usage`). Keys whose meaning costgate shares are translated to its
own (`monthly_hrs` -> `monthly_hours`, `instances`, `storage_gb`, ...); every other key is
listed in the run's warnings as not used, so nothing in the file is dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from costgate.facts.aws import S3_RESTORE_SPEEDS

SHARED_KEYS = {
    "monthly_hrs": "monthly_hours",
    "instances": "instances",
    "nodes": "instances",
    "storage_gb": "storage_gb",
    "objects": "objects",
    "monthly_cpu_credit_hrs": "cpu_credit_hours",
    "vcpu_count": "vcpu_count",
    "autopilot_vcpu_count": "pod_vcpus",
    "autopilot_memory_gb": "pod_memory_gib",
    "autopilot_ephemeral_storage_gb": "pod_ephemeral_storage_gib",
    **{
        key: key
        for key in (  # azurerm_storage_account: the same keys in costgate
            "monthly_write_operations",
            "monthly_list_and_create_container_operations",
            "monthly_read_operations",
            "monthly_other_operations",
            "monthly_iterative_read_operations",
            "monthly_iterative_write_operations",
            "monthly_data_retrieval_gb",
            "monthly_data_write_gb",
            "blob_index_tags",
            "early_deletion_gb",
            "data_at_rest_storage_gb",
            "snapshots_storage_gb",
            "metadata_at_rest_storage_gb",
        )
    },
    "monthly_requests": "monthly_requests",
    "monthly_data_ingested_gb": "monthly_data_ingested_gb",
    "monthly_data_processed_gb": "monthly_data_processed_gb",
    "assigned_vms": "assigned_vms",
    "monthly_standard_io_requests": "monthly_io_requests",
    "monthly_class_a_operations": "monthly_class_a_operations",
    "monthly_class_b_operations": "monthly_class_b_operations",
    **{
        key: key
        for key in (  # aws_ebs_snapshot: the same keys in costgate
            "monthly_list_block_requests",
            "monthly_get_block_requests",
            "monthly_put_block_requests",
            "fast_snapshot_restore_hours",
        )
    },
}
"""Infracost key -> costgate key, where both mean the same quantity."""

EGRESS_BLOCK = "monthly_egress_data_transfer_gb"
"""Infracost's google_storage_bucket egress block -> costgate's `egress_gb` (same
destination keys)."""

EGRESS_DESTINATIONS = ("worldwide", "asia", "china", "australia", "same_continent")
"""The destinations of `egress_gb` (costgate) and of Infracost's egress block."""

TEXT_KEYS = {
    "operating_system": "operating_system",
    "reserved_instance_type": "reserved_instance_type",
    "reserved_instance_term": "reserved_instance_term",
    "reserved_instance_payment_option": "reserved_instance_payment_option",
}
"""Infracost keys with a text value that costgate reads under its own name."""

TEXT_VALUES = {
    "operating_system": ("linux", "windows"),
    "reserved_instance_type": ("standard", "convertible"),
    "reserved_instance_term": ("1_year", "3_year"),
    "reserved_instance_payment_option": ("no_upfront", "partial_upfront", "all_upfront"),
}
"""The values costgate reads for each text key; any other value is listed as not used."""

PER_CLASS_STORAGE = "standard"
"""S3's per-class usage block: `standard.storage_gb` is the bucket's stored GB, which
lifecycle rules then split."""

S3_CLASS_VOLUMES = {
    ("standard_infrequent_access", "storage_gb"): "STANDARD_IA",
    ("one_zone_infrequent_access", "storage_gb"): "ONEZONE_IA",
    ("glacier_flexible_retrieval", "storage_gb"): "GLACIER",
    ("glacier_deep_archive", "storage_gb"): "DEEP_ARCHIVE",
    ("intelligent_tiering", "frequent_access_storage_gb"): "INTELLIGENT_TIERING_FREQUENT",
    ("intelligent_tiering", "infrequent_access_storage_gb"): "INTELLIGENT_TIERING_INFREQUENT",
    ("intelligent_tiering", "archive_access_storage_gb"): "INTELLIGENT_TIERING_ARCHIVE",
    ("intelligent_tiering", "deep_archive_access_storage_gb"): "INTELLIGENT_TIERING_DEEP_ARCHIVE",
}
"""Infracost's other S3 class blocks: GB already stored in a class -> costgate's
`class_storage_gb` entry (priced as it is, not split by lifecycle rules)."""

S3_CLASS_BLOCKS = {
    "standard": "STANDARD",
    "standard_infrequent_access": "STANDARD_IA",
    "one_zone_infrequent_access": "ONEZONE_IA",
    "intelligent_tiering": "INTELLIGENT_TIERING",
    "glacier_flexible_retrieval": "GLACIER",
    "glacier_deep_archive": "DEEP_ARCHIVE",
}
"""Infracost's S3 per-class usage block -> costgate's storage class."""

S3_CLASS_USAGE = {
    "monthly_tier_1_requests": "tier1_requests",
    "monthly_tier_2_requests": "tier2_requests",
    "monthly_data_retrieval_gb": "retrieval_gb",
    "monthly_select_data_scanned_gb": "select_scanned_gb",
    "monthly_select_data_returned_gb": "select_returned_gb",
}
"""Infracost's per-class request, retrieval and S3 Select keys -> costgate's `class_usage`
keys, in every class block."""

S3_SPEEDS = {
    block: S3_RESTORE_SPEEDS[storage_class]
    for block, storage_class in S3_CLASS_BLOCKS.items()
    if storage_class in S3_RESTORE_SPEEDS
}
"""Restore speeds of Infracost's archive class blocks, those of their classes."""

S3_BLOCK_USAGE = {
    **{
        (block, "monthly_lifecycle_transition_requests"): "transition_requests"
        for block in S3_CLASS_BLOCKS
        if block != PER_CLASS_STORAGE  # lifecycle rules transition out of STANDARD only
    },
    ("intelligent_tiering", "monitored_objects"): "monitored_objects",
    **{
        (block, f"monthly_{speed}_data_retrieval_{what}"): f"{speed}_retrieval_{what}"
        for block, speeds in S3_SPEEDS.items()
        for speed in speeds
        for what in ("requests", "gb")
    },
    **{
        ("glacier_flexible_retrieval", f"monthly_{speed}_select_data_{what}_gb"): (
            f"{speed}_select_{what}_gb"
        )
        for speed in S3_SPEEDS["glacier_flexible_retrieval"]
        for what in ("scanned", "returned")
    },
}
"""Infracost's per-class keys that only some blocks have -> costgate's `class_usage` keys:
lifecycle transitions into the class, Intelligent-Tiering monitored objects, and the Glacier
classes' restores and Glacier Select by speed (`early_delete_gb` is not read:
`EARLY_DELETE_UNREAD`)."""


S3_EARLY_DELETE = {(block, "early_delete_gb") for block in S3_CLASS_BLOCKS}
EARLY_DELETE_UNREAD = (
    "AWS bills an object deleted before its class's minimum storage duration for the days "
    "left of the minimum, which a GB figure does not give; costgate models early deletion "
    "from the bucket's lifecycle rules (Intelligent-Tiering has no minimum since 2021)"
)
"""Why Infracost's S3 `early_delete_gb` is not read (docs/pricing-notes.md, s3)."""


def is_infracost_usage(data: Any) -> bool:
    """An Infracost usage document: `version: 0.1` and its resource maps."""
    return (
        isinstance(data, Mapping)
        and str(data.get("version")) == "0.1"
        and ("resource_usage" in data or "resource_type_default_usage" in data)
    )


Origins = dict[tuple[str, str], tuple[str, dict[str, str]]]
"""(section, costgate entry name) -> (the entry's name in the file, costgate key -> the
Infracost key(s) it came from), so a warning about a translated entry names what the user
wrote."""


def translate(
    data: Mapping[str, Any], origins: Origins | None = None
) -> tuple[dict[str, Any], list[str]]:
    """(costgate usage document, warnings naming every key that was not used); *origins*,
    when given, gets how the file wrote each translated entry."""
    warnings: list[str] = []
    if origins is None:
        origins = {}
    doc: dict[str, Any] = {"version": 1, "defaults": {}, "resources": {}}
    for section, target in (
        ("resource_type_default_usage", "defaults"),
        ("resource_usage", "resources"),
    ):
        for name, usage in (data.get(section) or {}).items():
            keys: dict[str, str] = {}
            entry = _entry(str(name), usage or {}, warnings, keys)
            if entry:
                # `x.y[*]` is every instance of x.y: costgate's entry without instance keys
                address = str(name).removesuffix("[*]")
                doc[target][address] = entry
                origins[(target, address)] = (str(name), keys)
    return doc, warnings


INLINE_POOL = re.compile(r"node_pool\[(\d+)\]")
"""Infracost's key for a GKE cluster's inline pool (`node_pool[0]: {nodes: 4}`)."""

GKE_TYPES = ("google_container_node_pool", "google_container_cluster")
"""Infracost's `nodes` on these is per zone (its usage reference: "node count per zone")."""


def _class_usage(out: dict[str, Any], block: str, key: str, value: Any) -> bool:
    """Put an S3 per-class request, transition, monitoring, retrieval or S3 Select figure
    into `class_usage`; False when it is not one costgate reads."""
    storage_class = S3_CLASS_BLOCKS.get(block)
    target = S3_CLASS_USAGE.get(key) or S3_BLOCK_USAGE.get((block, key))
    if storage_class is None or target is None or not isinstance(value, (int, float, Decimal)):
        return False
    out.setdefault("class_usage", {}).setdefault(storage_class, {})[target] = value
    return True


def _egress(out: dict[str, Any], block: Mapping[str, Any]) -> list[str]:
    """Copy Infracost's egress block into `egress_gb`; the keys not read, to warn about."""
    unused = []
    for k, v in block.items():
        if k in EGRESS_DESTINATIONS and isinstance(v, (int, float, Decimal)):
            out.setdefault("egress_gb", {})[str(k)] = v
        else:
            unused.append(f"{EGRESS_BLOCK}.{k}")
    return unused


def _entry(
    name: str, usage: Mapping[str, Any], warnings: list[str], origins: dict[str, str]
) -> dict[str, Any]:
    """The costgate entry for one Infracost entry; *origins* gets, per costgate key, the
    Infracost key(s) it came from."""
    out: dict[str, Any] = {}
    unused: list[str] = []
    per_zone = any(t in name.split(".") for t in GKE_TYPES)
    for key, value in usage.items():
        before = {target: _leaves(figures) for target, figures in out.items()}
        if key == "nodes" and per_zone and isinstance(value, (int, float, Decimal)):
            out["nodes_per_zone"] = value
        elif per_zone and (pool := INLINE_POOL.fullmatch(str(key))) and isinstance(value, Mapping):
            nodes = value.get("nodes")
            if isinstance(nodes, (int, float, Decimal)):
                out.setdefault("node_pools", {})[pool[1]] = {"nodes_per_zone": nodes}
            unused += [f"{key}.{k}" for k in value if k != "nodes"]
        elif key == EGRESS_BLOCK and isinstance(value, Mapping):
            unused += _egress(out, value)
        elif key in SHARED_KEYS and isinstance(value, (int, float, Decimal)):
            out[SHARED_KEYS[key]] = value
        elif key in TEXT_KEYS and str(value).lower() in TEXT_VALUES[key]:
            out[TEXT_KEYS[key]] = str(value).lower()
        elif key == PER_CLASS_STORAGE and isinstance(value, Mapping):
            if "storage_gb" in value:
                out["storage_gb"] = value["storage_gb"]
            unused += [
                f"{key}.{k}"
                for k in value
                if k != "storage_gb" and not _class_usage(out, str(key), str(k), value[k])
            ]
        elif isinstance(value, Mapping):
            for k, v in value.items():
                storage_class = S3_CLASS_VOLUMES.get((str(key), str(k)))
                if storage_class and isinstance(v, (int, float, Decimal)):
                    out.setdefault("class_storage_gb", {})[storage_class] = v
                elif not _class_usage(out, str(key), str(k), v):
                    unused.append(f"{key}.{k}")
        else:
            unused.append(str(key))
        for target, figures in out.items():
            if target not in before:
                origins[target] = str(key)
            elif _leaves(figures) > before[target]:  # another block of a nested map
                origins[target] += f", {key}"
    early = sorted(k for k in unused if k.partition(".")[::2] in S3_EARLY_DELETE)
    unused = [k for k in unused if k not in early]
    if unused:
        warnings.append(
            f"Infracost usage for {name}: {', '.join(sorted(unused))} not used by costgate "
            "(see docs/usage-file.md for the keys it reads)"
        )
    if early:
        warnings.append(
            f"Infracost usage for {name}: {', '.join(early)} not used: {EARLY_DELETE_UNREAD}"
        )
    return out


def _leaves(value: Any) -> int:
    """How many figures *value* holds (a nested block counts its own)."""
    return sum(map(_leaves, value.values())) if isinstance(value, Mapping) else 1
