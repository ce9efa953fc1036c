"""The pricing.yml storage reader on a small fixture in the dump's own shape."""

from __future__ import annotations

from decimal import Decimal

from costgate.pricing.build import Dump, Known
from costgate.pricing.build_google_storage import gcp_cyclenerd_storage_yml
from costgate.pricing.refresh import Fetched
from tests.conftest import REPO

FIXTURE = REPO / "tests" / "data" / "pricing-build" / "gcp-storage.yml"
NOTE = "pricing.yml @fd66b26f: "


def _read() -> list[Fetched]:
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
    return gcp_cyclenerd_storage_yml(FIXTURE, dump, Known(frozenset())).prices


def test_reader_maps_disk_types_classes_and_locations_and_skips_local_ssd_and_dra() -> None:
    prices = [p for p in _read() if p.kind != "retrieval"]
    got = {(p.service, p.product, p.region): (p.kind, p.unit, p.price) for p in prices}
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
    assert all(p.note.startswith("pricing.yml @fd66b26f") for p in prices)


def test_reader_maps_retrieval_fees_per_class_and_location_per_gb() -> None:
    """`storage.retrieval` (the fixture's three locations) becomes kind `retrieval` per GB
    read, under the class and location names the pricer looks up."""
    got = {
        (p.product, p.region): (p.unit, p.price, p.note) for p in _read() if p.kind == "retrieval"
    }
    assert got == {
        ("COLDLINE", "asia"): (
            "GB",
            Decimal("0.02"),
            NOTE + "retrieval coldline-multi (per GiB read)",
        ),
        ("NEARLINE", "us-central1"): (
            "GB",
            Decimal("0.01"),
            NOTE + "retrieval nearline (per GiB read)",
        ),
        ("ARCHIVE", "nam4"): ("GB", Decimal("0.05"), NOTE + "retrieval archiv-dual (per GiB read)"),
    }
