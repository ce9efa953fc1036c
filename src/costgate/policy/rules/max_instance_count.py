"""max-instance-count: no resource (with its count/for_each copies) runs too many instances."""

from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatchcase
from typing import Any, ClassVar

from costgate.facts import aws
from costgate.facts.compute import CAPACITY_ATTRIBUTES, MACHINE_ATTRIBUTE, instance_count
from costgate.model import ZERO, Finding, PricedResource, Severity
from costgate.policy.rules.base import Rule, RuleContext

COMPUTE_TYPES = (
    frozenset(MACHINE_ATTRIBUTE)
    | frozenset(CAPACITY_ATTRIBUTES)
    | {"aws_sagemaker_endpoint_configuration"}
)


class MaxInstanceCount(Rule):
    """A resource may run at most `max` instances, counting count/for_each copies and
    the maximum size of scaling groups and node pools.

    Why: a `count = 20` typo or an autoscaler with `max_size = 100` is the fastest way
    to an unplanned bill; the seed asks to "set training budget limits" and to
    "configure auto-scaling with appropriate min/max replicas". Instances are counted
    per resource block: `aws_instance.worker[0..19]` is 20; an Auto Scaling group counts
    `max_size`, an EKS / GKE / AKS node pool its maximum node count, a VM scale set its
    `instances`, an Azure ML cluster `max_node_count`.

    Options: `max` (required), `per_type` (resource type glob -> max, first match wins).

    Bad:
        # max-instance-count: {options: {max: 10}}
        resource "aws_autoscaling_group" "workers" { max_size = 50 }

    Good:
        resource "aws_autoscaling_group" "workers" { max_size = 10 }
    """

    id = "CG701"
    name = "max-instance-count"
    summary = "A resource may run at most N instances (count copies and scaling maximums)."
    default_severity = Severity.ERROR
    options_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["max"],
        "properties": {
            "max": {"type": "integer", "minimum": 0},
            "per_type": {
                "type": "object",
                "additionalProperties": {"type": "integer", "minimum": 0},
            },
        },
    }

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        blocks: dict[str, list[PricedResource]] = {}
        for priced in ctx.resources:
            r = priced.resource
            if r.action.exists_after and r.type in COMPUTE_TYPES:
                blocks.setdefault(r.base_address, []).append(priced)
        for address, members in sorted(blocks.items()):
            r = members[0].resource
            limit = next(
                (
                    n
                    for glob, n in ctx.options.get("per_type", {}).items()
                    if fnmatchcase(r.type, glob)
                ),
                ctx.options["max"],
            )
            counts = [instance_count(p.resource) for p in members]
            if r.type == "aws_sagemaker_endpoint_configuration":
                counts = [
                    sum(int(v.count) for v in aws.endpoint_variants(p.resource)) for p in members
                ]
            total = sum(c for c in counts if c is not None)
            if total <= limit:
                continue
            copies = f" across {len(members)} copies" if len(members) > 1 else ""
            yield self.finding(
                ctx,
                members[0],
                f"runs up to {total} instances{copies}; the limit is {limit}",
                f"lower the count / maximum size to {limit} or less",
                monthly_cost=sum((p.monthly_cost for p in members), ZERO),
                address=address if len(members) > 1 else None,
            )
