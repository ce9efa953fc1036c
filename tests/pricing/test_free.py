"""The free list: types that cost nothing are free, types that may cost money are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from costgate.inputs import InputOptions, read_input
from costgate.model import Action, Origin, Resource, freeze
from costgate.pricing import free
from costgate.pricing.catalog import Catalog
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
        "aws_vpc_peering_connection",
        "aws_vpc_endpoint_service",
        "aws_vpclattice_service_network_vpc_association",
        "aws_ecs_task_definition",
        "aws_s3tables_table_bucket",
        "aws_acmpca_certificate_authority_certificate",
        "aws_db_subnet_group",
        "aws_elasticache_parameter_group",
        "aws_autoscaling_traffic_source_attachment",
        "google_gke_hub_scope_iam_member",
        "google_gke_hub_feature_membership",
        "google_compute_node_template",
        "azurerm_monitor_data_collection_rule",
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
        "aws_sqs_queue",
        "aws_s3_bucket_inventory",
        "aws_s3_bucket_metric",
        "aws_acmpca_certificate_authority",
        "aws_vpc_endpoint",
        "aws_ec2_capacity_reservation",
        "google_compute_address",
        "google_gke_hub_membership",
        "azurerm_log_analytics_workspace",
        "azurerm_key_vault",
        "azurerm_key_vault_key",
        "azurerm_container_registry",
        "okta_user",
        "azapi_resource",
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


def test_providers_outside_any_cloud_bill_are_unpriced_with_their_reason(catalog: object) -> None:
    okta = resource("okta_group")
    azapi = Resource(
        address="azapi_update_resource.aks",
        type="azapi_update_resource",
        provider="azapi",
        region="eastus",
        action=Action.CREATE,
        origin=Origin.TERRAFORM_PLAN,
        attributes=freeze({"type": "Microsoft.ContainerService/managedClusters@2024-02-01"}),
    )
    priced = price_resources((okta, azapi), catalog, load_usage(None))  # type: ignore[arg-type]
    reasons = [p.unpriced_reason or "" for p in priced]
    assert not any(p.free for p in priced)
    assert reasons[0].startswith("not priced: an Okta resource")
    assert "(`Microsoft.ContainerService/managedClusters@2024-02-01`)" in reasons[1]
    assert not any("not supported" in r for r in reasons)
    assert free.outside_reason("aws_instance") is None


def test_the_docs_list_the_outside_providers() -> None:
    from tests.conftest import REPO

    text = (REPO / "docs" / "free-resources.md").read_text()
    assert [p for p in free.OUTSIDE_PROVIDERS if f"`{p}_*`" not in text] == []


def test_a_free_type_counted_only_after_apply_is_free_a_paid_one_unpriced(
    tmp_path: Path, catalog: Catalog
) -> None:
    # terraform-aws-modules/vpc: subnets and NAT gateways are counted from data sources
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "us-east-1"\n}\n'
        'data "aws_availability_zones" "az" {}\n'
        'resource "aws_subnet" "private" {\n'
        "  count = length(data.aws_availability_zones.az.names)\n"
        '  cidr_block = "10.0.${count.index}.0/24"\n}\n'
        'resource "aws_nat_gateway" "nat" {\n'
        "  count = length(data.aws_availability_zones.az.names)\n}\n"
    )
    stack = read_input(tmp_path, options=InputOptions())
    priced = {
        p.resource.address: p for p in price_resources(stack.resources, catalog, load_usage(None))
    }
    subnet, nat = priced["aws_subnet.private"], priced["aws_nat_gateway.nat"]
    assert subnet.free and subnet.unpriced_reason is None
    assert "aws_subnet: no charge for this resource type" in subnet.notes[0]
    assert "count is only known after apply" in subnet.notes[0]
    assert not nat.free and nat.unpriced_reason is not None
    assert nat.unpriced_reason.startswith("count is only known after apply")


def test_counted_type_priced_elsewhere_says_where_not_no_charge(
    catalog: Catalog, tmp_path: Path
) -> None:
    # launch templates counted from a data source: their instances are billed through the
    # group that launches them, which is not the same as costing nothing
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "us-east-1"\n}\n'
        'data "aws_availability_zones" "az" {}\n'
        'resource "aws_launch_template" "lt" {\n'
        "  count = length(data.aws_availability_zones.az.names)\n}\n"
    )
    stack = read_input(tmp_path, options=InputOptions())
    (template,) = price_resources(stack.resources, catalog, load_usage(None))
    assert template.free
    assert template.notes[0].startswith(
        "aws_launch_template: priced through the Auto Scaling group or node group"
    )
    assert "no charge" not in template.notes[0]


def test_a_cloudformation_stack_is_unpriced_because_its_template_is_not_read(
    catalog: object,
) -> None:
    # its cost is the resources the template creates: neither free nor "not supported"
    (stack,) = price_resources(
        (resource("aws_cloudformation_stack"),),
        catalog,  # type: ignore[arg-type]
        load_usage(None),
    )
    assert not stack.free
    assert (stack.unpriced_reason or "").startswith("not priced: a CloudFormation stack")
    assert "resources its template creates" in (stack.unpriced_reason or "")


def test_the_docs_list_the_outside_types() -> None:
    from tests.conftest import REPO

    text = (REPO / "docs" / "free-resources.md").read_text()
    assert [t for t in free.OUTSIDE_TYPES if f"`{t}`" not in text] == []


def test_a_fargate_profile_is_unpriced_because_its_pods_are_not_seen(catalog: Catalog) -> None:
    (profile,) = price_resources((resource("aws_eks_fargate_profile"),), catalog, load_usage(None))
    assert not profile.free
    assert (profile.unpriced_reason or "").startswith("not priced: an EKS Fargate profile")
    assert "per vCPU and GB" in (profile.unpriced_reason or "")
