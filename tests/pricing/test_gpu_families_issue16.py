"""GPU families the dated dumps priced but the build left out for lack of product facts
(issue 16), priced once their facts came from the clouds' documentation: GCP G4 (RTX PRO
6000, 1/8 .. 8 GPUs), AWS g6f/gr6f (1/8 .. 1/2 of an L4) and g7, Azure NVads A10 v5 (1/6 .. 2
A10s), NGads V620 (1/4 .. 1 V620), NC RTX PRO 6000 BSE v6, ND GB200 v6 and NDv2.
Hand-computed at 730 h; each price is pinned to the dump value first, and the default GPU
allowlist is shown to see the new models.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from costgate.model import Resource
from costgate.pricing.catalog import Catalog
from tests.conftest import REPO, make_resource
from tests.policy.helpers import run_rule
from tests.pricing.helpers import D, azure, check_azure_vm_on_demand, gcp, lines, list_price, price


def _default_allowlist() -> dict[str, Any]:
    policy = yaml.safe_load(Path(REPO / "policies" / "default.yaml").read_text(encoding="utf-8"))
    options: dict[str, Any] = policy["rules"]["gpu-allowlist"]["options"]
    return options


def test_gcp_g4_fractional_gpu_on_demand_and_spot(catalog: Catalog) -> None:
    # pricing.yml compute.instance.g4-standard-6.cost.us-central1.hour = 0.55955625
    assert list_price(
        catalog, "google", "compute", "g4-standard-6", "on_demand", "us-central1"
    ) == D("0.55955625")
    (p,) = price(catalog, gcp("google_compute_instance", {"machine_type": "g4-standard-6"}))
    assert lines(p)["Instance usage (g4-standard-6, on-demand)"] == (D(730), D("0.55955625"))
    assert p.monthly_cost == D("408.4760625")  # 730 x 0.55955625: G4 gets no sustained-use discount
    facts = catalog.product("google", "compute", "g4-standard-6")
    assert facts["accelerator"] == {
        "kind": "gpu",
        "model": "NVIDIA RTX PRO 6000",
        "count": 1,
        "memory_gib": 12,
        "share": "1/8",
    }
    # a whole GPU: g4-standard-48, Spot 1.79982 in us-central1 (hour_spot)
    assert list_price(catalog, "google", "compute", "g4-standard-48", "spot", "us-central1") == D(
        "1.79982"
    )
    assert catalog.product("google", "compute", "g4-standard-384")["accelerator"]["count"] == 8


def test_aws_g6f_fractional_l4(catalog: Catalog) -> None:
    # vantage onDemand us-east-1 0.202 (Karpenter's us-east-1 table states the same 0.202)
    assert list_price(catalog, "aws", "ec2", "g6f.large", "on_demand", "us-east-1") == D("0.202")
    (p,) = price(catalog, make_resource("aws_instance", {"instance_type": "g6f.large"}))
    assert lines(p)["Instance usage (g6f.large, on-demand)"] == (D(730), D("0.202"))
    assert p.monthly_cost == D("147.46") + D("0.80")  # 730 x 0.202; 8 GB gp2 root x 0.10
    accelerator = catalog.product("aws", "ec2", "gr6f.4xlarge")["accelerator"]
    assert (accelerator["model"], accelerator["share"], accelerator["memory_gib"]) == (
        "NVIDIA L4",
        "1/2",
        12,
    )
    assert list_price(catalog, "aws", "ec2", "gr6f.4xlarge", "on_demand", "eu-central-1") == D(
        "1.33305"
    )


def test_aws_g7_from_karpenters_us_east_1_table(catalog: Catalog) -> None:
    # zz_generated.pricing_aws.go us-east-1 "g7.12xlarge": 7.128320 (2 x RTX PRO 4500)
    assert list_price(catalog, "aws", "ec2", "g7.12xlarge", "on_demand", "us-east-1") == D(
        "7.12832"
    )
    (p,) = price(catalog, make_resource("aws_instance", {"instance_type": "g7.12xlarge"}))
    assert lines(p)["Instance usage (g7.12xlarge, on-demand)"] == (D(730), D("7.12832"))
    assert p.monthly_cost == D("5203.6736") + D("0.80")  # 730 x 7.12832; 8 GB gp2 root
    assert catalog.product("aws", "ec2", "g7.12xlarge")["accelerator"]["count"] == 2
    assert not catalog.product("aws", "ec2", "g7.48xlarge")  # not in the WorkSpaces table
    assert catalog.regions("aws", "ec2", "g7.48xlarge") == ()  # so Karpenter's 28.51328 unread


def test_aws_trn2_from_the_april_2025_pricing_page_map(catalog: Catalog) -> None:
    # ec2.shop data/ec2/us-east-2-ondemand.json (AWS pricing-page map, 2025-04-04):
    # trn2.48xlarge Linux shared 85.9640000000; facts from the AWS Neuron Trn2 page
    assert list_price(catalog, "aws", "ec2", "trn2.48xlarge", "on_demand", "us-east-2") == D(
        "85.964"
    )
    (p,) = price(
        catalog,
        make_resource("aws_instance", {"instance_type": "trn2.48xlarge"}, region="us-east-2"),
    )
    assert lines(p)["Instance usage (trn2.48xlarge, on-demand)"] == (D(730), D("85.964"))
    assert p.monthly_cost == D("62753.72") + D("0.80")  # 730 x 85.964; 8 GB gp2 root x 0.10
    accelerator = catalog.product("aws", "ec2", "trn2.48xlarge")["accelerator"]
    assert (accelerator["count"], accelerator["memory_gib"]) == (16, 1536)


@pytest.mark.parametrize(
    ("size", "region", "hourly", "monthly"),
    [
        # Karpenter table initialOnDemandPrices["eastus"]: 0.454 x 730
        ("Standard_NV6ads_A10_v5", "eastus", "0.454", "331.42"),
        # radar northeurope NV18ads A10 v5 meter: 1.92 x 730
        ("Standard_NV18ads_A10_v5", "northeurope", "1.92", "1401.60"),
        # Karpenter table initialOnDemandPrices["centralus"]: 0.78 x 730
        ("Standard_NG8ads_V620_v1", "centralus", "0.78", "569.40"),
        # Karpenter table eastus: 1 RTX PRO 6000 (Learn preview page), 6.38 x 730
        ("Standard_NC128ds_xl_RTXPRO6000BSE_v6", "eastus", "6.38", "4657.40"),
        # Karpenter table australiaeast: 4 GB200 GPUs, 156.84 x 730
        ("Standard_ND128isr_NDR_GB200_v6", "australiaeast", "156.84", "114493.20"),
    ],
)
def test_azure_partial_gpu_sizes(
    catalog: Catalog, size: str, region: str, hourly: str, monthly: str
) -> None:
    check_azure_vm_on_demand(catalog, size, region, hourly, monthly)


def _dev(resource: Resource) -> Resource:
    return make_resource(
        resource.type,
        dict(resource.attributes),
        tags={"environment": "development"},
        region=resource.region,
    )


def test_default_gpu_allowlist_sees_the_new_models(catalog: Catalog) -> None:
    options = _default_allowlist()
    g4 = _dev(gcp("google_compute_instance", {"machine_type": "g4-standard-6"}))
    [finding] = run_rule("gpu-allowlist", [g4], catalog, options=options)
    assert finding.message.startswith(
        "g4-standard-6 runs a 1/8 share of one NVIDIA RTX PRO 6000, not allowed for "
        "environment=development"
    )
    a10 = _dev(azure("azurerm_linux_virtual_machine", {"size": "Standard_NV6ads_A10_v5"}))
    [finding] = run_rule("gpu-allowlist", [a10], catalog, options=options)
    assert "NVIDIA A10, not allowed" in finding.message  # "*A10G*" does not match "NVIDIA A10"
    # a part of an L4 is an L4: the default "*L4*" allows it
    g6f = _dev(make_resource("aws_instance", {"instance_type": "g6f.large"}))
    assert run_rule("gpu-allowlist", [g6f], catalog, options=options) == []
