"""Cloud Storage (GCS bucket) SKUs of the Cloud Billing Catalog API, service `95FF-2EF5-5EA1`.

The shipped catalog's bucket prices come from a dated dump that covers every region but
us-central2 and only the predefined dual-regions asia1/eur4/nam4; this reader fills the rest
(`us-central2`, `eur5`, `eur7`, ...) from the live API.

Which SKU is which follows the mapping of a public tool that reads the same API,
Cyclenerd/google-cloud-pricing-cost-calculator, `build/mapping.csv` at commit
dac31281f2a4575f0a8bff20ac04fc71a5ff2190 (SQL LIKE patterns, the last matching row wins):
regional Standard is "Standard Storage%" in resource group `RegionalStorage`; dual- and
multi-region Standard are "Standard Storage%Dual-region" / "%Multi-region" in
`MultiRegionalStorage`; Nearline, Coldline and Archive are "<Class> Storage%" in
`NearlineStorage` / `ColdlineStorage` / `ArchiveStorage`, with "Dual-region" or
"Multi-region" in the description for those locations. "<Class> Storage%Early Delete%" and
"<Class> Data Retrieval" (`...Ops` groups) are other SKUs. The location is the SKU's
`serviceRegions`; the same tool's `build/skus.go` shows the multi-regions as `asia`,
`europe`, `us`, which a bucket names `ASIA`, `EU`, `US`.

Only storage per GiB-month is read: the bucket pricer charges early deletion at the class's
storage rate for the remaining days (Google's documented rule) and prices no operations or
retrieval, so those SKUs would fill no catalog key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from costgate.pricing.refresh import Fetched
from costgate.pricing.refresh.gcp_storage import pricing_info, unit_rate

CLOUD_STORAGE = "95FF-2EF5-5EA1"
"""The Cloud Billing Catalog service id of Cloud Storage."""
GCS = "gcs"
"""The `--types` word asking for bucket storage (included when `--types` is not given)."""

CLASSES = {
    "Standard": "STANDARD",
    "Nearline": "NEARLINE",
    "Coldline": "COLDLINE",
    "Archive": "ARCHIVE",
}
"""SKU description's first word -> the storage class a bucket names (catalog product)."""
GROUPS = {
    ("STANDARD", "region"): "RegionalStorage",
    ("STANDARD", "dual"): "MultiRegionalStorage",
    ("STANDARD", "multi"): "MultiRegionalStorage",
    ("NEARLINE", None): "NearlineStorage",
    ("COLDLINE", None): "ColdlineStorage",
    ("ARCHIVE", None): "ArchiveStorage",
}
"""(class, location kind) -> the resource group mapping.csv gives it (None: any kind)."""
MULTI_REGIONS = {"asia": "asia", "europe": "eu", "us": "us"}
"""API multi-region -> the bucket location, lower case as the pricer looks it up."""

_CLASS = re.compile(r"^(?P<cls>Standard|Nearline|Coldline|Archive) Storage\b")
_REGION = re.compile(r"^[a-z]+-[a-z]+\d+$")
"""A region (`us-central2`); a predefined dual-region is a bare code (`eur5`)."""


def location_kind(description: str) -> str:
    """`dual`, `multi` or `region`, from the description (mapping.csv's patterns)."""
    lowered = description.lower()
    if "dual-region" in lowered:
        return "dual"
    if "multi-region" in lowered:
        return "multi"
    return "region"


def bucket_location(kind: str, service_region: str) -> str | None:
    """The catalog region of a service region, None when its shape does not fit *kind* (a
    dual-region SKU listing plain regions must not overwrite their regional price)."""
    if kind == "multi":
        return MULTI_REGIONS.get(service_region)
    is_region = bool(_REGION.match(service_region))
    if kind == "region":
        return service_region if is_region else None
    return service_region if not is_region and service_region not in MULTI_REGIONS else None


def parse_gcs_sku(raw: Mapping[str, Any]) -> Iterator[Fetched]:
    """One Fetched per location of an on-demand bucket storage SKU (the last tier's rate),
    none for early-delete, retrieval, operations or any SKU outside the mapping."""
    description = str(raw.get("description", ""))
    category = raw.get("category") or {}
    match = _CLASS.match(description)
    if (
        not match
        or "early delete" in description.lower()
        or category.get("usageType", "OnDemand") != "OnDemand"
        or category.get("resourceFamily", "Storage") != "Storage"
    ):
        return
    storage_class = CLASSES[match.group("cls")]
    kind = location_kind(description)
    group = GROUPS.get((storage_class, kind)) or GROUPS.get((storage_class, None))
    info = pricing_info(raw)
    if category.get("resourceGroup") != group or not info:
        return
    price = unit_rate(info, "GiBy.mo")
    if price is None:
        return
    note = f"SKU {raw.get('skuId', '?')} {description}, effective {info.get('effectiveTime', '')}"
    for service_region in raw.get("serviceRegions") or ():
        location = bucket_location(kind, str(service_region))
        if location is not None:
            yield Fetched(GCS, storage_class, location, "storage", "GB-month", price, note)


def gcs_prices(
    pages: Iterable[Mapping[str, Any]], locations: Iterable[str] | None
) -> list[Fetched]:
    """Bucket storage prices in *locations* (None: every location the SKUs name); the first
    SKU for a (class, location) wins, so the result is one price per catalog key."""
    wanted = None if locations is None else set(locations)
    found: dict[tuple[str, str], Fetched] = {}
    for page in pages:
        for raw in page.get("skus") or ():
            for fetched in parse_gcs_sku(raw):
                if wanted is None or fetched.region in wanted:
                    found.setdefault((fetched.product, fetched.region), fetched)
    return list(found.values())
