"""`costgate comment github`: post the report as a sticky pull-request comment."""

from __future__ import annotations

import os
from pathlib import Path

import click


def _comment_modes() -> list[str]:
    from costgate.github import MODES

    return list(MODES)


@click.group("comment")
def group() -> None:
    """Post the report as a pull-request comment."""


@group.command("github")
@click.option(
    "--body-file",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Comment text, e.g. from `--format markdown` ('-' = stdin).",
)
@click.option(
    "--error",
    "error_message",
    help="Post this error instead of a report: the run failed, and the comment's previous "
    "verdict no longer applies (use instead of --body-file).",
)
@click.option(
    "--project-body",
    "project_bodies",
    multiple=True,
    metavar="NAME=FILE",
    help="One project's markdown report (repeat): the comment gets a per-project table "
    "and each report folded (instead of --body-file).",
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
@click.option(
    "--project",
    default="",
    help="Project name or path, written in the comment's marker; runs for different "
    "projects keep separate comments.",
)
@click.option(
    "--sha",
    default="",
    help="Head commit the report is for (default: the pull request's head from the "
    "workflow event). A run for an older commit never overwrites a newer one's comment.",
)
@click.option(
    "--author",
    default=None,
    help="Account the token comments as (default: asked from GitHub). Only its comments "
    "are updated.",
)
@click.option(
    "--on-no-change",
    type=click.Choice(["post", "skip", "delete"]),
    default="post",
    show_default=True,
    help="When the report shows no cost change: post it anyway, post nothing, or delete "
    "the old comment.",
)
def comment_github(
    body_file: str | None,
    error_message: str | None,
    project_bodies: tuple[str, ...],
    repo: str,
    number: int | None,
    mode: str,
    marker_id: str,
    project: str,
    sha: str,
    author: str | None,
    on_no_change: str,
) -> None:
    """Create or update costgate's sticky comment on a GitHub pull request.

    Only comments written by the token's own account are updated; a run for an older
    commit leaves a newer commit's comment alone. The token comes from $GITHUB_TOKEN, the
    API from $GITHUB_API_URL (GitHub Enterprise) and $GITHUB_GRAPHQL_URL. Exit 0 when
    posted (or deliberately not), 2 on any error.
    """
    from costgate.errors import ConfigError
    from costgate.github.api import DEFAULT_API_URL, GitHubClient
    from costgate.github.comment import (
        COMMENT_LIMIT,
        error_body,
        post_comment,
        pull_request_head,
        pull_request_number,
    )
    from costgate.report.escape import stderr_message

    if sum(map(bool, (body_file is not None, error_message is not None, project_bodies))) != 1:
        raise ConfigError(
            "pass one of --body-file (a report), --project-body (several) or --error (a failed run)"
        )
    event_path = os.environ.get("GITHUB_EVENT_PATH")
    if number is None:
        if not event_path:
            raise ConfigError(
                "no pull request: pass --pr NUMBER (or run in a "
                "pull_request workflow, which sets GITHUB_EVENT_PATH)"
            )
        number = pull_request_number(Path(event_path))
    if not sha and event_path:
        sha = pull_request_head(Path(event_path))
    if error_message is not None:
        body = error_body(error_message)
    elif project_bodies:
        from costgate.github.combine import combined_body

        parts = [_project_body(spec) for spec in project_bodies]
        body = combined_body(parts, COMMENT_LIMIT - 1024)
    else:
        assert body_file is not None
        body = _read_body(body_file)
    client = GitHubClient(
        os.environ.get("GITHUB_TOKEN", ""),
        os.environ.get("GITHUB_API_URL") or DEFAULT_API_URL,
        graphql_url=os.environ.get("GITHUB_GRAPHQL_URL") or None,
    )
    result = post_comment(
        client,
        repo,
        number,
        body,
        mode=mode,
        marker_id=marker_id,
        project=project,
        sha=sha,
        author=author,
        on_no_change=on_no_change,
    )
    for notice in result.notices:
        click.echo(f"costgate: notice: {stderr_message(notice)}", err=True)
    extra = "".join(
        f", {n} old comment(s) {what}"
        for n, what in ((result.deleted, "deleted"), (result.hidden, "hidden"))
        if n
    )
    url = f" {stderr_message(result.url)}" if result.url else ""
    click.echo(f"costgate: {result.action} comment{url}{extra}")


def _read_body(path: str) -> str:
    from costgate.errors import ConfigError

    try:
        with click.open_file(path, encoding="utf-8") as handle:
            return str(handle.read())
    except OSError as exc:
        raise ConfigError(f"cannot read the comment body: {exc.strerror}", path=path) from None


def _project_body(spec: str) -> tuple[str, str]:
    """`NAME=FILE` -> (name, the file's text)."""
    from costgate.errors import ConfigError

    name, sep, path = spec.partition("=")
    if not sep or not name or not path:
        raise ConfigError(f"--project-body {spec!r} is not NAME=FILE")
    return name, _read_body(path)
