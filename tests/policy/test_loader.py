"""Policy files: shipped examples validate; bad input exits 2 naming file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from costgate.cli import main
from costgate.policy.loader import load_policy
from costgate.policy.rules import RULES
from tests.conftest import REPO

POLICIES = sorted((REPO / "policies").glob("*.yaml"))


def test_every_shipped_policy_validates() -> None:
    names = {p.name for p in POLICIES}
    assert {
        "default.yaml",
        "strict-production.yaml",
        "research-sandbox.yaml",
        "multi-cloud.yaml",
    } <= names
    result = CliRunner().invoke(main, ["policies", "validate", *map(str, POLICIES)])
    assert result.exit_code == 0, result.output
    assert result.output.count(": ok") == len(POLICIES)


def test_default_policy_enables_every_rule_with_the_seed_values() -> None:
    policy = load_policy([REPO / "policies" / "default.yaml"])
    rules = {r.name: r for r in policy.rules}
    assert set(rules) == set(RULES)
    assert rules["budget"].options["warn_fraction"] == 0.8
    assert rules["required-tags"].options["tags"] == [
        "team",
        "project",
        "environment",
        "experiment_id",
        "cost_center",
    ]
    assert rules["cost-regression"].options == {"max_increase_percent": 10}


def test_later_files_override_earlier_ones() -> None:
    policy = load_policy(
        [REPO / "policies" / "default.yaml", REPO / "policies" / "research-sandbox.yaml"]
    )
    rules = {r.name: r for r in policy.rules}
    assert "cost-regression" not in rules
    assert rules["budget"].options["per_tag"] == "experiment_id"
    assert rules["notebook-auto-stop"].severity.value == "error"


BAD = [
    ("version: 1\nrules:\n  spot-for-trainin: {}\n", "3:3", "unknown rule 'spot-for-trainin'"),
    (
        "version: 1\nrules:\n  budget:\n    options:\n      monthly_limit: lots\n",
        "5:7",
        "invalid options for budget at /rules/budget/options/monthly_limit: 'lots' is not of "
        "type 'number'",
    ),
    (
        "version: 1\nrules:\n  storage-lifecycle:\n    options:\n      tier_within_days: 30\n"
        "      expire_after: 90\n",
        "6:7",
        "at /rules/storage-lifecycle/options/expire_after: Additional properties are not allowed",
    ),
    (
        "version: 1\nrules:\n  required-tags:\n    select:\n      team: [ml]\n",
        "5:7",
        "'team' was unexpected",
    ),
    (
        "version: 1\nexemptions:\n  - resources: ['*']\n    rules: [budget]\n    reason: x\n"
        "    expires: '2026-02-30'\n",
        "6:5",
        "is not a 'date'",
    ),
    (
        "version: 1\nexemptions:\n  - resources: ['*']\n    rules: [budgett]\n    reason: x\n",
        "4:5",
        "exemption names unknown rule 'budgett'",
    ),
    (
        "version: 1\nrules:\n  budget:\n    severity: warning\n",
        "3:3",
        "invalid options for budget at /rules/budget/options: 'monthly_limit' is a required",
    ),
    (
        "version: 1\nrules:\n  gpu-allowlist:\n    options:\n      environments:\n"
        "        development: {max_gpus: four}\n",
        "6:23",
        "'four' is not of type 'integer'",
    ),
]


@pytest.mark.parametrize(("text", "where", "message"), BAD)
def test_bad_policy_exits_2_with_file_and_line(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    path = tmp_path / "policy.yml"
    path.write_text(text)
    for args in (
        ["policies", "validate", str(path)],
        [
            "check",
            str(REPO / "fixtures" / "terraform-plan" / "ml-training" / "plan.json"),
            "--policy",
            str(path),
        ],
    ):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, result.output
        assert f"{path}:{where}:" in result.output
        assert message in result.output
        assert "Traceback" not in result.output


def test_repo_policy_file_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".costgate.yml").write_text(
        "version: 1\nrules:\n  budget:\n    options:\n      monthly_limit: 100\n"
    )
    monkeypatch.chdir(tmp_path)
    plan = REPO / "fixtures" / "terraform-plan" / "ml-training" / "plan.json"
    result = CliRunner().invoke(main, ["check", str(plan), "--format", "json"])
    assert result.exit_code == 1
    assert {f["rule"] for f in json.loads(result.output)["findings"]} == {"budget"}


def test_explain_prints_the_docs() -> None:
    result = CliRunner().invoke(main, ["policies", "explain", "CG201"])
    assert result.exit_code == 0
    assert "storage-lifecycle" in result.output and "Bad:" in result.output
    listed = CliRunner().invoke(main, ["policies", "list"])
    assert all(name in listed.output for name in RULES)


def test_a_run_trusts_shipped_policies_but_validate_checks_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from costgate import validation
    from costgate.policy.loader import default_policy_file, shipped

    def refuse(data: object, schema: object) -> list[tuple[tuple[str, ...], str]]:
        raise AssertionError("a shipped policy was schema-checked during a run")

    monkeypatch.setenv("COSTGATE_CACHE_DIR", "off")
    monkeypatch.setattr("costgate.policy.loader.schema_errors", refuse)
    monkeypatch.setattr(validation, "schema_errors", refuse)
    assert shipped(default_policy_file())
    assert load_policy([default_policy_file()]).rules  # no schema check: refuse not called
    copy = tmp_path / "default.yaml"  # the same text outside the package is checked
    copy.write_text(default_policy_file().read_text())
    assert not shipped(copy)
    with pytest.raises(AssertionError, match="schema-checked"):
        load_policy([copy])
    with pytest.raises(AssertionError, match="schema-checked"):
        load_policy([default_policy_file()], trust_shipped=False)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("false", (False, False)), ("true", (True, False)), ("allow-wildcard", (True, True))],
)
def test_inline_exemptions_option(tmp_path: Path, value: str, expected: tuple[bool, bool]) -> None:
    path = tmp_path / "policy.yml"
    path.write_text(f"version: 1\ninline_exemptions: {value}\nrules:\n  required-tags: {{}}\n")
    policy = load_policy([path])
    assert (policy.inline_exemptions, policy.inline_wildcard) == expected
