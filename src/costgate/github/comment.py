"""The sticky pull-request comment: one costgate comment per pull request, kept current.

The comment's first line is a hidden HTML marker naming the comment id, the project
(name or path) and the head commit it reports on:

    <!-- costgate-comment id=default project=infra/prod sha=0123abc... -->

Later runs look for their marker, and trust it only on comments written by the token's own
account (GET /user; for an installation token, GraphQL `viewer`): anyone can paste the
marker into a comment of their own, and such a comment is left alone. A run for an older
commit never overwrites the comment of the pull request's current head (asked from the
API). Modes, as peers (sticky-comment actions) offer them:

- `update`: edit the latest marked comment in place (not at all when the text is the same),
  or create one (the default);
- `new`: always add a comment;
- `delete-and-new`: delete every marked comment, then add one (the new one notifies);
- `hide-and-new`: minimize the latest marked comment as outdated (GraphQL
  `minimizeComment`), then add one; earlier ones were hidden by earlier runs.

A report with no cost change starts with `NO_CHANGE`; `on_no_change` then posts it, skips
it, or deletes the old comment.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from costgate.errors import ConfigError
from costgate.github import MODES
from costgate.github.api import GitHubClient, GitHubError
from costgate.report.escape import markdown_text
from costgate.report.markdown import NO_CHANGE

NO_CHANGE_ACTIONS = ("post", "skip", "delete")
ACTIONS_BOT = "github-actions[bot]"
_SHA = re.compile(r"^[0-9a-f]{7,64}$")
_PROJECT_SAFE = "/._-"
_MARKER = re.compile(
    r"^<!-- costgate-comment id=(?P<id>[A-Za-z0-9._-]{1,64})"
    r"(?: project=(?P<project>[A-Za-z0-9._/%-]{1,600}))?"
    r"(?: sha=(?P<sha>[0-9a-f]{7,64}))? -->$"
)
VIEWER = "query { viewer { login } }"
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
    """What the call did (created, updated, unchanged, skipped, deleted) and why."""

    action: str
    url: str
    deleted: int = 0
    hidden: int = 0
    notices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Marker:
    """The identity a comment carries: id and project select it, sha orders the runs."""

    id: str
    project: str = ""
    sha: str = ""

    def line(self) -> str:
        """The hidden first line; the project is percent-encoded (no `--`, no spaces)."""
        project = f" project={quote(self.project, safe=_PROJECT_SAFE).replace('-', '%2D')}"
        sha = f" sha={self.sha}" if self.sha else ""
        return f"<!-- costgate-comment id={self.id}{project if self.project else ''}{sha} -->"

    def same_comment(self, other: Marker) -> bool:
        """True when *other* marks the comment this run keeps current."""
        return (self.id, self.project) == (other.id, other.project)

    @classmethod
    def of(cls, body: str) -> Marker | None:
        """The marker on a comment's first line, if it has one."""
        match = _MARKER.match(body.split("\n", 1)[0].rstrip("\r"))
        if match is None:
            return None
        return cls(match["id"], unquote(match["project"] or ""), match["sha"] or "")


def marker(marker_id: str, project: str = "", sha: str = "") -> str:
    """The hidden line that identifies costgate's comment (one per id and project)."""
    if not _MARKER_ID.match(marker_id):
        raise ConfigError(f"comment id {marker_id!r} must be 1-64 letters, digits, '.', '_' or '-'")
    sha = sha.lower()
    if sha and not _SHA.match(sha):
        raise ConfigError(f"commit {sha!r} is not a hexadecimal commit SHA")
    line = Marker(marker_id, project, sha).line()
    if Marker.of(line) != Marker(marker_id, project, sha):
        raise ConfigError(f"project {project[:40]!r} is too long for the comment's marker")
    return line


def error_body(message: str) -> str:
    """The comment of a run that failed: it replaces the verdict, which no longer holds."""
    return (
        "## costgate: error\n\n"
        "❌ **ERROR**: costgate could not check this commit, so no cost verdict applies "
        "to it (the previous one is replaced).\n\n"
        f"> {markdown_text(message.strip()[:4000])}\n"
    )


def _event(event_path: Path) -> Any:
    try:
        return json.loads(event_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the workflow event: {exc}", path=str(event_path)) from None


def pull_request_head(event_path: Path) -> str:
    """The pull request's head commit from the event payload ('' for other events)."""
    event = _event(event_path)
    pull = event.get("pull_request") if isinstance(event, dict) else None
    head = pull.get("head") if isinstance(pull, dict) else None
    sha = head.get("sha") if isinstance(head, dict) else None
    return sha if isinstance(sha, str) and _SHA.match(sha) else ""


def pull_request_number(event_path: Path) -> int:
    """The pull request number from a workflow's event payload (GITHUB_EVENT_PATH)."""
    event = _event(event_path)
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


def token_login(client: GitHubClient) -> tuple[str, tuple[str, ...]]:
    """The account the token acts as, and notices about how it was found.

    GET /user answers for user tokens; an installation token (a workflow's GITHUB_TOKEN,
    an app) gets 403 there and is asked through GraphQL `viewer`. In a workflow where
    neither answers, the Actions bot is assumed, with a notice.
    """
    try:
        data = client.request("GET", "/user").data
        if isinstance(data, dict) and isinstance(data.get("login"), str):
            return data["login"], ()
    except GitHubError as exc:
        if exc.status != 403:
            raise
    try:
        viewer = client.graphql(VIEWER, {})
        login = viewer.get("viewer", {}).get("login") if isinstance(viewer, dict) else None
        if isinstance(login, str) and login:
            # an installation token acts as the app's bot, `name[bot]` on its comments;
            # no person's login can hold brackets, so a user `name` never matches
            return (login if login.endswith("[bot]") else f"{login}[bot]"), ()
    except GitHubError:
        pass
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return ACTIONS_BOT, (
            f"cannot ask GitHub which account the token is; assuming {ACTIONS_BOT} "
            "(pass --author LOGIN otherwise)",
        )
    raise ConfigError(
        "cannot tell which account the GitHub token belongs to (GET /user and GraphQL "
        "viewer both refused); pass --author LOGIN, the account costgate comments as"
    )


def _written_by(comment: dict[str, Any], login: str) -> bool:
    user = comment.get("user")
    return isinstance(user, dict) and str(user.get("login") or "").lower() == login.lower()


def post_comment(
    client: GitHubClient,
    repo: str,
    number: int,
    body: str,
    *,
    mode: str = "update",
    marker_id: str = "default",
    project: str = "",
    sha: str = "",
    author: str | None = None,
    on_no_change: str = "post",
) -> CommentResult:
    """Create or update costgate's comment on pull request *number* of *repo*."""
    if mode not in MODES:
        raise ConfigError(f"unknown comment mode {mode!r}; expected one of {', '.join(MODES)}")
    if on_no_change not in NO_CHANGE_ACTIONS:
        raise ConfigError(
            f"unknown no-change action {on_no_change!r}; expected one of "
            f"{', '.join(NO_CHANGE_ACTIONS)}"
        )
    tag = marker(marker_id, project, sha)
    ours = Marker(marker_id, project, sha.lower())
    text = f"{tag}\n{body}"
    if len(text) > COMMENT_LIMIT:
        raise ConfigError(
            f"the comment is {len(text):,} characters; GitHub allows "
            f"{COMMENT_LIMIT:,} (render it with `--format markdown`, which fits)"
        )
    issue = f"/repos/{check_repository(repo)}/issues"
    no_change = body.startswith(NO_CHANGE) and on_no_change != "post"
    if mode == "new" and not no_change:
        created = client.request("POST", f"{issue}/{number}/comments", {"body": text})
        return CommentResult("created", _url(created.data))
    login, notices = (author, ()) if author else token_login(client)
    mine: list[dict[str, Any]] = []
    foreign = 0
    for comment in client.paginate(f"{issue}/{number}/comments?per_page=100"):
        found = Marker.of(str(comment.get("body") or ""))
        if found is None or not ours.same_comment(found):
            continue
        if _written_by(comment, login):
            mine.append(comment)
        else:
            foreign += 1
    if foreign:
        notices += (
            f"ignored {foreign} comment(s) that carry costgate's marker but were not "
            f"written by {login}",
        )
    if mine and ours.sha:
        latest = Marker.of(str(mine[-1].get("body") or ""))
        if latest is not None and latest.sha and latest.sha != ours.sha:
            head = _head_sha(client, repo, number)
            if head == latest.sha:
                return CommentResult(
                    "skipped",
                    _url(mine[-1]),
                    notices=(
                        *notices,
                        f"left the comment for commit {latest.sha[:12]}, the pull request's "
                        f"head: this run is for the older commit {ours.sha[:12]}",
                    ),
                )
    if no_change:
        deleted = 0
        if on_no_change == "delete":
            for comment in mine:
                client.request("DELETE", f"{issue}/comments/{comment['id']}")
                deleted += 1
        return CommentResult(
            "deleted" if deleted else "skipped",
            "",
            deleted,
            notices=(*notices, "no cost change: no comment posted"),
        )
    if mode == "update" and mine:
        latest_comment = mine[-1]
        if str(latest_comment.get("body") or "") == text:
            return CommentResult("unchanged", _url(latest_comment), notices=notices)
        updated = client.request(
            "PATCH", f"{issue}/comments/{latest_comment['id']}", {"body": text}
        )
        return CommentResult("updated", _url(updated.data), notices=notices)
    deleted = hidden = 0
    if mode == "delete-and-new":
        for comment in mine:
            client.request("DELETE", f"{issue}/comments/{comment['id']}")
            deleted += 1
    if mode == "hide-and-new" and mine:
        client.graphql(MINIMIZE, {"id": mine[-1]["node_id"]})
        hidden = 1
    created = client.request("POST", f"{issue}/{number}/comments", {"body": text})
    return CommentResult("created", _url(created.data), deleted, hidden, notices)


def _head_sha(client: GitHubClient, repo: str, number: int) -> str:
    data = client.request("GET", f"/repos/{repo}/pulls/{number}").data
    head = data.get("head") if isinstance(data, dict) else None
    sha = head.get("sha") if isinstance(head, dict) else None
    return str(sha or "").lower()


def _url(data: Any) -> str:
    if not isinstance(data, dict):
        raise GitHubError("GitHub returned no comment in its response")
    return str(data.get("html_url") or data.get("url") or "")
