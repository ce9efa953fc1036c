"""`diff --base-ref`: the base revision's policy judges the pull request (issue 17, item 3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from costgate.cli import main
from tests.conftest import validate_report
from tests.helpers.terraform_repo import PROVIDER, git, instance

TAGS = 'team = "a", project = "b", environment = "dev", experiment_id = "e", cost_center = "c"'
STRICT = "version: 1\nrules:\n  budget:\n    options:\n      monthly_limit: 100\n"
RELAXED = "version: 1\nrules:\n  budget:\n    options:\n      monthly_limit: 1000000\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """main: infra/ with a t3.micro and a strict .costgate.yml; the cwd is the repo."""
    root = tmp_path / "repo"
    (root / "infra").mkdir(parents=True)
    (root / "infra" / "main.tf").write_text(PROVIDER + instance("web", "t3.micro", TAGS))
    (root / ".costgate.yml").write_text(STRICT)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    monkeypatch.chdir(root)
    return root


def grow_and_relax(repo: Path) -> None:
    """The pull request: a $23k/month GPU instance, and a budget raised to let it pass."""
    main_tf = repo / "infra" / "main.tf"
    main_tf.write_text(main_tf.read_text() + instance("gpu", "p4d.24xlarge", TAGS))
    (repo / ".costgate.yml").write_text(RELAXED)


def diff(*args: str) -> Result:
    return CliRunner().invoke(
        main, ["diff", "--base-ref", "main", "infra", "--format", "json", *args]
    )


def test_a_pr_that_relaxes_the_policy_is_judged_by_the_base_policy(repo: Path) -> None:
    grow_and_relax(repo)
    result = diff()
    assert result.exit_code == 1, result.output
    doc = validate_report(result.output)
    assert {f["rule"] for f in doc["findings"]} == {"budget", "policy-change"}
    assert doc["policy_change"] == {
        "ref": "main",
        "applied": "base",
        "files": [".costgate.yml"],
        "changes": ["rule budget: option monthly_limit: 100 -> 1000000"],
    }
    [change] = [f for f in doc["findings"] if f["rule"] == "policy-change"]
    assert change["severity"] == "info"
    assert "judged by the policy at main" in change["message"]


def test_policy_from_head_applies_the_pr_policy_and_still_says_so(repo: Path) -> None:
    grow_and_relax(repo)
    result = diff("--policy-from", "head")
    assert result.exit_code == 0, result.output
    doc = validate_report(result.output)
    assert doc["policy_change"]["applied"] == "head"


def test_fail_on_policy_change(repo: Path) -> None:
    (repo / ".costgate.yml").write_text(STRICT + "  required-tags:\n    severity: info\n")
    result = diff("--fail-on-policy-change")
    assert result.exit_code == 1, result.output
    [change] = json.loads(result.output)["findings"]
    assert change["id"] == "CG902" and change["severity"] == "error"
    assert "rule required-tags added (info)" in change["message"]
    assert diff().exit_code == 0


def test_unchanged_and_comment_only_policy_is_not_a_change(repo: Path) -> None:
    (repo / ".costgate.yml").write_text("# reviewed\n" + STRICT)
    result = diff("--fail-on-policy-change")
    assert result.exit_code == 0, result.output
    assert "policy_change" not in json.loads(result.output)


def test_a_pr_that_deletes_the_policy_file_is_still_judged_by_it(repo: Path) -> None:
    main_tf = repo / "infra" / "main.tf"
    main_tf.write_text(main_tf.read_text() + instance("gpu", "p4d.24xlarge", TAGS))
    (repo / ".costgate.yml").unlink()
    doc = json.loads(diff().output)
    assert doc["result"] == "fail"
    assert doc["policy_change"]["changes"][0] == "policy file .costgate.yml removed"


def test_explicit_policy_and_usage_files_in_the_repo_come_from_the_base(repo: Path) -> None:
    (repo / "ci").mkdir()
    (repo / "ci" / "policy.yml").write_text(STRICT)
    (repo / "ci" / "usage.yml").write_text("version: 1\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "ci policy")
    grow_and_relax(repo)
    (repo / "ci" / "policy.yml").write_text(RELAXED)
    (repo / "ci" / "usage.yml").write_text("version: 1\n# more\n")
    result = diff("--policy", "ci/policy.yml", "--usage", "ci/usage.yml")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.output)
    assert doc["policy_change"]["files"] == ["ci/policy.yml", "ci/usage.yml"]
    assert "usage file ci/usage.yml changed" in doc["policy_change"]["changes"]


def test_policy_outside_the_repository_is_used_as_given(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "org-policy.yml"
    outside.write_text(RELAXED)
    grow_and_relax(repo)
    result = diff("--policy", str(outside))
    assert result.exit_code == 0, result.output
    assert "policy_change" not in json.loads(result.output)


def test_an_invalid_base_policy_names_the_ref(repo: Path) -> None:
    (repo / ".costgate.yml").write_text("version: 1\nrules:\n  no-such-rule: {}\n")
    git(repo, "commit", "-q", "-am", "broken")
    (repo / ".costgate.yml").write_text(STRICT)
    result = CliRunner().invoke(main, ["diff", "--base-ref", "main", "infra"])
    assert result.exit_code == 2
    assert "main:.costgate.yml" in result.output
    assert "Traceback" not in result.output


def test_a_broken_pr_policy_is_a_change_not_an_error(repo: Path) -> None:
    (repo / ".costgate.yml").write_text("version: 1\nrules:\n  no-such-rule: {}\n")
    result = diff()
    assert result.exit_code == 0, result.output
    [line] = json.loads(result.output)["policy_change"]["changes"]
    assert line.startswith("the pull request's policy does not load:")


def test_policy_from_head_with_a_broken_pr_policy_is_exit_2(repo: Path) -> None:
    (repo / ".costgate.yml").write_text("version: 1\nrules:\n  no-such-rule: {}\n")
    result = CliRunner().invoke(
        main, ["diff", "--base-ref", "main", "infra", "--policy-from", "head"]
    )
    assert result.exit_code == 2
    assert "unknown rule 'no-such-rule'" in result.output


def test_every_format_renders_a_policy_change(repo: Path) -> None:
    grow_and_relax(repo)
    for fmt in ("table", "markdown", "sarif", "junit", "github"):
        result = CliRunner().invoke(main, ["diff", "--base-ref", "main", "infra", "--format", fmt])
        assert result.exit_code == 1, (fmt, result.output)
        assert "policy" in result.output, fmt


def test_usage_warnings_name_the_base_usage_file_as_ref_and_path(repo: Path) -> None:
    (repo / "ci").mkdir()
    (repo / "ci" / "usage.yml").write_text(
        "version: 1\nresources:\n  aws_instance.wbe:\n    monthly_hours: 100\n"
    )
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "usage")
    result = diff("--usage", "ci/usage.yml")
    assert result.exit_code == 0, result.output
    warnings = json.loads(result.output)["warnings"]
    # the base's copy of the file is read from a temporary directory, never named
    assert "usage file main:ci/usage.yml: usage entry for aws_instance.wbe matches no " in (
        "\n".join(warnings)
    )
    assert not [w for w in warnings if "costgate-policy-" in w]
