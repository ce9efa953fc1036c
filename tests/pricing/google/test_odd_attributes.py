"""Compute Engine pricers on blocks a plan knows only after apply (a `dynamic` block over
an unknown list): priced or noted as such, never a traceback."""

from __future__ import annotations

from decimal import Decimal

import pytest

from costgate.errors import InputError
from costgate.model import UNKNOWN
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import make_resource, usage


def test_unknown_scratch_disk_block_is_a_default_375_gb_local_ssd(catalog: Catalog) -> None:
    known = make_resource(
        "google_compute_instance",
        {"machine_type": "n1-standard-2", "scratch_disk": [{"interface": "NVME"}]},
        region="us-central1",
    )
    unknown = make_resource(
        "google_compute_instance",
        {"machine_type": "n1-standard-2", "scratch_disk": [UNKNOWN]},
        region="us-central1",
    )
    first, second = price_resources((known, unknown), catalog, usage())
    (ssd,) = (line for line in second.cost_lines if line.name.startswith("Local SSD"))
    # 375 GB x 0.08 $/GB-month in us-central1 = 30.00, as for a block without `size`
    assert ssd.quantity == Decimal(375)
    assert ssd.monthly_cost == Decimal("30.00")
    assert second.monthly_cost == first.monthly_cost


def test_unknown_template_disk_block_is_a_missing_component(catalog: Catalog) -> None:
    template = make_resource(
        "google_compute_instance_template",
        {"machine_type": "n1-standard-2", "disk": [UNKNOWN]},
        address="google_compute_instance_template.t",
        region="us-central1",
    )
    manager = make_resource(
        "google_compute_instance_group_manager",
        {"target_size": 2, "version": [{"instance_template": "t"}]},
        region="us-central1",
        references={"version.instance_template": ("google_compute_instance_template.t",)},
    )
    _, priced = price_resources((template, manager), catalog, usage())
    assert [line.name for line in priced.cost_lines] == [
        "Instance usage (n1-standard-2, on-demand x 2; sustained-use discount 30.0 % "
        "(up to 30 %): 730 h billed as 511 h at the list rate)"
    ]
    assert priced.missing == ("Disk not priced: the disk block is unknown until apply",)
    assert priced.partial


def test_gpus_unknown_until_apply_are_missing_not_a_note(catalog: Catalog) -> None:
    for accelerators in ([UNKNOWN], UNKNOWN, [{"type": "nvidia-tesla-t4", "count": UNKNOWN}]):
        resource = make_resource(
            "google_compute_instance",
            {"machine_type": "n1-standard-2", "guest_accelerator": accelerators},
            region="us-central1",
        )
        (priced,) = price_resources((resource,), catalog, usage())
        assert len(priced.cost_lines) == 1  # the machine: priced
        # the GPUs (and the unsized boot disk): partially priced, not silently $0
        gpu, boot = priced.missing
        assert gpu.startswith("GPU not priced: guest_accelerator ")
        assert boot.startswith("Boot disk not priced: size comes from the image")


def test_gpu_count_that_is_not_a_number_is_an_input_error(catalog: Catalog) -> None:
    resource = make_resource(
        "google_compute_instance",
        {
            "machine_type": "n1-standard-2",
            "guest_accelerator": [{"type": "nvidia-tesla-t4", "count": [{}]}],
        },
        region="us-central1",
    )
    with pytest.raises(InputError, match=r"guest_accelerator\.count"):
        price_resources((resource,), catalog, usage())


def test_custom_machine_without_vcpus_or_memory_is_an_input_error(catalog: Catalog) -> None:
    # Compute Engine rejects these at apply; priced, they read as a $0 machine
    for machine in ("custom-0-0", "custom-2-0", "n2-custom-2-1000"):
        resource = make_resource(
            "google_compute_instance", {"machine_type": machine}, region="us-central1"
        )
        with pytest.raises(InputError, match="machine_type"):
            price_resources((resource,), catalog, usage())


def test_local_ssd_count_or_size_that_is_not_a_number_is_an_input_error(
    catalog: Catalog,
) -> None:
    # a word where a number belongs is the input's mistake: it was read as no local SSD
    # (or as the 375 GB default), silently
    pool = make_resource(
        "google_container_node_pool",
        {
            "location": "us-central1-a",
            "node_count": 1,
            "node_config": [{"machine_type": "n1-standard-4", "local_ssd_count": "two"}],
        },
        region="us-central1",
    )
    instance = make_resource(
        "google_compute_instance",
        {"machine_type": "n1-standard-2", "scratch_disk": [{"size": "big"}]},
        region="us-central1",
    )
    for resource, attribute in ((pool, "local_ssd_count"), (instance, r"scratch_disk\.size")):
        with pytest.raises(InputError, match=attribute):
            price_resources((resource,), catalog, usage())


def test_disk_size_unknown_in_a_plan_is_read_as_unset_and_said(catalog: Catalog) -> None:
    # `size` is Optional + Computed: a plan shows it unknown for every disk that does not
    # set it, which made every such disk unpriced ("size is unknown until apply")
    unknown = make_resource(
        "google_compute_disk", {"size": UNKNOWN, "zone": "us-central1-a"}, region="us-central1"
    )
    unset = make_resource(
        "google_compute_disk",
        {"zone": "us-central1-a"},
        region="us-central1",
        address="google_compute_disk.unset",
    )
    first, second = price_resources((unknown, unset), catalog, usage())
    # the blank pd-standard default, 500 GB x $0.04 in us-central1 = $20.00, as when unset
    assert first.monthly_cost == second.monthly_cost == Decimal("20.00")
    assert any(n.startswith("size unknown in the plan (not set, ") for n in first.notes)
