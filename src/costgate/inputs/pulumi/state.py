"""Pulumi resource states -> resources: shared by previews, stack exports and programs.

A Pulumi state (`{urn, type, custom, inputs, outputs, parent, provider,
propertyDependencies, sourcePosition}`) looks the same in `pulumi preview --json` steps,
in `pulumi stack export` and in what `runner` records from a program, so one
`StateReader` turns all of them into `Resource`s: wire encodings decoded (unknowns,
secrets, assets, resource references), the type and inputs translated to Terraform terms
(`type_map`), region and default tags taken from the resource's provider (an explicit
provider resource, or the stack config for default providers), stack tags added.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from costgate.errors import InputError
from costgate.inputs.normalize import effective_tags, region_from_attributes
from costgate.inputs.pulumi.type_map import PROVIDERS, Token, leaf_paths, snake, translate
from costgate.model import (
    UNKNOWN,
    Action,
    Origin,
    Resource,
    SourceLocation,
    freeze,
    is_unknown,
)

PULUMI_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""How Pulumi writes a value that is unknown until the update runs."""

_SIG = "4dabf18193072939515e22adb298388d"
_SECRET = "1b47061264138c4ac30d75fd1eb44270"
_ASSET = "c44067f5952c0a294b673a41bacd8c17"
_ARCHIVE = "0def7320c3a5731c473e5ecbe6d01bc7"
_RESOURCE_REF = "5cf8f73096256a8f31e491e813e4eb8e"
_OUTPUT = "d0e6a833031e9bbcd3f4e8bde6ca49a4"

_STACK_TYPE = "pulumi:pulumi:Stack"
_PROVIDER_PREFIX = "pulumi:providers:"


def decode(value: Any) -> Any:
    """Pulumi's wire/state encodings -> plain values, with UNKNOWN where nothing is known."""
    if value == PULUMI_UNKNOWN:
        return UNKNOWN
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, Mapping):
        return value
    sig = value.get(_SIG)
    if sig == _SECRET:
        if "plaintext" in value:
            return decode(_json_or_text(value["plaintext"]))
        return decode(value["value"]) if "value" in value else UNKNOWN
    if sig in (_ASSET, _ARCHIVE):
        return f"asset:{value.get('hash') or value.get('path') or value.get('uri') or ''}"
    if sig == _RESOURCE_REF:
        return decode(value.get("id")) or UNKNOWN
    if sig == _OUTPUT:
        return decode(value["value"]) if "value" in value else UNKNOWN
    return {k: decode(v) for k, v in value.items() if k != "__defaults"}


def _json_or_text(text: Any) -> Any:
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


@dataclass(frozen=True, slots=True)
class Urn:
    """`urn:pulumi:<stack>::<project>::<parent$...$type>::<name>`, split."""

    stack: str
    project: str
    type_chain: tuple[str, ...]
    name: str

    @property
    def type(self) -> str:
        """The resource's own type token (the last of the chain)."""
        return self.type_chain[-1]

    @classmethod
    def parse(cls, urn: Any) -> Urn:
        """Split a URN; ValueError when it is not one."""
        if not isinstance(urn, str) or not urn.startswith("urn:pulumi:"):
            raise ValueError(f"not a Pulumi URN: {urn!r}")
        parts = urn[len("urn:pulumi:") :].split("::", 3)
        if len(parts) != 4:
            raise ValueError(f"not a Pulumi URN: {urn!r}")
        stack, project, qualified, name = parts
        return cls(stack, project, tuple(qualified.split("$")), name)


def config_values(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Stack config as the engine passes it (JSON strings for objects) -> parsed values."""
    return {
        str(k): _json_or_text(v) if isinstance(v, str) and v[:1] in "{[" else v
        for k, v in raw.items()
    }


@dataclass(frozen=True, slots=True)
class ProviderSettings:
    """What a provider contributes to its resources: region and default tags."""

    region: str | None = None
    default_tags: Mapping[str, str] = field(default_factory=dict)


def _string_map(value: Any) -> dict[str, str]:
    value = _json_or_text(value)
    if not isinstance(value, Mapping):
        return {}
    return {str(k): str(v) for k, v in value.items() if isinstance(v, (str, int))}


def _settings(package: str, values: Mapping[str, Any]) -> ProviderSettings:
    """Provider config (`region`, `defaultTags`, `zone`, `location`...) -> settings."""
    region = values.get("region") or values.get("location")
    zone = values.get("zone")
    derived = region_from_attributes({"region": region} if region else {"zone": zone})
    if package in ("azure", "azure-native") and isinstance(region, str):
        derived = region.replace(" ", "").lower()
    if package == "aws":  # aws:defaultTags is `{tags: {...}}`
        default_tags = _json_or_text(values.get("defaultTags"))
        tags = _string_map(default_tags.get("tags")) if isinstance(default_tags, Mapping) else {}
    else:
        tags = _string_map(values.get("defaultLabels") or values.get("defaultTags"))
    return ProviderSettings(derived if isinstance(derived, str) else None, tags)


def _source(state: Mapping[str, Any], fallback: str, root: str | None) -> SourceLocation:
    """`project:///index.ts#5,20` -> index.ts:5 (under *root* for a program directory)."""
    position = state.get("sourcePosition")
    if not isinstance(position, str) or not position.startswith("project:///"):
        return SourceLocation(fallback)
    file, _, fragment = position[len("project:///") :].partition("#")
    line = fragment.split(",", 1)[0]
    path = f"{root.rstrip('/')}/{file}" if root else file
    return SourceLocation(path, int(line) if line.isdigit() else None)


def state_values(state: Mapping[str, Any]) -> dict[str, Any]:
    """A deployed state's values: its outputs (the full state) if recorded, else inputs."""
    outputs = state.get("outputs")
    values = outputs if isinstance(outputs, Mapping) and outputs else state.get("inputs")
    decoded = decode(values or {})
    return decoded if isinstance(decoded, dict) else {}


def input_values(state: Mapping[str, Any]) -> dict[str, Any]:
    """A planned state's inputs, decoded."""
    decoded = decode(state.get("inputs") or {})
    return decoded if isinstance(decoded, dict) else {}


def is_cloud_resource(state: Mapping[str, Any]) -> bool:
    """Custom resources only: not the stack, not components, not provider instances."""
    type_ = str(state.get("type", ""))
    return (
        bool(state.get("custom"))
        and not type_.startswith(_PROVIDER_PREFIX)
        and type_ != _STACK_TYPE
        and not state.get("external")
        and not state.get("delete")
    )


class StateReader:
    """Builds resources from the states of one document (or program run)."""

    def __init__(
        self,
        states: Iterable[Mapping[str, Any]],
        *,
        path: str,
        origin: Origin,
        config: Mapping[str, Any] | None = None,
        source_root: str | None = None,
    ):
        self.path = path
        self.origin = origin
        self.config = config_values(config or {})
        self.source_root = source_root
        self.stack_tags = _string_map(self.config.get("pulumi:tags"))
        self._providers: dict[str, Mapping[str, Any]] = {}
        self._addresses: dict[str, str] = {}
        taken: dict[str, str] = {}
        for state in states:
            urn = str(state.get("urn", ""))
            if str(state.get("type", "")).startswith(_PROVIDER_PREFIX):
                self._providers[urn] = state
            elif is_cloud_resource(state) and urn not in self._addresses:
                address = self._address(urn, state, taken)
                taken[address] = urn
                self._addresses[urn] = address

    def _address(self, urn: str, state: Mapping[str, Any], taken: Mapping[str, str]) -> str:
        """`<terraform type>.<pulumi name>`; a second URN with the same gets its type chain."""
        parsed = Urn.parse(urn)
        tf_type = translate(parsed.type, input_values(state)).type
        address = f"{tf_type}.{parsed.name}"
        if address in taken and taken[address] != urn:
            address = f'{address}["{"$".join(parsed.type_chain[:-1])}"]'
        return address

    def address(self, urn: str) -> str:
        """The address of a resource by URN (also of one this document does not hold)."""
        if urn in self._addresses:
            return self._addresses[urn]
        parsed = Urn.parse(urn)
        return f"{translate(parsed.type, {}).type}.{parsed.name}"

    def provider(self, state: Mapping[str, Any], package: str) -> ProviderSettings:
        """Settings of the resource's provider: default providers read the stack config."""
        ref = state.get("provider")
        urn = ref.rsplit("::", 1)[0] if isinstance(ref, str) and ref else ""
        explicit = bool(urn) and not Urn.parse(urn).name.startswith("default")
        values: dict[str, Any] = {}
        if not explicit:
            prefix = f"{package}:"
            values.update(
                {k[len(prefix) :]: v for k, v in self.config.items() if k.startswith(prefix)}
            )
        provider_state = self._providers.get(urn)
        if provider_state is not None:
            values.update(
                {
                    k: v
                    for k, v in state_values(provider_state).items()
                    if v not in (None, "") and not is_unknown(v)
                }
            )
        return _settings(package, values)

    def resource(
        self,
        state: Mapping[str, Any],
        values: Mapping[str, Any],
        action: Action,
        *,
        before: Mapping[str, Any] | None = None,
    ) -> Resource:
        """One resource from a state and the (decoded) values to price it by."""
        urn = str(state["urn"])
        parsed = Urn.parse(urn)
        token = str(state.get("type") or parsed.type)
        package = Token.parse(token).package
        translated = translate(token, values)
        attributes = translated.attributes
        settings = self.provider(state, package)
        provider = PROVIDERS.get(package, package)
        references: dict[str, list[str]] = {}
        for key, urns in (state.get("propertyDependencies") or {}).items():
            addresses = [self.address(u) for u in urns or () if isinstance(u, str)]
            if not addresses:
                continue
            tf_key = translated.keys.get(key, snake(key))
            for path in leaf_paths(attributes.get(tf_key), tf_key):
                references.setdefault(path, []).extend(
                    a for a in addresses if a not in references.get(path, [])
                )
        return Resource(
            address=self.address(urn),
            type=translated.type,
            provider=provider,
            region=region_from_attributes(attributes) or settings.region,
            action=action,
            origin=self.origin,
            attributes=freeze(attributes),
            tags=effective_tags(provider, attributes, settings.default_tags, self.stack_tags),
            references=freeze({k: tuple(v) for k, v in references.items()}),
            source=_source(state, self.path, self.source_root),
            before=freeze(translate(token, before).attributes) if before is not None else None,
            name=parsed.name,
        )


def require_state(state: Any, where: str, path: str) -> Mapping[str, Any]:
    """A state object with a valid URN and type, or an InputError located at *where*."""
    if not isinstance(state, Mapping):
        raise InputError("expected a resource state object", path=path, location=where)
    try:
        parsed = Urn.parse(state.get("urn"))
    except ValueError as exc:
        raise InputError(
            f"{exc}; expected `urn:pulumi:<stack>::<project>::<type>::<name>`",
            path=path,
            location=where,
        ) from exc
    if "type" in state and not isinstance(state["type"], str):
        raise InputError("`type` is not a type token string", path=path, location=where)
    if state.get("type", parsed.type) != parsed.type:
        raise InputError(
            f"`type` {state.get('type')!r} does not match the URN's type {parsed.type!r}",
            path=path,
            location=where,
        )
    for key in ("inputs", "outputs", "propertyDependencies"):
        if state.get(key) is not None and not isinstance(state[key], Mapping):
            raise InputError(f"`{key}` is not an object", path=path, location=where)
    for key, urns in (state.get("propertyDependencies") or {}).items():
        if urns is not None and not isinstance(urns, list):
            raise InputError(
                f"`propertyDependencies.{key}` is not a list of URNs", path=path, location=where
            )
        for urn in urns or ():
            try:
                Urn.parse(urn)
            except ValueError as exc:
                raise InputError(
                    f"`propertyDependencies.{key}` holds {exc}", path=path, location=where
                ) from exc
    provider = state.get("provider")
    if provider:
        try:
            Urn.parse(provider.rsplit("::", 1)[0] if isinstance(provider, str) else provider)
        except ValueError as exc:
            raise InputError(
                f"`provider` is {exc}; expected `<provider URN>::<id>`", path=path, location=where
            ) from exc
    return state
