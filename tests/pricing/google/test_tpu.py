"""Cloud TPUs: chips from the accelerator type or topology, per-chip-hour rates at 730 h.

Catalog prices are pinned first to the dated pricing-page transcription (gpuhunt
tpu_pricing.json @ b707e743, 2024-12-23): v6e us-east1 2.70, v5p us-east5 4.20, v4
us-central2 3.22 per chip-hour.
"""

from __future__ import annotations

import pytest

from costgate.facts.google import tpu_slice
from costgate.pricing.build import Dump, Known
from costgate.pricing.build_google_tpu import gcp_tpu_pricing_json
from costgate.pricing.catalog import Catalog
from tests.conftest import REPO
from tests.pricing.helpers import D, gcp, lines, list_price, price


@pytest.mark.parametrize(
    ("attributes", "version", "chips"),
    [
        ({"accelerator_type": "v6e-8"}, "v6e", 8),
        ({"accelerator_type": "v5litepod-16"}, "v5e", 16),
        ({"accelerator_type": "v5p-8"}, "v5p", 4),  # 8 TensorCores, 2 a chip
        ({"accelerator_type": "v4-32"}, "v4", 16),
        ({"accelerator_config": [{"type": "V5P", "topology": "2x2x2"}]}, "v5p", 8),
        ({}, "v2", 4),  # the provider default v2-8
    ],
)
def test_tpu_slice_reads_version_and_chips(attributes: dict, version: str, chips: int) -> None:
    found = tpu_slice(gcp("google_tpu_v2_vm", attributes))
    assert not isinstance(found, str)
    assert found[:2] == (version, chips)


def test_tpus_are_priced_per_chip_hour(catalog: Catalog) -> None:
    assert list_price(catalog, "google", "tpu", "v6e", "on_demand", "us-east1") == D("2.7")
    assert list_price(catalog, "google", "tpu", "v4", "on_demand", "us-central2") == D("3.22")
    v6e, v4, spot = price(
        catalog,
        gcp("google_tpu_v2_vm", {"accelerator_type": "v6e-8"}, region="us-east1-d"),
        gcp("google_tpu_node", {"accelerator_type": "v4-32"}, region="us-central2-b"),
        gcp(
            "google_tpu_v2_vm",
            {"accelerator_type": "v6e-8", "scheduling_config": [{"spot": True}]},
            region="us-east1-d",
        ),
    )
    assert lines(v6e) == {"TPU v6e (8 chips x 730 h)": (D(5840), D("2.7"))}
    assert v6e.monthly_cost == D(15768)  # 8 x 730 x 2.70
    assert v4.monthly_cost == D("37609.6")  # 16 x 730 x 3.22
    assert not spot.cost_lines and "Spot TPU" in (spot.unpriced_reason or "")


def test_reader_takes_on_demand_of_current_versions_only() -> None:
    dump = Dump(
        id="fixture-tpu",
        provider="google",
        reader="gcp-tpu-pricing-json",
        repository="dstackai/gpuhunt",
        commit="b707e743b2c27d7ec9be17e87e689997cbcbbeaf",
        path="src/gpuhunt/resources/tpu_pricing.json",
        data_date="2024-12-23",
        description="fixture",
    )
    path = REPO / "tests" / "data" / "pricing-build" / "gcp-tpu-pricing.json"
    read = gcp_tpu_pricing_json(path, dump, Known(frozenset()))
    got = {(p.product, p.region, p.kind): p.price for p in read.prices}
    assert got == {
        ("v6e", "us-east1", "on_demand"): D("2.7"),
        ("v5e", "us-central1", "on_demand"): D("1.2"),
        ("v4", "us-central2", "on_demand"): D("3.22"),
    }
