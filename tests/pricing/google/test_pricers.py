"""Google Cloud pricers against the shipped catalog, worked out by hand at 730 h.

Each test pins the catalog prices it relies on to the sourced list price first, so a
catalog change is noticed, then checks the monthly figure computed by hand.
"""

from __future__ import annotations

from costgate.inputs import read_input
from costgate.pricing.catalog import Catalog
from tests.conftest import usage
from tests.pricing.helpers import PLANS, D, gcp, lines, list_price, price

BOOT_IMAGE_SIZED = "Boot disk not priced: size comes from the image or snapshot at apply time"

# --------------------------------------------------------------------------- Google Cloud


def test_gcp_a2_instance_bundles_its_a100_and_prices_the_boot_disk(catalog: Catalog) -> None:
    # kubernetes/autoscaler list price; equals 12 x 0.031611 + 85 x 0.004237 + 2.933908 (SKUs)
    assert list_price(
        catalog, "google", "compute", "a2-highgpu-1g", "on_demand", "us-central1"
    ) == D("3.673385")
    assert list_price(catalog, "google", "disk", "pd-balanced", "storage", "us-central1") == D(
        "0.1"
    )
    (p,) = price(
        catalog,
        gcp(
            "google_compute_instance",
            {
                "machine_type": "a2-highgpu-1g",
                "zone": "us-central1-a",
                "guest_accelerator": [{"type": "nvidia-tesla-a100", "count": 1}],
                "boot_disk": [{"initialize_params": [{"size": 100, "type": "pd-balanced"}]}],
            },
            region="us-central1",
        ),
    )
    got = lines(p)
    assert got["Instance usage (a2-highgpu-1g, on-demand)"] == (D(730), D("3.673385"))
    assert got["Boot disk (pd-balanced, 100 GB)"] == (D(100), D("0.1"))
    assert len(got) == 2  # no separate A100 line: it is in the A2 price
    assert p.monthly_cost == D("2681.57105") + D("10")
    assert any("bundled" in n for n in p.notes)


def test_gcp_n1_with_two_t4_pays_per_gpu(catalog: Catalog) -> None:
    assert list_price(
        catalog, "google", "compute", "nvidia-tesla-t4", "on_demand", "us-central1"
    ) == D("0.35")
    (p,) = price(
        catalog,
        gcp(
            "google_compute_instance",
            {
                "machine_type": "projects/p/zones/us-central1-b/machineTypes/n1-standard-8",
                "guest_accelerator": [
                    {
                        "type": "projects/p/zones/us-central1-b/acceleratorTypes/nvidia-tesla-t4",
                        "count": 2,
                    }
                ],
                "boot_disk": [{"initialize_params": [{"image": "debian-cloud/debian-12"}]}],
            },
        ),
    )
    got = lines(p)
    # N1 and the GPUs attached to it get the sustained-use discount: a full month is
    # 182.5 h x (1 + 0.8 + 0.6 + 0.4) = 511 h at the list rate (30 % off)
    sud = "sustained-use discount 30.0 % (up to 30 %): 730 h billed as 511 h at the list rate"
    # n1-standard-8 0.379998 (pricing.yml 2026-07-30), T4 0.35 (autoscaler)
    assert got[f"Instance usage (n1-standard-8, on-demand; {sud})"] == (D(511), D("0.379998"))
    assert got[f"GPU (nvidia-tesla-t4, on-demand x 2; {sud})"] == (D(1022), D("0.35"))
    # 511 x 0.379998 = 194.178978; 2 x 511 x 0.35 = 357.7
    assert p.monthly_cost == D("194.178978") + D("357.7")
    # no size and no sized source: the boot disk is a missing component (partially priced)
    assert p.missing == (BOOT_IMAGE_SIZED,)
    assert p.partial


def test_gcp_spot_vm_prices_machine_and_gpu_at_spot_with_overhead(catalog: Catalog) -> None:
    # Cyclenerd's pricing.yml of 2026-07-30 (machine) and SkyPilot's snapshot (T4)
    assert list_price(catalog, "google", "compute", "n1-standard-8", "spot", "us-central1") == D(
        "0.13402"
    )
    assert list_price(catalog, "google", "compute", "nvidia-tesla-t4", "spot", "us-central1") == D(
        "0.175"
    )
    spot = gcp(
        "google_compute_instance",
        {
            "machine_type": "n1-standard-8",
            "scheduling": [{"provisioning_model": "SPOT"}],
            "guest_accelerator": [{"type": "nvidia-tesla-t4", "count": 1}],
        },
    )
    preemptible = gcp(
        "google_compute_instance",
        {
            "machine_type": "n1-standard-8",
            "scheduling": [{"preemptible": True}],
            "guest_accelerator": [{"type": "nvidia-tesla-t4", "count": 1}],
        },
        address="google_compute_instance.old_style",
    )
    a, b = price(catalog, spot, preemptible)
    # (0.13402 + 0.175) x 730 h x 1.05 interruption overhead; no sustained-use discount
    assert a.monthly_cost == b.monthly_cost == D("0.30902") * 730 * D("1.05")
    assert lines(a)["Spot interruption overhead (n1-standard-8, 5% of spot hours)"] == (
        D("36.5"),
        D("0.13402"),
    )


def test_gcp_us_east1_and_europe_west4_machines_with_bundled_gpus(catalog: Catalog) -> None:
    # a2-highgpu-1g Spot: Cyclenerd's pricing.yml of 2026-07-30 (A100 included);
    # g2-standard-4 on-demand: the same pricing.yml (L4 included), which supersedes
    # SkyPilot's 0.74233
    assert list_price(catalog, "google", "compute", "a2-highgpu-1g", "spot", "us-east1") == D(
        "1.92802"
    )
    assert list_price(
        catalog, "google", "compute", "g2-standard-4", "on_demand", "europe-west4"
    ) == (D("0.742916046"))
    trainer = gcp(
        "google_compute_instance",
        {"machine_type": "a2-highgpu-1g", "scheduling": [{"provisioning_model": "SPOT"}]},
        region="us-east1",
    )
    server = gcp(
        "google_compute_instance",
        {"machine_type": "g2-standard-4"},
        region="europe-west4",
        address="google_compute_instance.server",
    )
    t, s = price(catalog, trainer, server)
    assert lines(t)["Instance usage (a2-highgpu-1g, spot)"] == (D(730), D("1.92802"))
    assert lines(s)["Instance usage (g2-standard-4, on-demand)"] == (D(730), D("0.742916046"))
    assert not any(name.startswith("GPU") for name in lines(t) | lines(s))  # bundled


def test_gcp_node_pool_zonal_and_regional(catalog: Catalog) -> None:
    assert list_price(
        catalog, "google", "compute", "g2-standard-4", "on_demand", "us-central1"
    ) == D("0.706832255")
    zonal = gcp(
        "google_container_node_pool",
        {
            "location": "us-central1-a",
            "node_count": 2,
            "node_config": [
                {
                    "machine_type": "g2-standard-4",
                    "guest_accelerator": [{"type": "nvidia-l4", "count": 1}],
                }
            ],
        },
        region="us-central1-a",
    )
    regional = gcp(
        "google_container_node_pool",
        {
            "location": "us-central1",
            "node_count": 1,
            "node_config": [
                {
                    "machine_type": "n1-standard-4",
                    "spot": True,
                    "disk_size_gb": 50,
                    "disk_type": "pd-standard",
                }
            ],
        },
        address="google_container_node_pool.regional",
    )
    z, r = price(catalog, zonal, regional)
    # 2 nodes x 730 h x 0.706832255 = 1031.9750923 (pricing.yml 2026-07-30, L4 included)
    # + 2 x 100 GB pd-balanced (GKE default) x 0.10
    assert lines(z)["Node usage (g2-standard-4, on-demand x 2)"] == (
        D(1460),
        D("0.706832255"),
    )
    assert z.monthly_cost == D("1031.9750923") + D("20")
    # 1 node per zone x 3 zones, Spot n1-standard-4 0.06701 (pricing.yml 2026-07-30) + 5 %
    # overhead (Spot VMs get no sustained-use discount), 3 x 50 GB pd-standard x 0.04
    assert r.monthly_cost == 3 * 730 * D("0.06701") * D("1.05") + 150 * D("0.04")


def test_gcp_instance_group_manager_uses_template_and_target_size(catalog: Catalog) -> None:
    template = gcp(
        "google_compute_instance_template",
        {
            "machine_type": "a2-highgpu-8g",
            "disk": [{"boot": True, "disk_size_gb": 200, "disk_type": "pd-ssd"}],
        },
        address="google_compute_instance_template.t",
    )
    igm = gcp(
        "google_compute_region_instance_group_manager",
        {"target_size": 2},
        region="us-east1",
        references={"version.instance_template": ("google_compute_instance_template.t",)},
    )
    t, m = price(catalog, template, igm)
    assert t.free and not t.cost_lines
    # us-east1 A2 price derived from billing SKUs: 96 x 0.031611 + 680 x 0.004237 + 8 x 2.933908
    assert lines(m)["Instance usage (a2-highgpu-8g, on-demand x 2)"] == (D(1460), D("29.38708"))
    # us-east1 pd-ssd 0.17 (pricing.yml dump, 2026-07-30): 2 disks x 200 GB
    assert lines(m)["Boot disk (pd-ssd, 200 GB x 2)"] == (D(400), D("0.17"))
    assert not m.missing


def test_gcp_template_local_ssd_follows_the_group_size_and_market(catalog: Catalog) -> None:
    template = gcp(
        "google_compute_instance_template",
        {
            "machine_type": "n2-standard-4",
            "scheduling": [{"provisioning_model": "SPOT"}],
            "disk": [{"type": "SCRATCH", "disk_type": "local-ssd", "interface": "NVME"}],
        },
        address="google_compute_instance_template.t",
    )
    igm = gcp(
        "google_compute_instance_group_manager",
        {"target_size": 3},
        region="us-east1",
        references={"version.instance_template": ("google_compute_instance_template.t",)},
    )
    _, m = price(catalog, template, igm)
    # a SCRATCH disk without a size is one 375 GB local SSD per VM, at the Spot VM rate
    # of us-east1 (pricing.yml 2026-07-30): 3 x 375 GB x 0.0428
    assert lines(m)["Local SSD (375 GB x 3, Spot VM)"] == (D(1125), D("0.0428"))


def test_gcp_lifecycle_bucket_with_delete_before_archive_minimum(catalog: Catalog) -> None:
    assert catalog.product("google", "gcs", "ARCHIVE")["min_storage_days"] == 365
    bucket = gcp(
        "google_storage_bucket",
        {
            "location": "US-CENTRAL1",
            "storage_class": "STANDARD",
            "lifecycle_rule": [
                {
                    "action": [{"type": "SetStorageClass", "storage_class": "NEARLINE"}],
                    "condition": [{"age": 30}],
                },
                {
                    "action": [{"type": "SetStorageClass", "storage_class": "ARCHIVE"}],
                    "condition": [{"age": 90}],
                },
                {"action": [{"type": "Delete"}], "condition": [{"age": 180}]},
            ],
        },
        region="us-central1",
        address="google_storage_bucket.data",
    )
    (p,) = price(catalog, bucket, use=usage({"google_storage_bucket.data": {"storage_gb": 1000}}))
    got = lines(p)
    # 1,000 GB at steady state: 30/180 STANDARD, 60/180 NEARLINE, 90/180 ARCHIVE
    assert got["Storage (STANDARD, 30/180 d)"] == (D("166.666667"), D("0.02"))
    assert got["Storage (NEARLINE, 60/180 d)"] == (D("333.333333"), D("0.01"))
    assert got["Storage (ARCHIVE, 90/180 d)"] == (D("500"), D("0.0012"))
    # deleted at 180 d in ARCHIVE (365-day minimum from creation): 185 more days billed
    assert got["Early deletion (ARCHIVE, deleted at 180 d of the 365-day minimum)"] == (
        D("1027.777778"),
        D("0.0012"),
    )
    assert p.monthly_cost == (
        D("166.666667") * D("0.02")
        + D("333.333333") * D("0.01")
        + D("0.6")
        + D("1027.777778") * D("0.0012")
    )


def test_gcp_bucket_without_usage_and_vertex_pool_explain_themselves(catalog: Catalog) -> None:
    bucket = gcp("google_storage_bucket", {"location": "US-CENTRAL1"})
    pool = gcp(
        "google_vertex_ai_deployment_resource_pool",
        {
            "dedicated_resources": [
                {"machine_spec": [{"machine_type": "n1-standard-8"}], "min_replica_count": 1}
            ]
        },
    )
    b, v = price(catalog, bucket, pool)
    assert b.unpriced_reason and "storage_gb" in b.unpriced_reason
    assert v.unpriced_reason == "vertex 'n1-standard-8' is not in the pricing catalog"


def test_shared_gcp_plan_e2_medium_prices(catalog: Catalog) -> None:
    stack = read_input(PLANS / "checkov_google_compute_instance" / "tfplan.json")
    by = {p.resource.address: p for p in price(catalog, *stack.resources)}
    vm = by["google_compute_instance.default"]
    # E2 gets no sustained-use discount; one scratch_disk is a 375 GB local SSD at 0.08
    assert vm.monthly_cost == 730 * D("0.03350571") + 375 * D("0.08")
    # a plan shows the unset boot disk size (and source) unknown: sized from the image
    assert BOOT_IMAGE_SIZED in vm.missing and vm.partial
    assert by["google_service_account.default"].free


def test_gcp_retired_and_bundle_only_gpus_are_missing_with_the_reason(catalog: Catalog) -> None:
    k80, a100 = price(
        catalog,
        gcp(
            "google_compute_instance",
            {
                "machine_type": "n1-standard-16",
                "guest_accelerator": [{"type": "nvidia-tesla-k80", "count": 4}],
            },
        ),
        gcp(
            "google_compute_instance",
            {
                "machine_type": "n1-standard-16",
                "guest_accelerator": [{"type": "nvidia-tesla-a100", "count": 1}],
            },
            address="google_compute_instance.a100",
        ),
    )
    # the machine is priced (0.759996 x 511 h = 388.357956 after the sustained-use
    # discount), the GPU listed
    assert k80.monthly_cost == a100.monthly_cost == D("0.759996") * 511 == D("388.357956")
    assert k80.missing == (
        "GPU (nvidia-tesla-k80) not priced: Google ended support for NVIDIA K80 GPUs on 2024-05-01",
        BOOT_IMAGE_SIZED,
    )
    assert a100.missing == (
        "GPU (nvidia-tesla-a100) not priced: nvidia-tesla-a100 comes only bundled in A2 machine "
        "types; n1-standard-16 cannot attach it",
        BOOT_IMAGE_SIZED,
    )
