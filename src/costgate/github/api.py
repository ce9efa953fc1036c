"""The few GitHub REST and GraphQL calls costgate makes, on `urllib` from the standard library.

Errors become `GitHubError` (exit 2) with a message that says what to fix; the token is
sent only in the Authorization header, to the configured API host, and never appears in a
message. Rate limits: when GitHub says to wait (Retry-After, or X-RateLimit-Remaining: 0
with a reset time) and the wait is short, the request is retried; otherwise the error says
when the limit resets.

Limits, each a `GitHubError` when exceeded: redirects are followed by hand (at most
`MAX_REDIRECTS`), and one that leaves the API host is followed *without* the token; a list
is read for at most `MAX_PAGES` pages, and a `rel="next"` link that repeats a page stops it;
a response body may hold at most `max_body` bytes; every request has a socket timeout and
a deadline for the whole response.
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
from urllib.parse import urljoin, urlsplit

from costgate import __version__
from costgate.errors import CostgateError

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
MAX_RETRIES = 3
MAX_REDIRECTS = 5
MAX_PAGES = 100
"""100 pages of 100 comments: far more than any pull request holds."""
MAX_BODY_BYTES = 32 * 1024 * 1024
"""A page of 100 comments of 65,536 characters, 4 bytes each in UTF-8, is 26 MiB."""
_ERROR_BODY_BYTES = 64 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)
_NEXT_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="next"')


class GitHubError(CostgateError):
    """A GitHub API call failed; the message names the call and the likely fix."""

    status: int | None = None
    """The HTTP status GitHub answered with, when it answered."""


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
        deadline: float = 120.0,
        max_body: int = MAX_BODY_BYTES,
        max_pages: int = MAX_PAGES,
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
        self._deadline = deadline
        self._max_body = max_body
        self._max_pages = max_pages
        self._opener = urllib.request.build_opener(_NoRedirects())

    def __repr__(self) -> str:
        return f"GitHubClient({self.api_url!r})"

    def request(self, method: str, path: str, body: Mapping[str, Any] | None = None) -> Response:
        """Call `path` (relative to the API base, or a full URL on the same host)."""
        url = self._absolute(path)
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
            except TimeoutError:
                raise GitHubError(
                    f"GitHub API {method} {_path(url)} timed out after {self._timeout:g} s"
                ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def paginate(self, path: str) -> Iterator[Any]:
        """Every item of a list endpoint, following Link: rel="next" pages."""
        url: str | None = self._absolute(path)
        seen: set[str] = set()
        while url is not None:
            if url in seen:
                raise GitHubError(
                    f"GitHub's next-page link for GET {_path(path)} repeats a page "
                    f"({_path(url)}); stopped after {len(seen)} page(s)"
                )
            if len(seen) >= self._max_pages:
                raise GitHubError(
                    f"GET {_path(path)} has more than {self._max_pages} pages; costgate "
                    "stops there (too many comments on the pull request?)"
                )
            seen.add(url)
            response = self.request("GET", url)
            if not isinstance(response.data, list):
                raise GitHubError(f"GitHub returned no list for GET {_path(url)}")
            yield from response.data
            url = response.next_url

    def _absolute(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else f"{self.api_url}{path}"

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
        """One call, following redirects by hand: the token goes to the API host only."""
        payload = json.dumps(body).encode("utf-8") if body is not None else None
        start = self._clock_monotonic()
        for _ in range(MAX_REDIRECTS + 1):
            trusted = _origin(url) in (self._origin, _origin(self.graphql_url))
            headers = {
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": f"costgate/{__version__}",
                **({"Authorization": f"Bearer {self._token}"} if trusted else {}),
                **({"Content-Type": "application/json"} if payload is not None else {}),
            }
            request = urllib.request.Request(url, data=payload, method=method, headers=headers)
            try:
                with self._opener.open(request, timeout=self._timeout) as handle:
                    raw = self._read(handle, method, url, start)
                    try:
                        data = json.loads(raw) if raw else None
                    except ValueError:
                        raise GitHubError(
                            f"GitHub API {method} {_path(url)} returned no JSON"
                        ) from None
                    return Response(handle.status, handle.headers, data)
            except urllib.error.HTTPError as exc:
                location = exc.headers.get("Location") if exc.code in _REDIRECTS else None
                if not location:
                    raise
                url = urljoin(url, location)
                if urlsplit(url).scheme not in ("http", "https"):
                    raise GitHubError(f"GitHub API redirected {method} to {url!r}") from None
                if exc.code == 303 or (exc.code in (301, 302) and method == "POST"):
                    method, payload = "GET", None
        raise GitHubError(f"GitHub API {method} redirected more than {MAX_REDIRECTS} times")

    def _read(self, handle: Any, method: str, url: str, start: float) -> bytes:
        """The body, refused beyond `max_body` bytes or past the deadline (a slow drip)."""
        declared = handle.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self._max_body:
            raise self._too_big(method, url)
        chunks: list[bytes] = []
        size = 0
        while chunk := handle.read(min(65_536, self._max_body + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > self._max_body:
                raise self._too_big(method, url)
            if self._clock_monotonic() - start > self._deadline:
                raise GitHubError(
                    f"GitHub API {method} {_path(url)} took more than {self._deadline:g} s"
                )
        return b"".join(chunks)

    def _too_big(self, method: str, url: str) -> GitHubError:
        return GitHubError(
            f"GitHub API {method} {_path(url)} returned more than "
            f"{self._max_body:,} bytes; costgate reads no more"
        )

    @staticmethod
    def _clock_monotonic() -> float:
        return time.monotonic()

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


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hand every redirect back to `_send`, which decides where the token may go."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _path(url: str) -> str:
    return urlsplit(url).path


def _message(exc: urllib.error.HTTPError) -> str:
    try:
        data = json.loads(exc.read(_ERROR_BODY_BYTES) or b"null")
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
    error = GitHubError(f"GitHub API {call} failed with {exc.code} ({detail}): {hint}")
    error.status = exc.code
    return error


def _rate_limited(method: str, url: str, exc: urllib.error.HTTPError, wait: float) -> GitHubError:
    return GitHubError(
        f"GitHub API rate limit hit on {method} {_path(url)} ({exc.code}); GitHub asks to wait "
        f"{int(wait)} s, more than costgate waits; re-run the job later"
    )
