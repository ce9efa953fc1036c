"""Options shared by check, breakdown and diff, gathered into typed frozen dataclasses.

Each `*_options` decorator adds its click options and hands the command one dataclass
(`costs: CostOptions`, `report: ReportOptions`, `policy: PolicyOptions`) instead of loose
keyword arguments.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from costgate.cli.output import ReportOptions

if TYPE_CHECKING:
    from costgate.policy.base_ref import PolicyRequest
    from costgate.run import RunOptions

F = TypeVar("F", bound=Callable[..., Any])
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class CostOptions:
    """What to price with: usage file, extra catalogs, input format and Terraform variables."""

    usage: str | None
    catalog: tuple[str, ...]
    max_catalog_age_days: int
    input_format: str | None
    var: tuple[str, ...]
    var_file: tuple[str, ...]
    allow_program_interpreter: bool
    offline: bool


@dataclass(frozen=True)
class PolicyOptions:
    """Which policy files to apply and the lowest severity that fails the run."""

    policy: tuple[str, ...]
    fail_on: str | None


def _gathered(bundles: dict[str, type[Any]], options: list[Callable[[F], F]]) -> Callable[[F], F]:
    """A decorator adding *options* and passing their values as `name=cls(...)` per bundle."""
    fields = {name: [f.name for f in dataclasses.fields(cls)] for name, cls in bundles.items()}

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def command(*args: Any, **kwargs: Any) -> Any:
            for name, cls in bundles.items():
                kwargs[name] = cls(**{field: kwargs.pop(field) for field in fields[name]})
            return func(*args, **kwargs)

        for option in reversed(options):
            command = option(command)
        return command  # type: ignore[return-value]

    return decorate


def run_options(
    costs: CostOptions, policy: PolicyOptions | None, *, changed_only: bool = False
) -> RunOptions:
    """The run's options; the policy files are loaded here, so their errors exit 2."""
    from costgate.model import Severity
    from costgate.run import RunOptions

    loaded = None
    fail_on = None
    if policy is not None:
        from costgate.policy.loader import discover_policy_files, load_policy

        files = discover_policy_files([Path(p) for p in policy.policy], Path.cwd())
        loaded = load_policy(files)
        fail_on = Severity(policy.fail_on) if policy.fail_on else loaded.fail_on
    from costgate.inputs import InputOptions

    variables: tuple[tuple[str, str], ...] = ()
    if costs.var:  # the HCL code is only imported when there are variables to parse
        from costgate.inputs.terraform.hcl.variables import parse_var_option

        variables = tuple(parse_var_option(v) for v in costs.var)
    inputs = InputOptions(
        var_files=tuple(Path(p) for p in costs.var_file),
        variables=variables,
        unset_variables_unknown=changed_only,
        allow_program_interpreter=costs.allow_program_interpreter,
        offline=costs.offline,
    )
    return RunOptions(
        inputs=inputs,
        usage_file=Path(costs.usage) if costs.usage else None,
        catalog_files=tuple(Path(p) for p in costs.catalog),
        input_format=costs.input_format,
        max_catalog_age_days=costs.max_catalog_age_days or None,
        fail_on=fail_on or Severity.ERROR,
        policy=loaded,
    )


@dataclass(frozen=True)
class BaseRefOptions:
    """Whose policy judges a `diff --base-ref` run, and whether changing it fails the run."""

    policy_from: str
    fail_on_policy_change: bool


def policy_request(
    costs: CostOptions, policy: PolicyOptions, base: BaseRefOptions
) -> PolicyRequest:
    """What `diff --base-ref` reads from the base revision: policy and usage files."""
    from costgate.model import Severity
    from costgate.policy.base_ref import PolicyRequest

    return PolicyRequest(
        explicit=tuple(Path(p) for p in policy.policy),
        usage_file=Path(costs.usage) if costs.usage else None,
        cwd=Path.cwd(),
        fail_on=Severity(policy.fail_on) if policy.fail_on else None,
        from_head=base.policy_from == "head",
        fail_on_change=base.fail_on_policy_change,
    )


def _report_formats() -> list[str]:
    from costgate.report import REPORTERS

    return list(REPORTERS)


def _input_formats() -> list[str]:
    from costgate.inputs import INPUT_FORMATS

    return list(INPUT_FORMATS)


def _parse_reports(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    """`FORMAT=FILE` pairs, the format checked against the reporter registry."""
    formats = _report_formats()
    pairs = []
    for value in values:
        fmt, sep, path = value.partition("=")
        if not sep or not path or fmt not in formats:
            raise click.BadParameter(
                f"{value!r}: expected FORMAT=FILE with FORMAT one of {', '.join(formats)}",
                ctx,
                param,
            )
        pairs.append((fmt, path))
    return tuple(pairs)


common_options = _gathered(
    {"costs": CostOptions, "report": ReportOptions},
    [
        click.option(
            "--usage",
            type=click.Path(dir_okay=False),
            help="Usage file (YAML): stored GB, object counts, hours.",
        ),
        click.option(
            "--catalog",
            multiple=True,
            type=click.Path(dir_okay=False),
            help="Extra catalog file overriding shipped prices (repeatable).",
        ),
        click.option(
            "--max-catalog-age-days",
            type=click.IntRange(min=0),
            default=180,
            show_default=True,
            help="Warn when a catalog file is older than this (0 = never warn).",
        ),
        click.option(
            "--format",
            "fmt",
            type=click.Choice(_report_formats()),
            default="table",
            show_default=True,
            help="Report format.",
        ),
        click.option("--output", "-o", help="Write the report to this file ('-' = stdout)."),
        click.option(
            "--report",
            "reports",
            multiple=True,
            metavar="FORMAT=FILE",
            callback=_parse_reports,
            help="Also write the report in FORMAT to FILE, from the same run "
            "(repeatable), e.g. --report sarif=costgate.sarif.",
        ),
        click.option(
            "--input-format",
            type=click.Choice(_input_formats()),
            help="Force the input format instead of detecting it.",
        ),
        click.option(
            "--var",
            "var",
            multiple=True,
            metavar="NAME=VALUE",
            help="Terraform variable for HCL directories (repeatable).",
        ),
        click.option(
            "--var-file",
            multiple=True,
            type=click.Path(dir_okay=False),
            help="Terraform variables file for HCL directories (repeatable).",
        ),
        click.option(
            "--allow-program-interpreter",
            is_flag=True,
            help="Run a Pulumi program under its own virtualenv's Python (e.g. .venv/bin/python "
            "in the repository: code the pull request controls). Default: costgate's "
            "Python. Also COSTGATE_ALLOW_PROGRAM_INTERPRETER=1.",
        ),
        click.option(
            "--offline",
            is_flag=True,
            help="Never fetch remote Terraform modules: read them from .terraform/modules "
            "(terraform init) or costgate's cache, else list them as not evaluated. "
            "Also COSTGATE_OFFLINE=1.",
        ),
        click.option("--no-color", is_flag=True, help="Plain output (the default when piped)."),
        click.option("--quiet", "-q", is_flag=True, help="Print nothing; only the exit code."),
    ],
)
"""Options of check, breakdown and diff: passed as `costs: CostOptions, report: ReportOptions`."""

policy_options = _gathered(
    {"policy": PolicyOptions},
    [
        click.option(
            "--policy",
            multiple=True,
            type=click.Path(dir_okay=False),
            help="Policy file (repeatable, merged in order). "
            "Default: .costgate.yml or the bundled policy.",
        ),
        click.option(
            "--fail-on",
            type=click.Choice(SEVERITIES),
            help="Lowest severity that fails the run (default: error).",
        ),
    ],
)
"""--policy and --fail-on of check and diff: passed as `policy: PolicyOptions`."""

base_ref_options = _gathered(
    {"base": BaseRefOptions},
    [
        click.option(
            "--policy-from",
            type=click.Choice(["base", "head"]),
            default="base",
            show_default=True,
            help="With --base-ref: read the policy and usage files as they are at REF "
            "(base: a pull request cannot relax its own gate) or from the working tree "
            "(head). Either way the report says when the two differ. Files outside the "
            "repository are used as given.",
        ),
        click.option(
            "--fail-on-policy-change",
            is_flag=True,
            help="With --base-ref: fail (exit 1) when the working tree changes the policy "
            "or usage files.",
        ),
    ],
)
"""--policy-from and --fail-on-policy-change of diff: passed as `base: BaseRefOptions`."""
