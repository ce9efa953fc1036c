"""Every rule, listed by hand: adding a rule is one module plus a line here."""

from __future__ import annotations

import inspect

from costgate.model import RuleInfo
from costgate.policy.rules.base import Rule, RuleContext
from costgate.policy.rules.budget import Budget
from costgate.policy.rules.cost_regression import CostRegression
from costgate.policy.rules.gpu_allowlist import GpuAllowlist
from costgate.policy.rules.max_instance_count import MaxInstanceCount
from costgate.policy.rules.notebook_auto_stop import NotebookAutoStop
from costgate.policy.rules.required_tags import RequiredTags
from costgate.policy.rules.spot_for_training import SpotForTraining
from costgate.policy.rules.storage_lifecycle import StorageLifecycle
from costgate.policy.rules.unpriced_resources import UnpricedResources

ALL_RULES: tuple[type[Rule], ...] = (
    SpotForTraining,
    StorageLifecycle,
    RequiredTags,
    GpuAllowlist,
    Budget,
    CostRegression,
    MaxInstanceCount,
    NotebookAutoStop,
    UnpricedResources,
)

RULES: dict[str, type[Rule]] = {rule.name: rule for rule in ALL_RULES}


def rule_catalog() -> tuple[RuleInfo, ...]:
    """Every rule's metadata for reports, by id; a rule's docstring is its help text."""
    return tuple(
        RuleInfo(r.id, r.name, r.summary, inspect.getdoc(r) or r.summary, r.default_severity)
        for r in sorted(ALL_RULES, key=lambda r: r.id)
    )


__all__ = ["ALL_RULES", "RULES", "Rule", "RuleContext", "rule_catalog"]
