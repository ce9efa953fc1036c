"""cost-regression: dollar and percent limits on the diff `costgate diff` computes."""

from __future__ import annotations

from decimal import Decimal

from costgate.diff import diff_stacks
from costgate.model import CostDiff
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import make_resource, usage
from tests.policy.helpers import Case, run_rule

RULE = "cost-regression"
G5 = Decimal("1.006") * 730 + 8 * Decimal("0.10")  # 735.18 incl. the 8 GB gp2 root


def stack(
    provider_type: str, attrs: dict[str, object], n: int, region: str = "us-east-1"
) -> list[object]:
    return [
        make_resource(provider_type, attrs, address=f"{provider_type}.w{i}", region=region)
        for i in range(n)
    ]


def diff(catalog: Catalog, base: list[object], head: list[object]) -> CostDiff:
    return diff_stacks(
        price_resources(tuple(base), catalog, usage()),  # type: ignore[arg-type]
        price_resources(tuple(head), catalog, usage()),
    )  # type: ignore[arg-type]


def test_aws_doubling_fails_the_percent_limit(catalog: Catalog) -> None:
    g5 = {"instance_type": "g5.xlarge"}
    base, head = stack("aws_instance", g5, 1), stack("aws_instance", g5, 2)
    [finding] = run_rule(
        RULE, head, catalog, options={"max_increase_percent": 10}, diff=diff(catalog, base, head)
    )
    assert finding.monthly_cost == G5
    assert finding.message == (
        "monthly cost rises by +$735.18 (+100.0%), from $735.18 to $1,470.36; the limit is +10%"
    )
    assert "aws_instance.w1 +$735.18" in finding.remediation


def test_aws_within_limits_and_decreases_pass(catalog: Catalog) -> None:
    g5 = {"instance_type": "g5.xlarge"}
    base, head = stack("aws_instance", g5, 10), stack("aws_instance", g5, 11)
    options = {"max_increase_percent": 10, "max_increase": 1000}
    assert run_rule(RULE, head, catalog, options=options, diff=diff(catalog, base, head)) == []
    assert run_rule(RULE, base, catalog, options=options, diff=diff(catalog, head, base)) == []
    assert run_rule(RULE, head, catalog, options=options) == []  # costgate check: no diff


def test_aws_dollar_limit_applies_to_a_new_stack(catalog: Catalog) -> None:
    head = stack("aws_instance", {"instance_type": "g5.xlarge"}, 2)
    options = {"max_increase_percent": 10, "max_increase": 1000}
    [finding] = run_rule(RULE, head, catalog, options=options, diff=diff(catalog, [], head))
    assert finding.message == (
        "monthly cost rises by +$1,470.36, from $0.00 to $1,470.36; the limit is +$1,000.00"
    )


GPU_VMS = {
    "google": ("google_compute_instance", {"machine_type": "a2-highgpu-1g"}, "us-central1"),
    "azurerm": ("azurerm_linux_virtual_machine", {"size": "Standard_NC24ads_A100_v4"}, "eastus"),
}


def test_google_and_azure_additions(catalog: Catalog) -> None:
    (gtype, gattrs, gregion), (atype, aattrs, aregion) = GPU_VMS["google"], GPU_VMS["azurerm"]
    base = [*stack(gtype, gattrs, 1, gregion), *stack(atype, aattrs, 1, aregion)]
    head = [*stack(gtype, gattrs, 2, gregion), *stack(atype, aattrs, 1, aregion)]
    [finding] = run_rule(
        RULE, head, catalog, options={"max_increase": 2000}, diff=diff(catalog, base, head)
    )
    # one more a2-highgpu-1g: 3.673385 x 730 = 2,681.57 on a base of 2,681.57 + 2,681.29
    # (Standard_NC24ads_A100_v4 eastus 3.673 x 730) = 5,362.86
    assert finding.monthly_cost == Decimal("3.673385") * 730
    assert finding.message == (
        "monthly cost rises by +$2,681.57 (+50.0%), from $5,362.86 to "
        "$8,044.43; the limit is +$2,000.00"
    )


CASES = {
    "aws": Case(
        stack("aws_instance", {"instance_type": "g5.xlarge"}, 1),
        stack("aws_instance", {"instance_type": "g5.xlarge"}, 2),
        {"max_increase_percent": 10},
        base=stack("aws_instance", {"instance_type": "g5.xlarge"}, 1),
    ),
    **{
        cloud: Case(
            stack(t, a, 1, r),
            stack(t, a, 2, r),
            {"max_increase_percent": 10},
            base=stack(t, a, 1, r),
        )
        for cloud, (t, a, r) in GPU_VMS.items()
    },
}
