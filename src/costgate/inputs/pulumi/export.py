"""`pulumi stack export` -> the deployed resources: the baseline for `costgate diff`.

The checkpoint (`{version: 3, deployment: {manifest, resources: [...]}}`) holds each
resource's inputs and outputs; outputs are the full deployed state and are what gets
priced. Stack config is not part of an export, so default providers contribute what
their provider resource recorded (`region`, `defaultTags`), and stack tags are absent.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from costgate.errors import InputError
from costgate.inputs.base import Stack
from costgate.inputs.pulumi.state import (
    StateReader,
    is_cloud_resource,
    require_state,
    state_values,
)
from costgate.model import Action, Origin


class PulumiStackExport:
    """Reads a stack checkpoint written by `pulumi stack export`."""

    name = "pulumi-state"

    def recognises(self, data: Any) -> bool:
        return (
            isinstance(data, dict)
            and isinstance(data.get("deployment"), dict)
            and "version" in data
        )

    def read(self, path: Path, data: Any) -> Stack:
        where = str(path)
        raw = data["deployment"].get("resources") or []
        if not isinstance(raw, list):
            raise InputError(
                "`deployment.resources` is not a list", path=where, location="/deployment/resources"
            )
        states = [
            require_state(state, f"/deployment/resources/{i}", where) for i, state in enumerate(raw)
        ]
        reader = StateReader(states, path=where, origin=Origin.PULUMI_STATE)
        resources = tuple(
            reader.resource(state, state_values(state), Action.NO_OP) for state in _live(states)
        )
        return Stack(path=where, format=self.name, resources=resources)


def _live(states: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Cloud resources, once each (a pending replacement leaves an old copy marked `delete`)."""
    seen: set[str] = set()
    live = []
    for state in states:
        if is_cloud_resource(state) and state["urn"] not in seen:
            seen.add(state["urn"])
            live.append(state)
    return live
