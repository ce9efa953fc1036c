"""`costgate comment github` against a GitHub stand-in on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from costgate.cli import main
from costgate.github.api import GitHubClient, GitHubError, graphql_url_for
from costgate.github.comment import marker
from tests.helpers.fake_github import TOKEN, Failure, FakeGitHub

PR = 7
MARK = marker("default")


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeGitHub]:
    with FakeGitHub() as fake:
        event = tmp_path / "event.json"
        event.write_text(json.dumps({"action": "synchronize", "pull_request": {"number": PR}}))
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        monkeypatch.setenv("GITHUB_API_URL", fake.url)
        monkeypatch.setenv("GITHUB_GRAPHQL_URL", fake.graphql_url)
        monkeypatch.setenv("GITHUB_REPOSITORY", "o/r")
        monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
        yield fake


def post(tmp_path: Path, body: str, *args: str) -> Result:
    body_file = tmp_path / "comment.md"
    body_file.write_text(body)
    result = CliRunner().invoke(
        main, ["comment", "github", "--body-file", str(body_file), *args], catch_exceptions=False
    )
    assert TOKEN not in result.output
    return result


def calls(fake: FakeGitHub) -> list[tuple[str, str]]:
    return [(r.method, r.path.split("?")[0]) for r in fake.requests]


def test_create_then_update_keeps_a_single_comment(github: FakeGitHub, tmp_path: Path) -> None:
    first = post(tmp_path, "## costgate: +$10.00 / month\n")
    assert first.exit_code == 0, first.output
    assert "created comment https://github.example/o/r/pull/7#issuecomment-" in first.output
    second = post(tmp_path, "## costgate: +$20.00 / month\n")
    assert second.exit_code == 0, second.output
    assert "updated comment" in second.output
    comments = github.on_pr(PR)
    assert len(comments) == 1
    assert comments[0]["body"] == f"{MARK}\n## costgate: +$20.00 / month\n"
    assert calls(github) == [
        ("GET", "/user"),
        ("GET", "/repos/o/r/issues/7/comments"),
        ("POST", "/repos/o/r/issues/7/comments"),
        ("GET", "/user"),
        ("GET", "/repos/o/r/issues/7/comments"),
        ("PATCH", f"/repos/o/r/issues/comments/{comments[0]['id']}"),
    ]
    auth = {r.headers["authorization"] for r in github.requests}
    assert auth == {f"Bearer {TOKEN}"}
    assert {r.headers["x-github-api-version"] for r in github.requests} == {"2022-11-28"}


def test_the_marked_comment_is_found_on_a_later_page(github: FakeGitHub, tmp_path: Path) -> None:
    github.per_page_cap = 2  # the server pages by 2 whatever costgate asks for
    for i in range(4):
        github.add_comment(PR, f"review comment {i}")
    mine = github.add_comment(PR, f"{MARK}\nold costgate report", user="costgate")
    github.add_comment(PR, "later review comment")
    github.add_comment(PR + 1, f"{MARK}\nanother pull request's report")
    result = post(tmp_path, "new report")
    assert result.exit_code == 0, result.output
    pages = [r.path for r in github.requests if r.method == "GET" and r.path != "/user"]
    assert pages == [
        "/repos/o/r/issues/7/comments?per_page=100",
        "/repos/o/r/issues/7/comments?per_page=2&page=2",
        "/repos/o/r/issues/7/comments?per_page=2&page=3",
    ]
    assert github.comments[mine["id"]]["body"] == f"{MARK}\nnew report"
    assert len(github.on_pr(PR)) == 6
    assert github.on_pr(PR + 1)[0]["body"].endswith("another pull request's report")


def test_mode_new_always_adds_a_comment(github: FakeGitHub, tmp_path: Path) -> None:
    assert post(tmp_path, "one", "--mode", "new").exit_code == 0
    assert post(tmp_path, "two", "--mode", "new").exit_code == 0
    assert [c["body"] for c in github.on_pr(PR)] == [f"{MARK}\none", f"{MARK}\ntwo"]
    assert ("GET", "/repos/o/r/issues/7/comments") not in calls(github)


def test_delete_and_new_removes_only_costgate_comments(github: FakeGitHub, tmp_path: Path) -> None:
    other = github.add_comment(PR, "human review")
    old = [github.add_comment(PR, f"{MARK}\nold {i}", user="costgate") for i in range(2)]
    result = post(tmp_path, "fresh", "--mode", "delete-and-new")
    assert result.exit_code == 0, result.output
    assert "2 old comment(s) deleted" in result.output
    assert [c["body"] for c in github.on_pr(PR)] == ["human review", f"{MARK}\nfresh"]
    assert other["id"] in github.comments and not any(c["id"] in github.comments for c in old)


def test_hide_and_new_minimizes_the_previous_comment(github: FakeGitHub, tmp_path: Path) -> None:
    previous = github.add_comment(PR, f"{MARK}\nprevious", user="costgate")
    result = post(tmp_path, "current", "--mode", "hide-and-new")
    assert result.exit_code == 0, result.output
    assert "1 old comment(s) hidden" in result.output
    assert github.comments[previous["id"]]["minimized"] is True
    graphql = [r for r in github.requests if r.path == "/graphql"]
    assert len(graphql) == 1
    assert graphql[0].body["variables"] == {"id": previous["node_id"]}
    assert "classifier: OUTDATED" in graphql[0].body["query"]
    assert [c["body"] for c in github.on_pr(PR)] == [f"{MARK}\nprevious", f"{MARK}\ncurrent"]


def test_separate_ids_keep_separate_comments(github: FakeGitHub, tmp_path: Path) -> None:
    assert post(tmp_path, "network stack", "--id", "network").exit_code == 0
    assert post(tmp_path, "ml stack", "--id", "ml").exit_code == 0
    assert post(tmp_path, "ml stack v2", "--id", "ml").exit_code == 0
    bodies = sorted(c["body"] for c in github.on_pr(PR))
    assert bodies == [
        "<!-- costgate-comment id=ml -->\nml stack v2",
        "<!-- costgate-comment id=network -->\nnetwork stack",
    ]


def test_short_rate_limit_wait_is_retried(github: FakeGitHub, tmp_path: Path) -> None:
    github.fail_next(
        "GET",
        r"/repos/o/r/issues/7/comments",
        Failure(429, {"Retry-After": "0"}, "secondary rate limit"),
    )
    result = post(tmp_path, "body")
    assert result.exit_code == 0, result.output
    assert calls(github)[:4] == [("GET", "/user")] + [
        ("GET", "/repos/o/r/issues/7/comments")
    ] * 2 + [("POST", "/repos/o/r/issues/7/comments")]


def test_exhausted_rate_limit_fails_with_the_wait(github: FakeGitHub, tmp_path: Path) -> None:
    github.fail_next(
        "GET",
        r"/repos/o/r/issues/7/comments",
        Failure(
            403,
            {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "9999999999"},
            "API rate limit exceeded",
        ),
    )
    result = post(tmp_path, "body")
    assert result.exit_code == 2
    assert "rate limit hit on GET /repos/o/r/issues/7/comments (403)" in result.output
    assert "re-run the job later" in result.output
    assert len(github.requests) == 2  # GET /user, then the refused list
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("status", "message", "expected"),
    [
        (404, "Not Found", "does not exist, or the token cannot see it"),
        (403, "Resource not accessible by integration", "permissions: pull-requests: write"),
    ],
)
def test_refusals_exit_2_with_a_hint(
    github: FakeGitHub, tmp_path: Path, status: int, message: str, expected: str
) -> None:
    github.fail_next("POST", r"/repos/o/r/issues/7/comments", Failure(status, {}, message))
    result = post(tmp_path, "body")
    assert result.exit_code == 2
    assert f"POST /repos/o/r/issues/7/comments failed with {status} ({message})" in result.output
    assert expected in result.output


def test_a_wrong_token_is_reported_without_echoing_it(
    github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_wrongTokenValue42")
    result = post(tmp_path, "body")
    assert result.exit_code == 2
    assert "failed with 401 (Bad credentials)" in result.output
    assert "ghp_wrongTokenValue42" not in result.output


def test_missing_token_and_missing_pull_request(
    github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    result = post(tmp_path, "body")
    assert result.exit_code == 2 and "no GitHub token: set GITHUB_TOKEN" in result.output
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    push_event = tmp_path / "push.json"
    push_event.write_text(json.dumps({"ref": "refs/heads/main"}))
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(push_event))
    result = post(tmp_path, "body")
    assert result.exit_code == 2 and "not about a pull request; pass --pr" in result.output
    assert post(tmp_path, "body", "--pr", "7").exit_code == 0
    assert [c["body"] for c in github.on_pr(PR)] == [f"{MARK}\nbody"]


def test_issue_comment_events_on_pull_requests_give_the_number(
    github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = tmp_path / "issue_comment.json"
    event.write_text(json.dumps({"issue": {"number": 9, "pull_request": {"url": "…"}}}))
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    assert post(tmp_path, "body").exit_code == 0
    assert len(github.on_pr(9)) == 1


def test_too_long_body_and_bad_marker_id(github: FakeGitHub, tmp_path: Path) -> None:
    result = post(tmp_path, "x" * 65_536)
    assert result.exit_code == 2 and "GitHub allows 65,536" in result.output
    result = post(tmp_path, "body", "--id", "no spaces --> here")
    assert result.exit_code == 2 and "must be 1-64 letters" in result.output
    assert github.requests == []


def test_unreachable_api_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeGitHub() as fake:
        closed = fake.url
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_API_URL", closed)
    result = post(tmp_path, "body", "--repo", "o/r", "--pr", "1")
    assert result.exit_code == 2
    assert f"cannot reach the GitHub API at {closed}" in result.output


def test_missing_body_file_exits_2(github: FakeGitHub, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["comment", "github", "--body-file", str(tmp_path / "absent.md")]
    )
    assert result.exit_code == 2
    assert "cannot read the comment body" in result.output


def test_the_token_is_never_sent_to_another_host() -> None:
    client = GitHubClient(TOKEN, "http://127.0.0.1:9")
    with pytest.raises(GitHubError, match=r"refusing to send the token to https://evil\.example"):
        list(client.paginate("https://evil.example/repos/o/r/issues/1/comments"))
    assert TOKEN not in repr(client)


def test_graphql_endpoint_for_github_com_and_enterprise_server() -> None:
    assert graphql_url_for("https://api.github.com") == "https://api.github.com/graphql"
    assert graphql_url_for("https://ghe.example/api/v3/") == "https://ghe.example/api/graphql"
