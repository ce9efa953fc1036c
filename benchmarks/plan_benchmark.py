"""Time `costgate check --format json` on generated plans of 1k, 10k and 50k resources.

Run on demand (not part of the test suite):  python benchmarks/plan_benchmark.py [sizes...]

For each size it prints the time of `json.load` alone, of the whole check in a fresh
process, and their ratio. Target (issue 3): a 10k-resource check within 3x json.load + 0.2 s.
Also prints `costgate --help` start-up next to a bare `python -c pass`. The check reads a
one-line usage file (an S3 type default), so recording which usage keys pricing reads is
timed too; `--no-usage` times the check without one.

The plans are what `terraform show -json` writes for such a stack: each resource carries
the provider's whole attribute set (unset arguments as null, computed attributes in
`after_unknown`, as in the real AWS plan `tfcompliance_test_issue-456` in the shared
fixtures), and `planned_values` repeats every resource. `--minimal` writes the earlier,
smaller documents with only the attributes costgate reads, for comparison.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from planfactory import Res, aws_provider, plan

GPU = ["p4d.24xlarge", "g5.12xlarge", "p5.48xlarge", "g6.xlarge", "trn1.32xlarge"]
COMPUTE = ["m5.xlarge", "c5.2xlarge", "r5.large", "t3.micro"]
TAGS = {
    "team": "ml",
    "project": "bench",
    "environment": "development",
    "experiment_id": "exp-1",
    "cost_center": "ml",
}


# What the AWS provider writes for a created resource besides the arguments set in the
# configuration: unset optional arguments as null or empty blocks, and the computed
# attributes as unknown (key sets as in the shared fixture tfcompliance_test_issue-456).
INSTANCE_UNSET = {
    "ami": "ami-0c55b159cbfafe1f0",
    "credit_specification": [],
    "disable_api_termination": None,
    "ebs_optimized": None,
    "get_password_data": False,
    "hibernation": None,
    "iam_instance_profile": None,
    "instance_initiated_shutdown_behavior": None,
    "monitoring": None,
    "source_dest_check": True,
    "timeouts": None,
    "user_data": None,
    "user_data_base64": None,
}
INSTANCE_COMPUTED = dict.fromkeys(
    (
        "arn",
        "associate_public_ip_address",
        "availability_zone",
        "cpu_core_count",
        "cpu_threads_per_core",
        "enclave_options",
        "ephemeral_block_device",
        "host_id",
        "id",
        "instance_state",
        "ipv6_address_count",
        "ipv6_addresses",
        "key_name",
        "metadata_options",
        "network_interface",
        "outpost_arn",
        "password_data",
        "placement_group",
        "primary_network_interface_id",
        "private_dns",
        "private_ip",
        "public_dns",
        "public_ip",
        "secondary_private_ips",
        "security_groups",
        "subnet_id",
        "tenancy",
        "volume_tags",
        "vpc_security_group_ids",
    ),
    True,
)
VOLUME_UNSET = {
    "encrypted": None,
    "final_snapshot": False,
    "multi_attach_enabled": None,
    "outpost_arn": None,
    "snapshot_id": None,
    "timeouts": None,
}
VOLUME_COMPUTED = dict.fromkeys(
    (
        "arn",
        "id",
        "kms_key_id",
        "throughput",
    ),
    True,
)
BUCKET_UNSET = {
    "acl": "private",
    "bucket_prefix": None,
    "cors_rule": [],
    "force_destroy": False,
    "grant": [],
    "lifecycle_rule": [],
    "logging": [],
    "object_lock_configuration": [],
    "policy": None,
    "replication_configuration": [],
    "server_side_encryption_configuration": [],
    "website": [],
}
BUCKET_COMPUTED = dict.fromkeys(
    (
        "acceleration_status",
        "arn",
        "bucket_domain_name",
        "bucket_regional_domain_name",
        "hosted_zone_id",
        "id",
        "region",
        "request_payer",
        "versioning",
        "website_domain",
        "website_endpoint",
    ),
    True,
)
LIFECYCLE_RULE_UNSET = {
    "abort_incomplete_multipart_upload": [],
    "noncurrent_version_expiration": [],
    "noncurrent_version_transition": [],
    "prefix": "",
}


def resources(n: int, *, complete: bool = True) -> list[Res]:
    """A mixed stack: GPU and general instances, volumes, buckets with lifecycle, modules."""

    def full(unset: dict[str, object], values: dict[str, object]) -> dict[str, object]:
        return {**unset, **values} if complete else values

    def unknown(computed: dict[str, object], minimal: dict[str, object]) -> dict[str, object]:
        return {**computed, **minimal} if complete else minimal

    out: list[Res] = []
    i = 0
    while len(out) < n:
        module = f"module.team{i % 20}" if i % 3 else ""
        kind = i % 5
        if kind == 0:
            out.append(
                Res(
                    "aws_instance",
                    "gpu",
                    full(
                        INSTANCE_UNSET,
                        {
                            "instance_type": GPU[i % len(GPU)],
                            "instance_market_options": [{"market_type": "spot"}] if i % 2 else [],
                            "root_block_device": [{"volume_type": "gp3", "volume_size": 200}],
                            "ebs_block_device": [],
                            "tags": TAGS,
                            "tags_all": TAGS,
                        },
                    ),
                    unknown=unknown(INSTANCE_COMPUTED, {"id": True, "arn": True}),
                    module=module,
                    index=i,
                )
            )
        elif kind == 1:
            out.append(
                Res(
                    "aws_instance",
                    "cpu",
                    full(
                        INSTANCE_UNSET,
                        {
                            "instance_type": COMPUTE[i % len(COMPUTE)],
                            "root_block_device": [],
                            "ebs_block_device": [],
                            "tags": TAGS,
                            "tags_all": TAGS,
                        },
                    ),
                    unknown=unknown(INSTANCE_COMPUTED, {"id": True, "root_block_device": True}),
                    module=module,
                    index=i,
                )
            )
        elif kind == 2:
            out.append(
                Res(
                    "aws_ebs_volume",
                    "data",
                    full(
                        VOLUME_UNSET,
                        {
                            "availability_zone": "us-east-1a",
                            "type": "gp3",
                            "size": 500 + i % 1000,
                            "iops": 3000 + i % 4000,
                            "tags": TAGS,
                            "tags_all": TAGS,
                        },
                    ),
                    unknown=unknown(VOLUME_COMPUTED, {"id": True}),
                    module=module,
                    index=i,
                )
            )
        else:
            out.append(
                Res(
                    "aws_s3_bucket",
                    "ckpt",
                    full(
                        BUCKET_UNSET,
                        {
                            "bucket": f"ckpt-{i}",
                            "tags": TAGS,
                            "tags_all": TAGS,
                        },
                    ),
                    unknown=unknown(BUCKET_COMPUTED, {"id": True}),
                    module=module,
                    index=i,
                )
            )
            out.append(
                Res(
                    "aws_s3_bucket_lifecycle_configuration",
                    "ckpt",
                    full(
                        {"expected_bucket_owner": None, "timeouts": None},
                        {
                            "rule": [
                                full(
                                    LIFECYCLE_RULE_UNSET,
                                    {
                                        "id": "tier",
                                        "status": "Enabled",
                                        "filter": [{"prefix": ""}],
                                        "transition": [
                                            {"days": 30, "storage_class": "STANDARD_IA"},
                                            {"days": 90, "storage_class": "GLACIER"},
                                        ],
                                        "expiration": [{"days": 365}],
                                    },
                                )
                            ]
                        },
                    ),
                    unknown={"id": True, "bucket": True},
                    module=module,
                    index=i,
                    references={"bucket": ["aws_s3_bucket.ckpt.id", "aws_s3_bucket.ckpt"]},
                )
            )
        i += 1
    return out[:n]


def timed(func: object) -> float:
    start = time.perf_counter()
    func()  # type: ignore[operator]
    return time.perf_counter() - start


def best_of(n: int, func: object) -> float:
    return min(timed(func) for _ in range(n))


LOAD = (
    "import gc, json, sys, time\n"
    "if sys.argv[2] == 'off':\n    gc.disable()\n"
    "start = time.perf_counter()\n"
    "json.load(open(sys.argv[1], 'rb'))\n"
    "print(time.perf_counter() - start)"
)


def json_load(path: Path, gc: str) -> float:
    """Best of three `json.load` of *path* in a fresh interpreter, like the check's own."""
    return min(
        float(
            subprocess.run(
                [sys.executable, "-c", LOAD, str(path), gc],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        for _ in range(3)
    )


def main(sizes: list[int], *, complete: bool = True, with_usage: bool = True) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        usage = Path(tmp) / "usage.yml"
        usage.write_text("version: 1\ndefaults:\n  aws_s3_bucket:\n    storage_gb: 1000\n")
        bare = best_of(3, lambda: subprocess.run([sys.executable, "-c", "pass"], check=True))
        helps = best_of(
            3,
            lambda: subprocess.run(
                [sys.executable, "-m", "costgate", "--help"], check=True, capture_output=True
            ),
        )
        print(
            f"start-up: python -c pass {bare * 1000:.0f} ms; "
            f"costgate --help {helps * 1000:.0f} ms (+{(helps - bare) * 1000:.0f} ms)"
        )
        print(
            "json.load: in a fresh interpreter, as Python runs it (cyclic GC on; costgate "
            "turns it off for a run) and with GC off; target = 3 x json.load + 0.2 s"
        )
        print(
            f"{'resources':>10} {'MB':>6} {'json.load':>10} {'(GC off)':>9} {'check':>8} "
            f"{'ratio':>6} {'target':>8} {'(GC off)':>9}"
        )
        for n in sizes:
            path = Path(tmp) / f"plan-{n}.json"
            doc = plan(
                resources(n, complete=complete),
                {"aws": aws_provider("us-east-1", TAGS)},
                complete=complete,
            )
            path.write_text(json.dumps(doc, separators=(",", ":")))  # compact, as Terraform
            del doc
            command = [
                sys.executable,
                "-m",
                "costgate",
                "check",
                str(path),
                "--format",
                "json",
                *(["--usage", str(usage)] if with_usage else []),
                "-o",
                str(Path(tmp) / "out.json"),
            ]
            load, load_off = json_load(path, "on"), json_load(path, "off")
            whole = best_of(3, lambda: subprocess.run(command, check=False))  # noqa: B023
            target, target_off = 3 * load + 0.2, 3 * load_off + 0.2
            print(
                f"{n:>10} {path.stat().st_size / 1e6:>6.1f} {load:>9.3f}s {load_off:>8.3f}s "
                f"{whole:>7.3f}s {whole / load:>6.1f} {target:>7.3f}s {target_off:>8.3f}s"
                f"{'  ok' if whole <= target else '  SLOW'}"
                f"{'' if whole <= target_off else ' (SLOW against GC-off json.load)'}"
            )


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 50000])
    parser.add_argument("--minimal", action="store_true", help="only the attributes read")
    parser.add_argument("--no-usage", action="store_true", help="check without a usage file")
    parsed = parser.parse_args()
    main(parsed.sizes, complete=not parsed.minimal, with_usage=not parsed.no_usage)
