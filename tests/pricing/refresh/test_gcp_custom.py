"""`pricing refresh gcp` reads custom machine rates (N1, N2, N2D, E2; N1/N2/N2D extended
memory; on-demand and Spot) and image storage from the Compute Engine pages it already reads.

`synthetic-custom-skus.json` has the Cloud Billing Catalog API's SKU shape (description,
category.resourceGroup / usageType, serviceRegions, pricingInfo with usageUnit and
tieredRates of {units, nanos}) and descriptions as Google's Cloud Billing documentation and
Cyclenerd's build/mapping.csv name them (`refresh.gcp_custom`). SKU ids are made up
(`TEST-C…`) and the rates are round test values chosen for the arithmetic, not Google's
prices. Wrong-unit, commitment, sole-tenancy and machine-image SKUs are there to be skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from costgate.cli import main
from costgate.errors import CatalogError
from costgate.pricing.catalog import load_catalog
from costgate.pricing.refresh import Request
from costgate.pricing.refresh.gcp_custom import Wanted, claim, custom_prices, parse_custom_sku
from costgate.pricing.validate import validate_files
from tests.conftest import REPO
from tests.helpers.fake_gcp import CLOUD_STORAGE, COMPUTE_ENGINE, NO_SKUS, VERTEX_AI, fake_billing
from tests.pricing.helpers import gcp, lines, price

D = Decimal
PAGE = json.loads(
    (REPO / "tests" / "data" / "gcp-billing" / "synthetic-custom-skus.json").read_text()
)
US = {
    ("compute", "n2-custom-vcpu", "on_demand"): D("0.04"),
    ("compute", "n2-custom-memory", "on_demand"): D("0.005"),  # the GiBy.mo SKU before: skipped
    ("compute", "n2-custom-extended-memory", "on_demand"): D("0.009"),
    ("compute", "n2-custom-vcpu", "spot"): D("0.01"),
    ("compute", "n2-custom-memory", "spot"): D("0.0012"),
    ("compute", "n2d-custom-vcpu", "on_demand"): D("0.035"),
    ("compute", "n2d-custom-memory", "on_demand"): D("0.0045"),
    ("compute", "n2d-custom-extended-memory", "on_demand"): D("0.0085"),  # "Extended Ram"
    ("compute", "n2d-custom-vcpu", "spot"): D("0.008"),
    ("compute", "n2d-custom-memory", "spot"): D("0.001"),
    ("compute", "n1-custom-vcpu", "on_demand"): D("0.033"),
    ("compute", "n1-custom-memory", "on_demand"): D("0.0045"),
    ("compute", "n1-custom-extended-memory", "on_demand"): D("0.0095"),
    ("compute", "n1-custom-vcpu", "spot"): D("0.007"),
    ("compute", "n1-custom-memory", "spot"): D("0.0009"),
    ("compute", "n1-custom-extended-memory", "spot"): D("0.002"),
    ("compute", "e2-custom-vcpu", "on_demand"): D("0.022"),
    ("compute", "e2-custom-memory", "on_demand"): D("0.003"),
    ("image", "standard", "storage"): D("0.085"),  # Storage Image; Storage Machine Image not
}


def test_custom_and_image_skus_map_to_the_keys_the_pricers_read() -> None:
    got = {
        (p.service, p.product, p.kind): p.price
        for p in custom_prices([PAGE], Wanted(None, True), ["us-central1"])
    }
    assert got == US  # commitment, sole tenancy, predefined N2 and wrong units skipped
    units = {(p.service, p.unit) for p in custom_prices([PAGE], Wanted(None, True), ["us-east1"])}
    assert units == {("compute", "hour")}  # the image SKU lists us-central1, europe-west1


def test_requested_regions_and_families_only() -> None:
    got = {
        (p.product, p.region, p.kind): p.price
        for p in custom_prices([PAGE], Wanted(frozenset({"n2"}), False), ["europe-west1"])
    }
    assert got == {("n2-custom-vcpu", "europe-west1", "on_demand"): D("0.05")}


def test_a_global_sku_fills_every_requested_region() -> None:
    image = {**PAGE["skus"][-1], "serviceRegions": ["global"]}
    got = custom_prices([{"skus": [image]}], Wanted(frozenset(), True), ["us-east1", "asia-east1"])
    assert {(p.region, p.price) for p in got} == {
        ("us-east1", D("0.085")),
        ("asia-east1", D("0.085")),
    }


@pytest.mark.parametrize(
    ("types", "families", "images", "kept"),
    [
        (("n2-custom", "images"), {"n2"}, True, ()),
        (
            ("n2d-custom-4-20480", "custom-2-15360-ext", "n2-standard-2"),
            {"n2d", "n1"},
            False,
            ("n2-standard-2",),
        ),
        (("n2-custom-vcpu", "image"), {"n2"}, True, ()),
        (("custom", "gcs"), None, False, ("gcs",)),
    ],
)
def test_types_spellings(
    types: tuple[str, ...], families: Any, images: bool, kept: tuple[str, ...]
) -> None:
    wanted, rest = claim(Request(("us-central1",), types))
    assert wanted == Wanted(None if families is None else frozenset(families), images)
    assert rest.types == kept


def test_without_types_every_family_and_images() -> None:
    wanted, rest = claim(
        Request(("us-central1",), ("n1-custom-vcpu", "n2-standard-2"), types_named=False)
    )
    assert wanted == Wanted(None, True)
    assert rest.types == ("n2-standard-2",)  # the shipped N1 custom products are no machine


class Seen:
    paths: list[str] = []  # noqa: RUF012 - reset per test by the fixture


@pytest.fixture()
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    Seen.paths = []
    pages = {COMPUTE_ENGINE: PAGE, VERTEX_AI: NO_SKUS, CLOUD_STORAGE: NO_SKUS}
    with fake_billing(monkeypatch, pages, seen=Seen.paths) as url:
        yield url


def refresh(out: Path, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["pricing", "refresh", "gcp", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(out.read_text())
    return document


def _resources() -> tuple[Any, ...]:
    return (
        gcp(
            "google_compute_instance",
            {"machine_type": "n2-custom-6-20480"},
            address="google_compute_instance.n2",
        ),
        gcp(
            "google_compute_instance",
            {"machine_type": "custom-2-15360-ext"},
            address="google_compute_instance.ext",
        ),
        gcp(
            "google_compute_instance",
            {"machine_type": "n2d-custom-4-20480", "scheduling": [{"provisioning_model": "SPOT"}]},
            address="google_compute_instance.spot",
        ),
        gcp("google_compute_image", {"disk_size_gb": 30}, address="google_compute_image.img"),
    )


def test_a_refreshed_catalog_prices_custom_machines_and_images(server: str, tmp_path: Path) -> None:
    out = tmp_path / "google.json"
    refresh(out, "--regions", "us-central1")
    assert [p for p in validate_files([out]) if p.severity == "error"] == []
    # one page of each service, as before: the custom and image SKUs cost no extra call
    assert [p.split("?")[0] for p in Seen.paths] == [
        f"/v1/services/{COMPUTE_ENGINE}/skus",
        f"/v1/services/{VERTEX_AI}/skus",
        f"/v1/services/{CLOUD_STORAGE}/skus",
    ]
    shipped = price(load_catalog(user_files=False), *_resources())
    assert "--types n2-custom` reads it" in str(shipped[0].unpriced_reason)
    assert any("--types n1-custom` reads it" in m for m in shipped[1].missing)
    assert "--types images` reads it" in str(shipped[3].unpriced_reason)
    n2, ext, spot, image = price(load_catalog([out]), *_resources())
    # N2 sustained use, 730 h: 182.5 x (1 + 0.8678 + 0.733 + 0.6) = 584.146 h at the list rate
    got = lines(n2)
    assert [(q, u) for q, u in got.values()] == [
        (6 * D("584.146"), D("0.04")),
        (20 * D("584.146"), D("0.005")),
    ]
    assert n2.monthly_cost == (6 * D("0.04") + 20 * D("0.005")) * D("584.146")  # 198.60964
    # N1: 15 GB on 2 vCPU is 13 GB + 2 GB extended; N1 sustained use: 730 h billed as 511 h
    # every custom part priced; only the boot disk (no size: sized by its image) is missing
    assert ext.missing == (
        "Boot disk not priced: size comes from the image or snapshot at apply time",
    )
    assert ext.monthly_cost == (2 * D("0.033") + 13 * D("0.0045") + 2 * D("0.0095")) * 511
    assert [u for _, u in lines(ext).values()] == [D("0.033"), D("0.0045"), D("0.0095")]
    # Spot N2D: 730 h at the Spot rates, no sustained use, plus the 5 % interruption overhead
    spot_hour = 4 * D("0.008") + 20 * D("0.001")  # 0.052
    assert spot.monthly_cost == spot_hour * 730 * D("1.05")  # 39.858
    # image: 30 GB x 0.085 per GB-month
    [line] = image.cost_lines
    assert (line.unit, line.quantity, line.unit_price) == ("GB-month", D(30), D("0.085"))
    assert image.monthly_cost == D("2.55")


def test_named_types_choose_what_is_read(server: str, tmp_path: Path) -> None:
    doc = refresh(tmp_path / "a.json", "--regions", "us-central1", "--types", "n2-custom,images")
    products = {p["product"] for p in doc["prices"] if p["service"] in ("compute", "image")}
    assert products == {
        "n2-custom-vcpu",
        "n2-custom-memory",
        "n2-custom-extended-memory",
        "standard",
    }
    doc = refresh(tmp_path / "b.json", "--regions", "us-central1", "--types", "n2-standard-2")
    assert {p["service"] for p in doc["prices"]} == {"compute"}  # no image, no custom
    assert {p["product"] for p in doc["prices"]} == {"n2-standard-2"}


def test_a_malformed_custom_sku_exits_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bad = {**PAGE["skus"][2], "serviceRegions": "us-central1"}  # N2 Custom Instance Core
    pages = {COMPUTE_ENGINE: {"skus": [bad]}, VERTEX_AI: NO_SKUS, CLOUD_STORAGE: NO_SKUS}
    out = tmp_path / "google.json"
    with fake_billing(monkeypatch, pages):
        args = ["pricing", "refresh", "gcp", "--regions", "us-central1", "--types", "n2-custom"]
        result = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "Cloud Billing Catalog API answer: SKU TEST-C003: serviceRegions" in result.output
    assert not out.exists()


@pytest.mark.parametrize("index", [2, len(PAGE["skus"]) - 1])  # a custom core, the image SKU
def test_a_malformed_price_is_a_clear_error(index: int) -> None:
    bad = json.loads(json.dumps(PAGE["skus"][index]))
    bad["pricingInfo"][0]["pricingExpression"]["tieredRates"] = {"not": "a list"}
    with pytest.raises(CatalogError, match="Cloud Billing Catalog API answer"):
        list(parse_custom_sku(bad))


def test_an_image_is_priced_where_its_storage_locations_say(server: str, tmp_path: Path) -> None:
    out = tmp_path / "google.json"
    refresh(out, "--regions", "us-central1,europe-west1", "--types", "images")
    eu, us = price(
        load_catalog([out]),
        gcp(
            "google_compute_image",
            {"disk_size_gb": 10, "storage_locations": ["EUROPE-WEST1"]},
            address="google_compute_image.eu",
        ),
        gcp(
            "google_compute_image",
            {"disk_size_gb": 10, "storage_locations": ["us"]},
            address="google_compute_image.us",
        ),
    )
    [line] = eu.cost_lines
    assert (line.name, line.quantity, line.unit_price) == (
        "Image storage (europe-west1, 10 GB)",
        D(10),
        D("0.085"),
    )
    assert us.cost_lines == ()  # the test SKU lists no `us` multi-region: never a guess
    assert "--regions us --types images` reads it" in str(us.unpriced_reason)


def test_a_pricing_expression_that_is_not_an_object_is_a_clear_error() -> None:
    """Every SKU reader reads the rate through one helper (`gcp_storage.unit_rate`): a
    `pricingExpression` that is a list is a malformed answer (exit 2) in each, where it was
    an AttributeError (internal error)."""
    from costgate.pricing.refresh.gcp_gcs import parse_gcs_sku
    from costgate.pricing.refresh.gcp_storage import parse_storage_sku

    def broken(description: str) -> dict[str, Any]:
        raw = json.loads(json.dumps(PAGE["skus"][2]))
        raw["description"] = description
        raw["category"].update(resourceFamily="Storage", resourceGroup="RegionalStorage")
        raw["pricingInfo"][0]["pricingExpression"] = ["not", "an object"]
        return raw

    for parse, description in (
        (parse_custom_sku, "N2 Custom Instance Core running in Americas"),
        (parse_custom_sku, "Storage Image"),
        (parse_storage_sku, "Storage PD Capacity in Iowa"),
        (parse_gcs_sku, "Standard Storage US Regional"),
    ):
        with pytest.raises(CatalogError, match="pricingExpression is not an object"):
            list(parse(broken(description)))  # type: ignore[operator]
