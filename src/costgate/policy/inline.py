"""Inline exemptions written on the resource itself: a tag, a GCP label or a comment.

- tag (AWS, Azure, Pulumi): `costgate:skip = "spot-for-training: 2-hour smoke test"`;
  several rules separated by commas, several entries by `;`.
- GCP label: `costgate-skip-spot-for-training = "2-hour_smoke_test"`. Label keys and
  values allow only lowercase letters, digits, `_` and `-` (63 characters), so the rule
  goes in the key and `_` in the value reads as a space.
- comment directive (HCL reader): `# costgate:skip=spot-for-training 2-hour smoke test`,
  kept in `Resource.directives` as `skip=spot-for-training 2-hour smoke test`.

Rules are named by name or id (`CG101`), or `*` for all. Inline exemptions are written in
the pull request's own code, so the (base branch's) policy decides how far they go: a
reason is always needed, `*` only counts where the policy says `inline_exemptions:
allow-wildcard`, and `inline_exemptions: false` turns them all off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from costgate.model import Resource

SKIP_TAG = "costgate:skip"
SKIP_LABEL_PREFIX = "costgate-skip-"
_MARKERS = (SKIP_TAG, SKIP_LABEL_PREFIX)
_DIRECTIVE = re.compile(r"skip\s*=\s*(?P<rules>[\w*,\-]+)\s*:?\s*(?P<reason>.*)", re.DOTALL)


@dataclass(frozen=True)
class InlineExemption:
    """Rules a resource exempts itself from, why, and where that was written."""

    rules: tuple[str, ...]
    reason: str
    origin: str

    @property
    def wildcard(self) -> bool:
        """Whether this exemption names `*` (every rule)."""
        return "*" in self.rules

    def covers(self, rule: str, rule_id: str, *, wildcard: bool = False) -> bool:
        """Whether this exemption names the rule (by name or id), or `*` when *wildcard*
        exemptions are allowed."""
        names = {r.lower() for r in self.rules}
        return (wildcard and "*" in names) or rule.lower() in names or rule_id.lower() in names


def _split(text: str) -> tuple[tuple[str, ...], str]:
    rules, _, reason = text.partition(":")
    return tuple(r.strip() for r in rules.split(",") if r.strip()), reason.strip()


def inline_exemptions(resource: Resource) -> list[InlineExemption]:
    """Every inline exemption on *resource*, reasonless ones included (the engine reports
    those)."""
    found: list[InlineExemption] = []
    tags = resource.tags
    if not resource.directives and not any(key.startswith(_MARKERS) for key in tags):
        return found  # nearly every resource: nothing written for costgate
    for entry in (tags.get(SKIP_TAG) or "").split(";"):
        if entry.strip():
            rules, reason = _split(entry)
            found.append(InlineExemption(rules, reason, f"tag {SKIP_TAG}"))
    for key, value in tags.items():
        if key.startswith(SKIP_LABEL_PREFIX) and len(key) > len(SKIP_LABEL_PREFIX):
            reason = value.replace("_", " ").strip()
            found.append(InlineExemption((key[len(SKIP_LABEL_PREFIX) :],), reason, f"label {key}"))
    where = f" at {resource.source}" if resource.source else ""
    for directive in resource.directives:
        match = _DIRECTIVE.fullmatch(directive.strip())
        if match:
            rules = tuple(r for r in match["rules"].split(",") if r)
            found.append(
                InlineExemption(
                    rules, match["reason"].strip(), f"comment costgate:{directive.strip()}{where}"
                )
            )
    return found
