"""The CLI on Terraform directories: git base refs, --changed-only, errors.

The pre-commit hooks are tested with the distribution (tests/distribution/).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from costgate.cli import main
from tests.conftest import FIXTURES, validate_report
from tests.helpers.terraform_repo import PROVIDER, git, instance

TRAINING = FIXTURES / "terraform-plan" / "ml-training"
CARELESS = FIXTURES / "terraform-plan" / "ml-careless"
USAGE = str(FIXTURES / "usage.yml")
HOURS = Decimal(730)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with infra/ (calling ../modules/gpu) committed on main."""
    root = tmp_path / "repo"
    (root / "infra").mkdir(parents=True)
    (root / "modules" / "gpu").mkdir(parents=True)
    (root / "infra" / "main.tf").write_text(
        PROVIDER
        + instance("web", "t3.micro")
        + 'module "gpu" {\n  source = "../modules/gpu"\n  type = "g5.xlarge"\n}\n'
    )
    (root / "modules" / "gpu" / "main.tf").write_text(
        'variable "type" {}\nresource "aws_instance" "gpu" {\n  instance_type = var.type\n}\n'
    )
    (root / "README.md").write_text("not terraform\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    return root


def test_diff_against_a_git_ref_reads_the_base_from_git(repo: Path, catalog) -> None:  # type: ignore[no-untyped-def]
    # the change: web grows to p4d.24xlarge, the module's GPU goes from g5.xlarge to p5.48xlarge
    main_tf = repo / "infra" / "main.tf"
    main_tf.write_text(main_tf.read_text().replace('"t3.micro"', '"p4d.24xlarge"'))
    module_tf = repo / "modules" / "gpu" / "main.tf"
    module_tf.write_text(module_tf.read_text() + "# edited\n")
    (repo / "infra" / "terraform.tfvars").write_text("")
    status_before = git(repo, "status", "--porcelain")
    result = run(
        "diff", "--base-ref", "main", str(repo / "infra"), "--format", "json", "--usage", USAGE
    )
    assert result.exit_code == 1, result.output  # head fails required-tags
    doc = validate_report(result.output)
    deltas = {r["address"]: r for r in doc["diff"]["resources"]}
    price = {
        t: catalog.tiers("aws", "ec2", t, "us-east-1", "on_demand")[0].price
        for t in ("t3.micro", "p4d.24xlarge", "g5.xlarge")
    }
    cents = Decimal("0.01")  # the JSON report rounds amounts to cents
    assert Decimal(deltas["aws_instance.web"]["delta"]) == (
        (price["p4d.24xlarge"] - price["t3.micro"]) * HOURS
    ).quantize(cents)
    assert deltas["module.gpu.aws_instance.gpu"]["change"] == "unchanged"
    gp2 = catalog.tiers("aws", "ebs", "gp2", "us-east-1", "storage")[0].price
    root = 8 * gp2  # each instance's root volume: 8 GB gp2 assumed for the AMI
    assert Decimal(doc["diff"]["base_monthly_cost"]) == (
        (price["t3.micro"] + price["g5.xlarge"]) * HOURS + 2 * root
    ).quantize(cents)
    assert any(
        f["resource"] == "aws_instance.web" and f["rule"] == "required-tags"
        for f in doc["findings"]
    )
    assert git(repo, "status", "--porcelain") == status_before  # working tree untouched


def test_diff_base_ref_with_a_new_directory_has_an_empty_base(repo: Path) -> None:
    (repo / "new").mkdir()
    (repo / "new" / "main.tf").write_text(PROVIDER + instance("gpu", "p5.48xlarge"))
    result = run("diff", "--base-ref", "main", str(repo / "new"), "--format", "json")
    doc = json.loads(result.output)
    assert Decimal(doc["diff"]["base_monthly_cost"]) == 0
    assert [r["change"] for r in doc["diff"]["resources"]] == ["added"]


def test_diff_base_ref_errors_are_one_line_exit_2(repo: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["diff", "--base-ref", "no-such-branch", str(repo / "infra")])
    assert result.exit_code == 2
    assert "git ref 'no-such-branch' not found" in result.output
    outside = tmp_path / "plain"
    outside.mkdir()
    (outside / "main.tf").write_text(instance("x", "t3.micro"))
    result = CliRunner().invoke(main, ["diff", "--base-ref", "main", str(outside)])
    assert result.exit_code == 2
    assert "not inside a git repository" in result.output
    assert "Traceback" not in result.output
    usage = CliRunner().invoke(main, ["diff", str(outside)])
    assert usage.exit_code == 2 and "give BASE and HEAD" in usage.output


def test_diff_base_head_still_takes_two_paths() -> None:
    result = run(
        "diff",
        str(TRAINING / "base-state.json"),
        str(TRAINING),
        "--usage",
        USAGE,
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    doc = validate_report(result.output)
    changes = {r["address"]: r["change"] for r in doc["diff"]["resources"]}
    assert changes["aws_instance.trainer"] == "changed"  # on-demand -> spot
    assert changes["module.eks.aws_eks_node_group.gpu"] == "added"


def test_check_changed_only_checks_the_directories_of_changed_terraform_files(repo: Path) -> None:
    result = run(
        "check",
        "--changed-only",
        str(repo / "README.md"),
        str(repo / "modules" / "gpu" / "main.tf"),
        "--format",
        "json",
    )
    doc = json.loads(result.output)
    assert [r["address"] for r in doc["resources"]] == ["aws_instance.gpu"]
    # a module directory on its own: its variable has no value, so the type is unknown
    assert "instance_type is unknown until apply" in doc["resources"][0]["unpriced_reason"]
    assert any("'type' has no value and no default" in w for w in doc["warnings"])
    nothing = run("check", "--changed-only", str(repo / "README.md"))
    assert nothing.exit_code == 0
    assert "nothing to check" in nothing.output


def test_check_hcl_directory_verdicts_match_the_plan() -> None:
    assert run("check", str(TRAINING), "--usage", USAGE).exit_code == 0
    failing = run("check", str(CARELESS), "--usage", USAGE, "--format", "json")
    assert failing.exit_code == 1
    plan = run("check", str(CARELESS / "plan.json"), "--usage", USAGE, "--format", "json")
    strip = lambda d: [(f["resource"], f["message"]) for f in d["findings"]]  # noqa: E731
    assert strip(json.loads(failing.output)) == strip(json.loads(plan.output))


def test_var_options_reach_the_hcl_evaluator(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        PROVIDER + 'variable "type" {}\nvariable "n" { type = number }\n'
        'resource "aws_instance" "x" {\n  count = var.n\n  instance_type = var.type\n}\n'
    )
    (tmp_path / "more.tfvars").write_text("n = 3\n")
    result = run(
        "breakdown",
        str(tmp_path),
        "--var",
        "type=p4d.24xlarge",
        "--var-file",
        str(tmp_path / "more.tfvars"),
        "--format",
        "json",
    )
    doc = json.loads(result.output)
    assert [r["address"] for r in doc["resources"]] == [
        "aws_instance.x[0]",
        "aws_instance.x[1]",
        "aws_instance.x[2]",
    ]
    assert all("p4d.24xlarge" in r["cost_lines"][0]["name"] for r in doc["resources"])
    bad = CliRunner().invoke(main, ["breakdown", str(tmp_path), "--var", "novalue"])
    assert bad.exit_code == 2 and "--var expects NAME=VALUE" in bad.output


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('resource "aws_instance" "x" {\n  tags = { a = }\n}\n', "main.tf:2:16: HCL syntax error"),
        (
            'locals {\n  a = local.a\n}\nresource "aws_instance" "x" {\n  t = local.a\n}\n',
            "main.tf:2: cycle: local.a -> local.a",
        ),
        (
            'resource "aws_instance" "x" {\n  t = nope(1)\n}\n',
            "main.tf:2: cannot evaluate `t = nope(1)`: function nope() is not supported",
        ),
    ],
)
def test_bad_hcl_exits_2_with_one_paragraph(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "main.tf").write_text(text)
    done = subprocess.run(
        [sys.executable, "-m", "costgate", "check", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COSTGATE_CACHE_DIR": "off"},
    )
    assert done.returncode == 2
    assert expected in done.stderr
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1


def test_hcl_comment_exempts_a_finding_end_to_end(tmp_path: Path) -> None:
    # The HCL reader turns the comment into a directive; the policy engine honours it.
    policy = tmp_path / "policy.yml"
    policy.write_text("version: 1\nrules:\n  spot-for-training: {}\n")
    stack = tmp_path / "stack"
    stack.mkdir()
    body = textwrap.dedent("""
        provider "aws" { region = "us-east-1" }
        # costgate:skip=spot-for-training 20-minute smoke test of the data loader
        resource "aws_instance" "smoke" {
          instance_type = "p4d.24xlarge"
          tags = { phase = "training" }
        }
        resource "aws_instance" "trainer" {
          instance_type = "p4d.24xlarge"
          tags = { phase = "training" }
        }
    """)
    (stack / "main.tf").write_text(body)
    result = run("check", str(stack), "--policy", str(policy), "--format", "json")
    doc = validate_report(result.output)
    by_resource = {f["resource"]: f for f in doc["findings"]}
    assert by_resource["aws_instance.smoke"]["exempted"] is True
    assert by_resource["aws_instance.smoke"]["exemption"]["reason"] == (
        "20-minute smoke test of the data loader"
    )
    assert by_resource["aws_instance.trainer"]["exempted"] is False
    assert result.exit_code == 1  # the trainer without an exemption still fails
    del by_resource["aws_instance.trainer"]
    (stack / "main.tf").write_text(
        body.replace(
            'resource "aws_instance" "trainer" {\n  instance_type = "p4d.24xlarge"\n'
            '  tags = { phase = "training" }\n}\n',
            "",
        )
    )
    passing = run("check", str(stack), "--policy", str(policy), "--format", "json")
    assert passing.exit_code == 0, passing.output
