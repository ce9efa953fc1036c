"""`pricing refresh gcp` reads machine core SKUs per hour (`h`) and RAM SKUs per GiB-hour
(`GiBy.h`), like the disk, bucket and custom machine readers check theirs: a SKU in another
unit is skipped rather than converted on a guess, a malformed one exits 2.

The SKUs are the N2 core and RAM SKUs of `synthetic-custom-skus.json` (made-up ids, round
test rates: core $0.031/h, RAM $0.0042/GiB-h), served by the loopback fake API; copies in
the wrong unit carry an absurd rate ($9) that would show if they were read. n2-standard-2
is 2 vCPU and 8 GiB (the catalog's product facts)."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from costgate.cli import main
from costgate.pricing.refresh.gcp import parse_sku
from tests.conftest import REPO
from tests.helpers.fake_gcp import CLOUD_STORAGE, COMPUTE_ENGINE, NO_SKUS, VERTEX_AI, fake_billing

SKUS = json.loads(
    (REPO / "tests" / "data" / "gcp-billing" / "synthetic-custom-skus.json").read_text()
)["skus"]
CORE, RAM = (
    next(s for s in SKUS if s["description"] == f"N2 Instance {what} running in Americas")
    for what in ("Core", "Ram")
)


def in_unit(sku: dict[str, Any], unit: str, nanos: int = 0, units: Any = "9") -> dict[str, Any]:
    """*sku* billed in *unit* at units + nanos USD."""
    changed = copy.deepcopy(sku)
    changed["skuId"] += f"-{unit}"
    expression = changed["pricingInfo"][0]["pricingExpression"]
    expression["usageUnit"] = unit
    expression["tieredRates"][-1]["unitPrice"].update(units=units, nanos=nanos)
    return changed


def refresh(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *skus: dict[str, Any]
) -> tuple[int, str, dict[str, Any] | None]:
    pages = {COMPUTE_ENGINE: {"skus": list(skus)}, VERTEX_AI: NO_SKUS, CLOUD_STORAGE: NO_SKUS}
    out = tmp_path / "google.json"
    args = ["pricing", "refresh", "gcp", "--regions", "us-central1", "--types", "n2-standard-2"]
    with fake_billing(monkeypatch, pages):
        result = CliRunner().invoke(main, [*args, "-o", str(out)])
    doc = json.loads(out.read_text()) if out.exists() else None
    return result.exit_code, result.output, doc


def machine_prices(doc: dict[str, Any] | None) -> dict[str, Decimal]:
    assert doc is not None
    return {
        p["kind"]: Decimal(p["price"])
        for p in doc["prices"]
        if (p["service"], p["product"], p["region"]) == ("compute", "n2-standard-2", "us-central1")
    }


def test_the_shared_skus_are_in_their_units() -> None:
    assert CORE["pricingInfo"][0]["pricingExpression"]["usageUnit"] == "h"
    assert RAM["pricingInfo"][0]["pricingExpression"]["usageUnit"] == "GiBy.h"


def test_core_and_ram_skus_in_another_unit_are_skipped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # the wrong-unit copies come last, so they would replace the right ones if read
    code, output, doc = refresh(
        monkeypatch, tmp_path, CORE, RAM, in_unit(CORE, "GiBy.h"), in_unit(RAM, "h")
    )
    assert code == 0, output
    # 2 vCPU x 0.031 + 8 GiB x 0.0042 = 0.062 + 0.0336 = 0.0956 (the wrong ones: $90)
    assert machine_prices(doc) == {"on_demand": Decimal("0.0956")}


def test_a_machine_whose_ram_sku_is_in_another_unit_stays_unpriced(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # no RAM rate per GiB-hour: not converted on a guess, so nothing to write
    code, output, doc = refresh(monkeypatch, tmp_path, CORE, in_unit(RAM, "h"))
    assert code == 2 and "found no google prices" in output and doc is None


def test_a_malformed_core_sku_exits_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    code, output, doc = refresh(monkeypatch, tmp_path, in_unit(CORE, "h", units="x"), RAM)
    assert code == 2, output
    assert "Cloud Billing Catalog API answer" in output and "not whole numbers" in output
    assert doc is None


def test_gpu_and_local_ssd_skus_are_read_in_their_units_only() -> None:
    gpu = {**CORE, "description": "Nvidia Tesla T4 GPU running in Americas"}
    ssd = {**CORE, "description": "SSD backed Local Storage in Iowa"}
    assert parse_sku(gpu) is not None and parse_sku(in_unit(gpu, "GiBy.h")) is None
    assert parse_sku(ssd) is None and parse_sku(in_unit(ssd, "GiBy.mo")) is not None
