"""Real-world corpus (issue 14): run costgate on public Terraform repositories as a new user would.

    python benchmarks/corpus.py CORPUS_DIR [--json OUT] [--online]

CORPUS_DIR holds checkouts of the repositories issue 14 names, one directory each
(aws-ia/terraform-aws-eks-blueprints, awslabs/data-on-eks, GoogleCloudPlatform/ai-on-gke,
terraform-aws-modules/terraform-aws-{eks,s3-bucket,autoscaling,ec2-instance},
terraform-google-modules/terraform-google-kubernetes-engine, Azure/terraform-azurerm-aks,
hashicorp/learn-terraform-provision-{eks,gke,aks}-cluster, infracost/example-terraform).
Nothing of theirs is copied into this repository; run on demand, not in the test suite.

A root directory is one whose `.tf` files hold a `provider` block, or any directory with
`.tf` files below an `examples/` or `patterns/` folder (examples often configure no
provider). A `terraform` block alone does not make a root: every registry module declares
`required_providers` in one, and a module's top directory is read through its callers.
Directories under `.terraform/`, `test/`, `tests/`, `modules/` and `wrappers/` (child
modules) are skipped.

For each root this runs `costgate breakdown DIR --format json --offline` (`--online` drops
`--offline`) and prints: exit code, resources, priced / free / unpriced, the number of
"not supported yet" resources and the most frequent unpriced reasons; then one row per
repository, totals and the unsupported types overall. Exit code 3 (a crash) anywhere
makes the script exit 1.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT_BLOCK = re.compile(r'^\s*provider\s+"[^"]*"\s*\{', re.MULTILINE)
EXAMPLE_FOLDERS = {"examples", "patterns"}
SKIPPED = {".terraform", ".git", "test", "tests", "modules", "wrappers", "node_modules"}
UNSUPPORTED = re.compile(r"^resource type (\S+) is not supported yet$")
NUMBERS = re.compile(r"\b\d+(\.\d+)*\b")


@dataclass
class Outcome:
    """What one costgate run over one root directory gave."""

    directory: str
    exit_code: int
    resources: int = 0
    priced: int = 0
    free: int = 0
    unpriced: int = 0
    monthly_cost: str = "0.00"
    unsupported: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    error: str = ""


def roots(corpus: Path) -> list[Path]:
    """Root module directories below `corpus`, sorted."""
    found = []
    for directory in sorted({p.parent for p in corpus.rglob("*.tf")}):
        parts = directory.relative_to(corpus).parts
        if SKIPPED.intersection(parts):
            continue
        text = "\n".join(p.read_text(errors="replace") for p in directory.glob("*.tf"))
        if ROOT_BLOCK.search(text) or EXAMPLE_FOLDERS.intersection(parts[:-1]):
            found.append(directory)
    return found


def reason_kind(reason: str) -> str:
    """A reason with its numbers and quoted names blurred, so alike reasons count together."""
    reason = re.sub(r"`[^`]*`|'[^']*'", "…", reason)
    return NUMBERS.sub("N", reason)[:110]


def run(directory: Path, corpus: Path, online: bool) -> Outcome:
    """One `costgate breakdown` over `directory`, summarised."""
    command = [sys.executable, "-m", "costgate", "breakdown", str(directory), "--format", "json"]
    if not online:
        command.append("--offline")
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    outcome = Outcome(str(directory.relative_to(corpus)), done.returncode)
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        outcome.error = (done.stderr.strip().splitlines() or [""])[-1][:200]
        return outcome
    summary = report["summary"]
    outcome.resources = summary["resources"]
    outcome.free = summary["free"]
    outcome.unpriced = summary["unpriced"]
    outcome.priced = summary["priced"] - summary["free"]
    outcome.monthly_cost = summary["monthly_cost"]
    for resource in report["resources"]:
        reason = resource.get("unpriced_reason")
        if not reason:
            continue
        unsupported = UNSUPPORTED.match(reason)
        if unsupported:
            outcome.unsupported[unsupported.group(1)] += 1
        else:
            outcome.reasons[reason_kind(reason)] += 1
    return outcome


def table(outcomes: list[Outcome]) -> str:
    """The per-directory table as GitHub markdown."""
    lines = [
        "| directory | exit | resources | priced | free | unpriced | not supported | $/month"
        " | top unpriced reasons |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        top = "; ".join(f"{n}x {r}" for r, n in o.reasons.most_common(2)) or o.error
        lines.append(
            f"| {o.directory} | {o.exit_code} | {o.resources} | {o.priced} | {o.free}"
            f" | {o.unpriced} | {sum(o.unsupported.values())} | {o.monthly_cost}"
            f" | {top.replace('|', '/')} |"
        )
    return "\n".join(lines)


def by_repository(outcomes: list[Outcome]) -> str:
    """One row per repository (the first folder of CORPUS_DIR): the table to quote."""
    lines = [
        "| repository | roots | exit 2 | crashes | resources | priced | free | unpriced"
        " | not supported |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    groups: dict[str, list[Outcome]] = {}
    for o in outcomes:
        groups.setdefault(o.directory.split("/")[0], []).append(o)
    for name, group in groups.items():
        lines.append(
            f"| {name} | {len(group)} | {sum(o.exit_code == 2 for o in group)}"
            f" | {sum(o.exit_code == 3 for o in group)} | {sum(o.resources for o in group)}"
            f" | {sum(o.priced for o in group)} | {sum(o.free for o in group)}"
            f" | {sum(o.unpriced for o in group)}"
            f" | {sum(sum(o.unsupported.values()) for o in group)} |"
        )
    return "\n".join(lines)


def totals(outcomes: list[Outcome]) -> str:
    """Totals over the corpus, the exit codes and the unsupported types overall."""
    exits = Counter(o.exit_code for o in outcomes)
    unsupported: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    for o in outcomes:
        unsupported.update(o.unsupported)
        reasons.update(o.reasons)
    lines = [
        f"directories: {len(outcomes)}; exit codes: "
        + ", ".join(f"{code}: {n}" for code, n in sorted(exits.items())),
        f"resources: {sum(o.resources for o in outcomes)}; priced: "
        f"{sum(o.priced for o in outcomes)}; free: {sum(o.free for o in outcomes)}; "
        f"unpriced: {sum(o.unpriced for o in outcomes)}; not supported: "
        f"{sum(unsupported.values())}",
        "not supported types: " + ", ".join(f"{t} {n}" for t, n in unsupported.most_common()),
        "top unpriced reasons:",
        *(f"  {n:4d}  {r}" for r, n in reasons.most_common(10)),
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--json", type=Path, help="also write the outcomes as JSON")
    parser.add_argument("--online", action="store_true", help="let costgate fetch modules")
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    outcomes = [run(d, corpus, args.online) for d in roots(corpus)]
    print(table(outcomes))
    print()
    print(by_repository(outcomes))
    print()
    print(totals(outcomes))
    if args.json:
        args.json.write_text(json.dumps([o.__dict__ for o in outcomes], indent=1, default=str))
    return 1 if any(o.exit_code == 3 for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
