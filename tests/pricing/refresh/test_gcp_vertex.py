"""`pricing refresh gcp` reads Vertex AI and every current GPU family's SKUs.

Two recorded pages in the Cloud Billing Catalog API's shape (skus with category
resourceFamily/resourceGroup/usageType, serviceRegions, pricingInfo tieredRates of units +
nanos), served on 127.0.0.1:

- `vertex-prediction-skus.json` (service C7E2-9256-1C43): the A3/H100 us-central1 ("Iowa")
  SKUs with the ids, descriptions and unit prices a Cloud Billing report showed in August 2025
  (zenn.dev/google_cloud_jp, "DWS の新料金プラン": AE9C-DB60-DF46 H100 11.2660332/h,
  A002-4323-D900 A3 core 0.0293227/h, 2424-9F04-82A8 A3 RAM 0.0025534/GiB-h; training
  3F95-001E-B747, 2E83-99F1-391A, B045-9255-8314; management fees 1797-967A-274D,
  9AC1-7D9B-C47E), prices as the report rounds them; plus `TEST-` SKUs in the same
  description shapes with made-up round rates (N1, T4, Spot).
- `synthetic-gpu-skus.json` (Compute Engine): `TEST-` SKUs with made-up round rates in the
  description shapes the API uses for each GPU family (T4/V100/P100/P4/L4 in asia-east1, a
  region the shipped catalog has no N1 GPU price for; H100 Mega, H200, B200 slices; local SSD
  per GiB-month; Spot, sole-tenant, DWS and commitment variants that must be skipped).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from costgate.cli import main
from costgate.pricing.catalog import load_catalog
from costgate.pricing.refresh import Request
from costgate.pricing.refresh.gcp import machine_prices, parse_pages
from costgate.pricing.refresh.gcp_vertex import vertex_prices
from costgate.pricing.validate import validate_files
from tests.conftest import REPO
from tests.helpers.fake_gcp import COMPUTE_ENGINE, VERTEX_AI, fake_billing
from tests.pricing.helpers import gcp, lines, price

D = Decimal
DATA = REPO / "tests" / "data" / "gcp-billing"
VERTEX = json.loads((DATA / "vertex-prediction-skus.json").read_text())
GPUS = json.loads((DATA / "synthetic-gpu-skus.json").read_text())


def test_vertex_skus_price_machines_without_gpus_and_each_accelerator_apart() -> None:
    request = Request(("us-central1", "us-east1"), ("a3-highgpu-1g", "n1-standard-4"))
    got = {
        (f.product, f.region, f.kind): f.price
        for f in vertex_prices([VERTEX], load_catalog(), request)
    }
    # a3-highgpu-1g: 26 vCPU x 0.0293227 + 234 GiB x 0.0025534 = 0.7623902 + 0.5974956
    assert got[("a3-highgpu-1g", "us-central1", "prediction")] == D("1.3598858")
    assert got[("a3-highgpu-1g", "us-central1", "training")] == D("1.3598858")
    # its H100 is requested through the machine (bundled on Compute Engine, apart on Vertex)
    assert got[("nvidia-h100-80gb", "us-central1", "prediction")] == D("11.2660332")
    assert got[("nvidia-h100-80gb", "us-central1", "training")] == D("11.2660332")
    # n1-standard-4: 4 vCPU x 0.04 + 15 GiB x 0.005 (TEST rates, Americas SKU)
    assert got[("n1-standard-4", "us-east1", "prediction")] == D("0.235")
    assert ("a3-highgpu-1g", "us-east1", "prediction") not in got  # no A3 SKU there
    # T4 is neither requested nor bundled; the Spot and management-fee SKUs are never read
    assert not any(product == "nvidia-tesla-t4" for product, _, _ in got)
    assert len(got) == 6  # a3 and h100 x 2 kinds in us-central1, n1 prediction x 2 regions
    with_t4 = Request(("us-east1",), ("n1-standard-4", "nvidia-tesla-t4"))
    t4 = [f for f in vertex_prices([VERTEX], load_catalog(), with_t4) if f.product.startswith("nv")]
    assert [(f.product, f.kind, f.price) for f in t4] == [
        ("nvidia-tesla-t4", "prediction", D("0.4"))  # the on-demand SKU, not the Spot 0.1
    ]


def test_every_gpu_family_is_parsed_in_any_region_and_variants_are_skipped() -> None:
    types = (
        "nvidia-tesla-t4",
        "nvidia-tesla-v100",
        "nvidia-tesla-p100",
        "nvidia-tesla-p4",
        "nvidia-l4",
        "nvidia-h100-80gb",
        "nvidia-h100-mega-80gb",
        "nvidia-h200-141gb",
        "nvidia-b200",
        "a3-megagpu-8g",
    )
    prices = machine_prices(
        parse_pages([GPUS]), load_catalog(), Request(("asia-east1", "us-east4"), types)
    )
    got = {(f.product, f.region, f.kind): f.price for f in prices}
    assert got == {
        # Spot from "attached to Spot Preemptible VMs"; sole-tenant 0.5, Commit1Yr 0.2 and
        # the L4 Virtual Workstation 0.9 are skipped
        ("nvidia-tesla-t4", "asia-east1", "on_demand"): D("0.41"),
        ("nvidia-tesla-t4", "asia-east1", "spot"): D("0.17"),
        ("nvidia-tesla-v100", "asia-east1", "on_demand"): D("2.6"),
        ("nvidia-tesla-p100", "asia-east1", "on_demand"): D("1.5"),
        ("nvidia-tesla-p4", "asia-east1", "on_demand"): D("0.65"),
        ("nvidia-l4", "asia-east1", "on_demand"): D("0.63"),
        ("nvidia-h100-80gb", "us-east4", "on_demand"): D("9"),
        # the Mega SKU, not the DWS 4 or the "Plus" 11
        ("nvidia-h100-mega-80gb", "us-east4", "on_demand"): D("10"),
        ("nvidia-h200-141gb", "us-east4", "on_demand"): D("10.5"),
        ("nvidia-b200", "us-east4", "on_demand"): D("16"),
        # "Spot Preemptible A4 ..." under an OnDemand category is still Spot
        ("nvidia-b200", "us-east4", "spot"): D("5"),
        # a3-megagpu-8g: 208 x 0.03 + 1872 x 0.003 + 8 x 10 (H100 Mega, not H100 at 9)
        # + its 6000 GiB of local SSD x 0.073 a month / 730 h (0.6; the DWS 0.03 skipped)
        ("a3-megagpu-8g", "us-east4", "on_demand"): D("91.856") + D("0.6"),
    }


@pytest.fixture()
def server(monkeypatch: pytest.MonkeyPatch) -> Any:
    with fake_billing(monkeypatch, {COMPUTE_ENGINE: GPUS, VERTEX_AI: VERTEX}) as url:
        yield url


def test_refreshed_vertex_rates_price_a_deployment_resource_pool(
    server: str, tmp_path: Path
) -> None:
    out = tmp_path / "google.json"
    args = ["pricing", "refresh", "gcp", "--regions", "us-central1", "--types", "a3-highgpu-1g"]
    result = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert validate_files([out]) == []
    doc = json.loads(out.read_text())
    vertex = {(p["product"], p["kind"]): p for p in doc["prices"] if p["service"] == "vertex"}
    assert set(vertex) == {
        ("a3-highgpu-1g", "prediction"),
        ("a3-highgpu-1g", "training"),
        ("nvidia-h100-80gb", "prediction"),
        ("nvidia-h100-80gb", "training"),
    }
    assert vertex[("a3-highgpu-1g", "prediction")]["note"].startswith(
        "Vertex AI prediction: 26 vCPU x 0.0293227 + 234 GiB x 0.0025534"
    )
    pool = gcp(
        "google_vertex_ai_deployment_resource_pool",
        {
            "dedicated_resources": [
                {
                    "machine_spec": [
                        {
                            "machine_type": "a3-highgpu-1g",
                            "accelerator_type": "NVIDIA_H100_80GB",
                            "accelerator_count": 1,
                        }
                    ],
                    "min_replica_count": 2,
                }
            ]
        },
    )
    shipped, refreshed = price(load_catalog(), pool), price(load_catalog([out]), pool)
    assert shipped[0].unpriced_reason == "vertex 'a3-highgpu-1g' is not in the pricing catalog"
    (p,) = refreshed
    got = lines(p)
    # 2 replicas x 730 h = 1460 node-hours; one H100 per node
    assert got == {
        "Vertex AI prediction nodes (a3-highgpu-1g x 2)": (D(1460), D("1.3598858")),
        "Vertex AI accelerators (nvidia-h100-80gb x 1 per node)": (D(1460), D("11.2660332")),
    }
    assert all(c.unit == "hour" for c in p.cost_lines)
    # 1460 x 1.3598858 + 1460 x 11.2660332 = 1985.433268 + 16448.408472
    assert p.monthly_cost == D("18433.841740")
    assert any("Vertex AI prediction rates" in n for n in p.notes)


def test_pool_without_accelerator_spec_prices_the_bundled_gpus(server: str, tmp_path: Path) -> None:
    out = tmp_path / "google.json"
    args = ["pricing", "refresh", "gcp", "--regions", "us-central1", "--types", "a3-highgpu-1g"]
    assert CliRunner().invoke(main, [*args, "-o", str(out)]).exit_code == 0
    pool = gcp(
        "google_vertex_ai_deployment_resource_pool",
        {
            "dedicated_resources": [
                {"machine_spec": [{"machine_type": "a3-highgpu-1g"}], "min_replica_count": 1}
            ]
        },
    )
    (p,) = price(load_catalog([out]), pool)
    assert lines(p)["Vertex AI accelerators (nvidia-h100-80gb x 1 per node)"] == (
        D(730),
        D("11.2660332"),
    )
    assert any("names no accelerator" in n for n in p.notes)
