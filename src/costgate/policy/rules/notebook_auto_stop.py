"""notebook-auto-stop: notebook instances stop themselves when idle."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from costgate.facts.values import number
from costgate.model import Finding, Severity, is_unknown
from costgate.policy.rules.base import Rule, RuleContext

GCP_IDLE_METADATA = "idle-timeout-seconds"
"""Vertex AI Workbench instance metadata key for idle shutdown."""

DEFAULT_MAX_IDLE_MINUTES = 60
"""The seed: "shut down idle notebook instances (auto-shutdown after 30-60 min)"."""


class NotebookAutoStop(Rule):
    """Notebook instances must stop when idle.

    Why: notebooks are left running over nights and weekends; the seed says to "shut
    down idle notebook instances (auto-shutdown after 30-60 min)". A SageMaker notebook
    instance stops itself only through a lifecycle configuration script, so it must set
    `lifecycle_config_name`. A Vertex AI Workbench instance (`google_workbench_instance`)
    must set the `idle-timeout-seconds` metadata to at most `max_idle_minutes` (default
    60). The cost at stake is the notebook's always-on monthly cost.

    Options: `max_idle_minutes`.

    Bad:
        resource "aws_sagemaker_notebook_instance" "research" {
          instance_type = "ml.g4dn.xlarge"
        }

    Good:
        resource "aws_sagemaker_notebook_instance" "research" {
          instance_type         = "ml.g4dn.xlarge"
          lifecycle_config_name = "auto-stop-after-60-min-idle"
        }
    """

    id = "CG702"
    name = "notebook-auto-stop"
    summary = "Notebook instances must stop themselves when idle."
    clouds = ("aws", "google")
    default_severity = Severity.ERROR
    options_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"max_idle_minutes": {"type": "integer", "minimum": 1}},
    }

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        limit = ctx.options.get("max_idle_minutes", DEFAULT_MAX_IDLE_MINUTES)
        for priced in ctx.resources:
            r = priced.resource
            if not r.action.exists_after:
                continue
            cost = priced.monthly_cost if priced.priced else None
            if r.type == "aws_sagemaker_notebook_instance":
                name = r.attr("lifecycle_config_name")
                if not is_unknown(name) and not name:
                    yield self.finding(
                        ctx,
                        priced,
                        "SageMaker notebook has no lifecycle configuration, so "
                        "nothing stops it when idle",
                        "attach an aws_sagemaker_notebook_instance_lifecycle_configuration "
                        "whose on_start script installs an idle auto-stop (e.g. the "
                        "aws-samples autostop.py) via lifecycle_config_name",
                        monthly_cost=cost,
                    )
            elif r.type == "google_workbench_instance":
                raw = r.attr("gce_setup", "metadata", GCP_IDLE_METADATA)
                seconds = number(raw)
                if is_unknown(raw) or (seconds is not None and 0 < seconds <= limit * 60):
                    continue
                what = (
                    f"idle timeout of {seconds // 60} minutes is over {limit}"
                    if seconds
                    else "no idle timeout"
                )
                yield self.finding(
                    ctx,
                    priced,
                    f"Workbench instance has {what}",
                    f'set gce_setup.metadata["{GCP_IDLE_METADATA}"] = "{limit * 60}"',
                    monthly_cost=cost,
                )
