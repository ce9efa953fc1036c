"""Resource types that cost nothing by themselves, with why: one list for every provider.

A type listed here is reported as free ("no charge for this resource type") instead of
"not supported yet", so that message only names types that may cost money. A type belongs
here only when its provider bills nothing for it: configuration (IAM, routing, rules,
policies, attachments), records inside a billed container (a DNS record in its zone), or a
provider that never talks to a cloud bill at all (helm, kubernetes, random, ...). What such
a resource makes others do (a Kubernetes `LoadBalancer` service asking the cloud for a load
balancer, a PersistentVolumeClaim for a disk) is billed to those others, which costgate does
not see from Terraform. docs/free-resources.md explains the list.
"""

from __future__ import annotations

from collections.abc import Container

_CONFIG = "configuration only: the provider bills nothing for it"
_IAM = "identity and access configuration: never billed"
_NETWORK = "network configuration: no charge (traffic is billed where it flows)"
_ATTACHED = "an attachment or policy of a resource that is billed (or free) on its own"
_RECORD = "a record inside a DNS zone: the zone and the queries are billed, not the record"
_ROUTING = "routes or forwards events or logs: the destination bills what it receives"
FLEET_INCLUDED = (
    "GKE fleet management (fleets, teams, Config Management, Policy Controller) is included "
    "in GKE at no extra cost"
)

AWS: dict[str, str] = {
    **dict.fromkeys(
        (
            "aws_iam_role aws_iam_policy aws_iam_role_policy aws_iam_role_policy_attachment "
            "aws_iam_instance_profile aws_iam_user aws_iam_group aws_iam_group_membership "
            "aws_iam_group_policy aws_iam_group_policy_attachment aws_iam_user_policy "
            "aws_iam_user_policy_attachment aws_iam_policy_attachment "
            "aws_iam_user_group_membership aws_iam_openid_connect_provider "
            "aws_iam_saml_provider aws_iam_service_linked_role aws_iam_access_key "
            "aws_iam_policy_document aws_eks_access_entry aws_eks_access_policy_association "
            "aws_eks_pod_identity_association aws_eks_identity_provider_config "
            "aws_lambda_permission aws_kms_grant aws_identitystore_user "
            "aws_identitystore_group aws_identitystore_group_membership "
            "aws_ssoadmin_permission_set aws_ssoadmin_permission_set_inline_policy "
            "aws_ssoadmin_managed_policy_attachment "
            "aws_ssoadmin_customer_managed_policy_attachment aws_ssoadmin_account_assignment"
        ).split(),
        _IAM,
    ),
    **dict.fromkeys(
        (
            "aws_vpc aws_default_vpc aws_subnet aws_default_subnet aws_route_table "
            "aws_default_route_table aws_route_table_association aws_main_route_table_association "
            "aws_route aws_internet_gateway aws_egress_only_internet_gateway "
            "aws_security_group aws_default_security_group aws_security_group_rule "
            "aws_vpc_security_group_ingress_rule aws_vpc_security_group_egress_rule "
            "aws_network_acl aws_default_network_acl aws_network_acl_rule "
            "aws_network_acl_association aws_vpc_dhcp_options aws_vpc_dhcp_options_association "
            "aws_vpc_ipv4_cidr_block_association aws_network_interface "
            "aws_network_interface_attachment aws_network_interface_sg_attachment "
            "aws_vpc_endpoint_route_table_association aws_vpc_endpoint_subnet_association "
            "aws_vpc_endpoint_connection_accepter "
            "aws_placement_group aws_key_pair aws_vpc_peering_connection "
            "aws_vpc_peering_connection_accepter aws_vpc_endpoint_service "
            "aws_vpclattice_service_network aws_vpclattice_service_network_vpc_association"
        ).split(),
        _NETWORK,
    ),
    **dict.fromkeys(
        (
            "aws_s3_bucket_policy aws_s3_bucket_acl aws_s3_bucket_versioning "
            "aws_s3_bucket_public_access_block aws_s3_bucket_server_side_encryption_configuration "
            "aws_s3_bucket_ownership_controls aws_s3_bucket_notification "
            "aws_s3_bucket_cors_configuration aws_s3_bucket_request_payment_configuration "
            "aws_s3_account_public_access_block aws_eks_addon aws_ecr_lifecycle_policy "
            "aws_ecr_repository_policy aws_ecr_pull_through_cache_rule aws_kms_alias "
            "aws_secretsmanager_secret_version aws_secretsmanager_secret_policy "
            "aws_acm_certificate_validation aws_autoscaling_policy aws_autoscaling_schedule "
            "aws_autoscaling_attachment aws_autoscaling_traffic_source_attachment "
            "aws_autoscaling_lifecycle_hook aws_autoscaling_group_tag "
            "aws_lb_listener aws_lb_listener_rule aws_lb_target_group "
            "aws_lb_target_group_attachment aws_volume_attachment aws_eip_association "
            "aws_ebs_encryption_by_default aws_ec2_tag aws_lambda_alias "
            "aws_lambda_function_event_invoke_config aws_lambda_event_source_mapping "
            "aws_sns_topic_subscription aws_sns_topic_policy aws_sqs_queue_policy "
            "aws_cloudwatch_log_stream aws_cloudwatch_log_resource_policy "
            "aws_sagemaker_notebook_instance_lifecycle_configuration aws_sagemaker_model "
            "aws_resourcegroups_group aws_resourcegroups_resource aws_ssm_parameter "
            "aws_cur_report_definition "
            "aws_s3_bucket_object_lock_configuration aws_s3_bucket_website_configuration "
            "aws_s3tables_table_policy aws_s3tables_table_bucket_policy "
            "aws_s3vectors_vector_bucket_policy aws_efs_mount_target aws_efs_file_system_policy "
            "aws_efs_backup_policy "
            "aws_route53_zone_association aws_s3_bucket_intelligent_tiering_configuration "
            "aws_fsx_data_repository_association aws_acmpca_certificate_authority_certificate"
        ).split(),
        _ATTACHED,
    ),
    **dict.fromkeys(
        (
            "aws_cloudwatch_event_rule aws_cloudwatch_event_target "
            "aws_cloudwatch_log_subscription_filter aws_s3_bucket_logging"
        ).split(),
        _ROUTING,
    ),
    **dict.fromkeys(
        (
            "aws_ecs_task_definition aws_ssm_activation aws_s3tables_namespace "
            "aws_s3tables_table_bucket aws_db_subnet_group aws_db_parameter_group "
            "aws_rds_cluster_parameter_group aws_elasticache_subnet_group "
            "aws_elasticache_parameter_group"
        ).split(),
        _CONFIG,
    ),
    "aws_route53_record": _RECORD,
}
"""AWS. IAM Identity Center (`aws_identitystore_*`, `aws_ssoadmin_*`) has no charge;
`aws_ssm_parameter`: standard parameters are free (advanced ones are not told apart);
`aws_cur_report_definition`: the report is free, its S3 bucket bills the storage;
`aws_ecs_task_definition`: tasks are billed as the Fargate or EC2 capacity they run on;
`aws_vpc_peering_connection`: no hourly charge, the traffic across it is billed as data
transfer; `aws_vpc_endpoint_service`: the provider side of PrivateLink, whose load balancer
and consumers' endpoints are billed."""

GOOGLE: dict[str, str] = {
    **dict.fromkeys(
        (
            "google_project_iam_member google_project_iam_binding google_project_iam_policy "
            "google_project_iam_custom_role google_service_account google_service_account_key "
            "google_service_account_iam_member google_service_account_iam_binding "
            "google_service_account_iam_policy google_storage_bucket_iam_member "
            "google_storage_bucket_iam_binding google_storage_bucket_iam_policy "
            "google_artifact_registry_repository_iam_member google_pubsub_topic_iam_member "
            "google_secret_manager_secret_iam_member google_kms_crypto_key_iam_member "
            "google_kms_crypto_key_iam_binding google_folder_iam_member "
            "google_organization_iam_member google_project_service_identity "
            "google_gke_hub_scope_iam_member google_gke_hub_scope_iam_binding"
        ).split(),
        _IAM,
    ),
    **dict.fromkeys(
        (
            "google_compute_network google_compute_subnetwork google_compute_firewall "
            "google_compute_route google_compute_router google_compute_network_peering "
            "google_compute_shared_vpc_host_project google_compute_shared_vpc_service_project"
        ).split(),
        _NETWORK,
    ),
    **dict.fromkeys(
        (
            "google_project_service google_compute_resource_policy "
            "google_compute_project_metadata google_compute_project_metadata_item "
            "google_kms_key_ring google_monitoring_notification_channel "
            "google_tags_tag_key google_tags_tag_value google_compute_node_template"
        ).split(),
        _CONFIG,
    ),
    **dict.fromkeys(
        (
            "google_gke_hub_feature_membership google_gke_hub_scope "
            "google_gke_hub_scope_rbac_role_binding google_gke_hub_namespace "
            "google_gke_hub_membership_binding google_gke_hub_fleet"
        ).split(),
        FLEET_INCLUDED,
    ),
    "google_logging_project_sink": _ROUTING,
    "google_dns_record_set": _RECORD,
}
"""Google Cloud."""

AZURERM: dict[str, str] = {
    **dict.fromkeys(
        (
            "azurerm_role_assignment azurerm_role_definition azurerm_user_assigned_identity "
            "azurerm_federated_identity_credential azurerm_key_vault_access_policy"
        ).split(),
        _IAM,
    ),
    **dict.fromkeys(
        (
            "azurerm_virtual_network azurerm_subnet azurerm_network_security_group "
            "azurerm_network_security_rule azurerm_network_interface azurerm_route_table "
            "azurerm_route azurerm_subnet_route_table_association "
            "azurerm_subnet_network_security_group_association "
            "azurerm_network_interface_security_group_association "
            "azurerm_application_security_group"
        ).split(),
        _NETWORK,
    ),
    **dict.fromkeys(
        (
            "azurerm_resource_group azurerm_management_lock "
            "azurerm_resource_provider_registration azurerm_storage_container "
            "azurerm_disk_encryption_set"
        ).split(),
        _CONFIG,
    ),
    "azurerm_machine_learning_workspace": "an Azure Machine Learning workspace bills nothing "
    "by itself: its compute, storage account, key vault, container registry and Application "
    "Insights are billed as those resources (azure.microsoft.com/pricing/details/"
    "machine-learning)",
    "azurerm_monitor_data_collection_rule_association": _ATTACHED,
    "azurerm_monitor_diagnostic_setting": _ROUTING,
    "azurerm_monitor_data_collection_rule": _ROUTING,
    **dict.fromkeys(
        (
            "azurerm_dns_a_record azurerm_dns_aaaa_record azurerm_dns_cname_record "
            "azurerm_dns_mx_record azurerm_dns_txt_record azurerm_dns_srv_record "
            "azurerm_private_dns_a_record azurerm_private_dns_cname_record"
        ).split(),
        _RECORD,
    ),
}
"""Azure."""

FREE_PROVIDERS: dict[str, str] = {
    "helm": "installs a chart into a cluster; the cluster's nodes are what is billed",
    "kubernetes": "Kubernetes objects run on nodes that are billed as such",
    "kubectl": "Kubernetes objects run on nodes that are billed as such",
    "random": "generates values locally",
    "null": "does nothing outside Terraform",
    "terraform": "`terraform_data` holds values in the state only",
    "time": "records times and waits locally",
    "tls": "creates keys and certificates locally",
    "local": "writes local files",
    "external": "runs a local program",
    "archive": "builds a local archive",
    "cloudinit": "renders cloud-init text locally",
    "http": "reads a URL at plan time",
    "kind": "runs a Kubernetes cluster in local Docker containers",
}
"""Providers that never bill, by the prefix of their resource types (`random_id`)."""

OUTSIDE_PROVIDERS: dict[str, str] = {
    "okta": "an Okta resource: Okta bills by subscription (users, products), outside any "
    "cloud bill costgate prices",
    "azapi": "a generic Azure Resource Manager call: what it bills depends on the ARM type "
    "and body it sends (`{type}`), which costgate does not price; the azurerm resource it "
    "creates or changes is priced where it is declared",
}
"""Providers whose resources costgate cannot price and that are not free either, by the
prefix of their resource types: reported as unpriced with this reason (`{type}` is the
resource's `type` attribute), never as "not supported yet"."""

_STACK = (
    "a CloudFormation stack: CloudFormation bills nothing for stacks of AWS resource types; "
    "what the stack costs is the resources its template creates, which costgate does not "
    "read (declare them in Terraform, or price the stack's resources separately)"
)
_FARGATE = (
    "an EKS Fargate profile: the profile bills nothing; Fargate bills each pod it selects "
    "per vCPU and GB of memory requested, per second, and the pods are Kubernetes objects "
    "costgate does not see (price them in a usage file on the cluster's workloads, or from "
    "your bill)"
)
OUTSIDE_TYPES: dict[str, str] = {
    **dict.fromkeys(
        (
            "aws_cloudformation_stack aws_cloudformation_stack_set "
            "aws_cloudformation_stack_set_instance aws_cloudformation_stack_instances"
        ).split(),
        _STACK,
    ),
    "aws_eks_fargate_profile": _FARGATE,
}
"""Types of a cloud provider that are neither free nor priceable by costgate, because
what they bill is decided by a document costgate does not read: unpriced with this
reason, never "not supported yet"."""

FREE_TYPES: dict[str, str] = {**AWS, **GOOGLE, **AZURERM}
"""Every free type of a cloud provider, with why."""


class FreeTypes(Container[str]):
    """`type in FREE`: a listed type, or any type of a provider that never bills."""

    def __contains__(self, resource_type: object) -> bool:
        if not isinstance(resource_type, str):
            return False
        return resource_type in FREE_TYPES or resource_type.partition("_")[0] in FREE_PROVIDERS

    def why(self, resource_type: str) -> str | None:
        """Why *resource_type* costs nothing, or None when it may cost money."""
        if resource_type in FREE_TYPES:
            return FREE_TYPES[resource_type]
        return FREE_PROVIDERS.get(resource_type.partition("_")[0])


FREE = FreeTypes()


def outside_reason(resource_type: str, target: object = None) -> str | None:
    """Why a type of a provider outside the clouds' bills is not priced (*target*: an azapi
    resource's ARM `type`), or None for any other type."""
    reason = OUTSIDE_TYPES.get(resource_type) or OUTSIDE_PROVIDERS.get(
        resource_type.partition("_")[0]
    )
    if reason is None:
        return None
    where = target if isinstance(target, str) and target else "unknown"
    return f"not priced: {reason.replace('{type}', where)}"
