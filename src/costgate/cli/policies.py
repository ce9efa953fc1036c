"""`costgate policies`: list, explain and validate policy rules and files."""

from __future__ import annotations

from pathlib import Path

import click


@click.group("policies")
def group() -> None:
    """List, explain and validate policy rules and files."""


@group.command("list")
def policies_list() -> None:
    """List the available rules."""
    from costgate.policy.rules import ALL_RULES

    for rule in ALL_RULES:
        click.echo(f"{rule.id}  {rule.name:<22} {rule.default_severity.value:<8} {rule.summary}")


@group.command("explain")
@click.argument("rule")
def policies_explain(rule: str) -> None:
    """Show a rule's documentation: why, a bad example and a good one."""
    import inspect

    from costgate.errors import ConfigError
    from costgate.policy.rules import RULES

    found = RULES.get(rule) or next((r for r in RULES.values() if r.id == rule), None)
    if found is None:
        raise ConfigError(f"unknown rule {rule!r}; known rules: {', '.join(sorted(RULES))}")
    click.echo(f"{found.id} {found.name} (default severity: {found.default_severity.value})")
    click.echo("")
    click.echo(inspect.getdoc(found) or found.summary)


@group.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def policies_validate(files: tuple[str, ...]) -> None:
    """Validate policy FILES against the schema and the rules' options, each file and then
    all of them merged in the order given (as `--policy` would merge them)."""
    from costgate.policy.loader import load_policy, validate_policy_file

    for f in files:
        validate_policy_file(Path(f))
    load_policy([Path(f) for f in files], trust_shipped=False)
    for f in files:
        click.echo(f"{f}: ok")
