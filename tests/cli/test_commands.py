"""The command line contract: exit codes, formats, error messages without tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from costgate.cli import main
from tests.conftest import FIXTURES, shipped_document, validate_report, write_price_book

TRAINING = str(FIXTURES / "terraform-plan" / "ml-training" / "plan.json")
BASE = str(FIXTURES / "terraform-plan" / "ml-training" / "base-state.json")
CARELESS = str(FIXTURES / "terraform-plan" / "ml-careless" / "plan.json")
USAGE = str(FIXTURES / "usage.yml")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_check_passes_on_the_well_formed_stack() -> None:
    result = run("check", TRAINING, "--usage", USAGE)
    assert result.exit_code == 0, result.output
    assert "Result: PASS" in result.output
    assert "p4d.24xlarge, spot" in result.output


def test_check_fails_on_the_careless_stack_with_the_expected_findings() -> None:
    result = run("check", CARELESS, "--usage", USAGE, "--format", "json")
    assert result.exit_code == 1
    doc = validate_report(result.output)
    assert doc["result"] == "fail"
    got = {(f["rule"], f["resource"], f["message"], f["monthly_cost"]) for f in doc["findings"]}
    untagged = "missing required tags: team, project, environment, experiment_id, cost_center"
    bad_env = "tag environment='dev' is not one of: development, staging, production"
    h100 = (
        "p5.48xlarge runs 8 x NVIDIA H100 80GB, not allowed for environment=dev (allowed: "
        "*T4*, *A10G*, *L4*, *V100*, *A100*, AWS *)"
    )
    rule = "lifecycle rule 'checkpoints-cleanup'"
    assert got == {
        ("required-tags", "aws_instance.trainer", untagged, "16229.08"),
        ("required-tags", "aws_instance.dev_box[0]", bad_env, "40180.00"),
        ("required-tags", "aws_instance.dev_box[1]", bad_env, "40180.00"),
        (
            "required-tags",
            "aws_s3_bucket.checkpoints",
            "missing required tags: project, environment, experiment_id, cost_center",
            "207.00",
        ),
        ("required-tags", "aws_iam_role.trainer", untagged, "0.00"),
        # p4d on-demand 21.957642 x 730 = 16,029.08 (+ $200 gp2 root volume on both sides);
        # spot 14.2313 x 730 x 1.05 = 10,908.29
        (
            "spot-for-training",
            "aws_instance.trainer",
            "training workload (phase=training) runs on on-demand capacity: $16,229.08/month; "
            "on spot $11,108.29 incl. 5% interruption overhead, saving $5,120.79/month",
            "5120.79",
        ),
        (
            "storage-lifecycle",
            "aws_s3_bucket.checkpoints",
            "no lifecycle rules: every object stays in STANDARD and is never deleted "
            "($207.00/month)",
            "207.00",
        ),
        # the seed's example lifecycle rule on 2,000 GB of logs
        (
            "storage-lifecycle",
            "aws_s3_bucket.logs",
            f"S3 rejects {rule}: transition to STANDARD_IA at day 7, 7 days after entering "
            "STANDARD (minimum 30)",
            None,
        ),
        (
            "storage-lifecycle",
            "aws_s3_bucket.logs",  # 2,000 x 7/90 x 0.0125
            f"{rule} pays early deletion: objects are moved on after 23 days in STANDARD_IA, "
            "which bills at least 30 days: $1.94/month wasted on 2000 GB",
            "1.94",
        ),
        (
            "storage-lifecycle",
            "aws_s3_bucket.logs",  # 2,000 x 30/90 x 0.0036
            f"{rule} pays early deletion: objects are deleted after 60 days in GLACIER, which "
            "bills at least 90 days: $2.40/month wasted on 2000 GB",
            "2.40",
        ),
        ("gpu-allowlist", "aws_instance.dev_box[0]", h100, "40180.00"),
        ("gpu-allowlist", "aws_instance.dev_box[1]", h100, "40180.00"),
        (
            "budget",
            None,
            "monthly cost for team=cv-team is $82,387.77, over its $50,000.00 budget by $32,387.77",
            "82387.77",
        ),
        (
            "notebook-auto-stop",
            "aws_sagemaker_notebook_instance.scratch",
            "SageMaker notebook has no lifecycle configuration, so nothing stops it when idle",
            "602.99",
        ),
    }
    assert doc["summary"]["findings"] == {"error": 13, "warning": 1, "info": 0}
    spot = next(f for f in doc["findings"] if f["rule"] == "spot-for-training")
    assert spot["location"] == CARELESS and 'market_type = "spot"' in spot["remediation"]


def test_check_reports_inline_exemptions_as_exempted(tmp_path: Path) -> None:
    doc = json.loads(Path(CARELESS).read_text())
    trainer = next(r for r in doc["resource_changes"] if r["address"] == "aws_instance.trainer")
    trainer["change"]["after"]["tags_all"]["costgate:skip"] = "spot-for-training: 1-day benchmark"
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(doc))
    result = run("check", str(plan), "--usage", USAGE, "--format", "json")
    findings = validate_report(result.output)["findings"]
    spot = next(f for f in findings if f["rule"] == "spot-for-training")
    assert spot["exempted"] is True
    assert spot["exemption"]["reason"] == "1-day benchmark"


def test_diff_fails_on_a_cost_regression() -> None:
    # careless -> training would be a decrease; training -> careless rises far beyond +10 %
    result = run("diff", TRAINING, CARELESS, "--usage", USAGE, "--format", "json")
    assert result.exit_code == 1
    doc = validate_report(result.output)
    [regression] = [f for f in doc["findings"] if f["rule"] == "cost-regression"]
    assert regression["message"].startswith("monthly cost rises by +$")
    assert regression["message"].endswith("; the limit is +10%")
    assert regression["monthly_cost"] == doc["diff"]["delta"]


def test_json_report_totals_and_cost_lines_add_up() -> None:
    result = run("breakdown", TRAINING, "--usage", USAGE, "--format", "json")
    assert result.exit_code == 0
    doc = validate_report(result.output)
    assert "diff" not in doc
    total = Decimal(0)
    for res in doc["resources"]:
        line_sum = Decimal(0)
        for line in res["cost_lines"]:
            assert Decimal(line["quantity"]) * Decimal(line["unit_price"]) == Decimal(
                line["monthly_cost"]
            )
            assert line["source"] and line["as_of"]
            line_sum += Decimal(line["monthly_cost"])
        assert abs(Decimal(res["monthly_cost"]) - line_sum) <= Decimal("0.005")
        total += line_sum
    assert Decimal(doc["summary"]["monthly_cost"]) == total.quantize(Decimal("0.01"))
    assert doc["summary"] == {**doc["summary"], "resources": 8, "priced": 8, "unpriced": 0}


def test_diff_between_state_and_plan() -> None:
    result = run("diff", BASE, TRAINING, "--usage", USAGE, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = validate_report(result.output)
    changes = {r["address"]: r for r in doc["diff"]["resources"]}
    trainer = changes["aws_instance.trainer"]
    assert trainer["change"] == "changed"
    assert Decimal(trainer["delta"]) < 0  # on-demand -> spot
    assert changes["module.eks.aws_eks_node_group.gpu"]["change"] == "added"
    assert Decimal(changes["module.eks.aws_eks_node_group.gpu"]["base_monthly_cost"]) == 0
    head = Decimal(doc["diff"]["head_monthly_cost"])
    base = Decimal(doc["diff"]["base_monthly_cost"])
    assert head == Decimal(doc["summary"]["monthly_cost"])
    assert Decimal(doc["diff"]["delta"]) == head - base  # printed delta = printed totals
    table = run("diff", BASE, TRAINING, "--usage", USAGE)
    assert "Cost diff" in table.output and "added" in table.output


def test_output_file_is_written_and_stdout_is_empty(tmp_path: Path) -> None:
    out = tmp_path / "reports" / "cost.json"
    result = run("breakdown", TRAINING, "--usage", USAGE, "--format", "json", "-o", str(out))
    assert result.exit_code == 0 and result.output == ""
    validate_report(out.read_text())


def test_pricing_show_and_validate() -> None:
    show = run("pricing", "show", "p4d.24xlarge", "--region", "us-east-1")
    assert show.exit_code == 0
    assert "NVIDIA A100" in show.output and "21.957642" in show.output
    assert "us-west-2" not in show.output
    validate = run("pricing", "validate")
    assert validate.exit_code == 0, validate.output
    assert "0 error(s)" in validate.output


def test_pricing_validate_reports_a_broken_catalog(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    doc = shipped_document("aws")
    doc["prices"].append(dict(doc["prices"][0]))
    doc["prices"].append(dict(doc["prices"][1], price="0"))
    spot = next(p for p in doc["prices"] if p["kind"] == "spot")
    spot["price"] = "999999"
    bad.write_text(json.dumps(doc))
    result = run("pricing", "validate", str(bad))
    assert result.exit_code == 1
    assert "duplicate of /prices/0" in result.output
    assert "is not positive" in result.output
    assert "is above on-demand" in result.output


def test_user_catalog_overrides_a_single_price(tmp_path: Path) -> None:
    override = write_price_book(
        tmp_path / "discount.json",
        "aws",
        [
            {
                "service": "ec2",
                "product": "p4d.24xlarge",
                "region": "us-east-1",
                "kind": "spot",
                "price": "10",
            }
        ],
    )
    result = run(
        "breakdown", TRAINING, "--usage", USAGE, "--format", "json", "--catalog", str(override)
    )
    doc = validate_report(result.output)
    trainer = next(r for r in doc["resources"] if r["address"] == "aws_instance.trainer")
    assert trainer["cost_lines"][0]["unit_price"] == "10"
    assert trainer["cost_lines"][0]["source"] == "file:discount.json"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"format_version": "1.2", "resource_changes": [{"address"', "truncated"),
        (b'{"kind": "something else"}', "not a recognised input"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a text file"),
    ],
)
def test_bad_input_files_exit_2_with_a_message(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "input.json"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert expected in result.output
    assert str(path) in result.output
    assert "Traceback" not in result.output


def test_directory_without_input_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 2
    assert "no recognisable input in this directory" in result.output


def test_unreadable_file_exits_2() -> None:
    # /proc/self/mem cannot be read from offset 0, even by root: a real I/O error.
    result = CliRunner().invoke(main, ["check", "/proc/self/mem"])
    assert result.exit_code == 2
    assert "cannot read the file" in result.output
    assert "/proc/self/mem" in result.output


def test_missing_file_exits_2() -> None:
    result = CliRunner().invoke(main, ["check", "/nonexistent/plan.json"])
    assert result.exit_code == 2 and "no such file" in result.output


def test_usage_file_with_wrong_keys_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "usage.yml"
    bad.write_text("version: 1\nresources:\n  aws_s3_bucket.x:\n    storage_gigabytes: 10\n")
    result = CliRunner().invoke(main, ["check", TRAINING, "--usage", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:4:5" in result.output
    assert "storage_gigabytes" in result.output


def test_usage_file_that_is_not_yaml(tmp_path: Path) -> None:
    bad = tmp_path / "usage.yml"
    bad.write_text("version: 1\nresources: [unclosed\n")
    result = CliRunner().invoke(main, ["breakdown", TRAINING, "--usage", str(bad)])
    assert result.exit_code == 2 and "not valid YAML" in result.output


def test_unknown_option_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["check", TRAINING, "--format", "pdf"])
    assert result.exit_code == 2


def test_fail_on_warning_and_quiet() -> None:
    quiet = run("check", CARELESS, "--usage", USAGE, "--quiet")
    assert quiet.exit_code == 1 and quiet.output == ""


def test_cli_starts_without_importing_heavy_modules() -> None:
    # `costgate --help` must stay fast: parsers, schemas and pricers load on demand.
    code = (
        "import sys; from costgate.cli import main\n"
        "heavy = [m for m in ('yaml', 'jsonschema', 'costgate.pricing.engine', 'hcl2', "
        "'lark', 'pulumi', 'boto3', 'botocore') if m in sys.modules]\nprint(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ}
    )
    assert out.stdout.strip() == "[]"


def test_a_plan_check_loads_no_code_of_other_input_formats(tmp_path: Path) -> None:
    # a plan is JSON: the HCL parser and the Pulumi program runner are not imported, and
    # once the policy and usage files are known valid, neither is jsonschema
    code = (
        "import sys; from costgate.cli import main\n"
        f"sys.argv = ['costgate', 'check', {str(TRAINING)!r}, '--usage', {str(USAGE)!r}, "
        "'-q']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print([m for m in ('costgate.inputs.terraform.hcl.syntax', "
        "'costgate.inputs.pulumi.program', "
        "'hcl2', 'lark', 'pulumi', 'jsonschema') if m in sys.modules])"
    )
    env = {**os.environ, "COSTGATE_CACHE_DIR": str(tmp_path / "cache")}
    first = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert first.stdout.strip() == "['jsonschema']"
    again = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert again.stdout.strip() == "[]"


def test_a_terraform_directory_check_loads_no_pulumi_code() -> None:
    hcl_dir = str(FIXTURES / "terraform-plan" / "ml-training")
    code = (
        "import sys; from costgate.cli import main\n"
        f"sys.argv = ['costgate', 'check', {hcl_dir!r}, '-q']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('costgate.inputs.terraform.hcl.syntax' in sys.modules, [m for m in ("
        "'costgate.inputs.pulumi.program', 'costgate.inputs.pulumi.state', 'pulumi') "
        "if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ}
    )
    assert out.stdout.strip() == "True []"


def test_console_script_runs_the_bundled_example() -> None:
    out = subprocess.run(
        ["costgate", "check", TRAINING, "--usage", USAGE], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert "Monthly cost:" in out.stdout
    # the program leaves without interpreter teardown: exit codes and output survive it
    failing = subprocess.run(
        ["costgate", "check", CARELESS, "--usage", USAGE, "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert failing.returncode == 1 and json.loads(failing.stdout)["result"] == "fail"
    missing = subprocess.run(
        ["costgate", "check", "no-such-plan.json"], capture_output=True, text=True
    )
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_a_closed_pipe_is_not_an_internal_error() -> None:
    # `costgate pricing show ... | head -1`: the reader leaves before costgate is done
    proc = subprocess.Popen(
        [sys.executable, "-m", "costgate", "pricing", "show", "p4d.24xlarge"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait() == 141
    assert "internal error" not in err and "Traceback" not in err


def test_user_catalog_with_a_zero_price_is_rejected(tmp_path: Path) -> None:
    # a price book entry of 0 would price every matching resource at $0: refuse it
    override = write_price_book(
        tmp_path / "book.json",
        "aws",
        [
            {
                "service": "ec2",
                "product": "p4d.24xlarge",
                "region": "us-east-1",
                "kind": "spot",
                "price": "0",
            }
        ],
    )
    result = CliRunner().invoke(main, ["check", TRAINING, "--catalog", str(override)])
    assert result.exit_code == 2
    assert f"{override}:/prices/0: price 0 is not positive" in result.output


class _Exited(Exception):
    """os._exit, caught: the test process must go on."""


def test_the_program_exits_directly_with_the_code_and_the_collector_off(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import gc

    from costgate import cli

    def exit_now(code: int) -> None:
        raise _Exited(code)

    monkeypatch.setattr(cli.os, "_exit", exit_now)
    monkeypatch.setattr(sys, "argv", ["costgate", "check", CARELESS, "--usage", USAGE])
    try:
        with pytest.raises(_Exited) as exited:
            cli.entry()
        collecting = gc.isenabled()
    finally:
        gc.enable()
    assert exited.value.args == (1,)  # the careless stack fails its policy
    assert not collecting  # no full collection between the report and the exit
    assert "Result: FAIL" in capsys.readouterr().out


def test_in_process_commands_give_the_collector_back() -> None:
    import gc

    assert gc.isenabled()
    assert run("check", TRAINING, "--usage", USAGE, "-q").exit_code == 0
    assert gc.isenabled()
