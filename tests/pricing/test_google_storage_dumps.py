"""Shipped GCP storage and TPU prices against the dumps they were built from, and a hand
check against Google's public pages.

The dump comparison needs the dump files (`python pricing/sources/fetch_dumps.py DIR ...`,
as for `costgate pricing build`) in the folder named by `COSTGATE_DUMPS`; without it that
test is skipped. It re-reads each dump with its reader and requires every shipped entry of
that source (601 prices) to equal the dump's value.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from costgate.pricing.build import READERS, Known, load_manifest
from costgate.pricing.catalog import Catalog
from tests.conftest import REPO, shipped_document
from tests.pricing.helpers import list_price

DUMPS = ("gcp-cyclenerd-storage-2026-07-30", "gcp-tpu-pricing-page-2024-12-23")


@pytest.mark.parametrize("dump_id", DUMPS)
def test_every_shipped_price_equals_its_dump(dump_id: str) -> None:
    folder = os.environ.get("COSTGATE_DUMPS")
    dump = next(
        d for d in load_manifest(REPO / "pricing" / "sources" / "manifest.json") if d.id == dump_id
    )
    path = Path(folder or "/nonexistent") / dump.local_name()
    if not path.is_file():
        pytest.skip(f"set COSTGATE_DUMPS to a folder holding {dump.local_name()}")
    read = READERS[dump.reader](path, dump, Known(frozenset()))
    dumped = {(p.service, p.product, p.region, p.kind): p.price for p in read.prices}
    shipped = {
        (e["service"], e["product"], e["region"], e["kind"]): Decimal(e["price"])
        for e in shipped_document("google")["prices"]
        if e["source"] == dump_id
    }
    assert len(shipped) >= 15 and shipped.keys() == dumped.keys()
    assert {k: v for k, v in shipped.items() if dumped[k] != v} == {}


def test_hand_checked_against_googles_pages(catalog: Catalog) -> None:
    # Disk and image pricing page: "based off US pricing, a 200 GB standard Persistent Disk
    # volume would cost $8.00 for the whole month ... a 200 GB SSD Persistent Disk volume
    # would cost $34.00".
    assert 200 * list_price(catalog, "google", "disk", "pd-standard", "storage", "us-central1") == 8
    assert 200 * list_price(catalog, "google", "disk", "pd-ssd", "storage", "us-central1") == 34
    # Cloud TPU pricing page, on-demand per chip-hour in US regions: v6e $2.70, v5p $4.20,
    # v5e $1.20.
    assert list_price(catalog, "google", "tpu", "v6e", "on_demand", "us-east5") == Decimal("2.7")
    assert list_price(catalog, "google", "tpu", "v5p", "on_demand", "us-east5") == Decimal("4.2")
    assert list_price(catalog, "google", "tpu", "v5e", "on_demand", "us-west4") == Decimal("1.2")
