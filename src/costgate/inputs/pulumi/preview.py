"""`pulumi preview --json` -> resources with actions, and the baseline from `oldState`.

Each step carries the resource's `oldState` (what the stack holds now) and/or `newState`
(what the program asks for). The head side is priced from the new inputs (merged over the
old outputs for an update, so computed values such as a root volume size survive); the
baseline is every old state, which is how `costgate diff PREVIEW` needs no base file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from costgate.errors import InputError
from costgate.inputs.base import Stack
from costgate.inputs.pulumi.state import (
    StateReader,
    Urn,
    input_values,
    is_cloud_resource,
    require_state,
    state_values,
)
from costgate.inputs.pulumi.type_map import PROVIDERS, Token
from costgate.model import NOT_EVALUATED, Action, Origin, Resource, SourceLocation, freeze

OPS: Mapping[str, Action | None] = {
    "create": Action.CREATE,
    "update": Action.UPDATE,
    "same": Action.NO_OP,
    "refresh": Action.NO_OP,
    "import": Action.NO_OP,
    "delete": Action.DELETE,
    "replace": Action.REPLACE,
    "create-replacement": Action.REPLACE,
    "delete-replaced": Action.REPLACE,
    "import-replacement": Action.REPLACE,
    # reads of resources the stack does not manage, and state-only bookkeeping
    "read": None,
    "read-replacement": None,
    "read-discard": None,
    "discard": None,
    "discard-replaced": None,
    "remove-pending-replace": None,
}
"""Pulumi step ops (`sdk/go/common/display` StepOp values) -> the change they make."""


class _Change:
    """All steps of one URN merged: a replacement may come as three steps."""

    def __init__(self, action: Action, op: str):
        self.action = action
        self.op = op
        self.old: Mapping[str, Any] | None = None
        self.new: Mapping[str, Any] | None = None


def _omitted_sames(data: Mapping[str, Any], steps: list[Any], where: str) -> tuple[str, ...]:
    """Without `--show-sames` unchanged resources are counted but not listed: say so."""
    summary = data.get("changeSummary")
    counted = summary.get("same", 0) if isinstance(summary, Mapping) else 0
    listed = sum(1 for step in steps if step.get("op") == "same")
    if not isinstance(counted, int) or counted <= listed:
        return ()
    return (
        f"{where}: the preview leaves out {counted - listed} unchanged resource(s); its "
        "total covers only what changes, and a diff against a stack export counts them as "
        "removed. Run `pulumi preview --json --show-sames`, or diff the preview alone "
        "(`costgate diff PREVIEW`).",
    )


def _stateless(
    reader: StateReader, urn: str, change: _Change, op: str, location: str, where: str
) -> Resource | None:
    """A step Pulumi listed without `oldState`/`newState` (it omits them when it cannot
    serialise a state): an unpriced placeholder with the reason, not a fatal error."""
    try:
        parsed = Urn.parse(urn)
    except ValueError as exc:
        raise InputError(
            f"{exc}; expected `urn:pulumi:<stack>::<project>::<type>::<name>`",
            path=where,
            location=f"{location}/urn",
        ) from exc
    if not is_cloud_resource({"type": parsed.type, "custom": True}):
        return None  # the stack or a provider: nothing to price either way
    package = Token.parse(parsed.type).package
    return Resource(
        address=reader.address(urn),
        type=NOT_EVALUATED,
        provider=PROVIDERS.get(package, package),
        region=None,
        action=change.action,
        origin=Origin.PULUMI_PREVIEW,
        attributes=freeze(
            {
                "reason": f"the preview's {op!r} step of this {parsed.type} carries neither "
                "oldState nor newState (Pulumi leaves them out when it cannot serialise the "
                "state): nothing to price it by",
                "pulumi_type": parsed.type,
            }
        ),
        source=SourceLocation(where),
        name=parsed.name,
    )


class PulumiPreview:
    """Reads the JSON `pulumi preview --json` prints."""

    name = "pulumi-preview"

    def recognises(self, data: Any) -> bool:
        return (
            isinstance(data, dict)
            and "format_version" not in data
            and (isinstance(data.get("steps"), list) or "changeSummary" in data)
        )

    def read(self, path: Path, data: Any) -> Stack:
        where = str(path)
        steps = data.get("steps") or []
        if not isinstance(steps, list):
            raise InputError("`steps` is not a list", path=where, location="/steps")
        changes: dict[str, _Change] = {}
        states: list[Mapping[str, Any]] = []
        stateless: dict[str, tuple[str, str]] = {}  # urn -> (op, location)
        for index, step in enumerate(steps):
            location = f"/steps/{index}"
            change = self._step(step, location, where, changes)
            for key in ("oldState", "newState"):
                if step.get(key) is None:
                    continue
                state = require_state(step[key], f"{location}/{key}", where)
                states.append(state)
                if change is not None:
                    setattr(change, "old" if key == "oldState" else "new", state)
            if change is not None and change.old is None and change.new is None:
                stateless.setdefault(step["urn"], (step["op"], location))
        config = data.get("config") or {}
        if not isinstance(config, Mapping):
            raise InputError("`config` is not an object", path=where, location="/config")
        reader = StateReader(states, path=where, origin=Origin.PULUMI_PREVIEW, config=config)
        head: list[Resource] = []
        base: list[Resource] = []
        warnings = list(_omitted_sames(data, steps, where))
        for urn, change in changes.items():
            current = change.new or change.old
            if current is None:
                if urn in stateless:
                    placeholder = _stateless(reader, urn, change, *stateless[urn], where)
                    if placeholder is not None:
                        warnings.append(
                            f"{placeholder.address} ({where}:{stateless[urn][1]}): "
                            f"{placeholder.attributes['reason']}"
                        )
                        head.append(placeholder)
                        if change.op not in ("create", "import"):
                            base.append(replace(placeholder, action=Action.NO_OP))
                continue
            if not is_cloud_resource(current):
                continue
            head.append(self._head(reader, change))
            if change.old is not None and change.op != "import":
                base.append(reader.resource(change.old, state_values(change.old), Action.NO_OP))
            elif change.op == "import" and change.new is not None:
                base.append(reader.resource(change.new, state_values(change.new), Action.NO_OP))
        return Stack(
            path=where,
            format=self.name,
            resources=tuple(head),
            baseline=tuple(base),
            warnings=tuple(warnings),
        )

    @staticmethod
    def _step(step: Any, location: str, where: str, changes: dict[str, _Change]) -> _Change | None:
        if (
            not isinstance(step, Mapping)
            or not isinstance(step.get("op"), str)
            or not isinstance(step.get("urn"), str)
        ):
            raise InputError(
                "expected a step object with `op` and `urn`", path=where, location=location
            )
        op = step["op"]
        if op not in OPS:
            raise InputError(
                f"unknown step op {op!r}; expected one of: {', '.join(OPS)}",
                path=where,
                location=f"{location}/op",
            )
        action = OPS[op]
        if action is None:
            return None
        change = changes.get(step["urn"])
        if change is None:
            change = changes[step["urn"]] = _Change(action, op)
        elif action is Action.REPLACE:
            change.action, change.op = Action.REPLACE, "replace"
        return change

    @staticmethod
    def _head(reader: StateReader, change: _Change) -> Resource:
        old = state_values(change.old) if change.old is not None else None
        if change.action is Action.DELETE or change.new is None:
            assert change.old is not None and old is not None
            return reader.resource(change.old, old, change.action, before=old)
        if change.op == "import":
            return reader.resource(change.new, state_values(change.new), change.action)
        if change.action is Action.NO_OP:
            values = old if old is not None else input_values(change.new)
            return reader.resource(change.new, values, change.action)
        new = input_values(change.new)
        if change.action is Action.UPDATE and old is not None:
            new = {**old, **new}  # computed values the inputs do not set stay as they are
        return reader.resource(change.new, new, change.action, before=old)
