"""Cloud TPUs (`google_tpu_v2_vm`, `google_tpu_node`): chips x hours at the per-chip-hour
rate of their version; the price includes the TPU host."""

from __future__ import annotations

from decimal import Decimal

from costgate.facts import google
from costgate.pricing.google.compute import region_of
from costgate.pricing.quote import Quote, Unpriceable


def price_tpu(q: Quote) -> None:
    """On-demand chip-hours; a Spot/preemptible TPU is unpriced (no dated Spot TPU price)."""
    found = google.tpu_slice(q.resource)
    if isinstance(found, str):
        raise Unpriceable(found)
    version, chips, why = found
    if google.tpu_spot(q.resource):
        raise Unpriceable(
            f"Spot TPU {version} ({chips} chips): the catalog has no dated Spot TPU price"
        )
    if "not set" in why:
        q.note(why)
    q.add(
        f"TPU {version} ({chips} chips x {q.hours()} h)",
        q.hours() * Decimal(chips),
        "tpu",
        version,
        "on_demand",
        region=region_of(q),
    )
