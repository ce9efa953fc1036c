"""On-Demand Capacity Reservations: the reserved instances bill at the on-demand rate
whether instances run in them or not."""

from __future__ import annotations

from costgate.pricing.quote import Quote, Unpriceable


def price_capacity_reservation(q: Quote) -> None:
    """`instance_count` x hours at the type's Linux on-demand rate. An instance running in
    the reservation is billed as that instance instead of as reserved capacity: when this
    configuration also declares it, `instances` in the usage file (the unused capacity)
    avoids counting it twice."""
    platform = q.setting("instance_platform", "Linux/UNIX")
    if platform != "Linux/UNIX":
        raise Unpriceable(
            f"instance_platform {platform!r}: only Linux/UNIX rates are in the catalog"
        )
    instance_type = q.known(q.resource.attr("instance_type"), "instance_type")
    count = q.count(q.usage_instances(), (q.resource.attr("instance_count"), "instance_count"))
    q.add_compute("Reserved capacity", str(instance_type), spot=False, count=count)
    q.note(
        "instances that run in this reservation are billed as instances instead of as "
        "reserved capacity; set `instances` (unused capacity) in the usage file when they are "
        "priced too"
    )
