"""action.yml run end to end: every step, in order, by the runner emulator against the fake
GitHub on 127.0.0.1 (tests/helpers/action_runner.py, fake_github.py).

Each scenario of issue 17 (item 7) checks the comment left on the pull request, the
action's outputs, the annotations and whether the job failed. A run of the action costs
1-2 s (costgate runs twice as a process), so the scenarios are marked slow (CI runs them);
the refusal, which stops at the first step, is not.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from costgate.github.comment import marker as comment_marker
from tests.conftest import REPO
from tests.helpers.action_runner import Job
from tests.helpers.fake_github import TOKEN, Failure, FakeGitHub
from tests.helpers.terraform_repo import PROVIDER, git, instance

PR = 7
OLD, NEW = "1" * 40, "2" * 40
TRAINING = "fixtures/terraform-plan/ml-training"
PASSING = {
    "base": f"{TRAINING}/base-state.json",
    "path": f"{TRAINING}/plan.json",
    "policy": "policies/default.yaml",
    "usage": "fixtures/usage.yml",
}
FAILING = {
    "path": "fixtures/terraform-plan/ml-careless/plan.json",
    "policy": "policies/default.yaml",
    "usage": "fixtures/usage.yml",
}
TAGS = (
    'team = "a", project = "b", environment = "development", experiment_id = "c", cost_center = "d"'
)


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub(login="github-actions[bot]") as fake:
        fake.heads[PR] = NEW
        yield fake


def event(head: str = NEW, fork: bool = False) -> dict[str, Any]:
    return {
        "pull_request": {
            "number": PR,
            "head": {"sha": head, "repo": {"fork": fork}},
            "base": {"ref": "main"},
        }
    }


def make_job(
    tmp_path: Path,
    github: FakeGitHub,
    *,
    name: str = "job",
    head: str = NEW,
    fork: bool = False,
    event_name: str = "pull_request",
    workspace: Path = REPO,
) -> Job:
    return Job(
        REPO,
        workspace,
        tmp_path / name,
        event_name,
        event(head, fork),
        api_url=github.url,
        token=TOKEN,
    )


def comments(github: FakeGitHub) -> list[str]:
    return [c["body"] for c in github.on_pr(PR)]


def marker(body: str) -> str:
    return body.splitlines()[0]


@pytest.mark.slow
def test_a_passing_pull_request(tmp_path: Path, github: FakeGitHub) -> None:
    job = make_job(tmp_path, github)
    env_before = dict(job.env)
    run = job.use(PASSING)
    assert not run.failed, run.log
    assert (run.outputs["result"], run.outputs["exit-code"]) == ("pass", "0")
    assert (run.outputs["monthly-cost"], run.outputs["delta"]) == ("16709.01", "432.93")
    [body] = comments(github)
    assert marker(body) == (comment_marker("default", f"{TRAINING}/plan.json", NEW))
    assert "PASS" in body
    # nested actions are pinned (the emulator asserts it); the job's environment (PATH,
    # python) is untouched: setup-python runs with update-environment false, no GITHUB_ENV
    assert run.step("Set up Python for costgate").outcome == "success"
    assert job.env == env_before


@pytest.mark.slow
def test_fork_pull_request_with_a_read_only_token(tmp_path: Path, github: FakeGitHub) -> None:
    github.read_only = True
    run = make_job(tmp_path, github, fork=True).use(PASSING)
    assert not run.failed, run.log  # the comment's 403 does not fail the job
    assert (run.outputs["result"], run.outputs["exit-code"]) == ("pass", "0")
    assert comments(github) == []
    [notice] = [n for n in run.commands("notice") if "no pull request comment" in n]
    assert "read-only on fork and Dependabot pull requests" in notice
    # the catalog's price-age warnings depend on today's date, not on the token
    warnings = [w for w in run.commands("warning") if "prices are up to" not in w]
    # the fixture has no finding: its EKS node group's default gp2 node disk is priced in
    # us-west-2 (EBS pricing-page map), so nothing is partially priced; the shared usage
    # file's entry for the careless stack's bucket matches nothing in this plan
    assert warnings == [
        "::warning title=costgate::usage file fixtures/usage.yml: usage entry for "
        "aws_s3_bucket.logs matches no resource in the plan"
    ]
    assert run.commands("error") == []
    assert TOKEN not in run.log


@pytest.mark.slow
def test_two_invocations_in_one_job_keep_their_own_files(
    tmp_path: Path, github: FakeGitHub
) -> None:
    job = make_job(tmp_path, github)
    first = job.use(PASSING)
    second = job.use({**PASSING, "base": "", "path": "missing/plan.json"})
    assert not first.failed and second.failed
    assert first.step("Prepare").outputs["dir"] != second.step("Prepare").outputs["dir"]
    assert second.outputs["exit-code"] == "2" and second.outputs["result"] == ""
    # the second comment is the second stack's error, not the first stack's report
    by_marker = {marker(b): b for b in comments(github)}
    assert set(by_marker) == {
        comment_marker("default", f"{TRAINING}/plan.json", NEW),
        comment_marker("default", "missing/plan.json", NEW),
    }
    error = by_marker[comment_marker("default", "missing/plan.json", NEW)]
    assert "## costgate: error" in error and "PASS" not in error
    assert "missing/plan.json: no such file or directory" in error


@pytest.mark.slow
def test_pass_then_error_replaces_the_verdict(tmp_path: Path, github: FakeGitHub) -> None:
    github.heads[PR] = OLD
    passed = make_job(tmp_path, github, name="first", head=OLD).use({**PASSING, "project": "infra"})
    assert not passed.failed and "PASS" in comments(github)[0]
    github.heads[PR] = NEW  # a push that breaks the input
    broken = tmp_path / "broken.json"
    broken.write_text('{"format_version": "1.2", "resource_changes": [')
    errored = make_job(tmp_path, github, name="second").use(
        {**PASSING, "project": "infra", "path": str(broken)}
    )
    assert errored.failed and errored.outputs["exit-code"] == "2"
    [body] = comments(github)
    assert marker(body) == comment_marker("default", "infra", NEW)
    assert "## costgate: error" in body and "PASS" not in body
    assert "costgate exited with code 2" in body


@pytest.mark.slow
def test_an_older_run_does_not_overwrite_a_newer_commit(tmp_path: Path, github: FakeGitHub) -> None:
    newer = make_job(tmp_path, github, name="newer", head=NEW).use(FAILING)
    assert newer.failed and newer.outputs["result"] == "fail"
    [before] = comments(github)
    older = make_job(tmp_path, github, name="older", head=OLD).use(FAILING)
    assert comments(github) == [before]
    assert f"sha={NEW}" in marker(before)
    assert f"this run is for the older commit {OLD[:12]}" in older.log, older.log
    assert older.outputs["result"] == "fail"  # its own verdict still decides its job


@pytest.mark.slow
def test_a_pull_request_without_cost_change_gets_no_comment(
    tmp_path: Path, github: FakeGitHub
) -> None:
    changed = {**PASSING, "project": "infra"}
    same = {**changed, "path": f"{TRAINING}/base-state.json", "fail-on": "never"}
    run = make_job(tmp_path, github).use(same)
    assert not run.failed and run.outputs["delta"] == "0.00"
    assert comments(github) == []
    # an earlier commit's comment is deleted (on-no-change: delete, the default) ...
    make_job(tmp_path, github, name="changed").use(changed)
    assert len(comments(github)) == 1
    make_job(tmp_path, github, name="unchanged").use(same)
    assert comments(github) == []
    # ... or kept with on-no-change: skip
    make_job(tmp_path, github, name="again").use(changed)
    make_job(tmp_path, github, name="kept").use({**same, "on-no-change": "skip"})
    assert len(comments(github)) == 1


@pytest.mark.slow
def test_sarif_upload_after_the_verdict_and_tolerant_of_403(
    tmp_path: Path, github: FakeGitHub
) -> None:
    sarif = {"sarif-file": str(tmp_path / "costgate.sarif"), "upload-sarif": "true"}
    github.fail_next("POST", r"/repos/o/r/code-scanning/sarifs", Failure(403))
    run = make_job(tmp_path, github).use({**PASSING, **sarif})
    assert not run.failed, run.log
    assert run.step("Upload SARIF to code scanning").outcome == "failure"
    assert any("could not upload SARIF" in n for n in run.commands("notice"))
    assert len(comments(github)) == 1 and github.sarifs == []
    # a failing verdict fails the job, and the SARIF is still uploaded after it
    failing = make_job(tmp_path, github, name="failing").use({**FAILING, **sarif})
    names = [s.name for s in failing.steps]
    assert names.index("Verdict") < names.index("Upload SARIF to code scanning")
    assert failing.step("Verdict").outcome == "failure" and failing.failed
    assert failing.step("Upload SARIF to code scanning").outcome == "success"
    assert len(github.sarifs) == 1 and github.sarifs[0]["category"] == "costgate"


def test_pull_request_target_refusal_is_fast(tmp_path: Path, github: FakeGitHub) -> None:
    """The refusal comes first: nothing is installed or read before it."""
    repo = tmp_path / "head"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "pr")
    git(repo, "commit", "-q", "--allow-empty", "-m", "head")
    head = git(repo, "rev-parse", "HEAD").strip()
    job = make_job(tmp_path, github, head=head, event_name="pull_request_target", workspace=repo)
    refused = job.use({"path": ".", "soft-fail": "true"})
    assert refused.failed and [s.outcome for s in refused.steps].count("failure") == 1
    assert "refusing to run" in refused.commands("error")[0]
    assert github.requests == [] and not (tmp_path / "job" / "toolcache").exists()


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A pull request's work tree: main has `web`; the PR branch forks and adds `gpu`;
    main then gets `db` (so the branch tip and the merge base differ)."""
    repo = tmp_path / "checkout"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "infra").mkdir()
    (repo / "infra" / "main.tf").write_text(PROVIDER + instance("web", "t3.micro", TAGS))
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "web")
    git(repo, "checkout", "-q", "-b", "pr")
    (repo / "infra" / "gpu.tf").write_text(instance("gpu", "g5.xlarge", TAGS))
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "gpu")
    git(repo, "checkout", "-q", "main")
    (repo / "infra" / "db.tf").write_text(instance("db", "m5.large", TAGS))
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "db")
    git(repo, "checkout", "-q", "pr")
    return repo


@pytest.mark.slow
def test_pull_request_target_with_the_head_checked_out_is_refused(
    tmp_path: Path, github: FakeGitHub, checkout: Path
) -> None:
    head = git(checkout, "rev-parse", "HEAD").strip()
    github.heads[PR] = head
    inputs = {"path": "infra", "base-ref": "main", "soft-fail": "true"}
    job = make_job(
        tmp_path, github, head=head, event_name="pull_request_target", workspace=checkout
    )
    refused = job.use(inputs)
    assert refused.failed  # even with soft-fail
    [error] = refused.commands("error")
    assert "refusing to run: this is a pull_request_target workflow" in error
    assert refused.steps[0].outcome == "failure"
    assert {s.outcome for s in refused.steps[1:]} == {"skipped"}
    assert refused.outputs == dict.fromkeys(refused.outputs, "") and comments(github) == []
    # the merge commit (refs/pull/N/merge) holds the head too
    git(checkout, "checkout", "-q", "-b", "merged", "main")
    git(checkout, "merge", "-q", "--no-ff", "-m", "merge", "pr")
    merged = make_job(
        tmp_path, github, name="m", head=head, event_name="pull_request_target", workspace=checkout
    ).use(inputs)
    assert merged.failed and "refusing to run" in merged.log
    # the base branch checked out (the safe default) runs; so does an explicit opt-in
    git(checkout, "checkout", "-q", "main")
    base = make_job(
        tmp_path, github, name="b", head=head, event_name="pull_request_target", workspace=checkout
    ).use(inputs)
    assert base.outputs["exit-code"] in ("0", "1") and "refusing" not in base.log
    git(checkout, "checkout", "-q", "pr")
    allowed = make_job(
        tmp_path, github, name="a", head=head, event_name="pull_request_target", workspace=checkout
    ).use({**inputs, "allow-pull-request-target-head": "true"})
    assert allowed.outputs["exit-code"] in ("0", "1"), allowed.log
    assert any("allow-pull-request-target-head: true" in w for w in allowed.commands("warning"))


@pytest.mark.slow
def test_the_merge_base_is_the_diff_base(
    tmp_path: Path, github: FakeGitHub, checkout: Path
) -> None:
    run = make_job(tmp_path, github, workspace=checkout).use({"path": "infra"})
    assert run.outputs["exit-code"] in ("0", "1"), run.log
    report = json.loads(Path(run.outputs["report-file"]).read_text())
    changed = {r["address"]: r["change"] for r in report["diff"]["resources"]}
    # against main's tip `db` would show as removed; the PR only adds `gpu`
    assert changed == {"aws_instance.web": "unchanged", "aws_instance.gpu": "added"}


@pytest.mark.slow
def test_syntax_errors_are_escaped_annotations(
    tmp_path: Path, github: FakeGitHub, checkout: Path
) -> None:
    (checkout / "infra" / "gpu.tf").write_text('resource "aws_instance" "x" {\n  tags = {\n')
    run = make_job(tmp_path, github, workspace=checkout).use({"path": "infra"})
    assert run.failed and run.outputs["exit-code"] == "2"
    located = [e for e in run.commands("error") if "file=" in e]
    assert len(located) == 1 and "gpu.tf,line=3" in located[0]
    assert "HCL syntax error" in located[0]
    [body] = comments(github)
    assert "## costgate: error" in body and "HCL syntax error" in body


@pytest.mark.slow
def test_soft_fail_and_fail_on_never(tmp_path: Path, github: FakeGitHub) -> None:
    soft = make_job(tmp_path, github, name="soft").use({**FAILING, "soft-fail": "true"})
    assert not soft.failed
    assert (soft.outputs["result"], soft.outputs["exit-code"]) == ("fail", "1")
    assert any("soft-fail is on" in n for n in soft.commands("notice"))
    assert "FAIL" in comments(github)[0]
    soft_error = make_job(tmp_path, github, name="soft-error").use(
        {**FAILING, "path": "missing.json", "soft-fail": "true"}
    )
    assert not soft_error.failed and soft_error.outputs["exit-code"] == "2"
    never = make_job(tmp_path, github, name="never").use({**FAILING, "fail-on": "never"})
    assert not never.failed and never.outputs["result"] == "fail"
    never_error = make_job(tmp_path, github, name="never-error").use(
        {**FAILING, "path": "missing.json", "fail-on": "never"}
    )
    assert never_error.failed  # never is about findings; errors still fail


@pytest.mark.slow
def test_install_and_parse_caches(tmp_path: Path, github: FakeGitHub) -> None:
    job = make_job(tmp_path, github)
    run = job.use(PASSING)
    # a restored install is used as is, not saved again; the parse cache is saved
    assert "using the installed copy" in run.step("Install costgate").stdout
    assert run.step("Save costgate's install").outcome == "skipped"
    venv = run.step("Prepare").outputs["venv"]
    assert venv.startswith(job.env["RUNNER_TOOL_CACHE"])
    saved = [key for what, key in job.cache_log if what == "save"]
    assert len(saved) == 1 and saved[0].startswith("costgate-parse-Linux-")
    # the next job restores that parse cache by prefix
    later = make_job(tmp_path, github, name="later")
    later.cache_dir = job.cache_dir
    again = later.use(PASSING)
    assert again.step("Restore the parse cache").outputs["cache-matched-key"] == saved[0]
    assert job.env.get("PATH") == later.env.get("PATH")  # nothing added to the job's PATH


@pytest.mark.slow
def test_cold_install_is_isolated_and_cached(tmp_path: Path, github: FakeGitHub) -> None:
    """A real install (pip, from the action's checkout) into the action's own virtualenv;
    the next job restores it from the cache and installs nothing."""
    job = make_job(tmp_path, github)
    job.warm_install = False
    env_before = dict(job.env)
    run = job.use(PASSING)
    assert not run.failed, run.log
    assert run.step("Install costgate").outputs["installed"] == "true"
    venv = Path(run.step("Prepare").outputs["venv"])
    assert (venv / "bin" / "costgate").is_file() and (venv / "pyvenv.cfg").is_file()
    assert next(k for what, k in job.cache_log if what == "save").startswith("costgate-install-")
    assert job.env == env_before  # no PATH or python change in the job
    # the next job on a fresh runner: the same tool cache path, restored from the cache
    shutil.rmtree(venv.parent)
    later = make_job(tmp_path, github, name="later")
    later.cache_dir, later.warm_install = job.cache_dir, False
    later.env["RUNNER_TOOL_CACHE"] = job.env["RUNNER_TOOL_CACHE"]
    again = later.use(PASSING)
    assert not again.failed, again.log
    assert again.step("Restore costgate's install").outputs["cache-hit"] == "true"
    assert "using the installed copy" in again.step("Install costgate").stdout
    assert again.step("Save costgate's install").outcome == "skipped"
