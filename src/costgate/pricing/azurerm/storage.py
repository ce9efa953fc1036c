"""Storage accounts: stored volume from the usage file, split by a management policy.

Azure charges early deletion from the time a blob enters a tier (Cool 30, Cold 90,
Archive 180 days), so a tier change before the minimum is billed for the remainder, the
same steady-state model the S3 pricer uses.
"""

from __future__ import annotations

from costgate.facts.storage import object_storage
from costgate.model import ZERO
from costgate.pricing.lifecycle import minimum_days, volume_groups
from costgate.pricing.quote import Quote, Unpriceable


def price_storage_account(q: Quote) -> None:
    """`azurerm_storage_account`: steady-state GB-months per access tier, early deletion;
    each usage prefix follows the policy rule that matches it."""
    r = q.resource
    if r.attr("account_tier") == "Premium":
        raise Unpriceable("Premium storage accounts are not in the pricing catalog")
    spec = object_storage(r, q.ctx.index)
    assert spec is not None
    if spec.initial_class_assumed:
        q.note("access_tier not set: priced as Hot, the default")
    for group in volume_groups(q, spec, lambda tier: minimum_days(q.ctx.catalog, spec, tier)):
        where = f", prefix {group.prefix!r}" if group.prefix else ""
        path, volume = group.path, group.volume
        life = path.lifetime_days
        for stage in path.stages:
            product = spec.products(stage.storage_class)[0]
            q.add(
                f"Storage ({product}{where}, {stage.days}/{life} d)",
                volume * stage.days / life,
                "blob",
                product,
                "storage",
            )
            if stage.early_deletion_days > ZERO:
                q.add(
                    f"Early deletion ({product}{where}, {stage.early_deletion_days} d short of "
                    f"{stage.billed_days}-day minimum)",
                    volume * stage.early_deletion_days / life,
                    "blob",
                    product,
                    "storage",
                )
        if not path.expires:
            q.note(
                f"no delete action{where}; blobs assumed to live {life} days "
                "(set object_lifetime_days in the usage file)"
            )
