"""Shipped prices against the dated dumps they were built from, and a few against the
clouds' public price pages.

`tests/data/dump-samples.csv` holds a seeded, stratified sample of shipped prices whose
source is a dump in `pricing/sources/manifest.json`, each with the value as the raw dump
states it and where in the dump it is (written by `tests/data/make_dump_samples.py`, which
finds each price in the dump file by its own key, not with the build's readers). This test
runs in CI without the dumps: each row must be the shipped price after the build's
rounding (10 decimal places), cite that dump as its source and carry the dump's data date.
A misreading reader, a hand edit of a shard or a rebuild from another dump fails here.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path

import pytest

from costgate.pricing.catalog import Catalog, load_catalog
from costgate.pricing.refresh import PRICE_STEP
from tests.conftest import REPO, shipped_document
from tests.pricing.helpers import list_price

SAMPLES = REPO / "tests" / "data" / "dump-samples.csv"
REGENERATE = (
    "a dump was added or rebuilt: regenerate the sample with "
    "`python tests/data/make_dump_samples.py DUMPS` (a new reader needs a locator there)"
)
MANIFEST = REPO / "pricing" / "sources" / "manifest.json"

AWS_ACCELERATED = re.compile(r"^(p\d|g\d|gr\d|inf\d|trn\d|dl\d)")


def _rows() -> list[dict[str, str]]:
    with SAMPLES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _data_dates() -> dict[str, str]:
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return {d["id"]: d["data_date"] for d in manifest["dumps"]}


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog(user_files=False)


def mismatches(
    rows: Iterable[Mapping[str, str]], catalog: Catalog, dates: Mapping[str, str]
) -> dict[str, str]:
    """Row key -> what differs from the shipped catalog (empty when every row matches)."""
    out: dict[str, str] = {}
    for row in rows:
        key = "/".join(row[f] for f in ("provider", "service", "product", "region", "kind"))
        entry = catalog.price(
            row["provider"], row["service"], row["product"], row["region"], row["kind"]
        )
        dumped = Decimal(row["value"]).quantize(PRICE_STEP)
        if entry is None:
            out[key] = "not in the shipped catalog"
        elif entry.price != dumped:
            out[key] = f"shipped {entry.price}, {row['dump']} states {row['value']}"
        elif entry.source != row["dump"]:
            out[key] = f"source {entry.source}, sampled from {row['dump']}"
        elif entry.as_of != dates.get(row["dump"]):
            out[key] = f"as_of {entry.as_of}, dump data date {dates.get(row['dump'])}"
    return out


def test_every_sampled_price_equals_its_dump(shipped: Catalog) -> None:
    assert mismatches(_rows(), shipped, _data_dates()) == {}


def test_a_changed_value_is_caught(shipped: Catalog) -> None:
    row = dict(_rows()[0])
    row["value"] = str(Decimal(row["value"]) + Decimal("0.0001"))
    assert list(mismatches([row], shipped, _data_dates()).values()) == [
        f"shipped {Decimal(_rows()[0]['value']).quantize(PRICE_STEP).normalize()}, "
        f"{row['dump']} states {row['value']}"
    ]


def test_the_sample_is_large_and_from_manifest_dumps() -> None:
    rows, dates = _rows(), _data_dates()
    assert len(rows) >= 200
    assert {r["provider"] for r in rows} == {"aws", "google", "azurerm"}
    assert {r["dump"] for r in rows} <= dates.keys()
    assert all(r["where"] for r in rows)  # every value says where in the dump it is
    for provider in ("google", "azurerm"):
        kinds = {r["kind"] for r in rows if r["provider"] == provider}
        assert {"on_demand", "spot"} <= kinds, provider


def test_every_priced_dump_is_sampled() -> None:
    ids = _data_dates().keys()
    priced = {
        e["source"]
        for provider in ("aws", "google", "azurerm")
        for e in shipped_document(provider)["prices"]
        if e["source"] in ids
    }
    assert priced == {r["dump"] for r in _rows()}, REGENERATE


def _families(provider: str, service: str, product: str) -> str | None:
    """The accelerator family of a product, None for other products."""
    if provider == "aws" and service == "ec2" and AWS_ACCELERATED.match(product):
        return product.split(".")[0]
    if (
        provider == "google"
        and service == "compute"
        and product.startswith(("a2", "a3", "g2", "g4"))
    ):
        return product.split("-")[0] + "-" + product.split("-")[1]
    if provider == "google" and service == "tpu":
        return f"tpu {product}"
    if provider == "azurerm" and service == "vm" and product.startswith("Standard_N"):
        return re.sub(r"^Standard_([A-Z]+)\d+", r"\1", product)
    return None


def test_every_accelerator_family_priced_from_a_dump_is_sampled() -> None:
    ids = _data_dates().keys()
    priced = {
        (provider, family)
        for provider in ("aws", "google", "azurerm")
        for e in shipped_document(provider)["prices"]
        if e["source"] in ids
        and (family := _families(provider, e["service"], e["product"])) is not None
    }
    sampled = {
        (r["provider"], family)
        for r in _rows()
        if (family := _families(r["provider"], r["service"], r["product"])) is not None
    }
    assert priced - sampled == set(), REGENERATE
    aws = {f for p, f in sampled if p == "aws"}
    assert {"p3", "p4d", "p5", "p6-b200", "g4dn", "g5", "g6", "g6e", "gr6"} <= aws
    assert {"g6f", "gr6f"} <= aws  # fractional L4 (facts from the EC2 docs)
    assert {"inf1", "inf2", "trn1", "trn1n"} <= aws
    assert {"a2-highgpu", "a3-highgpu", "a3-megagpu", "g2-standard", "g4-standard"} <= {
        f for p, f in sampled if p == "google"
    }


def test_storage_of_every_dumped_cloud_is_sampled() -> None:
    services = {(r["provider"], r["service"]) for r in _rows()}
    assert {("google", "disk"), ("google", "gcs"), ("google", "snapshot")} <= services
    assert {("azurerm", "disk"), ("azurerm", "blob"), ("azurerm", "files")} <= services


# --- hand checks against the clouds' public price pages, as quoted by dated sources -----


def test_aws_on_demand_as_quoted_from_the_ec2_price_page(catalog: Catalog) -> None:
    # factualminds.com, "Amazon EC2 On-Demand Pricing: Instance Families, Regional
    # Multipliers, and the Graviton Crossover (2026)", published 2026-06-17: "In us-east-1
    # (June 2026), a m7g.large Linux instance runs $0.0816/hr while a GPU g5.xlarge is
    # $1.006/hr."
    assert list_price(catalog, "aws", "ec2", "m7g.large", "on_demand", "us-east-1") == Decimal(
        "0.0816"
    )
    assert list_price(catalog, "aws", "ec2", "g5.xlarge", "on_demand", "us-east-1") == Decimal(
        "1.006"
    )


@pytest.mark.parametrize(
    ("storage_class", "per_gb_month"),
    [("STANDARD", "0.020"), ("NEARLINE", "0.010"), ("COLDLINE", "0.004"), ("ARCHIVE", "0.0012")],
)
def test_gcs_as_quoted_from_the_cloud_storage_price_page(
    catalog: Catalog, storage_class: str, per_gb_month: str
) -> None:
    # leanopstech, "Google Cloud Storage Pricing in 2026", 2026-04-09: "Standard costs
    # $0.020/GB/month in us-central1 ... Nearline at $0.010/GB ..., Coldline at $0.004/GB
    # ..., and Archive at $0.0012/GB" (the same figures as cloud.google.com/storage/pricing,
    # Iowa row, archived by the Wayback Machine on 2022-12-30).
    price = list_price(catalog, "google", "gcs", storage_class, "storage", "us-central1")
    assert price == Decimal(per_gb_month)


def test_azure_as_recorded_from_the_retail_prices_api(catalog: Catalog) -> None:
    # TheCloudTheory/arm-estimator ace-tests/mocked-responses/retail-api/aks/ultrassd.json at
    # 088198e54e08, a response recorded from prices.azure.com (tests/data/README.md): West
    # Europe P10 LRS disk 21.68 per month, D2s v3 Windows 0.212 per hour.
    assert list_price(
        catalog, "azurerm", "disk", "Premium_LRS:P10", "storage", "westeurope"
    ) == Decimal("21.68")
    assert list_price(
        catalog, "azurerm", "vm", "Standard_D2s_v3", "on_demand_windows", "westeurope"
    ) == Decimal("0.212")


def test_samples_file_is_not_a_copied_dump() -> None:
    # Facts with their source: about a thousand rows (one stratum per dump and accelerator
    # family, 77 dumps), each citing its dump and location; a dump is megabytes.
    text = Path(SAMPLES).read_text(encoding="utf-8")
    assert len(text) < 300_000
    assert text.splitlines()[0] == "provider,service,product,region,kind,value,dump,where"
