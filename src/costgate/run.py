"""The whole job, input to report: read, price, evaluate. The CLI and the Action call this."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from costgate.diff import diff_stacks
from costgate.errors import InputError
from costgate.facts.index import StackIndex
from costgate.inputs import InputOptions, Stack, read_input
from costgate.model import PricedResource, Report, Severity
from costgate.policy.engine import evaluate
from costgate.policy.loader import Policy
from costgate.policy.rules import rule_catalog
from costgate.pricing.catalog import Catalog, load_catalog
from costgate.pricing.engine import PricingSession, price_resources
from costgate.pricing.trust import (
    DEFAULT_MAX_CATALOG_AGE_DAYS,
    price_age_warnings,
    stale_warnings,
)
from costgate.usage import Usage, load_usage
from costgate.usage_check import unused_usage_warnings

if TYPE_CHECKING:
    from costgate.policy.base_ref import PolicyRequest


@dataclass(frozen=True)
class RunOptions:
    """Everything a run needs besides the input paths."""

    usage_file: Path | None = None
    catalog_files: tuple[Path, ...] = ()
    input_format: str | None = None
    fail_on: Severity = Severity.ERROR
    policy: Policy | None = None
    warnings: tuple[str, ...] = field(default=())
    max_catalog_age_days: int | None = DEFAULT_MAX_CATALOG_AGE_DAYS
    """Catalog files older than this add a report warning; None disables the check."""
    inputs: InputOptions = field(default_factory=InputOptions)


@dataclass(frozen=True)
class _Loaded:
    catalog: Catalog
    usage: Usage


def _load(options: RunOptions) -> _Loaded:
    return _Loaded(load_catalog(options.catalog_files), load_usage(options.usage_file))


def _catalog_warnings(
    options: RunOptions, loaded: _Loaded, priced: Iterable[PricedResource]
) -> tuple[str, ...]:
    """The run's own warnings: stale catalog files, usage the run did not use (of the
    file, then of what was priced: *priced* is every side of a diff), a cache directory
    refused as unsafe."""
    from costgate import cache

    return (
        *options.warnings,
        *stale_warnings(loaded.catalog, options.max_catalog_age_days),
        *loaded.usage.warnings,
        *unused_usage_warnings(loaded.usage, priced),
        *cache.problems(),
    )


@dataclass(frozen=True)
class _Priced:
    resources: tuple[PricedResource, ...]
    warnings: list[str]
    index: StackIndex | None
    """The stack index pricing used, when there was one input (the policy engine reuses it)."""


def _price(paths: Sequence[Path], options: RunOptions, loaded: _Loaded) -> _Priced:
    priced: list[PricedResource] = []
    warnings: list[str] = []
    indexes = []
    for path in paths:
        stack: Stack = read_input(path, options.input_format, options.inputs)
        index = StackIndex(stack.resources)
        indexes.append(index)
        priced.extend(price_resources(stack.resources, loaded.catalog, loaded.usage, index))
        warnings.extend(stack.warnings)
    if options.max_catalog_age_days is not None:  # --max-catalog-age 0 turns age checks off
        cited = {
            (line.price.key, line.price.as_of)
            for resource in priced
            for line in resource.cost_lines
            if line.price is not None
        }
        warnings.extend(price_age_warnings(cited))
    return _Priced(tuple(priced), warnings, indexes[0] if len(indexes) == 1 else None)


def _session(loaded: _Loaded, priced: _Priced) -> PricingSession | None:
    """The pricing session the policy reuses: the input's stack index, when one input."""
    if priced.index is None:
        return None
    return PricingSession(loaded.catalog, loaded.usage, priced.index)


def _rule_names(options: RunOptions) -> tuple[str, ...]:
    return tuple(config.name for config in options.policy.rules) if options.policy else ()


def run_breakdown(paths: Sequence[Path], options: RunOptions) -> Report:
    """Prices only; findings from the policy if one is given."""
    loaded = _load(options)
    priced = _price(paths, options, loaded)
    findings = (
        evaluate(
            priced.resources,
            options.policy,
            catalog=loaded.catalog,
            usage=loaded.usage,
            pricing=_session(loaded, priced),
        )
        if options.policy
        else ()
    )
    return Report(
        resources=priced.resources,
        findings=findings,
        catalog_as_of=loaded.catalog.as_of,
        inputs=tuple(map(str, paths)),
        fail_on=options.fail_on,
        warnings=(*_catalog_warnings(options, loaded, priced.resources), *priced.warnings),
        rules=_rule_names(options),
        rule_catalog=rule_catalog(),
    )


def run_diff(base: Path | None, head: Path, options: RunOptions) -> Report:
    """Price both sides, diff them, evaluate the policy on the head (with the diff).

    Without *base*, the head input must carry its own baseline (a Pulumi preview's
    old states).
    """
    loaded = _load(options)
    if base is not None:
        base_side = _price([base], options, loaded)
        head_side = _price([head], options, loaded)
        return _diff_report(
            base_side.resources,
            base_side.warnings,
            head_side,
            (str(base), str(head)),
            options,
            loaded,
        )
    stack = read_input(head, options.input_format, options.inputs)
    if stack.baseline is None:
        raise InputError(
            f"a {stack.format} input does not say what it changes from: give BASE and HEAD, "
            "a single `pulumi preview --json` document, or --base-ref REF [DIR]",
            path=str(head),
        )
    index = StackIndex(stack.resources)
    head_side = _Priced(
        price_resources(stack.resources, loaded.catalog, loaded.usage, index),
        list(stack.warnings),
        index,
    )
    return _diff_report(
        price_resources(stack.baseline, loaded.catalog, loaded.usage),
        [],
        head_side,
        (str(head),),
        options,
        loaded,
    )


def run_git_diff(
    ref: str, directory: Path, options: RunOptions, request: PolicyRequest | None = None
) -> Report:
    """Diff a Terraform directory's working tree against its version at git *ref*.

    The base is read from git into a temporary directory; a directory that did not exist
    at *ref* has an empty base. With a policy *request*, the policy and usage files are
    read as they are at *ref* (see `policy.base_ref`) and the report says what the pull
    request changes in them; else *options* carry the policy.
    """
    if request is None:
        return _git_diff(ref, directory, options)
    from costgate.policy.base_ref import judging_policy
    from costgate.policy.changes import change_finding

    with judging_policy(ref, directory, request) as judging:
        judged = replace(
            options, policy=judging.policy, usage_file=judging.usage_file, fail_on=judging.fail_on
        )
        report = _git_diff(ref, directory, judged)
        if judging.usage_label and judging.usage_file:  # name the base's copy as REF:path
            copy = str(judging.usage_file)
            warnings = tuple(w.replace(copy, judging.usage_label) for w in report.warnings)
            report = replace(report, warnings=warnings)
    if judging.change is None:
        return report
    finding = change_finding(judging.change, fail=request.fail_on_change)
    return replace(report, policy_change=judging.change, findings=(finding, *report.findings))


def _git_diff(ref: str, directory: Path, options: RunOptions) -> Report:
    from costgate.git import base_tree

    loaded = _load(options)
    label = f"{ref}:{directory}"
    with base_tree(ref, directory) as base_dir:
        base_priced: tuple[PricedResource, ...] = ()
        base_warnings: list[str] = []
        if base_dir is not None:
            base_side = _price([base_dir], options, loaded)
            base_priced = base_side.resources
            base_warnings = [w.replace(str(base_dir), label) for w in base_side.warnings]
    head_side = _price([directory], options, loaded)
    return _diff_report(
        base_priced, base_warnings, head_side, (label, str(directory)), options, loaded
    )


def _diff_report(
    base_priced: tuple[PricedResource, ...],
    base_warnings: list[str],
    head: _Priced,
    inputs: tuple[str, ...],
    options: RunOptions,
    loaded: _Loaded,
) -> Report:
    diff = diff_stacks(base_priced, head.resources)
    findings = (
        evaluate(
            head.resources,
            options.policy,
            diff=diff,
            catalog=loaded.catalog,
            usage=loaded.usage,
            pricing=_session(loaded, head),
        )
        if options.policy
        else ()
    )
    return Report(
        resources=head.resources,
        findings=findings,
        diff=diff,
        catalog_as_of=loaded.catalog.as_of,
        inputs=inputs,
        fail_on=options.fail_on,
        warnings=(
            *_catalog_warnings(options, loaded, (*base_priced, *head.resources)),
            *base_warnings,
            *head.warnings,
        ),
        rules=_rule_names(options),
        rule_catalog=rule_catalog(),
    )
