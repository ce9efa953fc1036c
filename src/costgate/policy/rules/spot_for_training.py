"""spot-for-training: training workloads run on spot / preemptible / low-priority capacity."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from costgate.facts import compute
from costgate.facts.index import StackIndex
from costgate.facts.specs import Market
from costgate.model import Finding, PricedResource, Resource, Severity
from costgate.money import money_display
from costgate.policy.rules.base import Rule, RuleContext
from costgate.policy.workloads import resource_names, with_attributes

DEFAULT_TRAINING_TAGS = {"phase": ["training"]}
"""The seed's optional `phase` tag marks training resources."""

DEFAULT_NAME_PATTERN = r"(?<![a-z])train(?:ing|er|ers)?(?![a-z])"
"""`trainer`, `llm-training`, `gpu_train_pool`; not `constrained` or `strain`."""

PIPELINE = "aws_sagemaker_pipeline"
DEFAULT_TRAINING_TYPES = ("azurerm_machine_learning_compute_cluster", PIPELINE)
"""Types that exist to run training jobs whatever they are called."""


@dataclass(frozen=True)
class Capacity:
    """How to ask one resource type for spot capacity (whether it has it is the facts
    layer's `market`, shared with the pricers)."""

    to_spot: Callable[[Resource, StackIndex], Resource]
    fix: str
    labels: tuple[tuple[str, ...], ...] = ()
    """Attribute paths of Kubernetes node labels that can mark a node pool as training."""


def _set(
    path: tuple[str, ...], updates: dict[str, Any]
) -> Callable[[Resource, StackIndex], Resource]:
    return lambda r, _: with_attributes(r, path, updates)


def _asg_to_spot(r: Resource, _: StackIndex) -> Resource:
    """All capacity above a zero on-demand base on spot, launched from the same template."""
    spot = {"on_demand_base_capacity": 0, "on_demand_percentage_above_base_capacity": 0}
    return with_attributes(r, ("mixed_instances_policy", "instances_distribution"), spot)


_AZURE_VM = Capacity(
    lambda r, _: with_attributes(r, (), {"priority": "Spot", "eviction_policy": "Deallocate"}),
    'set priority = "Spot" and eviction_policy = "Deallocate" '
    "(checkpoint to durable storage; Azure gives 30 s notice)",
)

CAPACITY: dict[str, Capacity] = {
    "aws_instance": Capacity(
        _set(("instance_market_options",), {"market_type": "spot"}),
        'add instance_market_options { market_type = "spot" } and checkpoint every 10-15 min',
    ),
    "aws_spot_instance_request": Capacity(lambda r, _: r, ""),
    "aws_eks_node_group": Capacity(
        _set((), {"capacity_type": "SPOT"}),
        'set capacity_type = "SPOT" (and list several instance_types for availability)',
        labels=(("labels",),),
    ),
    "aws_autoscaling_group": Capacity(
        _asg_to_spot,
        "use a mixed_instances_policy with on_demand_base_capacity = 0 and "
        "on_demand_percentage_above_base_capacity = 0",
    ),
    "google_compute_instance": Capacity(
        _set(
            ("scheduling",),
            {"provisioning_model": "SPOT", "preemptible": True, "automatic_restart": False},
        ),
        'set scheduling { provisioning_model = "SPOT" } (GCP gives 30 s notice)',
    ),
    "google_compute_instance_template": Capacity(
        _set(
            ("scheduling",),
            {"provisioning_model": "SPOT", "preemptible": True, "automatic_restart": False},
        ),
        'set scheduling { provisioning_model = "SPOT" } in the template',
    ),
    "google_container_node_pool": Capacity(
        _set(("node_config",), {"spot": True}),
        "set node_config { spot = true }",
        labels=(("node_config", "labels"), ("node_config", "resource_labels")),
    ),
    "azurerm_linux_virtual_machine": _AZURE_VM,
    "azurerm_windows_virtual_machine": _AZURE_VM,
    "azurerm_linux_virtual_machine_scale_set": _AZURE_VM,
    "azurerm_windows_virtual_machine_scale_set": _AZURE_VM,
    "azurerm_orchestrated_virtual_machine_scale_set": _AZURE_VM,
    "azurerm_virtual_machine_scale_set": Capacity(
        _set((), {"priority": "Low", "eviction_policy": "Delete"}),
        'set priority = "Low" (this legacy type\'s spelling of Azure Spot) and eviction_policy '
        '= "Delete" (or move to azurerm_linux_virtual_machine_scale_set with priority = "Spot")',
    ),
    "azurerm_kubernetes_cluster_node_pool": Capacity(
        _set((), {"priority": "Spot", "eviction_policy": "Delete"}),
        'set priority = "Spot" (AKS adds the kubernetes.azure.com/scalesetpriority=spot taint)',
        labels=(("node_labels",),),
    ),
    "azurerm_machine_learning_compute_cluster": Capacity(
        _set((), {"vm_priority": "LowPriority"}),
        'set vm_priority = "LowPriority"',
    ),
}
"""Every resource type the rule understands, by Terraform type."""


def _pipeline_steps(r: Resource) -> list[tuple[str, str | None, bool]]:
    """(step name, instance type, managed spot?) of each training/tuning step."""
    definition = r.attr("pipeline_definition")
    if not isinstance(definition, str):
        return []
    try:
        steps = json.loads(definition).get("Steps") or []
    except (ValueError, AttributeError):
        return []
    found = []
    for step in steps:
        if not isinstance(step, dict) or step.get("Type") not in ("Training", "Tuning"):
            continue
        args: dict[str, Any] = step.get("Arguments") or {}
        job: dict[str, Any] = (
            args.get("TrainingJobDefinition") or {} if step["Type"] == "Tuning" else args
        )
        instance = (job.get("ResourceConfig") or {}).get("InstanceType")
        found.append(
            (str(step.get("Name", "?")), instance, job.get("EnableManagedSpotTraining") is True)
        )
    return found


def _training_reason(
    r: Resource,
    types: Sequence[str],
    training_tags: Mapping[str, Sequence[str]],
    pattern: re.Pattern[str],
) -> str | None:
    """Why *r* counts as training: its type, a training tag or label, or its name."""
    if r.type in types:
        return f"{r.type} runs training jobs"
    labels: Mapping[str, str] = r.tags
    label_paths = CAPACITY[r.type].labels if r.type in CAPACITY else ()
    if label_paths:
        labels = dict(labels)
        for path in label_paths:
            found = r.attr(*path)
            if isinstance(found, Mapping):
                labels.update({str(k): str(v) for k, v in found.items()})
    for key, values in training_tags.items():
        if labels.get(key) in values:
            return f"{key}={labels[key]}"
    for name in resource_names(r):
        if pattern.search(name):
            return f"name {name!r}"
    return None


class SpotForTraining(Rule):
    """Training workloads must run on spot / preemptible / low-priority capacity.

    Why: training is interruptible when it checkpoints, and spot capacity costs 60-90 %
    less than on-demand (seed: "spot instances for training: 60-70 % on training
    compute"). The finding prices the spot variant of the resource from the catalog's
    spot price plus the seed's interruption overhead (`spot x hours x (1 + overhead)`,
    overhead from the usage file, default 5 %) and reports the monthly saving.

    A resource is a training workload when a tag, GCP label or Kubernetes node label
    matches `training_tags` (default `phase: training`), when a name (Terraform name,
    `Name` tag, `name` attribute) matches `name_pattern`, or when its type is one of
    `training_types` (Azure ML compute clusters and SageMaker pipelines by default).

    Spellings understood: AWS `instance_market_options.market_type = "spot"`,
    `aws_spot_instance_request`, EKS `capacity_type = "SPOT"`, Auto Scaling
    `mixed_instances_policy` with no on-demand capacity, SageMaker pipeline training
    and tuning steps with `EnableManagedSpotTraining`; GCP `scheduling.provisioning_model
    = "SPOT"` / `preemptible = true`, GKE `node_config.spot` / `preemptible`; Azure
    `priority = "Spot"` (VMs, scale sets, AKS node pools) and Azure ML
    `vm_priority = "LowPriority"`.

    Options: `training_tags` (tag -> values), `name_pattern` (regex, case-insensitive),
    `training_types` (resource types).

    Bad:
        resource "aws_instance" "trainer" {
          instance_type = "p4d.24xlarge"
          tags          = { phase = "training" }
        }

    Good:
        resource "aws_instance" "trainer" {
          instance_type = "p4d.24xlarge"
          instance_market_options { market_type = "spot" }
          tags          = { phase = "training" }
        }
    """

    id = "CG101"
    name = "spot-for-training"
    summary = "Training workloads must use spot / preemptible / low-priority capacity."
    default_severity = Severity.ERROR
    options_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "training_tags": {
                "type": "object",
                "additionalProperties": {
                    "type": "array",
                    "items": {"type": "string"},
                    "minItems": 1,
                },
            },
            "name_pattern": {"type": "string", "format": "regex"},
            "training_types": {"type": "array", "items": {"type": "string"}},
        },
    }

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        stack = ctx.pricing.index
        types = ctx.options.get("training_types", DEFAULT_TRAINING_TYPES)
        training_tags = ctx.options.get("training_tags", DEFAULT_TRAINING_TAGS)
        pattern = re.compile(ctx.options.get("name_pattern", DEFAULT_NAME_PATTERN), re.IGNORECASE)
        for priced in ctx.resources:
            r = priced.resource
            if not r.action.exists_after or (r.type not in CAPACITY and r.type != PIPELINE):
                continue  # only capacity this rule can move to spot is worth classifying
            why = _training_reason(r, types, training_tags, pattern)
            if why is None:
                continue
            if r.type == PIPELINE:
                yield from self._pipeline(ctx, priced, why)
                continue
            capacity = CAPACITY[r.type]
            if compute.market(r, stack) is not Market.ON_DEMAND:
                continue
            yield self._on_demand(ctx, priced, why, capacity, stack)

    def _on_demand(
        self,
        ctx: RuleContext,
        priced: PricedResource,
        why: str,
        capacity: Capacity,
        stack: StackIndex,
    ) -> Finding:
        variant = ctx.price(capacity.to_spot(priced.resource, stack))
        message = f"training workload ({why}) runs on on-demand capacity"
        saving = None
        if not priced.priced:
            message += f"; saving not priced: {priced.unpriced_reason}"
        elif not any(line.unit == "hour" for line in priced.cost_lines):
            message += f"; saving not priced: {'; '.join(priced.missing)}"  # no compute hours
        elif not variant.priced:
            message += f"; spot saving not priced: {variant.unpriced_reason}"
        else:
            saving = priced.monthly_cost - variant.monthly_cost
            overhead = ctx.pricing.usage.spot_interruption_overhead
            incl = f" incl. {overhead * 100:.0f}% interruption overhead" if overhead else ""
            message += (
                f": {money_display(priced.monthly_cost)}/month; on spot "
                f"{money_display(variant.monthly_cost)}{incl}, saving "
                f"{money_display(saving)}/month"
            )
        return self.finding(ctx, priced, message, capacity.fix, monthly_cost=saving)

    def _pipeline(self, ctx: RuleContext, priced: PricedResource, why: str) -> Iterator[Finding]:
        for step, instance, spot in _pipeline_steps(priced.resource):
            if spot:
                continue
            on = f" on {instance}" if instance else ""
            yield self.finding(
                ctx,
                priced,
                f"SageMaker pipeline step {step!r}{on} trains without managed spot; "
                "saving not priced (runs per month unknown)",
                'set "EnableManagedSpotTraining": true and StoppingCondition.MaxWaitTimeInSeconds'
                " in the step's Arguments, with CheckpointConfig for resumable training",
            )
