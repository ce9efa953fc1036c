"""`costgate check`, `breakdown` and `diff`: price inputs, apply the policy, write the report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from costgate.cli.exits import EXIT_FAIL, EXIT_PASS
from costgate.cli.options import (
    BaseRefOptions,
    CostOptions,
    PolicyOptions,
    base_ref_options,
    common_options,
    policy_options,
    policy_request,
    run_options,
)
from costgate.cli.output import ReportOptions, emit


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--changed-only",
    is_flag=True,
    help="PATHS are changed files (as pre-commit passes them): check only the "
    "Terraform directories that hold them; unset variables are unknown.",
)
@common_options
@policy_options
def check(
    paths: tuple[str, ...],
    changed_only: bool,
    costs: CostOptions,
    report: ReportOptions,
    policy: PolicyOptions,
) -> None:
    """Price PATHS and evaluate the policy: exit 0 pass, 1 fail, 2 error."""
    from costgate.run import run_breakdown

    targets = [Path(p) for p in paths]
    if changed_only:
        from costgate.inputs.terraform.directory import changed_directories

        targets = changed_directories(targets)
        if not targets:
            if not report.quiet:
                click.echo(
                    "costgate: no Terraform directory among the changed files; nothing to check"
                )
            sys.exit(EXIT_PASS)
    result = run_breakdown(targets, run_options(costs, policy, changed_only=changed_only))
    emit(result, report)
    sys.exit(EXIT_FAIL if result.failed else EXIT_PASS)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@common_options
def breakdown(paths: tuple[str, ...], costs: CostOptions, report: ReportOptions) -> None:
    """Price PATHS resource by resource (no policy verdict)."""
    from costgate.run import run_breakdown

    emit(run_breakdown([Path(p) for p in paths], run_options(costs, None)), report)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(), metavar="BASE HEAD | PREVIEW | [DIR]")
@click.option(
    "--base-ref",
    metavar="REF",
    help="Compare the Terraform directory DIR (default: .) with its version at git "
    "REF (e.g. origin/main, @{upstream}); the working tree is not touched.",
)
@click.option(
    "--merge-base",
    is_flag=True,
    help="With --base-ref: compare with the commit where HEAD forked from REF (what a "
    "pull request changes), not with REF's tip.",
)
@click.option(
    "--base-auto",
    is_flag=True,
    help="Instead of --base-ref: the upstream branch, else the merge base of the default "
    "branch (origin/HEAD, main, master); with neither, say so and exit 0 (for hooks).",
)
@common_options
@policy_options
@base_ref_options
def diff(
    paths: tuple[str, ...],
    base_ref: str | None,
    merge_base: bool,
    base_auto: bool,
    costs: CostOptions,
    report: ReportOptions,
    policy: PolicyOptions,
    base: BaseRefOptions,
) -> None:
    """Cost diff from BASE to HEAD (plan, state or HCL directory), with the policy on HEAD.

    With one PREVIEW (`pulumi preview --json`), its old states are the base. With --base-ref,
    the base is DIR as committed at REF and the head is DIR as it is now, judged by the
    policy and usage files as they are at REF (see --policy-from).
    """
    from costgate.run import run_diff, run_git_diff

    if base_auto:
        if base_ref is not None:
            raise click.UsageError("give --base-ref or --base-auto, not both")
        base_ref = _automatic_base(Path(paths[0] if paths else "."), report.quiet)
    elif merge_base:
        if base_ref is None:
            raise click.UsageError("--merge-base needs --base-ref")
        from costgate.git import merge_base as fork_point

        where = Path(paths[0] if paths else ".")
        base_ref = fork_point(base_ref, where if where.is_dir() else Path("."))
    if base_ref is not None and len(paths) > 1:
        raise click.UsageError("with --base-ref give one directory (or none for .)")
    if base_ref is None and len(paths) not in (1, 2):
        raise click.UsageError("give BASE and HEAD, a Pulumi PREVIEW, or --base-ref REF [DIR]")
    if base_ref is not None:
        directory = Path(paths[0] if paths else ".")
        result = run_git_diff(
            base_ref, directory, run_options(costs, None), policy_request(costs, policy, base)
        )
    elif len(paths) == 1:
        result = run_diff(None, Path(paths[0]), run_options(costs, policy))
    else:
        result = run_diff(Path(paths[0]), Path(paths[1]), run_options(costs, policy))
    emit(result, report)
    sys.exit(EXIT_FAIL if result.failed else EXIT_PASS)


def _automatic_base(directory: Path, quiet: bool) -> str:
    """The ref `--base-auto` compares with, or exit 0 with a one-line notice when none."""
    from costgate.git import default_base

    found = default_base(directory if directory.is_dir() else Path("."))
    if found is None:
        click.echo(
            "costgate: no upstream branch and no default branch (origin/HEAD, main, master) "
            "to compare with; skipping the diff"
        )
        sys.exit(EXIT_PASS)
    ref, described = found
    if not quiet:
        click.echo(f"costgate: comparing with {described}", err=True)
    return ref
