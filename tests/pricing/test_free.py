"""The free list: types that cost nothing are free, types that may cost money are not."""

from __future__ import annotations

import pytest

from costgate.model import Action, Origin, Resource, freeze
from costgate.pricing import free
from costgate.pricing.engine import price_resources
from costgate.pricing.registry import FREE, PRICED_ELSEWHERE, PRICERS
from costgate.usage import load_usage


def resource(type_: str) -> Resource:
    return Resource(
        address=f"{type_}.x",
        type=type_,
        provider=type_.partition("_")[0],
        region="us-east-1",
        action=Action.CREATE,
        origin=Origin.TERRAFORM_PLAN,
        attributes=freeze({}),
    )


@pytest.mark.parametrize(
    "type_",
    [
        "helm_release",
        "kubernetes_namespace_v1",
        "kubectl_manifest",
        "random_string",
        "null_resource",
        "time_sleep",
        "tls_private_key",
        "local_file",
        "terraform_data",
        "aws_iam_role_policy_attachment",
        "aws_eks_access_entry",
        "aws_route53_record",
        "google_dns_record_set",
        "azurerm_dns_a_record",
    ],
)
def test_free_types_are_free_not_unsupported(type_: str, catalog: object) -> None:
    (priced,) = price_resources((resource(type_),), catalog, load_usage(None))  # type: ignore[arg-type]
    assert priced.free and priced.unpriced_reason is None
    assert free.FREE.why(type_)


@pytest.mark.parametrize(
    "type_",
    [
        "aws_nat_gateway",
        "aws_kms_key",
        "aws_cloudwatch_log_group",
        "aws_cloudwatch_metric_alarm",
        "aws_secretsmanager_secret",
        "aws_eip",
        "aws_route53_zone",
        "google_compute_router_nat",
        "azurerm_public_ip",
        "randomly_named_cloud_thing",
    ],
)
def test_types_that_may_cost_money_are_not_free(type_: str) -> None:
    assert type_ not in FREE


def test_no_type_is_both_priced_and_free() -> None:
    assert not [t for t in free.FREE_TYPES if t in PRICERS or t in PRICED_ELSEWHERE]
    assert all(t.startswith(("aws_", "google_", "azurerm_")) for t in free.FREE_TYPES)


def test_the_docs_list_every_free_type() -> None:
    from tests.conftest import REPO

    text = (REPO / "docs" / "free-resources.md").read_text()
    assert [t for t in free.FREE_TYPES if f"`{t}`" not in text] == []
    assert [p for p in free.FREE_PROVIDERS if f"`{p}_*`" not in text] == []
