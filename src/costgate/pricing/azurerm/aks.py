"""AKS control plane: `sku_tier` Free costs nothing, Standard and Premium are billed per
cluster-hour (the cluster's nodes are priced separately, as node pools)."""

from __future__ import annotations

from costgate.facts import kubernetes
from costgate.pricing.quote import Quote, Unpriceable

TIER_KINDS = {"Standard": "standard_tier", "Premium": "premium_tier"}


def add_control_plane(q: Quote) -> None:
    """The tier's cluster-hours; Free is a note, a tier without a catalog price is missing."""
    tier = kubernetes.aks_tier(q.resource)
    if tier is None:
        q.note("sku_tier unknown until apply: the control plane fee is not priced")
        return
    if tier == "Free":
        q.note("sku_tier Free: the control plane has no charge")
        return
    with q.component(f"Control plane ({tier} tier)"):
        kind = TIER_KINDS.get(tier)
        if kind is None:
            raise Unpriceable(f"sku_tier {tier!r} is not an AKS pricing tier")
        q.add(f"Control plane ({tier} tier, per cluster-hour)", q.hours(), "aks", "cluster", kind)
