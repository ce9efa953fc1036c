"""Infracost usage files are read as they are (issue 15): detected by content, validated,
their shared keys translated (`monthly_hrs`, `instances`/`nodes`, `standard.storage_gb`),
and every key costgate does not use named in the report's warnings."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from costgate.cli import main
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from costgate.usage import load_usage
from tests.conftest import make_resource

INFRACOST_USAGE = """\
version: 0.1
resource_type_default_usage:
  aws_instance:
    monthly_hrs: 730
resource_usage:
  aws_instance.dev:
    monthly_hrs: 100
    operating_system: linux
    reserved_instance_type: standard
    reserved_instance_term: 5_year
  aws_autoscaling_group.workers:
    instances: 3
  aws_s3_bucket.data:
    standard:
      storage_gb: 1000
      monthly_tier_1_requests: 10000
"""


def _usage(tmp_path: Path, text: str = INFRACOST_USAGE) -> Path:
    path = tmp_path / "infracost-usage.yml"
    path.write_text(text)
    return path


def test_shared_keys_price_and_the_rest_are_warnings(tmp_path: Path, catalog: Catalog) -> None:
    usage = load_usage(_usage(tmp_path))
    hourly = catalog.price("aws", "ec2", "m5.xlarge", "us-east-1", "on_demand")
    standard = catalog.price("aws", "s3", "STANDARD", "us-east-1", "storage")
    assert hourly is not None and hourly.price == Decimal("0.192")
    assert standard is not None and standard.price == Decimal("0.023")
    template = make_resource(
        "aws_launch_template", {"instance_type": "m5.xlarge"}, address="aws_launch_template.w"
    )
    resources = (
        make_resource("aws_instance", {"instance_type": "m5.xlarge"}, address="aws_instance.dev"),
        template,
        make_resource(
            "aws_autoscaling_group",
            {"desired_capacity": 10, "launch_template": [{"id": None}]},
            address="aws_autoscaling_group.workers",
            references={"launch_template.id": ("aws_launch_template.w",)},
        ),
        make_resource("aws_s3_bucket", {"bucket": "data"}, address="aws_s3_bucket.data"),
    )
    priced = {p.resource.address: p for p in price_resources(resources, catalog, usage)}
    # 100 h x $0.192 = $19.20; 3 instances x 730 h x $0.192 = $420.48; 1,000 GB x $0.023 = $23
    # + 10,000 PUT requests (monthly_tier_1_requests) = 10 x 1k x $0.005 = $0.05
    assert priced["aws_instance.dev"].cost_lines[0].monthly_cost == Decimal("19.200")
    assert priced["aws_autoscaling_group.workers"].monthly_cost == Decimal("420.48")
    assert priced["aws_s3_bucket.data"].monthly_cost == Decimal("23.050")
    # operating_system and reserved_instance_type are read; a term Infracost does not
    # know (5_year) is not, so the reservation is incomplete: on-demand, and the note says so
    assert usage.for_resource(resources[0])["operating_system"] == "linux"
    assert usage.for_resource(resources[0])["reserved_instance_type"] == "standard"
    assert any("aws_instance.dev: reserved_instance_term not used" in w for w in usage.warnings)
    assert any("reservation is ignored" in n for n in priced["aws_instance.dev"].notes)
    assert not any("monthly_tier_1_requests" in w for w in usage.warnings)


def test_the_warnings_reach_the_report(tmp_path: Path) -> None:
    plan = Path(__file__).parents[2] / "fixtures" / "terraform-plan" / "ml-training" / "plan.json"
    result = CliRunner().invoke(
        main,
        ["breakdown", str(plan), "--usage", str(_usage(tmp_path)), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    warnings = json.loads(result.output)["warnings"]
    assert any("Infracost usage for aws_instance.dev" in w for w in warnings)


def test_a_negative_value_is_an_error_pointing_at_its_entry(tmp_path: Path) -> None:
    path = _usage(
        tmp_path, "version: 0.1\nresource_usage:\n  aws_instance.x:\n    monthly_hrs: -5\n"
    )
    plan = Path(__file__).parents[2] / "fixtures" / "terraform-plan" / "ml-training" / "plan.json"
    result = CliRunner().invoke(main, ["breakdown", str(plan), "--usage", str(path)])
    assert result.exit_code == 2
    assert f"{path}:3:" in result.output and "Infracost usage file" in result.output


def test_storage_account_keys_and_every_instance_wildcard(tmp_path: Path) -> None:
    text = """\
version: 0.1
resource_usage:
  azurerm_storage_account.blob[*]:
    storage_gb: 2000
    monthly_write_operations: 20000
    monthly_data_retrieval_gb: 5
    blob_index_tags: 100
"""
    usage = load_usage(_usage(tmp_path, text))
    one = make_resource("azurerm_storage_account", {}, address='azurerm_storage_account.blob["a"]')
    assert dict(usage.for_resource(one)) == {
        "storage_gb": 2000,
        "monthly_write_operations": 20000,
        "monthly_data_retrieval_gb": 5,
        "blob_index_tags": 100,
    }
    assert not usage.warnings
