"""What stopped public repositories of the issue 14 corpus (benchmarks/corpus.py): `~`
strip markers that ate the next line's indentation, `nullable = false` variables given
null, and an index into a dynamic block that produced no block."""

from __future__ import annotations

from pathlib import Path

from costgate.model import UNKNOWN, is_unknown
from tests.inputs.terraform.test_hcl import read, value_of, write


def test_strip_marker_reaches_only_its_own_line(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "t.tftpl": "a:\n%{ for x in xs ~}\n  - ${x}\n%{ endfor ~}\n  b: 1\n",
        },
    )
    # as Terraform renders it: the `~}` lines vanish, the next line keeps its indentation
    assert value_of(tmp_path, 'templatefile("t.tftpl", { xs = ["p", "q"] })') == (
        "a:\n  - p\n  - q\n  b: 1\n"
    )
    assert value_of(tmp_path, 'templatefile("t.tftpl", { xs = [] })') == "a:\n  b: 1\n"


def test_left_strip_marker_trims_the_last_line_only(tmp_path: Path) -> None:
    template = "<<-EOT\n    one\n\n    two %{~ if true }x%{ endif }\n    EOT"
    assert value_of(tmp_path, template) == "one\n\ntwox\n"
    # of two blank lines above the marker only the last one (its line token) goes
    assert value_of(tmp_path, "<<EOT\none\n\n\n%{~ if true }x%{ endif }\nEOT") == "one\n\nx\n"


def test_null_for_a_non_nullable_variable_takes_its_default(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'module "m" {\n  source = "./m"\n  create = null\n  size = null\n}\n',
            "m/main.tf": """
                variable "create" {
                  type     = bool
                  default  = true
                  nullable = false
                }
                variable "size" {
                  type    = number
                  default = 3
                }
                resource "aws_instance" "x" {
                  count = var.create ? 1 : 0
                  size  = var.size
                }
            """,
        },
    )
    instance = read(tmp_path)["module.m.aws_instance.x[0]"]
    assert instance.attr("size") is None  # nullable (the default): null stays null


def test_index_into_a_dynamic_block_without_content_is_unknown(tmp_path: Path) -> None:
    extra = """
        resource "azurerm_kubernetes_cluster" "k" {
          dynamic "kubelet_identity" {
            for_each = []
            content {
              object_id = "x"
            }
          }
        }
    """
    found = value_of(tmp_path, "azurerm_kubernetes_cluster.k.kubelet_identity[0].object_id", extra)
    assert found is UNKNOWN or is_unknown(found)


def test_zipmap_with_ids_known_only_after_apply_is_unknown(tmp_path: Path) -> None:
    # data-on-eks trainium-inferentia: zipmap(module.vpc.private_subnets, ...cidr_blocks)
    # stopped the run ("a object cannot be used where a string is required")
    extra = (
        'resource "aws_subnet" "s" {\n  count = 2\n  cidr_block = "100.64.${count.index}.0/24"\n}\n'
    )
    expression = (
        "compact([for id, cidr in zipmap(aws_subnet.s[*].id, aws_subnet.s[*].cidr_block) : "
        'substr(cidr, 0, 4) == "100." ? id : null])'
    )
    assert is_unknown(value_of(tmp_path, expression, extra))
    assert value_of(tmp_path, 'zipmap(["a", "b"], [1, 2])') == {"a": 1, "b": 2}


def test_a_slice_of_zones_from_a_data_source_counts_one_per_zone(tmp_path: Path) -> None:
    # the EKS blueprints' `azs = slice(data.aws_availability_zones.available.names, 0, 3)`
    write(
        tmp_path,
        {
            "main.tf": """
                data "aws_availability_zones" "available" {}
                locals {
                  azs = slice(data.aws_availability_zones.available.names, 0, 3)
                }
                resource "aws_nat_gateway" "x" {
                  count             = length(local.azs)
                  subnet_id         = "subnet-${count.index}"
                  connectivity_type = local.azs[count.index]
                }
            """,
        },
    )
    resources = read(tmp_path)
    assert sorted(resources) == [f"aws_nat_gateway.x[{i}]" for i in range(3)]
    assert is_unknown(resources["aws_nat_gateway.x[0]"].attr("connectivity_type"))
    # an unknown end leaves the length open
    zones = "data.aws_availability_zones.available.names"
    assert is_unknown(value_of(tmp_path, f'slice(["a", "b"], 0, length({zones}))'))


def test_null_check_of_a_map_with_values_known_after_apply_is_known(tmp_path: Path) -> None:
    # terraform-aws-modules/ec2-instance: `for_each = var.ebs_volumes != null ? ... : {}`
    # with a KMS key ARN inside the map: the map is not null, so the volume is counted
    write(
        tmp_path,
        {
            "main.tf": """
                resource "aws_kms_key" "k" {}
                module "m" {
                  source = "./m"
                  vols   = { "/dev/sdf" = { size = 5, kms = aws_kms_key.k.arn } }
                }
            """,
            "m/main.tf": """
                variable "vols" {
                  type    = map(object({ size = optional(number), kms = optional(string) }))
                  default = null
                }
                resource "aws_ebs_volume" "v" {
                  for_each = var.vols != null ? var.vols : {}
                  size     = each.value.size
                }
            """,
        },
    )
    volume = read(tmp_path)['module.m.aws_ebs_volume.v["/dev/sdf"]']
    assert volume.attr("size") == 5
    key, arn = 'resource "aws_kms_key" "k" {}', "aws_kms_key.k.arn"
    assert value_of(tmp_path, f'{{ a = 1, b = {arn} }} == {{ a = 2, b = "x" }}', key) is False
    assert value_of(tmp_path, f"[{arn}] != [1, 2]", key) is True
    assert is_unknown(value_of(tmp_path, f'{{ a = 1, b = {arn} }} == {{ a = 1, b = "x" }}', key))
    assert is_unknown(value_of(tmp_path, f'[{arn}] == "x"', key))
