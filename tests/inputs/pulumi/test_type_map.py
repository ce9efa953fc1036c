"""Pulumi tokens and camelCase inputs -> Terraform types and attribute spellings.

GCP and Azure pricers are written in parallel (issue 5): these tests check the shapes their
Terraform-typed pricers will read; pricing assertions for those types follow once they land.
"""

from __future__ import annotations

import pytest

from costgate.inputs.pulumi.state import StateReader, input_values
from costgate.inputs.pulumi.type_map import snake, terraform_type, translate
from costgate.model import UNKNOWN, Action, Origin


@pytest.mark.parametrize(
    ("camel", "snake_case"),
    [
        ("volumeSize", "volume_size"),
        ("diskSizeGB", "disk_size_gb"),
        ("ipv6AddressCount", "ipv6_address_count"),
        ("BucketIAMMember", "bucket_iam_member"),
        (
            "tierToCoolAfterDaysSinceModificationGreaterThan",
            "tier_to_cool_after_days_since_modification_greater_than",
        ),
    ],
)
def test_snake_case(camel: str, snake_case: str) -> None:
    assert snake(camel) == snake_case


@pytest.mark.parametrize(
    ("token", "tf_type"),
    [
        ("aws:ec2/instance:Instance", "aws_instance"),
        ("aws:ec2/launchTemplate:LaunchTemplate", "aws_launch_template"),
        ("aws:autoscaling/group:Group", "aws_autoscaling_group"),
        ("aws:eks/nodeGroup:NodeGroup", "aws_eks_node_group"),
        ("aws:ebs/volume:Volume", "aws_ebs_volume"),
        ("aws:s3/bucket:Bucket", "aws_s3_bucket"),
        ("aws:s3/bucketV2:BucketV2", "aws_s3_bucket"),
        (
            "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
            "aws_s3_bucket_lifecycle_configuration",
        ),
        (
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "aws_s3_bucket_lifecycle_configuration",
        ),
        ("aws:sagemaker/notebookInstance:NotebookInstance", "aws_sagemaker_notebook_instance"),
        (
            "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
            "aws_sagemaker_endpoint_configuration",
        ),
        ("aws:sagemaker/endpoint:Endpoint", "aws_sagemaker_endpoint"),
        ("gcp:compute/instance:Instance", "google_compute_instance"),
        ("gcp:container/nodePool:NodePool", "google_container_node_pool"),
        ("gcp:storage/bucket:Bucket", "google_storage_bucket"),
        ("azure:compute/linuxVirtualMachine:LinuxVirtualMachine", "azurerm_linux_virtual_machine"),
        ("azure:storage/account:Account", "azurerm_storage_account"),
        ("azure:storage/managementPolicy:ManagementPolicy", "azurerm_storage_management_policy"),
        ("azure-native:storage:StorageAccount", "azurerm_storage_account"),
        ("azure-native:storage/v20230101:ManagementPolicy", "azurerm_storage_management_policy"),
        # derived by naming convention
        ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws_iam_role_policy_attachment"),
        ("aws:ec2/securityGroup:SecurityGroup", "aws_security_group"),
        ("aws:ec2/fleet:Fleet", "aws_ec2_fleet"),
        ("aws:s3/bucketVersioningV2:BucketVersioningV2", "aws_s3_bucket_versioning"),
        ("aws:lambda/function:Function", "aws_lambda_function"),
        ("gcp:storage/bucketIAMMember:BucketIAMMember", "google_storage_bucket_iam_member"),
        ("azure:storage/container:Container", "azurerm_storage_container"),
        # issue 14: the Terraform names, not the convention's (bridge metadata renames)
        ("random:index/randomString:RandomString", "random_string"),
        ("random:index/randomPassword:RandomPassword", "random_password"),
        ("tls:index/privateKey:PrivateKey", "tls_private_key"),
        ("aws:rds/instance:Instance", "aws_db_instance"),
        ("aws:rds/subnetGroup:SubnetGroup", "aws_db_subnet_group"),
        ("aws:rds/cluster:Cluster", "aws_rds_cluster"),
        ("aws:lb/loadBalancer:LoadBalancer", "aws_lb"),
        ("aws:lb/targetGroup:TargetGroup", "aws_lb_target_group"),
        ("aws:alb/loadBalancer:LoadBalancer", "aws_alb"),
        ("aws:cloudtrail/trail:Trail", "aws_cloudtrail"),
        ("aws:apigateway/restApi:RestApi", "aws_api_gateway_rest_api"),
        ("aws:apigateway/response:Response", "aws_api_gateway_gateway_response"),
        ("aws:cfg/rule:Rule", "aws_config_config_rule"),
        ("aws:amp/workspace:Workspace", "aws_prometheus_workspace"),
        ("aws:autoscaling/tag:Tag", "aws_autoscaling_group_tag"),
        (
            "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
            "aws_ec2_transit_gateway_vpc_attachment",
        ),
        ("aws:ec2transitgateway/transitGateway:TransitGateway", "aws_ec2_transit_gateway"),
        ("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "aws_iam_openid_connect_provider"),
        ("aws:s3/bucketObjectv2:BucketObjectv2", "aws_s3_object"),
        ("gcp:serviceaccount/account:Account", "google_service_account"),
        ("gcp:serviceaccount/iAMMember:IAMMember", "google_service_account_iam_member"),
        ("gcp:projects/service:Service", "google_project_service"),
        ("gcp:projects/iAMMember:IAMMember", "google_project_iam_member"),
        ("gcp:organizations/project:Project", "google_project"),
        ("gcp:cloudrun/service:Service", "google_cloud_run_service"),
        ("gcp:cloudrunv2/service:Service", "google_cloud_run_v2_service"),
        ("gcp:secretmanager/secret:Secret", "google_secret_manager_secret"),
        ("azure-native:network:PublicIPAddress", "azurerm_public_ip"),
        ("azure-native:storage:BlobContainer", "azurerm_storage_container"),
        ("azure-native:compute:Disk", "azurerm_managed_disk"),
        ("azure-native:containerservice:ManagedCluster", "azurerm_kubernetes_cluster"),
        (
            "azure-native:containerservice/v20240702:AgentPool",
            "azurerm_kubernetes_cluster_node_pool",
        ),
        (
            "azure-native:authorization:ManagementLockAtResourceGroupLevel",
            "azurerm_management_lock",
        ),
    ],
)
def test_terraform_types(token: str, tf_type: str) -> None:
    assert terraform_type(token) == tf_type


def test_instance_objects_become_blocks_and_plural_blocks_singular() -> None:
    got = translate(
        "aws:ec2/instance:Instance",
        {
            "instanceType": "p4d.24xlarge",
            "instanceMarketOptions": {"marketType": "spot", "spotOptions": {"maxPrice": "20"}},
            "rootBlockDevice": {"volumeSize": 500, "volumeType": "gp3"},
            "ebsBlockDevices": [{"deviceName": "/dev/sdf", "volumeSize": 100}],
            "tags": {"costCenter": "ml", "Name": "x"},
        },
    )
    assert got.type == "aws_instance"
    assert got.attributes == {
        "instance_type": "p4d.24xlarge",
        "instance_market_options": (
            {"market_type": "spot", "spot_options": ({"max_price": "20"},)},
        ),
        "root_block_device": ({"volume_size": 500, "volume_type": "gp3"},),
        "ebs_block_device": ({"device_name": "/dev/sdf", "volume_size": 100},),
        "tags": {"costCenter": "ml", "Name": "x"},  # user keys are data: not converted
    }
    assert got.keys["ebsBlockDevices"] == "ebs_block_device"


def test_autoscaling_group_tags_list_is_the_tag_block() -> None:
    got = translate(
        "aws:autoscaling/group:Group",
        {
            "desiredCapacity": 3,
            "tags": [{"key": "team", "value": "ml", "propagateAtLaunch": True}],
            "mixedInstancesPolicy": {
                "launchTemplate": {
                    "launchTemplateSpecification": {"launchTemplateId": UNKNOWN},
                    "overrides": [{"instanceType": "g5.xlarge"}],
                }
            },
        },
    )
    assert got.attributes["tag"] == ({"key": "team", "value": "ml", "propagate_at_launch": True},)
    assert "tags" not in got.attributes
    spec = got.attributes["mixed_instances_policy"][0]["launch_template"][0]
    assert spec["override"] == ({"instance_type": "g5.xlarge"},)
    assert spec["launch_template_specification"][0]["launch_template_id"] is UNKNOWN


def test_s3_lifecycle_rules_in_terraform_shape() -> None:
    got = translate(
        "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
        {
            "bucket": "b",
            "rules": [
                {
                    "id": "r",
                    "status": "Enabled",
                    "filter": {"prefix": "logs/"},
                    "transitions": [{"days": 30, "storageClass": "GLACIER"}],
                    "expiration": {"days": 90},
                }
            ],
        },
    )
    assert got.attributes["rule"] == (
        {
            "id": "r",
            "status": "Enabled",
            "filter": ({"prefix": "logs/"},),
            "transition": ({"days": 30, "storage_class": "GLACIER"},),
            "expiration": ({"days": 90},),
        },
    )


def test_legacy_bucket_inline_lifecycle_rules() -> None:
    got = translate(
        "aws:s3/bucket:Bucket",
        {
            "lifecycleRules": [
                {
                    "enabled": True,
                    "prefix": "tmp/",
                    "expiration": {"days": 7},
                    "transitions": [{"days": 1, "storageClass": "ONEZONE_IA"}],
                }
            ]
        },
    )
    assert got.attributes["lifecycle_rule"][0]["transition"] == (
        {"days": 1, "storage_class": "ONEZONE_IA"},
    )


def test_gcp_instance_node_pool_and_bucket_shapes() -> None:
    vm = translate(
        "gcp:compute/instance:Instance",
        {
            "machineType": "a2-highgpu-1g",
            "zone": "us-central1-a",
            "bootDisk": {"initializeParams": {"size": 200, "type": "pd-ssd"}},
            "scheduling": {"preemptible": True, "provisioningModel": "SPOT"},
            "guestAccelerators": [{"type": "nvidia-tesla-a100", "count": 1}],
            "labels": {"team": "ml"},
        },
    )
    assert vm.attributes["boot_disk"][0]["initialize_params"][0]["size"] == 200
    assert vm.attributes["scheduling"][0]["provisioning_model"] == "SPOT"
    assert vm.attributes["guest_accelerator"] == ({"type": "nvidia-tesla-a100", "count": 1},)
    pool = translate(
        "gcp:container/nodePool:NodePool",
        {
            "nodeCount": 2,
            "nodeConfig": {
                "machineType": "g2-standard-8",
                "spot": True,
                "labels": {"nodeRole": "gpu"},
                "guestAccelerators": [{"type": "nvidia-l4", "count": 1}],
            },
        },
    )
    config = pool.attributes["node_config"][0]
    assert config["labels"] == {"nodeRole": "gpu"}
    assert config["guest_accelerator"] == ({"type": "nvidia-l4", "count": 1},)
    bucket = translate(
        "gcp:storage/bucket:Bucket",
        {
            "lifecycleRules": [
                {
                    "action": {"type": "SetStorageClass", "storageClass": "NEARLINE"},
                    "condition": {"age": 30, "matchesStorageClasses": ["STANDARD"]},
                }
            ]
        },
    )
    rule = bucket.attributes["lifecycle_rule"][0]
    assert rule["action"] == ({"type": "SetStorageClass", "storage_class": "NEARLINE"},)
    assert rule["condition"] == ({"age": 30, "matches_storage_class": ("STANDARD",)},)


def test_azure_classic_vm_and_management_policy() -> None:
    vm = translate(
        "azure:compute/linuxVirtualMachine:LinuxVirtualMachine",
        {
            "size": "Standard_NC24ads_A100_v4",
            "location": "East US",
            "priority": "Spot",
            "osDisk": {"storageAccountType": "Premium_LRS", "diskSizeGb": 256},
            "adminSshKeys": [{"username": "a", "publicKey": "k"}],
        },
    )
    assert vm.attributes["os_disk"] == (
        {"storage_account_type": "Premium_LRS", "disk_size_gb": 256},
    )
    assert vm.attributes["admin_ssh_key"] == ({"username": "a", "public_key": "k"},)
    policy = translate(
        "azure:storage/managementPolicy:ManagementPolicy",
        {
            "storageAccountId": UNKNOWN,
            "rules": [
                {
                    "name": "tier",
                    "enabled": True,
                    "filters": {"blobTypes": ["blockBlob"], "prefixMatches": ["ckpt/"]},
                    "actions": {
                        "baseBlob": {
                            "tierToCoolAfterDaysSinceModificationGreaterThan": 30,
                            "deleteAfterDaysSinceModificationGreaterThan": 180,
                        }
                    },
                }
            ],
        },
    )
    rule = policy.attributes["rule"][0]
    assert rule["filters"] == ({"blob_types": ("blockBlob",), "prefix_match": ("ckpt/",)},)
    assert rule["actions"][0]["base_blob"] == (
        {
            "tier_to_cool_after_days_since_modification_greater_than": 30,
            "delete_after_days_since_modification_greater_than": 180,
        },
    )


def test_azure_native_resources_translated_field_by_field() -> None:
    vm = translate(
        "azure-native:compute/v20240301:VirtualMachine",
        {
            "vmName": "trainer",
            "location": "westeurope",
            "priority": "Spot",
            "evictionPolicy": "Deallocate",
            "billingProfile": {"maxPrice": -1},
            "hardwareProfile": {"vmSize": "Standard_NC24ads_A100_v4"},
            "storageProfile": {
                "osDisk": {
                    "osType": "Windows",
                    "diskSizeGB": 512,
                    "managedDisk": {"storageAccountType": "Premium_LRS"},
                }
            },
            "tags": {"team": "ml"},
        },
    )
    assert vm.type == "azurerm_windows_virtual_machine"
    assert vm.attributes["size"] == "Standard_NC24ads_A100_v4"
    assert (vm.attributes["priority"], vm.attributes["max_bid_price"]) == ("Spot", -1)
    assert vm.attributes["os_disk"] == (
        {"storage_account_type": "Premium_LRS", "disk_size_gb": 512, "caching": None},
    )
    linux = translate(
        "azure-native:compute:VirtualMachine",
        {"hardwareProfile": {"vmSize": "Standard_D4s_v5"}, "osProfile": {"linuxConfiguration": {}}},
    )
    assert linux.type == "azurerm_linux_virtual_machine"
    assert linux.attributes["priority"] == "Regular"
    account = translate(
        "azure-native:storage:StorageAccount",
        {
            "accountName": "ckpts",
            "kind": "StorageV2",
            "sku": {"name": "Standard_GRS"},
            "accessTier": "Hot",
            "location": "westeurope",
        },
    )
    assert (
        account.attributes["account_tier"],
        account.attributes["account_replication_type"],
        account.attributes["account_kind"],
    ) == ("Standard", "GRS", "StorageV2")


def test_azure_native_management_policy_links_its_account() -> None:
    prefix = "urn:pulumi:dev::p::"
    account = {
        "urn": prefix + "azure-native:storage:StorageAccount::ckpts",
        "custom": True,
        "type": "azure-native:storage:StorageAccount",
        "inputs": {
            "accountName": "ckpts",
            "sku": {"name": "Standard_LRS"},
            "location": "westeurope",
            "tags": {"team": "ml"},
        },
    }
    policy = {
        "urn": prefix + "azure-native:storage:ManagementPolicy::tiering",
        "custom": True,
        "type": "azure-native:storage:ManagementPolicy",
        "inputs": {
            "accountName": "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
            "policy": {
                "rules": [
                    {
                        "name": "cool",
                        "enabled": True,
                        "type": "Lifecycle",
                        "definition": {
                            "filters": {"blobTypes": ["blockBlob"]},
                            "actions": {
                                "baseBlob": {
                                    "tierToCool": {"daysAfterModificationGreaterThan": 30},
                                    "delete": {"daysAfterModificationGreaterThan": 365},
                                }
                            },
                        },
                    }
                ]
            },
        },
        "propertyDependencies": {"accountName": [account["urn"]]},
    }
    reader = StateReader([account, policy], path="x", origin=Origin.PULUMI_PREVIEW)
    res = reader.resource(policy, input_values(policy), Action.CREATE)
    assert res.type == "azurerm_storage_management_policy"
    assert res.references["storage_account_id"] == ("azurerm_storage_account.ckpts",)
    assert res.attr("storage_account_id") is UNKNOWN
    assert res.block("rule", "actions", "base_blob") == {
        "tier_to_cool_after_days_since_modification_greater_than": 30,
        "delete_after_days_since_modification_greater_than": 365,
    }
    acct = reader.resource(account, input_values(account), Action.CREATE)
    assert (acct.provider, acct.region, dict(acct.tags)) == (
        "azurerm",
        "westeurope",
        {"team": "ml"},
    )
