"""The CLI on Pulumi inputs: one-argument diff from a preview, exit 2 for bad input."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner, Result

from costgate.cli import main
from tests.conftest import FIXTURES, validate_report

ML = FIXTURES / "pulumi" / "ml-training"
USAGE = str(FIXTURES / "usage.yml")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_diff_from_a_single_preview_equals_diff_of_the_exports() -> None:
    single = run("diff", str(ML / "preview.json"), "--usage", USAGE, "--format", "json")
    pair = run(
        "diff",
        str(ML / "base-export.json"),
        str(ML / "export.json"),
        "--usage",
        USAGE,
        "--format",
        "json",
    )
    assert single.exit_code == 0, single.output
    assert pair.exit_code == 0, pair.output
    one, two = validate_report(single.output)["diff"], validate_report(pair.output)["diff"]
    assert one == two
    changes = {r["address"]: r["change"] for r in one["resources"]}
    assert changes == {
        "aws_instance.trainer": "changed",
        "aws_s3_bucket.checkpoints": "changed",
        "aws_s3_bucket_lifecycle_configuration.checkpoints": "added",
        "aws_ebs_volume.dataset": "unchanged",
        "aws_iam_role.trainer": "unchanged",
    }
    assert Decimal(one["delta"]) < 0  # on-demand -> spot, and the checkpoints now expire


def test_diff_with_one_input_that_has_no_baseline_is_a_usage_error() -> None:
    result = run("diff", str(FIXTURES / "terraform-plan" / "ml-training" / "plan.json"))
    assert result.exit_code == 2
    assert "does not say what it changes from" in result.output


def test_check_runs_the_program_directory() -> None:
    result = run("check", str(ML), "--usage", USAGE, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = validate_report(result.output)
    assert doc["summary"]["monthly_cost"] == "11123.75"


def test_bad_program_is_exit_2_with_its_error(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: bad\nruntime: python\n")
    (tmp_path / "__main__.py").write_text("import pulumi\nraise RuntimeError('no quota')\n")
    result = run("check", str(tmp_path))
    assert result.exit_code == 2
    assert (
        "__main__.py:2: the Pulumi program failed under costgate's mocks: "
        "RuntimeError: no quota" in result.output
    )
    assert "Traceback" not in result.output


def test_truncated_preview_json_is_exit_2(tmp_path: Path) -> None:
    text = (ML / "preview.json").read_text()
    broken = tmp_path / "preview.json"
    broken.write_text(text[: len(text) // 2])
    result = run("diff", str(broken))
    assert result.exit_code == 2
    assert "the file looks truncated" in result.output and "Pulumi preview" in result.output


def test_reading_pulumi_inputs_does_not_import_the_sdk_in_process() -> None:
    code = (
        "import sys; from pathlib import Path; from costgate.inputs import read_input; "
        f"read_input(Path({str(ML)!r})); read_input(Path({str(ML / 'preview.json')!r})); "
        "print([m for m in ('pulumi', 'pulumi_aws', 'pulumi_policy') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_program_failing_on_an_invoke_is_exit_2_naming_it(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: zones\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  aws:region: us-west-2\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi_aws as aws\nzones = aws.get_availability_zones()\nfourth = zones.names[3]\n"
    )
    result = run("check", str(tmp_path))
    assert result.exit_code == 2
    assert (
        "__main__.py:3: the Pulumi program failed on a value from invoke "
        "aws:index/getAvailabilityZones:getAvailabilityZones (called at __main__.py:2)"
    ) in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_invokes_without_a_configured_region_say_which_they_used(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: zones\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi_aws as aws\n"
        "zones = aws.get_availability_zones()\n"
        "aws.ebs.Volume('data', availability_zone=zones.names[0], size=100, type='gp3')\n"
    )
    result = run("check", str(tmp_path), "--format", "json")
    assert result.exit_code != 2, result.output
    doc = validate_report(result.output)
    [volume] = doc["resources"]
    assert (volume["address"], volume["region"]) == ("aws_ebs_volume.data", "us-east-1")
    # 100 GB of gp3 at $0.08 per GB-month in us-east-1
    assert volume["monthly_cost"] == "8.00"
    warnings = " ".join(" ".join(w.split()) for w in doc["warnings"])
    assert "no aws:region in the stack config: invokes answered with a default region" in (warnings)
    assert "(aws: us-east-1)" in warnings


def test_a_preview_step_without_states_is_listed_not_fatal(tmp_path: Path) -> None:
    urn = "urn:pulumi:dev::proj::aws:ec2/instance:Instance::gpu"
    preview = tmp_path / "preview.json"
    preview.write_text(f'{{"steps": [{{"op": "create", "urn": "{urn}"}}]}}')
    result = run("check", str(preview), "--format", "json")
    assert result.exit_code != 2, result.output
    [gpu] = validate_report(result.output)["resources"]
    assert gpu["address"] == "aws_instance.gpu"
    assert "carries neither oldState nor newState" in gpu["unpriced_reason"]
