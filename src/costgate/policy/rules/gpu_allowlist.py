"""gpu-allowlist: which accelerators, and how many, each environment may run."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from costgate.facts.compute import MACHINE_TYPES, machines
from costgate.model import Finding, Severity
from costgate.policy.rules.base import Rule, RuleContext
from costgate.policy.workloads import accelerators, glob_pattern

_ALLOWANCE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "models": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "description": "Accelerator model / type globs, e.g. 'NVIDIA A10G', '*T4*'.",
        },
        "instance_types": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "description": "Machine type globs that are allowed as a whole.",
        },
        "max_gpus": {
            "type": "integer",
            "minimum": 0,
            "description": "Most accelerators one resource may run (all instances).",
        },
    },
}


def _matches(globs: list[str], names: tuple[str, ...]) -> bool:
    """Whether any name matches any glob, case-insensitively."""
    pattern = glob_pattern(tuple(globs))
    return any(pattern.match(n.lower()) for n in names)


class GpuAllowlist(Rule):
    """GPU / accelerator types and counts must be allowed for the resource's environment.

    Why: a forgotten p5.48xlarge in a development account costs more than $40,000 a
    month. The seed says "use the smallest GPU that fits the workload" and "notebooks on
    CPU/small GPU for exploration, GPU only for training"; this rule writes that down per
    environment. Accelerator models and counts come from the catalog's product facts
    (`accelerator.model`, `accelerator.count`) for the machine type, or from GCP
    `guest_accelerator` blocks. Scaling groups count at their maximum size.

    The environment is the value of the `environment_tag` tag (default `environment`;
    GCP labels count). `environments` maps an environment to an allowance: `models`
    (globs on the accelerator model such as "NVIDIA A10G" or type such as
    "nvidia-tesla-t4"), `instance_types` (globs on the machine type) and `max_gpus`.
    `default` applies to environments not listed and to untagged resources.

    Bad:
        # environments: {development: {models: ["NVIDIA T4", "NVIDIA A10G"], max_gpus: 4}}
        resource "aws_instance" "dev_box" {
          instance_type = "p5.48xlarge"           # 8 x NVIDIA H100 80GB
          tags          = { environment = "development" }
        }

    Good:
        resource "aws_instance" "dev_box" {
          instance_type = "g5.xlarge"             # 1 x NVIDIA A10G
          tags          = { environment = "development" }
        }
    """

    id = "CG401"
    name = "gpu-allowlist"
    summary = "GPU/accelerator types and counts must be allowed in the resource's environment."
    default_severity = Severity.ERROR
    options_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "environment_tag": {"type": "string", "minLength": 1},
            "environments": {"type": "object", "additionalProperties": _ALLOWANCE},
            "default": _ALLOWANCE,
        },
    }

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        tag = ctx.options.get("environment_tag", "environment")
        index = ctx.pricing.index
        for priced in ctx.resources:
            r = priced.resource
            if not r.action.exists_after or r.type not in MACHINE_TYPES:
                continue
            env = r.tags.get(tag)
            allowance: Mapping[str, Any] | None = ctx.options.get("environments", {}).get(
                env, ctx.options.get("default")
            )
            if allowance is None:
                continue
            where = f"{tag}={env}" if env else f"no {tag} tag"
            for machine in machines(r, index):
                accel = accelerators(r, machine, ctx.pricing.catalog)
                if accel is None:
                    continue
                models: list[str] | None = allowance.get("models")
                types: list[str] = allowance.get("instance_types") or []
                allowed_type = _matches(types, (machine.machine_type,))
                if (
                    (models is not None or types)
                    and not allowed_type
                    and not (models and _matches(models, accel.names))
                ):
                    allowed = ", ".join([*(models or []), *(types or [])]) or "none"
                    yield self.finding(
                        ctx,
                        priced,
                        f"{machine.machine_type} runs {accel.described()}, "
                        f"not allowed for {where} (allowed: {allowed})",
                        f"use an allowed accelerator for {where}, or move the workload to an "
                        "environment that allows it",
                        monthly_cost=priced.monthly_cost,
                    )
                    continue
                limit = allowance.get("max_gpus")
                total = accel.per_instance * (machine.instances or 1)
                if limit is not None and machine.instances is not None and total > limit:
                    yield self.finding(
                        ctx,
                        priced,
                        f"{total} x {accel.model} ({machine.instances} x {machine.machine_type})"
                        f" exceeds the {limit}-GPU limit for {where}",
                        f"run at most {limit} accelerators, e.g. fewer or smaller instances",
                        monthly_cost=priced.monthly_cost,
                    )
