"""Terraform 1.9's language in HCL directories: built-in functions, optional() attribute
defaults, unknown values that flow instead of stopping the run, a single `.tf` file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from costgate.errors import InputError
from costgate.inputs import read_input
from costgate.model import UNKNOWN
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from costgate.usage import load_usage
from tests.inputs.terraform.test_hcl import read, value_of, write

HOURS = Decimal(730)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('strcontains("hello", "ell")', True),
        ('startswith("p5.48xlarge", "p5")', True),
        ('templatestring("Hi $${name}!", { name = "x" })', "Hi x!"),
        ("log(8, 2)", 3),
        ('formatdate("DD MMM YYYY hh:mm ZZZ", "2024-03-05T14:07:09Z")', "05 Mar 2024 14:07 UTC"),
        (
            "formatdate(\"EEEE, h:mm aa 'o''clock'\", \"2024-03-05T09:07:09Z\")",
            "Tuesday, 9:07 am o'clock",
        ),
        ('timeadd("2024-03-05T14:07:09Z", "1h30m")', "2024-03-05T15:37:09Z"),
        ('timeadd("2024-03-05T14:07:09+01:00", "-10m")', "2024-03-05T13:57:09+01:00"),
        ('timecmp("2024-03-05T14:07:09Z", "2024-03-05T15:07:09+01:00")', 0),
        ('timecmp("2024-03-05T14:07:09Z", "2025-01-01T00:00:00Z")', -1),
        ('yamldecode("a: [1, 2.5]\\nb: null\\n")', {"a": (1, Decimal("2.5")), "b": None}),
        (
            'yamlencode({ b = "baz", foo = [1, { a = "b", c = "d" }, 3] })',
            '"b": "baz"\n"foo":\n- 1\n- "a": "b"\n  "c": "d"\n- 3\n',
        ),
        ('csvdecode("a,b\\n1,2\\n3,4")', ({"a": "1", "b": "2"}, {"a": "3", "b": "4"})),
        ('urlencode("a b&c/d~")', "a+b%26c%2Fd~"),
        ('textencodebase64("Hi", "UTF-16LE")', "SABpAA=="),
        ('textdecodebase64("SABpAA==", "UTF-16LE")', "Hi"),
        ('substr(base64gzip("hello"), 0, 4)', "H4sI"),  # the gzip magic number, base64
        ('base64sha256("hello")', "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="),
        ('uuidv5("dns", "www.terraform.io")', "a5008fae-b28c-5ba5-96cd-82b4c53552d6"),
        (
            'cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)',
            ("10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"),
        ),
        (
            'cidrsubnets("fd00:fd12:3456:7890::/56", 16, 16)',
            ("fd00:fd12:3456:7800::/72", "fd00:fd12:3456:7800:100::/72"),
        ),
        ('matchkeys(["a", "b", "c"], ["x", "y", "z"], ["y", "z"])', ("b", "c")),
        ('setproduct(["a", "b"], [1, 2])', (("a", 1), ("a", 2), ("b", 1), ("b", 2))),
        (
            'transpose({ a = ["1", "2"], b = ["2", "3"] })',
            {"1": ("a",), "2": ("a", "b"), "3": ("b",)},
        ),
        ('nonsensitive(sensitive("s"))', "s"),
        ("type(1)", "number"),
        ('tobool("true")', True),
        ("timestamp()", UNKNOWN),
        ("plantimestamp()", UNKNOWN),
        ('bcrypt("x")', UNKNOWN),
        ('provider::aws::arn_parse("arn:aws:s3:::b").region', UNKNOWN),
        ('"${provider::aws::arn_parse("x").region}-suffix"', UNKNOWN),
        ('upper(formatdate("YYYY", timestamp()))', UNKNOWN),
    ],
)
def test_built_in_functions(tmp_path: Path, expression: str, expected: Any) -> None:
    assert value_of(tmp_path, expression) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ('timeadd("yesterday", "1h")', "not an RFC 3339 timestamp"),
        ('timeadd("2024-03-05T14:07:09Z", "1 hour")', "not a duration"),
        ('csvdecode("a,b\\n1")', "line 2 has 1 fields, not 2"),
        ('yamldecode("a: [")', "yamldecode()"),
        ('formatdate("YYYY Q", "2024-03-05T14:07:09Z")', "invalid format sequence 'Q'"),
    ],
)
def test_function_errors_are_input_errors(tmp_path: Path, expression: str, message: str) -> None:
    with pytest.raises(InputError, match="cannot evaluate") as caught:
        value_of(tmp_path, expression)
    assert message in caught.value.message


def test_try_catches_function_errors(tmp_path: Path) -> None:
    assert value_of(tmp_path, 'try(timeadd("x", "1h"), "fallback")') == "fallback"


def test_yamldecode_keeps_the_alias_limit(tmp_path: Path) -> None:
    bomb = "a: &a [1,1,1,1,1,1,1,1,1,1]\\n" + "".join(
        f"{n}: &{n} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\\n"
        for p, n in zip("abcde", "bcdef", strict=True)
    )
    with pytest.raises(InputError, match="aliases expand to more than 100,000 values"):
        value_of(tmp_path, f'try(yamldecode("{bomb}"), null)')


def test_templatefile_and_fileset_read_inside_the_repository(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "templates/user-data.sh.tpl": "%{ for n in nodes ~}\nnode ${n}\n%{ endfor ~}\n",
            "templates/other.txt": "x",
            "templates/sub/deep.tpl": "y",
        },
    )
    assert (
        value_of(
            tmp_path,
            'templatefile("${path.module}/templates/user-data.sh.tpl", { nodes = ["a", "b"] })',
        )
        == "node a\nnode b\n"
    )
    assert value_of(tmp_path, 'fileset(path.module, "templates/**/*.tpl")') == (
        "templates/sub/deep.tpl",
        "templates/user-data.sh.tpl",
    )
    assert value_of(tmp_path, 'fileset("${path.module}/templates", "*.{txt,tpl}")') == (
        "other.txt",
        "user-data.sh.tpl",
    )
    assert value_of(tmp_path, 'filesha256("templates/other.txt")') == (
        "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
    )


def test_templatefile_and_fileset_go_through_the_sandbox(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (tmp_path / "secret.tpl").write_text("secret")
    (repo / "infra").mkdir()
    stack_dir = repo / "infra"
    assert value_of(stack_dir, 'templatefile("../../secret.tpl", {})') is UNKNOWN
    assert value_of(stack_dir, 'fileset("../..", "*.tpl")') is UNKNOWN
    warnings = read_input(stack_dir).warnings
    assert any("reads outside the repository; treated as unknown" in w for w in warnings)
    assert value_of(stack_dir, 'fileset("..", "**")') == ("infra/main.tf",)  # never .git


def test_templatefile_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("costgate.inputs.terraform.hcl.sandbox.MAX_FILE_BYTES", 10)
    (tmp_path / "big.tpl").write_text("x" * 11)
    with pytest.raises(InputError, match="larger than 10 bytes"):
        value_of(tmp_path, 'try(templatefile("big.tpl", {}), "")')


def test_file_with_path_module_of_a_relative_directory_is_not_doubled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "infra", {"x.sh": "#!/bin/sh\n"})
    monkeypatch.chdir(tmp_path)
    assert value_of(Path("infra"), 'file("${path.module}/x.sh")') == "#!/bin/sh\n"


OPTIONAL = """
variable "pools" {
  type = map(object({
    instance_type = optional(string, "m5.large")
    size          = optional(number, 2)
    labels        = optional(map(string), {})
    disk          = optional(object({
      size = optional(number, 50)
      type = optional(string)
    }), {})
    spot          = optional(bool)
  }))
  default = {
    default = {}
    gpu     = { instance_type = "g5.xlarge", size = 1, disk = { size = 200 } }
  }
}
"""


def test_optional_attributes_take_their_defaults_at_any_depth(tmp_path: Path) -> None:
    assert value_of(tmp_path, "var.pools", OPTIONAL) == {
        "default": {
            "instance_type": "m5.large",
            "size": 2,
            "labels": {},
            "disk": {"size": 50, "type": None},
            "spot": None,
        },
        "gpu": {
            "instance_type": "g5.xlarge",
            "size": 1,
            "labels": {},
            "disk": {"size": 200, "type": None},
            "spot": None,
        },
    }


def test_optional_defaults_reach_a_module_and_price(tmp_path: Path, catalog: Catalog) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
                provider "aws" { region = "us-east-1" }
                module "nodes" {
                  source = "./nodes"
                  pools  = { web = {}, gpu = { instance_type = "g5.xlarge" } }
                }
            """,
            "nodes/main.tf": OPTIONAL.replace("  default = {", "  xdefault = {", 1).split(
                "  xdefault"
            )[0]
            + "}\n"
            + """
                resource "aws_instance" "node" {
                  for_each      = var.pools
                  instance_type = each.value.instance_type
                  count_hint    = each.value.size
                }
            """,
        },
    )
    resources = read(tmp_path)
    web = resources['module.nodes.aws_instance.node["web"]']
    gpu = resources['module.nodes.aws_instance.node["gpu"]']
    assert web.attr("instance_type") == "m5.large"
    assert web.attr("count_hint") == 2
    priced = {p.resource.address: p for p in price_resources((web, gpu), catalog, load_usage(None))}
    lines = {
        a: next(
            line for line in p.cost_lines if line.unit_price in (Decimal("0.096"), Decimal("1.006"))
        )
        for a, p in priced.items()
    }
    # m5.large $0.096/h and g5.xlarge $1.006/h on demand in us-east-1, 730 h a month
    assert lines[web.address].quantity * lines[web.address].unit_price == Decimal("70.080")
    assert lines[gpu.address].quantity * lines[gpu.address].unit_price == Decimal("734.380")


def test_a_missing_required_attribute_is_a_type_error(tmp_path: Path) -> None:
    extra = 'variable "v" {\n  type = object({ a = string })\n  default = { b = "x" }\n}\n'
    with pytest.raises(InputError, match="attribute 'a' is required"):
        value_of(tmp_path, "var.v", extra)


def test_computed_attributes_of_nested_blocks_are_unknown(tmp_path: Path) -> None:
    extra = """
        resource "aws_eks_cluster" "x" {
          name = "x"
          vpc_config { subnet_ids = ["a", "b"] }
        }
        resource "azurerm_kubernetes_cluster" "k" {
          name = "k"
        }
    """
    assert value_of(tmp_path, "aws_eks_cluster.x.vpc_config[0].subnet_ids", extra) == ("a", "b")
    assert (
        value_of(tmp_path, "aws_eks_cluster.x.vpc_config[0].cluster_security_group_id", extra)
        is UNKNOWN
    )
    assert (
        value_of(tmp_path, "azurerm_kubernetes_cluster.k.kubelet_identity[0].object_id", extra)
        is UNKNOWN
    )
    assert value_of(tmp_path, "aws_eks_cluster.x.vpc_config[*].subnet_ids", extra) == (("a", "b"),)
    assert value_of(tmp_path, "length(aws_eks_cluster.x.vpc_config)", extra) == 1
    assert (
        value_of(
            tmp_path, '"sg-${aws_eks_cluster.x.vpc_config[0].cluster_security_group_id}"', extra
        )
        is UNKNOWN
    )


def test_computed_attributes_stay_unknown_through_functions(tmp_path: Path) -> None:
    # a function (tolist, one, element) hands nested blocks on as plain objects: a computed
    # attribute read from one is unknown, as it is without the function (it was exit 2, "this
    # object has no attribute 'volume_id'", on valid Terraform)
    extra = """
        resource "aws_instance" "x" {
          ami = "ami-1"
          ebs_block_device {
            device_name = "/dev/sdb"
            volume_size = 50
          }
        }
        variable "v" {
          default = { a = 1 }
        }
    """
    block = "tolist(aws_instance.x.ebs_block_device)[0]"
    assert value_of(tmp_path, f"{block}.volume_id", extra) is UNKNOWN
    assert value_of(tmp_path, f"{block}.volume_size", extra) == 50
    assert value_of(tmp_path, "one(aws_instance.x.ebs_block_device).volume_id", extra) is UNKNOWN
    # its JSON text holds the computed attributes too: unknown, as Terraform plans it (it was
    # '{"device_name":"/dev/sdb","volume_size":50}', without them)
    assert value_of(tmp_path, f"jsonencode({block})", extra) is UNKNOWN
    assert value_of(tmp_path, "jsonencode({a = [1]})", extra) == '{"a":[1]}'
    # an object that is not a resource's block keeps Terraform's error for a missing attribute
    with pytest.raises(InputError, match="no attribute 'b'"):
        value_of(tmp_path, "tomap(var.v).b", extra)


def test_unknown_flows_only_into_what_depends_on_it(tmp_path: Path, catalog: Catalog) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
                provider "aws" { region = "us-east-1" }
                variable "suffix" {}
                data "aws_ami" "gpu" {}
                resource "aws_instance" "x" {
                  ami           = data.aws_ami.gpu.id
                  instance_type = "m5.large"
                  tags = {
                    Name = "x-${var.suffix}"
                    Size = var.suffix == "big" ? "large" : "small"
                    Team = "ml"
                  }
                }
            """
        },
    )
    stack = read_input(tmp_path)
    (instance,) = stack.resources
    assert instance.attr("ami") is UNKNOWN
    assert instance.attributes["tags"]["Name"] is UNKNOWN
    assert instance.attributes["tags"]["Size"] is UNKNOWN
    assert instance.attributes["tags"]["Team"] == "ml"
    assert any("variable 'suffix' has no value and no default" in w for w in stack.warnings)
    (priced,) = price_resources(stack.resources, catalog, load_usage(None))
    line = next(line for line in priced.cost_lines if line.unit_price == Decimal("0.096"))
    assert line.quantity == HOURS  # m5.large: 730 h x $0.096 = $70.08
    assert line.quantity * line.unit_price == Decimal("70.080")


def test_a_single_tf_file_is_its_directory_with_only_that_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'resource "aws_instance" "a" {\n  instance_type = "m5.large"\n}\n',
            "other.tf": 'resource "aws_instance" "b" {\n  instance_type = "m5.large"\n}\n',
        },
    )
    stack = read_input(tmp_path / "main.tf")
    assert [r.address for r in stack.resources] == ["aws_instance.a"]
    assert stack.format == "terraform-hcl"
    assert "a single file was given, so only it is read" in stack.warnings[0]


def test_resource_prefix_refers_to_a_resource(tmp_path: Path) -> None:
    extra = 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n'
    assert value_of(tmp_path, "resource.aws_vpc.main.cidr_block", extra) == "10.0.0.0/16"
    assert value_of(tmp_path, "resource.aws_vpc.main.id", extra) is UNKNOWN
