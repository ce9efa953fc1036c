"""Cloud NAT gateways and reserved IP addresses."""

from __future__ import annotations

from decimal import Decimal

from costgate.facts.values import text
from costgate.pricing.quote import Quote, Unpriceable

NAT_VM_CAP = 32
"""Cloud NAT bills per VM up to 32 VMs; above, one capped hourly rate."""


def price_router_nat(q: Quote) -> None:
    """Gateway hours by the VMs it serves (`assigned_vms`: $/VM-hour up to 32, then a capped
    hourly rate) and GiB processed (`monthly_data_processed_gb`). Its external IPs bill as
    addresses (`google_compute_address`, or auto-allocated: noted)."""
    with q.component("NAT gateway"):
        vms = q.usage.get("assigned_vms")
        if vms is None:
            raise Unpriceable("usage unknown: set `assigned_vms` in the usage file")
        vms = Decimal(vms)
        if vms <= NAT_VM_CAP:
            q.add(f"NAT gateway ({vms} VMs)", vms * q.hours(), "nat", "gateway", "vm_hours")
        else:
            q.add(f"NAT gateway ({vms} VMs, capped rate)", q.hours(), "nat", "gateway", "capped")
    q.add_usage("Data processed", "monthly_data_processed_gb", "nat", "gateway", "data_processed")
    if (text(q.resource.attr("nat_ip_allocate_option")) or "") == "AUTO_ONLY":
        q.note("auto-allocated NAT IP addresses bill by the hour each (their number is not known)")


def price_compute_address(q: Quote) -> None:
    """Internal addresses are free; an external (static) address bills by the hour."""
    if q.setting("address_type", "EXTERNAL") == "INTERNAL":
        q.free("internal IP addresses have no charge")
        return
    q.add("Static external IP address", q.hours(), "network", "external_ip", "in_use")
