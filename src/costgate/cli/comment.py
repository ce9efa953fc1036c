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
        raise ConfigError(f"cannot read the comment body: {exc.strerror}", path=body_file) from None
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
