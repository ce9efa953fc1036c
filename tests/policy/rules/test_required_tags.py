"""required-tags on AWS tags, GCP labels and Azure tags."""

from __future__ import annotations

from costgate.pricing.catalog import Catalog
from tests.conftest import make_resource
from tests.policy.helpers import Case, run_rule

RULE = "required-tags"
FULL = {
    "team": "nlp",
    "project": "llm",
    "environment": "development",
    "experiment_id": "exp-1",
    "cost_center": "ml",
}


def test_aws_missing_tags_fail_and_full_tags_pass(catalog: Catalog) -> None:
    bad = make_resource(
        "aws_instance", {"instance_type": "g5.xlarge", "tags": {}}, tags={"team": "nlp"}
    )
    [finding] = run_rule(RULE, [bad], catalog)
    assert finding.message == (
        "missing required tags: project, environment, experiment_id, cost_center"
    )
    good = make_resource("aws_instance", {"instance_type": "g5.xlarge", "tags": {}}, tags=FULL)
    assert run_rule(RULE, [good], catalog) == []


def test_aws_allowed_values_and_patterns(catalog: Catalog) -> None:
    options = {
        "allowed_values": {"environment": ["development", "production"]},
        "patterns": {"experiment_id": r"exp-\d{4}-\d{3}"},
    }
    bad = make_resource("aws_instance", {"tags": {}}, tags={**FULL, "environment": "dev"})
    found = run_rule(RULE, [bad], catalog, options=options)
    assert sorted(f.message for f in found) == [
        "tag environment='dev' is not one of: development, production",
        "tag experiment_id='exp-1' does not match the pattern 'exp-\\\\d{4}-\\\\d{3}'",
    ]
    good = make_resource(
        "aws_instance", {"tags": {}}, tags={**FULL, "experiment_id": "exp-2026-001"}
    )
    assert run_rule(RULE, [good], catalog, options=options) == []


def test_google_labels_count_as_tags(catalog: Catalog) -> None:
    bad = make_resource("google_storage_bucket", {"labels": {"team": "nlp"}})
    [finding] = run_rule(RULE, [bad], catalog)
    assert finding.message.startswith("missing required tags: project")
    good = make_resource("google_storage_bucket", {"labels": FULL, "effective_labels": FULL})
    assert run_rule(RULE, [good], catalog) == []


def test_azure_tags(catalog: Catalog) -> None:
    bad = make_resource("azurerm_storage_account", {"tags": {}})
    assert len(run_rule(RULE, [bad], catalog)) == 1
    good = make_resource("azurerm_storage_account", {"tags": FULL}, tags=FULL)
    assert run_rule(RULE, [good], catalog) == []


CASES = {
    "aws": Case(
        [make_resource("aws_instance", {"tags": {}}, tags=FULL)],
        [make_resource("aws_instance", {"tags": {}})],
    ),
    "google": Case(
        [make_resource("google_storage_bucket", {"labels": FULL})],
        [make_resource("google_storage_bucket", {"labels": {}})],
    ),
    "azurerm": Case(
        [make_resource("azurerm_storage_account", {"tags": FULL}, tags=FULL)],
        [make_resource("azurerm_storage_account", {"tags": {}})],
    ),
}


def test_untagged_gpu_instance_without_a_tags_attribute_fails(catalog: Catalog) -> None:
    # issue 17: an HCL resource that never writes `tags` used to be "not taggable" and pass
    bare = make_resource("aws_instance", {"instance_type": "p4d.24xlarge"})
    [finding] = run_rule(RULE, [bare], catalog)
    assert finding.message.startswith("missing required tags: team, project")


def test_every_priced_type_is_known_taggable_or_not() -> None:
    from costgate.policy.rules.taggable import NOT_TAGGABLE, TAGGABLE
    from costgate.pricing.registry import PRICERS

    taggable = frozenset().union(*TAGGABLE.values())
    assert not taggable & set(NOT_TAGGABLE)
    assert set(PRICERS) <= taggable | set(NOT_TAGGABLE)
    for provider, types in TAGGABLE.items():
        assert all(t.startswith(provider + "_") for t in types)
