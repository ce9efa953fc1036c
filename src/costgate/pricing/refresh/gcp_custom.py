"""Custom machine rates and image storage from the Compute Engine SKU pages.

No dated public dump gives N2/N2D/E2 custom, N1 extended-memory or image storage rates
(pricing/README.md, data hunt of 2026-12-05), but the Compute Engine pages `pricing refresh
gcp` already reads for machine prices carry their SKUs, so this reader costs no extra call.
It writes the catalog entries the custom pricer (`pricing.google.compute._add_custom`) and
the image pricer (`pricing.google.disk.price_image`) look up.

The SKU descriptions are Google's, as its Cloud Billing documentation lists them for the
flexible-CUD queries (docs.cloud.google.com/billing/docs/how-to/cud-analysis-flexible,
updated 2026-04-08): "Custom Instance Core|Ram running in …" (N1), "Custom Extended Instance
Ram running in …" (N1), "N2 Custom Instance Core|Ram", "N2 Custom Extended Instance Ram",
"N2D AMD Custom Instance Core|Ram", "N2D AMD Custom Extended [Instance ]Ram", "Custom E2
Instance Core|Ram". Cyclenerd/google-cloud-pricing-cost-calculator `build/mapping.csv` at
commit dac31281f2a4575f0a8bff20ac04fc71a5ff2190 maps the same custom SKUs (resource groups
`CPU` and `RAM`), their "Spot Preemptible …" forms, "N4 Custom Instance%" and "N4D Custom
Instance%", and image storage as "Storage Image%" in resource group `StorageImage`
("Storage Machine Image%", `MachineImage`, is another SKU and is not read).

Cores are read in hours (`h`), memory in GiB-hours (`GiBy.h`), images in GiB-months
(`GiBy.mo`); a SKU in another unit is skipped rather than converted on a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from costgate.errors import CatalogError
from costgate.pricing.refresh import Fetched, Request
from costgate.pricing.refresh.gcp import UNITS, USAGE_TYPES
from costgate.pricing.refresh.gcp_storage import pricing_info, unit_rate

IMAGE = ("image", "standard", "storage", "GB-month")
"""(service, product, kind, unit) of image storage: the catalog key the image pricer reads."""
IMAGE_WORDS = frozenset({"image", "images"})
"""`--types` words asking for image storage (included when `--types` is not given)."""
GLOBAL = "global"
"""A service region meaning one price everywhere: it fills every requested region."""

_CUSTOM_SKU = re.compile(
    r"^(?P<spot>(?:Spot )?Preemptible )?(?:(?P<family>[A-Z][A-Z0-9]*)(?: AMD)? )?Custom "
    r"(?:(?P<after>[A-Z][A-Z0-9]*) )?(?P<extended>Extended )?(?:Instance )?"
    r"(?P<resource>Core|Ram|RAM) running in "
)
"""A custom machine component: the family before "Custom" ("N2D AMD Custom Instance Core"),
after it ("Custom E2 Instance Ram") or none (N1: "Custom Instance Core")."""
_IMAGE_SKU = re.compile(r"^Storage Image(?: in .+)?$")
_WORD = re.compile(r"^(?:(?P<family>[a-z][a-z0-9]*)-)?custom(?P<rest>-.*)?$")
"""A `--types` word: `custom` (every family), `n2-custom`, or a custom machine type or
catalog product (`n2d-custom-4-20480`, `custom-2-15360-ext`, `n2-custom-vcpu`)."""

SUFFIXES = {("core", False): "vcpu", ("ram", False): "memory", ("ram", True): "extended-memory"}
"""(component, extended) -> the catalog product's suffix after `<family>-custom-`."""


@dataclass(frozen=True, slots=True)
class Wanted:
    """What a refresh asks of this reader: custom families (None: every one) and images."""

    families: frozenset[str] | None
    images: bool


def claim(request: Request) -> tuple[Wanted, Request]:
    """The custom families and image storage *request* asks for, and the request without
    the words naming them (they are no machine type). Without `--types`: all of them."""
    families: set[str] = set()
    every, images, kept = False, False, []
    for word in request.types:
        match = _WORD.match(word.lower())
        if word.lower() in IMAGE_WORDS:
            images = True
        elif match and not match.group("family") and not match.group("rest"):
            every = True
        elif match:
            families.add(match.group("family") or "n1")
        else:
            kept.append(word)
    if not request.types_named:
        return Wanted(None, True), replace(request, types=tuple(kept))
    wanted = Wanted(None if every else frozenset(families), images)
    return wanted, replace(request, types=tuple(kept))


def _spot(raw: Mapping[str, Any], prefix: str | None) -> bool | None:
    usage = (raw.get("category") or {}).get("usageType", "OnDemand")
    return None if usage not in USAGE_TYPES else USAGE_TYPES[usage] or bool(prefix)


def _price(raw: Mapping[str, Any], unit: str) -> tuple[Decimal, str] | None:
    """The last tier's USD rate and effective time of a SKU in *unit*, None in another."""
    info = pricing_info(raw)
    price = unit_rate(info, unit) if info else None
    if info is None or price is None:
        return None
    return price, str(info.get("effectiveTime") or "")


def parse_custom_sku(raw: Mapping[str, Any]) -> Iterator[Fetched]:
    """One Fetched per service region of a custom core, RAM or extended-RAM SKU (on-demand
    or Spot) or of the image storage SKU; none for any other SKU, a commitment or a SKU in
    another unit. Regions are the API's; `global` is left to `custom_prices`."""
    description = str(raw.get("description", ""))
    regions = _regions(raw)
    if match := _CUSTOM_SKU.match(description):
        if match.group("family") and match.group("after"):
            return
        family = (match.group("family") or match.group("after") or "n1").lower()
        resource = match.group("resource").lower()
        suffix = SUFFIXES.get((resource, bool(match.group("extended"))))
        spot = _spot(raw, match.group("spot"))
        found = _price(raw, UNITS[resource]) if suffix and spot is not None else None
        if found is None:
            return
        product = f"{family}-custom-{suffix}"
        note = f"SKU {raw.get('skuId', '?')} {description}, effective {found[1]}"
        for region in regions:
            kind = "spot" if spot else "on_demand"
            yield Fetched("compute", product, region, kind, "hour", found[0], note)
    elif _IMAGE_SKU.match(description):
        if _spot(raw, None) is not False or not (found := _price(raw, "GiBy.mo")):
            return
        service, product, kind, unit = IMAGE
        note = f"SKU {raw.get('skuId', '?')} {description}, effective {found[1]}"
        for region in regions:
            yield Fetched(service, product, region, kind, unit, found[0], note)


def _regions(raw: Mapping[str, Any]) -> list[str]:
    """A SKU's `serviceRegions`; one that is not a list of strings is a malformed answer
    (exit 2), never a string read letter by letter."""
    regions = raw.get("serviceRegions") or []
    if not isinstance(regions, list) or not all(isinstance(r, str) for r in regions):
        raise CatalogError(
            f"Cloud Billing Catalog API answer: SKU {raw.get('skuId', '?')}: serviceRegions "
            f"{regions!r} is not a list of region names; nothing written"
        )
    return regions


def custom_prices(
    pages: Iterable[Mapping[str, Any]], wanted: Wanted, regions: Iterable[str]
) -> list[Fetched]:
    """Custom machine rates of the wanted families and image storage in *regions* (a pure
    function of the pages); the first SKU for a catalog key wins ("N2D AMD Custom Extended
    Ram" and "... Extended Instance Ram" name the same rate)."""
    requested = tuple(regions)
    found: dict[tuple[str, str, str, str], Fetched] = {}
    for page in pages:
        for raw in page.get("skus") or ():
            for fetched in parse_custom_sku(raw):
                if not _is_wanted(fetched, wanted):
                    continue
                where = requested if fetched.region == GLOBAL else (fetched.region,)
                for region in where:
                    if region in requested:
                        key = (fetched.service, fetched.product, region, fetched.kind)
                        found.setdefault(key, replace(fetched, region=region))
    return list(found.values())


def _is_wanted(fetched: Fetched, wanted: Wanted) -> bool:
    if fetched.service == IMAGE[0]:
        return wanted.images
    family = fetched.product.split("-custom-", 1)[0]
    return wanted.families is None or family in wanted.families
