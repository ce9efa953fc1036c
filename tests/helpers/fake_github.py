"""A small GitHub API on 127.0.0.1: issue comments, GET /user, a pull request's head, and
GraphQL minimizeComment and viewer, and SARIF uploads to code scanning.

The token acts as `login` (`user_endpoint=False` answers GET /user with 403, as GitHub does
for a workflow's installation token; `viewer_login` is then what GraphQL says). Editing or
deleting another account's comment is refused with 403, as GitHub refuses it. It keeps
comments in memory, paginates lists with Link headers like GitHub does, checks
the bearer token, and records every request so tests can assert what was sent. Failures
(rate limits, 403/404) are queued per path with `fail_next`. It is served by the shared
loopback server (tests/helpers/loopback.py).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.helpers.loopback import LoopbackServer, Request, Response

TOKEN = "ghs_fakeTokenForTests0123456789abcdef"


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class Failure:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    message: str = "failure"


class FakeGitHub:
    """State and behaviour; `url` is the REST base, `graphql_url` the GraphQL endpoint."""

    def __init__(self, per_page_cap: int = 100, login: str = "costgate") -> None:
        self.login = login
        self.user_endpoint = True
        self.viewer_login: str | None = login
        self.heads: dict[int, str] = {}
        self.comments: dict[int, dict[str, Any]] = {}
        self.requests: list[Recorded] = []
        self.failures: list[tuple[str, str, Failure]] = []
        self.per_page_cap = per_page_cap
        self.read_only = False
        """A fork's or Dependabot's token: every write answers 403."""
        self.sarifs: list[Any] = []
        self._next_id = 1000
        self._lock = threading.Lock()
        self.server = LoopbackServer(self._respond)
        self.url = self.server.url
        self.graphql_url = self.url + "/graphql"

    def __enter__(self) -> FakeGitHub:
        self.server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.__exit__(*exc)

    def add_comment(
        self, pr: int, body: str, user: str = "someone", user_type: str = "User"
    ) -> dict[str, Any]:
        with self._lock:
            self._next_id += 1
            cid = self._next_id
            comment = {
                "id": cid,
                "node_id": f"IC_node{cid}",
                "body": body,
                "pr": pr,
                "user": {"login": user, "type": user_type},
                "minimized": False,
                "html_url": f"https://github.example/o/r/pull/{pr}#issuecomment-{cid}",
                "url": f"{self.url}/repos/o/r/issues/comments/{cid}",
            }
            self.comments[cid] = comment
            return comment

    def fail_next(self, method: str, path_regex: str, failure: Failure) -> None:
        self.failures.append((method, path_regex, failure))

    def on_pr(self, pr: int) -> list[dict[str, Any]]:
        return [c for c in self.comments.values() if c["pr"] == pr]

    def _respond(self, request: Request) -> Response:
        body = request.json()
        self.requests.append(Recorded(request.method, request.target, dict(request.headers), body))
        status, headers, data = self.dispatch(
            request.method, request.target, request.headers.get("authorization"), body
        )
        return Response(status, data, headers)

    def dispatch(
        self, method: str, target: str, auth: str | None, body: Any
    ) -> tuple[int, dict[str, str], Any]:
        url = urlsplit(target)
        for i, (m, pattern, failure) in enumerate(self.failures):
            if m == method and re.fullmatch(pattern, url.path):
                del self.failures[i]
                return failure.status, failure.headers, {"message": failure.message}
        if auth != f"Bearer {TOKEN}":
            return 401, {}, {"message": "Bad credentials"}
        if self.read_only and (
            method in ("PATCH", "DELETE") or (method == "POST" and url.path != "/graphql")
        ):
            return 403, {}, {"message": "Resource not accessible by integration"}
        if method == "POST" and url.path == "/repos/o/r/code-scanning/sarifs":
            self.sarifs.append(body)
            return 202, {}, {"id": f"sarif-{len(self.sarifs)}"}
        if method == "POST" and url.path == "/graphql":
            return self._graphql(body)
        if method == "GET" and url.path == "/user":
            if not self.user_endpoint:
                return 403, {}, {"message": "Resource not accessible by integration"}
            return 200, {}, {"login": self.login, "type": "User"}
        if match := re.fullmatch(r"/repos/o/r/pulls/(\d+)", url.path):
            pr = int(match.group(1))
            return 200, {}, {"number": pr, "head": {"sha": self.heads.get(pr, "0" * 40)}}
        if match := re.fullmatch(r"/repos/o/r/issues/(\d+)/comments", url.path):
            pr = int(match.group(1))
            if method == "GET":
                return self._list(pr, url.query)
            if method == "POST":
                added = self.add_comment(pr, body["body"], user=self.login)
                return 201, {}, self._public(added)
        if match := re.fullmatch(r"/repos/o/r/issues/comments/(\d+)", url.path):
            comment = self.comments.get(int(match.group(1)))
            if comment is None:
                return 404, {}, {"message": "Not Found"}
            if method in ("PATCH", "DELETE") and comment["user"]["login"] != self.login:
                return 403, {}, {"message": "Resource not accessible by integration"}
            if method == "PATCH":
                comment["body"] = body["body"]
                return 200, {}, self._public(comment)
            if method == "DELETE":
                del self.comments[comment["id"]]
                return 204, {}, None
        return 404, {}, {"message": "Not Found"}

    def _list(self, pr: int, query: str) -> tuple[int, dict[str, str], Any]:
        params = parse_qs(query)
        per_page = min(int(params.get("per_page", ["30"])[0]), self.per_page_cap)
        page = int(params.get("page", ["1"])[0])
        items = sorted(self.on_pr(pr), key=lambda c: c["id"])
        chunk = items[(page - 1) * per_page : page * per_page]
        headers = {}
        if page * per_page < len(items):
            base = f"{self.url}/repos/o/r/issues/{pr}/comments"
            headers["Link"] = (
                f'<{base}?per_page={per_page}&page={page + 1}>; rel="next", '
                f'<{base}?per_page={per_page}&page=1>; rel="first"'
            )
        return 200, headers, [self._public(c) for c in chunk]

    def _graphql(self, body: Any) -> tuple[int, dict[str, str], Any]:
        if "viewer" in body["query"]:
            if self.viewer_login is None:
                return 200, {}, {"data": None, "errors": [{"message": "viewer unavailable"}]}
            return 200, {}, {"data": {"viewer": {"login": self.viewer_login}}}
        if "minimizeComment" not in body["query"]:
            return 200, {}, {"errors": [{"message": "unsupported query"}]}
        node = body["variables"]["id"]
        found = next((c for c in self.comments.values() if c["node_id"] == node), None)
        if found is None:
            return 200, {}, {"data": None, "errors": [{"message": f"Could not resolve {node}"}]}
        found["minimized"] = True
        return 200, {}, {"data": {"minimizeComment": {"minimizedComment": {"isMinimized": True}}}}

    @staticmethod
    def _public(comment: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in comment.items() if k not in ("pr", "minimized")}
