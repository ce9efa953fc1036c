"""Google Cloud pricers, keyed by Terraform resource type (provider `google`)."""

from __future__ import annotations

from costgate.pricing.google import compute, disk, fleet, gke, network, storage, tpu, vertex
from costgate.pricing.quote import Pricer

PRICERS: dict[str, Pricer] = {
    "google_compute_instance": compute.price_instance,
    "google_compute_instance_group_manager": compute.price_instance_group_manager,
    "google_compute_region_instance_group_manager": compute.price_instance_group_manager,
    "google_container_node_pool": compute.price_node_pool,
    "google_container_cluster": gke.price_cluster,
    "google_compute_disk": disk.price_disk,
    "google_compute_region_disk": disk.price_region_disk,
    "google_compute_snapshot": disk.price_snapshot,
    "google_compute_image": disk.price_image,
    "google_tpu_v2_vm": tpu.price_tpu,
    "google_tpu_node": tpu.price_tpu,
    "google_storage_bucket": storage.price_bucket,
    "google_vertex_ai_deployment_resource_pool": vertex.price_deployment_resource_pool,
    "google_compute_router_nat": network.price_router_nat,
    "google_compute_address": network.price_compute_address,
    "google_gke_hub_membership": fleet.price_hub_membership,
    "google_gke_hub_feature": fleet.price_hub_feature,
}

PRICED_ELSEWHERE: dict[str, str] = {
    "google_compute_instance_template": "priced through the instance group manager that uses it",
    "google_compute_region_instance_template": "priced through the instance group manager "
    "that uses it",
    "google_compute_attached_disk": "priced as its google_compute_disk",
}
