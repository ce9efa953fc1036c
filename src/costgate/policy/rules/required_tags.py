"""required-tags: every taggable resource carries the cost-attribution tags."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

from costgate.model import Finding, PricedResource, Severity
from costgate.policy.rules.base import Rule, RuleContext
from costgate.policy.rules.taggable import taggable_type

SEED_TAGS = ("team", "project", "environment", "experiment_id", "cost_center")
"""The seed reference's required tags for ML cost attribution."""


def is_taggable(priced: PricedResource) -> bool:
    """A resource whose provider schema has a tags (or labels) attribute: a known taggable
    type (checked even when it sets no tags at all) or any resource that carries tags."""
    if taggable_type(priced.resource.type):
        return True
    attributes = priced.resource.attributes
    return any(key in attributes for key in ("tags", "tags_all", "labels", "effective_labels"))


class RequiredTags(Rule):
    """Taggable resources must carry the cost-attribution tags, with allowed values.

    Why: spend nobody can attribute is spend nobody owns. The seed's tagging strategy
    asks for team, project, environment, experiment_id and cost_center on every ML
    resource. Effective tags count: provider `default_tags` / `tags_all` included.

    Bad:
        resource "aws_instance" "trainer" { tags = { Name = "trainer" } }

    Good:
        provider "aws" { default_tags { tags = { team = "nlp", cost_center = "ml" } } }
        resource "aws_instance" "trainer" {
          tags = { project = "llm", environment = "development", experiment_id = "exp-001" }
        }
    """

    id = "CG301"
    name = "required-tags"
    summary = "Taggable resources must carry the required cost-attribution tags."
    default_severity = Severity.ERROR
    options_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "tags": {
                "type": "array",
                "items": {"type": "string", "minLength": 1},
                "uniqueItems": True,
            },
            "allowed_values": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
            "patterns": {
                "type": "object",
                "additionalProperties": {"type": "string", "format": "regex"},
            },
        },
    }

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        required = tuple(ctx.options.get("tags", SEED_TAGS))
        allowed = ctx.options.get("allowed_values", {})
        patterns = {k: re.compile(v) for k, v in ctx.options.get("patterns", {}).items()}
        for priced in ctx.resources:
            if not priced.resource.action.exists_after or not is_taggable(priced):
                continue
            tags = priced.resource.tags
            missing = [t for t in required if not tags.get(t)]
            if missing:
                yield self.finding(
                    ctx,
                    priced,
                    f"missing required tag{'s' if len(missing) > 1 else ''}: {', '.join(missing)}",
                    "add them to the resource's tags or to the provider's default_tags",
                    monthly_cost=priced.monthly_cost,
                )
            for key, values in allowed.items():
                value = tags.get(key)
                if value and value not in values:
                    yield self.finding(
                        ctx,
                        priced,
                        f"tag {key}={value!r} is not one of: {', '.join(values)}",
                        f"use one of the allowed values for {key}",
                        monthly_cost=priced.monthly_cost,
                    )
            for key, pattern in patterns.items():
                value = tags.get(key)
                if value and not pattern.fullmatch(value):
                    yield self.finding(
                        ctx,
                        priced,
                        f"tag {key}={value!r} does not match the pattern {pattern.pattern!r}",
                        f"rename the {key} value to match {pattern.pattern}",
                        monthly_cost=priced.monthly_cost,
                    )
