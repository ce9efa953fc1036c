"""Vertex AI SKUs of the Cloud Billing Catalog API (service C7E2-9256-1C43).

Vertex AI bills a prediction node or a training replica as its machine's vCPU-hours and
GiB-hours at Vertex AI's own rates, plus each accelerator per hour: "Vertex AI: Online/Batch
Prediction N1 Predefined Instance Core running in Americas", "Vertex AI: Online/Batch
Prediction Nvidia H100 80gb GPU running in Iowa", "Vertex AI: Training/Pipelines on A3
Instance RAM in Iowa", "Vertex AI: Training/Pipelines on NVIDIA H100 80GB in Iowa". Unlike a
Compute Engine A2/A3/G2 price, a Vertex machine rate never includes GPUs: the machine_spec
names its accelerators and each is billed on its own SKU. The text after the Vertex prefix
has the Compute Engine shape, so `gcp.parse_sku` reads it.

Not read: the management-fee SKUs ("... management fee on A3 Instance Core in Iowa", billed
with DWS flex-start and reservation capacity, not on-demand nodes), Spot SKUs, and anything
else (AutoML, generative AI).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from costgate.pricing.catalog import Catalog
from costgate.pricing.refresh import Fetched, Request
from costgate.pricing.refresh.gcp import Sku, bundled_gpu, core_and_ram, parse_sku

_PREFIX = re.compile(
    r"^(?:Vertex AI: )?(?P<use>Online/Batch Prediction|Training/Pipelines on) (?P<rest>.+)$"
)
KINDS = {"Online/Batch Prediction": "prediction", "Training/Pipelines on": "training"}
"""SKU description prefix -> catalog kind of the `vertex` entries."""

Table = Mapping[tuple[str, tuple[str, str], str], Sku]


def parse_vertex_sku(raw: Mapping[str, Any]) -> tuple[str, Sku] | None:
    """(kind, component) of an on-demand Vertex AI prediction or training SKU, else None."""
    match = _PREFIX.match(str(raw.get("description", "")))
    if not match:
        return None
    sku = parse_sku({**raw, "description": match.group("rest")})
    if sku is None or sku.spot:
        return None
    return KINDS[match.group("use")], sku


def _table(pages: Iterable[Mapping[str, Any]]) -> Table:
    table: dict[tuple[str, tuple[str, str], str], Sku] = {}
    for page in pages:
        for raw in page.get("skus") or ():
            if parsed := parse_vertex_sku(raw):
                kind, sku = parsed
                for region in sku.regions:
                    table[(kind, sku.component, region)] = sku
    return table


def _machine(
    machine: str, facts: Mapping[str, Any], kind: str, region: str, table: Table
) -> Fetched | None:
    skus = core_and_ram(machine, facts, lambda component: table.get((kind, component, region)))
    if skus is None:
        return None
    core, ram = skus
    vcpu = Decimal(str(facts["vcpu"]))
    memory = Decimal(str(facts["memory_gib"]))
    note = (
        f"Vertex AI {kind}: {vcpu} vCPU x {core.price} + {memory} GiB x {ram.price}, "
        f"accelerators billed apart (SKUs effective {core.effective})"
    )
    return Fetched(
        "vertex", machine, region, kind, "hour", vcpu * core.price + memory * ram.price, note
    )


def _accelerators(catalog: Catalog, request: Request) -> set[str]:
    """The accelerator types asked for: GPU types in `--types` and those bundled with a
    requested machine (on Vertex AI a machine_spec names them and pays them apart)."""
    wanted = {t for t in request.types if t.startswith("nvidia-")}
    for machine in request.types:
        bundled = bundled_gpu(machine, catalog.product("google", "compute", machine))
        if bundled and bundled[0]:
            wanted.add(bundled[0])
    return wanted


def vertex_prices(
    pages: Iterable[Mapping[str, Any]], catalog: Catalog, request: Request
) -> list[Fetched]:
    """Vertex AI prediction and training rates in the requested regions: each requested
    machine type (from its vCPU and memory facts) and each requested or bundled accelerator
    type. A pure function of the pages."""
    table = _table(pages)
    accelerators = _accelerators(catalog, request)
    out = []
    for region in request.regions:
        for kind in KINDS.values():
            for machine in request.types:
                facts = catalog.product("google", "compute", machine)
                if found := _machine(machine, facts, kind, region, table):
                    out.append(found)
            for gpu in sorted(accelerators):
                if sku := table.get((kind, ("gpu", gpu), region)):
                    note = f"Vertex AI {kind}, per accelerator (SKU effective {sku.effective})"
                    out.append(Fetched("vertex", gpu, region, kind, "hour", sku.price, note))
    return out
