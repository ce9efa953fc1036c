"""`costgate pricing build` on small fixture dumps, and the pure page parsers it shares with
`pricing refresh`."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from costgate.cli import main
from costgate.pricing import store
from costgate.pricing.catalog import load_catalog
from costgate.pricing.refresh import azure
from costgate.pricing.validate import validate_files
from tests.conftest import REPO, shipped_document

D = Decimal
DATA = REPO / "tests" / "data" / "pricing-build"
COMMIT = "cf741f25c50759745f8eb5dcaf6c3746669c8f31"
MANIFEST = REPO / "pricing" / "sources" / "manifest.json"
UNDATED = {
    "service": "compute",
    "product": "n1-standard-8",
    "region": "us-central1",
    "kind": "on_demand",
    "unit": "hour",
    "price": "0.38",
    "source": "fixture-undated",
    "as_of": "2026-11-25",
}
"""A reviewed entry of another source for a key the fixture dump prices (0.379998 there)."""


def _setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    catalogs = tmp_path / "catalogs"
    catalogs.mkdir()
    # the shipped catalogs as they were before their dumps were built in
    built = tuple(d["id"] for d in json.loads(MANIFEST.read_text())["dumps"])
    for name in ("azurerm.json", "google.json"):
        doc = shipped_document(name.removesuffix(".json"))
        doc["prices"] = [p for p in doc["prices"] if p["source"] not in built]
        doc["products"] = {k: v for k, v in doc["products"].items() if v.get("source") not in built}
        if name == "google.json":
            doc["prices"].append(UNDATED)
            doc["sources"]["fixture-undated"] = {
                "url": "https://example.org/undated",
                "description": "Test fixture: an undated copy of a list price.",
            }
        (catalogs / name).write_text(json.dumps(doc, indent=2))
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    shutil.copy(DATA / "azure-vm-westeurope.json", dumps / "fixture-azure-we.json")
    shutil.copy(DATA / "gcp-pricing.yml", dumps / "fixture-gcp.yml")
    manifest = tmp_path / "manifest.json"
    common = {"repository": "andy-diericks/azure-pricing-radar", "commit": COMMIT}
    manifest.write_text(
        json.dumps(
            {
                "dumps": [
                    {
                        **common,
                        "id": "fixture-azure-we",
                        "provider": "azurerm",
                        "reader": "azure-retail-items",
                        "path": "data/latest/vm-eu-west.json",
                        "data_date": "2026-08-22",
                        "description": "Retail Prices API items, westeurope.",
                        "options": {"serviceName": "Virtual Machines"},
                    },
                    {
                        "id": "fixture-gcp",
                        "provider": "google",
                        "reader": "gcp-cyclenerd-pricing-yml",
                        "repository": "Cyclenerd/google-cloud-pricing-cost-calculator",
                        "commit": "fd66b26ff84fee5cdd94f341ea89206e76c06b99",
                        "path": "pricing.yml",
                        "data_date": "2026-07-30",
                        "description": "pricing.yml.",
                        "options": {
                            "families": ["a3"],
                            "known_types_of": ["n1"],
                            "n1_custom_rates": True,
                            "local_ssd": True,
                            "supersedes_kinds": ["spot"],
                        },
                    },
                ]
            }
        )
    )
    return catalogs, dumps, manifest


def _build(catalogs: Path, dumps: Path, manifest: Path) -> str:
    result = CliRunner().invoke(
        main,
        [
            "pricing",
            "build",
            "--dumps",
            str(dumps),
            "--manifest",
            str(manifest),
            "--catalog-dir",
            str(catalogs),
        ],
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_build_adds_dated_entries_from_the_dumps_and_is_reproducible(tmp_path: Path) -> None:
    catalogs, dumps, manifest = _setup(tmp_path)
    output = _build(catalogs, dumps, manifest)
    assert "fixture-azure-we: " in output and "0 error(s)" in output
    first = {p.name: p.read_text() for p in catalogs.iterdir()}
    _build(catalogs, dumps, manifest)
    assert {p.name: p.read_text() for p in catalogs.iterdir()} == first
    assert [p for p in validate_files(catalogs.glob("*.json")) if p.severity == "error"] == []

    doc = json.loads((catalogs / "azurerm.json").read_text())
    mine = {
        (p["product"], p["kind"]): p for p in doc["prices"] if p["source"] == "fixture-azure-we"
    }
    assert set(mine) == {
        ("Standard_NC24ads_A100_v4", "on_demand"),
        ("Standard_NC24ads_A100_v4", "spot"),
        ("Standard_NC24ads_A100_v4", "low_priority"),
        ("Standard_NC40ads_H100_v5", "on_demand"),  # meter NC40adsH100v5 -> the ARM size
        ("Standard_NC40ads_H100_v5", "spot"),
        # the catalog has the size's facts; its 'NCCadsv5 Srs Win' meter is the Windows rate
        ("Standard_NCC40ads_H100_v5", "on_demand_windows"),
    }
    assert {p["as_of"] for p in mine.values()} == {"2026-08-22"}
    assert doc["sources"]["fixture-azure-we"]["url"] == (
        f"https://github.com/andy-diericks/azure-pricing-radar/blob/{COMMIT}/"
        "data/latest/vm-eu-west.json"
    )

    cat = load_catalog([catalogs / "azurerm.json", catalogs / "google.json"], user_files=False)
    a100 = cat.price("azurerm", "vm", "Standard_NC24ads_A100_v4", "westeurope", "on_demand")
    assert a100 is not None and a100.price * 730 == D("3485.75")  # 4.775 x 730 h
    spot = cat.price("azurerm", "vm", "Standard_NC40ads_H100_v5", "westeurope", "spot")
    assert spot is not None and spot.price == D("5.23008") and spot.as_of == "2026-08-22"

    a3 = cat.price("google", "compute", "a3-megagpu-8g", "europe-west4", "on_demand")
    assert a3 is not None and a3.price == D("118.2368311752")  # 10 decimal places kept
    facts = cat.product("google", "compute", "a3-megagpu-8g")
    assert facts["accelerator"]["count"] == 8 and facts["accelerator"]["memory_gib"] == 640
    assert facts["bundled_local_ssd_gib"] == 6000  # in its price; refresh adds it too
    # c3 is not a listed family (n1 is read for the types the catalog describes)
    assert cat.price("google", "compute", "c3-standard-4", "us-central1", "on_demand") is None


def test_build_solves_n1_custom_rates_and_reads_local_ssd(tmp_path: Path) -> None:
    catalogs, dumps, manifest = _setup(tmp_path)
    _build(catalogs, dumps, manifest)
    cat = load_catalog([catalogs / "google.json"], user_files=False)

    def rate(product: str, region: str, kind: str) -> D | None:
        entry = cat.price("google", "compute", product, region, kind)
        return entry.price if entry is not None else None

    # 1 vCPU + 7.5 GB = 0.06653655 and 2 vCPU + 10 GB = 0.1108431 give
    # GB = (2 x 0.06653655 - 0.1108431) / 5 = 0.004446, vCPU = 0.06653655 - 7.5 x 0.004446
    assert rate("n1-custom-memory", "us-central1", "on_demand") == D("0.004446")
    assert rate("n1-custom-vcpu", "us-central1", "on_demand") == D("0.03319155")
    assert 4 * D("0.03319155") + 30 * D("0.004446") == D("0.2661462")  # the third type agrees
    # Spot: GB (2 x 0.0234675 - 0.03909) / 5 = 0.001569, vCPU 0.0234675 - 7.5 x 0.001569
    assert rate("n1-custom-memory", "us-central1", "spot") == D("0.001569")
    assert rate("n1-custom-vcpu", "us-central1", "spot") == D("0.0117")
    # test-region1's third type disagrees (0.3, not 4 x 0.025 + 30 x 0.006 = 0.28)
    assert rate("n1-custom-vcpu", "test-region1", "on_demand") is None
    local = cat.price("google", "disk", "local-ssd", "us-central1", "storage")
    spot = cat.price("google", "disk", "local-ssd", "us-central1", "spot")
    assert local is not None and (local.price, local.unit) == (D("0.08"), "GB-month")
    assert spot is not None and spot.price == D("0.0428")


def test_build_replaces_the_kinds_a_dump_supersedes(tmp_path: Path) -> None:
    catalogs, dumps, manifest = _setup(tmp_path)
    _build(catalogs, dumps, manifest)
    cat = load_catalog([catalogs / "google.json"], user_files=False)
    # Spot is superseded: the dump's value replaces the one of another source; on-demand
    # (0.38 from fixture-undated) is kept
    spot = cat.price("google", "compute", "n1-standard-8", "us-central1", "spot")
    assert spot is not None and (spot.source, spot.price) == ("fixture-gcp", D("0.13402"))
    on_demand = cat.price("google", "compute", "n1-standard-8", "us-central1", "on_demand")
    assert on_demand is not None and (on_demand.source, on_demand.price) == (
        "fixture-undated",
        D("0.38"),
    )


def test_build_replaces_the_sources_a_dump_supersedes_and_stays_a_fixed_point(
    tmp_path: Path,
) -> None:
    catalogs, dumps, manifest = _setup(tmp_path)
    spec = json.loads(manifest.read_text())
    spec["dumps"][1]["options"]["supersedes_sources"] = ["fixture-undated"]
    manifest.write_text(json.dumps(spec))
    google = catalogs / "google.json"
    doc = json.loads(google.read_text())
    del doc["products"]["compute:n1-standard-8"]  # known only through the superseded entry
    google.write_text(json.dumps(doc, indent=2))

    output = _build(catalogs, dumps, manifest)
    assert "superseded 1 entr(ies): fixture-undated -> fixture-gcp" in output
    assert "kept compute/n1-standard-8" not in output
    first = google.read_text()
    doc = json.loads(first)
    assert "fixture-undated" not in doc["sources"]  # nothing cites it any more
    cat = load_catalog([google], user_files=False)
    on_demand = cat.price("google", "compute", "n1-standard-8", "us-central1", "on_demand")
    assert on_demand is not None
    assert (on_demand.source, on_demand.price, on_demand.as_of) == (
        "fixture-gcp",
        D("0.379998"),
        "2026-07-30",
    )
    # the second build still knows n1-standard-8 (through the dump's own entry) and
    # changes nothing
    second = _build(catalogs, dumps, manifest)
    assert "superseded" not in second
    assert google.read_text() == first


def test_build_keeps_reviewed_prices_and_reports_the_difference(tmp_path: Path) -> None:
    catalogs, dumps, manifest = _setup(tmp_path)
    output = _build(catalogs, dumps, manifest)
    # n1-standard-8 us-central1 (0.38 fixture-undated, 0.379998 here) is kept: the fixture
    # dump does not supersede that source
    cat = load_catalog([catalogs / "google.json"], user_files=False)
    n1 = cat.price("google", "compute", "n1-standard-8", "us-central1", "on_demand")
    assert n1 is not None and (n1.source, n1.price) == ("fixture-undated", D("0.38"))
    assert (
        "kept compute/n1-standard-8/us-central1/on_demand = 0.38 (fixture-undated); "
        "fixture-gcp has 0.379998" in output
    )


def test_azure_parse_items_is_the_refresh_parser_and_reads_win_products() -> None:
    items = [
        {
            "type": "Consumption",
            "serviceName": "Virtual Machines",
            "armSkuName": "Standard_NCC40ads_H100_v5",
            "armRegionName": "westeurope",
            "productName": "Virtual Machines NCCadsv5 Srs Win",
            "skuName": "NCC40adsH100v5",
            "unitOfMeasure": "1 Hour",
            "retailPrice": 10.74,
        },
        {"type": "Reservation", "serviceName": "Virtual Machines", "retailPrice": 1},
    ]
    (found,) = azure.parse_items(items)
    assert (found.product, found.kind, found.price) == (
        "Standard_NCC40ads_H100_v5",
        "on_demand_windows",
        D("10.74"),
    )


def test_validate_rejects_a_price_for_a_retired_product(tmp_path: Path) -> None:
    doc = shipped_document("azurerm")
    doc["prices"].append(
        {
            "service": "vm",
            "product": "Standard_NC6",
            "region": "westeurope",
            "kind": "on_demand",
            "unit": "hour",
            "price": "1.166",
            "source": "azure-retail-radar-vm-westeurope",
            "as_of": "2026-08-22",
        }
    )
    path = tmp_path / "azurerm.json"
    path.write_text(json.dumps(doc))
    errors = [p for p in validate_files([path]) if p.severity == "error"]
    assert [p.message for p in errors] == [
        "Standard_NC6 was retired on 2023-09-06: a retired product keeps no price"
    ]


def test_aws_vantage_gpu_reader_keeps_commercial_regions_and_describes_new_types() -> None:
    from costgate.pricing.build import Dump, Known, aws_vantage_gpu_js

    dump = Dump(
        "fixture-aws-gpu", "aws", "aws-vantage-gpu-js", "o/r", "0" * 40, "a.js", "2026-01-21", ""
    )
    read = aws_vantage_gpu_js(DATA / "aws-gpu.js", dump, Known(frozenset({("ec2", "p5.48xlarge")})))
    got = {(p.product, p.region, p.kind): p.price for p in read.prices}
    # Local Zones, GovCloud and fractional-GPU types (g6f) are not read; reserved is ignored
    assert got == {
        ("p5.48xlarge", "us-east-1", "on_demand"): D("55.04"),
        ("trn1n.32xlarge", "us-east-1", "on_demand"): D("24.78"),
    }
    assert read.products == {
        "ec2:trn1n.32xlarge": {
            "vcpu": 128,
            "memory_gib": 512,
            "accelerator": {"kind": "trainium", "model": "AWS Trainium", "count": 16},
            "source": "fixture-aws-gpu",
        }
    }


def test_shipped_aws_gpu_prices_agree_across_sources() -> None:
    """The vantage GPU dump is built in for 20+ regions and every current GPU family; its
    build reported no conflict with Karpenter's us-east-1 prices (p5.48xlarge: 55.04)."""
    catalog = load_catalog(user_files=False)
    doc = shipped_document("aws")
    dumped = [p for p in doc["prices"] if p["source"] == "aws-vantage-gpu-2026-01-21"]
    assert len({p["region"] for p in dumped}) >= 20
    families = {p["product"].split(".")[0] for p in dumped}
    assert {"p4d", "p5", "g5", "g6", "g6e", "inf1", "inf2", "gr6", "p6-b200"} <= families
    p5 = catalog.price("aws", "ec2", "p5.48xlarge", "us-east-1", "on_demand")
    assert p5 is not None and p5.price == D("55.04")


def test_build_writes_region_shards_when_the_catalog_is_a_folder(tmp_path: Path) -> None:
    catalogs, dumps, manifest = _setup(tmp_path)
    for name in ("azurerm", "google"):  # the same documents, stored as the shipped ones are
        (catalogs / name).mkdir()
        store.write_document(store.read_document(catalogs / f"{name}.json"), catalogs / name)
        (catalogs / f"{name}.json").unlink()
    _build(catalogs, dumps, manifest)
    first = {p: p.read_text() for p in sorted(catalogs.rglob("*.json"))}
    _build(catalogs, dumps, manifest)
    assert {p: p.read_text() for p in sorted(catalogs.rglob("*.json"))} == first
    shard = json.loads((catalogs / "azurerm" / "regions" / "westeurope.json").read_text())
    built = [p for p in shard["prices"] if p["source"] == "fixture-azure-we"]
    assert len(built) == 6 and "fixture-azure-we" in shard["sources"]
    assert not (catalogs / "azurerm.json").exists()


def test_facts_of_a_rebuilt_dump_stay_when_a_hand_copied_entry_prices_the_product(
    tmp_path: Path,
) -> None:
    """The Spot Advisor reader describes only types nothing else knows; once a hand-copied
    entry prices one (a Windows rate), the facts it gave before must survive the rebuild."""
    catalogs, dumps = tmp_path / "catalogs", tmp_path / "dumps"
    catalogs.mkdir()
    dumps.mkdir()
    advisor = {"instance_types": {"c7i.large": {"cores": 2, "ram_gb": 4.0}}}
    (dumps / "fixture-advisor.json").write_text(json.dumps(advisor))
    manifest = tmp_path / "manifest.json"
    dump = {
        "id": "fixture-advisor",
        "provider": "aws",
        "reader": "aws-spot-advisor-facts",
        "repository": "alexei-led/spotinfo",
        "commit": "05e933139449b888c78795b28af8e9370429a031",
        "path": "internal/spot/data/spot-advisor-data.json",
        "data_date": "2025-06-28",
        "description": "Spot Advisor feed.",
    }
    manifest.write_text(json.dumps({"dumps": [dump]}))
    hand = {
        "service": "ec2",
        "product": "c7i.large",
        "region": "us-east-1",
        "kind": "on_demand_windows",
        "unit": "hour",
        "price": "0.18125",
        "source": "fixture-hand",
        "as_of": "2026-09-28",
    }
    aws_doc = {
        "schema_version": 1,
        "provider": "aws",
        "currency": "USD",
        "as_of": "2026-09-28",
        "sources": {"fixture-hand": {"url": "https://example.org", "description": "notes"}},
        "products": {},
        "prices": [],
    }
    target = catalogs / "aws.json"
    target.write_text(json.dumps(aws_doc))
    _build(catalogs, dumps, manifest)  # describes c7i.large: nothing knew it
    doc = json.loads(target.read_text())
    assert doc["products"]["ec2:c7i.large"]["source"] == "fixture-advisor"
    doc["prices"].append(hand)  # a hand-copied rate for it, as the page hunt added
    target.write_text(json.dumps(doc, indent=2))
    first = target.read_text()
    _build(catalogs, dumps, manifest)
    doc = json.loads(target.read_text())
    assert doc["products"]["ec2:c7i.large"] == {
        "vcpu": 2,
        "memory_gib": 4,
        "source": "fixture-advisor",
    }
    assert json.loads(first) == doc


def test_a_malformed_value_in_a_dump_is_exit_2_naming_the_dump(tmp_path: Path) -> None:
    """A price that is not a number in a dump (here the pricing.yml machine table) is a
    malformed dump: exit 2 with its id and file, nothing written, never an internal error."""
    catalogs, dumps, manifest = _setup(tmp_path)
    before = {p.name: p.read_text() for p in catalogs.iterdir()}
    yml = dumps / "fixture-gcp.yml"
    yml.write_text(yml.read_text().replace("hour: 0.379998", "hour: n/a", 1))
    result = CliRunner().invoke(
        main,
        [
            *("pricing", "build", "--dumps", str(dumps), "--manifest", str(manifest)),
            *("--catalog-dir", str(catalogs), "--only", "fixture-gcp"),
        ],
    )
    assert result.exit_code == 2, result.output
    assert "fixture-gcp.yml: dump fixture-gcp: a value the gcp-cyclenerd-pricing-yml" in (
        result.output
    )
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert {p.name: p.read_text() for p in catalogs.iterdir()} == before
