"""The pre-commit hooks (.pre-commit-hooks.yaml) run by the real pre-commit on a git project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.helpers.terraform_repo import PROVIDER, git, instance


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_hooks_run_with_the_real_pre_commit(tmp_path: Path) -> None:
    """`pre-commit try-repo` installs costgate from this checkout and runs both hooks."""
    project = tmp_path / "project"
    project.mkdir()
    git(project, "init", "-q", "-b", "main")
    (project / "main.tf").write_text(
        PROVIDER
        + instance(
            "ok",
            "t3.micro",
            'team = "a", project = "b", environment = "development", '
            'experiment_id = "c", cost_center = "d"',
        )
    )
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "base")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "COSTGATE_CACHE_DIR": "off",
    }

    def try_repo(hook: str, *extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), hook, "--verbose", *extra],
            cwd=project,
            capture_output=True,
            text=True,
            env=env,
            check=False,
            timeout=900,
        )

    passing = try_repo("costgate-check", "--files", "main.tf")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Result: PASS" in passing.stdout
    # an untagged GPU instance fails the default policy
    (project / "gpu.tf").write_text(instance("gpu", "p4d.24xlarge"))
    failing = try_repo("costgate-check", "--files", "gpu.tf")
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "aws_instance.gpu: missing required tags" in failing.stdout
    # the diff hook on a new branch without an upstream (its first commit): the merge base
    # of the default branch (main), not a failure
    git(project, "checkout", "-q", "-b", "topic")
    first = try_repo("costgate-diff", "--files", "gpu.tf")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "aws_instance.gpu" in first.stdout and "comparing with the merge base of main" in (
        first.stdout + first.stderr
    )
    git(project, "checkout", "-q", "main")
    # the diff hook against the upstream branch: configure one, then compare
    git(project, "remote", "add", "origin", str(project))
    git(project, "fetch", "-q", "origin")
    git(project, "branch", "-q", "--set-upstream-to=origin/main")
    diff = try_repo("costgate-diff", "--files", "gpu.tf")
    assert diff.returncode == 1, diff.stdout + diff.stderr
    assert "aws_instance.gpu" in diff.stdout and "Monthly cost" in diff.stdout


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_diff_hook_skips_with_a_notice_without_any_base(tmp_path: Path) -> None:
    """No upstream, no origin/HEAD, no main or master: one line, exit 0 (issue 17, item 9)."""
    project = tmp_path / "project"
    project.mkdir()
    git(project, "init", "-q", "-b", "topic")
    (project / "main.tf").write_text(PROVIDER + instance("gpu", "p4d.24xlarge"))
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "first")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pch"), "COSTGATE_CACHE_DIR": "off"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(REPO),
            "costgate-diff",
            "--verbose",
            "--files",
            "main.tf",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "skipping the diff" in done.stdout
