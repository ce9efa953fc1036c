"""Cloud NAT gateways, reserved addresses and GKE fleet (hub) types. Prices come from the
catalog and are checked against hand-computed figures (730 hours a month)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from costgate.model import PricedResource
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import make_resource, usage


def _price(
    catalog: Catalog, type_: str, attributes: dict[str, Any], use: dict[str, Any] | None = None
) -> PricedResource:
    resource = make_resource(type_, attributes, region="us-central1")
    (priced,) = price_resources((resource,), catalog, usage({resource.address: use} if use else {}))
    return priced


def test_nat_gateway_per_vm_hour_and_gib_processed(catalog: Catalog) -> None:
    priced = _price(
        catalog,
        "google_compute_router_nat",
        {"nat_ip_allocate_option": "AUTO_ONLY"},
        {"assigned_vms": 10, "monthly_data_processed_gb": 200},
    )
    # 10 VMs x 730 h x $0.0014 = $10.22; 200 GiB x $0.045 = $9.00
    lines = {line.name: line.monthly_cost for line in priced.cost_lines}
    assert lines == {"NAT gateway (10 VMs)": Decimal("10.22"), "Data processed": Decimal("9.00")}
    assert any("auto-allocated" in note for note in priced.notes)


def test_nat_gateway_above_32_vms_is_capped(catalog: Catalog) -> None:
    priced = _price(
        catalog,
        "google_compute_router_nat",
        {},
        {"assigned_vms": 40, "monthly_data_processed_gb": 0},
    )
    # 730 h x $0.044 = $32.12 (40 x $0.0014 would be $0.056 an hour)
    assert priced.monthly_cost == Decimal("32.12")


def test_nat_without_usage_is_usage_unknown(catalog: Catalog) -> None:
    priced = _price(catalog, "google_compute_router_nat", {})
    assert priced.unpriced_reason == "usage unknown: set `assigned_vms` in the usage file"
    assert len(priced.missing) == 0 and priced.monthly_cost == 0


def test_internal_address_is_free_external_is_not(catalog: Catalog) -> None:
    internal = _price(catalog, "google_compute_address", {"address_type": "INTERNAL"})
    external = _price(catalog, "google_compute_address", {})
    assert internal.free
    # pricing.yml (2026-07-30) compute.network.ip.vm: 0.005 per hour in us-central1,
    # 730 x 0.005 = 3.65 a month (Google's "static and ephemeral IP addresses in use")
    assert external.unpriced_reason is None
    (line,) = external.cost_lines
    assert line.unit_price == Decimal("0.005") and line.monthly_cost == Decimal("3.65")


def test_fleet_membership_and_features(catalog: Catalog) -> None:
    gke = _price(
        catalog,
        "google_gke_hub_membership",
        {"endpoint": [{"gke_cluster": [{"resource_link": "//container.googleapis.com/x"}]}]},
    )
    attached = _price(catalog, "google_gke_hub_membership", {"membership_id": "onprem"})
    config = _price(catalog, "google_gke_hub_feature", {"name": "configmanagement"})
    mesh = _price(catalog, "google_gke_hub_feature", {"name": "servicemesh"})
    assert gke.free and config.free
    assert "no extra cost" in gke.notes[0]
    assert attached.unpriced_reason and "outside GKE" in attached.unpriced_reason
    assert mesh.unpriced_reason == "fleet feature 'servicemesh' may bill on its own: not priced"
