"""The sticky pull-request comment: one costgate comment per pull request, kept current.

The comment carries a hidden HTML marker, so later runs find it among the pull
request's comments. Modes, as peers (sticky-comment actions) offer them:

- `update`: edit the latest marked comment in place, or create one (the default);
- `new`: always add a comment;
- `delete-and-new`: delete every marked comment, then add one (the new one notifies);
- `hide-and-new`: minimize the latest marked comment as outdated (GraphQL
  `minimizeComment`), then add one; earlier ones were hidden by earlier runs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from costgate.errors import ConfigError
from costgate.github import MODES
from costgate.github.api import GitHubClient, GitHubError

COMMENT_LIMIT = 65_536
_MARKER_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")

MINIMIZE = """
mutation($id: ID!) {
  minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) {
    minimizedComment { isMinimized }
  }
}
"""


@dataclass(frozen=True)
class CommentResult:
    """What the call did: created or updated a comment, and how many old ones it removed."""

    action: str
    url: str
    deleted: int = 0
    hidden: int = 0


def marker(marker_id: str) -> str:
    """The hidden line that identifies costgate's comment (one per `marker_id`)."""
    if not _MARKER_ID.match(marker_id):
        raise ConfigError(f"comment id {marker_id!r} must be 1-64 letters, digits, '.', '_' or '-'")
    return f"<!-- costgate-comment id={marker_id} -->"


def pull_request_number(event_path: Path) -> int:
    """The pull request number from a workflow's event payload (GITHUB_EVENT_PATH)."""
    try:
        event = json.loads(event_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the workflow event: {exc}", path=str(event_path)) from None
    number: Any = None
    if isinstance(event, dict):
        if isinstance(event.get("pull_request"), dict):
            number = event["pull_request"].get("number")
        elif isinstance(event.get("issue"), dict) and event["issue"].get("pull_request"):
            number = event["issue"].get("number")
    if not isinstance(number, int):
        raise ConfigError(
            "the workflow event is not about a pull request; pass --pr NUMBER", path=str(event_path)
        )
    return number


def check_repository(repo: str) -> str:
    """`owner/name`, or a ConfigError saying what was expected."""
    if not _REPO.match(repo):
        raise ConfigError(f"repository {repo!r} is not of the form owner/name")
    return repo


def post_comment(
    client: GitHubClient,
    repo: str,
    number: int,
    body: str,
    *,
    mode: str = "update",
    marker_id: str = "default",
) -> CommentResult:
    """Create or update costgate's comment on pull request *number* of *repo*."""
    if mode not in MODES:
        raise ConfigError(f"unknown comment mode {mode!r}; expected one of {', '.join(MODES)}")
    tag = marker(marker_id)
    text = f"{tag}\n{body}"
    if len(text) > COMMENT_LIMIT:
        raise ConfigError(
            f"the comment is {len(text):,} characters; GitHub allows "
            f"{COMMENT_LIMIT:,} (render it with `--format markdown`, which fits)"
        )
    issue = f"/repos/{check_repository(repo)}/issues"
    mine = (
        []
        if mode == "new"
        else [
            c
            for c in client.paginate(f"{issue}/{number}/comments?per_page=100")
            if tag in str(c.get("body") or "")
        ]
    )
    if mode == "update" and mine:
        latest = mine[-1]
        updated = client.request("PATCH", f"{issue}/comments/{latest['id']}", {"body": text})
        return CommentResult("updated", _url(updated.data))
    deleted = hidden = 0
    if mode == "delete-and-new":
        for comment in mine:
            client.request("DELETE", f"{issue}/comments/{comment['id']}")
            deleted += 1
    if mode == "hide-and-new" and mine:
        client.graphql(MINIMIZE, {"id": mine[-1]["node_id"]})
        hidden = 1
    created = client.request("POST", f"{issue}/{number}/comments", {"body": text})
    return CommentResult("created", _url(created.data), deleted, hidden)


def _url(data: Any) -> str:
    if not isinstance(data, dict):
        raise GitHubError("GitHub returned no comment in its response")
    return str(data.get("html_url") or data.get("url") or "")
