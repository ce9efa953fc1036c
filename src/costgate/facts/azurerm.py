"""Azure facts: a storage account's management policy rules with their filters."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from costgate.facts.index import StackIndex
from costgate.facts.specs import Disk, LifecycleRule, Market, ObjectStorage
from costgate.facts.values import blocks, days, first, scalar, text
from costgate.model import EMPTY, Resource, freeze, is_unknown

TIER_ACTIONS = (("tier_to_cool", "Cool"), ("tier_to_cold", "Cold"), ("tier_to_archive", "Archive"))
DAY_BASES = ("modification", "creation", "last_access_time")


def market(resource: Resource) -> Market:
    """Spot for `priority = "Spot"` (VMs, scale sets, AKS node pools), low priority for
    Azure ML `vm_priority = "LowPriority"`; anything else pays as you go."""
    if resource.type == "azurerm_machine_learning_compute_cluster":
        priority = scalar(resource.attr("vm_priority"), "vm_priority")
        low = isinstance(priority, str) and priority.lower() == "lowpriority"
        return Market.LOW_PRIORITY if low else Market.ON_DEMAND
    return pool_market(resource.attributes)


def pool_market(pool: Mapping[str, Any]) -> Market:
    """A VM's or node pool's market from its `priority` (the AKS default pool is a block)."""
    priority = scalar(pool.get("priority"), "priority")
    spot = isinstance(priority, str) and priority.lower() == "spot"
    return Market.SPOT if spot else Market.ON_DEMAND


def os_disk(resource: Resource) -> Disk | None:
    """A VM's or scale set's OS disk (`os_disk`, legacy `storage_os_disk`), sized only when
    both its size and type are known; None when a legacy VM declares none."""
    if resource.type == "azurerm_virtual_machine":
        block = first(resource.attr("storage_os_disk"))
        if not block:
            return None
        return managed_disk("OS disk", block.get("managed_disk_type"), block.get("disk_size_gb"))
    block = first(resource.attr("os_disk"))
    if not block:
        return Disk("OS disk", missing="OS disk not priced (size unknown until apply)")
    return managed_disk("OS disk", block.get("storage_account_type"), block.get("disk_size_gb"))


def managed_disk(label: str, account_type: Any, size: Any) -> Disk:
    """A managed disk of a known type and size; either taken from the image is missing."""
    size = scalar(size, f"{label} disk_size_gb")
    account_type = scalar(account_type, f"{label} storage account type")
    if size is None or is_unknown(size) or account_type is None or is_unknown(account_type):
        return Disk(
            label,
            missing=f"{label}: size or type unknown until apply (taken from the image); not priced",
        )
    return Disk(label, str(account_type), Decimal(size))


def node_pool_cluster(pool: Resource, index: StackIndex) -> Resource | None:
    """The `azurerm_kubernetes_cluster` a node pool belongs to (its location is the
    pool's: node pools have no location of their own)."""
    return index.referenced(pool, "kubernetes_cluster_id", "azurerm_kubernetes_cluster")


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
    tier = text(account.attr("access_tier"))
    replication = text(account.attr("account_replication_type"))
    notes = []
    prefixes = [r.prefix for r in rules if not r.narrowed]
    if len(prefixes) != len(set(prefixes)) and policy is not None:
        notes.append(f"{policy.address}: several rules match the same blobs; the first is modelled")
    return ObjectStorage(
        resource=account,
        service="blob",
        initial_class=tier or "Hot",
        initial_class_assumed=tier is None,
        rules=tuple(rules),
        declared_in=policy,
        replication=replication or "LRS",
        notes=tuple(notes),
    )


def _days(base: Mapping[str, Any], action: str) -> Decimal | None:
    """Days for an Azure action on any basis; the provider reads -1 as "not set"."""
    for basis in DAY_BASES:
        value = days(base.get(f"{action}_after_days_since_{basis}_greater_than"))
        if value is not None and value >= 0:
            return value
    return None
