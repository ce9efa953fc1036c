"""What a usage file says that the run did not use: keys no pricing read, and address
entries that match no resource of the plan. Each becomes a run warning, so a figure the
user believes was priced is never dropped silently.

An entry's key counts as used when a resource it applies to read it from that entry (not
from a more specific entry that overrides it). A type default applies to many resources
and is used when any of them reads it; defaults for a type the plan does not have are not
reported (one defaults file serves many stacks).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from costgate.model import PricedResource
from costgate.usage import EntryKey, Usage


@dataclass
class _Seen:
    """One entry across the resources it applies to."""

    used: set[str] = field(default_factory=set)
    reasons: dict[str, set[str | None]] = field(default_factory=dict)
    """Per key not used: why, for each resource (None: no specific reason)."""


def unused_usage_warnings(usage: Usage, priced: Iterable[PricedResource]) -> list[str]:
    """One warning per usage entry that matches no resource, and per entry and reason for
    the keys that nothing read."""
    if not usage.resources and not usage.defaults:
        return []  # no usage file: nothing to look at
    seen: dict[EntryKey, _Seen] = {}
    for p in priced:
        found = usage.entries(p.resource)
        for i, (entry, values) in enumerate(found):
            state = seen.setdefault(entry, _Seen())
            for key in values:
                if key in state.used:
                    continue
                shadow = next((e for e, v in found[:i] if key in v), None)
                if shadow is None and key in p.usage_read:
                    state.used.add(key)
                else:
                    state.reasons.setdefault(key, set()).add(_reason(p, key, shadow))
    return _warnings(usage, seen)


def _reason(p: PricedResource, key: str, shadow: EntryKey | None) -> str | None:
    if shadow is not None:
        return f"the entry for {shadow[1]} overrides it"
    if p.usage_skipped and key in p.usage_skipped:
        return p.usage_skipped[key]
    if not p.priced:
        return f"{p.resource.address} is not priced"
    if p.free:
        return f"{p.resource.address} costs nothing"
    return None


def _warnings(usage: Usage, seen: dict[EntryKey, _Seen]) -> list[str]:
    warnings: list[str] = []
    where = f"usage file {usage.path}"
    for section, entries in (("defaults", usage.defaults), ("resources", usage.resources)):
        for name, values in entries.items():
            entry = (section, name)
            spelled = usage.spelling.get(entry)
            label = spelled.name if spelled else name
            state = seen.get(entry)
            if state is None:
                if section == "resources":
                    warnings.append(
                        f"{where}: usage entry for {label} matches no resource in the plan"
                    )
                continue  # a default for a type this plan does not have
            by_reason: dict[str, list[str]] = {}
            for key in values:
                if key in state.used:
                    continue
                reasons = state.reasons.get(key, {None})
                (reason,) = reasons if len(reasons) == 1 else (None,)
                if reason is not None:
                    reason = f": {reason}"
                elif section == "defaults":
                    reason = f" by any {name} in the plan"
                else:
                    reason = " for this resource"
                shown = spelled.keys.get(key, key) if spelled else key
                by_reason.setdefault(reason, []).append(shown)
            what = f"defaults for {label}" if section == "defaults" else label
            warnings.extend(
                f"{where}: {what}: {', '.join(keys)} not used{reason}"
                for reason, keys in by_reason.items()
            )
    return warnings
