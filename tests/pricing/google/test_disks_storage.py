"""Compute Engine disks, snapshots, images and Cloud Storage locations, worked out by hand.

Each test first pins the catalog prices it uses to the value in the dated pricing.yml dump
(Cyclenerd/google-cloud-pricing-cost-calculator @ fd66b26f, 2026-07-30), then checks the
monthly figure computed by hand (GB-month prices: quantity x price).
"""

from __future__ import annotations

import pytest

from costgate.facts.google import disk_size
from costgate.facts.index import StackIndex
from costgate.facts.values import MalformedAttribute
from costgate.pricing.catalog import Catalog
from tests.conftest import usage
from tests.pricing.helpers import D, gcp, lines, list_price, price


def _disk(name: str, attributes: dict, **kw: object) -> object:
    return gcp("google_compute_disk", attributes, address=f"google_compute_disk.{name}", **kw)


def test_blank_disks_get_the_compute_engine_default_size(catalog: Catalog) -> None:
    assert list_price(catalog, "google", "disk", "pd-standard", "storage", "us-central1") == D(
        "0.04"
    )
    assert list_price(catalog, "google", "disk", "pd-ssd", "storage", "us-central1") == D("0.17")
    standard, ssd = price(
        catalog,
        _disk("blank", {"name": "blank"}),  # type unset: pd-standard
        _disk("fast", {"type": "pd-ssd"}),
    )
    assert lines(standard) == {"Storage (pd-standard, 500 GB)": (D(500), D("0.04"))}
    assert standard.monthly_cost == D(20)
    assert any("blank pd-standard" in n for n in standard.notes)
    assert any("disk type not set" in n for n in standard.notes)
    assert ssd.monthly_cost == D(17)  # 100 GB x 0.17


def test_disk_size_follows_its_image_and_snapshot_chain(catalog: Catalog) -> None:
    source = _disk("source", {"type": "pd-standard", "size": 20})
    snapshot = gcp(
        "google_compute_snapshot",
        {"source_disk": "source"},
        address="google_compute_snapshot.s",
        references={"source_disk": ("google_compute_disk.source",)},
    )
    base = gcp(
        "google_compute_image",
        {"disk_size_gb": 30},
        address="google_compute_image.base",
    )
    derived = gcp(
        "google_compute_image",
        {"source_image": "x"},
        address="google_compute_image.derived",
        references={"source_image": ("google_compute_image.base",)},
    )
    from_image = _disk(
        "from_image",
        {"type": "pd-standard", "image": "x"},
        references={"image": ("google_compute_image.derived",)},
    )
    from_snapshot = _disk(
        "from_snapshot",
        {"type": "pd-balanced", "snapshot": "x"},
        references={"snapshot": ("google_compute_snapshot.s",)},
    )
    public = _disk("public", {"image": "debian-cloud/debian-12"})
    priced = {
        p.resource.address: p
        for p in price(catalog, source, snapshot, base, derived, from_image, from_snapshot, public)
    }
    image_disk = priced["google_compute_disk.from_image"]
    assert lines(image_disk) == {"Storage (pd-standard, 30 GB)": (D(30), D("0.04"))}
    assert image_disk.monthly_cost == D("1.2")
    assert lines(priced["google_compute_disk.from_snapshot"]) == {
        "Storage (pd-balanced, 20 GB)": (D(20), D("0.1"))
    }
    unknown = priced["google_compute_disk.public"]
    assert not unknown.cost_lines
    assert "debian-12" in (unknown.unpriced_reason or "")
    image = priced["google_compute_image.derived"]
    assert "no image storage price" in (image.unpriced_reason or "")
    assert "30 GB" in (image.unpriced_reason or "")


def test_extreme_disks_price_capacity_and_list_iops_as_missing(catalog: Catalog) -> None:
    assert list_price(catalog, "google", "disk", "pd-extreme", "storage", "us-central1") == D(
        "0.125"
    )
    assert list_price(
        catalog, "google", "disk", "hyperdisk-extreme", "storage", "europe-west4"
    ) == D("0.131")
    extreme, hyper = price(
        catalog,
        _disk("x", {"type": "pd-extreme", "size": 40, "provisioned_iops": 5000}),
        _disk("h", {"type": "hyperdisk-extreme", "size": 128}, region="europe-west4"),
    )
    assert extreme.monthly_cost == D(5)  # 40 x 0.125
    assert len(extreme.missing) == 1 and "5000 IOPS" in extreme.missing[0]
    assert hyper.monthly_cost == D("16.768")  # 128 x 0.131
    assert len(hyper.missing) == 1 and "provisioned_iops not set" in hyper.missing[0]


def test_regional_disk_uses_the_replicated_rate(catalog: Catalog) -> None:
    assert list_price(
        catalog, "google", "disk", "regional-pd-standard", "storage", "us-central1"
    ) == D("0.08")
    (p,) = price(
        catalog,
        gcp("google_compute_region_disk", {"type": "pd-standard", "size": 200}),
    )
    assert lines(p) == {"Storage (regional-pd-standard, 200 GB)": (D(200), D("0.08"))}
    assert p.monthly_cost == D(16)


def test_snapshot_is_stored_in_the_nearest_multi_region_unless_told(catalog: Catalog) -> None:
    assert list_price(catalog, "google", "snapshot", "standard", "storage", "us") == D("0.065")
    assert list_price(catalog, "google", "snapshot", "standard", "storage", "us-east1") == D("0.05")
    source = _disk("d", {"size": 20}, region="us-central1-a")
    default = gcp(
        "google_compute_snapshot",
        {"source_disk": "d"},
        address="google_compute_snapshot.default",
        references={"source_disk": ("google_compute_disk.d",)},
    )
    regional = gcp(
        "google_compute_snapshot",
        {"source_disk": "d", "storage_locations": ["us-east1"]},
        address="google_compute_snapshot.regional",
        references={"source_disk": ("google_compute_disk.d",)},
    )
    use = usage({"google_compute_snapshot.regional": {"storage_gb": 7}})
    priced = {p.resource.address: p for p in price(catalog, source, default, regional, use=use)}
    first = priced["google_compute_snapshot.default"]
    assert lines(first) == {"Snapshot storage (us, 20 GB)": (D(20), D("0.065"))}
    assert first.monthly_cost == D("1.3")
    assert any("source disk's size" in n for n in first.notes)
    assert priced["google_compute_snapshot.regional"].monthly_cost == D("0.35")  # 7 x 0.05


def test_buckets_in_multi_and_dual_regions(catalog: Catalog) -> None:
    assert list_price(catalog, "google", "gcs", "STANDARD", "storage", "eu") == D("0.026")
    assert list_price(catalog, "google", "gcs", "COLDLINE", "storage", "asia") == D("0.00875")
    assert list_price(catalog, "google", "gcs", "NEARLINE", "storage", "nam4") == D("0.022")
    use = usage(
        {
            "google_storage_bucket.eu": {"storage_gb": 150},
            "google_storage_bucket.dual": {"storage_gb": 1000},
        }
    )
    eu, dual = price(
        catalog,
        gcp(
            "google_storage_bucket",
            {"location": "EU", "storage_class": "MULTI_REGIONAL"},
            region="eu",
            address="google_storage_bucket.eu",
        ),
        gcp(
            "google_storage_bucket",
            {"location": "NAM4", "storage_class": "NEARLINE"},
            region="nam4",
            address="google_storage_bucket.dual",
        ),
        use=use,
    )
    assert eu.monthly_cost == D("3.9")  # 150 x 0.026, legacy class billed as Standard
    assert any("MULTI_REGIONAL is billed as STANDARD" in n for n in eu.notes)
    assert dual.monthly_cost == D(22)  # 1000 x 0.022


def test_a_size_that_is_not_a_number_is_malformed_input() -> None:
    bad = _disk("bad", {"size": "big"})
    with pytest.raises(MalformedAttribute, match="size should be a number, not 'big'"):
        disk_size(bad, StackIndex((bad,)))


def test_an_empty_storage_location_falls_back_to_the_region(catalog: Catalog) -> None:
    """`storage_locations = [""]` names no location: the image is looked up in its region and
    the reason names it, never an empty location (`--regions  --types images`)."""
    (p,) = price(
        catalog, gcp("google_compute_image", {"disk_size_gb": 10, "storage_locations": [""]})
    )
    assert p.unpriced_reason == (
        "no image storage price in the catalog for us-central1 (10 GB): no dated dump has it; "
        "`costgate pricing refresh gcp --regions us-central1 --types images` reads it"
    )
