"""A2 Ultra and A3 machines come with a fixed Local SSD that their catalog price already
includes (product fact `bundled_local_ssd_gib`): declared scratch disks or GKE local SSD
counts are not charged a second time, and the resource says why."""

from __future__ import annotations

from costgate.pricing.catalog import Catalog
from tests.pricing.helpers import D, gcp, lines, list_price, price

SCRATCH = {"interface": "NVME"}


def a3_price(catalog: Catalog) -> D:
    assert catalog.product("google", "compute", "a3-highgpu-8g")["bundled_local_ssd_gib"] == 6000
    # pricing.yml 2026-07-30: the SKUs' 208 vCPU + 1872 GiB + 8 H100 + 6000 GiB x 0.08 / 730
    a3 = list_price(catalog, "google", "compute", "a3-highgpu-8g", "on_demand", "us-central1")
    assert a3 == D("88.4899999026")
    return a3


def test_a3_instance_with_its_16_scratch_disks_pays_the_machine_price_only(
    catalog: Catalog,
) -> None:
    a3 = a3_price(catalog)
    (p,) = price(
        catalog,
        gcp(
            "google_compute_instance",
            {"machine_type": "a3-highgpu-8g", "scratch_disk": [SCRATCH] * 16},
        ),
    )
    # 730 h x 88.4899999026 = 64,597.699928898; no 6000 GB x 0.08 = $480 Local SSD line
    assert p.monthly_cost == 730 * a3 == D("64597.699928898")
    assert list(lines(p)) == ["Instance usage (a3-highgpu-8g, on-demand)"]
    assert any("6000 GiB of Local SSD a3-highgpu-8g comes with is included" in n for n in p.notes)
    assert not any("declared" in n for n in p.notes)


def test_a2_ultra_with_a_different_scratch_count_is_noted_not_charged(catalog: Catalog) -> None:
    assert catalog.product("google", "compute", "a2-ultragpu-1g")["bundled_local_ssd_gib"] == 375
    a2 = list_price(catalog, "google", "compute", "a2-ultragpu-1g", "on_demand", "us-central1")
    assert a2 == D("5.0687978904")
    (p,) = price(
        catalog,
        gcp(
            "google_compute_instance",
            {"machine_type": "a2-ultragpu-1g", "scratch_disk": [SCRATCH, SCRATCH]},
        ),
    )
    assert p.monthly_cost == 730 * a2 == D("3700.222459992")
    assert any("750 GB of Local SSD declared" in n and "not charged" in n for n in p.notes)


def test_a3_node_pool_with_explicit_local_ssd_counts(catalog: Catalog) -> None:
    a3 = a3_price(catalog)
    pool = gcp(
        "google_container_node_pool",
        {
            "location": "us-central1-a",
            "node_count": 2,
            "node_config": [
                {
                    "machine_type": "a3-highgpu-8g",
                    "disk_type": "pd-balanced",
                    "disk_size_gb": 100,
                    "ephemeral_storage_local_ssd_config": [{"local_ssd_count": 16}],
                }
            ],
        },
    )
    (p,) = price(catalog, pool)
    # 2 nodes x 730 h x 88.4899999026 + 2 x 100 GB x 0.10 pd-balanced; no Local SSD line
    assert p.monthly_cost == 2 * 730 * a3 + 20
    assert not any("Local SSD" in name for name in lines(p))


def test_a3_cluster_pool_with_local_nvme_ssd_blocks(catalog: Catalog) -> None:
    a3 = a3_price(catalog)
    cluster = gcp(
        "google_container_cluster",
        {
            "location": "us-central1-a",
            "node_pool": [
                {
                    "name": "gpu",
                    "node_count": 1,
                    "node_config": [
                        {
                            "machine_type": "a3-highgpu-8g",
                            "disk_size_gb": 100,
                            "local_nvme_ssd_block_config": [{"local_ssd_count": 16}],
                        }
                    ],
                }
            ],
        },
    )
    (p,) = price(catalog, cluster)
    # $73 cluster fee + 730 h x 88.4899999026 + 100 GB pd-balanced (GKE's default) x 0.10
    assert p.monthly_cost == D("73") + 730 * a3 + 10
    assert not any("local SSD" in name.lower() for name in lines(p))


def test_a3_template_scratch_disks_in_a_group(catalog: Catalog) -> None:
    a3 = a3_price(catalog)
    template = gcp(
        "google_compute_instance_template",
        {
            "machine_type": "a3-highgpu-8g",
            "disk": [{"boot": True, "disk_size_gb": 200, "disk_type": "pd-ssd"}]
            + [{"type": "SCRATCH", "disk_type": "local-ssd"}] * 16,
        },
        address="google_compute_instance_template.t",
    )
    igm = gcp(
        "google_compute_instance_group_manager",
        {"target_size": 3},
        references={"version.instance_template": ("google_compute_instance_template.t",)},
    )
    pd_ssd = list_price(catalog, "google", "disk", "pd-ssd", "storage", "us-central1")
    assert pd_ssd == D("0.17")
    _, m = price(catalog, template, igm)
    # 3 x 730 h x 88.4899999026 + 3 x 200 GB x 0.17
    assert m.monthly_cost == 3 * 730 * a3 + 600 * pd_ssd
    assert not any("Local SSD" in name for name in lines(m))


def test_an_n2_still_pays_its_scratch_disk(catalog: Catalog) -> None:
    (p,) = price(
        catalog,
        gcp(
            "google_compute_instance", {"machine_type": "n2-standard-8", "scratch_disk": [SCRATCH]}
        ),
    )
    assert lines(p)["Local SSD (375 GB, on-demand)"] == (D(375), D("0.08"))
