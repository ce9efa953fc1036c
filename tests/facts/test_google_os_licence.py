"""The OS licence a Google VM bills, read from its boot image in every spelling the google
provider accepts: the image's project decides (premium, free public, or someone else's)."""

from __future__ import annotations

import pytest

from costgate.facts.google import image_licence, node_os_licence, os_licence
from costgate.facts.specs import OsLicence
from costgate.model import UNKNOWN
from tests.conftest import make_resource

WINDOWS = [
    "windows-cloud/windows-2022",
    "projects/windows-cloud/global/images/family/windows-2022",
    "https://www.googleapis.com/compute/v1/projects/windows-cloud/global/images/"
    "windows-server-2022-dc-v20240415",
    "windows-server-2022-dc-v20240415",
    "family/windows-2022",
]


@pytest.mark.parametrize("image", WINDOWS)
def test_every_spelling_of_a_windows_image_bills_the_windows_licence(image: str) -> None:
    licence = image_licence(image)
    assert (licence.os, licence.kind) == ("Windows Server", "windows")
    assert licence.source.startswith("premium image windows-cloud/")


def test_a_name_without_project_says_where_the_provider_finds_it() -> None:
    licence = image_licence("windows-server-2022-dc-v20240415")
    assert "read as windows-cloud" in licence.note
    assert "own project would be used first" in licence.note
    assert image_licence("windows-cloud/windows-2022").note == ""


@pytest.mark.parametrize(
    ("image", "os", "kind"),
    [
        ("rhel-cloud/rhel-9", "Red Hat Enterprise Linux", "rhel"),
        (
            "projects/rhel-sap-cloud/global/images/family/rhel-8-4-sap-ha",
            "RHEL for SAP",
            "rhel_sap",
        ),
        ("suse-cloud/sles-15", "SUSE Linux Enterprise Server", "sles"),
        ("suse-sap-cloud/sles-15-sp5-sap", "SLES for SAP", "sles_sap"),
        ("rhel-9", "Red Hat Enterprise Linux", "rhel"),
    ],
)
def test_rhel_and_sles_projects(image: str, os: str, kind: str) -> None:
    licence = image_licence(image)
    assert (licence.os, licence.kind) == (os, kind)


@pytest.mark.parametrize(
    "image",
    [
        "debian-cloud/debian-12",
        "ubuntu-os-cloud/ubuntu-2204-lts",
        "cos-cloud/cos-stable",
        "rocky-linux-cloud/rocky-linux-9",
        "centos-cloud/centos-stream-9",
        "rhel-byos-cloud/rhel-9-byos",
        "debian-12",
    ],
)
def test_free_public_images_bill_nothing_and_say_nothing(image: str) -> None:
    assert image_licence(image) == OsLicence(source=image_licence(image).source)
    assert image_licence(image).kind is None and image_licence(image).note == ""


def test_sql_server_and_ubuntu_pro_name_the_licence_the_catalog_lacks() -> None:
    sql = image_licence("windows-sql-cloud/sql-2022-standard-windows-2022-dc")
    assert sql.kind == "windows"
    assert [what for what, _ in sql.unpriced] == ["SQL Server licence"]
    pro = image_licence("ubuntu-os-pro-cloud/ubuntu-pro-2204-lts")
    assert (pro.os, pro.kind) == ("Ubuntu Pro", None)
    assert [what for what, _ in pro.unpriced] == ["Ubuntu Pro licence"]


@pytest.mark.parametrize(
    ("image", "owner"),
    [
        ("my-project/golden-windows", "project my-project"),
        ("projects/my-project/global/images/golden", "project my-project"),
        ("global/images/golden", "the provider's own project"),
        ("golden-v7", "the provider's own project"),
    ],
)
def test_a_custom_image_is_assumed_free_and_says_so(image: str, owner: str) -> None:
    licence = image_licence(image)
    assert licence.kind is None
    assert f"is from {owner}" in licence.note
    assert "keeps that licence" in licence.note


def test_an_unknown_image_is_a_note_not_a_guess() -> None:
    licence = image_licence(UNKNOWN)
    assert licence.kind is None
    assert "unknown until apply" in licence.note


def test_instance_template_reads_the_boot_disk_source_image() -> None:
    template = make_resource(
        "google_compute_instance_template",
        {
            "disk": [
                {"source_image": "debian-cloud/debian-12"},
                {"boot": True, "source_image": "suse-cloud/sles-15"},
            ]
        },
    )
    assert os_licence(template).kind == "sles"
    first_disk = make_resource(
        "google_compute_region_instance_template",
        {"disk": [{"source_image": "rhel-cloud/rhel-9"}, {"disk_size_gb": 100}]},
    )
    assert os_licence(first_disk).kind == "rhel"


def test_instance_booting_an_existing_disk_is_not_guessed() -> None:
    instance = make_resource(
        "google_compute_instance", {"boot_disk": [{"source": "projects/p/zones/z/disks/d"}]}
    )
    licence = os_licence(instance)
    assert licence.kind is None and "existing disk" in licence.note


@pytest.mark.parametrize(
    ("image_type", "kind"),
    [
        ("WINDOWS_LTSC_CONTAINERD", "windows"),
        ("WINDOWS_SAC_CONTAINERD", "windows"),
        ("windows_ltsc", "windows"),
        ("COS_CONTAINERD", None),
        ("UBUNTU_CONTAINERD", None),
        (None, None),
    ],
)
def test_gke_node_image_types(image_type: str | None, kind: str | None) -> None:
    assert node_os_licence({"image_type": image_type}).kind == kind
    pool = make_resource(
        "google_container_node_pool", {"node_config": [{"image_type": image_type}]}
    )
    assert os_licence(pool).kind == kind


def test_gke_unknown_image_type_is_a_note() -> None:
    licence = node_os_licence({"image_type": UNKNOWN})
    assert licence.kind is None and "unknown until apply" in licence.note
