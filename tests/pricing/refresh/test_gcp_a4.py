"""`pricing refresh gcp` prices A4 from its GPU slices alone; A3 Ultra and A3 Edge stay
unpriced (issue 16).

The recorded page is `tests/data/gcp-billing/synthetic-gpu-skus.json`, served on
127.0.0.1: its B200 SKUs carry the descriptions public Billing Catalog readers quote
("A4 Nvidia B200 (1 gpu slice) running in ...", "Spot Preemptible A4 Nvidia B200 (1 gpu
slice) running in ...", the latter under an OnDemand category) with made-up round TEST
rates (16 and 5 an hour in us-east4), and a DWS Calendar Mode (7) and a 1-year commitment
(9) slice in the shapes public readers quote, which must be skipped; the same page has A3
core/RAM, H100, H200 and Local SSD SKUs in us-east4, which must not be used to guess an A3
Ultra or A3 Edge price. Facts
(vCPU, memory, GPUs, Local SSD) are Google's GPU machine types tables, in the shipped
catalog.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from costgate.cli import main
from costgate.model import Resource
from costgate.pricing.catalog import Catalog, load_catalog
from costgate.pricing.refresh import Request, default_request
from costgate.pricing.refresh.gcp import machine_prices, parse_pages
from costgate.pricing.refresh.gcp_vertex import vertex_prices
from costgate.pricing.validate import validate_files
from tests.conftest import REPO, make_resource
from tests.helpers.fake_gcp import COMPUTE_ENGINE, NO_SKUS, VERTEX_AI, fake_billing
from tests.policy.helpers import run_rule
from tests.pricing.helpers import D, gcp, lines, price

DATA = REPO / "tests" / "data" / "gcp-billing"
GPUS = json.loads((DATA / "synthetic-gpu-skus.json").read_text())
VERTEX = json.loads((DATA / "vertex-prediction-skus.json").read_text())
NEW = ("a4-highgpu-8g", "a3-ultragpu-8g", "a3-edgegpu-8g")


def test_facts_from_googles_gpu_machine_types_tables() -> None:
    catalog = load_catalog()
    # GPU machine types: vCPU, instance memory (GB), attached Local SSD (GiB), GPUs, GPU GB
    expected = {
        "a4-highgpu-8g": (224, 3968, 12000, "NVIDIA B200", 8, 1440),
        "a3-ultragpu-8g": (224, 2952, 12000, "NVIDIA H200", 8, 1128),
        "a3-edgegpu-8g": (208, 1872, 6000, "NVIDIA H100", 8, 640),
    }
    for machine, (vcpu, memory, ssd, model, count, gpu_gib) in expected.items():
        facts = catalog.product("google", "compute", machine)
        assert (facts["vcpu"], facts["memory_gib"], facts["bundled_local_ssd_gib"]) == (
            vcpu,
            memory,
            ssd,
        )
        assert facts["accelerator"] == {
            "kind": "gpu",
            "model": model,
            "count": count,
            "memory_gib": gpu_gib,
        }
        assert facts["source"] == "gce-a4-a3-ultra-edge-doc"
        assert not catalog.regions("google", "compute", machine)  # no dump prices them


def test_a4_is_gpu_count_times_the_slice_and_a3_ultra_edge_are_not_guessed() -> None:
    prices = machine_prices(parse_pages([GPUS]), load_catalog(), Request(("us-east4",), NEW))
    got = {(f.product, f.kind): f for f in prices}
    assert set(got) == {("a4-highgpu-8g", "on_demand"), ("a4-highgpu-8g", "spot")}
    # 8 B200 slices x 16 (TEST rate; not the DWS 7 or the commitment 9); no core, RAM or
    # Local SSD SKU is added
    assert got[("a4-highgpu-8g", "on_demand")].price == D(128)
    # 8 x 5: "Spot Preemptible A4 ..." under an OnDemand category is the Spot rate
    assert got[("a4-highgpu-8g", "spot")].price == D(40)
    assert got[("a4-highgpu-8g", "on_demand")].note.startswith(
        "8 x nvidia-b200 slice 16 (the slice includes vCPUs, memory and Local SSD"
    )


def test_a4_without_a_slice_sku_in_the_region_stays_unpriced() -> None:
    prices = machine_prices(parse_pages([GPUS]), load_catalog(), Request(("asia-east1",), NEW))
    assert prices == []


def test_vertex_does_not_price_a3_ultra_at_the_a3_rates() -> None:
    # the Vertex page has A3 core and RAM in us-central1; A3 Ultra's are not known
    prices = vertex_prices([VERTEX], load_catalog(), Request(("us-central1",), NEW))
    assert not any(f.product in NEW for f in prices)


@pytest.fixture()
def server(monkeypatch: pytest.MonkeyPatch) -> Any:
    with fake_billing(monkeypatch, {COMPUTE_ENGINE: GPUS, VERTEX_AI: NO_SKUS}) as url:
        yield url


def _a4(spot: bool = False) -> Resource:
    attributes: dict[str, Any] = {"machine_type": "a4-highgpu-8g", "zone": "us-east4-b"}
    if spot:
        attributes["scheduling"] = [{"provisioning_model": "SPOT"}]
    return gcp("google_compute_instance", attributes, region="us-east4")


def test_refreshed_file_prices_an_a4_instance(server: str, tmp_path: Path) -> None:
    out = tmp_path / "google.json"
    args = ["pricing", "refresh", "gcp", "--regions", "us-east4", "--types", ",".join(NEW)]
    result = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert validate_files([out]) == []
    doc = json.loads(out.read_text())
    compute = {(p["product"], p["kind"]): p["price"] for p in doc["prices"]}
    assert compute == {("a4-highgpu-8g", "on_demand"): "128", ("a4-highgpu-8g", "spot"): "40"}
    assert doc["products"]["compute:a4-highgpu-8g"]["accelerator"]["model"] == "NVIDIA B200"

    (shipped,) = price(load_catalog(), _a4())
    assert not shipped.priced and shipped.cost_lines == ()  # reported, never a silent $0
    assert shipped.unpriced_reason == "compute 'a4-highgpu-8g' is not in the pricing catalog"

    refreshed = load_catalog([out])
    (p,) = price(refreshed, _a4())
    assert lines(p) == {"Instance usage (a4-highgpu-8g, on-demand)": (D(730), D(128))}
    assert p.cost_lines[0].unit == "hour"
    assert p.monthly_cost == D(93440)  # 730 h x 128: A4 gets no sustained-use discount
    assert any("12000 GiB of Local SSD a4-highgpu-8g comes with" in n for n in p.notes)
    (spot,) = price(refreshed, _a4(spot=True))
    assert lines(spot) == {
        "Instance usage (a4-highgpu-8g, spot)": (D(730), D(40)),
        # costgate's default Spot interruption overhead, stated on its own line
        "Spot interruption overhead (a4-highgpu-8g, 5% of spot hours)": (D("36.5"), D(40)),
    }
    assert spot.monthly_cost == D(30660)  # 730 x 40 + 36.5 x 40 = 29200 + 1460


def test_default_gpu_allowlist_sees_b200_h200_and_h100(catalog: Catalog) -> None:
    import yaml

    policy = yaml.safe_load((REPO / "policies" / "default.yaml").read_text(encoding="utf-8"))
    options = policy["rules"]["gpu-allowlist"]["options"]
    for machine, model in (
        ("a4-highgpu-8g", "NVIDIA B200"),
        ("a3-ultragpu-8g", "NVIDIA H200"),
        ("a3-edgegpu-8g", "NVIDIA H100"),
    ):
        dev = make_resource(
            "google_compute_instance",
            {"machine_type": machine},
            tags={"environment": "development"},
            region="us-central1",
        )
        [finding] = run_rule("gpu-allowlist", [dev], catalog, options=options)
        assert f"{model}, not allowed for environment=development" in finding.message


def test_a_refresh_without_types_asks_for_a4_which_the_catalog_describes_but_cannot_price() -> None:
    catalog = load_catalog(user_files=False)
    assert not catalog.priced("google", "compute").get("a4-highgpu-8g")
    request = default_request(catalog, "google", [], [])
    assert "a4-highgpu-8g" in request.types
    # retired sizes stay out of a default request (a retired size keeps no price)
    azure = default_request(catalog, "azurerm", [], [])
    assert "Standard_NC6s_v3" not in azure.types
