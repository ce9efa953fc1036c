"""A price API answer with a figure that is not a number (a Cloud Billing `unitPrice.units`
of "x") ends the refresh with exit 2 and nothing written, not an internal error (exit 3).
The answers are served on 127.0.0.1; the SKU is TEST DATA."""

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
    assert "not a number" in result.output and "nothing written" in result.output
    assert not out.exists()
