"""Resource types whose provider schema takes tags (Google: labels), per provider.

`required-tags` checks these even when the resource sets no `tags` at all: a missing
attribute means no tags, not "not taggable" (an HCL directory only holds what was written).
Every type costgate prices is listed here or in `NOT_TAGGABLE` with the reason, which a
test enforces.
"""

from __future__ import annotations

TAGGABLE: dict[str, frozenset[str]] = {
    "aws": frozenset(
        {
            "aws_ebs_volume",
            "aws_ebs_snapshot",
            "aws_ebs_snapshot_copy",
            "aws_ec2_capacity_block_reservation",
            "aws_ec2_host",
            "aws_eks_cluster",
            "aws_eks_node_group",
            "aws_instance",
            "aws_launch_template",
            "aws_s3_bucket",
            "aws_sagemaker_endpoint",
            "aws_sagemaker_endpoint_configuration",
            "aws_sagemaker_notebook_instance",
            "aws_spot_instance_request",
            "aws_kms_key",
            "aws_secretsmanager_secret",
            "aws_acmpca_certificate_authority",
            "aws_acm_certificate",
            "aws_eip",
            "aws_route53_zone",
            "aws_vpc_endpoint",
            "aws_nat_gateway",
            "aws_cloudwatch_log_group",
            "aws_sqs_queue",
            "aws_ec2_capacity_reservation",
        }
    ),
    "google": frozenset(
        {
            "google_compute_disk",
            "google_compute_image",
            "google_compute_instance",
            "google_compute_instance_template",
            "google_compute_region_disk",
            "google_compute_region_instance_template",
            "google_compute_snapshot",
            "google_storage_bucket",
            "google_tpu_node",
            "google_tpu_v2_vm",
            "google_compute_address",
            "google_gke_hub_membership",
            "google_gke_hub_feature",
        }
    ),
    "azurerm": frozenset(
        {
            "azurerm_kubernetes_cluster",
            "azurerm_kubernetes_cluster_node_pool",
            "azurerm_linux_virtual_machine",
            "azurerm_linux_virtual_machine_scale_set",
            "azurerm_machine_learning_compute_cluster",
            "azurerm_machine_learning_compute_instance",
            "azurerm_managed_disk",
            "azurerm_storage_account",
            "azurerm_virtual_machine",
            "azurerm_virtual_machine_scale_set",
            "azurerm_windows_virtual_machine",
            "azurerm_windows_virtual_machine_scale_set",
            "azurerm_log_analytics_workspace",
            "azurerm_log_analytics_solution",
            "azurerm_key_vault",
            "azurerm_key_vault_key",
            "azurerm_container_registry",
        }
    ),
}

NOT_TAGGABLE: dict[str, str] = {
    "aws_autoscaling_group": "tags are `tag` blocks propagated to instances, not a `tags` map",
    "google_compute_instance_group_manager": "no labels attribute (its template has them)",
    "google_compute_region_instance_group_manager": "no labels attribute (its template has them)",
    "google_container_cluster": "labels are `resource_labels`, not read as tags yet",
    "google_container_node_pool": "labels sit inside node_config (Kubernetes node labels)",
    "google_vertex_ai_deployment_resource_pool": "no labels attribute",
    "aws_acmpca_certificate": "no tags attribute",
    "aws_ebs_fast_snapshot_restore": "no tags attribute",
    "aws_s3_bucket_inventory": "a bucket sub-resource: no tags attribute",
    "aws_s3_bucket_analytics_configuration": "a bucket sub-resource: no tags attribute",
    "aws_s3_bucket_metric": "a bucket sub-resource: no tags attribute",
    "aws_s3_bucket_accelerate_configuration": "a bucket sub-resource: no tags attribute",
    "aws_s3_directory_bucket": "tags not read for this type yet",
    "aws_s3tables_table": "tags not read for this type yet",
    "google_compute_router_nat": "no labels attribute",
}
"""Priced types that have no top-level tags or labels attribute, and why."""

_ALL = frozenset().union(*TAGGABLE.values())


def taggable_type(resource_type: str) -> bool:
    """Whether the provider schema of *resource_type* has a tags (or labels) attribute."""
    return resource_type in _ALL
