"""SageMaker notebook instances and real-time endpoint configurations."""

from __future__ import annotations

from decimal import Decimal

from costgate.facts import aws
from costgate.model import is_unknown
from costgate.pricing.quote import Quote

NOTEBOOK_DEFAULT_VOLUME_GB = Decimal(5)
"""SageMaker's documented default notebook ML storage volume size."""


def price_notebook_instance(q: Quote) -> None:
    """`aws_sagemaker_notebook_instance`: instance hours plus its ML storage volume."""
    r = q.resource
    instance_type = q.known(r.attr("instance_type"), "instance_type")
    q.add(f"Notebook instance ({instance_type})", q.hours(), "sagemaker", instance_type, "notebook")
    size = r.attr("volume_size")
    if size is None or is_unknown(size):
        size = NOTEBOOK_DEFAULT_VOLUME_GB
    q.add_optional(f"ML storage ({size} GB)", Decimal(size), "sagemaker", "ml-storage", "storage")


def price_endpoint_configuration(q: Quote) -> None:
    """`aws_sagemaker_endpoint_configuration`: hosting hours per production variant."""
    variants = q.resource.attr("production_variants")
    if is_unknown(variants) or not variants:
        q.known(variants, "production_variants")
    for variant in aws.endpoint_variants(q.resource):
        name, count = variant.name, variant.count
        if variant.serverless:
            q.note(f"{name}: serverless inference is billed per request; not priced")
            continue
        instance_type = q.known(variant.instance_type, f"{name}.instance_type")
        suffix = f" x {count}" if count != 1 else ""
        q.add(
            f"Real-time inference {name} ({instance_type}{suffix})",
            q.hours() * count,
            "sagemaker",
            instance_type,
            "hosting",
        )
