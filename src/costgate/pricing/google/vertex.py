"""Vertex AI resources that carry a machine spec (dedicated serving resources)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from costgate.facts.values import scalar
from costgate.model import is_unknown
from costgate.pricing.google.compute import region_of
from costgate.pricing.quote import Quote

SPEC = "dedicated_resources.machine_spec"
RATE_NOTE = (
    "Vertex AI prediction rates (vCPU + RAM SKUs of the machine, each accelerator on its own "
    "SKU), not Compute Engine's; `costgate pricing refresh gcp` fills them from the Cloud "
    "Billing Catalog API"
)


def accelerator_type(value: Any) -> str:
    """A Vertex `acceleratorType` enum (NVIDIA_TESLA_T4, NVIDIA_H100_80GB) as the Compute
    Engine accelerator type the catalog keys on (nvidia-tesla-t4, nvidia-h100-80gb)."""
    return str(value).strip().lower().replace("_", "-")


def price_deployment_resource_pool(q: Quote) -> None:
    """`google_vertex_ai_deployment_resource_pool`: min replicas x (machine + accelerators)
    for every hour of the month: a deployed pool is billed while it exists, predictions or
    not.

    Vertex AI bills its own per-machine rates; without them in the catalog the resource is
    reported unpriced rather than priced at Compute Engine rates.
    """
    resources = q.resource.block("dedicated_resources")
    spec = resources.get("machine_spec") or [{}]
    machine = str(
        q.known(spec[0].get("machine_type"), "dedicated_resources.machine_spec.machine_type")
    )
    replicas = q.count((resources.get("min_replica_count"), "min_replica_count"))
    region = region_of(q)
    q.add(
        f"Vertex AI prediction nodes ({machine} x {replicas})",
        q.hours() * replicas,
        "vertex",
        machine,
        "prediction",
        region=region,
    )
    accelerator = spec[0].get("accelerator_type")
    count = spec[0].get("accelerator_count")
    if is_unknown(accelerator) or is_unknown(count):  # GPUs there, how many or which unknown
        with q.component("Vertex AI accelerators"):
            q.known(accelerator, f"{SPEC}.accelerator_type")
            q.known(count, f"{SPEC}.accelerator_count")
        q.note(RATE_NOTE)
        return
    count = scalar(count, f"{SPEC}.accelerator_count") or 0
    if accelerator and count:
        gpu = accelerator_type(accelerator)
    else:
        from costgate.pricing.refresh.gcp import bundled_gpu  # the one machine -> GPU map

        bundled = bundled_gpu(machine, q.product("compute", machine))
        if not bundled or not bundled[0]:
            q.note(RATE_NOTE)
            return
        gpu, count = bundled
        q.note(
            f"{machine} comes with {count} x {gpu}; the machine_spec names no accelerator, "
            "so the bundled ones are priced (Vertex AI bills them apart)"
        )
    q.add(
        f"Vertex AI accelerators ({gpu} x {count} per node)",
        q.hours() * replicas * Decimal(count),
        "vertex",
        gpu,
        "prediction",
        region=region,
    )
    q.note(RATE_NOTE)
