"""Storage accounts: stored volume from the usage file, split by a management policy.

Azure charges early deletion from the time a blob enters a tier (Cool 30, Cold 90,
Archive 180 days), so a tier change before the minimum is billed for the remainder, the
same steady-state model the S3 pricer uses.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from costgate.model import ZERO, Resource, is_unknown
from costgate.pricing.lifecycle import timeline
from costgate.pricing.quote import Quote, StackIndex, Unpriceable

DEFAULT_LIFETIME_DAYS = Decimal(365)
"""Horizon for blobs no rule deletes; override with `object_lifetime_days` in usage."""

_ACTIONS = (
    ("tier_to_cool_after_days_since_modification_greater_than", "Cool"),
    ("tier_to_cold_after_days_since_modification_greater_than", "Cold"),
    ("tier_to_archive_after_days_since_modification_greater_than", "Archive"),
)
_DELETE = "delete_after_days_since_modification_greater_than"


def management_policy(index: StackIndex, account: Resource) -> Resource | None:
    """The `azurerm_storage_management_policy` attached to a storage account."""
    return index.linked_from(
        account, "azurerm_storage_management_policy", "storage_account_id", "id"
    )


def _base_blob_actions(
    q: Quote, policy: Resource
) -> tuple[list[tuple[Decimal, str]], Decimal | None]:
    transitions: list[tuple[Decimal, str]] = []
    expire: Decimal | None = None
    rules = policy.attr("rule")
    enabled = [r for r in (() if is_unknown(rules) else rules or ()) if r.get("enabled", True)]
    if len(enabled) > 1:
        q.note(f"{policy.address}: {len(enabled)} rules; the first enabled rule is modelled")
    for rule in enabled[:1]:
        actions = (rule.get("actions") or [{}])[0]
        base = (actions.get("base_blob") or [{}])[0]
        for attribute, tier in _ACTIONS:
            days = base.get(attribute)
            if days is not None and not is_unknown(days) and days >= 0:
                transitions.append((Decimal(days), tier))
        delete = base.get(_DELETE)
        if delete is not None and not is_unknown(delete) and delete >= 0:
            expire = Decimal(delete)
    return transitions, expire


def _product(tier: str, replication: Any) -> str:
    return f"{tier}_{replication or 'LRS'}"


def price_storage_account(q: Quote) -> None:
    """`azurerm_storage_account`: steady-state GB-months per access tier, early deletion."""
    r = q.resource
    if "storage_gb" not in q.usage:
        raise Unpriceable(
            f"usage unknown: set storage_gb for {r.base_address} in a usage file (--usage)"
        )
    if r.attr("account_tier") == "Premium":
        raise Unpriceable("Premium storage accounts are not in the pricing catalog")
    volume = Decimal(q.usage["storage_gb"])
    replication: Any = r.attr("account_replication_type")
    if is_unknown(replication):
        replication = None
    initial = r.attr("access_tier")
    if not initial or is_unknown(initial):
        initial = "Hot"
        q.note("access_tier not set: priced as Hot, the default")
    policy = management_policy(q.ctx.index, r)
    transitions, expire = _base_blob_actions(q, policy) if policy else ([], None)

    def min_days(tier: str) -> Decimal:
        return Decimal(
            q.product("blob", _product(tier, replication)).get(
                "min_storage_days", q.product("blob", f"{tier}_LRS").get("min_storage_days", 0)
            )
        )

    lifetime = Decimal(q.usage.get("object_lifetime_days", DEFAULT_LIFETIME_DAYS))
    path = timeline(str(initial), transitions, expire, lifetime, min_days)
    life = path.lifetime_days
    for stage in path.stages:
        product = _product(stage.storage_class, replication)
        q.add(
            f"Storage ({product}, {stage.days}/{life} d)",
            volume * stage.days / life,
            "blob",
            product,
            "storage",
        )
        if stage.early_deletion_days > ZERO:
            q.add(
                f"Early deletion ({product}, {stage.early_deletion_days} d short of "
                f"{stage.billed_days}-day minimum)",
                volume * stage.early_deletion_days / life,
                "blob",
                product,
                "storage",
            )
    if not path.expires:
        q.note(
            f"no delete action; blobs assumed to live {life} days "
            "(set object_lifetime_days in the usage file)"
        )
