"""The GitHub client's HTTP limits (issue 17, item 2), against servers on 127.0.0.1 only.

A second loopback server on another port is "another host": the token must not reach it.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from costgate.cli import main
from costgate.github.api import MAX_PAGES, GitHubClient, GitHubError
from tests.helpers.fake_github import TOKEN
from tests.helpers.loopback import LoopbackServer, Request, Response


def test_a_redirect_to_another_host_gets_no_authorization() -> None:
    with LoopbackServer({"/landing": Response(body=[{"id": 1}])}) as other:
        routes = {
            "/repos/o/r/issues/1/comments": Response(
                302, headers={"Location": other.url + "/landing"}
            )
        }
        with LoopbackServer(routes) as api:
            items = list(GitHubClient(TOKEN, api.url).paginate("/repos/o/r/issues/1/comments"))
    assert items == [{"id": 1}]
    assert api.requests[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert [r.path for r in other.requests] == ["/landing"]
    assert "authorization" not in other.requests[0].headers
    assert all(TOKEN not in str(r.headers) for r in other.requests)


def test_a_redirect_on_the_same_host_keeps_the_token_and_post_becomes_get() -> None:
    def app(request: Request) -> Response:
        if request.path == "/old":
            return Response(301, headers={"Location": "/new"})
        return Response(body={"method": request.method})

    with LoopbackServer(app) as api:
        client = GitHubClient(TOKEN, api.url)
        assert client.request("GET", "/old").data == {"method": "GET"}
        assert client.request("POST", "/old", {"a": 1}).data == {"method": "GET"}
    assert {r.headers.get("authorization") for r in api.requests} == {f"Bearer {TOKEN}"}


def test_a_redirect_loop_stops() -> None:
    with LoopbackServer({"/a": Response(307, headers={"Location": "/a"})}) as api:
        with pytest.raises(GitHubError, match="redirected more than 5 times"):
            GitHubClient(TOKEN, api.url).request("GET", "/a")
    assert len(api.requests) == 6


def test_a_self_referencing_next_link_stops_at_once() -> None:
    def app(request: Request) -> Response:
        return Response(
            body=[{"id": 1}], headers={"Link": f'<{request.base_url}{request.target}>; rel="next"'}
        )

    with LoopbackServer(app) as api:
        start = time.monotonic()
        with pytest.raises(GitHubError, match="repeats a page"):
            list(GitHubClient(TOKEN, api.url).paginate("/repos/o/r/issues/1/comments?per_page=100"))
        assert time.monotonic() - start < 5
    assert len(api.requests) == 1


def test_endless_next_pages_stop_at_the_page_limit() -> None:
    def app(request: Request) -> Response:
        page = int(request.query.get("page", ["1"])[0])
        link = f'<{request.base_url}/items?page={page + 1}>; rel="next"'
        return Response(body=[{"page": page}], headers={"Link": link})

    with LoopbackServer(app) as api:
        start = time.monotonic()
        with pytest.raises(GitHubError, match=f"more than {MAX_PAGES} pages"):
            list(GitHubClient(TOKEN, api.url).paginate("/items"))
        assert time.monotonic() - start < 20
    assert len(api.requests) == MAX_PAGES


@pytest.mark.parametrize("declared", [True, False])
def test_an_oversized_body_is_refused(declared: bool) -> None:
    big = Response(body=b"[" + b'"x",' * 300_000 + b'"x"]', content_length=declared)
    with LoopbackServer({"/big": big}) as api:
        client = GitHubClient(TOKEN, api.url, max_body=1_000_000)
        with pytest.raises(GitHubError, match="returned more than 1,000,000 bytes"):
            client.request("GET", "/big")


def test_a_slow_server_times_out() -> None:
    with LoopbackServer({"/slow": Response(body=[], delay=1.0)}) as api:
        with pytest.raises(GitHubError, match=r"timed out|cannot reach"):
            GitHubClient(TOKEN, api.url, timeout=0.2).request("GET", "/slow")


def test_limits_exit_2_from_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def app(request: Request) -> Response:
        if request.path == "/user":
            return Response(body={"login": "costgate"})
        return Response(
            body=[], headers={"Link": f'<{request.base_url}{request.target}>; rel="next"'}
        )

    body = tmp_path / "comment.md"
    body.write_text("report", encoding="utf-8")
    with LoopbackServer(app) as api:
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        monkeypatch.setenv("GITHUB_API_URL", api.url)
        result = CliRunner().invoke(
            main, ["comment", "github", "--body-file", str(body), "--repo", "o/r", "--pr", "1"]
        )
    assert result.exit_code == 2, result.output
    assert "repeats a page" in result.output
