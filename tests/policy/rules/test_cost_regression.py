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
G5 = Decimal("1.006") * 730  # 734.38


def stack(provider_type: str, attrs: dict[str, object], n: int) -> list[object]:
    return [make_resource(provider_type, attrs, address=f"{provider_type}.w{i}") for i in range(n)]


def diff(catalog: Catalog, base: list[object], head: list[object]) -> CostDiff:
    return diff_stacks(price_resources(tuple(base), catalog, usage()),  # type: ignore[arg-type]
                       price_resources(tuple(head), catalog, usage()))  # type: ignore[arg-type]


def test_aws_doubling_fails_the_percent_limit(catalog: Catalog) -> None:
    g5 = {"instance_type": "g5.xlarge"}
    base, head = stack("aws_instance", g5, 1), stack("aws_instance", g5, 2)
    [finding] = run_rule(RULE, head, catalog, options={"max_increase_percent": 10},
                         diff=diff(catalog, base, head))
    assert finding.monthly_cost == G5
    assert finding.message == ("monthly cost rises by +$734.38 (+100.0%), from $734.38 to "
                               "$1,468.76; the limit is +10%")
    assert "aws_instance.w1 +$734.38" in finding.remediation


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
    assert finding.message == ("monthly cost rises by +$1,468.76, from $0.00 to $1,468.76; "
                               "the limit is +$1,000.00")


def test_google_and_azure_unpriced_changes_do_not_count_yet(catalog: Catalog) -> None:
    # GCP/Azure prices arrive with issue 5; an unpriced change moves no money.
    head = [*stack("google_compute_instance", {"machine_type": "a2-highgpu-1g"}, 3),
            *stack("azurerm_linux_virtual_machine", {"size": "Standard_NC6s_v3"}, 3)]
    assert run_rule(RULE, head, catalog, options={"max_increase": 0},
                    diff=diff(catalog, [], head)) == []


CASES = {"aws": Case(stack("aws_instance", {"instance_type": "g5.xlarge"}, 1),
                     stack("aws_instance", {"instance_type": "g5.xlarge"}, 2),
                     {"max_increase_percent": 10},
                     base=stack("aws_instance", {"instance_type": "g5.xlarge"}, 1))}
