"""Regenerate the hand-made plan fixtures in fixtures/terraform-plan/ (run from the repo root).

The plans mirror the `main.tf` beside them, in the shape `terraform show -json` emits for
Terraform 1.9: unknown ids in `after_unknown`, `tags_all` computed from `default_tags`,
references in `configuration`, module provider mapping to an aliased provider.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from planfactory import Res, aws_provider, dump, plan

ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "terraform-plan"

DEFAULT_TAGS = {
    "team": "nlp-research",
    "project": "llm-finetune",
    "environment": "development",
    "cost_center": "engineering-ml",
}


def tagged(tags: dict[str, str], defaults: dict[str, str] | None = None) -> dict[str, object]:
    return {"tags": tags, "tags_all": {**(defaults or {}), **tags}}


def training_resources() -> list[Res]:
    return [
        Res(
            "aws_instance",
            "trainer",
            {
                "ami": "ami-0c55b159cbfafe1f0",
                "instance_type": "p4d.24xlarge",
                "instance_market_options": [{"market_type": "spot", "spot_options": []}],
                "root_block_device": [
                    {"volume_type": "gp3", "volume_size": 500, "delete_on_termination": True}
                ],
                "ebs_block_device": [],
                **tagged(
                    {"Name": "llm-trainer", "phase": "training", "experiment_id": "exp-2026-042"},
                    DEFAULT_TAGS,
                ),
            },
            unknown={
                "id": True,
                "arn": True,
                "availability_zone": True,
                "public_ip": True,
                "root_block_device": [{"iops": True, "throughput": True, "volume_id": True}],
                "instance_market_options": [{"spot_options": True}],
            },
        ),
        Res(
            "aws_ebs_volume",
            "dataset",
            {
                "availability_zone": "us-east-1a",
                "type": "gp3",
                "size": 1000,
                "iops": 6000,
                "throughput": 250,
                **tagged({"Name": "dataset-cache", "experiment_id": "exp-2026-042"}, DEFAULT_TAGS),
            },
            unknown={"id": True, "arn": True},
        ),
        Res(
            "aws_s3_bucket",
            "checkpoints",
            {
                "bucket": "nlp-research-llm-checkpoints",
                "force_destroy": False,
                **tagged({"experiment_id": "exp-2026-042"}, DEFAULT_TAGS),
            },
            unknown={"id": True, "arn": True, "lifecycle_rule": True, "region": True},
        ),
        Res(
            "aws_s3_bucket_lifecycle_configuration",
            "checkpoints",
            {
                "rule": [
                    {
                        "id": "checkpoints-cleanup",
                        "status": "Enabled",
                        "filter": [{"prefix": "checkpoints/", "and": [], "tag": []}],
                        "transition": [
                            {"days": 30, "storage_class": "STANDARD_IA", "date": None},
                            {"days": 60, "storage_class": "GLACIER", "date": None},
                        ],
                        "expiration": [
                            {"days": 180, "date": None, "expired_object_delete_marker": False}
                        ],
                        "noncurrent_version_transition": [],
                        "noncurrent_version_expiration": [],
                    }
                ],
            },
            unknown={"id": True, "bucket": True},
            references={"bucket": ["aws_s3_bucket.checkpoints.id", "aws_s3_bucket.checkpoints"]},
        ),
        Res(
            "aws_launch_template",
            "workers",
            {
                "name_prefix": "data-workers-",
                "instance_type": "c5.xlarge",
                "image_id": "ami-0c55b159cbfafe1f0",
                "block_device_mappings": [
                    {
                        "device_name": "/dev/xvda",
                        "ebs": [
                            {
                                "volume_size": 100,
                                "volume_type": "gp3",
                                "iops": None,
                                "throughput": None,
                            }
                        ],
                    }
                ],
                **tagged({"experiment_id": "exp-2026-042"}, DEFAULT_TAGS),
            },
            unknown={"id": True, "arn": True, "latest_version": True},
        ),
        Res(
            "aws_autoscaling_group",
            "workers",
            {
                "name": "data-workers",
                "min_size": 1,
                "max_size": 10,
                "desired_capacity": 5,
                "vpc_zone_identifier": ["subnet-0abc"],
                "mixed_instances_policy": [
                    {
                        "instances_distribution": [
                            {
                                "on_demand_base_capacity": 1,
                                "on_demand_percentage_above_base_capacity": 50,
                                "spot_allocation_strategy": "price-capacity-optimized",
                            }
                        ],
                        "launch_template": [
                            {
                                "launch_template_specification": [
                                    {"launch_template_id": None, "version": "$Latest"}
                                ],
                                "override": [
                                    {"instance_type": "c5.xlarge"},
                                    {"instance_type": "m5.xlarge"},
                                ],
                            }
                        ],
                    }
                ],
                "tag": [
                    {"key": "experiment_id", "value": "exp-2026-042", "propagate_at_launch": True}
                ],
            },
            unknown={
                "id": True,
                "arn": True,
                "mixed_instances_policy": [
                    {
                        "launch_template": [
                            {"launch_template_specification": [{"launch_template_id": True}]}
                        ]
                    }
                ],
            },
            references={
                "mixed_instances_policy.launch_template.launch_template_specification."
                "launch_template_id": [
                    "aws_launch_template.workers.id",
                    "aws_launch_template.workers",
                ]
            },
        ),
        Res(
            "aws_eks_node_group",
            "gpu",
            {
                "cluster_name": "training",
                "node_group_name": "gpu-spot",
                "instance_types": ["g5.12xlarge"],
                "capacity_type": "SPOT",
                "disk_size": 200,
                "subnet_ids": ["subnet-0abc"],
                "scaling_config": [{"desired_size": 2, "min_size": 0, "max_size": 8}],
                "labels": {"phase": "training"},
                **tagged({"phase": "training", "experiment_id": "exp-2026-042"}, DEFAULT_TAGS),
            },
            unknown={"id": True, "arn": True, "node_role_arn": True},
            module="module.eks",
            provider_key="aws.west",
        ),
        Res(
            "aws_sagemaker_notebook_instance",
            "research",
            {
                "name": "llm-research",
                "instance_type": "ml.t3.medium",
                "volume_size": 50,
                "role_arn": "arn:aws:iam::123456789012:role/sagemaker",
                "lifecycle_config_name": "auto-stop-idle",
                **tagged({"experiment_id": "exp-2026-042"}, DEFAULT_TAGS),
            },
            unknown={"id": True, "arn": True, "url": True},
            provider_key="aws.eu",
        ),
    ]


def training_providers() -> dict[str, object]:
    return {
        "aws": aws_provider("us-east-1", DEFAULT_TAGS),
        "aws.west": aws_provider("us-west-2", DEFAULT_TAGS, alias="west"),
        "aws.eu": aws_provider("eu-west-1", DEFAULT_TAGS, alias="eu"),
    }


CARELESS_TAGS = {
    "team": "cv-team",
    "project": "detector",
    "environment": "development",
    "cost_center": "engineering-ml",
    "experiment_id": "exp-2026-007",
}


def careless_resources() -> list[Res]:
    return [
        Res(
            "aws_instance",
            "trainer",
            {
                "ami": "ami-0c55b159cbfafe1f0",
                "instance_type": "p4d.24xlarge",
                "instance_market_options": [],
                "root_block_device": [{"volume_type": "gp2", "volume_size": 2000}],
                "ebs_block_device": [],
                **tagged({"Name": "trainer", "phase": "training"}),
            },
            unknown={"id": True, "arn": True},
        ),
        *[
            Res(
                "aws_instance",
                "dev_box",
                {
                    "ami": "ami-0c55b159cbfafe1f0",
                    "instance_type": "p5.48xlarge",
                    "instance_market_options": [],
                    "root_block_device": [],
                    "ebs_block_device": [],
                    **tagged(
                        {
                            "Name": f"dev-{i}",
                            "team": "cv-team",
                            "project": "detector",
                            "environment": "dev",
                            "cost_center": "engineering-ml",
                            "experiment_id": "exp-2026-007",
                        }
                    ),
                },
                unknown={"id": True, "arn": True, "root_block_device": True},
                index=i,
            )
            for i in range(2)
        ],
        Res(
            "aws_s3_bucket",
            "checkpoints",
            {
                "bucket": "cv-team-checkpoints",
                **tagged({"team": "cv-team"}),
            },
            unknown={"id": True, "arn": True, "lifecycle_rule": True, "region": True},
        ),
        Res(
            "aws_sagemaker_endpoint_configuration",
            "detector",
            {
                "name": "detector",
                "production_variants": [
                    {
                        "variant_name": "primary",
                        "model_name": "detector",
                        "instance_type": "ml.g4dn.xlarge",
                        "initial_instance_count": 2,
                        "serverless_config": [],
                    }
                ],
                **tagged(
                    {
                        "team": "cv-team",
                        "project": "detector",
                        "environment": "production",
                        "cost_center": "engineering-ml",
                        "experiment_id": "exp-2026-007",
                    }
                ),
            },
            unknown={"id": True, "arn": True},
            provider_key="aws.eu",
        ),
        Res(
            "aws_s3_bucket",
            "logs",
            {
                "bucket": "cv-team-training-logs",
                **tagged(CARELESS_TAGS),
            },
            unknown={"id": True, "arn": True, "lifecycle_rule": True, "region": True},
        ),
        # The seed's example rule, verbatim: S3 rejects STANDARD_IA at 7 days, and
        # 60 days in GLACIER before expiry pays for 30 more.
        Res(
            "aws_s3_bucket_lifecycle_configuration",
            "logs",
            {
                "rule": [
                    {
                        "id": "checkpoints-cleanup",
                        "status": "Enabled",
                        "filter": [{"prefix": "", "and": [], "tag": []}],
                        "transition": [
                            {"days": 7, "storage_class": "STANDARD_IA", "date": None},
                            {"days": 30, "storage_class": "GLACIER", "date": None},
                        ],
                        "expiration": [
                            {"days": 90, "date": None, "expired_object_delete_marker": False}
                        ],
                        "noncurrent_version_transition": [],
                        "noncurrent_version_expiration": [],
                    }
                ],
            },
            unknown={"id": True, "bucket": True},
            references={"bucket": ["aws_s3_bucket.logs.id", "aws_s3_bucket.logs"]},
        ),
        Res(
            "aws_sagemaker_notebook_instance",
            "scratch",
            {
                "name": "cv-scratch",
                "instance_type": "ml.g4dn.xlarge",
                "volume_size": 20,
                "role_arn": "arn:aws:iam::123456789012:role/sagemaker",
                "lifecycle_config_name": None,
                **tagged(CARELESS_TAGS),
            },
            unknown={"id": True, "arn": True, "url": True},
            provider_key="aws.eu",
        ),
        Res(
            "aws_iam_role",
            "trainer",
            {"name": "trainer", "assume_role_policy": "{}", **tagged({})},
            unknown={"id": True, "arn": True},
        ),
    ]


def base_state() -> dict[str, object]:
    """State before the training change: the trainer ran on-demand, no lifecycle yet."""
    trainer = {
        "address": "aws_instance.trainer",
        "mode": "managed",
        "type": "aws_instance",
        "name": "trainer",
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "schema_version": 1,
        "values": {
            "id": "i-0123456789abcdef0",
            "instance_type": "p4d.24xlarge",
            "availability_zone": "us-east-1b",
            "arn": "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0",
            "instance_market_options": [],
            "root_block_device": [
                {"volume_type": "gp3", "volume_size": 500, "iops": 3000, "throughput": 125}
            ],
            "ebs_block_device": [],
            **tagged(
                {"Name": "llm-trainer", "phase": "training", "experiment_id": "exp-2026-042"},
                DEFAULT_TAGS,
            ),
        },
    }
    bucket = {
        "address": "aws_s3_bucket.checkpoints",
        "mode": "managed",
        "type": "aws_s3_bucket",
        "name": "checkpoints",
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "schema_version": 0,
        "values": {
            "id": "nlp-research-llm-checkpoints",
            "bucket": "nlp-research-llm-checkpoints",
            "arn": "arn:aws:s3:::nlp-research-llm-checkpoints",
            "region": "us-east-1",
            "lifecycle_rule": [],
            **tagged({"experiment_id": "exp-2026-042"}, DEFAULT_TAGS),
        },
    }
    return {
        "format_version": "1.0",
        "terraform_version": "1.9.8",
        "values": {"root_module": {"resources": [trainer, bucket]}},
    }


def main() -> None:
    (ROOT / "ml-training" / "plan.json").write_text(
        dump(plan(training_resources(), training_providers()))
    )
    (ROOT / "ml-training" / "base-state.json").write_text(json.dumps(base_state(), indent=2) + "\n")
    (ROOT / "ml-careless" / "plan.json").write_text(
        dump(
            plan(
                careless_resources(),
                {"aws": aws_provider("us-east-1"), "aws.eu": aws_provider("eu-west-1", alias="eu")},
            )
        )
    )


if __name__ == "__main__":
    main()
