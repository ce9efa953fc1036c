"""`google_container_cluster`: the cluster management fee, then the nodes of the pools the
cluster declares itself (its default pool or its inline `node_pool` blocks).

Pools declared as `google_container_node_pool` resources are priced as those resources.
Autopilot clusters bill the resources their pods request, which a plan does not know.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from costgate.facts import google
from costgate.facts.google import DEFAULT_POOL
from costgate.facts.specs import Market
from costgate.facts.values import first, text
from costgate.model import HOURS_PER_MONTH
from costgate.pricing.google.compute import (
    add_disk,
    add_licence,
    add_local_ssd,
    add_machine,
    pool_nodes,
    region_of,
)
from costgate.pricing.quote import Quote

FREE_TIER_NOTE = (
    "GKE's free tier credit ($74.40 a month per billing account, one zonal or Autopilot "
    "cluster) is not deducted: costgate cannot see the other clusters of the billing account"
)


def price_cluster(q: Quote) -> None:
    """Management fee per cluster-hour, then Autopilot (unpriced pods) or the node pools."""
    r = q.resource
    zonal = google.is_zone(google.cluster_location(r))
    autopilot = google.autopilot(r)
    credit = "; free tier credit not deducted" if zonal or autopilot else ""
    mode = "Autopilot" if autopilot else ("zonal" if zonal else "regional")
    q.add(
        f"Cluster management fee ({mode}{credit})",
        q.hours(),
        "gke",
        "cluster",
        "management_fee",
        region=region_of(q),
    )
    if credit:
        q.note(FREE_TIER_NOTE)
    channel = text(first(r.attr("release_channel")).get("channel"))
    if channel is not None and channel.upper() == "EXTENDED":
        q.note("release channel EXTENDED: the extended-support fee is not priced")
    if autopilot:
        _price_autopilot_pods(q)
        return
    pools = google.cluster_node_pools(r)
    if not pools:
        q.note("remove_default_node_pool: nodes are priced as the cluster's node pool resources")
    for index, (label, pool) in enumerate(pools):
        _price_pool(q, label, pool, _pool_usage(q, label, pool, index))


AUTOPILOT_POD_USAGE = (
    ("pod_vcpus", "Autopilot pod vCPU", "autopilot-pod-vcpu", "vCPU"),
    ("pod_memory_gib", "Autopilot pod memory", "autopilot-pod-memory", "GiB"),
    (
        "pod_ephemeral_storage_gib",
        "Autopilot pod ephemeral storage",
        "autopilot-pod-ephemeral-storage",
        "GiB",
    ),
)
"""Usage key, line label, catalog product and unit of what Autopilot pods request."""


def _price_autopilot_pods(q: Quote) -> None:
    """What the pods request, from the usage file (averages over the month); without it the
    pods are a missing component: a plan does not say what pods will run."""
    if not any(key in q.usage for key, *_ in AUTOPILOT_POD_USAGE):
        q.lacks(
            "Autopilot pods",
            "Autopilot bills the vCPU, memory and ephemeral storage that pods request; "
            "a plan does not say what pods will run (set pod_vcpus, pod_memory_gib and "
            "pod_ephemeral_storage_gib in a usage file)",
        )
        return
    share = q.hours() / HOURS_PER_MONTH
    for key, label, product, unit in AUTOPILOT_POD_USAGE:
        amount = q.usage.get(key)
        if amount is None:
            q.note(f"{label} not priced: {key} not in the usage file")
            continue
        with q.component(label):
            entry = q.lookup("gke", product, "on_demand", region=region_of(q))[0]
            hourly = entry.unit == "hour"
            quantity = Decimal(amount) * (q.hours() if hourly else share)
            q.add(
                f"{label} ({amount} {unit} requested on average, usage file)",
                quantity,
                "gke",
                product,
                "on_demand",
                region=region_of(q),
            )


def _pool_usage(q: Quote, label: str, pool: Mapping[str, Any], index: int) -> Mapping[str, Any]:
    """The usage file's figures for one pool: the cluster's own keys for its default pool,
    its `node_pools` entry (by index, else by name) for an inline pool."""
    if label == DEFAULT_POOL:
        return q.usage
    per_pool = q.usage.get("node_pools") or {}
    found = per_pool.get(str(index)) or per_pool.get(text(pool.get("name")) or "")
    return found or {}


def _price_pool(q: Quote, label: str, pool: Mapping[str, Any], usage: Mapping[str, Any]) -> None:
    """One pool: nodes per zone x zones x (machine + GPUs), and their boot disks."""
    nodes = Decimal(0)
    default = label == DEFAULT_POOL  # its count is the cluster's initial_node_count
    with q.component(f"{label} nodes"):
        zones, why = google.cluster_pool_zones(q.resource, pool)
        nodes, per_zone = pool_nodes(q, pool, usage, zones, label, empty_is_zero=not default)
        if per_zone is not None:
            spread = f"{per_zone} per zone x {zones} zone(s), {why}"
        elif "instances" in usage:
            spread = f"{nodes} in all from the usage file"
        else:
            spread = f"{nodes} in all: {label}.autoscaling.total_min_node_count"
    if not nodes:
        return
    config = first(pool.get("node_config"))
    # the cluster's own node_config configures its default pool; an inline pool's is nested
    path = "node_config" if default else "node_pool.node_config"
    node = google.node_config_of(config, q.resource, path)
    assumed = f", {node.machine_type} assumed: the GKE default" if node.machine_assumed else ""
    add_machine(
        q,
        f"{label} node usage ({spread}{assumed})",
        node.machine_type,
        spot=google.config_market(config) is Market.SPOT,
        count=nodes,
        accelerators=config.get("guest_accelerator"),
    )
    add_licence(
        q,
        google.node_os_licence(config),
        node.machine_type,
        count=nodes,
        spot=google.config_market(config) is Market.SPOT,
        label=label,
    )
    disk = google.node_disk_of(config, q.resource, path)
    if disk.missing:
        disk = dataclasses.replace(disk, label=f"{label} boot disk")
    else:
        suffix = f" ({'; '.join(node.disk_defaults)})" if node.disk_defaults else ""
        disk = dataclasses.replace(disk, label=f"{label} boot disk{suffix}")
    add_disk(q, disk, nodes)
    add_local_ssd(
        q,
        google.node_local_ssd_gb(config),
        spot=google.config_market(config) is Market.SPOT,
        count=nodes,
        label=f"{label} local SSD",
        machine_type=node.machine_type,
    )
