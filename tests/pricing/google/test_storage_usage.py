"""Cloud Storage usage besides stored volume: retrieval (pricing.yml dump), Class A/B
operations and worldwide internet egress (the second-hand page transcription), each priced
or listed as missing on its own. Figures are hand-computed from the shipped catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from costgate.errors import ConfigError
from costgate.infracost_usage import translate
from costgate.pricing.catalog import Catalog
from costgate.usage import load_usage
from tests.conftest import usage
from tests.pricing.helpers import D, gcp, lines, list_price, price

WORLDWIDE = "Internet egress to worldwide destinations excl. Asia, China, Australia (first 10 TiB)"


def test_catalog_rates_the_pricer_uses(catalog: Catalog) -> None:
    """The rates the hand computations below rely on, read from the shipped catalog."""
    cat = catalog
    assert list_price(cat, "google", "gcs", "STANDARD", "class_a_operations", "us-east1") == D(
        "0.005"
    )
    assert list_price(cat, "google", "gcs", "STANDARD", "class_b_operations", "us-east1") == D(
        "0.0004"
    )
    assert list_price(cat, "google", "gcs", "internet_egress", "worldwide", "asia") == D("0.12")
    for storage_class, rate in (("NEARLINE", "0.01"), ("COLDLINE", "0.02"), ("ARCHIVE", "0.05")):
        for location in ("us-east1", "asia", "eur4"):
            assert list_price(cat, "google", "gcs", storage_class, "retrieval", location) == D(rate)
    # no multi-region or Coldline operation rate in the source: those stay missing
    assert cat.price("google", "gcs", "STANDARD", "eu", "class_a_operations") is None
    assert cat.price("google", "gcs", "COLDLINE", "us-east1", "class_a_operations") is None


def test_regional_standard_bucket_prices_operations_and_the_first_egress_tier(
    catalog: Catalog,
) -> None:
    use = usage(
        {
            "google_storage_bucket.web": {
                "storage_gb": 100,
                "monthly_class_a_operations": 40000,
                "monthly_class_b_operations": 20000,
                "monthly_data_retrieval_gb": 250,
                "egress_gb": {"worldwide": 12000, "china": 50},
            }
        }
    )
    (web,) = price(
        catalog,
        gcp(
            "google_storage_bucket",
            {"location": "US-EAST1"},
            region="us-east1",
            address="google_storage_bucket.web",
        ),
        use=use,
    )
    assert lines(web) == {
        "Storage (STANDARD, 365/365 d)": (D(100), D("0.02")),
        "Class A operations (STANDARD, per 1,000)": (D(40), D("0.005")),
        "Class B operations (STANDARD, per 1,000)": (D(20), D("0.0004")),
        WORLDWIDE: (D(10240), D("0.12")),
    }
    # 100 x 0.02 + 40 x 0.005 + 20 x 0.0004 + 10,240 x 0.12
    assert web.monthly_cost == D("1231.008")
    assert web.missing == (
        "Internet egress worldwide above 10 TiB (1760 GB) not priced: no dated Cloud Storage "
        "rate above the first 10 TiB",
        "Internet egress to China (50 GB) not priced: no dated Cloud Storage rate for "
        "egress_gb.china",
    )
    assert "monthly_data_retrieval_gb: STANDARD has no retrieval fee" in web.notes
    assert any("one rate for every bucket location" in n for n in web.notes)


def test_coldline_multi_region_prices_retrieval_and_lists_operations_as_missing(
    catalog: Catalog,
) -> None:
    use = usage(
        {
            "google_storage_bucket.cold": {
                "storage_gb": 150,
                "monthly_data_retrieval_gb": 250,
                "monthly_class_a_operations": 40000,
                "egress_gb": {"worldwide": 100, "same_continent": 0},
            }
        }
    )
    (cold,) = price(
        catalog,
        gcp(
            "google_storage_bucket",
            {"location": "ASIA", "storage_class": "COLDLINE"},
            region="asia",
            address="google_storage_bucket.cold",
        ),
        use=use,
    )
    got = lines(cold)
    assert got["Data retrieval (COLDLINE, the bucket's storage class)"] == (D(250), D("0.02"))
    assert got[WORLDWIDE] == (D(100), D("0.12"))
    # storage 150 x 0.00875 = 1.3125, retrieval 250 x 0.02 = 5, egress 100 x 0.12 = 12
    assert cold.monthly_cost == D("18.3125")
    assert cold.missing == (
        "Class A operations (COLDLINE, per 1,000) not priced: no dated Class A operations rate "
        "for COLDLINE in asia (the shipped source gives the Standard single-region rates only)",
    )


def test_without_the_keys_nothing_is_added(catalog: Catalog) -> None:
    use = usage({"google_storage_bucket.b": {"storage_gb": 10}})
    (b,) = price(
        catalog,
        gcp(
            "google_storage_bucket",
            {"location": "US-EAST1"},
            region="us-east1",
            address="google_storage_bucket.b",
        ),
        use=use,
    )
    assert list(lines(b)) == ["Storage (STANDARD, 365/365 d)"]
    assert b.missing == ()


def test_infracost_egress_block_and_operations_are_translated() -> None:
    doc, warnings = translate(
        {
            "version": "0.1",
            "resource_usage": {
                "google_storage_bucket.b": {
                    "storage_gb": 1,
                    "monthly_class_a_operations": 4,
                    "monthly_class_b_operations": 2,
                    "monthly_egress_data_transfer_gb": {
                        "same_continent": 550,
                        "worldwide": 12500,
                        "asia": 1500,
                        "mars": 1,
                    },
                }
            },
        }
    )
    assert doc["resources"]["google_storage_bucket.b"] == {
        "storage_gb": 1,
        "monthly_class_a_operations": 4,
        "monthly_class_b_operations": 2,
        "egress_gb": {"same_continent": 550, "worldwide": 12500, "asia": 1500},
    }
    assert warnings == [
        "Infracost usage for google_storage_bucket.b: monthly_egress_data_transfer_gb.mars not "
        "used by costgate (see docs/usage-file.md for the keys it reads)"
    ]


def test_costgate_usage_file_accepts_the_keys_and_rejects_unknown_destinations(
    tmp_path: Path,
) -> None:
    good = tmp_path / "usage.yml"
    good.write_text(
        "version: 1\nresources:\n  google_storage_bucket.b:\n    storage_gb: 1\n"
        "    monthly_class_a_operations: 4\n    egress_gb: {worldwide: 10, australia: 2}\n"
    )
    loaded = load_usage(good)
    assert loaded.resources["google_storage_bucket.b"]["egress_gb"]["australia"] == 2
    bad = tmp_path / "bad.yml"
    bad.write_text("version: 1\nresources:\n  b:\n    egress_gb: {mars: 1}\n")
    with pytest.raises(ConfigError, match="mars"):
        load_usage(bad)


def test_every_egress_destination_the_file_may_give_is_priced_or_listed() -> None:
    """The usage schema's `egress_gb` keys, the Infracost translation's and the pricer's
    (worldwide priced, the rest listed as missing) are the same set: a destination added to
    one list cannot be accepted and then dropped silently."""
    import json

    from costgate.infracost_usage import EGRESS_DESTINATIONS
    from costgate.pricing.google.storage_usage import UNSOURCED_EGRESS
    from costgate.resources import schema_path

    schema = json.loads(schema_path("usage.schema.json").read_text())
    found = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "egress_gb" in node.get("properties", {}):
                found.append(set(node["properties"]["egress_gb"]["properties"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    assert found and all(keys == found[0] for keys in found)
    assert found[0] == set(EGRESS_DESTINATIONS) == {"worldwide", *UNSOURCED_EGRESS}
