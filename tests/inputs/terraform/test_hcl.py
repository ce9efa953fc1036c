"""Terraform HCL directories: evaluation, agreement with the plan path, errors."""

from __future__ import annotations

import json
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from costgate.errors import InputError
from costgate.inputs import InputOptions, read_input
from costgate.model import NOT_EVALUATED, UNKNOWN, Origin, PricedResource, Resource
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from costgate.usage import load_usage
from tests.conftest import FIXTURES, SHARED

PLANS = FIXTURES / "terraform-plan"
USAGE = FIXTURES / "usage.yml"


def write(directory: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return directory


def read(directory: Path, **options: Any) -> dict[str, Resource]:
    stack = read_input(directory, options=InputOptions(**options))
    return {r.address: r for r in stack.resources}


def value_of(tmp_path: Path, expression: str, extra: str = "", **options: Any) -> Any:
    """Evaluate *expression* as a resource attribute, the way every attribute is."""
    write(
        tmp_path,
        {"main.tf": extra + f'\nresource "aws_instance" "probe" {{\n  value = {expression}\n}}\n'},
    )
    return read(tmp_path, **options)["aws_instance.probe"].attributes.get("value")


def priced_view(priced: tuple[PricedResource, ...]) -> dict[str, tuple[Any, ...]]:
    return {
        p.resource.address: (
            p.resource.type,
            p.resource.region,
            dict(p.resource.tags),
            tuple((line.name, line.unit, line.quantity, line.unit_price) for line in p.cost_lines),
            p.unpriced_reason,
            p.notes,
            p.free,
        )
        for p in priced
    }


# -- the HCL path and the plan path agree ------------------------------------------------------


@pytest.mark.parametrize("case", ["ml-training", "ml-careless"])
def test_hcl_directory_prices_exactly_like_its_plan(case: str, catalog: Catalog) -> None:
    usage = load_usage(USAGE)
    from_plan = price_resources(read_input(PLANS / case / "plan.json").resources, catalog, usage)
    from_hcl = price_resources(read_input(PLANS / case).resources, catalog, usage)
    assert priced_view(from_hcl) == priced_view(from_plan)
    assert sum(p.monthly_cost for p in from_hcl) == sum(p.monthly_cost for p in from_plan)
    assert all(p.resource.origin is Origin.TERRAFORM_HCL for p in from_hcl)


def test_training_hcl_providers_modules_and_references(catalog: Catalog) -> None:
    resources = read(PLANS / "ml-training")
    node_group = resources["module.eks.aws_eks_node_group.gpu"]
    assert node_group.region == "us-west-2"  # providers = { aws = aws.west }
    assert node_group.module == "module.eks"
    assert node_group.attr("node_role_arn") is UNKNOWN  # a data source attribute
    assert node_group.tags["team"] == "nlp-research"  # aws.west default_tags
    assert resources["aws_sagemaker_notebook_instance.research"].region == "eu-west-1"
    assert resources["aws_instance.trainer"].attr("instance_type") == "p4d.24xlarge"  # tfvars
    lifecycle = resources["aws_s3_bucket_lifecycle_configuration.checkpoints"]
    assert lifecycle.references["bucket"] == (
        "aws_s3_bucket.checkpoints.id",
        "aws_s3_bucket.checkpoints",
    )
    assert [t["storage_class"] for t in lifecycle.attr("rule", "transition")] == [
        "GLACIER",
        "STANDARD_IA",
    ]  # dynamic block over a map: lexical key order
    asg = resources["aws_autoscaling_group.workers"]
    key = "mixed_instances_policy.launch_template.launch_template_specification.launch_template_id"
    assert asg.references[key][0] == "aws_launch_template.workers.id"
    # the spot share of the ASG: 5 desired, 1 on-demand base, 50 % of the other 4 on-demand
    priced = {
        p.resource.address: p
        for p in price_resources(tuple(resources.values()), catalog, load_usage(USAGE))
    }
    asg_lines = priced["aws_autoscaling_group.workers"].cost_lines
    lines = {line.name: line.quantity for line in asg_lines}
    assert lines["Instance usage (c5.xlarge, on-demand x 3)"] == Decimal(730 * 3)
    assert lines["Instance usage (c5.xlarge, spot x 2)"] == Decimal(730 * 2)


def test_every_resource_has_its_file_and_line() -> None:
    resources = read(PLANS / "ml-training")
    main = (PLANS / "ml-training" / "main.tf").read_text().splitlines()
    for resource in resources.values():
        assert resource.source is not None and resource.source.line
        text = Path(resource.source.file).read_text().splitlines()[resource.source.line - 1]
        assert text.startswith(f'resource "{resource.type}" "{resource.name}"')
    trainer = resources["aws_instance.trainer"].source
    assert trainer is not None
    assert main[trainer.line - 1] == 'resource "aws_instance" "trainer" {'
    assert trainer.file.endswith("ml-training/main.tf")
    assert resources["module.eks.aws_eks_node_group.gpu"].source.file.endswith(  # type: ignore[union-attr]
        "modules/eks/main.tf"
    )


# -- directives ---------------------------------------------------------------------------------


def test_costgate_comments_above_and_inside_a_block_become_directives(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
        resource "aws_s3_bucket" "unrelated" {
          bucket = "x" # costgate:not-mine
        }

        # Trainer for the smoke test.
        # costgate:skip=spot-for-training short smoke test
        resource "aws_instance" "smoke" {
          instance_type = "p4d.24xlarge" // costgate:skip=gpu-allowlist approved in JIRA-12
          /* costgate:owner=ml-platform */
        }

        # costgate:separated by a blank line

        resource "aws_instance" "plain" {
          instance_type = "t3.micro"
        }
    """
        },
    )
    resources = read(tmp_path)
    assert resources["aws_instance.smoke"].directives == (
        "skip=spot-for-training short smoke test",
        "skip=gpu-allowlist approved in JIRA-12",
        "owner=ml-platform",
    )
    assert resources["aws_s3_bucket.unrelated"].directives == ("not-mine",)
    assert resources["aws_instance.plain"].directives == ()


# -- the evaluator -------------------------------------------------------------------------------


def test_variable_precedence(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
            variable "a" { default = "default" }
            variable "b" { default = "default" }
            variable "c" { default = "default" }
            variable "d" { default = "default" }
            variable "e" { default = "default" }
            variable "f" { default = "default" }
            variable "n" { type = number }
            variable "m" { type = map(string) }
            resource "aws_instance" "x" {
              value = [var.a, var.b, var.c, var.d, var.e, var.f, var.n + 1, var.m.k]
            }
        """,
            "terraform.tfvars": "".join(f'{v} = "tfvars"\n' for v in "bcdef"),
            "b.auto.tfvars": 'c = "auto"\nd = "auto"\ne = "auto"\nf = "auto"\n',
            "extra.tfvars": 'd = "var-file"\ne = "var-file"\nf = "var-file"\n',
        },
    )
    environ = {"TF_VAR_a": "env", "TF_VAR_b": "env", "TF_VAR_n": "41", "TF_VAR_m": '{ k = "v" }'}
    resources = read(
        tmp_path,
        environ=environ,
        var_files=(tmp_path / "extra.tfvars",),
        variables=(("f", "cli"), ("e", "cli"), ("e", "cli-last")),
    )
    assert resources["aws_instance.x"].attr("value") == (
        "env",
        "tfvars",
        "auto",
        "var-file",
        "cli-last",
        "cli",
        42,
        "v",
    )


def test_count_for_each_and_their_keys(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
        locals {
          sizes = { small = "t3.micro", big = "p4d.24xlarge" }
        }
        resource "aws_instance" "counted" {
          count         = 2
          instance_type = "t3.micro"
          tags          = { Name = "node-${count.index}" }
        }
        resource "aws_instance" "mapped" {
          for_each      = local.sizes
          instance_type = each.value
          tags          = { Name = each.key }
        }
        resource "aws_instance" "set" {
          for_each      = toset(["b", "a", "b"])
          instance_type = "t3.micro"
          tags          = { Name = "${each.key}=${each.value}" }
        }
        resource "aws_instance" "none" {
          count         = length(local.sizes) > 5 ? 1 : 0
          instance_type = "t3.micro"
        }
    """
        },
    )
    resources = read(tmp_path)
    assert sorted(resources) == [
        "aws_instance.counted[0]",
        "aws_instance.counted[1]",
        'aws_instance.mapped["big"]',
        'aws_instance.mapped["small"]',
        'aws_instance.set["a"]',
        'aws_instance.set["b"]',
    ]
    assert resources["aws_instance.counted[1]"].tags["Name"] == "node-1"
    assert resources['aws_instance.mapped["big"]'].attr("instance_type") == "p4d.24xlarge"
    assert resources['aws_instance.mapped["big"]'].tags["Name"] == "big"
    assert resources['aws_instance.set["a"]'].tags["Name"] == "a=a"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("1 + 2 * 3 - 4 / 2", 5),
        ("7 % 3", 1),
        ("10 / 4", Decimal("2.5")),
        ("-(3)", -3),
        ("2 > 1 && !(1 == 2) || false", True),
        ('1 >= 2 ? "yes" : "no"', "no"),
        ('"a-${1 + 1}-%{if true}y%{else}n%{endif}"', "a-2-y"),
        ('"%{for k, v in {b = 2, a = 1}}${k}${v},%{endfor}"', "a1,b2,"),
        ('<<-EOT\n    hello ${upper("x")}\n      indented\n    EOT', "hello X\n  indented\n"),
        ("merge({a = 1, b = 2}, {b = 3})", {"a": 1, "b": 3}),
        ('lookup({a = 1}, "b", "dflt")', "dflt"),
        ("concat([1], [2, 3])", (1, 2, 3)),
        ('coalesce(null, "", "x")', "x"),
        ('format("%s-%03d-%.1f", "a", 7, 1.25)', "a-007-1.2"),
        ('join(",", split("-", "a-b-c"))', "a,b,c"),
        ('lower("AbC")', "abc"),
        ('upper("abc")', "ABC"),
        ('replace("a.b.c", ".", "/")', "a/b/c"),
        ('replace("p4d.24xlarge", "/^(\\\\w+)\\\\..*$/", "$1")', "p4d"),
        ("length({a = 1, b = 2})", 2),
        ("element([1, 2, 3], 4)", 2),
        ('tomap({a = "x"})', {"a": "x"}),
        ('toset(["b", "a", "b"])', ("a", "b")),
        ("tolist([1])", (1,)),
        ('try(tonumber("x"), 5)', 5),
        ('can(lookup({}, "missing"))', False),
        ("min(3, 1, 2)", 1),
        ("max(3, 1.5)", 3),
        ('jsonencode({b = [1, true, null], a = "x"})', '{"a":"x","b":[1,true,null]}'),
        ('[for s in ["a", "b"] : upper(s) if s != "b"]', ("A",)),
        ("{for k, v in {a = 1, b = 2} : v => k}", {"1": "a", "2": "b"}),
        ("[{n = 1}, {n = 2}][*].n", (1, 2)),
        ('cidrsubnet("10.0.0.0/16", 8, 2)', "10.0.2.0/24"),
        ("keys({b = 1, a = 2})", ("a", "b")),
    ],
)
def test_expressions_and_functions(tmp_path: Path, expression: str, expected: Any) -> None:
    assert value_of(tmp_path, expression) == expected


def test_references_to_other_resources_use_configured_values_else_unknown(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
        data "aws_ami" "gpu" {
          most_recent = true
        }
        resource "aws_s3_bucket" "b" {
          bucket = "known-name"
        }
        resource "aws_instance" "x" {
          ami           = data.aws_ami.gpu.id
          instance_type = "t3.micro"
          tags = {
            bucket = aws_s3_bucket.b.bucket
            id     = aws_s3_bucket.b.id
            mixed  = "arn-${aws_s3_bucket.b.arn}"
          }
        }
    """
        },
    )
    x = read(tmp_path)["aws_instance.x"]
    assert x.attr("ami") is UNKNOWN
    assert x.attr("tags", "bucket") == "known-name"
    assert x.attr("tags", "id") is UNKNOWN
    assert x.attr("tags", "mixed") is UNKNOWN
    assert x.tags == {"bucket": "known-name"}  # unknown tag values are not guessed
    assert x.references["ami"] == ("data.aws_ami.gpu.id", "data.aws_ami.gpu")


def test_count_known_only_after_apply_becomes_an_unpriced_placeholder(
    tmp_path: Path, catalog: Catalog
) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
        data "aws_availability_zones" "all" {}
        resource "aws_instance" "per_zone" {
          count         = length(data.aws_availability_zones.all.names)
          instance_type = "p4d.24xlarge"
        }
    """
        },
    )
    stack = read_input(tmp_path)
    (placeholder,) = stack.resources
    assert placeholder.address == "aws_instance.per_zone"
    assert placeholder.type == NOT_EVALUATED
    (priced,) = price_resources(stack.resources, catalog, load_usage(None))
    assert priced.unpriced_reason is not None
    assert "count is only known after apply" in priced.unpriced_reason
    assert any("aws_instance.per_zone" in w for w in stack.warnings)


def test_tf_json_reads_like_hcl(tmp_path: Path) -> None:
    hcl = write(
        tmp_path / "hcl",
        {
            "main.tf": """
        variable "size" { default = 100 }
        resource "aws_ebs_volume" "data" {
          availability_zone = "us-east-1a"
          size              = var.size * 2
          type              = "gp3"
          tags              = { Name = "data-${var.size}" }
        }
    """
        },
    )
    doc = {
        "variable": {"size": {"default": 100}},
        "resource": {
            "aws_ebs_volume": {
                "data": {
                    "//": "costgate:owner=storage",
                    "availability_zone": "us-east-1a",
                    "size": "${var.size * 2}",
                    "type": "gp3",
                    "tags": {"Name": "data-${var.size}"},
                }
            }
        },
    }
    (tmp_path / "json").mkdir()
    (tmp_path / "json" / "main.tf.json").write_text(json.dumps(doc, indent=2))
    from_hcl = read(hcl)["aws_ebs_volume.data"]
    from_json = read(tmp_path / "json")["aws_ebs_volume.data"]
    assert dict(from_json.attributes) == dict(from_hcl.attributes)
    assert from_json.attr("size") == 200
    assert from_json.directives == ("owner=storage",)
    assert from_json.source is not None and from_json.source.line == 9  # "data": {


# -- what cannot be evaluated is listed ---------------------------------------------------------


def test_real_blueprint_remote_modules_are_listed_with_their_gpus(catalog: Catalog) -> None:
    directory = SHARED / "terraform-hcl" / "eks_blueprints_nvidia_gpu_efa"
    stack = read_input(directory)
    resources = {r.address: r for r in stack.resources}
    assert set(resources) == {"module.eks", "module.vpc"}
    priced = {
        p.resource.address: p for p in price_resources(stack.resources, catalog, load_usage(None))
    }
    eks = priced["module.eks"].unpriced_reason
    assert eks is not None
    assert "remote module terraform-aws-modules/eks/aws ~> 20.34 not evaluated" in eks
    assert "p5.48xlarge" in eks
    assert resources["module.eks"].source is not None
    assert resources["module.eks"].source.line == 5
    assert len(stack.warnings) == 2


# -- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message", "location"),
    [
        (
            'resource "aws_instance" "x" {\n  tags = { a = }\n}\n',
            "HCL syntax error: unexpected '}'; expected an expression",
            "2:16",
        ),
        (
            'resource "aws_instance" "x" {\n  instance_type = "t3"\n',
            "unexpected end of file",
            "3:1",
        ),
        (
            'locals {\n  a = local.b\n  b = "${local.a}-x"\n}\n'
            'resource "aws_instance" "x" {\n  instance_type = local.a\n}\n',
            "cycle: local.a -> local.b -> local.a",
            "2",
        ),
        (
            'resource "aws_instance" "x" {\n  instance_type = frobnicate("a")\n}\n',
            'cannot evaluate `instance_type = frobnicate("a")`: '
            "function frobnicate() is not supported",
            "2",
        ),
        (
            'resource "aws_instance" "x" {\n  instance_type = var.missing\n}\n',
            "reference to undeclared input variable var.missing",
            "2",
        ),
    ],
)
def test_bad_input_names_file_location_and_expression(
    tmp_path: Path, text: str, message: str, location: str
) -> None:
    (tmp_path / "main.tf").write_text(text)
    with pytest.raises(InputError) as caught:
        read_input(tmp_path)
    assert message in caught.value.message
    assert caught.value.path == str(tmp_path / "main.tf")
    assert caught.value.location == location


@pytest.mark.parametrize("changed_only", [False, True])
def test_unset_variables_are_unknown_with_a_warning_naming_them(
    tmp_path: Path, changed_only: bool
) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
        variable "instance_type" {}
        resource "aws_instance" "x" {
          instance_type = var.instance_type
        }
    """
        },
    )
    stack = read_input(tmp_path, options=InputOptions(unset_variables_unknown=changed_only))
    assert stack.resources[0].attr("instance_type") is UNKNOWN
    assert any(
        "variable 'instance_type' has no value and no default; evaluated as unknown" in w
        for w in stack.warnings
    )


def test_parse_cache_gives_the_same_resources(tmp_path: Path) -> None:
    first = read(PLANS / "ml-training")
    second = read(PLANS / "ml-training")  # from the cache filled by the first read
    assert first == second


def _stack_of_files(directory: Path, files: int) -> list[tuple[Path, str]]:
    """Files with a template directive and two resources each."""
    jobs = []
    for i in range(files):
        path = directory / f"f{i:02d}.tf"
        path.write_text(
            f'resource "aws_instance" "r{i}" {{\n'
            f'  instance_type = "%{{ if {i} > 4 }}m5.large%{{ else }}t3.micro'
            f'%{{ endif }}"\n'
            f"}}\n"
            f'resource "aws_instance" "q{i}" {{\n  instance_type = "t3.nano"\n}}\n'
        )
        jobs.append((path, path.name))
    return jobs


@pytest.fixture(params=[2, 10**9], ids=["workers", "in-process"])
def grammar_jobs(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[Path, str]]:
    """Ten files, parsed uncached in workers or in this process."""
    from costgate.inputs.terraform.hcl import parsing

    monkeypatch.setenv("COSTGATE_CACHE_DIR", "off")
    monkeypatch.setattr(parsing, "PARALLEL_FROM", request.param)
    return _stack_of_files(tmp_path, 10)


def test_files_parse_alike_in_workers_and_in_process(
    tmp_path: Path, grammar_jobs: list[tuple[Path, str]]
) -> None:
    from costgate.inputs.terraform.hcl.parsing import parse_files
    from costgate.inputs.terraform.hcl.syntax import parse_hcl

    jobs = list(grammar_jobs)
    plain_file = tmp_path / "plain.tf"
    plain_file.write_text('variable "n" {\n  default = 1\n}\n')
    jobs.insert(3, (plain_file, "plain.tf"))
    bodies = parse_files(jobs)
    assert bodies == [parse_hcl(path.read_text(), name) for path, name in jobs]
    assert bodies[3].blocks[0].labels == ("n",)
    assert bodies[9].blocks[0].body.attributes["instance_type"].expr[0] == "tmpl"


def test_the_first_bad_file_in_order_is_reported(grammar_jobs: list[tuple[Path, str]]) -> None:
    from costgate.inputs.terraform.hcl import parsing

    jobs = grammar_jobs
    jobs[6][0].write_text('resource "aws_instance" "broken" {\n  ami = \n}\n')
    jobs[8][0].write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(InputError) as caught:
        parsing.parse_files(jobs)
    assert (caught.value.path, caught.value.location) == ("f06.tf", "2:9")
    with pytest.raises(InputError) as caught:
        parsing.parse_files(jobs[7:])
    assert caught.value.path == "f08.tf" and "UTF-8" in caught.value.message


# -- lark-cython and python-hcl2's own parser agree -------------------------------------------


def _fixture_modules() -> list[Path]:
    return sorted([*FIXTURES.rglob("*.tf"), *SHARED.rglob("*.tf")])


def test_lark_cython_reads_every_fixture_module_like_python_hcl2(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from costgate.inputs.terraform.hcl import syntax

    fast = syntax._fast_parser()
    if fast is None:
        pytest.skip("lark-cython has no wheel for this platform")
    files = _fixture_modules()
    assert len(files) >= 8
    texts = {path: path.read_text() for path in files}
    for text in texts.values():
        fast.parse(text + "\n")  # the accelerated parser itself reads them (no fallback)
    accelerated = [syntax.parse_hcl(text, path.name) for path, text in texts.items()]
    monkeypatch.setattr(syntax, "_fast_parser", lambda: None)
    assert accelerated == [syntax.parse_hcl(text, path.name) for path, text in texts.items()]


def test_operators_continuing_a_line_parse_with_python_hcl2s_post_lexer(tmp_path: Path) -> None:
    """lark-cython runs no post-lexer: such text goes to python-hcl2's parser instead."""
    from lark.exceptions import UnexpectedInput

    from costgate.inputs.terraform.hcl import syntax

    text = 'total = 1\n  + 2 * 3\npick = 1 > 2\n  ? "a"\n  : "b"\n'
    fast = syntax._fast_parser()
    if fast is not None:
        with pytest.raises(UnexpectedInput):
            fast.parse(text)
    body = syntax.parse_hcl(text, "ops.tf")
    assert body.attributes["total"].expr[:2] == ("binop", "+")
    assert body.attributes["pick"].expr[0] == "cond"
    assert value_of(tmp_path, "1\n    + 2 * 3") == 7


def test_without_lark_cython_python_hcl2_parses_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Platforms without a lark-cython wheel do not install it: parsing still works."""
    import sys

    from costgate.inputs.terraform.hcl import syntax

    monkeypatch.setitem(sys.modules, "lark_cython", None)  # import fails as if absent
    syntax._fast_parser.cache_clear()
    try:
        assert syntax._fast_parser() is None
        body = syntax.parse_hcl('n = 1 + 2\nresource "a_b" "c" {\n  x = n\n}\n', "main.tf")
    finally:
        syntax._fast_parser.cache_clear()
    assert body.attributes["n"].expr == ("binop", "+", ("lit", 1), ("lit", 2))
    assert body.blocks[0].labels == ("a_b", "c")
