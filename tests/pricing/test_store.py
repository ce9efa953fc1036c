"""The shipped catalog is stored as region shards and read lazily; tools see one document."""

from __future__ import annotations

import json
import os
import shutil
import stat
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from costgate.cli import main
from costgate.errors import CatalogError
from costgate.pricing import store
from costgate.pricing.catalog import load_catalog
from costgate.pricing.validate import validate_files
from tests.conftest import REPO, shipped_document, write_price_book

D = Decimal


def test_a_run_reads_only_the_shards_of_the_regions_it_prices() -> None:
    catalog = load_catalog(user_files=False)
    assert catalog.shards_read == ()
    p4d = catalog.price("aws", "ec2", "p4d.24xlarge", "us-east-1", "on_demand")
    assert p4d is not None and p4d.price == D("21.957642")
    assert catalog.shards_read == (REPO / "pricing" / "aws" / "regions" / "us-east-1.json",)
    # a region with no shard, or a name that cannot be a file, reads nothing
    assert catalog.price("aws", "ec2", "p4d.24xlarge", "mars-1", "on_demand") is None
    assert catalog.price("aws", "ec2", "p4d.24xlarge", "../../etc", "on_demand") is None
    assert len(catalog.shards_read) == 1


def test_an_override_wins_over_a_shard_read_after_it(tmp_path: Path) -> None:
    book = write_price_book(
        tmp_path / "book.json",
        "aws",
        [
            {
                "service": "ec2",
                "product": "p4d.24xlarge",
                "region": "us-east-1",
                "kind": "on_demand",
                "price": "20",
            }
        ],
    )
    catalog = load_catalog([book], user_files=False)
    assert catalog.shards_read == ()  # the override alone does not read the shard
    p4d = catalog.price("aws", "ec2", "p4d.24xlarge", "us-east-1", "on_demand")
    assert p4d is not None and p4d.price == D("20") and p4d.source == "book"
    # the shard was read for the other prices of the region, which it still gives
    spot = catalog.price("aws", "ec2", "p4d.24xlarge", "us-east-1", "spot")
    assert spot is not None and spot.source != "book"


def test_catalog_tools_see_every_shard() -> None:
    catalog = load_catalog(user_files=False)
    regions = catalog.regions("google", "compute", "a2-highgpu-1g")
    assert len(regions) > 10 and "us-central1" in regions
    everything = shipped_document("google")
    assert len(list(catalog.all_entries())) >= len(everything["prices"]) > 0
    # Azure sizes are case-insensitive: the spelling is found in the region's shard
    a100 = "Standard_NC24ads_A100_v4"
    assert catalog.spelling("azurerm", "vm", a100.lower(), "eastus") == a100
    # ... and a product without prices (retired) by its facts
    assert catalog.spelling("azurerm", "vm", "standard_nc6s_v3", "eastus") == "Standard_NC6s_v3"


def test_a_folder_round_trips_and_drops_shards_of_regions_gone(tmp_path: Path) -> None:
    folder = tmp_path / "aws"
    shutil.copytree(REPO / "pricing" / "aws", folder)
    document = store.read_document(folder)
    regions = {p["region"] for p in document["prices"]}
    assert {f.stem for f in (folder / "regions").iterdir()} == regions
    store.write_document(document, folder)
    assert store.plain(store.read_document(folder)) == store.plain(document)
    # each shard is a catalog document of its own, citing only its own sources
    shard = json.loads((folder / "regions" / "us-west-2.json").read_text())
    assert {p["region"] for p in shard["prices"]} == {"us-west-2"}
    assert set(shard["sources"]) == {p["source"] for p in shard["prices"]}
    document["prices"] = [p for p in document["prices"] if p["region"] != "eu-west-1"]
    store.write_document(document, folder)
    assert not (folder / "regions" / "eu-west-1.json").exists()
    assert [p for p in validate_files([folder]) if p.severity == "error"] == []


def test_a_price_in_the_wrong_shard_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "aws"
    shutil.copytree(REPO / "pricing" / "aws", folder)
    shard = folder / "regions" / "us-west-2.json"
    doc = json.loads(shard.read_text())
    doc["prices"][0]["region"] = "us-east-1"
    shard.write_text(json.dumps(doc))
    with pytest.raises(CatalogError, match="in the shard of 'us-west-2'") as info:
        store.read_document(folder)
    assert info.value.path == str(shard) and info.value.location == "/prices/0"
    result = CliRunner().invoke(main, ["pricing", "validate", str(folder)])
    assert result.exit_code == 1 and "us-west-2.json:/prices/0: error" in result.output


def test_a_region_name_that_cannot_be_a_file_is_refused_on_write(tmp_path: Path) -> None:
    document = shipped_document("aws")
    document["prices"][0]["region"] = "../outside"
    (tmp_path / "aws").mkdir()
    with pytest.raises(CatalogError, match="cannot name a shard file"):
        store.write_document(document, tmp_path / "aws")
    assert not (tmp_path / "outside.json").exists()


def test_product_facts_are_found_by_name_in_any_service_and_case() -> None:
    catalog = load_catalog(user_files=False)
    nc6 = catalog.facts_named("azurerm", "standard_nc6s_v3")  # Azure sizes ignore case
    assert nc6["accelerator"]["model"] == "NVIDIA V100" and nc6["accelerator"]["count"] == 1
    t4 = catalog.facts_named("google", "NVIDIA-TESLA-T4")  # an attachable GPU, not a machine
    assert t4["accelerator"]["model"] == "NVIDIA T4"
    assert catalog.facts_named("google", "no-such-machine") == {}
    assert catalog.shards_read == ()  # facts live in the headers: no price shard is read


def test_a_missing_price_is_explained_from_the_index_file_without_reading_shards() -> None:
    catalog = load_catalog(user_files=False)
    index = json.loads((REPO / "pricing" / "aws" / store.INDEX_FILE).read_text())
    listed = index[store.INDEX]["ec2:p5.48xlarge"]
    assert catalog.regions("aws", "ec2", "p5.48xlarge") == tuple(listed)
    assert "us-east-1" in listed and len(listed) > 5
    assert catalog.shards_read == ()  # the index answered: no shard was read
    # every product's regions are exactly the shards that price it
    document = store.read_document(REPO / "pricing" / "aws")
    assert index[store.INDEX] == store.index_of(document["prices"])


def test_the_index_is_not_in_the_header_and_is_read_only_to_explain_a_missing_price(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for provider in ("aws", "azurerm", "google"):  # every run parses the headers
        header = json.loads((REPO / "pricing" / provider / store.HEADER).read_text())
        assert "regions" not in header
    read: list[Path] = []
    real = store.read_index
    monkeypatch.setattr(store, "read_index", lambda f: read.append(f) or real(f))
    catalog = load_catalog(user_files=False)
    assert catalog.price("azurerm", "vm", "Standard_D2s_v3", "westeurope", "on_demand")
    assert read == []  # a price found needs no index
    assert catalog.regions("azurerm", "vm", "Standard_D2s_v3")
    catalog.regions("azurerm", "disk", "P10_LRS")  # same provider: no second read
    assert read == [REPO / "pricing" / "azurerm"]  # read once per provider, on first need


def test_without_an_index_file_the_regions_come_from_the_shards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pricing = tmp_path / "pricing"
    shutil.copytree(REPO / "pricing", pricing)
    (pricing / "google" / store.INDEX_FILE).unlink()
    monkeypatch.setattr("costgate.pricing.catalog.data_dir", lambda name: tmp_path / name)
    catalog = load_catalog(user_files=False)
    document = store.read_document(REPO / "pricing" / "google")
    expected = store.index_of(document["prices"])["compute:n2-standard-8"]
    assert catalog.regions("google", "compute", "n2-standard-8") == tuple(expected)
    assert len(catalog.shards_read) == len(store.files(pricing / "google")) - 1  # all shards
    problems = [p for p in validate_files([pricing / "google"]) if p.severity == "error"]
    assert [(Path(p.file).name, p.location) for p in problems] == [("index.json", "/regions")]
    assert "the region index is missing" in problems[0].message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"regions": {"ec2:m5.large": ["us-east-1"]', "not valid JSON"),
        ('{"regions": {"ec2:m5.large": "us-east-1"}}', "expected an object with 'regions'"),
        ('["us-east-1"]', "expected an object with 'regions'"),
    ],
)
def test_a_malformed_index_file_is_a_clear_error(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / store.INDEX_FILE).write_text(text)
    with pytest.raises(CatalogError, match=expected) as raised:
        store.read_index(tmp_path)
    assert raised.value.path == str(tmp_path / store.INDEX_FILE)


def test_a_stale_index_is_a_validation_error(tmp_path: Path) -> None:
    folder = tmp_path / "aws"
    shutil.copytree(REPO / "pricing" / "aws", folder)
    shard = folder / "regions" / "us-west-2.json"
    doc = json.loads(shard.read_text())
    doc["prices"] = [p for p in doc["prices"] if p["product"] != "p4d.24xlarge"]
    shard.write_text(json.dumps(doc))  # a hand edit without a rebuild
    problems = [p for p in validate_files([folder]) if p.severity == "error"]
    assert [p.location for p in problems] == [f"/{store.INDEX}"]
    assert "out of date" in problems[0].message and problems[0].file.endswith("index.json")
    store.write_document(store.read_document(folder), folder)  # what the build does
    assert [p for p in validate_files([folder]) if p.severity == "error"] == []


def test_an_index_left_in_an_old_header_is_dropped_on_rewrite(tmp_path: Path) -> None:
    folder = tmp_path / "aws"
    shutil.copytree(REPO / "pricing" / "aws", folder)
    (folder / store.INDEX_FILE).unlink()
    header = json.loads((folder / store.HEADER).read_text())
    document = store.read_document(folder)
    header["regions"] = store.index_of(document["prices"])  # the layout before index.json
    (folder / store.HEADER).write_text(json.dumps(header))
    assert "regions" not in store.read_document(folder)
    store.write_document(store.read_document(folder), folder)
    assert "regions" not in json.loads((folder / store.HEADER).read_text())
    assert [p for p in validate_files([folder]) if p.severity == "error"] == []


def test_a_malformed_shard_price_is_a_clear_error_when_it_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # entries are built on first lookup: a bad price surfaces then, naming file and entry
    pricing = tmp_path / "pricing"
    shutil.copytree(REPO / "pricing", pricing)
    shard = pricing / "aws" / "regions" / "us-west-2.json"
    doc = json.loads(shard.read_text())
    index = next(
        i
        for i, p in enumerate(doc["prices"])
        if (p["product"], p["kind"]) == ("m5.large", "on_demand")
    )
    doc["prices"][index]["price"] = {"not": "a price"}
    shard.write_text(json.dumps(doc))
    from costgate import resources

    monkeypatch.setattr(resources, "data_dir", lambda name: tmp_path / name)
    monkeypatch.setattr("costgate.pricing.catalog.data_dir", lambda name: tmp_path / name)
    catalog = load_catalog(user_files=False)
    assert catalog.price("aws", "ec2", "m5.xlarge", "us-west-2", "on_demand") is not None
    with pytest.raises(CatalogError) as info:
        catalog.price("aws", "ec2", "m5.large", "us-west-2", "on_demand")
    assert info.value.path == str(shard) and info.value.location == f"/prices/{index}"


def test_written_files_get_the_mode_open_gives(tmp_path: Path) -> None:
    # mkstemp creates 0600: a catalog rebuilt with it would ship unreadable in a wheel
    old = os.umask(0o022)
    try:
        store.write_json({"a": 1}, tmp_path / "x.json")
        (tmp_path / "plain.json").write_text("{}", encoding="utf-8")
    finally:
        os.umask(old)
    mode = stat.S_IMODE((tmp_path / "x.json").stat().st_mode)
    assert mode == stat.S_IMODE((tmp_path / "plain.json").stat().st_mode) == 0o644


def test_priced_lists_a_services_products_from_the_index_without_reading_shards() -> None:
    catalog = load_catalog(user_files=False)
    priced = catalog.priced("aws", "sagemaker")
    assert catalog.shards_read == ()
    assert "ml.g5.xlarge" in priced and "us-east-1" in priced["ml.g5.xlarge"]
    # the same as reading every shard of the provider
    everything = load_catalog(user_files=False).entries
    expected: dict[str, set[str]] = {}
    for provider, service, product, region, _ in everything:
        if (provider, service) == ("aws", "sagemaker"):
            expected.setdefault(product, set()).add(region)
    assert priced == {p: tuple(sorted(r)) for p, r in sorted(expected.items())}


def test_a_float_price_in_a_shard_is_refused_not_read_as_binary(tmp_path: Path) -> None:
    folder = tmp_path / "aws"
    shutil.copytree(REPO / "pricing" / "aws", folder)
    shard = folder / "regions" / "us-east-1.json"
    doc = json.loads(shard.read_text(encoding="utf-8"))
    doc["prices"][0]["price"] = 0.1  # a JSON number where the schema wants a string
    shard.write_text(json.dumps(doc), encoding="utf-8")
    catalog = load_catalog(user_files=False)
    catalog._shards["aws"] = folder  # read the edited copy instead of the shipped shards
    key = doc["prices"][0]
    with pytest.raises(CatalogError, match="expected a decimal string"):
        catalog.tiers("aws", key["service"], key["product"], "us-east-1", key["kind"])
