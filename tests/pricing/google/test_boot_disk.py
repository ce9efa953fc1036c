"""A Compute Engine instance's boot disk: sized (priced), sized by its image at apply (a
missing component: the instance is partially priced, never fully priced with a note), or
attached from a `google_compute_disk` in the plan (priced as that resource, not twice).

Rates from the shipped catalog: e2-standard-2 $0.06701142/h (no sustained-use discount for
E2), pd-standard $0.04 and pd-balanced $0.10 per GB-month in us-central1."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from costgate.cli import main
from costgate.model import UNKNOWN, Resource
from costgate.pricing.catalog import Catalog
from tests.pricing.helpers import D, gcp, lines, list_price, price

MACHINE = "Instance usage (e2-standard-2, on-demand)"
IMAGE_SIZED = "Boot disk not priced: size comes from the image or snapshot at apply time"


def vm(boot_disk: object, **kw: object) -> Resource:
    return gcp(
        "google_compute_instance",
        {"machine_type": "e2-standard-2", "boot_disk": boot_disk},
        address="google_compute_instance.vm",
        **kw,
    )


def test_catalog_rates_used_here(catalog: Catalog) -> None:
    rate = list_price(catalog, "google", "compute", "e2-standard-2", "on_demand", "us-central1")
    assert rate == D("0.06701142")
    assert list_price(catalog, "google", "disk", "pd-balanced", "storage", "us-central1") == D(
        "0.1"
    )


def test_boot_disk_without_a_size_is_a_missing_component(catalog: Catalog) -> None:
    (p,) = price(catalog, vm([{"initialize_params": [{"image": "debian-cloud/debian-12"}]}]))
    assert list(lines(p)) == [MACHINE]
    # 730 h x 0.06701142 = 48.9183366: the machine stays priced
    assert p.monthly_cost == D("48.9183366")
    assert p.missing == (IMAGE_SIZED,)
    assert p.partial and not any("size comes from the image" in n for n in p.notes)


def test_sized_boot_disk_is_priced(catalog: Catalog) -> None:
    (p,) = price(catalog, vm([{"initialize_params": [{"size": 20, "type": "pd-balanced"}]}]))
    # 20 GB x 0.10 = 2.00
    assert lines(p)["Boot disk (pd-balanced, 20 GB)"] == (D(20), D("0.1"))
    assert p.monthly_cost == D("48.9183366") + D("2.0")
    assert not p.missing and not p.partial


def test_boot_disk_from_a_disk_in_the_plan_is_priced_as_that_disk(catalog: Catalog) -> None:
    disk = gcp(
        "google_compute_disk",
        {"type": "pd-balanced", "size": 30},
        address="google_compute_disk.boot",
    )
    instance = vm(
        [{"source": UNKNOWN}], references={"boot_disk.source": ("google_compute_disk.boot",)}
    )
    d, p = price(catalog, disk, instance)
    # the disk: 30 GB x 0.10 = 3.00, on its own resource; the instance: the machine only
    assert d.monthly_cost == D("3.0")
    assert list(lines(p)) == [MACHINE] and p.monthly_cost == D("48.9183366")
    assert not p.missing and not p.partial
    assert "Boot disk: priced as google_compute_disk.boot" in p.notes


def test_boot_disk_from_a_disk_outside_the_plan_is_missing(catalog: Catalog) -> None:
    named = vm([{"source": "projects/p/zones/us-central1-a/disks/golden"}])
    referenced = vm(
        [{"source": UNKNOWN}], references={"boot_disk.source": ("data.google_compute_disk.d",)}
    )
    for p in price(catalog, named, referenced):
        assert list(lines(p)) == [MACHINE]
        assert p.missing == (
            "Boot disk not priced: boot_disk.source names a disk outside this plan, whose size "
            "the plan does not give",
        )


def test_plan_summary_counts_the_instance_as_partially_priced(tmp_path: Path) -> None:
    # a plan shows the unset size and source unknown (the provider fills them in at apply)
    boot = [{"initialize_params": [{"image": "debian-cloud/debian-12"}]}]
    unknown = [{"initialize_params": [{"size": True, "type": True}], "source": True}]
    plan = {
        "format_version": "1.2",
        "resource_changes": [
            {
                "address": "google_compute_instance.vm",
                "type": "google_compute_instance",
                "name": "vm",
                "provider_name": "registry.terraform.io/hashicorp/google",
                "change": {
                    "actions": ["create"],
                    "after": {
                        "machine_type": "e2-standard-2",
                        "zone": "us-central1-a",
                        "boot_disk": boot,
                    },
                    "after_unknown": {"boot_disk": unknown},
                },
            }
        ],
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    doc = json.loads(CliRunner().invoke(main, ["breakdown", str(path), "--format", "json"]).output)
    assert doc["summary"]["partial"] == 1
    (resource,) = doc["resources"]
    assert resource["missing"] == [IMAGE_SIZED]
    table = CliRunner().invoke(main, ["breakdown", str(path)]).output
    assert "1 resource: 1 priced (1 partially), 0 unpriced" in table
