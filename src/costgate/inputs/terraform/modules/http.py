"""Bounded HTTP GETs for module fetching: timeouts, a body size limit, few redirects, and
a token that is sent only to the host it belongs to (never along a redirect)."""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from costgate.inputs.terraform.modules.failures import FetchError, FetchLimit

MAX_REDIRECTS = 5


@dataclass(frozen=True)
class Reply:
    """A response: status, lower-cased headers, body and the final URL."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str


class _Redirects(urllib.request.HTTPRedirectHandler):
    """At most MAX_REDIRECTS redirects, to http(s) only (urllib would also follow ftp)."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise FetchError(f"{shown(req.full_url)} redirects to a non-http URL")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_Redirects())


def get(
    url: str,
    *,
    limit: int,
    timeout: float,
    token: str | None = None,
    accept: str = "*/*",
) -> Reply:
    """GET *url*: http(s) only, at most *limit* body bytes, within *timeout* seconds
    (per socket operation and overall). *token* goes in an `Authorization: Bearer` header
    that urllib does not copy onto redirects."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{shown(url)} is not an http(s) URL")
    request = urllib.request.Request(url, headers={"Accept": accept, "User-Agent": "costgate"})
    if token:
        request.add_unredirected_header("Authorization", f"Bearer {token}")
    deadline = time.monotonic() + timeout
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            chunks: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > deadline:
                    raise FetchLimit(f"{shown(url)} took longer than {timeout:g} s")
                chunk = response.read1(64 * 1024)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise FetchLimit(f"{shown(url)} is larger than {limit:,} bytes")
                chunks.append(chunk)
            headers = {k.lower(): v for k, v in response.headers.items()}
            return Reply(response.status, headers, b"".join(chunks), response.geturl())
    except urllib.error.HTTPError as exc:
        raise FetchError(f"{shown(url)} answered HTTP {exc.code}") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise FetchLimit(f"{shown(url)} took longer than {timeout:g} s") from None
        raise FetchError(f"{shown(url)}: {exc.reason}") from None
    except TimeoutError:
        raise FetchLimit(f"{shown(url)} took longer than {timeout:g} s") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise FetchError(f"{shown(url)}: {exc or type(exc).__name__}") from None


def shown(url: str) -> str:
    """*url* without credentials or query string."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return f"{parts.scheme}://{host}{parts.path}"
