"""Container registries: a daily fee by tier, once per region it is replicated to."""

from __future__ import annotations

from decimal import Decimal

from costgate.facts.values import blocks
from costgate.model import DAYS_PER_MONTH
from costgate.pricing.quote import Quote


def price_container_registry(q: Quote) -> None:
    """The tier's daily fee x 730/24 days; each geo-replication (Premium) adds the same fee
    (priced at the home region's rate). Storage above the tier's included amount is not
    priced."""
    sku = str(q.known(q.resource.attr("sku"), "sku"))
    replicas = len(blocks(q.resource.attr("georeplications")))
    copies = Decimal(1 + replicas)
    label = f"Registry ({sku}" + (f", {replicas} geo-replica(s))" if replicas else ")")
    q.add(label, DAYS_PER_MONTH * copies, "acr", sku, "registry")
    q.note("storage above the tier's included GB is billed per GB-day (not priced)")
