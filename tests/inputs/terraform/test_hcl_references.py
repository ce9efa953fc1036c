"""Issue 14, item 4: launch templates reached through a local, a module output or a child
module's variable are followed, as `terraform-aws-modules/eks` and `autoscaling` pass them;
`aws_instance.launch_template` gives the instance its type, volumes and market. Expected
prices are catalog rates x 730 h, worked out by hand in the comments."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from costgate.model import PricedResource
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from costgate.pricing.quote import CAPACITY_BLOCK_UNPRICED
from costgate.usage import load_usage
from tests.inputs.terraform.test_hcl import read, write

PROVIDER = 'provider "aws" { region = "us-east-1" }\n'
TEMPLATE = """
resource "aws_launch_template" "gpu" {
  instance_type = "g5.xlarge"
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 100
      volume_type = "gp3"
    }
  }
}
"""


def _priced(directory: Path, catalog: Catalog) -> dict[str, PricedResource]:
    resources = tuple(read(directory).values())
    return {p.resource.address: p for p in price_resources(resources, catalog, load_usage(None))}


def _lines(priced: PricedResource) -> dict[str, Decimal]:
    return {line.name: line.monthly_cost for line in priced.cost_lines}


def test_rates_used_below(catalog: Catalog) -> None:
    for product, rate in (("g5.xlarge", "1.006"), ("m5.large", "0.096")):
        found = catalog.price("aws", "ec2", product, "us-east-1", "on_demand")
        assert found is not None and found.price == Decimal(rate)
    gp3 = catalog.price("aws", "ebs", "gp3", "us-east-1", "storage")
    assert gp3 is not None and gp3.price == Decimal("0.08")


def test_node_group_template_through_a_local(tmp_path: Path, catalog: Catalog) -> None:
    write(
        tmp_path,
        {
            "main.tf": PROVIDER
            + TEMPLATE
            + """
            locals {
              template_id = try(aws_launch_template.gpu.id, null)
            }
            resource "aws_eks_node_group" "gpu" {
              cluster_name = "c"
              scaling_config {
                desired_size = 2
                min_size     = 1
                max_size     = 4
              }
              launch_template {
                id      = local.template_id
                version = "$Latest"
              }
            }
            """
        },
    )
    group = _priced(tmp_path, catalog)["aws_eks_node_group.gpu"]
    # 2 x 730 h x $1.006 = $1,468.76 (not t3.medium); 2 x 100 GB gp3 x $0.08 = $16.00
    assert _lines(group) == {
        "Node usage (g5.xlarge, on-demand x 2)": Decimal("1468.76"),
        "Volume /dev/xvda (gp3, 100 GB x 2)": Decimal("16.00"),
    }


def test_group_template_through_a_module_output_and_a_variable(
    tmp_path: Path, catalog: Catalog
) -> None:
    write(
        tmp_path,
        {
            "main.tf": PROVIDER
            + """
            module "template" {
              source = "./template"
            }
            module "group" {
              source      = "./group"
              template_id = module.template.id
            }
            """,
            "template/main.tf": TEMPLATE.replace("g5.xlarge", "m5.large")
            + 'output "id" { value = aws_launch_template.gpu.id }\n',
            "group/main.tf": """
            variable "template_id" { type = string }
            locals { id = var.template_id }
            resource "aws_autoscaling_group" "this" {
              desired_capacity = 3
              min_size         = 1
              max_size         = 4
              launch_template {
                id = local.id
              }
            }
            """,
        },
    )
    group = _priced(tmp_path, catalog)["module.group.aws_autoscaling_group.this"]
    # 3 x 730 h x $0.096 = $210.24; 3 x 100 GB gp3 x $0.08 = $24.00
    assert _lines(group) == {
        "Instance usage (m5.large, on-demand x 3)": Decimal("210.24"),
        "Volume /dev/xvda (gp3, 100 GB x 3)": Decimal("24.00"),
    }
    assert group.unpriced_reason is None


def test_instance_takes_type_and_volumes_from_its_launch_template(
    tmp_path: Path, catalog: Catalog
) -> None:
    write(
        tmp_path,
        {
            "main.tf": PROVIDER
            + TEMPLATE
            + """
            resource "aws_instance" "from_template" {
              launch_template {
                id = aws_launch_template.gpu.id
              }
            }
            resource "aws_instance" "own_type" {
              instance_type = "m5.large"
              launch_template {
                name = aws_launch_template.gpu.name
              }
            }
            """
        },
    )
    priced = _priced(tmp_path, catalog)
    # 730 h x $1.006 = $734.38; 100 GB gp3 x $0.08 = $8.00
    assert _lines(priced["aws_instance.from_template"]) == {
        "Instance usage (g5.xlarge, on-demand)": Decimal("734.38"),
        "Volume /dev/xvda (gp3, 100 GB)": Decimal("8.00"),
    }
    # the instance's own instance_type wins: 730 h x $0.096 = $70.08; the template's volume
    assert _lines(priced["aws_instance.own_type"]) == {
        "Instance usage (m5.large, on-demand)": Decimal("70.08"),
        "Volume /dev/xvda (gp3, 100 GB)": Decimal("8.00"),
    }


def test_capacity_blocks_stay_unpriced_with_their_reason(tmp_path: Path, catalog: Catalog) -> None:
    write(
        tmp_path,
        {
            "main.tf": PROVIDER
            + """
            resource "aws_launch_template" "cb" {
              instance_type = "p5.48xlarge"
              instance_market_options {
                market_type = "capacity-block"
              }
            }
            resource "aws_instance" "trainer" {
              launch_template {
                id = aws_launch_template.cb.id
              }
            }
            locals {
              template = { id = aws_launch_template.cb.id }
            }
            resource "aws_eks_node_group" "cb" {
              capacity_type = "CAPACITY_BLOCK"
              scaling_config {
                desired_size = 2
                min_size     = 2
                max_size     = 2
              }
              launch_template {
                id = local.template.id
              }
            }
            resource "aws_ec2_capacity_block_reservation" "block" {
              capacity_block_offering_id = "cbr-0123456789abcdef0"
              instance_platform          = "Linux/UNIX"
              instance_type              = "p5.48xlarge"
              instance_count             = 2
            }
            """
        },
    )
    priced = _priced(tmp_path, catalog)
    assert priced["aws_instance.trainer"].unpriced_reason == (
        f"{CAPACITY_BLOCK_UNPRICED}: 1 x p5.48xlarge"
    )
    assert priced["aws_instance.trainer"].monthly_cost == 0
    assert priced["aws_eks_node_group.cb"].unpriced_reason == (
        f"{CAPACITY_BLOCK_UNPRICED}: 2 x p5.48xlarge"  # the template's type, not t3.medium
    )
    block = priced["aws_ec2_capacity_block_reservation.block"]
    assert block.unpriced_reason == f"{CAPACITY_BLOCK_UNPRICED}: 2 x p5.48xlarge"


def test_references_of_repeated_blocks_merge(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """
                provider "azurerm" {
                  features {}
                }
                resource "azurerm_managed_disk" "a" {
                  name = "a"
                  location = "westeurope"
                  resource_group_name = "rg"
                  storage_account_type = "Premium_LRS"
                  create_option = "Empty"
                  disk_size_gb = 128
                }
                resource "azurerm_managed_disk" "b" {
                  name = "b"
                  location = "westeurope"
                  resource_group_name = "rg"
                  storage_account_type = "Premium_LRS"
                  create_option = "Empty"
                  disk_size_gb = 256
                }
                resource "azurerm_virtual_machine" "vm" {
                  name = "vm"
                  location = "westeurope"
                  resource_group_name = "rg"
                  vm_size = "Standard_F2"
                  network_interface_ids = []
                  storage_data_disk {
                    name = "a"
                    lun = 0
                    create_option = "Attach"
                    managed_disk_id = azurerm_managed_disk.a.id
                  }
                  storage_data_disk {
                    name = "b"
                    lun = 1
                    create_option = "Attach"
                    managed_disk_id = azurerm_managed_disk.b.id
                  }
                }
            """
        },
    )
    vm = read(tmp_path)["azurerm_virtual_machine.vm"]
    # each block's reference is kept (the second block's list replaced the first's before)
    refs = vm.references["storage_data_disk.managed_disk_id"]
    assert [r for r in refs if r.endswith((".a", ".b"))] == [
        "azurerm_managed_disk.a",
        "azurerm_managed_disk.b",
    ]
