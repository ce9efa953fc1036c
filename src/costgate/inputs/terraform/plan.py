"""Terraform plan JSON (`terraform show -json plan.out`) and state JSON -> resources.

The plan's `configuration` section is read alongside `resource_changes`: it holds the
provider blocks (region, `default_tags`, aliases) and each attribute's references, which
is how a value still unknown at plan time (a new bucket's id) is linked to its resource.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from costgate.errors import InputError
from costgate.inputs.base import Stack
from costgate.inputs.normalize import effective_tags, provider_name, region_from_attributes
from costgate.model import (
    EMPTY,
    LEAVES,
    UNKNOWN,
    Action,
    Origin,
    Resource,
    SourceLocation,
    freeze,
    strip_indexes,
)

_ACTIONS = {
    ("create",): Action.CREATE,
    ("update",): Action.UPDATE,
    ("delete",): Action.DELETE,
    ("delete", "create"): Action.REPLACE,
    ("create", "delete"): Action.REPLACE,
    ("no-op",): Action.NO_OP,
    ("read",): Action.READ,
    ("forget",): Action.DELETE,
}


def merge_unknown(value: Any, unknown: Any) -> Any:
    """Overlay Terraform's `after_unknown` on `after`: unknown leaves become UNKNOWN.

    Returns the frozen result (as `freeze` would), built in one pass: a plan's resources
    carry dozens of attributes each, and copying them twice shows in a 10k-resource plan.
    """
    if unknown is True:
        return UNKNOWN
    if not unknown:
        return freeze(value)
    kind = type(value)
    if type(unknown) is dict and (kind is dict or value is None):
        merged = (
            {k: v if type(v) in LEAVES else freeze(v) for k, v in value.items()} if value else {}
        )
        for key, flag in unknown.items():
            if flag is True:
                merged[key] = UNKNOWN
            elif flag:
                merged[key] = merge_unknown(value.get(key) if value else None, flag)
        return MappingProxyType(merged)
    if type(unknown) is list and kind is list:
        return tuple(
            [
                merge_unknown(v, unknown[i] if i < len(unknown) else False)
                for i, v in enumerate(value)
            ]
            + [UNKNOWN for flag in unknown[len(value) :] if flag is True]
        )
    return freeze(value)


class _Configuration:
    """Index of the plan's `configuration` block: providers, variables, expressions."""

    def __init__(self, doc: Mapping[str, Any]):
        config = doc.get("configuration") or {}
        self.variables = {k: v.get("value") for k, v in (doc.get("variables") or {}).items()}
        self.providers: dict[str, Mapping[str, Any]] = dict(config.get("provider_config") or {})
        self.resources: dict[str, Mapping[str, Any]] = {}
        """Configuration blocks by resource address without instance keys."""
        self._references: dict[tuple[str, str], Mapping[str, tuple[str, ...]]] = {}
        self._provider_facts: dict[
            tuple[str | None, str], tuple[str | None, Mapping[str, str]]
        ] = {}
        self._index_module(config.get("root_module") or {}, "")

    def _index_module(self, module: Mapping[str, Any], prefix: str) -> None:
        for res in module.get("resources") or ():
            self.resources[prefix + str(res.get("address", ""))] = res
        for name, call in (module.get("module_calls") or {}).items():
            self._index_module(call.get("module") or {}, f"{prefix}module.{name}.")

    def references(self, base_address: str, module_address: str) -> Mapping[str, tuple[str, ...]]:
        """Attribute -> referenced addresses, module-qualified; shared by all instances
        (*base_address* is the resource's address without instance keys)."""
        key = (base_address, module_address)
        found = self._references.get(key)
        if found is None:
            prefix = _module_prefix(module_address)
            expressions = self.resources.get(base_address, EMPTY).get("expressions") or {}
            merged: dict[str, tuple[str, ...]] = {}
            for attr, refs in _references(expressions):  # repeated blocks share a path
                merged[attr] = (*merged.get(attr, ()), *(f"{prefix}{r}" for r in refs))
            found = MappingProxyType({a: tuple(dict.fromkeys(r)) for a, r in merged.items()})
            self._references[key] = found
        return found

    def provider_facts(
        self, key: str | None, provider: str
    ) -> tuple[str | None, Mapping[str, str]]:
        """Region and frozen default tags of the provider block a resource uses (read once
        per block, not once per resource)."""
        found = self._provider_facts.get((key, provider))
        if found is None:
            block = self.provider_block(key, provider)
            found = (self.region(block), freeze(self.default_tags(block)))
            self._provider_facts[(key, provider)] = found
        return found

    def provider_block(self, key: str | None, provider: str) -> Mapping[str, Any]:
        """The provider block a resource uses: its config key, else the default one."""
        if key and key in self.providers:
            return self.providers[key]
        if key and ":" in key:  # pre-0.15 module-scoped key "module_name:aws"
            bare = key.rsplit(":", 1)[1]
            if bare in self.providers:
                return self.providers[bare]
        return self.providers.get(provider, {})

    def constant(self, expression: Any) -> Any:
        """Value of an expression: a constant, or a root variable it references; else None."""
        if not isinstance(expression, Mapping):
            return None
        if "constant_value" in expression:
            return expression["constant_value"]
        refs: list[Any] = list(expression.get("references") or ())
        if len(refs) == 1 and str(refs[0]).startswith("var."):
            return self.variables.get(str(refs[0])[4:])
        return None

    def region(self, block: Mapping[str, Any]) -> str | None:
        value = self.constant((block.get("expressions") or {}).get("region"))
        return value if isinstance(value, str) and value else None

    def default_tags(self, block: Mapping[str, Any]) -> dict[str, str]:
        """AWS `default_tags { tags = ... }`, or Google's `default_labels = ...`."""
        expressions = block.get("expressions") or {}
        blocks = expressions.get("default_tags") or ()
        tags: dict[str, str] = {}
        labels = self.constant(expressions.get("default_labels"))
        if isinstance(labels, Mapping):
            tags.update({str(k): str(v) for k, v in labels.items()})
        for item in blocks if isinstance(blocks, list) else ():
            value = self.constant(item.get("tags"))
            if isinstance(value, Mapping):
                tags.update({str(k): str(v) for k, v in value.items()})
        return tags


_LOCAL_REFERENCES = ("var.", "local.", "each.", "count.", "path.")


def _references(
    expressions: Mapping[str, Any], prefix: str = ""
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Flatten configuration expressions into (attribute path, referenced addresses); the
    blocks of a repeated block each yield their path, which the caller merges."""
    for key, expr in expressions.items():
        path = f"{prefix}{key}"
        if isinstance(expr, Mapping) and "references" in expr:
            refs = tuple(
                str(r) for r in expr["references"] if not str(r).startswith(_LOCAL_REFERENCES)
            )
            if refs:
                yield path, refs
        elif isinstance(expr, list):
            for block in expr:
                if isinstance(block, Mapping):
                    yield from _references(block, f"{path}.")


def _module_prefix(module_address: str) -> str:
    return f"{strip_indexes(module_address)}." if module_address else ""


class TerraformPlan:
    """Reads `terraform show -json` of a saved plan."""

    name = "terraform-plan"

    def recognises(self, data: Any) -> bool:
        return (
            isinstance(data, dict)
            and "format_version" in data
            and ("resource_changes" in data or "planned_values" in data)
        )

    def read(self, path: Path, data: Any) -> Stack:
        try:
            config = _Configuration(data)
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise InputError(
                f"`configuration` or `variables` is malformed (wrong {exc}); expected the "
                "objects `terraform show -json` writes",
                path=str(path),
            ) from exc
        changes = data.get("resource_changes")
        if changes is None:
            changes = []
        if not isinstance(changes, list):
            raise InputError(
                "`resource_changes` is not a list", path=str(path), location="/resource_changes"
            )
        resources = []
        source = SourceLocation(str(path))
        for index, change in enumerate(changes):
            try:
                resource = self._resource(change, config, source)
            except (KeyError, TypeError, AttributeError) as exc:
                raise InputError(
                    f"resource change is malformed (missing or wrong {exc}); expected "
                    "address, type, provider_name and change.actions",
                    path=str(path),
                    location=f"/resource_changes/{index}",
                ) from exc
            if resource is not None:
                resources.append(resource)
        return Stack(path=str(path), format=self.name, resources=tuple(resources))

    def _resource(
        self, change: Mapping[str, Any], config: _Configuration, source: SourceLocation
    ) -> Resource | None:
        if change.get("mode", "managed") != "managed":
            return None  # data sources are read, not billed
        body = change["change"]
        actions = tuple(body["actions"])
        action = _ACTIONS.get(actions)
        if action is None:
            raise InputError(
                f"unknown change actions {list(actions)!r}",
                path=source.file,
                location=str(change["address"]),
            )
        before = body.get("before")
        after = body.get("after")
        if action is Action.DELETE or after is None:
            values = freeze(before or {})
        else:
            values = merge_unknown(after, body.get("after_unknown") or {})
        address = str(change["address"])
        provider = provider_name(str(change["provider_name"]))
        module_address = str(change.get("module_address", ""))
        base = strip_indexes(address)
        cfg = config.resources.get(base, EMPTY)
        region, default_tags = config.provider_facts(cfg.get("provider_config_key"), provider)
        return Resource(
            address=address,
            type=str(change["type"]),
            provider=provider,
            region=region_from_attributes(values) or region,
            action=action,
            origin=Origin.TERRAFORM_PLAN,
            attributes=values,
            tags=effective_tags(provider, values, default_tags),
            references=config.references(base, module_address),
            source=source,
            before=freeze(before) if isinstance(before, dict) else None,
            module=module_address,
            name=str(change.get("name", "")),
        )


class TerraformState:
    """Reads `terraform show -json` of a state: the baseline for a diff."""

    name = "terraform-state"

    def recognises(self, data: Any) -> bool:
        return (
            isinstance(data, dict)
            and "resource_changes" not in data
            and isinstance(data.get("values"), dict)
            and "root_module" in data["values"]
        )

    def read(self, path: Path, data: Any) -> Stack:
        resources = [
            self._located(res, path, location)
            for location, res in _walk_modules(
                data["values"]["root_module"], "/values/root_module", path
            )
            if not isinstance(res, Mapping) or res.get("mode", "managed") == "managed"
        ]
        return Stack(path=str(path), format=self.name, resources=tuple(resources))

    def _located(self, res: Any, path: Path, location: str) -> Resource:
        """A state resource, or an InputError pointing at the malformed one."""
        try:
            return self._resource(res, path)
        except (KeyError, TypeError, AttributeError) as exc:
            raise InputError(
                f"state resource is malformed (missing or wrong {exc}); expected an object "
                "with address, type, provider_name and values",
                path=str(path),
                location=location,
            ) from exc

    def _resource(self, res: Mapping[str, Any], path: Path) -> Resource:
        values = freeze(res.get("values") or {})
        address = str(res["address"])
        module = address.rsplit(".", 2)[0] if address.startswith("module.") else ""
        provider = provider_name(str(res.get("provider_name", res["type"].split("_")[0])))
        return Resource(
            address=address,
            type=str(res["type"]),
            provider=provider,
            region=region_from_attributes(values),
            action=Action.NO_OP,
            origin=Origin.TERRAFORM_STATE,
            attributes=values,
            tags=effective_tags(provider, values),
            source=SourceLocation(str(path)),
            module=module,
            name=str(res.get("name", "")),
        )


def _walk_modules(module: Any, location: str, path: Path) -> Iterator[tuple[str, Any]]:
    """(JSON pointer, resource) of every resource in a state module and its children."""
    if not isinstance(module, Mapping):
        raise InputError(
            "expected a module object with `resources` and `child_modules`",
            path=str(path),
            location=location,
        )
    for key in ("resources", "child_modules"):
        if not isinstance(module.get(key) or [], list):
            raise InputError(f"`{key}` is not a list", path=str(path), location=f"{location}/{key}")
    for index, res in enumerate(module.get("resources") or ()):
        yield f"{location}/resources/{index}", res
    for index, child in enumerate(module.get("child_modules") or ()):
        yield from _walk_modules(child, f"{location}/child_modules/{index}", path)
