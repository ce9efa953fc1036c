"""`pricing refresh gcp` reads disk and snapshot SKUs from the Compute Engine pages.

The page is synthetic: the Cloud Billing Catalog API's SKU shape (description "<name> in
<location>", `usageUnit` GiBy.mo or mo, `tieredRates`), with made-up `TEST-` SKU ids and
round rates chosen for the arithmetic, not Google's prices. It checks the mapping and the
pricing of provisioned performance once a rate is in the catalog.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from costgate.cli import main
from costgate.pricing.catalog import load_catalog
from costgate.pricing.refresh import Request
from costgate.pricing.refresh.gcp_storage import storage_prices
from costgate.pricing.validate import validate_files
from tests.conftest import REPO, make_resource, usage
from tests.helpers.fake_gcp import CLOUD_STORAGE, COMPUTE_ENGINE, NO_SKUS, VERTEX_AI, fake_billing
from tests.pricing.helpers import lines, price

D = Decimal
PAGE = json.loads(
    (REPO / "tests" / "data" / "gcp-billing" / "synthetic-disk-skus.json").read_text()
)


def test_storage_skus_map_to_disk_products_and_skip_other_units_and_commitments() -> None:
    got = {
        (p.service, p.product, p.region, p.kind, p.unit): p.price
        for p in storage_prices([PAGE], Request(("us-central1", "us"), ()))
    }
    assert got == {
        ("disk", "pd-extreme", "us-central1", "storage", "GB-month"): D("0.125"),
        ("disk", "pd-extreme", "us-central1", "iops", "IOPS-month"): D("0.05"),
        ("disk", "hyperdisk-balanced", "us-central1", "iops", "IOPS-month"): D("0.005"),
        ("disk", "hyperdisk-balanced", "us-central1", "throughput", "MBps-month"): D("0.04"),
        ("disk", "hyperdisk-balanced", "us-central1", "storage", "GB-month"): D("0.08"),
        ("snapshot", "standard", "us", "storage", "GB-month"): D("0.065"),
    }  # europe-west1 not requested; GiBy.h and the Commit1Yr SKU skipped


@pytest.fixture()
def server(monkeypatch: pytest.MonkeyPatch) -> Any:
    # Vertex AI and Cloud Storage (read by default): none
    pages = {COMPUTE_ENGINE: PAGE, VERTEX_AI: NO_SKUS, CLOUD_STORAGE: NO_SKUS}
    with fake_billing(monkeypatch, pages) as url:
        yield url


def test_refreshed_iops_rates_price_provisioned_performance(server: str, tmp_path: Path) -> None:
    out = tmp_path / "google.json"
    result = CliRunner().invoke(
        main, ["pricing", "refresh", "gcp", "--regions", "us-central1", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert validate_files([out]) == []
    catalog = load_catalog([out])
    extreme, balanced = price(
        catalog,
        make_resource(
            "google_compute_disk",
            {"type": "pd-extreme", "size": 40, "provisioned_iops": 5000},
            region="us-central1-a",
            address="google_compute_disk.x",
        ),
        make_resource(
            "google_compute_disk",
            {
                "type": "hyperdisk-balanced",
                "size": 100,
                "provisioned_iops": 5000,
                "provisioned_throughput": 200,
            },
            region="us-central1-a",
            address="google_compute_disk.b",
        ),
        use=usage(),
    )
    assert lines(extreme)["Provisioned IOPS (pd-extreme): 5000"] == (D(5000), D("0.05"))
    assert extreme.monthly_cost == 40 * D("0.125") + 5000 * D("0.05")  # 5 + 250
    got = lines(balanced)
    # Hyperdisk Balanced includes 3,000 IOPS and 140 MiB/s (catalog product facts)
    assert got["Provisioned IOPS (hyperdisk-balanced): 5000 above 3000 included"] == (
        D(2000),
        D("0.005"),
    )
    assert got["Provisioned MiB/s (hyperdisk-balanced): 200 above 140 included"] == (
        D(60),
        D("0.04"),
    )
    assert balanced.monthly_cost == 100 * D("0.08") + 2000 * D("0.005") + 60 * D("0.04")
