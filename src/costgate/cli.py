"""The command line: the only module that prints, writes report files or exits.

Exit codes: 0 pass, 1 policy failure, 2 usage / input / configuration error,
3 internal error (a bug: please report it), 130 interrupted.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

EXIT_PASS, EXIT_FAIL, EXIT_ERROR, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a closed pipe
SEVERITIES = ("error", "warning", "info")

F = TypeVar("F", bound=Callable[..., Any])


@contextlib.contextmanager
def _errors() -> Iterator[None]:
    """Turn expected errors into one-paragraph messages and exit codes.

    The cyclic garbage collector is switched off for the run: a command is a short-lived
    process whose big, acyclic object graphs (parsed plans, priced resources) are freed by
    reference counting, and full collections over them cost 15-25 % of a large check.
    """
    import gc

    from costgate.errors import CostgateError

    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    except CostgateError as exc:
        click.echo(f"costgate: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        click.echo("costgate: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        # the reader went away (`costgate ... | head`): stop quietly, as a shell tool does
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_BROKEN_PIPE)
    except Exception as exc:
        if os.environ.get("COSTGATE_DEBUG"):
            raise
        click.echo(
            f"costgate: internal error: {type(exc).__name__}: {exc}. This is a bug in costgate; "
            "please report it with the input that caused it "
            "(COSTGATE_DEBUG=1 shows the traceback).",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
    finally:
        if collecting:
            gc.enable()


def _write_output(text: str, output: str | None) -> None:
    """Write the report to stdout or, atomically, to the named file."""
    if output in (None, "-"):
        click.echo(text, nl=False)
        return
    target = Path(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, target)


def _run_options(**kw: Any) -> Any:
    from costgate.model import Severity
    from costgate.run import RunOptions

    policy = None
    fail_on = Severity(kw["fail_on"]) if kw.get("fail_on") else None
    if kw.get("with_policy", True):
        from costgate.policy.loader import discover_policy_files, load_policy

        files = discover_policy_files([Path(p) for p in kw.get("policy") or ()], Path.cwd())
        policy = load_policy(files)
        fail_on = fail_on or policy.fail_on
    from costgate.inputs import InputOptions

    variables: tuple[tuple[str, str], ...] = ()
    if kw.get("var"):  # the HCL code is only imported when there are variables to parse
        from costgate.inputs.terraform.hcl.variables import parse_var_option

        variables = tuple(parse_var_option(v) for v in kw["var"])
    inputs = InputOptions(
        var_files=tuple(Path(p) for p in kw.get("var_file") or ()),
        variables=variables,
        unset_variables_unknown=bool(kw.get("changed_only")),
    )
    return RunOptions(
        inputs=inputs,
        usage_file=Path(kw["usage"]) if kw.get("usage") else None,
        catalog_files=tuple(Path(p) for p in kw.get("catalog") or ()),
        input_format=kw.get("input_format"),
        max_catalog_age_days=kw.get("max_catalog_age_days") or None,
        fail_on=fail_on or Severity.ERROR,
        policy=policy,
    )


def _common(func: F) -> F:
    """Options shared by check, diff and breakdown."""
    decorators = [
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
        click.option("--no-color", is_flag=True, help="Plain output (the default when piped)."),
        click.option("--quiet", "-q", is_flag=True, help="Print nothing; only the exit code."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def _policy_options(func: F) -> F:
    func = click.option(
        "--fail-on",
        type=click.Choice(SEVERITIES),
        help="Lowest severity that fails the run (default: error).",
    )(func)
    return click.option(
        "--policy",
        multiple=True,
        type=click.Path(dir_okay=False),
        help="Policy file (repeatable, merged in order). "
        "Default: .costgate.yml or the bundled policy.",
    )(func)


def _report_formats() -> list[str]:
    from costgate.report import REPORTERS

    return list(REPORTERS)


def _parse_reports(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> list[tuple[str, str]]:
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
    return pairs


def _input_formats() -> list[str]:
    from costgate.inputs import INPUT_FORMATS

    return list(INPUT_FORMATS)


def _emit(
    report: Any, fmt: str, output: str | None, quiet: bool, reports: list[tuple[str, str]]
) -> None:
    from costgate.report import REPORTERS

    for extra_fmt, path in reports:
        _write_output(REPORTERS[extra_fmt](report), path)
    text = REPORTERS[fmt](report)
    if not quiet or (output not in (None, "-")):
        _write_output(text, output)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="costgate")
def main() -> None:
    """Stop expensive infrastructure changes before they merge.

    Prices Terraform plans and HCL directories offline from a versioned catalog and gates
    them on cost policies.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--changed-only",
    is_flag=True,
    help="PATHS are changed files (as pre-commit passes them): check only the "
    "Terraform directories that hold them; unset variables are unknown.",
)
@_common
@_policy_options
def check(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    quiet: bool,
    changed_only: bool,
    reports: list[tuple[str, str]],
    **kw: Any,
) -> None:
    """Price PATHS and evaluate the policy: exit 0 pass, 1 fail, 2 error."""
    from costgate.run import run_breakdown

    with _errors():
        targets = [Path(p) for p in paths]
        if changed_only:
            from costgate.inputs.terraform.directory import changed_directories

            targets = changed_directories(targets)
            if not targets:
                if not quiet:
                    click.echo(
                        "costgate: no Terraform directory among the changed files; nothing to check"
                    )
                sys.exit(EXIT_PASS)
        report = run_breakdown(targets, _run_options(changed_only=changed_only, **kw))
        _emit(report, fmt, output, quiet, reports)
    sys.exit(EXIT_FAIL if report.failed else EXIT_PASS)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@_common
def breakdown(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    quiet: bool,
    reports: list[tuple[str, str]],
    **kw: Any,
) -> None:
    """Price PATHS resource by resource (no policy verdict)."""
    from costgate.run import run_breakdown

    with _errors():
        report = run_breakdown([Path(p) for p in paths], _run_options(with_policy=False, **kw))
        _emit(report, fmt, output, quiet, reports)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(), metavar="BASE HEAD | PREVIEW | [DIR]")
@click.option(
    "--base-ref",
    metavar="REF",
    help="Compare the Terraform directory DIR (default: .) with its version at git "
    "REF (e.g. origin/main, @{upstream}); the working tree is not touched.",
)
@_common
@_policy_options
def diff(
    paths: tuple[str, ...],
    base_ref: str | None,
    fmt: str,
    output: str | None,
    quiet: bool,
    reports: list[tuple[str, str]],
    **kw: Any,
) -> None:
    """Cost diff from BASE to HEAD (plan, state or HCL directory), with the policy on HEAD.

    With one PREVIEW (`pulumi preview --json`), its old states are the base. With --base-ref,
    the base is DIR as committed at REF and the head is DIR as it is now.
    """
    from costgate.run import run_diff, run_git_diff

    if base_ref is not None and len(paths) > 1:
        raise click.UsageError("with --base-ref give one directory (or none for .)")
    if base_ref is None and len(paths) not in (1, 2):
        raise click.UsageError("give BASE and HEAD, a Pulumi PREVIEW, or --base-ref REF [DIR]")
    with _errors():
        if base_ref is not None:
            report = run_git_diff(base_ref, Path(paths[0] if paths else "."), _run_options(**kw))
        elif len(paths) == 1:
            report = run_diff(None, Path(paths[0]), _run_options(**kw))
        else:
            report = run_diff(Path(paths[0]), Path(paths[1]), _run_options(**kw))
        _emit(report, fmt, output, quiet, reports)
    sys.exit(EXIT_FAIL if report.failed else EXIT_PASS)


@main.group()
def pricing() -> None:
    """Inspect and validate the pricing catalog."""


@pricing.command("show")
@click.argument("product")
@click.option("--region", help="Only this region.")
@click.option(
    "--catalog",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Extra catalog file overriding shipped prices.",
)
def pricing_show(product: str, region: str | None, catalog: tuple[str, ...]) -> None:
    """Show every catalog price for PRODUCT (instance type, volume type, storage class)."""
    from costgate.money import exact
    from costgate.pricing.catalog import load_catalog

    with _errors():
        cat = load_catalog([Path(p) for p in catalog])
        entries = [
            e
            for e in cat.all_entries()
            if e.product == product and (region is None or e.region == region)
        ]
        if not entries:
            from costgate.errors import CatalogError

            raise CatalogError(
                f"no prices for {product!r}"
                + (f" in {region}" if region else "")
                + " in the catalog"
            )
        services = sorted({(e.provider, e.service) for e in entries})
        for provider, service in services:
            facts = cat.product(provider, service, product)
            if facts:
                described = ", ".join(f"{k}={v}" for k, v in facts.items() if k != "source")
                click.echo(f"{provider} {service}:{product}: {described}")
        width = max(len(e.region) for e in entries)
        for e in entries:
            tier = f" from {e.tier_start}" if e.tier_start else ""
            click.echo(
                f"  {e.provider}/{e.service} {e.region:<{width}} {e.kind:<20} "
                f"{exact(e.price):>12} USD/{e.unit}{tier}  "
                f"(as of {e.as_of}; {e.source_url})"
            )


@pricing.command("validate")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
def pricing_validate(files: tuple[str, ...]) -> None:
    """Validate catalog FILES (default: the shipped catalog): exit 1 on errors."""
    from costgate.pricing.catalog import bundled_catalog_files
    from costgate.pricing.validate import validate_files

    with _errors():
        paths = [Path(f) for f in files] or bundled_catalog_files()
        problems = validate_files(paths)
        for problem in problems:
            click.echo(str(problem))
        errors = [p for p in problems if p.severity == "error"]
        click.echo(
            f"{len(paths)} catalog file(s): {len(errors)} error(s), "
            f"{len(problems) - len(errors)} warning(s)"
        )
    sys.exit(EXIT_FAIL if errors else EXIT_PASS)


@pricing.command("refresh")
@click.argument("cloud", type=click.Choice(["aws", "gcp", "azure"]))
@click.option(
    "--regions",
    multiple=True,
    help="Regions (repeatable or comma-separated). "
    "Default: the regions the shipped catalog prices.",
)
@click.option(
    "--types",
    multiple=True,
    help="Instance / machine / VM types (repeatable or "
    "comma-separated). Default: the shipped catalog's compute types.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="Catalog file to write. Default: <user catalog dir>/<provider>.json, "
    "which every run loads over the shipped catalog.",
)
def pricing_refresh(
    cloud: str, regions: tuple[str, ...], types: tuple[str, ...], output: str | None
) -> None:
    """Fetch current prices from CLOUD's price API and write an override catalog file."""
    import datetime as dt
    import importlib

    from costgate.pricing import refresh
    from costgate.pricing.catalog import load_catalog

    with _errors():
        provider = refresh.PROVIDERS[cloud]
        shipped = load_catalog(user_files=False)
        request = refresh.default_request(shipped, provider, _split(regions), _split(types))
        module = importlib.import_module(f"costgate.pricing.refresh.{cloud}")
        fetched = module.fetch(request, shipped) if cloud == "gcp" else module.fetch(request)
        document = refresh.build_document(
            provider,
            fetched,
            module.SOURCE_ID,
            _source_url(module),
            module.DESCRIPTION,
            shipped,
            dt.date.today(),
        )
        target = Path(output) if output else refresh.default_output(provider)
        refresh.write_catalog(document, target)
        click.echo(f"wrote {len(document['prices'])} {provider} price(s) to {target}")


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _source_url(module: Any) -> str:
    endpoint = getattr(module, "endpoint", None)
    return str(endpoint() if endpoint else getattr(module, "DEFAULT_URL", module.SOURCE_ID))


@pricing.command("diff")
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
def pricing_diff(old: str, new: str) -> None:
    """Show prices added, removed or changed from catalog file OLD to NEW."""
    from costgate.money import exact
    from costgate.pricing.trust import diff_catalogs

    with _errors():
        changes = diff_catalogs(Path(old), Path(new))
        for c in changes:
            before = exact(c.old) if c.old is not None else "-"
            after = exact(c.new) if c.new is not None else "-"
            pct = f" ({c.percent:+.1f}%)" if c.percent is not None else ""
            click.echo(f"{c.kind:<8} {c.key}: {before} -> {after}{pct}")
        kinds = ("added", "removed", "changed")
        counts = {k: sum(1 for c in changes if c.kind == k) for k in kinds}
        click.echo(", ".join(f"{n} {k}" for k, n in counts.items()))


@pricing.command("compare")
@click.option(
    "--gpu",
    "gpu",
    required=True,
    help="GPU model, optionally with memory: A100-40GB, A100-80GB, H100-80GB, L4, T4, V100.",
)
@click.option("--region", "regions", multiple=True, help="Only these regions (repeatable).")
@click.option(
    "--catalog",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Extra catalog file overriding shipped prices.",
)
def pricing_compare(gpu: str, regions: tuple[str, ...], catalog: tuple[str, ...]) -> None:
    """On-demand and spot hourly price per GPU on each cloud, from the catalog."""
    from costgate.errors import CatalogError
    from costgate.money import exact
    from costgate.pricing.catalog import load_catalog
    from costgate.pricing.trust import gpu_offers

    with _errors():
        offers = gpu_offers(load_catalog([Path(p) for p in catalog]), gpu, _split(regions))
        if not offers:
            raise CatalogError(
                f"no machine type in the catalog carries a {gpu} GPU"
                + (f" in {', '.join(regions)}" if regions else "")
            )
        click.echo(
            f"{'cloud':<8} {'machine type':<26} {'region':<12} {'GPUs':>4} "
            f"{'on-demand/GPU/h':>16} {'spot/GPU/h':>12}"
        )
        for o in offers:
            on_demand, spot = o.per_gpu(o.on_demand), o.per_gpu(o.spot)
            click.echo(
                f"{o.provider:<8} {o.product:<26} {o.region:<12} {o.gpus:>4} "
                f"{exact(on_demand) if on_demand is not None else '-':>16} "
                f"{exact(spot) if spot is not None else '-':>12}"
            )


@main.group()
def policies() -> None:
    """List, explain and validate policy rules and files."""


@policies.command("list")
def policies_list() -> None:
    """List the available rules."""
    from costgate.policy.rules import ALL_RULES

    for rule in ALL_RULES:
        click.echo(f"{rule.id}  {rule.name:<22} {rule.default_severity.value:<8} {rule.summary}")


@policies.command("explain")
@click.argument("rule")
def policies_explain(rule: str) -> None:
    """Show a rule's documentation: why, a bad example and a good one."""
    import inspect

    from costgate.errors import ConfigError
    from costgate.policy.rules import RULES

    with _errors():
        found = RULES.get(rule) or next((r for r in RULES.values() if r.id == rule), None)
        if found is None:
            raise ConfigError(f"unknown rule {rule!r}; known rules: {', '.join(sorted(RULES))}")
        click.echo(f"{found.id} {found.name} (default severity: {found.default_severity.value})")
        click.echo("")
        click.echo(inspect.getdoc(found) or found.summary)


@policies.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def policies_validate(files: tuple[str, ...]) -> None:
    """Validate policy FILES against the schema and the rules' options, each file and then
    all of them merged in the order given (as `--policy` would merge them)."""
    from costgate.policy.loader import load_policy, validate_policy_file

    with _errors():
        for f in files:
            validate_policy_file(Path(f))
        load_policy([Path(f) for f in files], trust_shipped=False)
        for f in files:
            click.echo(f"{f}: ok")


def _comment_modes() -> list[str]:
    from costgate.github import MODES

    return list(MODES)


@main.group()
def comment() -> None:
    """Post the report as a pull-request comment."""


@comment.command("github")
@click.option(
    "--body-file",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Comment text, e.g. from `--format markdown` ('-' = stdin).",
)
@click.option(
    "--repo",
    envvar="GITHUB_REPOSITORY",
    required=True,
    help="owner/name (default: $GITHUB_REPOSITORY).",
)
@click.option(
    "--pr",
    "number",
    type=click.IntRange(min=1),
    help="Pull request number (default: from the workflow event, $GITHUB_EVENT_PATH).",
)
@click.option(
    "--mode",
    type=click.Choice(_comment_modes()),
    default="update",
    show_default=True,
    help="update the comment in place, always add a new one, or delete / hide the "
    "old one and add a new one.",
)
@click.option(
    "--id",
    "marker_id",
    default="default",
    show_default=True,
    help="Comment identity: runs with different ids keep separate comments (e.g. one per stack).",
)
def comment_github(
    body_file: str, repo: str, number: int | None, mode: str, marker_id: str
) -> None:
    """Create or update costgate's sticky comment on a GitHub pull request.

    The token comes from $GITHUB_TOKEN, the API from $GITHUB_API_URL (GitHub Enterprise)
    and $GITHUB_GRAPHQL_URL. Exit 0 when posted, 2 on any error.
    """
    from costgate.errors import ConfigError
    from costgate.github.api import DEFAULT_API_URL, GitHubClient
    from costgate.github.comment import post_comment, pull_request_number

    with _errors():
        if number is None:
            event_path = os.environ.get("GITHUB_EVENT_PATH")
            if not event_path:
                raise ConfigError(
                    "no pull request: pass --pr NUMBER (or run in a "
                    "pull_request workflow, which sets GITHUB_EVENT_PATH)"
                )
            number = pull_request_number(Path(event_path))
        try:
            with click.open_file(body_file, encoding="utf-8") as handle:
                body = handle.read()
        except OSError as exc:
            raise ConfigError(
                f"cannot read the comment body: {exc.strerror}", path=body_file
            ) from None
        client = GitHubClient(
            os.environ.get("GITHUB_TOKEN", ""),
            os.environ.get("GITHUB_API_URL") or DEFAULT_API_URL,
            graphql_url=os.environ.get("GITHUB_GRAPHQL_URL") or None,
        )
        result = post_comment(client, repo, number, body, mode=mode, marker_id=marker_id)
        extra = "".join(
            f", {n} old comment(s) {what}"
            for n, what in ((result.deleted, "deleted"), (result.hidden, "hidden"))
            if n
        )
        click.echo(f"costgate: {result.action} comment {result.url}{extra}")


def entry() -> None:
    """The `costgate` program: run the command, then leave without tearing down the heap.

    A 10k-resource plan leaves millions of objects behind; freeing them one by one at
    interpreter shutdown costs a tenth of a second and helps nobody, so the process exits
    directly once its output is flushed (as mypy does). For the same reason the cyclic
    garbage collector stays off for the whole process: `_errors` would otherwise switch it
    back on at the end of the command, and the next allocation would start a full
    collection of that heap just before exiting (~40 ms for 1,000 HCL resources).
    In-process callers (tests, the Action's helpers) call `main` instead and keep the
    normal `SystemExit` and their collector.
    """
    import gc

    gc.disable()
    try:
        main()
        code: int = EXIT_PASS
    except SystemExit as exc:
        code = (
            exc.code
            if isinstance(exc.code, int)
            else (EXIT_PASS if exc.code is None else EXIT_ERROR)
        )
        if isinstance(exc.code, str):
            click.echo(exc.code, err=True)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = EXIT_BROKEN_PIPE
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
