"""The runner emulator's expressions: what action.yml's `if:` conditions need, as GitHub
evaluates them (case-insensitive string equality, `&&`/`||` returning operands)."""

from __future__ import annotations

import yaml

from tests.conftest import REPO
from tests.helpers.action_runner import evaluate, substitute

CONTEXT = {
    "inputs": {"comment": "update", "upload-sarif": "true"},
    "steps": {"run": {"outputs": {"exit-code": "1"}, "outcome": "success"}},
    "github": {"event_name": "pull_request", "event": {"pull_request": {"number": 7}}},
}
STATUS = {"success": lambda: True, "failure": lambda: False, "cancelled": lambda: False}


def test_comparisons_and_logic() -> None:
    assert evaluate("inputs.comment != 'off' && steps.run.outputs.exit-code != ''", CONTEXT, {})
    assert evaluate("github.event_name == 'PULL_REQUEST'", CONTEXT, {})
    assert not evaluate("${{ !cancelled() && inputs.upload-sarif == 'false' }}", CONTEXT, STATUS)
    assert evaluate("(inputs.missing == '' || false) && success()", CONTEXT, STATUS)
    assert evaluate("inputs.nope || 'fallback'", CONTEXT, {}) == "fallback"
    assert substitute("pr ${{ github.event.pull_request.number }}!", CONTEXT) == "pr 7!"


def test_every_condition_of_the_action_parses() -> None:
    steps = yaml.safe_load((REPO / "action.yml").read_text())["runs"]["steps"]
    status = {**STATUS, "always": lambda: True}
    for step in steps:
        if "if" in step:
            evaluate(str(step["if"]), CONTEXT, status)
