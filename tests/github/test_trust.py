"""Sticky comments that can be trusted (issue 17, item 6), against the fake GitHub on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from costgate.cli import main
from costgate.errors import ConfigError
from costgate.github.comment import Marker, marker
from costgate.report.markdown import NO_CHANGE
from tests.helpers.fake_github import TOKEN, FakeGitHub

PR = 7
OLD = "a" * 40
NEW = "b" * 40


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeGitHub]:
    with FakeGitHub() as fake:
        event = tmp_path / "event.json"
        event.write_text(
            json.dumps({"pull_request": {"number": PR, "head": {"sha": NEW}}}), encoding="utf-8"
        )
        fake.heads[PR] = NEW
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        monkeypatch.setenv("GITHUB_API_URL", fake.url)
        monkeypatch.setenv("GITHUB_GRAPHQL_URL", fake.graphql_url)
        monkeypatch.setenv("GITHUB_REPOSITORY", "o/r")
        monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
        monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
        yield fake


def post(tmp_path: Path, body: str, *args: str) -> Result:
    body_file = tmp_path / "comment.md"
    body_file.write_text(body, encoding="utf-8")
    result = CliRunner().invoke(main, ["comment", "github", "--body-file", str(body_file), *args])
    assert TOKEN not in result.output
    return result


def writes(fake: FakeGitHub) -> list[str]:
    return [r.method for r in fake.requests if r.method in ("POST", "PATCH", "DELETE")]


def test_marker_names_project_and_commit_and_round_trips() -> None:
    line = marker("default", "infra/prod -- x<y", NEW)
    assert line.startswith("<!-- costgate-comment id=default project=infra/prod")
    assert line.count("--") == 2  # only the comment's own delimiters
    assert Marker.of(line + "\nbody") == Marker("default", "infra/prod -- x<y", NEW)
    assert Marker.of("<!-- costgate-comment id=default -->") == Marker("default")
    assert Marker.of("text <!-- costgate-comment id=default -->") is None
    long = "données/" * 20
    assert Marker.of(marker("default", long)) == Marker("default", long)
    with pytest.raises(ConfigError, match="too long"):
        marker("default", "é" * 200)


def test_another_users_marked_comment_is_left_alone_and_ours_updated(
    github: FakeGitHub, tmp_path: Path
) -> None:
    ours = github.add_comment(PR, f"{marker('default', sha=OLD)}\nold report", user="costgate")
    planted = github.add_comment(PR, f"{marker('default')}\nPASS $0.00 (fake)", user="mallory")
    result = post(tmp_path, "fresh report")
    assert result.exit_code == 0, result.output
    assert "updated comment" in result.output
    assert "ignored 1 comment(s) that carry costgate's marker" in result.stderr
    assert github.comments[planted["id"]]["body"].endswith("PASS $0.00 (fake)")
    assert github.comments[ours["id"]]["body"] == f"{marker('default', sha=NEW)}\nfresh report"
    assert writes(github) == ["PATCH"]


def test_only_a_foreign_marked_comment_means_a_new_comment(
    github: FakeGitHub, tmp_path: Path
) -> None:
    github.add_comment(PR, f"{marker('default')}\nplanted", user="mallory")
    result = post(tmp_path, "report")
    assert result.exit_code == 0, result.output
    assert "created comment" in result.output  # not a 403 on someone else's comment
    assert [c["user"]["login"] for c in github.on_pr(PR)] == ["mallory", "costgate"]


def test_an_older_commits_run_does_not_overwrite_the_heads_comment(
    github: FakeGitHub, tmp_path: Path
) -> None:
    newer = github.add_comment(PR, f"{marker('default', sha=NEW)}\nhead report", user="costgate")
    result = post(tmp_path, "stale report", "--sha", OLD)
    assert result.exit_code == 0, result.output
    assert "skipped comment" in result.output
    assert f"for commit {NEW[:12]}, the pull request's head" in result.stderr
    assert github.comments[newer["id"]]["body"].endswith("head report")
    assert writes(github) == []
    # the head's own run, and a newer run over an older comment, do update
    github.heads[PR] = "c" * 40
    assert post(tmp_path, "newest", "--sha", "c" * 40).exit_code == 0
    assert github.comments[newer["id"]]["body"].endswith("newest")


def test_an_error_run_replaces_the_verdict(github: FakeGitHub, tmp_path: Path) -> None:
    ours = github.add_comment(PR, f"{marker('default', sha=OLD)}\n✅ **PASS**", user="costgate")
    result = CliRunner().invoke(
        main, ["comment", "github", "--error", "main.tf:3: bad <img src=x> @team\n::x"]
    )
    assert result.exit_code == 0, result.output
    body = github.comments[ours["id"]]["body"]
    assert "PASS" not in body and "**ERROR**" in body
    assert "&lt;img" in body and "@\u200bteam" in body and "\n::x" not in body
    assert body.startswith(marker("default", sha=NEW))
    both = CliRunner().invoke(main, ["comment", "github", "--error", "x", "--body-file", "-"])
    assert both.exit_code == 2 and "pass one of --body-file" in both.output


def test_an_identical_body_is_not_sent_again(github: FakeGitHub, tmp_path: Path) -> None:
    assert post(tmp_path, "same").exit_code == 0
    again = post(tmp_path, "same")
    assert again.exit_code == 0 and "unchanged comment" in again.output
    assert writes(github) == ["POST"]


@pytest.mark.parametrize(("option", "left"), [("post", 2), ("skip", 2), ("delete", 1)])
def test_no_cost_change(github: FakeGitHub, tmp_path: Path, option: str, left: int) -> None:
    github.add_comment(PR, f"{marker('default', sha=OLD)}\nold", user="costgate")
    github.add_comment(PR, "a review")
    result = post(tmp_path, f"{NO_CHANGE}\n## costgate: +$0.00 / month\n", "--on-no-change", option)
    assert result.exit_code == 0, result.output
    mine = [c for c in github.on_pr(PR) if c["user"]["login"] == "costgate"]
    assert len(mine) == (1 if option != "delete" else 0)
    assert len(github.on_pr(PR)) == left
    if option != "post":
        assert "no cost change: no comment posted" in result.stderr


def test_projects_keep_separate_comments(github: FakeGitHub, tmp_path: Path) -> None:
    assert post(tmp_path, "network", "--project", "stacks/network").exit_code == 0
    assert post(tmp_path, "ml", "--project", "stacks/ml").exit_code == 0
    assert post(tmp_path, "ml v2", "--project", "stacks/ml").exit_code == 0
    bodies = sorted(c["body"].split("\n")[1] for c in github.on_pr(PR))
    assert bodies == ["ml v2", "network"]


def test_installation_token_identity_from_graphql_viewer(
    github: FakeGitHub, tmp_path: Path
) -> None:
    github.user_endpoint = False  # a workflow's GITHUB_TOKEN: GET /user is 403
    github.login = "github-actions[bot]"
    github.viewer_login = "github-actions"
    ours = github.add_comment(
        PR, f"{marker('default')}\nold", user="github-actions[bot]", user_type="Bot"
    )
    github.add_comment(PR, f"{marker('default')}\nplanted", user="github-actions")  # a User
    result = post(tmp_path, "new")
    assert result.exit_code == 0, result.output
    assert github.comments[ours["id"]]["body"].endswith("\nnew")
    assert "ignored 1 comment(s)" in result.stderr


def test_unknown_identity_asks_for_author(
    github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    github.user_endpoint = False
    github.viewer_login = None
    result = post(tmp_path, "x")
    assert result.exit_code == 2 and "pass --author LOGIN" in result.output
    assert post(tmp_path, "x", "--author", "costgate").exit_code == 0
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    github.login = "github-actions[bot]"
    result = post(tmp_path, "y")
    assert result.exit_code == 0 and "assuming github-actions[bot]" in result.stderr


def test_several_projects_in_one_comment(github: FakeGitHub, tmp_path: Path) -> None:
    from markdown_it import MarkdownIt

    from costgate.github.combine import combined_body
    from costgate.report import markdown
    from tests.report.test_escape import CLEAN, NASTY, TICKS

    (tmp_path / "a.md").write_text(markdown.render(CLEAN), encoding="utf-8")
    (tmp_path / "b.md").write_text(markdown.render(NASTY), encoding="utf-8")
    name = "stacks/<b>@team\n# PASS"
    result = CliRunner().invoke(
        main,
        [
            "comment",
            "github",
            "--project-body",
            f"stacks/a={tmp_path / 'a.md'}",
            "--project-body",
            f"{name}={tmp_path / 'b.md'}",
        ],
    )
    assert result.exit_code == 0, result.output
    (comment,) = github.on_pr(PR)
    body = comment["body"]
    assert "## costgate: 2 projects" in body and "❌ **FAIL** (2 of 2 projects)" in body
    assert "| `stacks/a` | ❌ **FAIL** (1 error, 1 warning) | \\$123.00 / month |" in body
    tokens = MarkdownIt("commonmark").enable("table").parse(body)
    first = [t.type for t in tokens].index("table_close")
    rows = [t for t in tokens[:first] if t.type == "tr_open"]
    assert len(rows) == 3  # header and one row per project
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings.count("costgate: 2 projects") == 1 and "PASS" not in headings
    html = MarkdownIt("commonmark").enable("table").render(body)
    assert "<b>" not in html and "<img" not in html and TICKS.split("<")[0] in body
    # too long for one comment: the largest report is left out, the table stays
    big = combined_body([("a", markdown.render(CLEAN)), ("b", "x" * 70_000)], 60_000)
    assert len(big) <= 60_000 and "left out" in big and "| `b` | ? | ? |" in big
