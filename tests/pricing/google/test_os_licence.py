"""Premium OS licences (Windows Server, RHEL, SLES) priced on the Google VMs that boot them:
one line per resource, 730 h x the machine type's licence rate from the catalog (pricing.yml
compute.license, 2026-07-30, one worldwide rate per type), on top of the machine."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from costgate.cli import main
from costgate.model import UNKNOWN, PricedResource
from costgate.pricing.catalog import Catalog
from tests.conftest import validate_report
from tests.pricing.helpers import D, gcp, lines, list_price, price

WINDOWS = "windows-cloud/windows-2022"


def licence_rate(catalog: Catalog, machine: str, kind: str) -> D:
    return list_price(catalog, "google", "license", machine, kind, "global")


def instance(catalog: Catalog, machine: str, image: object, **extra: object) -> PricedResource:
    boot = {"initialize_params": [{"image": image, "size": 50}]}
    (p,) = price(
        catalog,
        gcp("google_compute_instance", {"machine_type": machine, "boot_disk": [boot], **extra}),
    )
    return p


def test_n1_standard_4_windows_is_machine_plus_four_vcpus_of_licence(catalog: Catalog) -> None:
    # Windows Server is $0.046 per vCPU-hour: 4 x 0.046 = 0.184 for n1-standard-4
    assert licence_rate(catalog, "n1-standard-4", "windows") == D("0.184")
    n1 = list_price(catalog, "google", "compute", "n1-standard-4", "on_demand", "us-central1")
    assert n1 == D("0.189999")
    p = instance(catalog, "n1-standard-4", WINDOWS)
    got = lines(p)
    # the licence has no sustained-use discount: 730 h, not the machine's 511 h
    name = "Windows Server licence (n1-standard-4, premium image windows-cloud/windows-2022)"
    assert got[name] == (D(730), D("0.184"))
    # 511 h x 0.189999 = 97.089489; 730 h x 0.184 = 134.32; 50 GB pd-standard x 0.04 = 2
    assert p.monthly_cost == D("97.089489") + D("134.32") + D("2") == D("233.409489")
    assert "Windows Server licence: premium image windows-cloud/windows-2022" in p.notes[0]
    assert not p.missing


def test_e2_small_windows_pays_the_shared_core_rate(catalog: Catalog) -> None:
    # e2-small bills half a vCPU: 0.5 x 0.046 = 0.023 an hour
    assert licence_rate(catalog, "e2-small", "windows") == D("0.023")
    p = instance(catalog, "e2-small", "projects/windows-cloud/global/images/family/windows-2019")
    # 730 h x 0.016752855 = 12.22958415 (E2: no sustained-use discount); 730 x 0.023 = 16.79
    assert p.monthly_cost == D("12.22958415") + D("16.79") + D("2")


@pytest.mark.parametrize(
    ("machine", "rate", "monthly"),
    [
        ("e2-standard-4", "0.0576", "42.048"),  # 4 vCPU x 0.0144 (up to 8 vCPU)
        ("n2-standard-8", "0.1152", "84.096"),  # 8 vCPU x 0.0144
        ("n2-standard-16", "0.1728", "126.144"),  # 16 vCPU x 0.0108 (9 to 127 vCPU)
    ],
)
def test_rhel_rate_follows_the_vcpu_band_of_the_table(
    catalog: Catalog, machine: str, rate: str, monthly: str
) -> None:
    assert licence_rate(catalog, machine, "rhel") == D(rate)
    p = instance(catalog, machine, "rhel-cloud/rhel-9")
    name = f"Red Hat Enterprise Linux licence ({machine}, premium image rhel-cloud/rhel-9)"
    assert lines(p)[name] == (D(730), D(rate))
    (line,) = [c for c in p.cost_lines if c.name == name]
    assert line.monthly_cost == D(monthly)  # 730 h x the rate, as the report sums it


@pytest.mark.parametrize(
    ("machine", "image", "kind", "rate"),
    [
        ("f1-micro", "suse-cloud/sles-15", "sles", "0.02"),
        ("n1-standard-8", "suse-cloud/sles-15", "sles", "0.11"),
        ("e2-standard-4", "suse-sap-cloud/sles-15-sp5-sap", "sles_sap", "0.34"),
        ("n2-standard-8", "rhel-sap-cloud/rhel-8-4-sap-ha", "rhel_sap", "0.18"),
    ],
)
def test_sles_and_sap_rates(
    catalog: Catalog, machine: str, image: str, kind: str, rate: str
) -> None:
    assert licence_rate(catalog, machine, kind) == D(rate)
    p = instance(catalog, machine, image)
    (name,) = [n for n in lines(p) if " licence (" in n]
    assert lines(p)[name] == (D(730), D(rate))


def test_spot_vm_pays_the_full_licence(catalog: Catalog) -> None:
    spot = list_price(catalog, "google", "compute", "n1-standard-4", "spot", "us-central1")
    p = instance(catalog, "n1-standard-4", WINDOWS, scheduling=[{"provisioning_model": "SPOT"}])
    got = lines(p)
    assert got["Instance usage (n1-standard-4, spot)"] == (D(730), spot)
    licence = "Windows Server licence (n1-standard-4, premium image windows-cloud/windows-2022)"
    assert got[licence] == (D(730), D("0.184"))
    assert any("Spot VMs pay the full licence rate" in n for n in p.notes)


def test_unknown_image_prices_the_machine_and_says_the_os_is_unknown(catalog: Catalog) -> None:
    p = instance(catalog, "n1-standard-4", UNKNOWN)
    assert not any("licence" in n for n in lines(p))
    assert any("boot image unknown until apply" in n for n in p.notes)
    assert not p.missing


def test_free_image_adds_nothing(catalog: Catalog) -> None:
    p = instance(catalog, "n1-standard-4", "debian-cloud/debian-12")
    assert list(lines(p)) == [
        "Instance usage (n1-standard-4, on-demand; sustained-use discount 30.0 % (up to 30 %): "
        "730 h billed as 511 h at the list rate)",
        "Boot disk (pd-standard, 50 GB)",
    ]
    assert p.notes == ()


def test_private_image_is_assumed_free_and_says_so(catalog: Catalog) -> None:
    p = instance(catalog, "n1-standard-4", "my-images/golden-2024")
    assert not any("licence" in n for n in lines(p))
    assert any("assumed to bill no premium OS licence" in n for n in p.notes)


def test_custom_machine_licence_is_missing_not_zero(catalog: Catalog) -> None:
    p = instance(catalog, "custom-6-20480", WINDOWS)
    assert p.partial
    assert any(n.startswith("Instance usage vCPU") for n in lines(p))  # the machine is priced
    (missing,) = p.missing
    assert missing.startswith("Windows Server licence")
    assert "custom machine type" in missing


def test_sql_server_image_prices_windows_and_lists_sql_server_missing(catalog: Catalog) -> None:
    p = instance(catalog, "n1-standard-4", "windows-sql-cloud/sql-2022-standard-windows-2022-dc")
    assert any(n.startswith("Windows Server licence (n1-standard-4") for n in lines(p))
    (missing,) = p.missing
    assert missing.startswith("SQL Server licence")


def test_ubuntu_pro_is_a_missing_licence(catalog: Catalog) -> None:
    p = instance(catalog, "n1-standard-4", "ubuntu-os-pro-cloud/ubuntu-pro-2204-lts")
    assert not any("licence" in n for n in lines(p))
    (missing,) = p.missing
    assert missing.startswith("Ubuntu Pro licence")


def test_instance_group_licence_per_vm(catalog: Catalog) -> None:
    template = gcp(
        "google_compute_instance_template",
        {
            "machine_type": "n1-standard-4",
            "disk": [{"boot": True, "source_image": WINDOWS, "disk_size_gb": 50}],
        },
        address="google_compute_instance_template.t",
    )
    igm = gcp(
        "google_compute_instance_group_manager",
        {"target_size": 3},
        references={"version.instance_template": ("google_compute_instance_template.t",)},
    )
    _, m = price(catalog, template, igm)
    name = "Windows Server licence (n1-standard-4 x 3, premium image windows-cloud/windows-2022)"
    # 3 VMs x 730 h x 0.184 = 402.96
    assert lines(m)[name] == (D(2190), D("0.184"))


def test_gke_windows_node_pool(catalog: Catalog) -> None:
    assert licence_rate(catalog, "n1-standard-2", "windows") == D("0.092")
    pool = gcp(
        "google_container_node_pool",
        {
            "location": "us-central1-a",
            "node_count": 2,
            "node_config": [
                {"machine_type": "n1-standard-2", "image_type": "WINDOWS_LTSC_CONTAINERD"}
            ],
        },
    )
    (p,) = price(catalog, pool)
    name = "Windows Server licence (n1-standard-2 x 2, GKE node image type WINDOWS_LTSC_CONTAINERD)"
    # 2 nodes x 730 h x 0.092 = 134.32
    assert lines(p)[name] == (D(1460), D("0.092"))
    assert D(1460) * D("0.092") == D("134.32")


def test_gke_cluster_inline_and_default_windows_pools(catalog: Catalog) -> None:
    windows = {"machine_type": "n1-standard-2", "image_type": "WINDOWS_LTSC_CONTAINERD"}
    inline = gcp(
        "google_container_cluster",
        {
            "location": "us-central1-a",
            "node_pool": [
                {"name": "win", "node_count": 3, "node_config": [windows]},
                {"name": "linux", "node_count": 1, "node_config": [{"machine_type": "e2-medium"}]},
            ],
        },
    )
    (p,) = price(catalog, inline)
    got = {n: v for n, v in lines(p).items() if "licence" in n}
    assert got == {
        "node_pool[win] Windows Server licence (n1-standard-2 x 3, GKE node image type "
        "WINDOWS_LTSC_CONTAINERD)": (D(2190), D("0.092"))
    }
    default = gcp(
        "google_container_cluster",
        {"location": "us-central1-a", "initial_node_count": 1, "node_config": [windows]},
    )
    (d,) = price(catalog, default)
    assert any(n.startswith("default_pool Windows Server licence") for n in lines(d))


HCL = """
provider "google" {
  region = "us-central1"
}
resource "google_compute_instance" "win" {
  name         = "win"
  machine_type = "n1-standard-4"
  zone         = "us-central1-a"
  boot_disk {
    initialize_params {
      image = "windows-cloud/windows-2022"
      size  = 50
    }
  }
  network_interface {
    network = "default"
  }
}
"""


def test_text_and_json_output_show_the_licence_line(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(HCL, encoding="utf-8")
    text = CliRunner().invoke(main, ["breakdown", str(tmp_path)], catch_exceptions=False)
    assert text.exit_code == 0, text.output
    assert "Windows Server licence (n1-standard-4, premium image" in text.output
    assert "$134.32" in text.output
    out = CliRunner().invoke(
        main, ["breakdown", str(tmp_path), "--format", "json"], catch_exceptions=False
    )
    doc = validate_report(out.output)
    (resource,) = doc["resources"]
    (line,) = [c for c in resource["cost_lines"] if c["name"].startswith("Windows Server")]
    assert (line["unit"], line["quantity"], line["unit_price"]) == ("hour", "730", "0.184")
    assert line["monthly_cost"] == "134.32"
    assert line["price_key"] == "google/license/global/n1-standard-4/windows"
    assert line["as_of"] == "2026-07-30"
    assert resource["monthly_cost"] == "233.41"


def test_boot_disk_attached_from_a_disk_in_the_plan_bills_its_image_licence(
    catalog: Catalog,
) -> None:
    disk = gcp(
        "google_compute_disk",
        {"image": "windows-cloud/windows-2022", "size": 50},
        address="google_compute_disk.boot",
    )
    vm = gcp(
        "google_compute_instance",
        {"machine_type": "n1-standard-4", "boot_disk": [{"source": UNKNOWN}]},
        references={"boot_disk.source": ("google_compute_disk.boot",)},
    )
    _, p = price(catalog, disk, vm)
    name = "Windows Server licence (n1-standard-4, premium image windows-cloud/windows-2022)"
    assert lines(p)[name] == (D(730), D("0.184"))
    # a disk that is not in the plan: the OS is not guessed
    (alone,) = price(catalog, vm)
    assert not any("licence" in n for n in lines(alone))
    assert any("attached from an existing disk" in n for n in alone.notes)
