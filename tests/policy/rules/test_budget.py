"""budget: totals per scope, the seed's 80 % warning, per-tag limits."""

from __future__ import annotations

from decimal import Decimal

from costgate.model import Severity
from costgate.pricing.catalog import Catalog
from tests.conftest import make_resource
from tests.policy.helpers import Case, run_rule

RULE = "budget"
G5 = Decimal("1.006") * 730 + 8 * Decimal("0.10")
"""g5.xlarge on-demand, us-east-1, plus the AMI's root volume assumed 8 GB gp2: 735.18."""


def boxes(*teams: str) -> list[object]:
    return [
        make_resource(
            "aws_instance",
            {"instance_type": "g5.xlarge"},
            tags={"team": t},
            address=f"aws_instance.b{i}",
        )
        for i, t in enumerate(teams)
    ]


def test_aws_over_budget_fails(catalog: Catalog) -> None:
    [finding] = run_rule(RULE, boxes("a", "a"), catalog, options={"monthly_limit": 1000})
    assert finding.severity is Severity.ERROR and finding.resource is None
    assert finding.monthly_cost == 2 * G5
    assert finding.message == (
        "monthly cost for this input is $1,470.36, over its $1,000.00 budget by $470.36"
    )


def test_aws_seed_warning_at_80_percent(catalog: Catalog) -> None:
    [finding] = run_rule(RULE, boxes("a"), catalog, options={"monthly_limit": 900})
    assert finding.severity is Severity.WARNING
    assert finding.message == (
        "monthly cost for this input is $735.18, 82% of its $900.00 budget (warns at 80%)"
    )
    assert (
        run_rule(RULE, boxes("a"), catalog, options={"monthly_limit": 900, "warn_fraction": 0.9})
        == []
    )


def test_aws_per_team_budgets(catalog: Catalog) -> None:
    options = {"monthly_limit": 1000, "per_tag": "team", "limits": {"big": 2000}}
    found = run_rule(RULE, boxes("a", "a", "big", "big", "b"), catalog, options=options)
    assert [f.message.split(", over")[0] for f in found] == [
        "monthly cost for team=a is $1,470.36",
    ]
    assert run_rule(RULE, boxes("a", "big", "big", "b"), catalog, options=options) == []


def test_unpriced_resources_are_named(catalog: Catalog) -> None:
    vm = make_resource(
        "google_compute_instance", {"machine_type": "x9-imaginary-1"}, region="us-central1"
    )
    [finding] = run_rule(RULE, [*boxes("a", "a"), vm], catalog, options={"monthly_limit": 1000})
    assert finding.message.endswith("; 1 unpriced resource(s) not included")


A2 = Decimal("3.673385") * 730  # a2-highgpu-1g on-demand, us-central1: 2,681.57
NC24 = Decimal("3.673") * 730  # Standard_NC24ads_A100_v4 on-demand, eastus: 2,681.29


def gpu_vm(cloud: str, team: str) -> object:
    if cloud == "google":
        return make_resource(
            "google_compute_instance",
            {"machine_type": "a2-highgpu-1g", "labels": {"team": team}},
            region="us-central1",
        )
    return make_resource(
        "azurerm_linux_virtual_machine",
        {"size": "Standard_NC24ads_A100_v4"},
        tags={"team": team},
        region="eastus",
    )


def test_google_and_azure_scopes_use_labels_and_tags(catalog: Catalog) -> None:
    options = {"monthly_limit": 6000, "per_tag": "team"}
    found = run_rule(
        RULE,
        [gpu_vm("google", "a"), gpu_vm("azurerm", "a"), gpu_vm("google", "b")],
        catalog,
        options=options,
    )
    assert [(f.message, f.monthly_cost) for f in found] == [
        (
            "monthly cost for team=a is $5,362.86, 89% of its $6,000.00 budget (warns at 80%)",
            A2 + NC24,
        )
    ]


CASES = {
    "aws": Case(boxes("a"), boxes("a", "a"), {"monthly_limit": 1000}),
    "google": Case([gpu_vm("google", "a")], [gpu_vm("google", "a")] * 2, {"monthly_limit": 4000}),
    "azurerm": Case(
        [gpu_vm("azurerm", "a")], [gpu_vm("azurerm", "a")] * 2, {"monthly_limit": 4000}
    ),
}
