"""Build Terraform plan JSON documents in the shape `terraform show -json` (format 1.2) emits.

Used to write the hand-made fixtures in `fixtures/terraform-plan/` and to generate the large
plans the benchmark times. The fixtures fill in only the fields plan readers use; with
`complete=True` the document also carries what Terraform always writes besides them
(`planned_values` repeating every resource's values, the sensitivity masks), so a timed
`json.load` reads as much as it would from a real plan.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

AWS = "registry.terraform.io/hashicorp/aws"


@dataclass
class Res:
    """One managed resource in a plan."""

    type: str
    name: str
    values: dict[str, Any]
    unknown: dict[str, Any] = field(default_factory=dict)
    actions: tuple[str, ...] = ("create",)
    before: dict[str, Any] | None = None
    module: str = ""
    index: Any = None
    provider_key: str = "aws"
    references: dict[str, list[str]] = field(default_factory=dict)
    provider_name: str = AWS

    @property
    def address(self) -> str:
        key = ""
        if isinstance(self.index, int):
            key = f"[{self.index}]"
        elif isinstance(self.index, str):
            key = f'["{self.index}"]'
        prefix = f"{self.module}." if self.module else ""
        return f"{prefix}{self.type}.{self.name}{key}"


def _expressions(values: dict[str, Any], references: dict[str, list[str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in ("tags_all", "id", "arn"):
            continue
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            out[key] = [
                _expressions(
                    v,
                    {
                        k[len(key) + 1 :]: r
                        for k, r in references.items()
                        if k.startswith(key + ".")
                    },
                )
                for v in value
            ]
        elif key in references:
            out[key] = {"references": references[key]}
        else:
            out[key] = {"constant_value": value}
    for key, refs in references.items():
        if "." not in key and key not in out:
            out[key] = {"references": refs}
    return out


def _mask(values: Any) -> Any:
    """Terraform's sensitivity mask of a value: blocks and maps keep their shape, leaves go."""
    if isinstance(values, dict):
        return {k: _mask(v) for k, v in values.items() if isinstance(v, (dict, list))}
    if isinstance(values, list):
        return [_mask(v) if isinstance(v, (dict, list)) else False for v in values]
    return False


def _planned_values(changes: list[dict[str, Any]]) -> dict[str, Any]:
    """`planned_values`: every resource again with its known after-values, by module."""
    root: dict[str, Any] = {"resources": []}
    modules: dict[str, dict[str, Any]] = {}
    for change in changes:
        after = change["change"]["after"]
        if after is None:
            continue
        entry = {k: change[k] for k in ("address", "mode", "type", "name", "index") if k in change}
        entry.update(
            provider_name=change["provider_name"],
            schema_version=1,
            values=after,
            sensitive_values=change["change"]["after_sensitive"],
        )
        module = change.get("module_address")
        if module:
            target = modules.setdefault(module, {"resources": [], "address": module})
        else:
            target = root
        target["resources"].append(entry)
    if modules:
        root["child_modules"] = list(modules.values())
    return {"root_module": root}


def plan(
    resources: list[Res],
    providers: dict[str, dict[str, Any]],
    variables: dict[str, Any] | None = None,
    *,
    complete: bool = False,
) -> dict[str, Any]:
    """A whole plan document (*complete*: with planned values and sensitivity masks)."""
    changes = []
    config_root: dict[str, Any] = {"resources": [], "module_calls": {}}
    seen_config: set[str] = set()
    for r in resources:
        change: dict[str, Any] = {
            "address": r.address,
            "mode": "managed",
            "type": r.type,
            "name": r.name,
            "provider_name": r.provider_name,
            "change": {
                "actions": list(r.actions),
                "before": r.before,
                "after": None if r.actions == ("delete",) else r.values,
                "after_unknown": r.unknown,
                "before_sensitive": False
                if r.before is None
                else (_mask(r.before) if complete else {}),
                "after_sensitive": _mask(r.values) if complete else {},
            },
        }
        if r.module:
            change["module_address"] = r.module
        if r.index is not None:
            change["index"] = r.index
        changes.append(change)
        config_address = f"{r.type}.{r.name}"
        module_key = _strip(r.module)
        if (module_key, config_address) in seen_config:
            continue
        seen_config.add((module_key, config_address))  # type: ignore[arg-type]
        target = config_root
        for part in [p for p in module_key.split(".") if p and p != "module"]:
            call = target["module_calls"].setdefault(
                part,
                {"source": f"./modules/{part}", "module": {"resources": [], "module_calls": {}}},
            )
            target = call["module"]
        target["resources"].append(
            {
                "address": config_address,
                "mode": "managed",
                "type": r.type,
                "name": r.name,
                "provider_config_key": r.provider_key,
                "expressions": _expressions(r.values, r.references),
                "schema_version": 1,
            }
        )
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "variables": {k: {"value": v} for k, v in (variables or {}).items()},
        "planned_values": _planned_values(changes) if complete else {"root_module": {}},
        "resource_changes": changes,
        "configuration": {"provider_config": providers, "root_module": config_root},
        "timestamp": "2026-11-20T09:00:00Z",
        "errored": False,
    }


def _strip(module: str) -> str:
    out, depth = [], 0
    for ch in module:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif not depth:
            out.append(ch)
    return "".join(out)


def aws_provider(
    region: str, default_tags: dict[str, str] | None = None, alias: str | None = None
) -> dict[str, Any]:
    """A provider_config entry."""
    expressions: dict[str, Any] = {"region": {"constant_value": region}}
    if default_tags:
        expressions["default_tags"] = [{"tags": {"constant_value": default_tags}}]
    entry: dict[str, Any] = {"name": "aws", "full_name": AWS, "expressions": expressions}
    if alias:
        entry["alias"] = alias
    return entry


def dump(doc: dict[str, Any]) -> str:
    """Stable, indented JSON."""
    return json.dumps(doc, indent=2) + "\n"
