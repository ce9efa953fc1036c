"""Every rule, listed by hand: adding a rule is one module plus a line here."""

from __future__ import annotations

from costgate.policy.rules.base import Rule, RuleContext
from costgate.policy.rules.required_tags import RequiredTags

ALL_RULES: tuple[type[Rule], ...] = (RequiredTags,)

RULES: dict[str, type[Rule]] = {rule.name: rule for rule in ALL_RULES}

__all__ = ["ALL_RULES", "RULES", "Rule", "RuleContext"]
