"""Google Cloud through the Cloud Billing Catalog API (API key from the environment).

Compute Engine bills machine types as vCPU-hours + GiB-hours of their family plus the GPUs
bundled with A2/A3/G2 machines, so a machine's hourly price is computed from those SKUs and
the catalog's product facts (vCPU, memory, accelerator). A4 is the exception: it bills only
its GPU slices (`INCLUSIVE_GPU_SERIES`). A3 Ultra and A3 Edge stay unpriced
(`UNPRICED_SERIES`): no public source names the vCPU/RAM SKUs they bill.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from costgate.errors import CatalogError
from costgate.model import HOURS_PER_MONTH
from costgate.pricing.catalog import Catalog
from costgate.pricing.refresh import Fetched, Request
from costgate.pricing.refresh.gcp_gcs import CLOUD_STORAGE, GCS, gcs_prices
from costgate.pricing.refresh.gcp_storage import (
    pricing_info,
    storage_prices,
    unit_rate,
)
from costgate.pricing.refresh.http import get_json

DEFAULT_URL = "https://cloudbilling.googleapis.com/v1"
COMPUTE_ENGINE = "6F81-5844-456A"
VERTEX_AI = "C7E2-9256-1C43"
SOURCE_ID = "gcp-cloud-billing-catalog-api"
DESCRIPTION = (
    "Cloud Billing Catalog API, Compute Engine SKUs: machine prices computed as "
    "vCPU x core SKU + GiB x RAM SKU + bundled GPUs x GPU SKU (A4: GPUs x the '(1 gpu "
    "slice)' SKU alone); Spot from the Preemptible SKUs. Vertex AI SKUs: prediction and "
    "training rates of the same machines (vCPU x core SKU + GiB x RAM SKU) and of each "
    "accelerator. Cloud Storage SKUs: bucket storage per class and location (region, "
    "dual-region, multi-region). Custom machine SKUs: per-vCPU, per-GiB and extended-memory "
    "rates of each family, on-demand and Spot; Storage Image per GiB-month."
)
KEY_VARIABLES = ("COSTGATE_GCP_API_KEY", "GOOGLE_API_KEY")
MAX_PAGES = 100

_COMPONENT = re.compile(
    r"^(?P<spot>(?:Spot )?Preemptible )?(?P<family>[A-Z][A-Z0-9]*) (?:Predefined )?"
    r"Instance (?P<resource>Core|Ram|RAM) (?:running )?in "
)
"""Machine component SKUs: "A2 Instance Core running in Americas", "Spot Preemptible N1
Predefined Instance Ram running in Belgium"; after the Vertex AI prefix also "A3 Instance
RAM in Iowa"."""
_GPU = re.compile(
    r"^(?P<spot>(?:Spot )?Preemptible )?(?:A4 )?(?:Nvidia )?(?:Tesla )?(?P<model>[A-Z]+[0-9]+)"
    r"(?: (?P<gb>\d+)GB)?(?: (?P<variant>Mega|Plus))?(?: (?P<gb2>\d+)GB)?"
    r" (?:GPU |\(1 gpu slice\) )?(?:attached to (?P<attached>.+?) VMs )?(?:running )?in ",
    re.IGNORECASE,
)
"""GPU SKUs as the API names them: "Nvidia Tesla T4 GPU running in Americas", "... attached
to Spot Preemptible VMs running in ...", "Nvidia H100 80GB Mega GPU running in ...",
"H200 141GB GPU running in ..." (no Nvidia prefix), "A4 Nvidia B200 (1 gpu slice) running in
..."; the Vertex AI service writes "Nvidia H100 80gb GPU running in Iowa" and "NVIDIA H100
80GB in Iowa" after its own prefix."""
GPU_PRODUCTS = {
    ("A100", None, None): "nvidia-tesla-a100",
    ("A100", "80", None): "nvidia-a100-80gb",
    ("T4", None, None): "nvidia-tesla-t4",
    ("V100", None, None): "nvidia-tesla-v100",
    ("P100", None, None): "nvidia-tesla-p100",
    ("P4", None, None): "nvidia-tesla-p4",
    ("L4", None, None): "nvidia-l4",
    ("H100", "80", None): "nvidia-h100-80gb",
    ("H100", "80", "MEGA"): "nvidia-h100-mega-80gb",
    ("H200", "141", None): "nvidia-h200-141gb",
    ("B200", None, None): "nvidia-b200",
}
"""(model, memory, variant in the SKU name) -> Compute Engine accelerator type. "H100 80GB
Plus" is not mapped: no public source says which machine type it bills."""

BUNDLED_GPU_BY_SERIES = {
    "a3-megagpu": "nvidia-h100-mega-80gb",
    "a3-ultragpu": "nvidia-h200-141gb",
    "a4-highgpu": "nvidia-b200",
}
"""Machine series whose bundled GPU has its own SKU, which the product facts' model name
("NVIDIA H100") does not tell apart from the A3 High one."""

INCLUSIVE_GPU_SERIES = {"a4-highgpu": "nvidia-b200"}
"""Series billed solely per GPU slice: "A4 Nvidia B200 (1 gpu slice) running in ..." and
"Spot Preemptible A4 Nvidia B200 (1 gpu slice) running in ...", whose rate includes the
machine's vCPUs, memory and Local SSD, so the machine price is GPU count x slice rate.
Google's pages read (accelerator-optimized machine family, GPU machine types) give A4's shape
but not this basis; it is the basis of independent public Billing Catalog readers:
dstackai/gpuhunt's GCP provider prices a machine whose GPU has a "(1 gpu slice)" SKU as
gpu_count x slice rate and nothing else, and other readers note that A4 has no core/RAM
SKUs (pricing/README.md, "A4, A3 Ultra and A3 Edge")."""

UNPRICED_SERIES = {
    "a3-ultragpu": "no public source names the vCPU/RAM SKUs A3 Ultra (H200) bills with its "
    "GPUs; the A3 High ones are not known to apply",
    "a3-edgegpu": "no public source names the vCPU/RAM SKUs A3 Edge (H100) bills with its "
    "GPUs; the A3 High ones are not known to apply",
}
"""Series refresh leaves unpriced, with the reason (never a guessed SKU name)."""

_LOCAL_SSD = re.compile(
    r"^SSD backed Local Storage(?: attached to (?P<attached>.+?) VMs)?(?: in .+)?$"
)
"""Local SSD per GiB-month: "SSD backed Local Storage [in Belgium]", "... attached to Spot
Preemptible VMs [in Belgium]"; the machine types that always come with it (A2 Ultra, A3)
include it in their price."""
LOCAL_SSD = ("local-ssd", "gib-month")

UNITS = {"core": "h", "ram": "GiBy.h", "gpu": "h", "local-ssd": "GiBy.mo"}
"""The API usage unit each machine component is read in: a vCPU per hour, memory per
GiB-hour, a GPU per hour, Local SSD per GiB-month (the custom machine reader shares the
core and RAM ones); a SKU in another unit is skipped rather than converted on a guess."""

USAGE_TYPES = {"OnDemand": False, "Preemptible": True}
"""category.usageType -> Spot; commitments and reservations are skipped."""


@dataclass(frozen=True, slots=True)
class Sku:
    """One regional component price: (family, Core|Ram) or a GPU type, on-demand or Spot."""

    component: tuple[str, str]
    spot: bool
    regions: tuple[str, ...]
    price: Decimal
    effective: str


def api_key() -> str:
    """The API key from the environment, or a message saying how to provide one."""
    for name in KEY_VARIABLES:
        if os.environ.get(name):
            return os.environ[name]
    raise CatalogError(
        "no Google Cloud API key: set COSTGATE_GCP_API_KEY (or GOOGLE_API_KEY) "
        "to a key with the Cloud Billing API enabled; nothing written"
    )


def _spot(raw: Mapping[str, Any], prefix: str | None) -> bool | None:
    """Spot from the category (or the description's prefix); None for commitments."""
    usage = (raw.get("category") or {}).get("usageType", "OnDemand")
    if usage not in USAGE_TYPES:
        return None
    return USAGE_TYPES[usage] or bool(prefix)


def gpu_product(match: re.Match[str]) -> str | None:
    """The accelerator type a GPU SKU description names, None for unmapped ones."""
    gb = match.group("gb") or match.group("gb2")
    variant = (match.group("variant") or "").upper() or None
    return GPU_PRODUCTS.get((match.group("model").upper(), gb, variant))


def parse_sku(raw: Mapping[str, Any]) -> Sku | None:
    """The component a Compute Engine SKU prices, or None for SKUs costgate does not use
    (commitments, sole-tenant and DWS-attached GPUs, unmapped GPUs, a component in another
    unit than `UNITS` gives: a core not per hour, RAM not per GiB-hour). A malformed
    pricing entry is a clear error (exit 2)."""
    description = str(raw.get("description", ""))
    info = pricing_info(raw)
    if not info:
        return None
    regions = tuple(raw.get("serviceRegions") or ())
    effective = str(info.get("effectiveTime") or info.get("EffectiveTime") or "")
    if match := _COMPONENT.match(description):
        spot = _spot(raw, match.group("spot"))
        kind = match.group("resource").lower()
        component = (match.group("family").lower(), kind)
    elif match := _GPU.match(description):
        attached = match.group("attached")
        spot = _spot(raw, match.group("spot") or attached)
        product = gpu_product(match)
        if not product or (attached and attached != "Spot Preemptible"):
            return None
        kind, component = "gpu", ("gpu", product)
    elif match := _LOCAL_SSD.match(description):
        attached = match.group("attached")
        spot = _spot(raw, attached)
        if attached not in (None, "Spot Preemptible"):
            return None
        kind, component = "local-ssd", LOCAL_SSD
    else:
        return None
    price = unit_rate(info, UNITS[kind])
    if spot is None or price is None:
        return None
    return Sku(component, spot, regions, price, effective)


def endpoint() -> str:
    """The API base URL (`COSTGATE_GCP_BILLING_URL` overrides it, e.g. for a proxy)."""
    return os.environ.get("COSTGATE_GCP_BILLING_URL", DEFAULT_URL)


def _pages(key: str, service: str = COMPUTE_ENGINE) -> Iterator[Mapping[str, Any]]:
    base = endpoint()
    token = ""
    for _ in range(MAX_PAGES):
        query = {"key": key, "currencyCode": "USD", "pageSize": "5000"}
        if token:
            query["pageToken"] = token
        page = get_json(
            f"{base}/services/{service}/skus?{urllib.parse.urlencode(query)}",
            "the Cloud Billing Catalog API",
        )
        if not isinstance(page, Mapping):
            raise CatalogError("the Cloud Billing Catalog API returned an unexpected document")
        yield page
        token = str(page.get("nextPageToken") or "")
        if not token:
            return
    raise CatalogError(f"the Cloud Billing Catalog API returned more than {MAX_PAGES} pages")


def series(machine: str) -> str:
    """The machine series of a machine type: `a4-highgpu-8g` -> `a4-highgpu`."""
    return "-".join(machine.split("-")[:2])


def bundled_gpu(machine: str, facts: Mapping[str, Any]) -> tuple[str, int] | None:
    """The accelerator type and count a machine type's price includes, from its facts."""
    accelerator = facts.get("accelerator")
    if not accelerator:
        return None
    count = int(accelerator["count"])
    if series(machine) in BUNDLED_GPU_BY_SERIES:
        return BUNDLED_GPU_BY_SERIES[series(machine)], count
    memory = Decimal(str(accelerator.get("memory_gib", 0))) / count
    model = str(accelerator["model"]).split()[-1].upper()
    product = GPU_PRODUCTS.get((model, "80", None)) if memory == 80 else None
    return (product or GPU_PRODUCTS.get((model, None, None)) or "", count)


def machine_prices(skus: list[Sku], catalog: Catalog, request: Request) -> list[Fetched]:
    """Machine and attachable-GPU prices for the requested regions and types."""
    table: dict[tuple[tuple[str, str], bool, str], Sku] = {}
    for sku in skus:
        for region in sku.regions:
            table[(sku.component, sku.spot, region)] = sku
    out = []
    for region in request.regions:
        for machine in request.types:
            facts = catalog.product("google", "compute", machine)
            for spot in (False, True):
                found = _price(machine, facts, spot, region, table)
                if found is not None:
                    price, note = found
                    out.append(
                        Fetched(
                            "compute",
                            machine,
                            region,
                            "spot" if spot else "on_demand",
                            "hour",
                            price,
                            note,
                        )
                    )
    return out


def core_and_ram(
    machine: str, facts: Mapping[str, Any], sku: Callable[[tuple[str, str]], Sku | None]
) -> tuple[Sku, Sku] | None:
    """The vCPU and RAM SKUs of *machine*'s family (`a3-highgpu-8g` -> `a3`), looked up by
    *sku* in a Compute Engine or Vertex AI table; None when the product facts lack vCPU or
    memory, either SKU is missing, or the series bills no core/RAM SKU of its family
    (`UNPRICED_SERIES`, `INCLUSIVE_GPU_SERIES`): the machine stays unpriced."""
    if "vcpu" not in facts or "memory_gib" not in facts:
        return None
    if series(machine) in UNPRICED_SERIES or series(machine) in INCLUSIVE_GPU_SERIES:
        return None
    family = machine.split("-", 1)[0]
    core, ram = sku((family, "core")), sku((family, "ram"))
    if core is None or ram is None:
        return None
    return core, ram


def _price(
    machine: str,
    facts: Mapping[str, Any],
    spot: bool,
    region: str,
    table: Mapping[tuple[tuple[str, str], bool, str], Sku],
) -> tuple[Decimal, str] | None:
    if machine.startswith("nvidia-"):
        sku = table.get((("gpu", machine), spot, region))
        return (sku.price, f"GPU SKU effective {sku.effective}") if sku else None
    if series(machine) in INCLUSIVE_GPU_SERIES:
        return _slices(
            machine,
            facts,
            table.get((("gpu", INCLUSIVE_GPU_SERIES[series(machine)]), spot, region)),
        )
    skus = core_and_ram(machine, facts, lambda component: table.get((component, spot, region)))
    if skus is None:
        return None
    core, ram = skus
    vcpu = Decimal(str(facts.get("billed_vcpu", facts["vcpu"])))
    memory = Decimal(str(facts["memory_gib"]))
    price = vcpu * core.price + memory * ram.price
    parts = [f"{vcpu} vCPU x {core.price} + {memory} GiB x {ram.price}"]
    bundled = bundled_gpu(machine, facts)
    if bundled:
        gpu = table.get((("gpu", bundled[0]), spot, region))
        if gpu is None:
            return None
        price += bundled[1] * gpu.price
        parts.append(f"{bundled[1]} x {bundled[0]} {gpu.price}")
    if local_gib := facts.get("bundled_local_ssd_gib"):
        ssd = table.get((LOCAL_SSD, spot, region))
        if ssd is None:
            return None
        price += Decimal(local_gib) * ssd.price / HOURS_PER_MONTH
        parts.append(f"{local_gib} GiB local SSD x {ssd.price}/month / {HOURS_PER_MONTH} h")
    return price, " + ".join(parts) + f" (SKUs effective {core.effective})"


def _slices(
    machine: str, facts: Mapping[str, Any], slice_sku: Sku | None
) -> tuple[Decimal, str] | None:
    """GPU count x the slice rate for an `INCLUSIVE_GPU_SERIES` machine; None without the
    accelerator facts or the slice SKU in the region."""
    accelerator = facts.get("accelerator")
    if not accelerator or slice_sku is None:
        return None
    count = int(accelerator["count"])
    note = (
        f"{count} x {INCLUSIVE_GPU_SERIES[series(machine)]} slice {slice_sku.price} "
        f"(the slice includes vCPUs, memory and Local SSD; SKU effective {slice_sku.effective})"
    )
    return count * slice_sku.price, note


def parse_pages(pages: Iterable[Mapping[str, Any]]) -> list[Sku]:
    """The component SKUs in Cloud Billing Catalog pages (a pure function: `pricing refresh`
    calls it on live pages, `pricing build` on recorded dumps)."""
    return [s for page in pages for raw in page.get("skus") or () if (s := parse_sku(raw))]


def fetch(request: Request, catalog: Catalog) -> list[Fetched]:
    """Read every Compute Engine SKU page and price the requested machines, plus the disk
    and snapshot SKUs of the requested regions (`gcp_storage`); then the Vertex AI pages
    for the same machines' prediction and training rates (`gcp_vertex`); custom machine
    rates and image storage from the Compute Engine pages (`gcp_custom`); then, when `gcs`
    is asked for or `--types` not given, the Cloud Storage pages (`gcp_gcs`)."""
    from costgate.pricing.refresh.gcp_custom import claim, custom_prices  # imports USAGE_TYPES
    from costgate.pricing.refresh.gcp_vertex import vertex_prices  # it imports parse_sku

    key = api_key()
    wants_gcs = GCS in request.types or not request.types_named
    request = replace(request, types=tuple(t for t in request.types if t != GCS))
    custom, request = claim(request)  # custom machine rates, image storage: same pages
    pages = list(_pages(key))
    compute = machine_prices(parse_pages(pages), catalog, request)
    vertex = vertex_prices(_pages(key, VERTEX_AI), catalog, request)
    out = compute + storage_prices(pages, request) + vertex
    out += custom_prices(pages, custom, request.regions)
    if wants_gcs:  # the default regions name no dual- or multi-region: then every location
        every = not request.regions_named
        out += gcs_prices(_pages(key, CLOUD_STORAGE), None if every else request.regions)
    return out


class GcpCloudBilling:
    """`costgate pricing refresh gcp`: the Cloud Billing Catalog API with an API key."""

    name = "gcp"
    provider = "google"
    source_id = SOURCE_ID
    description = DESCRIPTION

    def url(self) -> str:
        """The API base URL, `COSTGATE_GCP_BILLING_URL` applied."""
        return endpoint()

    def fetch(self, request: Request, shipped: Catalog) -> list[Fetched]:
        """Machine prices from component SKUs and the shipped catalog's machine facts."""
        return fetch(request, shipped)


SOURCE = GcpCloudBilling()
