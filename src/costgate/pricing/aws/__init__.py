"""AWS pricers, keyed by Terraform resource type."""

from __future__ import annotations

from costgate.pricing.aws import autoscaling, ec2, eks, s3, sagemaker
from costgate.pricing.quote import Pricer

PRICERS: dict[str, Pricer] = {
    "aws_instance": ec2.price_instance,
    "aws_ec2_capacity_block_reservation": ec2.price_capacity_block_reservation,
    "aws_ec2_host": ec2.price_dedicated_host,
    "aws_spot_instance_request": ec2.price_spot_instance_request,
    "aws_ebs_volume": ec2.price_ebs_volume,
    "aws_autoscaling_group": autoscaling.price_autoscaling_group,
    "aws_eks_node_group": autoscaling.price_eks_node_group,
    "aws_eks_cluster": eks.price_eks_cluster,
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
