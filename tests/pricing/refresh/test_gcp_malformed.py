"""A malformed Cloud Billing Catalog answer is a clear error (exit 2), never exit 3."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from costgate.errors import CatalogError
from costgate.pricing.refresh.gcp import parse_sku
from costgate.pricing.refresh.gcp_gcs import parse_gcs_sku
from costgate.pricing.refresh.gcp_storage import money, parse_storage_sku


def _sku(description: str, info: Any) -> dict[str, Any]:
    return {
        "skuId": "TEST-1",
        "description": description,
        "category": {"resourceGroup": "RegionalStorage", "usageType": "OnDemand"},
        "serviceRegions": ["us-central1"],
        "pricingInfo": info,
    }


def _info(unit_price: Any, **extra: Any) -> list[dict[str, Any]]:
    rates = [{"startUsageAmount": 0, "unitPrice": unit_price}]
    return [{"pricingExpression": {"usageUnit": "GiBy.mo", "tieredRates": rates}, **extra}]


def test_money_reads_units_and_nanos_and_converts() -> None:
    assert money({"units": "1", "nanos": 500000000}, 1) == Decimal("1.5")
    assert money({"units": "2", "nanos": 0, "currencyCode": "EUR"}, "0.5") == Decimal(4)


@pytest.mark.parametrize(
    ("unit", "conversion", "what"),
    [
        ({"units": "1", "nanos": "1.5"}, 1, "not whole numbers"),
        ({"units": "x", "nanos": 0}, 1, "not whole numbers"),
        ({"units": "1", "nanos": 0, "currencyCode": "EUR"}, 0, "not a positive number"),
        ({"units": "1", "nanos": 0, "currencyCode": "EUR"}, "NaN", "not a positive number"),
    ],
)
def test_a_malformed_unit_price_is_a_clear_error(unit: Any, conversion: Any, what: str) -> None:
    with pytest.raises(CatalogError, match=what):
        money(unit, conversion)


READERS = [
    (lambda raw: parse_sku(raw), "N2 Instance Core running in Americas"),
    (lambda raw: list(parse_storage_sku(raw)), "Balanced PD Capacity in Iowa"),
    (lambda raw: list(parse_gcs_sku(raw)), "Standard Storage Iowa"),
]
"""Each SKU reader with a description it reads."""


@pytest.mark.parametrize(("parse", "description"), READERS)
@pytest.mark.parametrize(
    "info",
    [
        {"not": "a list"},
        ["not an object"],
        [{"pricingExpression": {"usageUnit": "GiBy.mo", "tieredRates": {"a": 1}}}],
    ],
)
def test_a_malformed_pricing_info_is_a_clear_error(parse: Any, description: str, info: Any) -> None:
    # each was a KeyError, AttributeError or TypeError (exit 3) before
    with pytest.raises(CatalogError, match="Cloud Billing Catalog API answer"):
        parse(_sku(description, info))


@pytest.mark.parametrize(("parse", "description"), READERS)
def test_a_well_formed_sku_still_reads(parse: Any, description: str) -> None:
    raw = _sku(description, _info({"units": "0", "nanos": 100000000}))
    raw["category"]["resourceFamily"] = "Storage"
    parse(raw)  # no error; what it yields is each reader's own tests' business
