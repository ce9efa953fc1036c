"""Time reading a ~50-resource Pulumi Python program (target: under 3 s, SDK import included).

Writes a program using pulumi_aws (instances, volumes, buckets with lifecycle rules, launch
templates with Auto Scaling groups) to a temporary directory and times `read_input` on it:
the child process start, `import pulumi` and `pulumi_aws`, the program under mocks, and the
conversion into resources. Run from the repo root: `python benchmarks/bench_pulumi_program.py`.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

GROUPS = 5
"""Each group registers 10 resources: 50 in all."""

PROGRAM = """
import pulumi
import pulumi_aws as aws

for i in range({groups}):
    aws.ec2.Instance(f"trainer-{{i}}", ami="ami-0c55b159cbfafe1f0", instance_type="g5.12xlarge",
                     instance_market_options={{"market_type": "spot"}},
                     root_block_device={{"volume_type": "gp3", "volume_size": 200}},
                     tags={{"team": "ml", "experiment_id": f"exp-{{i}}"}})
    aws.ec2.Instance(f"eval-{{i}}", ami="ami-0c55b159cbfafe1f0", instance_type="g5.xlarge",
                     tags={{"team": "ml"}})
    aws.ebs.Volume(f"data-{{i}}", availability_zone="us-east-1a", type="gp3", size=1000,
                   iops=6000, throughput=250)
    bucket = aws.s3.Bucket(f"ckpt-{{i}}", tags={{"team": "ml"}})
    aws.s3.BucketLifecycleConfiguration(f"ckpt-{{i}}", bucket=bucket.id, rules=[{{
        "id": "tier", "status": "Enabled", "filter": {{"prefix": "ckpt/"}},
        "transitions": [{{"days": 30, "storage_class": "STANDARD_IA"}},
                        {{"days": 90, "storage_class": "GLACIER"}}],
        "expiration": {{"days": 365}}}}])
    template = aws.ec2.LaunchTemplate(f"workers-{{i}}", instance_type="c5.xlarge",
                                      image_id="ami-0c55b159cbfafe1f0")
    aws.autoscaling.Group(f"workers-{{i}}", desired_capacity=3, min_size=1, max_size=6,
                          availability_zones=["us-east-1a"],
                          launch_template={{"id": template.id, "version": "$Latest"}})
    aws.ebs.Volume(f"scratch-{{i}}", availability_zone="us-east-1b", type="gp2", size=500)
    aws.iam.Role(f"role-{{i}}", assume_role_policy="{{}}")
    aws.sagemaker.NotebookInstance(f"nb-{{i}}", instance_type="ml.t3.medium",
                                   role_arn="arn:aws:iam::123456789012:role/sm")
"""


def main(runs: int = 5) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from costgate.inputs import read_input

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "Pulumi.yaml").write_text("name: bench\nruntime: python\n")
        (root / "Pulumi.dev.yaml").write_text("config:\n  aws:region: us-east-1\n")
        (root / "__main__.py").write_text(PROGRAM.format(groups=GROUPS))
        timings = []
        count = 0
        for _ in range(runs):
            started = time.perf_counter()
            stack = read_input(root)
            timings.append(time.perf_counter() - started)
            count = len(stack.resources)
    print(
        f"{count} resources; read_input over {runs} runs: "
        f"min {min(timings):.2f} s, median {statistics.median(timings):.2f} s, "
        f"max {max(timings):.2f} s (target < 3 s)"
    )


if __name__ == "__main__":
    main()
