"""GCP instance templates, instance group managers and clusters with inline node pools from
a Pulumi preview: their plural blocks (`disks`, `guestAccelerators`, `versions`,
`nodePools`) become the Terraform blocks the pricers read, so the GPUs, boot disks and the
template behind a group are priced (figures from catalog prices, 730 hours a month)."""

from __future__ import annotations

import functools
from decimal import Decimal

import pytest

from costgate.model import PricedResource
from costgate.pricing.catalog import Catalog
from tests.inputs.pulumi.steps import UNKNOWN_WIRE, priced_preview, step

PREFIX = "urn:pulumi:dev::gpu::"
TEMPLATE = "gcp:compute/instanceTemplate:InstanceTemplate"


_step = functools.partial(step, "gpu")


STEPS = [
    _step(
        TEMPLATE,
        "t4",
        {
            "machineType": "n1-standard-8",
            "region": "us-central1",
            "disks": [
                {
                    "sourceImage": "debian-cloud/debian-12",
                    "diskSizeGb": 100,
                    "diskType": "pd-balanced",
                    "boot": True,
                    "autoDelete": True,
                }
            ],
            "guestAccelerators": [{"type": "nvidia-tesla-t4", "count": 1}],
            "scheduling": {"onHostMaintenance": "TERMINATE", "automaticRestart": True},
            "networkInterfaces": [{"network": "default", "accessConfigs": [{}]}],
        },
    ),
    _step(
        "gcp:compute/instanceGroupManager:InstanceGroupManager",
        "workers",
        {
            "zone": "us-central1-a",
            "baseInstanceName": "worker",
            "targetSize": 2,
            "versions": [{"name": "primary", "instanceTemplate": UNKNOWN_WIRE}],
            "namedPorts": [{"name": "http", "port": 80}],
        },
        versions=f"{PREFIX}{TEMPLATE}::t4",
    ),
    _step(
        "gcp:container/cluster:Cluster",
        "gke",
        {
            "location": "us-central1-a",
            "nodePools": [
                {
                    "name": "gpu",
                    "nodeCount": 2,
                    "nodeConfig": {
                        "machineType": "g2-standard-8",
                        "diskSizeGb": 100,
                        "diskType": "pd-balanced",
                        "guestAccelerators": [{"type": "nvidia-l4", "count": 1}],
                    },
                }
            ],
        },
    ),
]


@pytest.fixture(scope="module")
def priced(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> dict[str, PricedResource]:
    return priced_preview(tmp_path_factory.mktemp("preview"), STEPS, catalog)


def _price(catalog: Catalog, service: str, product: str, kind: str) -> Decimal:
    return catalog.tiers("google", service, product, "us-central1", kind)[0].price


def test_group_priced_through_its_template(
    priced: dict[str, PricedResource], catalog: Catalog
) -> None:
    template = priced["google_compute_instance_template.t4"]
    assert template.resource.attr("disk", "disk_size_gb") == 100
    assert template.resource.attr("guest_accelerator", "type") == "nvidia-tesla-t4"
    group = priced["google_compute_instance_group_manager.workers"]
    assert group.resource.references["version.instance_template"] == (
        "google_compute_instance_template.t4",
    )
    # 2 VMs all month: sustained use bills 730 h as 511 h; n1-standard-8 0.379998 x 511 x 2
    # = 388.357956, T4 0.35 x 1,022 = 357.70, 100 GB pd-balanced 0.10 x 200 = 20.00
    machine = _price(catalog, "compute", "n1-standard-8", "on_demand")
    t4 = _price(catalog, "compute", "nvidia-tesla-t4", "on_demand")
    disk = _price(catalog, "disk", "pd-balanced", "storage")
    assert [(c.quantity, c.unit_price) for c in group.cost_lines] == [
        (Decimal(1022), machine),
        (Decimal(1022), t4),
        (Decimal(200), disk),
    ]
    assert group.cost_lines[1].name.startswith("GPU (nvidia-tesla-t4, on-demand x 2")
    assert group.monthly_cost == Decimal("766.057956")


def test_cluster_inline_node_pool_priced(
    priced: dict[str, PricedResource], catalog: Catalog
) -> None:
    cluster = priced["google_container_cluster.gke"]
    assert cluster.resource.attr("node_pool", "node_config", "guest_accelerator", "type") == (
        "nvidia-l4"
    )
    g2 = _price(catalog, "compute", "g2-standard-8", "on_demand")
    # zonal fee 0.10 x 730 = 73.00; 2 x g2-standard-8 (L4 included) 0.853624271 x 1,460
    # = 1,246.29143566; boot disks 0.10 x 200 = 20.00
    assert [c.unit_price for c in cluster.cost_lines][1] == g2
    assert cluster.cost_lines[1].quantity == Decimal(1460)
    assert cluster.monthly_cost == Decimal("1339.29143566")
