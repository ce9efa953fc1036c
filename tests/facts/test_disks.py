"""Disks are read once per cloud, with the cloud's defaults stated and unknown sizes kept
unknown (never guessed), except a value the provider computes when it is unset (EKS
`disk_size`), which every plan shows as unknown: the cloud's default then, said on the line.
The pricers price what these readers return."""

from __future__ import annotations

from decimal import Decimal

from costgate.facts import aws, azurerm, google
from costgate.model import UNKNOWN
from tests.conftest import make_resource


def test_ec2_root_volume_from_the_ami_is_8_gb_gp2_assumed_and_a_typeless_device_is_gp2() -> None:
    instance = make_resource(
        "aws_instance",
        {"ebs_block_device": [{"device_name": "/dev/sdb", "volume_size": 500}]},
    )
    root, data = aws.instance_disks(instance)
    assert (root.type, root.size_gb, root.missing) == ("gp2", Decimal(8), "")
    assert "8 GB gp2 assumed: the AMI decides" in root.assumed
    assert (data.label, data.type, data.size_gb) == ("EBS volume /dev/sdb", "gp2", Decimal(500))
    assert "priced as gp2, the EC2 default" in data.assumed


def test_ec2_root_device_without_size_keeps_the_ami_size_and_an_unknown_one_is_missing() -> None:
    typed = make_resource("aws_instance", {"root_block_device": [{"volume_type": "gp3"}]})
    (root,) = aws.instance_disks(typed)
    assert (root.type, root.size_gb) == ("gp3", Decimal(8)) and "AMI decides" in root.assumed
    unknown = make_resource("aws_instance", {"root_block_device": [{"volume_size": UNKNOWN}]})
    assert "size unknown until apply" in aws.instance_disks(unknown)[0].missing


def test_eks_node_disk_defaults_to_20_gb_gp2() -> None:
    default = aws.eks_node_disk(make_resource("aws_eks_node_group", {}))
    assert (default.type, default.size_gb) == ("gp2", Decimal(20))
    assert "the EKS default" in default.assumed
    sized = aws.eks_node_disk(make_resource("aws_eks_node_group", {"disk_size": 50}))
    assert (sized.size_gb, sized.assumed) == (Decimal(50), "")
    # a plan of a node group that leaves disk_size unset shows it unknown (Optional +
    # Computed in the AWS provider): the EKS default, said so, not a silently missing disk
    planned = aws.eks_node_disk(make_resource("aws_eks_node_group", {"disk_size": UNKNOWN}))
    assert (planned.type, planned.size_gb, planned.missing) == ("gp2", Decimal(20), "")
    assert "unknown until apply" in planned.assumed and "EKS default, assumed" in planned.assumed


def test_launch_template_volumes_with_unknown_size_are_missing() -> None:
    template = make_resource(
        "aws_launch_template",
        {
            "block_device_mappings": [
                {"device_name": "/dev/xvda", "ebs": [{"volume_size": UNKNOWN}]}
            ]
        },
    )
    (disk,) = aws.template_disks(template)
    assert disk.label == "Volume /dev/xvda" and "size unknown until apply" in disk.missing


def test_gce_boot_disk_defaults_to_pd_standard_and_an_image_size_is_missing() -> None:
    sized = make_resource(
        "google_compute_instance", {"boot_disk": [{"initialize_params": [{"size": 50}]}]}
    )
    unsized = make_resource("google_compute_instance", {"boot_disk": [{}]})
    (disk,) = google.instance_disks(sized)
    assert (disk.type, disk.size_gb) == ("pd-standard", Decimal(50))
    (image,) = google.instance_disks(unsized)
    assert (image.label, image.missing) == ("Boot disk", google.IMAGE_SIZED)


def test_gke_node_disk_takes_gkes_defaults() -> None:
    pool = make_resource("google_container_node_pool", {"node_config": [{}]})
    disk = google.node_disk(pool)
    assert (disk.label, disk.type, disk.size_gb) == ("Node boot disk", "pd-balanced", 100)


def test_azure_os_disk_of_a_vm_and_of_a_legacy_vm_without_one() -> None:
    vm = make_resource(
        "azurerm_linux_virtual_machine",
        {"os_disk": [{"storage_account_type": "Premium_LRS", "disk_size_gb": 64}]},
    )
    disk = azurerm.os_disk(vm)
    assert disk is not None and (disk.type, disk.size_gb) == ("Premium_LRS", Decimal(64))
    assert azurerm.os_disk(make_resource("azurerm_virtual_machine", {})) is None
    image = azurerm.os_disk(
        make_resource("azurerm_linux_virtual_machine", {"os_disk": [{"caching": "ReadWrite"}]})
    )
    assert image is not None and "unknown until apply" in image.missing


def test_a_legacy_unmanaged_os_disk_is_not_priced_and_says_why() -> None:
    # a VHD in a storage account (`vhd_uri`): billed as that account's page blobs
    vm = make_resource(
        "azurerm_virtual_machine",
        {"storage_os_disk": [{"create_option": "FromImage", "vhd_uri": "https://a/os.vhd"}]},
    )
    disk = azurerm.os_disk(vm)
    # billed with its storage account: a note on the VM, not a missing cost
    assert disk is not None and disk.elsewhere == azurerm.UNMANAGED and not disk.missing
