"""Nothing in a usage file is ignored silently: a key no pricing read, and an address entry
that matches no resource of the plan, are run warnings naming the file, entry and keys."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from costgate.cli import main
from costgate.model import PricedResource, Resource
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from costgate.usage import Usage, load_usage
from costgate.usage_check import unused_usage_warnings
from tests.conftest import make_resource, validate_report

D = Decimal


def _volume(name: str, volume_type: str, size: int = 20) -> Resource:
    return make_resource(
        "aws_ebs_volume",
        {"availability_zone": "us-east-1a", "size": size, "type": volume_type},
        address=f"aws_ebs_volume.{name}",
    )


def _instance(address: str = "aws_instance.web") -> Resource:
    return make_resource("aws_instance", {"instance_type": "m5.large"}, address=address)


def _usage(tmp_path: Path, text: str, name: str = "usage.yml") -> Usage:
    path = tmp_path / name
    path.write_text(text)
    return load_usage(path)


def _check(
    catalog: Catalog, usage: Usage, *resources: Resource
) -> tuple[list[str], dict[str, PricedResource]]:
    priced = price_resources(resources, catalog, usage)
    return unused_usage_warnings(usage, priced), {p.resource.address: p for p in priced}


def test_io_requests_on_a_gp3_volume_are_not_used_and_say_why(
    tmp_path: Path, catalog: Catalog
) -> None:
    usage = _usage(
        tmp_path,
        "version: 1\nresources:\n  aws_ebs_volume.data:\n    monthly_io_requests: 5000000\n",
    )
    warnings, priced = _check(catalog, usage, _volume("data", "gp3"))
    assert warnings == [
        f"usage file {tmp_path / 'usage.yml'}: aws_ebs_volume.data: monthly_io_requests not "
        "used: a gp3 volume does not bill I/O requests"
    ]
    # 20 GB x $0.08 (gp3 in us-east-1), and no request line
    assert [line.name for line in priced["aws_ebs_volume.data"].cost_lines] == [
        "Storage (gp3, 20 GB)"
    ]
    assert priced["aws_ebs_volume.data"].monthly_cost == D("1.60")


def test_io_requests_on_a_standard_volume_are_priced_without_a_warning(
    tmp_path: Path, catalog: Catalog
) -> None:
    storage = catalog.price("aws", "ebs", "standard", "us-east-1", "storage")
    io = catalog.price("aws", "ebs", "standard", "us-east-1", "io_requests")
    hourly = catalog.price("aws", "ec2", "m5.large", "us-east-1", "on_demand")
    assert storage is not None and storage.price == D("0.05")
    assert io is not None and (io.price, io.unit) == (D("0.00005"), "1k requests")
    assert hourly is not None and hourly.price == D("0.096")
    usage = _usage(
        tmp_path,
        "version: 1\nresources:\n"
        "  aws_ebs_volume.logs:\n    monthly_io_requests: 5000000\n"
        "  aws_instance.web:\n    monthly_hours: 730\n",
    )
    warnings, priced = _check(catalog, usage, _volume("logs", "standard"), _instance())
    assert warnings == []
    volume = priced["aws_ebs_volume.logs"]
    # 20 GB x $0.05 = $1.00; 5,000,000 requests = 5,000 x 1k at $0.00005 = $0.25
    assert {line.name: line.monthly_cost for line in volume.cost_lines} == {
        "Storage (standard, 20 GB)": D("1.00"),
        "I/O requests (standard)": D("0.25"),
    }
    lines = {line.name: line for line in priced["aws_instance.web"].cost_lines}
    hours = lines["Instance usage (m5.large, on-demand)"]
    # 730 h x $0.096 = $70.08
    assert (hours.quantity, hours.monthly_cost) == (D(730), D("70.08"))


def test_keys_a_pricer_never_reads_are_named(tmp_path: Path, catalog: Catalog) -> None:
    usage = _usage(
        tmp_path,
        "version: 1\nresources:\n"
        "  aws_instance.web:\n    storage_gb: 100\n    monthly_hours: 200\n"
        "  aws_ebs_volume.logs:\n    monthly_hours: 100\n",
    )
    warnings, _ = _check(catalog, usage, _instance(), _volume("logs", "standard"))
    where = f"usage file {tmp_path / 'usage.yml'}"
    assert warnings == [
        f"{where}: aws_instance.web: storage_gb not used for this resource",
        f"{where}: aws_ebs_volume.logs: monthly_hours not used for this resource",
    ]


def test_an_address_that_matches_no_resource_is_one_warning(
    tmp_path: Path, catalog: Catalog
) -> None:
    usage = _usage(
        tmp_path,
        "version: 1\nresources:\n"
        "  aws_instance.wbe:\n    monthly_hours: 200\n    storage_gb: 3\n"
        "  aws_instance.web:\n    monthly_hours: 200\n",
    )
    warnings, _ = _check(catalog, usage, _instance())
    assert warnings == [
        f"usage file {tmp_path / 'usage.yml'}: usage entry for aws_instance.wbe matches no "
        "resource in the plan"
    ]


def test_a_type_default_read_by_one_resource_of_the_type_is_not_reported(
    tmp_path: Path, catalog: Catalog
) -> None:
    usage = _usage(
        tmp_path, "version: 1\ndefaults:\n  aws_ebs_volume:\n    monthly_io_requests: 1000000\n"
    )
    warnings, priced = _check(catalog, usage, _volume("logs", "standard"), _volume("data", "gp3"))
    assert warnings == []
    # the standard volume read it: 1,000 x 1k at $0.00005 = $0.05 beside its $1.00 storage
    assert priced["aws_ebs_volume.logs"].monthly_cost == D("1.05")


@pytest.mark.parametrize(
    ("types", "why"),
    [
        (("gp3",), ": a gp3 volume does not bill I/O requests"),  # one reason: named
        (("gp3", "gp2"), " by any aws_ebs_volume in the plan"),  # reasons differ
    ],
)
def test_a_type_default_no_resource_reads_is_reported(
    tmp_path: Path, catalog: Catalog, types: tuple[str, ...], why: str
) -> None:
    usage = _usage(
        tmp_path, "version: 1\ndefaults:\n  aws_ebs_volume:\n    monthly_io_requests: 1000000\n"
    )
    volumes = [_volume(f"v{i}", t) for i, t in enumerate(types)]
    warnings, _ = _check(catalog, usage, *volumes)
    assert warnings == [
        f"usage file {tmp_path / 'usage.yml'}: defaults for aws_ebs_volume: "
        f"monthly_io_requests not used{why}"
    ]


def test_defaults_for_a_type_the_plan_lacks_are_silent(tmp_path: Path, catalog: Catalog) -> None:
    usage = _usage(
        tmp_path,
        "version: 1\ndefaults:\n  aws_s3_bucket:\n    storage_gb: 100\n"
        "  aws_ebs_volume:\n    monthly_io_requests: 10\n",
    )
    warnings, _ = _check(catalog, usage, _instance())
    assert warnings == []


def test_an_entry_overridden_for_every_instance_is_reported(
    tmp_path: Path, catalog: Catalog
) -> None:
    usage = _usage(
        tmp_path,
        "version: 1\nresources:\n"
        "  aws_instance.web:\n    monthly_hours: 100\n"
        "  aws_instance.web[0]:\n    monthly_hours: 200\n",
    )
    warnings, priced = _check(catalog, usage, _instance("aws_instance.web[0]"))
    assert warnings == [
        f"usage file {tmp_path / 'usage.yml'}: aws_instance.web: monthly_hours not used: the "
        "entry for aws_instance.web[0] overrides it"
    ]
    (line, *_) = priced["aws_instance.web[0]"].cost_lines
    assert line.quantity == D(200)


def test_usage_on_a_free_or_unsupported_resource_says_so(tmp_path: Path, catalog: Catalog) -> None:
    usage = _usage(
        tmp_path,
        "version: 1\nresources:\n"
        "  aws_iam_role.r:\n    monthly_requests: 10\n"
        "  aws_quantum_computer.q:\n    monthly_hours: 10\n",
    )
    role = make_resource("aws_iam_role", {}, address="aws_iam_role.r")
    unknown = make_resource("aws_quantum_computer", {}, address="aws_quantum_computer.q")
    warnings, _ = _check(catalog, usage, role, unknown)
    where = f"usage file {tmp_path / 'usage.yml'}"
    assert warnings == [
        f"{where}: aws_iam_role.r: monthly_requests not used: aws_iam_role.r costs nothing",
        f"{where}: aws_quantum_computer.q: monthly_hours not used: aws_quantum_computer.q is "
        "not priced",
    ]


def test_without_a_usage_file_nothing_is_recorded(catalog: Catalog) -> None:
    usage = load_usage(None)
    priced = price_resources((_volume("logs", "standard"), _instance()), catalog, usage)
    assert all(p.usage_read == frozenset() and p.usage_skipped is None for p in priced)
    assert unused_usage_warnings(usage, priced) == []


INFRACOST = """\
version: 0.1
resource_type_default_usage:
  aws_s3_bucket:
    storage_gb: 10
  aws_ebs_volume:
    monthly_standard_io_requests: 1000000
resource_usage:
  aws_ebs_volume.data:
    monthly_standard_io_requests: 5000000
  aws_instance.wbe[*]:
    monthly_hrs: 200
"""

COSTGATE = """\
version: 1
defaults:
  aws_s3_bucket:
    storage_gb: 10
  aws_ebs_volume:
    monthly_io_requests: 1000000
resources:
  aws_ebs_volume.data:
    monthly_io_requests: 5000000
  aws_instance.wbe:
    monthly_hours: 200
"""


def test_an_infracost_file_gives_the_same_warnings_in_its_own_words(
    tmp_path: Path, catalog: Catalog
) -> None:
    resources = (_volume("data", "gp3"), _volume("cache", "gp3"), _instance())
    ours, _ = _check(catalog, _usage(tmp_path, COSTGATE, "ours.yml"), *resources)
    theirs, _ = _check(catalog, _usage(tmp_path, INFRACOST, "theirs.yml"), *resources)
    gp3 = "not used: a gp3 volume does not bill I/O requests"
    # the default: overridden on .data, not billed on .cache: two reasons, so none is named
    anywhere = "not used by any aws_ebs_volume in the plan"
    assert ours == [
        f"usage file {tmp_path / 'ours.yml'}: defaults for aws_ebs_volume: monthly_io_requests "
        f"{anywhere}",
        f"usage file {tmp_path / 'ours.yml'}: aws_ebs_volume.data: monthly_io_requests {gp3}",
        f"usage file {tmp_path / 'ours.yml'}: usage entry for aws_instance.wbe matches no "
        "resource in the plan",
    ]
    # the same warnings, naming the keys and entries as the Infracost file wrote them
    assert theirs == [
        f"usage file {tmp_path / 'theirs.yml'}: defaults for aws_ebs_volume: "
        f"monthly_standard_io_requests {anywhere}",
        f"usage file {tmp_path / 'theirs.yml'}: aws_ebs_volume.data: "
        f"monthly_standard_io_requests {gp3}",
        f"usage file {tmp_path / 'theirs.yml'}: usage entry for aws_instance.wbe[*] matches "
        "no resource in the plan",
    ]


MAIN_TF = """\
provider "aws" {
  region = "us-east-1"
}

resource "aws_instance" "web" {
  count         = 2
  ami           = "ami-123"
  instance_type = "m5.large"
}

module "x" {
  source = "./x"
}
"""

MODULE_TF = """\
resource "aws_ebs_volume" "data" {
  for_each          = toset(["a", "b"])
  availability_zone = "us-east-1a"
  size              = 20
  type              = "standard"
}
"""

USAGE = """\
version: 1
resources:
  aws_instance.web[0]:
    monthly_hours: 100
  aws_instance.web:
    monthly_hours: 200
  aws_instance.web[2]:
    monthly_hours: 300
  'module.x.aws_ebs_volume.data["a"]':
    monthly_io_requests: 2000000
  module.x.aws_ebs_volume.data:
    monthly_io_requests: 1000000
  'module.x.aws_ebs_volume.data["c"]':
    monthly_io_requests: 1
"""


def _report(tmp_path: Path, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        main, ["breakdown", *args, "--format", "json", "--max-catalog-age-days", "0"]
    )
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = validate_report(result.output)
    return report


def test_count_and_for_each_addresses_match_and_warnings_reach_the_report(
    tmp_path: Path,
) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "main.tf").write_text(MAIN_TF)
    (tmp_path / "x" / "main.tf").write_text(MODULE_TF)
    (tmp_path / "usage.yml").write_text(USAGE)
    report = _report(tmp_path, str(tmp_path), "--usage", str(tmp_path / "usage.yml"))
    where = f"usage file {tmp_path / 'usage.yml'}"
    usage_warnings = [w for w in report["warnings"] if w.startswith(where)]
    assert usage_warnings == [
        f"{where}: usage entry for aws_instance.web[2] matches no resource in the plan",
        f'{where}: usage entry for module.x.aws_ebs_volume.data["c"] matches no resource in '
        "the plan",
    ]
    costs = {r["address"]: r for r in report["resources"]}
    hours = {
        address: costs[address]["cost_lines"][0]["quantity"]
        for address in ("aws_instance.web[0]", "aws_instance.web[1]")
    }
    assert hours == {"aws_instance.web[0]": "100", "aws_instance.web[1]": "200"}
    io = {
        address: next(
            D(line["monthly_cost"])
            for line in costs[address]["cost_lines"]
            if line["name"] == "I/O requests (standard)"
        )
        for address in ('module.x.aws_ebs_volume.data["a"]', 'module.x.aws_ebs_volume.data["b"]')
    }
    # 2,000 and 1,000 x 1k requests at $0.00005
    assert io == {
        'module.x.aws_ebs_volume.data["a"]': D("0.10"),
        'module.x.aws_ebs_volume.data["b"]': D("0.05"),
    }


def test_a_diff_counts_the_resources_of_both_sides(tmp_path: Path) -> None:
    base, head = tmp_path / "base", tmp_path / "head"
    for side in (base, head):
        (side / "x").mkdir(parents=True)
        (side / "x" / "main.tf").write_text(MODULE_TF)
    (base / "main.tf").write_text(MAIN_TF)
    (head / "main.tf").write_text(MAIN_TF.replace("count         = 2", "count         = 1"))
    usage = tmp_path / "usage.yml"
    usage.write_text("version: 1\nresources:\n  aws_instance.web[1]:\n    monthly_hours: 5\n")
    result = CliRunner().invoke(
        main,
        ["diff", str(base), str(head), "--usage", str(usage), "--format", "json"],
    )
    assert result.exit_code == 1, result.output  # the bundled policy's required tags
    # the entry is for an instance the change removes: it matches the base, so no warning
    assert not [w for w in json.loads(result.output)["warnings"] if str(usage) in w]


def test_cpu_credit_keys_say_why_they_do_not_apply(tmp_path: Path, catalog: Catalog) -> None:
    usage = _usage(
        tmp_path,
        "version: 1\nresources:\n"
        "  aws_instance.web:\n    cpu_credit_hours: 100\n    vcpu_count: 2\n"
        "  aws_instance.burst:\n    cpu_credit_hours: 0\n    vcpu_count: 2\n",
    )
    burst = make_resource(
        "aws_instance", {"instance_type": "t3.medium"}, address="aws_instance.burst"
    )
    warnings, _ = _check(catalog, usage, _instance(), burst)
    where = f"usage file {tmp_path / 'usage.yml'}"
    assert warnings == [
        f"{where}: aws_instance.web: cpu_credit_hours, vcpu_count not used: m5.large does not "
        "run in unlimited credit mode",
        f"{where}: aws_instance.burst: vcpu_count not used: cpu_credit_hours is 0",
    ]


def test_usage_on_a_type_priced_through_another_resource_says_where(
    tmp_path: Path, catalog: Catalog
) -> None:
    """A launch template or an S3 object is billed through another resource: its usage keys
    are not used for that reason, not because it "costs nothing"."""
    usage = _usage(
        tmp_path,
        "version: 1\nresources:\n"
        "  aws_s3_object.report:\n    storage_gb: 50\n"
        "  aws_launch_template.lt:\n    monthly_hours: 100\n",
    )
    s3_object = make_resource("aws_s3_object", {}, address="aws_s3_object.report")
    template = make_resource(
        "aws_launch_template", {"instance_type": "m5.large"}, address="aws_launch_template.lt"
    )
    warnings, priced = _check(catalog, usage, s3_object, template)
    where = f"usage file {tmp_path / 'usage.yml'}"
    assert warnings == [
        f"{where}: aws_s3_object.report: storage_gb not used: stored in its bucket: billed as "
        "that bucket's storage (usage file `storage_gb` of the aws_s3_bucket)",
        f"{where}: aws_launch_template.lt: monthly_hours not used: priced through the Auto "
        "Scaling group or node group that uses it",
    ]
    assert all(p.free and p.monthly_cost == 0 for p in priced.values())
