"""Tags, labels, regions and provider names are decided once, for every input format."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from costgate.cli import main
from costgate.inputs import read_input
from costgate.inputs.normalize import effective_tags, provider_name
from costgate.model import UNKNOWN, freeze
from costgate.pricing.catalog import load_catalog

LABELS = {"project": "vision", "team": "ml"}


def _gcs_plan(tmp_path: Path) -> Path:
    """A plan of one labelled GCS bucket, as `terraform show -json` writes it (google 5+:
    `effective_labels` add the provider's `default_labels`)."""
    after = {
        "name": "ckpt",
        "location": "US-CENTRAL1",
        "storage_class": "STANDARD",
        "labels": {"project": "vision"},
        "terraform_labels": LABELS,
        "effective_labels": LABELS,
    }
    doc = {
        "format_version": "1.2",
        "resource_changes": [
            {
                "address": "google_storage_bucket.ckpt",
                "type": "google_storage_bucket",
                "name": "ckpt",
                "provider_name": "registry.terraform.io/hashicorp/google",
                "change": {"actions": ["create"], "after": after, "after_unknown": {}},
            }
        ],
        "configuration": {
            "provider_config": {
                "google": {
                    "name": "google",
                    "expressions": {"default_labels": {"constant_value": {"team": "ml"}}},
                }
            }
        },
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc))
    return path


def test_google_labels_reach_the_json_and_markdown_reports(tmp_path: Path) -> None:
    plan = _gcs_plan(tmp_path)
    result = CliRunner().invoke(main, ["breakdown", str(plan), "--format", "json"])
    assert result.exit_code == 0, result.output
    (bucket,) = json.loads(result.output)["resources"]
    assert bucket["tags"] == LABELS
    markdown = CliRunner().invoke(main, ["breakdown", str(plan), "--format", "markdown"])
    assert "(no project tag)" not in markdown.output
    assert "vision" in markdown.output


def test_google_default_labels_of_the_provider_when_effective_labels_are_unknown(
    tmp_path: Path,
) -> None:
    plan = _gcs_plan(tmp_path)
    doc = json.loads(plan.read_text())
    change = doc["resource_changes"][0]["change"]
    for key in ("effective_labels", "terraform_labels"):
        del change["after"][key]
        change["after_unknown"][key] = True
    plan.write_text(json.dumps(doc))
    (bucket,) = read_input(plan).resources
    assert dict(bucket.tags) == LABELS


def test_google_labels_in_an_hcl_directory(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'provider "google" {\n  region = "us-central1"\n  default_labels = { team = "ml" }\n}\n'
        'resource "google_storage_bucket" "ckpt" {\n  name = "ckpt"\n  location = "US"\n'
        '  labels = { project = "vision" }\n}\n'
    )
    (bucket,) = read_input(tmp_path).resources
    assert dict(bucket.tags) == LABELS


def test_resource_tags_override_default_tags_and_unknown_values_are_left_out() -> None:
    values = freeze({"tags": {"team": "nlp", "owner": UNKNOWN}, "tags_all": UNKNOWN})
    tags = effective_tags("aws", values, freeze({"team": "platform", "env": "prod"}))
    assert dict(tags) == {"team": "nlp", "env": "prod"}


def test_provider_names_from_source_addresses_and_local_names() -> None:
    assert provider_name("registry.terraform.io/hashicorp/aws") == "aws"
    assert provider_name("google.west") == "google"
    assert provider_name("aws-v3", {"aws-v3": "hashicorp/aws"}) == "aws"
    # terraform-google-kubernetes-engine's beta modules: same cloud, same prices
    assert provider_name("registry.terraform.io/hashicorp/google-beta") == "google"
    assert provider_name("google-beta") == "google"
    assert provider_name("gb", {"gb": "hashicorp/google-beta"}) == "google"


def test_a_renamed_provider_in_an_hcl_directory_keeps_its_identity(tmp_path: Path) -> None:
    """Infracost's golden tests name their provider `aws-v3` (source hashicorp/aws)."""
    (tmp_path / "main.tf").write_text(
        'terraform {\n  required_providers {\n    aws-v3 = {\n      source = "hashicorp/aws"\n'
        '    }\n  }\n}\nprovider "aws-v3" {\n  region = "us-east-1"\n}\n'
        'resource "aws_instance" "web" {\n  provider = aws-v3\n  instance_type = "m5.xlarge"\n'
        "}\n"
    )
    (instance,) = read_input(tmp_path).resources
    assert instance.provider == "aws" and instance.region == "us-east-1"
    result = CliRunner().invoke(main, ["breakdown", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    (priced,) = json.loads(result.output)["resources"]
    hourly = load_catalog().price("aws", "ec2", "m5.xlarge", "us-east-1", "on_demand")
    assert hourly is not None and hourly.price == Decimal("0.192")
    assert priced["unpriced_reason"] is None
    # 730 h of m5.xlarge plus the AMI's root volume, assumed 8 GB gp2 at $0.10
    assert Decimal(priced["monthly_cost"]) == 730 * hourly.price + 8 * Decimal("0.10")
    assert Decimal(priced["monthly_cost"]) == Decimal("140.96")
