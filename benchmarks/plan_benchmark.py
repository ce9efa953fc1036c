"""Time `costgate check --format json` on generated plans of 1k, 10k and 50k resources.

Run on demand (not part of the test suite):  python benchmarks/plan_benchmark.py [sizes...]

For each size it prints the time of `json.load` alone, of the whole check in a fresh
process, and their ratio. Target (issue 3): a 10k-resource check within 3x json.load + 0.2 s.
Also prints `costgate --help` start-up next to a bare `python -c pass`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from planfactory import Res, aws_provider, dump, plan

GPU = ["p4d.24xlarge", "g5.12xlarge", "p5.48xlarge", "g6.xlarge", "trn1.32xlarge"]
COMPUTE = ["m5.xlarge", "c5.2xlarge", "r5.large", "t3.micro"]
TAGS = {"team": "ml", "project": "bench", "environment": "development",
        "experiment_id": "exp-1", "cost_center": "ml"}


def resources(n: int) -> list[Res]:
    """A mixed stack: GPU and general instances, volumes, buckets with lifecycle, modules."""
    out: list[Res] = []
    i = 0
    while len(out) < n:
        module = f"module.team{i % 20}" if i % 3 else ""
        kind = i % 5
        if kind == 0:
            out.append(Res("aws_instance", "gpu", {
                "instance_type": GPU[i % len(GPU)],
                "instance_market_options": [{"market_type": "spot"}] if i % 2 else [],
                "root_block_device": [{"volume_type": "gp3", "volume_size": 200}],
                "ebs_block_device": [], "tags": TAGS, "tags_all": TAGS,
            }, unknown={"id": True, "arn": True}, module=module, index=i))
        elif kind == 1:
            out.append(Res("aws_instance", "cpu", {
                "instance_type": COMPUTE[i % len(COMPUTE)], "root_block_device": [],
                "ebs_block_device": [], "tags": TAGS, "tags_all": TAGS,
            }, unknown={"id": True, "root_block_device": True}, module=module, index=i))
        elif kind == 2:
            out.append(Res("aws_ebs_volume", "data", {
                "availability_zone": "us-east-1a", "type": "gp3", "size": 500 + i % 1000,
                "iops": 3000 + i % 4000, "tags": TAGS, "tags_all": TAGS,
            }, unknown={"id": True}, module=module, index=i))
        else:
            out.append(Res("aws_s3_bucket", "ckpt", {"bucket": f"ckpt-{i}", "tags": TAGS,
                                                     "tags_all": TAGS},
                           unknown={"id": True}, module=module, index=i))
            out.append(Res("aws_s3_bucket_lifecycle_configuration", "ckpt", {"rule": [{
                "id": "tier", "status": "Enabled", "filter": [{"prefix": ""}],
                "transition": [{"days": 30, "storage_class": "STANDARD_IA"},
                               {"days": 90, "storage_class": "GLACIER"}],
                "expiration": [{"days": 365}]}]},
                unknown={"id": True, "bucket": True}, module=module, index=i,
                references={"bucket": ["aws_s3_bucket.ckpt.id", "aws_s3_bucket.ckpt"]}))
        i += 1
    return out[:n]


def timed(func: object) -> float:
    start = time.perf_counter()
    func()  # type: ignore[operator]
    return time.perf_counter() - start


def best_of(n: int, func: object) -> float:
    return min(timed(func) for _ in range(n))


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        usage = Path(tmp) / "usage.yml"
        usage.write_text("version: 1\ndefaults:\n  aws_s3_bucket:\n    storage_gb: 1000\n")
        bare = best_of(3, lambda: subprocess.run([sys.executable, "-c", "pass"], check=True))
        helps = best_of(3, lambda: subprocess.run(
            [sys.executable, "-m", "costgate", "--help"], check=True, capture_output=True))
        print(f"start-up: python -c pass {bare * 1000:.0f} ms; "
              f"costgate --help {helps * 1000:.0f} ms (+{(helps - bare) * 1000:.0f} ms)")
        print(f"{'resources':>10} {'json.load':>10} {'check':>8} {'ratio':>6} {'target':>8}")
        for n in sizes:
            path = Path(tmp) / f"plan-{n}.json"
            path.write_text(dump(plan(resources(n), {"aws": aws_provider("us-east-1", TAGS)})))
            command = [sys.executable, "-m", "costgate", "check", str(path), "--format", "json",
                       "--usage", str(usage), "-o", str(Path(tmp) / "out.json")]
            load = best_of(3, lambda: json.load(path.open("rb")))  # noqa: B023 - used in the loop
            whole = best_of(3, lambda: subprocess.run(command, check=False))  # noqa: B023
            target = 3 * load + 0.2
            print(f"{n:>10} {load:>9.3f}s {whole:>7.3f}s {whole / load:>6.1f} {target:>7.3f}s"
                  f"{'  ok' if whole <= target else '  SLOW'}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000, 50000])
