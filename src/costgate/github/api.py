"""The few GitHub REST and GraphQL calls costgate makes, on `urllib` from the standard library.

Errors become `GitHubError` (exit 2) with a message that says what to fix; the token is
sent only in the Authorization header, to the configured API host, and never appears in a
message. Rate limits: when GitHub says to wait (Retry-After, or X-RateLimit-Remaining: 0
with a reset time) and the wait is short, the request is retried; otherwise the error says
when the limit resets.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

from costgate import __version__
from costgate.errors import CostgateError

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
MAX_RETRIES = 3
_NEXT_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="next"')


class GitHubError(CostgateError):
    """A GitHub API call failed; the message names the call and the likely fix."""


@dataclass(frozen=True)
class Response:
    """Status, headers and parsed JSON body of one API call."""

    status: int
    headers: Message
    data: Any

    @property
    def next_url(self) -> str | None:
        """The `rel="next"` page from the Link header, if any."""
        match = _NEXT_LINK.search(self.headers.get("Link", ""))
        return match.group(1) if match else None


def graphql_url_for(api_url: str) -> str:
    """GraphQL endpoint beside a REST base: api.github.com/graphql, or GHES's /api/graphql."""
    api_url = api_url.rstrip("/")
    if api_url.endswith("/api/v3"):
        return api_url[: -len("/v3")] + "/graphql"
    return api_url + "/graphql"


class GitHubClient:
    """A token-authenticated client for one GitHub API host."""

    def __init__(
        self,
        token: str,
        api_url: str = DEFAULT_API_URL,
        *,
        graphql_url: str | None = None,
        max_wait: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        timeout: float = 30.0,
    ) -> None:
        if not token:
            raise GitHubError(
                "no GitHub token: set GITHUB_TOKEN (in a workflow: "
                "`env: GITHUB_TOKEN: ${{ github.token }}`)"
            )
        self._token = token
        self.api_url = api_url.rstrip("/")
        self.graphql_url = graphql_url or graphql_url_for(self.api_url)
        self._origin = _origin(self.api_url)
        self._max_wait = max_wait
        self._sleep = sleep
        self._clock = clock
        self._timeout = timeout

    def __repr__(self) -> str:
        return f"GitHubClient({self.api_url!r})"

    def request(self, method: str, path: str, body: Mapping[str, Any] | None = None) -> Response:
        """Call `path` (relative to the API base, or a full URL on the same host)."""
        url = path if path.startswith(("http://", "https://")) else f"{self.api_url}{path}"
        if _origin(url) not in (self._origin, _origin(self.graphql_url)):
            raise GitHubError(
                f"refusing to send the token to {_origin(url)}: only "
                f"{self._origin} is configured (GITHUB_API_URL)"
            )
        for attempt in range(MAX_RETRIES + 1):
            try:
                return self._send(method, url, body)
            except urllib.error.HTTPError as exc:
                wait = self._rate_limit_wait(exc)
                if wait is None:
                    raise _http_error(method, url, exc) from None
                if wait > self._max_wait or attempt == MAX_RETRIES:
                    raise _rate_limited(method, url, exc, wait) from None
                self._sleep(wait)
            except urllib.error.URLError as exc:
                raise GitHubError(
                    f"cannot reach the GitHub API at {self._origin}: {exc.reason}"
                ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def paginate(self, path: str) -> Iterator[Any]:
        """Every item of a list endpoint, following Link: rel="next" pages."""
        url: str | None = path
        while url is not None:
            response = self.request("GET", url)
            if not isinstance(response.data, list):
                raise GitHubError(f"GitHub returned no list for GET {_path(url)}")
            yield from response.data
            url = response.next_url

    def graphql(self, query: str, variables: Mapping[str, Any]) -> Any:
        """Run a GraphQL query or mutation; GraphQL-level errors raise too."""
        data = self.request(
            "POST", self.graphql_url, {"query": query, "variables": dict(variables)}
        ).data
        if not isinstance(data, dict) or data.get("errors"):
            errors = data.get("errors") if isinstance(data, dict) else None
            detail = "; ".join(str(e.get("message", e)) for e in errors or ()) or "no data"
            raise GitHubError(f"GitHub GraphQL call failed: {detail}")
        return data.get("data")

    def _send(self, method: str, url: str, body: Mapping[str, Any] | None) -> Response:
        payload = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(
            url,
            data=payload,
            method=method,
            headers={
                "Accept": "application/vnd.github+json",
                "Authorization": f"Bearer {self._token}",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": f"costgate/{__version__}",
                **({"Content-Type": "application/json"} if payload is not None else {}),
            },
        )
        with urllib.request.urlopen(request, timeout=self._timeout) as handle:
            raw = handle.read()
            return Response(handle.status, handle.headers, json.loads(raw) if raw else None)

    def _rate_limit_wait(self, exc: urllib.error.HTTPError) -> float | None:
        """Seconds GitHub asks us to wait, or None when the error is not a rate limit."""
        if exc.code not in (403, 429):
            return None
        headers = exc.headers
        retry_after = headers.get("Retry-After")
        if retry_after is not None and retry_after.strip().isdigit():
            return float(retry_after)
        if headers.get("X-RateLimit-Remaining") == "0":
            reset = headers.get("X-RateLimit-Reset", "")
            return max(0.0, float(reset) - self._clock()) if reset.isdigit() else 60.0
        return 60.0 if exc.code == 429 else None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _path(url: str) -> str:
    return urlsplit(url).path


def _message(exc: urllib.error.HTTPError) -> str:
    try:
        data = json.loads(exc.read() or b"null")
    except (ValueError, OSError):
        return exc.reason or ""
    if isinstance(data, dict) and data.get("message"):
        return str(data["message"])
    return str(exc.reason or "")


def _http_error(method: str, url: str, exc: urllib.error.HTTPError) -> GitHubError:
    call = f"{method} {_path(url)}"
    detail = _message(exc)
    hints = {
        401: "the token was rejected; check that GITHUB_TOKEN holds a valid, unexpired token",
        403: "the token lacks permission; a workflow needs `permissions: pull-requests: write` "
        "(pull requests from forks get a read-only token: comment from a "
        "`workflow_run` job instead)",
        404: "the repository, pull request or comment does not exist, or the token cannot "
        "see it (check the repository name and the token's access)",
        422: "GitHub rejected the request's content",
    }
    hint = hints.get(exc.code, "unexpected response")
    return GitHubError(f"GitHub API {call} failed with {exc.code} ({detail}): {hint}")


def _rate_limited(method: str, url: str, exc: urllib.error.HTTPError, wait: float) -> GitHubError:
    return GitHubError(
        f"GitHub API rate limit hit on {method} {_path(url)} ({exc.code}); GitHub asks to wait "
        f"{int(wait)} s, more than costgate waits; re-run the job later"
    )
