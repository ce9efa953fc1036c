"""Every Terraform type costgate prices is reachable from its Pulumi type token.

The tokens are the current ones of pulumi-aws (v7 SDK), pulumi-azure and pulumi-gcp (their
bridge metadata, `auto-aliasing.resources`). A pricer added without a row here fails
`test_every_priced_type_has_a_token`: look its token up and check what it maps to.
"""

from __future__ import annotations

import pytest

from costgate.inputs.pulumi.type_map import terraform_type
from costgate.pricing import aws, azurerm, google

PRICED_TOKENS = [
    ("aws:acm/certificate:Certificate", "aws_acm_certificate"),
    ("aws:acmpca/certificate:Certificate", "aws_acmpca_certificate"),
    ("aws:acmpca/certificateAuthority:CertificateAuthority", "aws_acmpca_certificate_authority"),
    ("aws:autoscaling/group:Group", "aws_autoscaling_group"),
    ("aws:cloudwatch/logGroup:LogGroup", "aws_cloudwatch_log_group"),
    ("aws:ebs/fastSnapshotRestore:FastSnapshotRestore", "aws_ebs_fast_snapshot_restore"),
    ("aws:ebs/snapshot:Snapshot", "aws_ebs_snapshot"),
    ("aws:ebs/snapshotCopy:SnapshotCopy", "aws_ebs_snapshot_copy"),
    ("aws:ebs/volume:Volume", "aws_ebs_volume"),
    (
        "aws:ec2/capacityBlockReservation:CapacityBlockReservation",
        "aws_ec2_capacity_block_reservation",
    ),
    ("aws:ec2/capacityReservation:CapacityReservation", "aws_ec2_capacity_reservation"),
    ("aws:ec2/dedicatedHost:DedicatedHost", "aws_ec2_host"),
    ("aws:ec2/eip:Eip", "aws_eip"),
    ("aws:eks/cluster:Cluster", "aws_eks_cluster"),
    ("aws:eks/nodeGroup:NodeGroup", "aws_eks_node_group"),
    ("aws:ec2/instance:Instance", "aws_instance"),
    ("aws:kms/key:Key", "aws_kms_key"),
    ("aws:ec2/launchConfiguration:LaunchConfiguration", "aws_launch_configuration"),
    ("aws:ec2/launchTemplate:LaunchTemplate", "aws_launch_template"),
    ("aws:ec2/natGateway:NatGateway", "aws_nat_gateway"),
    ("aws:route53/zone:Zone", "aws_route53_zone"),
    ("aws:s3/bucket:Bucket", "aws_s3_bucket"),
    (
        "aws:s3/bucketAccelerateConfiguration:BucketAccelerateConfiguration",
        "aws_s3_bucket_accelerate_configuration",
    ),
    (
        "aws:s3/analyticsConfiguration:AnalyticsConfiguration",
        "aws_s3_bucket_analytics_configuration",
    ),
    ("aws:s3/inventory:Inventory", "aws_s3_bucket_inventory"),
    (
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "aws_s3_bucket_lifecycle_configuration",
    ),
    ("aws:s3/bucketMetric:BucketMetric", "aws_s3_bucket_metric"),
    ("aws:s3/directoryBucket:DirectoryBucket", "aws_s3_directory_bucket"),
    ("aws:s3/bucketObjectv2:BucketObjectv2", "aws_s3_object"),
    ("aws:s3tables/table:Table", "aws_s3tables_table"),
    ("aws:sagemaker/endpoint:Endpoint", "aws_sagemaker_endpoint"),
    (
        "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
        "aws_sagemaker_endpoint_configuration",
    ),
    ("aws:sagemaker/notebookInstance:NotebookInstance", "aws_sagemaker_notebook_instance"),
    ("aws:secretsmanager/secret:Secret", "aws_secretsmanager_secret"),
    ("aws:ec2/spotInstanceRequest:SpotInstanceRequest", "aws_spot_instance_request"),
    ("aws:sqs/queue:Queue", "aws_sqs_queue"),
    ("aws:ec2/vpcEndpoint:VpcEndpoint", "aws_vpc_endpoint"),
    ("azure:containerservice/registry:Registry", "azurerm_container_registry"),
    ("azure:keyvault/keyVault:KeyVault", "azurerm_key_vault"),
    ("azure:keyvault/key:Key", "azurerm_key_vault_key"),
    ("azure:containerservice/kubernetesCluster:KubernetesCluster", "azurerm_kubernetes_cluster"),
    (
        "azure:containerservice/kubernetesClusterNodePool:KubernetesClusterNodePool",
        "azurerm_kubernetes_cluster_node_pool",
    ),
    ("azure:appservice/linuxFunctionApp:LinuxFunctionApp", "azurerm_linux_function_app"),
    ("azure:compute/linuxVirtualMachine:LinuxVirtualMachine", "azurerm_linux_virtual_machine"),
    (
        "azure:compute/linuxVirtualMachineScaleSet:LinuxVirtualMachineScaleSet",
        "azurerm_linux_virtual_machine_scale_set",
    ),
    (
        "azure:operationalinsights/analyticsSolution:AnalyticsSolution",
        "azurerm_log_analytics_solution",
    ),
    (
        "azure:operationalinsights/analyticsWorkspace:AnalyticsWorkspace",
        "azurerm_log_analytics_workspace",
    ),
    (
        "azure:machinelearning/computeCluster:ComputeCluster",
        "azurerm_machine_learning_compute_cluster",
    ),
    (
        "azure:machinelearning/computeInstance:ComputeInstance",
        "azurerm_machine_learning_compute_instance",
    ),
    ("azure:compute/managedDisk:ManagedDisk", "azurerm_managed_disk"),
    ("azure:storage/account:Account", "azurerm_storage_account"),
    ("azure:storage/managementPolicy:ManagementPolicy", "azurerm_storage_management_policy"),
    ("azure:compute/virtualMachine:VirtualMachine", "azurerm_virtual_machine"),
    (
        "azure:compute/dataDiskAttachment:DataDiskAttachment",
        "azurerm_virtual_machine_data_disk_attachment",
    ),
    ("azure:compute/scaleSet:ScaleSet", "azurerm_virtual_machine_scale_set"),
    (
        "azure:compute/windowsVirtualMachine:WindowsVirtualMachine",
        "azurerm_windows_virtual_machine",
    ),
    (
        "azure:compute/windowsVirtualMachineScaleSet:WindowsVirtualMachineScaleSet",
        "azurerm_windows_virtual_machine_scale_set",
    ),
    ("gcp:compute/address:Address", "google_compute_address"),
    ("gcp:compute/attachedDisk:AttachedDisk", "google_compute_attached_disk"),
    ("gcp:compute/disk:Disk", "google_compute_disk"),
    ("gcp:compute/image:Image", "google_compute_image"),
    ("gcp:compute/instance:Instance", "google_compute_instance"),
    (
        "gcp:compute/instanceGroupManager:InstanceGroupManager",
        "google_compute_instance_group_manager",
    ),
    ("gcp:compute/instanceTemplate:InstanceTemplate", "google_compute_instance_template"),
    ("gcp:compute/regionDisk:RegionDisk", "google_compute_region_disk"),
    (
        "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
        "google_compute_region_instance_group_manager",
    ),
    (
        "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate",
        "google_compute_region_instance_template",
    ),
    ("gcp:compute/routerNat:RouterNat", "google_compute_router_nat"),
    ("gcp:compute/snapshot:Snapshot", "google_compute_snapshot"),
    ("gcp:container/cluster:Cluster", "google_container_cluster"),
    ("gcp:container/nodePool:NodePool", "google_container_node_pool"),
    ("gcp:gkehub/feature:Feature", "google_gke_hub_feature"),
    ("gcp:gkehub/membership:Membership", "google_gke_hub_membership"),
    ("gcp:storage/bucket:Bucket", "google_storage_bucket"),
    ("gcp:tpu/node:Node", "google_tpu_node"),
    ("gcp:tpu/v2Vm:V2Vm", "google_tpu_v2_vm"),
    (
        "gcp:vertex/aiDeploymentResourcePool:AiDeploymentResourcePool",
        "google_vertex_ai_deployment_resource_pool",
    ),
]


@pytest.mark.parametrize(("token", "tf_type"), PRICED_TOKENS)
def test_token_reaches_the_priced_type(token: str, tf_type: str) -> None:
    assert terraform_type(token) == tf_type


def test_every_priced_type_has_a_token() -> None:
    priced = {
        *aws.PRICERS,
        *aws.PRICED_ELSEWHERE,
        *azurerm.PRICERS,
        *azurerm.PRICED_ELSEWHERE,
        *google.PRICERS,
        *google.PRICED_ELSEWHERE,
    }
    assert {tf_type for _, tf_type in PRICED_TOKENS} == priced
