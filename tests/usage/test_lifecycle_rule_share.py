"""`lifecycle_rule_share` in a usage file: validated by the schema, checked against the
bucket's rules (exit 2 naming the rule), and priced through the CLI."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from costgate.cli import main

TF = """\
provider "aws" {
  region = "us-east-1"
}

resource "aws_s3_bucket" "runs" {
  bucket = "runs"
}

resource "aws_s3_bucket_lifecycle_configuration" "runs" {
  bucket = aws_s3_bucket.runs.id
  rule {
    id     = "cold-runs"
    status = "Enabled"
    filter {
      tag {
        key   = "tier"
        value = "cold"
      }
    }
    transition {
      days          = 30
      storage_class = "GLACIER"
    }
  }
}
"""


def _run(tmp_path: Path, share: str) -> tuple[int, str, Path]:
    (tmp_path / "main.tf").write_text(TF)
    usage = tmp_path / "usage.yml"
    usage.write_text(
        "version: 1\nresources:\n  aws_s3_bucket.runs:\n    storage_gb: 1000\n"
        f"    lifecycle_rule_share:\n{share}"
    )
    args = ["breakdown", str(tmp_path), "--usage", str(usage), "--format", "json"]
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.output, usage


def test_the_share_prices_through_the_cli(tmp_path: Path) -> None:
    code, out, _ = _run(tmp_path, "      cold-runs: 0.4\n")
    assert code == 0, out
    (bucket,) = [r for r in json.loads(out)["resources"] if r["address"] == "aws_s3_bucket.runs"]
    # 400 GB over the 365-day assumed lifetime: 30/365 STANDARD, 335/365 GLACIER at
    # us-east-1's 0.023 and 0.0036; 600 GB STANDARD
    expected = (
        Decimal("32.876712") * Decimal("0.023")
        + Decimal("367.123288") * Decimal("0.0036")
        + 600 * Decimal("0.023")
    )
    assert Decimal(str(bucket["monthly_cost"])) == expected.quantize(Decimal("0.01"))


def test_a_rule_id_the_bucket_lacks_is_exit_2_naming_it(tmp_path: Path) -> None:
    code, out, usage = _run(tmp_path, "      warm-runs: 0.4\n")
    assert code == 2, out
    assert str(usage) in out and "'warm-runs'" in out and "no lifecycle rule" in out
    assert "Traceback" not in out


def test_a_share_above_one_is_rejected_by_the_schema(tmp_path: Path) -> None:
    code, out, usage = _run(tmp_path, "      cold-runs: 1.5\n")
    assert code == 2, out
    assert f"{usage}:6" in out
