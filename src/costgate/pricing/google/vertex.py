"""Vertex AI resources that carry a machine spec (dedicated serving resources)."""

from __future__ import annotations

from decimal import Decimal

from costgate.pricing.google.compute import region_of
from costgate.pricing.quote import Quote


def price_deployment_resource_pool(q: Quote) -> None:
    """`google_vertex_ai_deployment_resource_pool`: min replicas x machine (+ accelerators).

    Vertex AI bills its own per-machine rates; without them in the catalog the resource is
    reported unpriced rather than priced at Compute Engine rates.
    """
    resources = q.resource.block("dedicated_resources")
    spec = resources.get("machine_spec") or [{}]
    machine = q.known(spec[0].get("machine_type"), "dedicated_resources.machine_spec.machine_type")
    replicas = q.count((resources.get("min_replica_count"), "min_replica_count"))
    q.add(
        f"Vertex AI prediction nodes ({machine} x {replicas})",
        q.hours() * replicas,
        "vertex",
        str(machine),
        "prediction",
        region=region_of(q),
    )
    accelerator = spec[0].get("accelerator_type")
    count = spec[0].get("accelerator_count") or 0
    if accelerator and count:
        q.add(
            f"Vertex AI accelerators ({accelerator} x {count * replicas})",
            q.hours() * replicas * Decimal(count),
            "vertex",
            str(accelerator),
            "prediction",
            region=region_of(q),
        )
