"""S3 requests, retrievals and S3 Select per storage class (usage `class_usage`), at the
rates of the AWS pricing-page S3 map of 2025-10-22 (us-east-1): PUT/COPY/POST/LIST $0.005
per 1,000 in STANDARD and $0.01 in STANDARD_IA; GET $0.0004 and $0.001 per 1,000; STANDARD_IA
retrieval $0.01/GB; S3 Select scanned $0.002/GB, returned $0.0007/GB (STANDARD). Restores
by speed: Glacier Flexible Retrieval standard $0.01/GB and $0.05 per 1,000 requests, expedited
$0.03/GB and $10 per 1,000 (bulk free); Deep Archive standard $0.02/GB, bulk $0.0025/GB.
Lifecycle transitions into GLACIER $0.03 per 1,000, into Intelligent-Tiering $0.01;
Intelligent-Tiering monitoring $0.0025 per 1,000 objects."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from costgate.errors import ConfigError
from costgate.facts.aws import S3_RESTORE_SPEEDS
from costgate.model import PricedResource
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from costgate.resources import schema_path
from costgate.usage import load_usage
from tests.conftest import make_resource, usage

D = Decimal
SOURCE = "aws-pricing-page-s3-2025-10-22"


@pytest.mark.parametrize(
    ("product", "kind", "price"),
    [
        ("STANDARD", "tier1_requests", "0.005"),
        ("STANDARD", "tier2_requests", "0.0004"),
        ("STANDARD", "select_scanned", "0.002"),
        ("STANDARD", "select_returned", "0.0007"),
        ("STANDARD_IA", "tier1_requests", "0.01"),
        ("STANDARD_IA", "retrieval", "0.01"),
        ("GLACIER_IR", "retrieval", "0.03"),
        ("GLACIER", "tier1_requests", "0.03"),
        ("GLACIER", "standard_retrieval", "0.01"),
        ("GLACIER", "expedited_retrieval", "0.03"),
        ("GLACIER", "standard_retrieval_requests", "0.05"),
        ("GLACIER", "expedited_retrieval_requests", "10"),
        ("GLACIER", "transition_requests", "0.03"),
        ("DEEP_ARCHIVE", "standard_retrieval", "0.02"),
        ("DEEP_ARCHIVE", "bulk_retrieval", "0.0025"),
        ("INTELLIGENT_TIERING", "monitoring", "0.0025"),
        ("INTELLIGENT_TIERING", "transition_requests", "0.01"),
        # the asynchronous archive tiers, no longer divided out of Infracost's golden
        ("INTELLIGENT_TIERING_ARCHIVE", "storage", "0.0036"),
        ("INTELLIGENT_TIERING_DEEP_ARCHIVE", "storage", "0.00099"),
    ],
)
def test_rates_come_from_the_s3_map(catalog: Catalog, product: str, kind: str, price: str) -> None:
    entry = catalog.price("aws", "s3", product, "us-east-1", kind)
    assert entry is not None and (entry.price, entry.source) == (D(price), SOURCE)


def _bucket() -> object:
    return make_resource("aws_s3_bucket", {"bucket": "logs"}, address="aws_s3_bucket.logs")


def test_requests_retrievals_and_select_are_priced_per_class(catalog: Catalog) -> None:
    figures = {
        "class_storage_gb": {"STANDARD_IA": 1000},
        "class_usage": {
            "STANDARD": {
                "tier1_requests": 200000,
                "tier2_requests": 5000000,
                "select_scanned_gb": 100,
                "select_returned_gb": 10,
            },
            "STANDARD_IA": {"tier1_requests": 3000, "retrieval_gb": 250},
        },
    }
    (priced,) = price_resources((_bucket(),), catalog, usage({"aws_s3_bucket.logs": figures}))
    cost = {line.name: line.monthly_cost for line in priced.cost_lines}
    assert cost == {
        "Storage (STANDARD_IA, usage file class_storage_gb)": D("12.5"),  # 1,000 GB x 0.0125
        "PUT, COPY, POST, LIST requests (STANDARD)": D("1.000"),  # 200 x 1k x 0.005
        "GET and all other requests (STANDARD)": D("2.0000"),  # 5,000 x 1k x 0.0004
        "S3 Select data scanned (STANDARD)": D("0.200"),  # 100 GB x 0.002
        "S3 Select data returned (STANDARD)": D("0.0070"),  # 10 GB x 0.0007
        "PUT, COPY, POST, LIST requests (STANDARD_IA)": D("0.03"),  # 3 x 1k x 0.01
        "Retrieval (STANDARD_IA)": D("2.50"),  # 250 GB x 0.01
    }
    assert priced.monthly_cost == D("18.237")
    assert not priced.missing


def test_a_class_without_the_rate_is_listed_as_missing(catalog: Catalog) -> None:
    figures = {"class_usage": {"DEEP_ARCHIVE": {"tier1_requests": 1000, "tier2_requests": 1000}}}
    (priced,) = price_resources((_bucket(),), catalog, usage({"aws_s3_bucket.logs": figures}))
    # GET to Deep Archive is in the map ($0.0004 per 1,000); PUT to it has no named meter
    assert [line.name for line in priced.cost_lines] == [
        "GET and all other requests (DEEP_ARCHIVE)"
    ]
    assert priced.monthly_cost == D("0.0004")  # 1 x 1k x 0.0004
    # no storage figure at all: storage is a missing component, not $0
    assert priced.missing == (
        "PUT, COPY, POST, LIST requests (DEEP_ARCHIVE) not priced: no tier1-requests price "
        "for s3 DEEP_ARCHIVE in us-east-1",
        "Storage not priced: usage unknown: set storage_gb or class_storage_gb",
    )


def test_infracost_per_class_keys_become_class_usage(tmp_path: Path) -> None:
    path = tmp_path / "infracost-usage.yml"
    path.write_text(
        "version: 0.1\nresource_usage:\n  aws_s3_bucket.logs:\n"
        "    standard:\n      storage_gb: 10\n      monthly_tier_1_requests: 2000\n"
        "    standard_infrequent_access:\n      storage_gb: 5\n"
        "      monthly_data_retrieval_gb: 7\n"
        "      monthly_lifecycle_transition_requests: 3000\n"
        "    intelligent_tiering:\n      monitored_objects: 40000\n"
        "      early_delete_gb: 9\n"
        "    glacier_flexible_retrieval:\n      monthly_expedited_data_retrieval_gb: 1\n"
        "      monthly_expedited_data_retrieval_requests: 2\n"
        "      monthly_bulk_select_data_scanned_gb: 3\n"
        "      early_delete_gb: 4\n"
        "    glacier_deep_archive:\n      monthly_bulk_data_retrieval_requests: 5\n"
        "      monthly_standard_data_retrieval_gb: 6\n"
        "      monthly_expedited_data_retrieval_gb: 8\n"
    )
    loaded = load_usage(path)
    figures = loaded.for_resource(_bucket())  # type: ignore[arg-type]
    assert figures["storage_gb"] == 10
    assert figures["class_usage"] == {
        "STANDARD": {"tier1_requests": 2000},
        "STANDARD_IA": {"retrieval_gb": 7, "transition_requests": 3000},
        "INTELLIGENT_TIERING": {"monitored_objects": 40000},
        "GLACIER": {
            "expedited_retrieval_gb": 1,
            "expedited_retrieval_requests": 2,
            "bulk_select_scanned_gb": 3,
        },
        "DEEP_ARCHIVE": {"bulk_retrieval_requests": 5, "standard_retrieval_gb": 6},
    }
    # Deep Archive has no expedited speed: Infracost's file may hold the key, it is not read
    (unused,) = [w for w in loaded.warnings if "not used by costgate" in w]
    assert "glacier_deep_archive.monthly_expedited_data_retrieval_gb" in unused
    # early delete GB is not read, with the reason
    (early,) = [w for w in loaded.warnings if "early_delete_gb" in w]
    assert "glacier_flexible_retrieval.early_delete_gb" in early
    assert "intelligent_tiering.early_delete_gb" in early
    assert "days left of the minimum" in early


def _priced(catalog: Catalog, figures: dict[str, object]) -> PricedResource:
    (priced,) = price_resources((_bucket(),), catalog, usage({"aws_s3_bucket.logs": figures}))
    return priced


def test_glacier_restores_transitions_and_monitoring_are_priced_by_class_and_speed(
    catalog: Catalog,
) -> None:
    figures = {
        "class_storage_gb": {"GLACIER": 100000},
        "class_usage": {
            "GLACIER": {
                "expedited_retrieval_gb": 50000,
                "expedited_retrieval_requests": 2000,
                "standard_retrieval_gb": 1000,
                "standard_retrieval_requests": 4000,
                "bulk_retrieval_gb": 9000,
                "transition_requests": 3000,
            },
            "DEEP_ARCHIVE": {"standard_retrieval_gb": 500, "bulk_retrieval_gb": 2000},
            "INTELLIGENT_TIERING": {"monitored_objects": 1000000, "transition_requests": 10000},
        },
    }
    priced = _priced(catalog, figures)
    cost = {line.name: line.monthly_cost for line in priced.cost_lines}
    assert cost == {
        "Storage (GLACIER, usage file class_storage_gb)": D("360.0000"),  # 100,000 x 0.0036
        "Retrieval (DEEP_ARCHIVE, standard)": D("10.00"),  # 500 GB x 0.02
        "Retrieval (DEEP_ARCHIVE, bulk)": D("5.0000"),  # 2,000 GB x 0.0025
        "Lifecycle transition requests into GLACIER": D("0.09"),  # 3 x 1k x 0.03
        "Retrieval requests (GLACIER, standard)": D("0.20"),  # 4 x 1k x 0.05
        "Retrieval requests (GLACIER, expedited)": D("20"),  # 2 x 1k x 10
        "Retrieval (GLACIER, standard)": D("10.00"),  # 1,000 GB x 0.01
        "Retrieval (GLACIER, expedited)": D("1500.00"),  # 50,000 GB x 0.03
        "Lifecycle transition requests into INTELLIGENT_TIERING": D("0.10"),  # 10 x 1k x 0.01
        "Monitoring and automation (INTELLIGENT_TIERING)": D("2.5000"),  # 1,000 x 1k x 0.0025
    }
    assert priced.monthly_cost == D("1907.89")
    assert not priced.missing
    # bulk restores from Glacier Flexible Retrieval are free: said, not priced at $0
    assert any(
        n.startswith("Retrieval (GLACIER, bulk): 9000 GB at no charge") for n in priced.notes
    )


def test_rates_the_catalog_lacks_are_listed_missing_not_zero(catalog: Catalog) -> None:
    figures = {
        "class_storage_gb": {"DEEP_ARCHIVE": 1000},
        "class_usage": {
            "DEEP_ARCHIVE": {"standard_retrieval_requests": 1000, "bulk_retrieval_gb": 400},
            "GLACIER": {"expedited_select_scanned_gb": 100, "retrieval_gb": 10},
        },
    }
    priced = _priced(catalog, figures)
    assert [line.name for line in priced.cost_lines] == [
        "Storage (DEEP_ARCHIVE, usage file class_storage_gb)",
        "Retrieval (DEEP_ARCHIVE, bulk)",
    ]
    assert priced.monthly_cost == D("0.99") + D("1.0")  # 1,000 x 0.00099 + 400 x 0.0025
    assert priced.missing == (
        "Retrieval requests (DEEP_ARCHIVE, standard) not priced: no "
        "standard-retrieval-requests price for s3 DEEP_ARCHIVE in us-east-1",
        "Retrieval (GLACIER) not priced: GLACIER bills restores by speed: set "
        "standard_retrieval_gb or expedited_retrieval_gb or bulk_retrieval_gb",
        "Glacier Select data scanned (GLACIER, expedited) not priced: no "
        "expedited-select-scanned price for s3 GLACIER in us-east-1",
    )


@pytest.mark.parametrize(
    ("storage_class", "key"),
    [("DEEP_ARCHIVE", "expedited_retrieval_gb"), ("STANDARD_IA", "monitored_objects")],
)
def test_a_key_the_class_does_not_have_is_a_usage_file_error(
    tmp_path: Path, storage_class: str, key: str
) -> None:
    path = tmp_path / "usage.yml"
    path.write_text(
        "version: 1\nresources:\n  aws_s3_bucket.logs:\n    class_usage:\n"
        f"      {storage_class}:\n        {key}: 10\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_usage(path)
    assert f"'{key}' was unexpected" in str(caught.value)
    assert f"/resources/aws_s3_bucket.logs/class_usage/{storage_class}" in str(caught.value)


def test_stated_transitions_replace_the_lifecycle_estimate(catalog: Catalog) -> None:
    bucket = make_resource(
        "aws_s3_bucket",
        {
            "bucket": "logs",
            "lifecycle_rule": [
                {
                    "enabled": True,
                    "transition": [{"days": 30, "storage_class": "GLACIER"}],
                    "expiration": [{"days": 90}],
                }
            ],
        },
        address="aws_s3_bucket.logs",
    )
    figures = {
        "storage_gb": 900,
        "objects": 90000,
        "class_usage": {"GLACIER": {"transition_requests": 5000}},
    }
    (priced,) = price_resources((bucket,), catalog, usage({"aws_s3_bucket.logs": figures}))
    transitions = [line for line in priced.cost_lines if "ransition" in line.name]
    # the stated 5,000 a month (5 x 1k x 0.03), not the modelled 30.4 thousand
    assert [(t.name, t.monthly_cost) for t in transitions] == [
        ("Lifecycle transition requests into GLACIER", D("0.15"))
    ]
    assert any("replaces the lifecycle rules' estimate" in n for n in priced.notes)


def test_the_usage_schema_offers_each_archive_class_its_restore_speeds() -> None:
    # the speeds are one fact (facts.aws.S3_RESTORE_SPEEDS) that the JSON schema repeats:
    # Deep Archive takes no expedited restore, Glacier Flexible Retrieval all three speeds
    schema = json.loads(schema_path("usage.schema.json").read_text())
    (entry,) = [
        v["properties"]["class_usage"]["properties"]
        for v in _walk(schema)
        if isinstance(v, dict) and "class_usage" in (v.get("properties") or {})
    ]
    for storage_class, speeds in S3_RESTORE_SPEEDS.items():
        keys = set(entry[storage_class]["properties"])
        offered = {k.split("_", 1)[0] for k in keys if "_retrieval_" in k}
        assert offered == set(speeds), storage_class
    assert S3_RESTORE_SPEEDS["DEEP_ARCHIVE"] == ("standard", "bulk")


def _walk(node: object) -> list[object]:
    found: list[object] = [node]
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    for child in children:
        found += _walk(child)
    return found
