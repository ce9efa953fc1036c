"""Reader for the Azure Karpenter provider's generated price table
(`pkg/providers/pricing/zz_generated.pricing.go` of Azure/karpenter-provider-azure).

Its generator (`hack/code/prices_gen`) asks the Retail Prices API, per region, for
`serviceName eq 'Virtual Machines'`, `priceType eq 'Consumption'` in USD, drops products
ending in " Windows" and meters ending in " Low Priority", and keeps the non-Spot price per
`armSkuName`: the Linux pay-as-you-go hourly rate, written with six decimals
(`"Standard_D2s_v3": 0.096000`). It covers 57 public regions, which no other dated dump does.

Limits the reader keeps in mind:
- A few Windows products end in " Win" (`Virtual Machines NCCadsv5 Srs Win`), which the
  generator does not drop, so such a size may carry the Windows rate; `options.exclude`
  names them (they keep their Retail-item prices where another dump has them).
- Dedicated hosts (`Dsv3_Type3`) share the service; only `Standard_`/`Basic_` sizes are VMs.
- GPU and other accelerated sizes (`Standard_N...`) are added only when the catalog already
  describes them (accelerator facts); `options.add_unlisted` adds every other size, whose
  price needs no facts, except constrained-vCPU sizes (`Standard_E8-4s_v3`): Azure bills
  them at the original size's rate and the pricer prices them as that size
  (`azurerm.constrained_parent`), in every kind the original has (Windows, Spot).
- `options.skip_regions` leaves regions to a newer dump of the same build (the regions the
  2026-08-22 radar dumps price); this dump comes first in the manifest so that the sizes it
  adds are known when those dumps are read.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from costgate.facts.azurerm import constrained_parent
from costgate.pricing.refresh import Fetched

if TYPE_CHECKING:
    from costgate.pricing.build import Dump, Known, Read

_REGION = re.compile(r'^\s*initialOnDemandPrices\["([a-z0-9]+)"\] = ')
_PRICE = re.compile(r'"((?:Standard|Basic)_[A-Za-z0-9_-]+)":\s*([0-9]+(?:\.[0-9]+)?)')
_ACCELERATED = re.compile(r"^Standard_N")
"""NC, ND, NV, NG, NM, NP: sizes with GPUs, FPGAs or media accelerators."""


def azure_karpenter_go(path: Path, dump: Dump, known: Known) -> Read:
    """Linux on-demand hourly prices per region and ARM size (kind `on_demand`)."""
    from costgate.pricing.build import Read, go_price_table

    exclude = set(dump.options.get("exclude", ()))
    add_unlisted = bool(dump.options.get("add_unlisted", False))
    skip = set(dump.options.get("skip_regions", ()))
    note = f"zz_generated.pricing.go @{dump.commit[:8]}: Linux pay-as-you-go"
    prices: list[Fetched] = []
    missing = "no initialOnDemandPrices region block in the Karpenter price table"
    for region, size, value in go_price_table(path, _REGION, _PRICE, missing):
        if region in skip:
            continue
        listed = known("vm", size) or (
            add_unlisted and not _ACCELERATED.match(size) and not constrained_parent(size)
        )
        if size in exclude or not listed or value <= 0:
            continue
        prices.append(Fetched("vm", size, region, "on_demand", "hour", value, note))
    return Read(prices)
