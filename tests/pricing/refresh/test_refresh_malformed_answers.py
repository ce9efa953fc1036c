"""A price API answer with a figure that is not a number (a Cloud Billing `unitPrice.units`
of "x") ends the refresh with exit 2 and nothing written, not an internal error (exit 3).
The answers are served on 127.0.0.1; the SKU is TEST DATA. Also: a default request too
large to send is refused before any query."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from costgate.cli import main
from tests.helpers import loopback

BAD_SKU = {
    "description": "N1 Predefined Instance Core running in Americas",
    "serviceRegions": ["us-central1"],
    "category": {"usageType": "OnDemand"},
    "pricingInfo": [
        {
            "pricingExpression": {
                "usageUnit": "h",
                "tieredRates": [{"unitPrice": {"currencyCode": "USD", "units": "x", "nanos": 5}}],
            }
        }
    ],
}


def test_a_gcp_price_that_is_not_a_number_is_exit_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def app(request: loopback.Request) -> Any:
        return loopback.Response(200, {"skus": [BAD_SKU]})

    out = tmp_path / "google.json"
    with loopback.LoopbackServer(app) as httpd:
        monkeypatch.setenv("COSTGATE_GCP_BILLING_URL", f"{httpd.url}/v1")
        monkeypatch.setenv("COSTGATE_GCP_API_KEY", "test-key")
        args = ["pricing", "refresh", "gcp", "--regions", "us-central1", "--types"]
        result = CliRunner().invoke(main, [*args, "n1-standard-4", "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "units: 'x'" in result.output and "is not whole numbers" in result.output
    assert "nothing written" in result.output
    assert not out.exists()


def test_the_default_azure_request_is_refused_before_any_query(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # without --regions the shipped catalog's 1,395 sizes x 58 regions made ~81,000 Retail
    # API queries, one after another (hours, and Azure's rate limit), after the Karpenter
    # table added its regions; what a catalog-age warning's "run `costgate pricing refresh`"
    # led to
    seen: list[str] = []

    def app(request: loopback.Request) -> Any:
        seen.append(request.target)
        return loopback.Response(200, {"Items": [], "NextPageLink": None})

    out = tmp_path / "azurerm.json"
    with loopback.LoopbackServer(app) as httpd:
        monkeypatch.setenv("COSTGATE_AZURE_PRICES_URL", f"{httpd.url}/api/retail/prices")
        result = CliRunner().invoke(main, ["pricing", "refresh", "azure", "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "--regions" in result.output and "queries" in result.output
    assert seen == [] and not out.exists()
