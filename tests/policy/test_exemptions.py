"""Exemptions: policy file (reason, expiry) and inline (tag, GCP label, comment directive)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from costgate.model import Severity, SourceLocation
from costgate.policy.engine import evaluate
from costgate.policy.loader import Policy, PolicyExemption, RuleConfig
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import make_resource, usage
from tests.policy.helpers import run_rule

TODAY = dt.date(2026, 11, 20)
SPOT = "spot-for-training"


def trainer(tags: dict[str, str] | None = None, **kw: object) -> object:
    return make_resource(
        "aws_instance",
        {"instance_type": "g5.xlarge"},
        address="aws_instance.trainer",
        tags={"phase": "training", **(tags or {})},
        **kw,
    )  # type: ignore[arg-type]


def evaluate_with(
    catalog: Catalog,
    resources: list[object],
    exemptions: tuple[PolicyExemption, ...] = (),
    **policy_options: bool,
) -> list[object]:
    priced = price_resources(tuple(resources), catalog, usage())  # type: ignore[arg-type]
    policy = Policy(
        rules=(RuleConfig(SPOT, Severity.ERROR, {}, {}),), exemptions=exemptions, **policy_options
    )
    return list(evaluate(priced, policy, catalog=catalog, usage=usage(), today=TODAY))


def exemption(reason: str, expires: dt.date | None = None) -> PolicyExemption:
    return PolicyExemption(("aws_instance.*",), (SPOT,), reason, expires, "policy.yml")


def test_policy_exemption_exempts_and_is_still_reported(catalog: Catalog) -> None:
    [finding] = evaluate_with(
        catalog, [trainer()], (exemption("benchmark needs stable capacity", TODAY),)
    )
    assert finding.exempted and finding.exemption is not None
    assert finding.exemption.reason == "benchmark needs stable capacity"
    assert finding.exemption.expires == "2026-11-20"


def test_expired_policy_exemption_stops_exempting_and_says_so(catalog: Catalog) -> None:
    [finding] = evaluate_with(
        catalog, [trainer()], (exemption("benchmark", dt.date(2026, 11, 19)),)
    )
    assert not finding.exempted
    assert finding.message.endswith("(exemption expired 2026-11-19)")


def test_reasonless_policy_exemption_is_a_finding(catalog: Catalog) -> None:
    found = evaluate_with(catalog, [trainer()], (exemption("  "),))
    assert [(f.id, f.exempted) for f in found] == [("CG101", False), ("CG900", False)]
    assert found[1].message == (
        "exemption for aws_instance.* (spot-for-training) in policy.yml has no reason"
    )


def test_aws_tag_exemption(catalog: Catalog) -> None:
    [finding] = evaluate_with(
        catalog, [trainer({"costgate:skip": "spot-for-training: 2-hour smoke test"})]
    )
    assert finding.exempted and finding.exemption is not None
    assert finding.exemption.reason == "2-hour smoke test"
    assert finding.exemption.source == "tag costgate:skip"


def test_tag_exemption_by_id_for_several_rules(catalog: Catalog) -> None:
    [finding] = evaluate_with(
        catalog, [trainer({"costgate:skip": "required-tags, CG101: benchmark"})]
    )
    assert finding.exempted


def test_tag_exemption_for_another_rule_does_not_exempt(catalog: Catalog) -> None:
    [finding] = evaluate_with(catalog, [trainer({"costgate:skip": "budget: big month"})])
    assert not finding.exempted


def test_google_label_exemption(catalog: Catalog) -> None:
    vm = make_resource(
        "google_compute_instance",
        {
            "machine_type": "a2-highgpu-1g",
            "labels": {"phase": "training", "costgate-skip-spot-for-training": "tpu_quota_test"},
        },
        region="us-central1",
    )
    [finding] = evaluate_with(catalog, [vm])
    assert finding.exempted and finding.exemption is not None
    assert finding.exemption.reason == "tpu quota test"
    assert finding.exemption.source == "label costgate-skip-spot-for-training"


def test_comment_directive_exemption(catalog: Catalog) -> None:
    located = replace(
        trainer(),
        directives=("skip=spot-for-training short smoke test",),
        source=SourceLocation("main.tf", 12),
    )
    [finding] = evaluate_with(catalog, [located])
    assert finding.exempted and finding.exemption is not None
    assert finding.exemption.reason == "short smoke test"
    assert finding.exemption.source == (
        "comment costgate:skip=spot-for-training short smoke test at main.tf:12"
    )


def test_inline_exemption_without_reason_is_a_finding(catalog: Catalog) -> None:
    located = replace(
        trainer({"costgate:skip": "spot-for-training"}), source=SourceLocation("main.tf", 3)
    )
    found = evaluate_with(catalog, [located])
    assert [(f.id, f.exempted) for f in found] == [("CG101", False), ("CG900", False)]
    assert found[1].resource == "aws_instance.trainer"
    assert str(found[1].location) == "main.tf:3"
    assert found[1].message == (
        "inline exemption (tag costgate:skip) for spot-for-training has no reason"
    )


def test_inline_exemption_naming_an_unknown_rule_is_a_finding(catalog: Catalog) -> None:
    found = evaluate_with(catalog, [trainer({"costgate:skip": "spot-for-trainin: typo"})])
    assert found[1].message.startswith(
        "inline exemption (tag costgate:skip) names unknown rule spot-for-trainin; known rules:"
    )


def test_inline_wildcard_is_not_honoured_and_is_a_finding(catalog: Catalog) -> None:
    # issue 17: `costgate:skip=*` let a resource exempt itself from every rule
    located = replace(trainer(), directives=("skip=* trust me",), source=SourceLocation("a.tf", 4))
    found = evaluate_with(catalog, [located])
    assert [(f.id, f.exempted) for f in found] == [("CG101", False), ("CG900", False)]
    assert "names every rule (*), which the policy does not allow" in found[1].message


def test_inline_wildcard_counts_where_the_policy_allows_it(catalog: Catalog) -> None:
    located = replace(trainer(), directives=("skip=* sandbox account",))
    [finding] = evaluate_with(catalog, [located], inline_wildcard=True)
    assert finding.exempted


def test_policy_can_turn_inline_exemptions_off(catalog: Catalog) -> None:
    tagged = trainer({"costgate:skip": "spot-for-training: 2-hour smoke test"})
    found = evaluate_with(catalog, [tagged], inline_exemptions=False)
    assert [(f.id, f.exempted, f.severity) for f in found] == [
        ("CG101", False, Severity.ERROR),
        ("CG900", False, Severity.WARNING),
    ]
    assert "the policy turns inline exemptions off" in found[1].message


def test_selectors_narrow_a_rule(catalog: Catalog) -> None:
    resources = [
        trainer(),
        make_resource(
            "aws_instance",
            {"instance_type": "g5.xlarge"},
            address="module.prod.aws_instance.train",
            tags={"environment": "production"},
        ),
    ]
    assert len(run_rule(SPOT, resources, catalog)) == 2
    only_module = run_rule(SPOT, resources, catalog, select={"addresses": ["module.prod.*"]})
    assert [f.resource for f in only_module] == ["module.prod.aws_instance.train"]
    prod = run_rule(SPOT, resources, catalog, select={"environments": ["production"]})
    assert [f.resource for f in prod] == ["module.prod.aws_instance.train"]
    assert run_rule(SPOT, resources, catalog, select={"providers": ["google"]}) == []
    assert (
        len(
            run_rule(
                SPOT, resources, catalog, select={"types": ["aws_*"], "tags": {"phase": "train*"}}
            )
        )
        == 1
    )
