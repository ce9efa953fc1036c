"""Virtual machines, scale sets, AKS node pools and Azure ML compute clusters.

Azure bills Windows VMs at a different rate (`on_demand_windows`), Spot VMs at the Spot
rate and Azure ML low-priority nodes at the low-priority rate; a rate missing from the
catalog makes the resource unpriced with the reason, never $0.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from costgate.facts import azurerm
from costgate.facts.specs import Market
from costgate.model import is_unknown
from costgate.pricing.azurerm.aks import add_control_plane
from costgate.pricing.azurerm.disks import add_managed_disk
from costgate.pricing.quote import Quote, Unpriceable

WINDOWS = "_windows"
ML_AT_VM_RATES = (
    "Azure Machine Learning compute is billed at the VM rates of its size (no Azure ML "
    "surcharge: azure.microsoft.com/pricing/details/machine-learning)"
)


def spelled(q: Quote, size: str, region: str | None = None) -> str:
    """The catalog's spelling of an Azure size (sizes are case-insensitive), looked up in
    the region's prices only, so a run reads no other region of the catalog."""
    return q.ctx.catalog.spelling("azurerm", "vm", size, region or q.resource.region or "")


def add_vm(
    q: Quote,
    label: str,
    size: Any,
    *,
    spot: bool,
    count: Decimal = Decimal(1),
    windows: bool = False,
    region: str | None = None,
) -> None:
    """VM hours for *count* instances of *size* (Linux or Windows, pay-as-you-go or Spot);
    a size the catalog lacks is a missing component, the OS disk is still priced."""
    with q.component(label):
        vm_size = current_size(q, size, region)
        parent = azurerm.constrained_parent(vm_size)
        if parent and not q.ctx.catalog.regions("azurerm", "vm", vm_size):
            label = f"{label} ({vm_size}: constrained vCPUs, billed as {parent})"
            vm_size = parent
        q.add_compute(
            label,
            vm_size,
            spot=spot,
            count=count,
            service="vm",
            region=region,
            kind_suffix=WINDOWS if windows else "",
        )


def current_size(q: Quote, size: Any, region: str | None = None) -> str:
    """*size* spelled as the catalog spells it; Unpriceable when Azure retired it (it can
    no longer be created, whatever market it would run in)."""
    vm_size = spelled(q, str(q.known(size, "size")), region)
    retired = q.product("vm", vm_size).get("retired")
    if retired:
        raise Unpriceable(
            f"{vm_size} was retired by Azure on {retired}: it can no longer be created or "
            "run, so it has no current price"
        )
    return vm_size


def _os_disk(q: Quote, count: Decimal = Decimal(1)) -> None:
    disk = azurerm.os_disk(q.resource)
    if disk is not None:
        add_managed_disk(q, disk, count)


def price_linux_vm(q: Quote) -> None:
    """`azurerm_linux_virtual_machine`: size at the Linux rate (Spot by priority), OS disk,
    and the data disks an azure-native VM creates with it (`_data_disks`)."""
    r = q.resource
    label, spot = _market("Instance usage", q)
    add_vm(q, label, r.attr("size"), spot=spot)
    _os_disk(q)
    _data_disks(q)


def price_windows_vm(q: Quote) -> None:
    """`azurerm_windows_virtual_machine`: size at the Windows rate (the Linux rate with
    Azure Hybrid Benefit), OS disk, and the data disks an azure-native VM creates with it."""
    r = q.resource
    label, windows = _windows_licence(q)
    label, spot = _market(label, q)
    add_vm(q, label, r.attr("size"), spot=spot, windows=windows)
    _os_disk(q)
    _data_disks(q)


def _windows_licence(q: Quote) -> tuple[str, bool]:
    """The usage label and whether the Windows rate applies: for a Windows VM or scale set
    (`azurerm.windows_vm`), unless it uses Hybrid Benefit."""
    if not azurerm.windows_vm(q.resource):
        return "Instance usage", False
    licence = azurerm.hybrid_benefit(q.resource)
    if licence is None:
        return "Instance usage", True
    return f"Instance usage (license_type {licence}: Hybrid Benefit, base compute rate)", False


def _market(label: str, q: Quote) -> tuple[str, bool]:
    """The usage label and whether the Spot rate applies. ARM's deprecated `priority =
    "Low"` (legacy scale sets, azure-native VMs and scale sets) is Spot, said on the line; a
    priority unknown until apply is priced at the pay-as-you-go rate, Spot's upper bound,
    also said on the line rather than taken for a regular VM silently."""
    spot = q.spot()
    if spot and azurerm.low_priority(q.resource):
        return f"{label} ({azurerm.LOW_IS_SPOT})", True
    if is_unknown(q.resource.attr("priority")):
        return f"{label} (priority unknown until apply: pay-as-you-go rate assumed)", False
    return label, spot


def price_legacy_vm(q: Quote) -> None:
    """`azurerm_virtual_machine` (legacy): vm_size, Windows as `azurerm.windows_vm` decides
    (OS disk `os_type`, a Windows OS profile or image), the OS disk and each
    `storage_data_disk` (`_data_disks`, shared with the scale sets)."""
    r = q.resource
    label, windows = _windows_licence(q)
    add_vm(q, label, r.attr("vm_size"), spot=False, windows=windows)
    _os_disk(q)
    _data_disks(q)


def price_scale_set(q: Quote) -> None:
    """`azurerm_(linux|windows)_virtual_machine_scale_set`: instances x sku, the OS disk and
    each `data_disk` on every instance."""
    r = q.resource
    instances = q.count(q.usage_instances(), (r.attr("instances"), "instances"))
    label, windows = _windows_licence(q)
    label, spot = _market(label, q)
    add_vm(q, label, r.attr("sku"), spot=spot, count=instances, windows=windows)
    _os_disk(q, instances)
    _data_disks(q, instances)


def price_legacy_scale_set(q: Quote) -> None:
    """`azurerm_virtual_machine_scale_set` (legacy): `sku.capacity` (or the usage file's
    instances) x `sku.name`, Windows as the legacy VM decides, Spot for `priority = "Low"`;
    the OS disk and each `storage_profile_data_disk` on every instance."""
    r = q.resource
    instances = q.count(q.usage_instances(), (r.attr("sku", "capacity"), "sku.capacity"))
    label, windows = _windows_licence(q)
    label, spot = _market(label, q)
    add_vm(q, label, r.attr("sku", "name"), spot=spot, count=instances, windows=windows)
    _os_disk(q, instances)
    _data_disks(q, instances)


def _data_disks(q: Quote, count: Decimal = Decimal(1)) -> None:
    """A VM's or scale set's data disks (x *count* instances): one whose type or size
    Azure decides costs something unknown, a missing component; one billed elsewhere (an
    unmanaged VHD, an attached disk) a note; the rest priced at their tier."""
    for disk in azurerm.data_disks(q.resource, q.ctx.index):
        add_managed_disk(q, disk, count)


def _pool(q: Quote, pool: Any, label: str, region: str | None = None) -> None:
    candidates = (
        q.usage_instances(),
        (pool.get("node_count"), "node_count"),
        (pool.get("min_count"), "min_count"),
    )
    if all(value is None for value, _ in candidates):
        count = Decimal(azurerm.DEFAULT_NODE_COUNT)
        label = f"{label} (node_count not set: {count}, the AKS agent pool default)"
    else:
        count = q.count(*candidates)
    size = pool.get("vm_size")
    add_vm(
        q,
        label,
        size,
        spot=azurerm.pool_market(pool) is Market.SPOT,
        count=count,
        windows=azurerm.pool_windows(pool),
        region=region,
    )
    if isinstance(size, str) and size:
        size = spelled(q, size, region)
        add_managed_disk(q, azurerm.aks_os_disk(pool, size), count, region=region)


def price_aks_node_pool(q: Quote) -> None:
    """`azurerm_kubernetes_cluster_node_pool`: node_count x vm_size, Spot by priority."""
    cluster = azurerm.node_pool_cluster(q.resource, q.ctx.index)
    region = q.resource.region or (cluster.region if cluster is not None else None)
    _pool(q, q.resource.attributes, "Node usage", region)


def price_aks_cluster(q: Quote) -> None:
    """`azurerm_kubernetes_cluster`: the control plane tier (`sku_tier`) and its default
    node pool."""
    add_control_plane(q)
    pool = q.resource.block("default_node_pool")
    if not pool:
        q.lacks("Default node pool", "default_node_pool unknown until apply")
        return
    _pool(q, pool, "Default node pool")


def _ml_region(q: Quote) -> str | None:
    """An Azure ML compute's region: its own `location`, else its workspace's."""
    workspace = azurerm.ml_workspace(q.resource, q.ctx.index)
    return q.resource.region or (workspace.region if workspace is not None else None)


def price_ml_compute_cluster(q: Quote) -> None:
    """`azurerm_machine_learning_compute_cluster`: running nodes x vm_size (low priority rate).

    The cluster scales between min and max nodes; the always-on floor is min_node_count
    unless the usage file says how many nodes run (`instances`). Nodes are priced at the
    size's VM meters (pay-as-you-go or Low Priority): Microsoft charges nothing on top.
    """
    r = q.resource
    scale = r.block("scale_settings")
    nodes = q.count(
        q.usage_instances(),
        (scale.get("min_node_count"), "scale_settings.min_node_count"),
    )
    if nodes == 0:
        raise Unpriceable(
            "usage unknown: the cluster scales to zero nodes when idle; set `instances` (and "
            f"`monthly_hours`) for {r.base_address} in a usage file (--usage)"
        )
    region = _ml_region(q)
    size = current_size(q, r.attr("vm_size"), region)
    if azurerm.market(r) is Market.LOW_PRIORITY:
        q.add(
            f"Node usage ({size}, low priority x {nodes})",
            q.hours() * nodes,
            "vm",
            size,
            "low_priority",
            region=region,
        )
    else:
        label = "Node usage"
        if is_unknown(r.attr("vm_priority")):
            label = f"{label} (vm_priority unknown until apply: dedicated rate assumed)"
        add_vm(q, label, size, spot=False, count=nodes, region=region)
    q.note(ML_AT_VM_RATES)
    maximum = scale.get("max_node_count")
    if maximum and not is_unknown(maximum) and Decimal(maximum) > nodes:
        q.note(f"priced at {nodes} node(s); the cluster can scale to {maximum}")


def price_ml_compute_instance(q: Quote) -> None:
    """`azurerm_machine_learning_compute_instance`: one VM of `virtual_machine_size`, running
    all month unless the usage file says otherwise (a compute instance bills while it is
    running, and Terraform sets no schedule); pay-as-you-go, at the size's VM rate."""
    add_vm(
        q,
        "Instance usage",
        q.resource.attr("virtual_machine_size"),
        spot=False,
        region=_ml_region(q),
    )
    q.note(ML_AT_VM_RATES)
    hours = (
        "running hours from the usage file's monthly_hours"
        if "monthly_hours" in q.usage
        else "priced running all month (730 h): set monthly_hours in the usage file for a "
        "schedule or idle shutdown"
    )
    q.note(
        f"a compute instance's VM bills while it runs, not while stopped; {hours}; the OS disk "
        "Azure ML attaches is not set in Terraform and not priced"
    )
