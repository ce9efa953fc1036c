"""The pricing.yml storage reader on a small fixture in the dump's own shape."""

from __future__ import annotations

from decimal import Decimal

from costgate.pricing.build import Dump, Known
from costgate.pricing.build_google_storage import gcp_cyclenerd_storage_yml
from tests.conftest import REPO

FIXTURE = REPO / "tests" / "data" / "pricing-build" / "gcp-storage.yml"


def test_reader_maps_disk_types_classes_and_locations_and_skips_local_ssd_and_dra() -> None:
    dump = Dump(
        id="fixture-storage",
        provider="google",
        reader="gcp-cyclenerd-storage-yml",
        repository="Cyclenerd/google-cloud-pricing-cost-calculator",
        commit="fd66b26ff84fee5cdd94f341ea89206e76c06b99",
        path="pricing.yml",
        data_date="2026-07-30",
        description="fixture",
    )
    read = gcp_cyclenerd_storage_yml(FIXTURE, dump, Known(frozenset()))
    got = {(p.service, p.product, p.region): (p.kind, p.unit, p.price) for p in read.prices}
    gb_month = ("storage", "GB-month")
    assert got == {
        ("disk", "pd-standard", "us-central1"): (*gb_month, Decimal("0.04")),
        ("disk", "pd-standard", "europe-west3"): (*gb_month, Decimal("0.048")),
        ("snapshot", "standard", "eu"): (*gb_month, Decimal("0.075")),
        ("snapshot", "standard", "us-central1"): (*gb_month, Decimal("0.05")),
        ("gcs", "ARCHIVE", "us-central1"): (*gb_month, Decimal("0.0012")),
        ("gcs", "COLDLINE", "asia"): (*gb_month, Decimal("0.00875")),
        ("gcs", "STANDARD", "eur4"): (*gb_month, Decimal("0.044")),
    }
    assert all(p.note.startswith("pricing.yml @fd66b26f") for p in read.prices)
