"""`pricing refresh gcp` reads bucket storage from the Cloud Storage SKUs (service
95FF-2EF5-5EA1) and fills locations the shipped catalog lacks.

`synthetic-gcs-skus.json` has the API's shape (description, category with resourceGroup,
serviceRegions, pricingInfo with usageUnit and tieredRates) and descriptions in the patterns
of Cyclenerd's build/mapping.csv. Made-up SKU ids: `DUMP-` SKUs carry the price the shipped
dump (Cyclenerd pricing.yml @fd66b26f, 2026-07-30) gives that class and location; `TEST-`
SKUs carry round test values, not Google's prices, for eur5 and us-central2 (which the
shipped catalog has no bucket price for) and for the SKUs the reader must skip.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from costgate.cli import main
from costgate.pricing.catalog import load_catalog
from costgate.pricing.refresh.gcp_gcs import bucket_location, gcs_prices
from costgate.pricing.validate import validate_files
from tests.conftest import REPO, make_resource, usage
from tests.helpers.fake_gcp import CLOUD_STORAGE, COMPUTE_ENGINE, NO_SKUS, VERTEX_AI, fake_billing
from tests.pricing.helpers import price

D = Decimal
DATA = REPO / "tests" / "data" / "gcp-billing"
PAGE = json.loads((DATA / "synthetic-gcs-skus.json").read_text())
DISKS = json.loads((DATA / "synthetic-disk-skus.json").read_text())
EXPECTED = {
    ("STANDARD", "europe-west1"): D("0.02"),  # nanos 20000000
    ("NEARLINE", "eur4"): D("0.022"),
    ("ARCHIVE", "eu"): D("0.0024"),  # service region `europe`
    ("STANDARD", "eur5"): D("0.05"),
    ("COLDLINE", "eur5"): D("0.01"),
    ("STANDARD", "us-central2"): D("0.03"),
    ("NEARLINE", "us-central2"): D("0.015"),
    ("ARCHIVE", "us-central2"): D("0.0015"),
}
"""Early delete (0.099), retrieval, Class A operations, the Commit1Yr SKU, DRA and the
dual-region SKU listing plain regions (0.9) are all absent."""


def test_cloud_storage_skus_map_to_bucket_classes_and_locations() -> None:
    got = {(p.product, p.region): p.price for p in gcs_prices([PAGE], None)}
    assert got == EXPECTED
    assert all(
        (p.service, p.kind, p.unit) == ("gcs", "storage", "GB-month")
        for p in gcs_prices([PAGE], None)
    )


def test_requested_locations_only() -> None:
    got = {(p.product, p.region) for p in gcs_prices([PAGE], ["eur5", "us-east1"])}
    assert got == {("STANDARD", "eur5"), ("COLDLINE", "eur5")}  # us-east1: only the pair SKU


def test_location_shapes_keep_a_dual_region_sku_off_regional_keys() -> None:
    assert bucket_location("dual", "us-east1") is None
    assert bucket_location("dual", "eur7") == "eur7"
    assert bucket_location("region", "eur5") is None
    assert bucket_location("multi", "europe") == "eu"
    assert bucket_location("multi", "eur4") is None


def test_the_dump_backed_skus_reproduce_the_shipped_prices() -> None:
    shipped = load_catalog(user_files=False)
    for product, region in (("STANDARD", "europe-west1"), ("NEARLINE", "eur4"), ("ARCHIVE", "eu")):
        entry = shipped.price("google", "gcs", product, region, "storage")
        assert entry is not None and entry.price == EXPECTED[(product, region)]
    for product, region in (("STANDARD", "eur5"), ("NEARLINE", "us-central2")):
        assert shipped.price("google", "gcs", product, region, "storage") is None


class Seen:
    paths: list[str] = []  # noqa: RUF012 - reset per test by the fixture


@pytest.fixture()
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    Seen.paths = []
    pages = {COMPUTE_ENGINE: DISKS, VERTEX_AI: NO_SKUS, CLOUD_STORAGE: PAGE}  # Vertex AI: none
    with fake_billing(monkeypatch, pages, seen=Seen.paths) as url:
        yield url


def refresh(out: Path, *args: str) -> None:
    result = CliRunner().invoke(main, ["pricing", "refresh", "gcp", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output


def test_refreshed_file_prices_buckets_the_shipped_catalog_cannot(
    server: str, tmp_path: Path
) -> None:
    out = tmp_path / "google.json"
    refresh(out, "--regions", "us-central2,eur5", "--types", "gcs")
    # a coverage warning only: eur5 has no Nearline/Archive test SKU, us-central2 no Coldline
    assert [p.severity for p in validate_files([out])] == ["warning"]
    doc = json.loads(out.read_text())
    assert {(p["product"], p["region"], p["price"]) for p in doc["prices"]} == {
        ("STANDARD", "eur5", "0.05"),
        ("COLDLINE", "eur5", "0.01"),
        ("STANDARD", "us-central2", "0.03"),
        ("NEARLINE", "us-central2", "0.015"),
        ("ARCHIVE", "us-central2", "0.0015"),
    }  # the disk page prices only us-central1 and the `us` multi-region: nothing here
    assert doc["products"]["gcs:NEARLINE"]["min_storage_days"] == 30  # facts copied
    dual = make_resource(
        "google_storage_bucket",
        {"location": "EUR5", "storage_class": "STANDARD"},
        region="eur5",
        address="google_storage_bucket.dual",
    )
    nearline = make_resource(
        "google_storage_bucket",
        {
            "location": "US-CENTRAL2",
            "storage_class": "NEARLINE",
            "lifecycle_rule": [{"action": [{"type": "Delete"}], "condition": [{"age": 10}]}],
        },
        region="us-central2",
        address="google_storage_bucket.scratch",
    )
    use = usage(
        {
            "google_storage_bucket.dual": {"storage_gb": 1000},
            "google_storage_bucket.scratch": {"storage_gb": 200},
        }
    )
    shipped = price(load_catalog(user_files=False), dual, use=use)[0]
    assert shipped.cost_lines == ()  # what the refresh fills:
    assert str(shipped.unpriced_reason).startswith("no gcs price for STANDARD in eur5")
    got_dual, got_nearline = price(load_catalog([out]), dual, nearline, use=use)
    [line] = got_dual.cost_lines
    assert (line.unit, line.quantity, line.unit_price) == ("GB-month", D(1000), D("0.05"))
    assert got_dual.monthly_cost == D(50)  # 1,000 GB x 0.05
    storage, early = got_nearline.cost_lines
    # 200 GB deleted at 10 days: 200 GB-months of storage, then 20 more days billed of
    # NEARLINE's 30-day minimum: 200 x 20/10 = 400 GB-months, both at 0.015
    assert (storage.unit, storage.quantity, storage.unit_price) == ("GB-month", D(200), D("0.015"))
    assert (early.unit, early.quantity, early.unit_price) == ("GB-month", D(400), D("0.015"))
    assert got_nearline.monthly_cost == D(9)  # 600 x 0.015


def test_default_run_reads_cloud_storage_for_every_location(server: str, tmp_path: Path) -> None:
    out = tmp_path / "google.json"
    refresh(out)
    assert any(p.startswith("/v1/services/95FF-2EF5-5EA1/skus") for p in Seen.paths)
    gcs = {(p["product"], p["region"]) for p in json.loads(out.read_text())["prices"]}
    assert {(product, region) for product, region in EXPECTED} <= gcs


def test_named_machine_types_leave_cloud_storage_out(server: str, tmp_path: Path) -> None:
    out = tmp_path / "google.json"
    refresh(out, "--regions", "us-central1", "--types", "n2-standard-2")
    assert not any("95FF-2EF5-5EA1" in p for p in Seen.paths)
    assert "gcs" not in {p["service"] for p in json.loads(out.read_text())["prices"]}
