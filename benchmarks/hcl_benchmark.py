"""Time `costgate check` on a generated Terraform directory: 1,000 resources in 50 files.

The directory uses what real stacks use: variables with defaults and a terraform.tfvars,
locals (maps, merge, lookup), count with count.index, templates and a provider with
default_tags. Target: under 2 s for the whole check (parse, evaluate, price, policy),
cold: COSTGATE_CACHE_DIR=off, so nothing is read from costgate's on-disk caches. The first
check on a new machine, which also builds python-hcl2's grammar tables (Lark keeps them in
the temporary directory), is timed and shown apart.

costgate's bytecode is compiled first, as `pip install` does for an installed package: an
editable checkout run with PYTHONDONTWRITEBYTECODE=1 (as some sandboxes and CI images set)
would otherwise recompile every costgate module in every run, about 0.2 s that no installed
costgate pays.

    python benchmarks/hcl_benchmark.py [--files 50] [--per-file 20] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = """\
provider "aws" {
  region = var.region
  default_tags {
    tags = local.common_tags
  }
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "replicas" {
  type    = number
  default = 1
}

variable "environment" {
  type = string
}

locals {
  common_tags = {
    team        = "platform"
    project     = "bench"
    environment = var.environment
    cost_center = "engineering"
  }
  instance_types = ["m5.large", "c5.xlarge", "t3.medium", "g5.xlarge"]
  volume_sizes   = { small = 50, large = 200 }
}
"""

RESOURCE = """\
resource "aws_instance" "svc_{f}_{i}" {{
  count         = var.replicas + {extra}
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = local.instance_types[{i} % length(local.instance_types)]

  root_block_device {{
    volume_type = "gp3"
    volume_size = lookup(local.volume_sizes, "{size}", 20)
  }}

  tags = merge(local.common_tags, {{
    Name          = "svc-{f}-{i}-${{count.index}}"
    experiment_id = format("exp-%03d", {f})
  }})
}}

"""


def generate(directory: Path, files: int, per_file: int) -> int:
    """Write the directory; return the number of resource blocks."""
    (directory / "variables.tf").write_text(HEADER)
    (directory / "terraform.tfvars").write_text('environment = "production"\n')
    for f in range(files - 1):
        blocks = [
            RESOURCE.format(f=f, i=i, extra=i % 2, size="large" if i % 3 else "small")
            for i in range(per_file)
        ]
        (directory / f"services_{f:02d}.tf").write_text("".join(blocks))
    # the header file counts as the 50th file: put its share of resources there too
    blocks = [RESOURCE.format(f=files - 1, i=i, extra=0, size="small") for i in range(per_file)]
    with (directory / "variables.tf").open("a") as handle:
        handle.write("\n" + "".join(blocks))
    return files * per_file


def compile_bytecode() -> None:
    """Write the `.pyc` files of the costgate package being measured."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("costgate")
    if spec is None or spec.origin is None:
        sys.exit("costgate is not installed in this interpreter")
    compileall.compile_dir(Path(spec.origin).parent, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--per-file", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="costgate-hcl-bench-") as tmp:
        directory = Path(tmp) / "stack"
        directory.mkdir()
        blocks = generate(directory, args.files, args.per_file)
        report_file = Path(tmp) / "report.json"

        def check(cache: str, **env: str) -> float:
            start = time.perf_counter()
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "costgate",
                    "check",
                    str(directory),
                    "--format",
                    "json",
                    "--output",
                    str(report_file),
                ],
                capture_output=True,
                text=True,
                check=False,
                env={**os.environ, "COSTGATE_CACHE_DIR": cache, **env},
            )
            elapsed = time.perf_counter() - start
            if done.returncode not in (0, 1):
                sys.exit(f"costgate failed ({done.returncode}): {done.stderr}")
            return elapsed

        # A new machine's first HCL check also builds python-hcl2's grammar tables, which
        # Lark keeps in the temporary directory: shown apart (an empty TMPDIR forces it),
        # then made sure of for the cold runs, as the bytecode is.
        fresh_tmp = Path(tmp) / "fresh-tmp"
        fresh_tmp.mkdir()
        first = check("off", TMPDIR=str(fresh_tmp))
        check("off")
        cold = [check("off") for _ in range(args.repeat)]
        cache = str(Path(tmp) / "cache")
        check(cache)  # fill the parse cache
        warm = [check(cache) for _ in range(args.repeat)]
        report = json.loads(report_file.read_text())
        print(
            f"{blocks} resource blocks in {args.files} files -> "
            f"{report['summary']['resources']} resource instances, "
            f"monthly {report['summary']['monthly_cost']} USD"
        )
        print(
            f"first check on a new machine (grammar tables built too): {first:.2f} s "
            "(once per machine and Lark version; no target)"
        )
        for label, timings in (("cold (no caches)", cold), ("warm (parse cache)", warm)):
            print(
                f"costgate check, whole process, {label}: best {min(timings):.2f} s, "
                f"median {statistics.median(timings):.2f} s over {args.repeat} runs "
                "(target < 2 s)"
            )
        print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
