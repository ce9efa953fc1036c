"""AWS pricers, keyed by Terraform resource type."""

from __future__ import annotations

from costgate.pricing.aws import autoscaling, ec2, s3, sagemaker
from costgate.pricing.quote import Pricer

PRICERS: dict[str, Pricer] = {
    "aws_instance": ec2.price_instance,
    "aws_spot_instance_request": ec2.price_spot_instance_request,
    "aws_ebs_volume": ec2.price_ebs_volume,
    "aws_autoscaling_group": autoscaling.price_autoscaling_group,
    "aws_eks_node_group": autoscaling.price_eks_node_group,
    "aws_s3_bucket": s3.price_bucket,
    "aws_sagemaker_notebook_instance": sagemaker.price_notebook_instance,
    "aws_sagemaker_endpoint_configuration": sagemaker.price_endpoint_configuration,
}

PRICED_ELSEWHERE: dict[str, str] = {
    "aws_launch_template": "priced through the Auto Scaling group or node group that uses it",
    "aws_launch_configuration": "priced through the Auto Scaling group that uses it",
    "aws_s3_bucket_lifecycle_configuration": "priced with its bucket's storage",
    "aws_sagemaker_endpoint": "priced through its endpoint configuration",
}

FREE: frozenset[str] = frozenset(
    {
        "aws_iam_role",
        "aws_iam_policy",
        "aws_iam_role_policy",
        "aws_iam_role_policy_attachment",
        "aws_iam_instance_profile",
        "aws_iam_user",
        "aws_iam_group",
        "aws_iam_policy_document",
        "aws_security_group",
        "aws_security_group_rule",
        "aws_vpc_security_group_ingress_rule",
        "aws_vpc_security_group_egress_rule",
        "aws_vpc",
        "aws_subnet",
        "aws_route_table",
        "aws_route_table_association",
        "aws_route",
        "aws_internet_gateway",
        "aws_key_pair",
        "aws_placement_group",
        "aws_s3_bucket_policy",
        "aws_s3_bucket_acl",
        "aws_s3_bucket_versioning",
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_ownership_controls",
        "aws_s3_bucket_notification",
        "aws_sagemaker_notebook_instance_lifecycle_configuration",
        "aws_eks_addon",
        "aws_eks_access_entry",
        "aws_ecr_lifecycle_policy",
        "aws_lambda_permission",
        "aws_cloudwatch_log_stream",
        "aws_sns_topic_subscription",
        "aws_ssm_parameter",
    }
)
"""Resource types AWS does not bill for (configuration, not capacity)."""
