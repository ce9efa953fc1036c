"""Every reporter on the fixture stacks, compared with checked-in golden files.

Runs go through the CLI from the repository root with relative paths, so no absolute
path or clock can leak into the output (the catalog-age warning, which compares with
today, is turned off). `pytest --update-golden` rewrites the files;
review the diff before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from costgate.cli import main
from costgate.report import REPORTERS
from tests.conftest import REPO

GOLDEN = Path(__file__).parent / "golden"
EXTENSIONS = {
    "table": "txt",
    "json": "json",
    "markdown": "md",
    "github": "log",
    "sarif": "sarif",
    "junit": "xml",
}
COMMON = (
    "--usage",
    "fixtures/usage.yml",
    "--policy",
    "policies/default.yaml",
    "--max-catalog-age-days",
    "0",
)  # the stale-catalog warning depends on today's date
SCENARIOS = {
    "training-check": (("check", "fixtures/terraform-plan/ml-training/plan.json"), 0),
    "careless-check": (("check", "fixtures/terraform-plan/ml-careless/plan.json"), 1),
    "training-diff": (
        (
            "diff",
            "fixtures/terraform-plan/ml-training/base-state.json",
            "fixtures/terraform-plan/ml-training/plan.json",
        ),
        0,
    ),
}


def render(scenario: str, fmt: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(REPO)
    args, exit_code = SCENARIOS[scenario]
    result = CliRunner().invoke(main, [*args, *COMMON, "--format", fmt], catch_exceptions=False)
    assert result.exit_code == exit_code, result.output
    return result.output


def test_every_registered_format_has_a_golden_extension() -> None:
    assert set(EXTENSIONS) == set(REPORTERS)


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_golden(
    scenario: str, fmt: str, monkeypatch: pytest.MonkeyPatch, update_golden: bool
) -> None:
    text = render(scenario, fmt, monkeypatch)
    golden = GOLDEN / f"{scenario}.{EXTENSIONS[fmt]}"
    if update_golden:
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"{golden.name} missing: run pytest --update-golden"
    assert text == golden.read_text(encoding="utf-8")
    assert str(REPO) not in text
    assert render(scenario, fmt, monkeypatch) == text  # deterministic


def test_report_option_writes_the_same_text_as_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    args, _ = SCENARIOS["careless-check"]
    sarif, junit = tmp_path / "out" / "c.sarif", tmp_path / "c.xml"
    result = CliRunner().invoke(
        main,
        [
            *args,
            *COMMON,
            "--format",
            "github",
            "--report",
            f"sarif={sarif}",
            "--report",
            f"junit={junit}",
        ],
    )
    assert result.exit_code == 1
    assert result.output == (GOLDEN / "careless-check.log").read_text()
    assert sarif.read_text() == (GOLDEN / "careless-check.sarif").read_text()
    assert junit.read_text() == (GOLDEN / "careless-check.xml").read_text()


@pytest.mark.parametrize("value", ["sarif", "pdf=x.pdf", "sarif="])
def test_report_option_rejects_bad_values(value: str) -> None:
    result = CliRunner().invoke(main, ["check", "x.json", "--report", value])
    assert result.exit_code == 2
    assert "expected FORMAT=FILE with FORMAT one of table, json, markdown" in result.output
