"""Which commit a diff compares with: merge bases, `--base-auto` (the `costgate-diff` hook).

Issue 17 item 9: the hook used `--base-ref @{upstream}` and blocked the first commit on a
branch that has no upstream. Item 7: a pull request is measured from its merge base, not
from the base branch's tip, which may hold other people's later changes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from costgate.cli import main
from costgate.git import default_base
from tests.helpers.terraform_repo import PROVIDER, git, instance

TAGS = (
    'team = "a", project = "b", environment = "development", experiment_id = "c", cost_center = "d"'
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def changes(result: Result) -> dict[str, str]:
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    return {
        r["address"]: r["change"] for r in report["diff"]["resources"] if r["change"] != "unchanged"
    }


@pytest.fixture
def forked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """main: `web`; branch `feature` (no upstream) forks and adds `gpu`; main then adds `db`."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "main.tf").write_text(PROVIDER + instance("web", "t3.micro", TAGS))
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "web")
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "gpu.tf").write_text(instance("gpu", "g5.xlarge", TAGS))
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "gpu")
    git(repo, "checkout", "-q", "main")
    (repo / "db.tf").write_text(instance("db", "m5.large", TAGS))
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "db")
    git(repo, "checkout", "-q", "feature")
    monkeypatch.chdir(repo)
    return repo


def test_the_branch_tip_counts_other_peoples_changes_as_removed(forked: Path) -> None:
    # why the merge base: against main's tip, `db` (added on main later) looks removed
    tip = changes(run("diff", "--base-ref", "main", ".", "--format", "json"))
    assert tip == {"aws_instance.gpu": "added", "aws_instance.db": "removed"}


def test_merge_base_compares_with_the_fork_point(forked: Path) -> None:
    result = run("diff", "--base-ref", "main", "--merge-base", ".", "--format", "json")
    assert changes(result) == {"aws_instance.gpu": "added"}


def test_base_auto_without_upstream_uses_the_default_branch_merge_base(forked: Path) -> None:
    result = run("diff", "--base-auto", ".", "--format", "json")
    assert changes(result) == {"aws_instance.gpu": "added"}
    assert "comparing with the merge base of main" in result.stderr


def test_base_auto_prefers_origin_head(forked: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(forked), str(clone))  # origin/HEAD -> origin/feature
    git(clone, "checkout", "-q", "-b", "topic", "--no-track", "origin/feature")
    ref, described = default_base(clone) or ("", "")
    assert described.startswith("the merge base of origin/feature")
    assert ref == git(clone, "rev-parse", "origin/feature").strip()


def test_base_auto_uses_the_upstream_branch_when_there_is_one(forked: Path) -> None:
    git(forked, "branch", "-q", "--set-upstream-to=main")
    assert default_base(forked) == ("@{upstream}", "the upstream branch main")
    result = run("diff", "--base-auto", ".", "--format", "json")
    assert changes(result) == {"aws_instance.gpu": "added", "aws_instance.db": "removed"}


def test_base_auto_skips_with_a_notice_when_there_is_nothing_to_compare_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "fresh"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "topic")
    (repo / "main.tf").write_text(PROVIDER + instance("gpu", "g5.xlarge"))
    monkeypatch.chdir(repo)
    result = run("diff", "--base-auto", ".")  # no commit at all
    assert result.exit_code == 0
    assert result.stdout.count("\n") == 1 and "skipping the diff" in result.stdout
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "first")  # a commit, but no main/master/upstream
    assert default_base(repo) is None
    assert run("diff", "--base-auto", ".").exit_code == 0


def test_base_auto_and_merge_base_usage_errors(forked: Path) -> None:
    assert CliRunner().invoke(main, ["diff", "--merge-base", "."]).exit_code == 2
    both = CliRunner().invoke(main, ["diff", "--base-auto", "--base-ref", "main", "."])
    assert both.exit_code == 2 and "not both" in both.output


def test_merge_base_of_unrelated_history_is_exit_2(forked: Path) -> None:
    git(forked, "checkout", "-q", "--orphan", "lonely")
    git(forked, "commit", "-q", "-m", "alone")
    result = CliRunner().invoke(main, ["diff", "--base-ref", "main", "--merge-base", "."])
    assert result.exit_code == 2 and "no merge base" in result.stderr


def test_input_errors_become_escaped_annotations_when_the_action_asks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "a,b%c.tf"
    bad.write_text('resource "aws_instance" "x" {\n  tags = {\n')
    monkeypatch.chdir(tmp_path)
    plain = CliRunner().invoke(main, ["check", "."])
    assert plain.exit_code == 2 and "::error" not in plain.stderr
    monkeypatch.setenv("COSTGATE_ERROR_ANNOTATIONS", "github")
    result = CliRunner().invoke(main, ["check", "."])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith("::")]
    assert len(lines) == 1
    assert lines[0].startswith(
        "::error file=a%2Cb%25c.tf,line=3,col=1,title=costgate%3A input error::"
    )
    assert "HCL syntax error" in lines[0]
