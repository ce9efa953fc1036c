"""Policy files: YAML validated by the published schema, merged in order, with line numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from costgate.errors import ConfigError
from costgate.model import Severity
from costgate.policy.rules import RULES
from costgate.resources import data_dir
from costgate.validation import LocatedYaml, format_pointer, load_yaml, schema_errors

REPO_POLICY_FILE = ".costgate.yml"
ALLOW_WILDCARD = "allow-wildcard"
"""`inline_exemptions: allow-wildcard`: an inline `skip=*` exempts from every rule."""


@dataclass(frozen=True)
class RuleConfig:
    """One rule as configured: severity, selector and options."""

    name: str
    severity: Severity
    select: Mapping[str, Any]
    options: Mapping[str, Any]


@dataclass(frozen=True)
class PolicyExemption:
    """A policy-file exemption: resource globs, rule names, reason, expiry."""

    resources: tuple[str, ...]
    rules: tuple[str, ...]
    reason: str
    expires: dt.date | None
    source: str


@dataclass(frozen=True)
class Policy:
    """The merged policy: enabled rules, exemptions and the files it came from."""

    rules: tuple[RuleConfig, ...]
    exemptions: tuple[PolicyExemption, ...] = ()
    files: tuple[str, ...] = ()
    fail_on: Severity | None = None
    inline_exemptions: bool = True
    """Whether exemptions written on resources (tags, labels, comments) count at all."""
    inline_wildcard: bool = False
    """Whether an inline `skip=*` exempts from every rule (`inline_exemptions: allow-wildcard`)."""


def default_policy_file() -> Path:
    """The bundled seed policy."""
    return data_dir("policies") / "default.yaml"


def policy_schema_file() -> Path:
    """The published policy JSON Schema."""
    return data_dir("policies") / "policy.schema.json"


def discover_policy_files(explicit: Sequence[Path], cwd: Path) -> list[Path]:
    """--policy files if given; else the repo's .costgate.yml; else the bundled default."""
    if explicit:
        return list(explicit)
    repo = cwd / REPO_POLICY_FILE
    return [repo] if repo.is_file() else [default_policy_file()]


def shipped(path: Path) -> bool:
    """Whether *path* is one of the policy files shipped in costgate (validated by its test
    suite and `costgate policies validate`, so a run need not schema-check it again)."""
    try:
        return path.resolve().parent == data_dir("policies").resolve()
    except OSError:
        return False


def validate_policy_file(path: Path, *, schema: bool = True) -> LocatedYaml:
    """Schema-check a policy file, then each rule's name and options; errors carry line numbers.

    *schema* False skips the JSON Schema checks (for shipped files); rule and exemption
    names are always checked.
    """
    doc = load_yaml(path, "policy file")
    if schema:
        doc.validate(policy_schema_file(), "policy file")
    for name, config in (doc.data.get("rules") or {}).items():
        rule = RULES.get(name)
        if rule is None:
            raise ConfigError(
                f"unknown rule {name!r}; known rules: {', '.join(sorted(RULES))}",
                path=str(path),
                location=doc.location(("rules", name)),
            )
        if schema and "options" in (config or {}):
            _check_options(doc, name, config["options"], _partial(rule.options_schema))
    for index, exemption in enumerate(doc.data.get("exemptions") or ()):
        for rule_name in exemption["rules"]:
            if rule_name not in RULES and rule_name != "*":
                raise ConfigError(
                    f"exemption names unknown rule {rule_name!r}",
                    path=str(path),
                    location=doc.location(("exemptions", index, "rules")),
                )
    return doc


def _partial(schema: Mapping[str, Any]) -> dict[str, Any]:
    """A rule's options schema without its required keys: one file of several may set only
    some options; the merged options are checked in full by `load_policy`."""
    return {k: v for k, v in schema.items() if k not in ("required", "minProperties")}


def _check_options(doc: LocatedYaml, name: str, options: Any, schema: Mapping[str, Any]) -> None:
    """Raise ConfigError at the offending option's line when *options* break *schema*."""
    errors = schema_errors(options, schema)
    if errors:
        pointer, message = errors[0]  # an unexpected key points at that key's line
        where = format_pointer(("rules", name, "options", *pointer))
        raise ConfigError(
            f"invalid options for {name} at {where}: {message}",
            path=str(doc.path),
            location=doc.location(("rules", name, "options", *pointer)),
        )


def load_policy(paths: Sequence[Path], *, trust_shipped: bool = True) -> Policy:
    """Validate and merge policy files in order; later files override earlier rule settings.

    With *trust_shipped*, shipped policy files are not schema-checked again (their validity
    is tested): a run with the default policy does not import jsonschema at all.
    """
    merged: dict[str, dict[str, Any]] = {}
    last_doc: dict[str, LocatedYaml] = {}
    exemptions: list[PolicyExemption] = []
    fail_on: Severity | None = None
    inline: bool | str = True
    trusted = [trust_shipped and shipped(path) for path in paths]
    for path, trust in zip(paths, trusted, strict=True):
        doc = validate_policy_file(path, schema=not trust)
        data = doc.data
        if data.get("fail_on"):
            fail_on = Severity(data["fail_on"])
        if "inline_exemptions" in data:
            inline = data["inline_exemptions"]
        for name, config in (data.get("rules") or {}).items():
            target = merged.setdefault(name, {})
            last_doc[name] = doc
            for key, value in (config or {}).items():
                target[key] = value
        exemptions.extend(
            PolicyExemption(
                resources=tuple(item["resources"]),
                rules=tuple(item["rules"]),
                reason=str(item.get("reason") or ""),
                expires=dt.date.fromisoformat(item["expires"]) if item.get("expires") else None,
                source=str(path),
            )
            for item in data.get("exemptions") or ()
        )
    for name, config in merged.items():
        if config.get("enabled", True) and not all(trusted):
            _check_options(
                last_doc[name], name, config.get("options") or {}, RULES[name].options_schema
            )
    rules = tuple(
        RuleConfig(
            name=name,
            severity=Severity(config.get("severity", RULES[name].default_severity.value)),
            select=config.get("select") or {},
            options=config.get("options") or {},
        )
        for name, config in merged.items()
        if config.get("enabled", True)
    )
    return Policy(
        rules=rules,
        exemptions=tuple(exemptions),
        files=tuple(map(str, paths)),
        fail_on=fail_on,
        inline_exemptions=inline is not False,
        inline_wildcard=inline == ALLOW_WILDCARD,
    )
