"""Catalog trust: stale-catalog warnings, diff, per-GPU comparison, bad user catalogs."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from costgate.cli import main
from costgate.pricing.catalog import Catalog, load_catalog
from costgate.pricing.trust import gpu_offers, stale_warnings
from tests.conftest import REPO, shipped_document, validate_report, write_price_book

D = Decimal
PLAN = Path("/work/shared/fixtures/terraform-plan/checkov_google_compute_instance/tfplan.json")


def test_stale_catalog_warns_per_file(catalog: Catalog) -> None:
    fresh = stale_warnings(catalog, 180, today=dt.date(2026, 12, 1))
    assert fresh == []
    old = stale_warnings(catalog, 180, today=dt.date(2027, 7, 1))
    assert len(old) == 3 and all("218 days old" in w for w in old)
    assert stale_warnings(catalog, None, today=dt.date(2030, 1, 1)) == []


@pytest.mark.skipif(not PLAN.exists(), reason="shared fixtures not mounted")
def test_every_report_carries_the_stale_warning_but_still_passes(tmp_path: Path) -> None:
    old = write_price_book(
        tmp_path / "old-book.json",
        "google",
        [
            {
                "service": "compute",
                "product": "e2-medium",
                "region": "us-central1",
                "kind": "on_demand",
                "price": "0.03351",
            }
        ],
        as_of="2020-01-01",
    )
    args = ["breakdown", str(PLAN), "--format", "json", "--catalog", str(old)]
    result = CliRunner().invoke(main, [*args, "--max-catalog-age-days", "30"])
    assert result.exit_code == 0, result.output
    doc = validate_report(result.output)
    stale = [w for w in doc["warnings"] if "days old" in w]
    files = [w for w in stale if "old-book.json" in w]
    assert len(files) == 1 and "limit 30)" in files[0]
    # and the e2 list price the report cites is judged on its own date (limit 180 days)
    assert any(
        w.startswith("google compute e2 list prices are up to") and "as of 2020-01-01" in w
        for w in stale
    )
    quiet = CliRunner().invoke(main, [*args, "--max-catalog-age-days", "0"])
    assert not any("days old" in w for w in json.loads(quiet.output)["warnings"])


def test_gpu_table_per_cloud_matches_the_sourced_list_prices(catalog: Catalog) -> None:
    rows = {(o.provider, o.product, o.region): o for o in gpu_offers(catalog, "A100-40GB")}
    p4d = rows[("aws", "p4d.24xlarge", "us-east-1")]
    assert p4d.per_gpu(p4d.on_demand) == D("21.957642") / 8  # AWS Price List (karpenter)
    a2 = rows[("google", "a2-highgpu-1g", "us-central1")]
    # Spot: hour_spot of Cyclenerd's pricing.yml of 2026-07-30 (A100 included)
    assert (a2.per_gpu(a2.on_demand), a2.per_gpu(a2.spot)) == (D("3.673385"), D("1.92802"))
    nd = rows[("azurerm", "Standard_ND96asr_v4", "eastus")]
    assert nd.per_gpu(nd.on_demand) == D("3.399625")  # 27.197 / 8
    assert nd.per_gpu(nd.spot) == D("0.37395875")  # Retail Prices API Spot meter 2.99167 / 8
    a2_east = rows[("google", "a2-highgpu-8g", "us-east1")]
    assert a2_east.per_gpu(a2_east.spot) == D("1.92802")  # pricing.yml 15.42416 / 8
    assert not any(o.gpu_memory_gib != 40 for o in rows.values())
    assert ("google", "a2-ultragpu-1g", "us-central1") not in rows  # that one is 80 GB


def test_compare_cli_prints_each_cloud_and_fails_cleanly() -> None:
    result = CliRunner().invoke(
        main,
        [
            "pricing",
            "compare",
            "--gpu",
            "A100-40GB",
            "--region",
            "us-east-1",
            "--region",
            "us-central1",
            "--region",
            "eastus",
        ],
    )
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert any(
        line.split()[:2] == ["aws", "p4d.24xlarge"] and "2.74470525" in line for line in lines
    )
    assert any(
        line.split()[:2] == ["azurerm", "Standard_ND96asr_v4"]
        and "3.399625" in line
        and "0.37395875" in line
        for line in lines
    )
    assert any(
        line.split()[:2] == ["google", "a2-highgpu-1g"] and "1.92802" in line for line in lines
    )
    missing = CliRunner().invoke(
        main, ["pricing", "compare", "--gpu", "A100-40GB", "--region", "mars-1"]
    )
    assert missing.exit_code == 2 and "mars-1" in missing.output


def test_pricing_diff_lists_changes(tmp_path: Path) -> None:
    shipped = REPO / "pricing" / "azurerm"  # a sharded folder compares like one file
    doc = shipped_document("azurerm")
    a100 = next(
        p
        for p in doc["prices"]
        if (p["product"], p["region"], p["kind"])
        == ("Standard_NC24ads_A100_v4", "eastus", "on_demand")
    )
    a100["price"] = "4.0403"  # +10 %
    removed = doc["prices"].pop(doc["prices"].index(a100) + 1)
    new = tmp_path / "new.json"
    new.write_text(json.dumps(doc))
    result = CliRunner().invoke(main, ["pricing", "diff", str(shipped), str(new)])
    assert result.exit_code == 0
    assert (
        "changed  azurerm/vm/eastus/Standard_NC24ads_A100_v4/on_demand: 3.673 -> 4.0403 (+10.0%)"
        in result.output
    )
    assert f"removed  azurerm/vm/eastus/{removed['product']}/{removed['kind']}" in result.output
    assert result.output.strip().endswith("0 added, 1 removed, 1 changed")


def test_corrupt_user_catalog_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COSTGATE_CATALOG_DIR", str(tmp_path))
    (tmp_path / "google.json").write_text('{"provider": "google", "prices": [')
    with pytest.raises(Exception) as info:
        load_catalog()
    assert "google.json" in str(info.value) and "not valid JSON" in str(info.value)
    result = CliRunner().invoke(main, ["pricing", "show", "e2-medium"])
    assert result.exit_code == 2 and "google.json" in result.output


def test_unknown_region_in_show_exits_2() -> None:
    result = CliRunner().invoke(main, ["pricing", "show", "a2-highgpu-1g", "--region", "mars-1"])
    assert result.exit_code == 2 and "mars-1" in result.output


def test_show_of_a_retired_product_says_it_was_retired() -> None:
    result = CliRunner().invoke(main, ["pricing", "show", "Standard_NC6s_v3"])
    assert result.exit_code == 2
    assert (
        "azurerm vm:Standard_NC6s_v3 was retired on 2025-09-30: a retired product has no price"
        in result.output
    )


def test_price_age_is_judged_per_family_spot_30_days_list_180() -> None:
    from costgate.pricing.trust import price_age_warnings

    today = dt.date(2026, 12, 4)
    cited = [
        ("aws/ec2/us-east-1/p4d.24xlarge/spot", "2026-11-03"),  # 31 days: stale
        ("aws/ec2/us-east-1/p4d.24xlarge/on_demand", "2026-07-20"),  # 137 days: fresh
        ("aws/ec2/us-east-1/g5.xlarge/spot", "2026-11-04"),  # 30 days: fresh
        ("azurerm/vm/westeurope/Standard_NC24ads_A100_v4/low_priority", "2026-08-22"),
        ("google/compute/us-central1/a2-highgpu-1g/on_demand", "2026-06-06"),  # 181 days
        ("aws/s3/us-east-1/STANDARD/storage@51200", "2026-06-06"),
    ]
    warnings = price_age_warnings(cited, today)
    assert [w.split(" prices are")[0] for w in warnings] == [
        "aws ec2 p4d spot",
        "aws s3 s3 list",
        "azurerm vm NCads_A100_v4 spot",
        "google compute a2 list",
    ]
    assert "up to 31 days old" in warnings[0] and "limit 30 days" in warnings[0]
    assert "up to 104 days old" in warnings[2]
