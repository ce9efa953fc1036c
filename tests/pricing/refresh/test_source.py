"""The refresh sources are listed in one registry the CLI takes its choices from."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from costgate.cli import main
from costgate.pricing.refresh.source import PRICE_SOURCES, REFRESH_CLOUDS, PriceSource


def test_the_registry_lists_every_cloud_and_each_source_names_itself() -> None:
    assert list(PRICE_SOURCES) == ["aws", "gcp", "azure"]
    providers = {}
    for name in PRICE_SOURCES:
        source: PriceSource = PRICE_SOURCES[name]
        assert source.name == name
        assert source.url().startswith("https://")
        assert source.source_id and source.description
        providers[name] = source.provider
    assert providers == {"aws": "aws", "gcp": "google", "azure": "azurerm"}


def test_refresh_help_offers_the_registered_clouds() -> None:
    result = CliRunner().invoke(main, ["pricing", "refresh", "--help"])
    assert result.exit_code == 0
    assert "{aws|gcp|azure}" in result.output
    unknown = CliRunner().invoke(main, ["pricing", "refresh", "oracle"])
    assert unknown.exit_code == 2 and "'oracle' is not one of 'aws', 'gcp', 'azure'" in (
        unknown.output
    )


def test_listing_the_sources_imports_no_cloud_module() -> None:
    code = (
        "import sys; from costgate.pricing.refresh.source import PRICE_SOURCES\n"
        "names = list(PRICE_SOURCES)\n"
        "print([m for m in sys.modules if m.startswith(('boto3', 'botocore', "
        "'costgate.pricing.refresh.'))])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['costgate.pricing.refresh.source']"


def test_the_source_url_follows_the_proxy_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COSTGATE_GCP_BILLING_URL", "https://proxy.example/v1")
    monkeypatch.setenv("COSTGATE_AZURE_PRICES_URL", "https://proxy.example/azure")
    assert PRICE_SOURCES["gcp"].url() == "https://proxy.example/v1"
    assert PRICE_SOURCES["azure"].url() == "https://proxy.example/azure"


def test_refresh_clouds_name_each_sources_provider() -> None:
    # the map the price-age warning uses is written out; it must agree with the sources
    assert {PRICE_SOURCES[c].provider: c for c in ("aws", "gcp", "azure")} == REFRESH_CLOUDS
