"""GKE fleet (hub) memberships and features: fleet management of GKE clusters is included
in GKE; attached (non-GKE) clusters and some features bill on their own."""

from __future__ import annotations

from costgate.facts.values import first, text
from costgate.model import is_unknown
from costgate.pricing.free import FLEET_INCLUDED
from costgate.pricing.quote import Quote, Unpriceable

INCLUDED_FEATURES = frozenset(
    "configmanagement policycontroller fleetobservability rbacrolebindingactuation "
    "clusterupgrade".split()
)
"""Features the GKE pricing page lists as included (Config Management, Policy Controller,
fleet observability and team management)."""


def price_hub_membership(q: Quote) -> None:
    """Free for a GKE cluster (`endpoint.gke_cluster`); another cluster is unpriced."""
    endpoint = q.resource.attr("endpoint")
    if is_unknown(endpoint):
        raise Unpriceable("endpoint is unknown until apply")
    if first(endpoint).get("gke_cluster"):
        q.free(FLEET_INCLUDED)
        return
    raise Unpriceable(
        "a fleet membership of a cluster outside GKE (attached, on-premises): billed per "
        "vCPU under GKE Enterprise, not in the pricing catalog"
    )


def price_hub_feature(q: Quote) -> None:
    """Free for the features included in GKE; others (service mesh, multi-cluster
    ingress) bill per use and are unpriced."""
    name = text(q.resource.attr("name")) or ""
    if name in INCLUDED_FEATURES:
        q.free(FLEET_INCLUDED)
        return
    raise Unpriceable(f"fleet feature {name or 'unknown'!r} may bill on its own: not priced")
