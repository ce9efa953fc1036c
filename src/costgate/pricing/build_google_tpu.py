"""Reader for a transcription of Google's Cloud TPU pricing page (`tpu_pricing.json` of
dstackai/gpuhunt): on-demand price per chip-hour by TPU version and region.

The Cloud Billing Catalog API has no per-chip SKU for every region (gpuhunt keeps the page
table for that reason); the page lists per-chip-hour prices. Only the current versions
(v4 pods, v5e, v5p, v6e) are read; Spot columns are not: Spot TPU prices change far more
often than the table was updated (its v4 "Spot" is above on-demand), so a Spot TPU is
reported unpriced rather than priced from a stale row.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from costgate.pricing.refresh import Fetched

if TYPE_CHECKING:
    from costgate.pricing.build import Dump, Known, Read

TPU_VERSIONS = {"TPU v6e": "v6e", "TPU v5p": "v5p", "TPU v5e": "v5e", "TPU v4 pod": "v4"}
"""Page table name -> catalog product of service `tpu` (price per chip-hour)."""


def gcp_tpu_pricing_json(path: Path, dump: Dump, known: Known) -> Read:
    """On-demand per-chip-hour prices of the TPU versions above, every region listed."""
    from costgate.pricing.build import Read

    table = json.loads(path.read_text(encoding="utf-8"))
    note = f"tpu_pricing.json @{dump.commit[:8]}: per chip-hour"
    prices = [
        Fetched("tpu", product, region, "on_demand", "hour", Decimal(str(value)), note)
        for name, product in TPU_VERSIONS.items()
        for region, row in sorted(table.get(name, {}).items())
        if (value := row.get("On Demand (USD)")) is not None and Decimal(str(value)) > 0
    ]
    return Read(prices)
