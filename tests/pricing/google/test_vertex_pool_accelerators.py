"""A Vertex AI deployment resource pool whose accelerator type or count is only known after
apply: the accelerators are listed as missing with that reason, never silently left out
(the pool's total would otherwise look complete while lacking its GPUs). The rates are TEST
DATA in a catalog file of the test's own (the shipped catalog has no Vertex rates)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from costgate.errors import InputError
from costgate.model import UNKNOWN
from costgate.pricing.catalog import Catalog, load_catalog
from costgate.pricing.engine import price_resources
from tests.conftest import make_resource, usage

D = Decimal


@pytest.fixture()
def vertex_catalog(tmp_path: Path) -> Catalog:
    def price(product: str, usd: str) -> dict[str, str]:
        return {
            "service": "vertex",
            "product": product,
            "region": "us-central1",
            "kind": "prediction",
            "unit": "hour",
            "price": usd,
            "source": "t",
            "as_of": "2026-11-25",
        }

    book = tmp_path / "vertex.json"
    book.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "provider": "google",
                "currency": "USD",
                "as_of": "2026-11-25",
                "sources": {"t": {"url": "file:vertex.json", "description": "TEST DATA"}},
                "products": {},
                "prices": [price("n1-standard-4", "0.2"), price("nvidia-tesla-t4", "0.4")],
            }
        )
    )
    return load_catalog([book])


def _pool(accelerator_type: Any, accelerator_count: Any) -> Any:
    spec = {
        "machine_type": "n1-standard-4",
        "accelerator_type": accelerator_type,
        "accelerator_count": accelerator_count,
    }
    return make_resource(
        "google_vertex_ai_deployment_resource_pool",
        {
            "region": "us-central1",
            "dedicated_resources": [{"machine_spec": [spec], "min_replica_count": 1}],
        },
        address="google_vertex_ai_deployment_resource_pool.x",
        region="us-central1",
    )


def test_known_accelerators_are_priced(vertex_catalog: Catalog) -> None:
    (p,) = price_resources((_pool("NVIDIA_TESLA_T4", 2),), vertex_catalog, usage())
    # 730 h x 0.2 = 146 for the node; 730 x 2 x 0.4 = 584 for its two T4s
    assert p.monthly_cost == D(730)
    assert not p.missing


@pytest.mark.parametrize(
    ("accelerator_type", "accelerator_count", "unknown"),
    [
        ("NVIDIA_TESLA_T4", UNKNOWN, "accelerator_count"),
        (UNKNOWN, 1, "accelerator_type"),
    ],
)
def test_unknown_accelerators_are_missing_not_dropped(
    vertex_catalog: Catalog, accelerator_type: Any, accelerator_count: Any, unknown: str
) -> None:
    (p,) = price_resources((_pool(accelerator_type, accelerator_count),), vertex_catalog, usage())
    assert p.monthly_cost == D(146)  # the node is priced, 730 x 0.2
    (missing,) = p.missing
    assert missing.startswith("Vertex AI accelerators not priced")
    assert f"{unknown} is unknown until apply" in missing


def test_an_accelerator_count_that_is_not_a_number_is_an_input_error(
    vertex_catalog: Catalog,
) -> None:
    with pytest.raises(InputError, match="wrong type or shape"):
        price_resources((_pool("NVIDIA_TESLA_T4", [1]),), vertex_catalog, usage())
