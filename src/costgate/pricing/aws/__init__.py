"""AWS pricers, keyed by Terraform resource type."""

from __future__ import annotations

from costgate.pricing.aws import (
    autoscaling,
    capacity_reservation,
    ebs_snapshot,
    ec2,
    eks,
    logs,
    messaging,
    network,
    s3,
    s3_features,
    sagemaker,
    security,
)
from costgate.pricing.quote import Pricer

PRICERS: dict[str, Pricer] = {
    "aws_instance": ec2.price_instance,
    "aws_ec2_capacity_block_reservation": ec2.price_capacity_block_reservation,
    "aws_ec2_host": ec2.price_dedicated_host,
    "aws_spot_instance_request": ec2.price_spot_instance_request,
    "aws_ebs_volume": ec2.price_ebs_volume,
    "aws_ebs_snapshot": ebs_snapshot.price_ebs_snapshot,
    "aws_ebs_snapshot_copy": ebs_snapshot.price_ebs_snapshot_copy,
    "aws_ebs_fast_snapshot_restore": ebs_snapshot.price_fast_snapshot_restore,
    "aws_autoscaling_group": autoscaling.price_autoscaling_group,
    "aws_eks_node_group": autoscaling.price_eks_node_group,
    "aws_eks_cluster": eks.price_eks_cluster,
    "aws_s3_bucket": s3.price_bucket,
    "aws_sagemaker_notebook_instance": sagemaker.price_notebook_instance,
    "aws_sagemaker_endpoint_configuration": sagemaker.price_endpoint_configuration,
    "aws_kms_key": security.price_kms_key,
    "aws_secretsmanager_secret": security.price_secretsmanager_secret,
    "aws_acmpca_certificate_authority": security.price_acmpca_certificate_authority,
    "aws_acmpca_certificate": security.price_acmpca_certificate,
    "aws_eip": network.price_eip,
    "aws_route53_zone": network.price_route53_zone,
    "aws_vpc_endpoint": network.price_vpc_endpoint,
    "aws_nat_gateway": network.price_nat_gateway,
    "aws_cloudwatch_log_group": logs.price_cloudwatch_log_group,
    "aws_ec2_capacity_reservation": capacity_reservation.price_capacity_reservation,
    "aws_acm_certificate": security.price_acm_certificate,
    "aws_sqs_queue": messaging.price_sqs_queue,
    "aws_s3_bucket_inventory": s3_features.price_bucket_inventory,
    "aws_s3_bucket_analytics_configuration": s3_features.price_bucket_analytics,
    "aws_s3_bucket_metric": s3_features.price_bucket_metric,
    "aws_s3_bucket_accelerate_configuration": s3_features.price_bucket_accelerate,
    "aws_s3_directory_bucket": s3_features.price_directory_bucket,
    "aws_s3tables_table": s3_features.price_s3tables_table,
}

PRICED_ELSEWHERE: dict[str, str] = {
    "aws_launch_template": "priced through the Auto Scaling group or node group that uses it",
    "aws_launch_configuration": "priced through the Auto Scaling group that uses it",
    "aws_s3_bucket_lifecycle_configuration": "priced with its bucket's storage",
    "aws_sagemaker_endpoint": "priced through its endpoint configuration",
    "aws_s3_object": "stored in its bucket: billed as that bucket's storage (usage file "
    "`storage_gb` of the aws_s3_bucket)",
}
