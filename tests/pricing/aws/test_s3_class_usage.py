"""S3 requests, retrievals and S3 Select per storage class (usage `class_usage`), at the
rates of the AWS pricing-page S3 map of 2025-10-22 (us-east-1): PUT/COPY/POST/LIST $0.005
per 1,000 in STANDARD and $0.01 in STANDARD_IA; GET $0.0004 and $0.001 per 1,000; STANDARD_IA
retrieval $0.01/GB; S3 Select scanned $0.002/GB, returned $0.0007/GB (STANDARD)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
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
        "    glacier_flexible_retrieval:\n      monthly_expedited_data_retrieval_gb: 1\n"
    )
    loaded = load_usage(path)
    figures = loaded.for_resource(_bucket())  # type: ignore[arg-type]
    assert figures["storage_gb"] == 10
    assert figures["class_usage"] == {
        "STANDARD": {"tier1_requests": 2000},
        "STANDARD_IA": {"retrieval_gb": 7},
    }
    # retrieval by speed in the Glacier classes is not read, and says so
    assert any("glacier_flexible_retrieval.monthly_expedited" in w for w in loaded.warnings)
