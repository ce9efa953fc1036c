"""The table report fits the terminal, counts like the JSON report and speaks English."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner

from costgate.cli import main
from costgate.model import Report
from tests.conftest import FIXTURES

TRAINING = str(FIXTURES / "terraform-plan" / "ml-training" / "plan.json")
USAGE = str(FIXTURES / "usage.yml")
LONG_REASON = " ".join(f"reason-word-{i:03d}" for i in range(20))  # 299 characters
COUNTS = re.compile(
    r"^(\d+) resources?: (\d+) priced(?: \((\d+) free(?:, \d+ partially)?\))?, (\d+) unpriced", re.M
)


def _patch_report(monkeypatch: pytest.MonkeyPatch, change: Callable[[Report], Report]) -> None:
    """Run the real breakdown of the bundled plan, then let *change* edit the report."""
    import costgate.run

    real = costgate.run.run_breakdown

    def patched(*args: Any, **kwargs: Any) -> Report:
        return change(real(*args, **kwargs))

    monkeypatch.setattr(costgate.run, "run_breakdown", patched)


def _with_long_reason(report: Report) -> Report:
    first, *rest = report.resources
    unpriced = dataclasses.replace(first, cost_lines=(), unpriced_reason=LONG_REASON)
    return dataclasses.replace(report, resources=(unpriced, *rest))


@pytest.mark.parametrize("width", [100, 72])
def test_a_long_unpriced_reason_wraps_within_the_width(
    width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(LONG_REASON) >= 299
    _patch_report(monkeypatch, _with_long_reason)
    monkeypatch.setenv("COLUMNS", str(width))
    result = CliRunner().invoke(main, ["breakdown", TRAINING, "--usage", USAGE])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= width
    reason_lines = [line for line in lines if "reason-word" in line]
    assert len(reason_lines) > 1  # wrapped, not cut
    assert reason_lines[0].startswith("  ! reason-word-000 ")
    assert all(line.startswith("    reason-word") for line in reason_lines[1:])  # indented
    assert " ".join(" ".join(reason_lines).split()) == f"! {LONG_REASON}"  # nothing lost


def test_a_table_written_to_a_pipe_defaults_to_100_columns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _patch_report(monkeypatch, _with_long_reason)
    monkeypatch.delenv("COLUMNS", raising=False)
    result = CliRunner().invoke(main, ["breakdown", TRAINING, "--usage", USAGE])
    widest = max(len(line) for line in result.output.splitlines())
    assert 80 < widest <= 100


def test_numeric_columns_stay_aligned_when_names_wrap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "72")
    result = CliRunner().invoke(main, ["breakdown", TRAINING, "--usage", USAGE])
    header, *rows = result.output.split("\n\n")[0].splitlines()
    monthly_end = header.index("MONTHLY") + len("MONTHLY")
    money_rows = [row for row in rows if row.rstrip().endswith(("0", "5", "9")) and "$" in row]
    assert money_rows and all(len(row) == monthly_end for row in money_rows)


def test_one_resource_is_singular(monkeypatch: pytest.MonkeyPatch) -> None:
    _patch_report(monkeypatch, lambda r: dataclasses.replace(r, resources=r.resources[:1]))
    result = CliRunner().invoke(main, ["breakdown", TRAINING, "--usage", USAGE])
    assert result.exit_code == 0, result.output
    assert "\n1 resource: 1 priced, 0 unpriced" in result.output
    assert "1 resources" not in result.output
    markdown = CliRunner().invoke(
        main, ["breakdown", TRAINING, "--usage", USAGE, "--format", "markdown"]
    )
    assert "1 resource" in markdown.output and "1 resources" not in markdown.output


def test_table_counts_equal_the_json_summary() -> None:
    args = ["check", TRAINING, "--usage", USAGE]
    table = CliRunner().invoke(main, args)
    document = json.loads(CliRunner().invoke(main, [*args, "--format", "json"]).output)
    summary, resources = document["summary"], document["resources"]
    # the JSON summary agrees with its own resource list ...
    assert summary["resources"] == len(resources)
    assert summary["priced"] == sum(1 for r in resources if r["unpriced_reason"] is None)
    assert summary["free"] == sum(1 for r in resources if r["free"])
    assert summary["priced"] + summary["unpriced"] == summary["resources"]
    assert summary["free"] > 0  # the example has free resources, so the test can tell
    # ... and the table says the same numbers
    found = COUNTS.search(table.output)
    assert found is not None, table.output
    total, priced, free, unpriced = (int(g or 0) for g in found.groups())
    assert (total, priced, free, unpriced) == (
        summary["resources"],
        summary["priced"],
        summary["free"],
        summary["unpriced"],
    )


def test_an_unexpected_exception_is_an_internal_error_exit_3(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import costgate.run

    def broken(*args: Any, **kwargs: Any) -> Report:
        raise RuntimeError("pricing exploded\nacross two lines")

    monkeypatch.setattr(costgate.run, "run_breakdown", broken)
    monkeypatch.delenv("COSTGATE_DEBUG", raising=False)
    result = CliRunner().invoke(main, ["check", TRAINING, "--usage", USAGE])
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    message = [line for line in result.output.splitlines() if "internal error" in line]
    assert len(message) == 1 and len(result.output.strip().splitlines()) == 1
    assert "RuntimeError: pricing exploded across two lines" in message[0]
    assert "a bug in costgate; please report it" in message[0]

    monkeypatch.setenv("COSTGATE_DEBUG", "1")
    debug = CliRunner().invoke(main, ["check", TRAINING, "--usage", USAGE])
    assert isinstance(debug.exception, RuntimeError)  # re-raised: the traceback shows


def test_internal_errors_are_caught_in_every_command(monkeypatch: pytest.MonkeyPatch) -> None:
    import costgate.policy.rules

    class Broken:
        def __iter__(self) -> Any:
            raise RuntimeError("no rules")

    monkeypatch.setattr(costgate.policy.rules, "ALL_RULES", Broken())
    monkeypatch.delenv("COSTGATE_DEBUG", raising=False)
    result = CliRunner().invoke(main, ["policies", "list"])
    assert result.exit_code == 3 and "internal error: RuntimeError: no rules" in result.output
