"""Partial pricing (issue 15): a resource with one component the catalog cannot price keeps
its priced components, lists the missing one, and is counted as partially priced; the
unpriced-resources rule still flags it, as an error when its GPU hours are what is missing."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from costgate.cli import main
from costgate.model import Severity
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import make_resource, usage
from tests.policy.helpers import run_rule

NEW_GPU = {
    "instance_type": "p6e-gb200.36xlarge",  # not in the catalog
    "root_block_device": [{"volume_size": 200, "volume_type": "gp3"}],
}


def test_the_root_volume_is_priced_and_the_instance_listed_as_missing(catalog: Catalog) -> None:
    gp3 = catalog.price("aws", "ebs", "gp3", "us-east-1", "storage")
    assert gp3 is not None and gp3.price == Decimal("0.08")
    (priced,) = price_resources((make_resource("aws_instance", NEW_GPU),), catalog, usage())
    assert priced.priced and priced.partial
    (line,) = priced.cost_lines
    # 200 GB x $0.08 = $16.00: the volume is still priced
    assert line.name == "Root volume (gp3, 200 GB)" and priced.monthly_cost == Decimal("16.00")
    assert priced.missing == (
        "Instance usage not priced: ec2 'p6e-gb200.36xlarge' is not in the pricing catalog",
    )


def test_a_partially_priced_gpu_instance_is_an_error(catalog: Catalog) -> None:
    trainer = make_resource("aws_instance", NEW_GPU, address="aws_instance.trainer")
    (finding,) = run_rule("unpriced-resources", [trainer], catalog, severity=Severity.WARNING)
    assert finding.severity is Severity.ERROR
    assert finding.message.startswith("partially priced: Instance usage not priced")


def test_reports_count_and_show_partial_resources(tmp_path: Path) -> None:
    plan = {
        "format_version": "1.2",
        "resource_changes": [
            {
                "address": "aws_instance.trainer",
                "type": "aws_instance",
                "name": "trainer",
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {
                    "actions": ["create"],
                    "after": {**NEW_GPU, "availability_zone": "us-east-1a"},
                    "after_unknown": {},
                },
            }
        ],
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    doc = json.loads(CliRunner().invoke(main, ["breakdown", str(path), "--format", "json"]).output)
    assert doc["summary"]["partial"] == 1 and doc["summary"]["cost_bearing"] == 1
    assert doc["resources"][0]["missing"][0].startswith("Instance usage not priced")
    table = CliRunner().invoke(main, ["breakdown", str(path)]).output
    assert "1 resource: 1 priced (1 partially), 0 unpriced; 1 of 1 cost-bearing priced" in table
    assert "! Instance usage not priced: ec2 'p6e-gb200.36xlarge'" in table
