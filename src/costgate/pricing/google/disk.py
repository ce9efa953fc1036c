"""Compute Engine disks, snapshots and images.

A disk bills its provisioned GB; Extreme PD and Hyperdisk also bill provisioned IOPS
(and Hyperdisk Balanced/Throughput provisioned throughput), priced when the disk sets them
and the catalog has the rate (`pricing refresh gcp` reads it; no dated dump has it), above
the product's included baseline; otherwise they are a missing component with the reason.
A snapshot bills the bytes it stores, which only the usage file can say; without it the
source disk's size is the stated assumption.
"""

from __future__ import annotations

from decimal import Decimal

from costgate.facts import google
from costgate.pricing.google.compute import region_of
from costgate.pricing.quote import Quote, Unpriceable

IOPS = ("provisioned_iops", "IOPS", "iops", "free_iops")
THROUGHPUT = ("provisioned_throughput", "MiB/s", "throughput", "free_throughput_mbps")
PERFORMANCE = {
    "pd-extreme": (IOPS,),
    "hyperdisk-extreme": (IOPS,),
    "hyperdisk-balanced": (IOPS, THROUGHPUT),
    "hyperdisk-balanced-high-availability": (IOPS, THROUGHPUT),
    "hyperdisk-throughput": (THROUGHPUT,),
    "hyperdisk-ml": (THROUGHPUT,),
}
"""Provisioned performance each disk type bills beside its capacity: (attribute, unit,
price kind, product fact naming the amount included at no charge)."""


def price_disk(q: Quote) -> None:
    """`google_compute_disk`: provisioned GB (a blank disk's default size, or its image's
    or snapshot's size, when `size` is unset), plus provisioned performance."""
    _disk(q, regional=False)


def price_region_disk(q: Quote) -> None:
    """`google_compute_region_disk`: provisioned GB replicated in two zones (regional rate)."""
    _disk(q, regional=True)


def _disk(q: Quote, *, regional: bool) -> None:
    r = q.resource
    type_name, assumed = google.disk_type(r)
    if assumed:
        q.note(f"disk type not set: priced as {type_name}, the default")
    size, why = google.disk_size(r, q.ctx.index)
    if size is None:
        raise Unpriceable(why)
    if why:
        q.note(why)
    product = f"regional-{type_name}" if regional else type_name
    with q.component("Storage"):
        q.add(
            f"Storage ({product}, {size} GB)", size, "disk", product, "storage", region=region_of(q)
        )
    for spec in PERFORMANCE.get(type_name, ()):
        _performance(q, type_name, product, spec)


def _performance(q: Quote, type_name: str, product: str, spec: tuple[str, ...]) -> None:
    attribute, unit, kind, free_fact = spec
    label = f"Provisioned {unit} ({type_name})"
    with q.component(label):
        value = q.resource.attr(attribute)
        if value in (None, ""):
            raise Unpriceable(
                f"{attribute} not set: Compute Engine's default depends on the size; set it"
            )
        value = google.amount(q.known(value, attribute), attribute)
        free = Decimal(str(q.product("disk", product).get(free_fact, 0)))
        above = f" above {free} included" if free else ""
        try:
            q.add(
                f"{label}: {value}{above}",
                max(value - free, Decimal(0)),
                "disk",
                product,
                kind,
                region=region_of(q),
            )
        except Unpriceable as exc:
            raise Unpriceable(
                f"{value} {unit}: {exc} (no dated dump has it; `costgate pricing refresh gcp` "
                "reads it)"
            ) from None


def price_snapshot(q: Quote) -> None:
    """`google_compute_snapshot`: stored GB (usage `storage_gb`, else the source disk's
    size as an upper bound for the first, full snapshot) at the snapshot location's rate."""
    r = q.resource
    stored = q.usage.get("storage_gb")
    if stored is not None:
        size = Decimal(str(stored))
        q.note(f"stored size from the usage file: {size} GB")
    else:
        found = google.snapshot_size(r, q.ctx.index)
        if found is None:
            raise Unpriceable(
                "stored size unknown: set storage_gb for this snapshot in a usage file "
                "(its source disk's size is not in this plan)"
            )
        size = found
        q.note(
            f"stored size assumed {size} GB, its source disk's size: Google bills the "
            "compressed bytes a snapshot stores (set storage_gb in a usage file)"
        )
    source = q.ctx.index.referenced(r, "source_disk", "google_compute_disk")
    disk_at = source.region if source is not None and source.region else q.region
    location, why = google.snapshot_location(r, google.region_of_location(disk_at))
    if location is None:
        raise Unpriceable(why)
    q.note(f"snapshot location: {why}")
    q.add(
        f"Snapshot storage ({location}, {size} GB)",
        size,
        "snapshot",
        "standard",
        "storage",
        region=location,
    )


def price_image(q: Quote) -> None:
    """`google_compute_image`: its size (`disk_size_gb`, else its source image, snapshot or
    disk's size) in GB-months at the Storage Image rate of where it is stored. No dated dump
    has that rate; `pricing refresh gcp` reads it (`refresh.gcp_custom`)."""
    r = q.resource
    size = google.image_size(r, q.ctx.index)
    if size is None:
        raise Unpriceable(
            "image size unknown: set disk_size_gb (its source image, snapshot or disk is "
            "not in this plan)"
        )
    location, why = _image_location(q)
    try:
        q.add(
            f"Image storage ({location}, {size} GB)",
            size,
            "image",
            "standard",
            "storage",
            region=location,
        )
    except Unpriceable:
        raise Unpriceable(
            f"no image storage price in the catalog for {location} ({size} GB): no dated dump "
            f"has it; `costgate pricing refresh gcp --regions {location} --types images` reads it"
        ) from None
    q.note(f"image size {size} GB ({IMAGE_SIZE_RULE}); stored in {why}")


IMAGE_SIZE_RULE = "disk_size_gb, else its source image, snapshot or disk's size"


def _image_location(q: Quote) -> tuple[str, str]:
    """Where the image is stored: its first `storage_locations` entry, else the region of
    the resource (what the Storage Image SKU is priced by); and why."""
    locations = q.resource.attr("storage_locations")
    if isinstance(locations, (list, tuple)) and locations and isinstance(locations[0], str):
        location = locations[0].strip().lower()
        if location:
            return location, f"{location} (storage_locations)"
    region = region_of(q)
    return (
        region,
        f"{region} (storage_locations not set or unknown until apply: the resource's region)",
    )
