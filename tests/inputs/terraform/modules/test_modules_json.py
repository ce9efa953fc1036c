"""`.terraform/modules/modules.json` as `terraform init` leaves it, read with no network
(conftest sets COSTGATE_OFFLINE=1: a module not found there would be a placeholder)."""

from __future__ import annotations

import json
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from costgate.inputs import read_input
from costgate.model import NOT_EVALUATED
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from costgate.usage import load_usage

EKS_MAIN = """
variable "node_types" {
  type = list(string)
}

module "eks_managed_node_group" {
  source         = "./modules/eks-managed-node-group"
  instance_types = var.node_types
}

module "kms" {
  source  = "terraform-aws-modules/kms/aws"
  version = "2.1.0"
}
"""
NODE_GROUP = """
variable "instance_types" {
  type = list(string)
}

resource "aws_instance" "node" {
  ami           = "ami-0123456789abcdef0"
  instance_type = var.instance_types[0]
}
"""
KMS = """
resource "aws_kms_key" "this" {
  description = "eks"
}
"""


def init_tree(tmp_path: Path, entries: list[dict[str, str]] | None = None) -> Path:
    """A root module calling the EKS module, laid out as `terraform init` leaves it."""
    directory = tmp_path / "infra"
    files = {
        "main.tf": """
            provider "aws" {
              region = "us-east-1"
            }

            module "eks" {
              source     = "terraform-aws-modules/eks/aws"
              version    = "~> 20.34"
              node_types = ["p4d.24xlarge"]
            }
            """,
        ".terraform/modules/eks/main.tf": EKS_MAIN,
        ".terraform/modules/eks/modules/eks-managed-node-group/main.tf": NODE_GROUP,
        ".terraform/modules/eks.kms/main.tf": KMS,
    }
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    manifest = {
        "Modules": entries
        if entries is not None
        else [
            {"Key": "", "Source": "", "Dir": "."},
            {
                "Key": "eks",
                "Source": "registry.terraform.io/terraform-aws-modules/eks/aws",
                "Version": "20.34.0",
                "Dir": ".terraform/modules/eks",
            },
            {
                "Key": "eks.eks_managed_node_group",
                "Source": "./modules/eks-managed-node-group",
                "Dir": ".terraform/modules/eks/modules/eks-managed-node-group",
            },
            {
                "Key": "eks.kms",
                "Source": "registry.terraform.io/terraform-aws-modules/kms/aws",
                "Version": "2.1.0",
                "Dir": ".terraform/modules/eks.kms",
            },
        ]
    }
    (directory / ".terraform/modules/modules.json").write_text(json.dumps(manifest))
    return directory


def test_modules_json_nested_keys_are_read_without_network(
    tmp_path: Path, catalog: Catalog
) -> None:
    stack = read_input(init_tree(tmp_path))
    resources = {r.address: r for r in stack.resources}
    assert set(resources) == {
        "module.eks.module.eks_managed_node_group.aws_instance.node",
        "module.eks.module.kms.aws_kms_key.this",
    }
    node = resources["module.eks.module.eks_managed_node_group.aws_instance.node"]
    assert node.source is not None
    assert node.source.file.endswith(
        ".terraform/modules/eks/modules/eks-managed-node-group/main.tf"
    )
    [priced] = [
        p for p in price_resources(stack.resources, catalog, load_usage(None)) if p.resource is node
    ]
    assert priced.monthly_cost >= Decimal("730") * Decimal("21.957642")


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        (
            {
                "Key": "eks",
                "Source": "registry.terraform.io/other/eks/aws",
                "Dir": ".terraform/modules/eks",
            },
            "modules.json records source",
        ),
        (
            {
                "Key": "eks",
                "Source": "registry.terraform.io/terraform-aws-modules/eks/aws",
                "Version": "19.0.0",
                "Dir": ".terraform/modules/eks",
            },
            "modules.json has version 19.0.0, outside ~> 20.34",
        ),
        (
            {
                "Key": "eks",
                "Source": "terraform-aws-modules/eks/aws",
                "Dir": "../outside",
            },
            "is not under .terraform/modules/",
        ),
        (
            {
                "Key": "eks",
                "Source": "terraform-aws-modules/eks/aws",
                "Dir": ".terraform/modules/missing",
            },
            "does not exist",
        ),
    ],
)
def test_stale_or_escaping_modules_json_entries_are_not_used(
    tmp_path: Path, entry: dict[str, str], reason: str
) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "main.tf").write_text('resource "aws_instance" "x" {}\n')
    stack = read_input(init_tree(tmp_path, [entry]))
    [placeholder] = stack.resources
    assert placeholder.type == NOT_EVALUATED
    assert reason in placeholder.attributes["reason"]
    assert "fetching is off" in placeholder.attributes["reason"]


def test_a_symlink_out_of_dot_terraform_is_refused(tmp_path: Path) -> None:
    directory = init_tree(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "main.tf").write_text(EKS_MAIN)
    eks = directory / ".terraform/modules/eks"
    eks.rename(tmp_path / "moved")
    eks.symlink_to(outside)
    stack = read_input(directory)
    [placeholder] = stack.resources
    assert "is not under .terraform/modules/" in placeholder.attributes["reason"]


@pytest.mark.parametrize("target", ["/dev/zero", "../../../secret.json"])
def test_modules_json_that_is_a_symlink_or_device_is_not_read(tmp_path: Path, target: str) -> None:
    directory = init_tree(tmp_path)
    (tmp_path / "secret.json").write_text('{"Modules": []}')
    manifest = directory / ".terraform/modules/modules.json"
    manifest.unlink()
    manifest.symlink_to(target)
    stack = read_input(directory)
    assert [r.type for r in stack.resources] == [NOT_EVALUATED]
    assert any("modules.json is not read" in w for w in stack.warnings)


REMOTE_CALLS = {
    # call name: (source as written, source as `terraform init` records it)
    "from_git": (
        "github.com/acme/gpu//modules/gpu?ref=v1.2.0",
        "git::https://github.com/acme/gpu.git//modules/gpu?ref=v1.2.0",
    ),
    "from_http": (
        "https://example.com/gpu-1.2.0.tar.gz//modules/gpu",
        "https://example.com/gpu-1.2.0.tar.gz//modules/gpu",
    ),
    "from_s3": (
        "acme-modules.s3-eu-west-1.amazonaws.com/gpu.zip//modules/gpu",
        "s3::https://s3-eu-west-1.amazonaws.com/acme-modules/gpu.zip//modules/gpu",
    ),
    "from_gcs": (
        "www.googleapis.com/storage/v1/acme-modules/gpu//modules/gpu",
        "gcs::https://www.googleapis.com/storage/v1/acme-modules/gpu//modules/gpu",
    ),
}
GPU_CHILD = """
variable "instance_type" {
  type = string
}

module "node" {
  source        = "./node"
  instance_type = var.instance_type
}

module "kms" {
  source  = "terraform-aws-modules/kms/aws"
  version = "~> 2.0"
}
"""
GPU_NODE = """
variable "instance_type" {
  type = string
}

resource "aws_instance" "gpu" {
  ami           = "ami-0123456789abcdef0"
  instance_type = var.instance_type
}
"""


def test_modules_json_of_git_http_s3_and_gcs_sources_with_nested_calls(
    tmp_path: Path, catalog: Catalog
) -> None:
    """Each call is spelled as a user writes it; modules.json records Terraform's
    normalised spelling and the `Dir` of the subdirectory. Inside each module a local
    call (`node`, no entry of its own needed) and a registry call (`kms`, key
    `from_git.kms`) are read from the same tree, offline."""
    directory = tmp_path / "infra"
    types = ["p4d.24xlarge", "g5.xlarge", "p5.48xlarge", "inf2.xlarge"]
    lines = ['provider "aws" {\n  region = "us-east-1"\n}\n']
    entries: list[dict[str, str]] = [{"Key": "", "Source": "", "Dir": "."}]
    for (name, (written, recorded)), instance_type in zip(REMOTE_CALLS.items(), types, strict=True):
        lines.append(
            f'module "{name}" {{\n  source        = "{written}"\n'
            f'  instance_type = "{instance_type}"\n}}\n'
        )
        module_dir = f".terraform/modules/{name}/modules/gpu"
        (directory / module_dir / "node").mkdir(parents=True)
        (directory / module_dir / "main.tf").write_text(GPU_CHILD)
        (directory / module_dir / "node" / "main.tf").write_text(GPU_NODE)
        (directory / f".terraform/modules/{name}.kms").mkdir(parents=True)
        (directory / f".terraform/modules/{name}.kms/main.tf").write_text(KMS)
        entries += [
            {"Key": name, "Source": recorded, "Dir": module_dir},
            {"Key": f"{name}.node", "Source": "./node", "Dir": f"{module_dir}/node"},
            {
                "Key": f"{name}.kms",
                "Source": "registry.terraform.io/terraform-aws-modules/kms/aws",
                "Version": "2.2.1",
                "Dir": f".terraform/modules/{name}.kms",
            },
        ]
    (directory / "main.tf").write_text("\n".join(lines))
    (directory / ".terraform/modules/modules.json").write_text(json.dumps({"Modules": entries}))

    stack = read_input(directory)
    assert not [r for r in stack.resources if r.type == NOT_EVALUATED]
    found = {
        r.address: r.attributes.get("instance_type")
        for r in stack.resources
        if r.type == "aws_instance"
    }
    assert found == {
        f"module.{name}.module.node.aws_instance.gpu": t
        for name, t in zip(REMOTE_CALLS, types, strict=True)
    }
    kms = {r.address for r in stack.resources if r.type == "aws_kms_key"}
    assert kms == {f"module.{name}.module.kms.aws_kms_key.this" for name in REMOTE_CALLS}
    # priced at their real instance types: p4d.24xlarge is 730 h x $21.957642
    priced = {
        p.resource.address: p for p in price_resources(stack.resources, catalog, load_usage(None))
    }
    p4d = priced["module.from_git.module.node.aws_instance.gpu"]
    assert any(
        line.unit_price == Decimal("21.957642") and line.quantity == Decimal("730")
        for line in p4d.cost_lines
    )


def test_a_recorded_source_of_another_bucket_is_stale(tmp_path: Path) -> None:
    directory = tmp_path / "infra"
    (directory / ".terraform/modules/m").mkdir(parents=True)
    (directory / ".terraform/modules/m/main.tf").write_text(GPU_NODE)
    (directory / "main.tf").write_text(
        'module "m" {\n  source = "acme-modules.s3.amazonaws.com/gpu.zip"\n}\n'
    )
    entry = {
        "Key": "m",
        "Source": "s3::https://s3.amazonaws.com/other/gpu.zip",
        "Dir": ".terraform/modules/m",
    }
    (directory / ".terraform/modules/modules.json").write_text(json.dumps({"Modules": [entry]}))
    [placeholder] = read_input(directory).resources
    assert "modules.json records source" in placeholder.attributes["reason"]


def test_a_registry_call_inside_a_local_module_has_a_nested_key(tmp_path: Path) -> None:
    """`terraform init` records the local module too (`Dir` in the repository) and the
    registry module it calls under the key `gpu.node`."""
    directory = tmp_path / "infra"
    files = {
        "main.tf": 'module "gpu" {\n  source = "./modules/gpu"\n}\n',
        "modules/gpu/main.tf": (
            'module "node" {\n  source  = "acme/node/aws"\n  version = "~> 1.0"\n'
            '  instance_type = "g6.xlarge"\n}\n'
        ),
        ".terraform/modules/gpu.node/main.tf": GPU_NODE,
    }
    for name, text in files.items():
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        (directory / name).write_text(text)
    entries = [
        {"Key": "", "Source": "", "Dir": "."},
        {"Key": "gpu", "Source": "./modules/gpu", "Dir": "modules/gpu"},
        {
            "Key": "gpu.node",
            "Source": "registry.terraform.io/acme/node/aws",
            "Version": "1.4.0",
            "Dir": ".terraform/modules/gpu.node",
        },
    ]
    (directory / ".terraform/modules/modules.json").write_text(json.dumps({"Modules": entries}))
    [node] = read_input(directory).resources
    assert node.address == "module.gpu.module.node.aws_instance.gpu"
    assert node.attributes["instance_type"] == "g6.xlarge"
