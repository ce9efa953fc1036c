"""Plain HTTPS GETs of JSON for the public price APIs, with errors a user can act on.

Limits, each a `CatalogError` (exit 2, nothing written): a socket timeout on every request
and a deadline for the whole response (a server that drips a byte at a time), a response
body of at most `MAX_BODY_BYTES`, and at most `MAX_REDIRECTS` redirects. The price APIs
take no credentials in headers, so a redirect carries nothing secret; the callers bound
their pagination (`MAX_PAGES` in gcp.py and azure.py).
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
from typing import Any

from costgate.errors import CatalogError

TIMEOUT_SECONDS = 60
DEADLINE_SECONDS = 300
MAX_BODY_BYTES = 64 * 1024 * 1024
"""A Cloud Billing page of 5,000 SKUs is about 10 MiB; an Azure page is far smaller."""
MAX_REDIRECTS = 5
_CHUNK = 1024 * 1024


class _FewRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS


_OPENER = urllib.request.build_opener(_FewRedirects())


def get_json(
    url: str,
    what: str,
    *,
    max_body: int = MAX_BODY_BYTES,
    timeout: float = TIMEOUT_SECONDS,
    deadline: float = DEADLINE_SECONDS,
) -> Any:
    """GET *url* and parse JSON; no network, HTTP errors, limits and bad JSON: CatalogError."""
    start = time.monotonic()
    try:
        request = urllib.request.Request(
            url, headers={"Accept": "application/json", "User-Agent": "costgate-pricing-refresh"}
        )
        with _OPENER.open(request, timeout=timeout) as response:
            body = _read(response, what, max_body, start, deadline)
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode("utf-8", "replace")
        raise CatalogError(f"{what} answered HTTP {exc.code}: {detail}; nothing written") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise CatalogError(
            f"cannot reach {what} ({reason}); check the network or proxy; nothing written"
        ) from exc
    except http.client.HTTPException as exc:
        if not isinstance(exc, http.client.InvalidURL):  # not HTTP: BadStatusLine, ...
            raise CatalogError(
                f"{what} sent a broken answer ({type(exc).__name__}: {str(exc)[:100]!r}); "
                "nothing written"
            ) from exc
        raise CatalogError(f"{what}: invalid URL {url!r} ({exc}); nothing written") from exc
    except ValueError as exc:  # "unknown url type": no scheme
        # e.g. a next-page link with unencoded spaces, refused before anything is sent
        raise CatalogError(f"{what}: invalid URL {url!r} ({exc}); nothing written") from exc
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{what} did not return JSON ({exc}); nothing written") from exc


def _read(response: Any, what: str, max_body: int, start: float, deadline: float) -> bytes:
    """The body in chunks: refused past *max_body* bytes or *deadline* seconds."""
    declared = response.headers.get("Content-Length", "")
    too_big = CatalogError(
        f"{what} sent more than {max_body:,} bytes in one response; nothing written"
    )
    if declared.isdigit() and int(declared) > max_body:
        raise too_big
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(min(_CHUNK, max_body + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > max_body:
            raise too_big
        if time.monotonic() - start > deadline:
            raise CatalogError(f"{what} took more than {deadline:g} s to answer; nothing written")
    if declared.isdigit() and size < int(declared):
        raise CatalogError(
            f"{what} sent {size:,} of {int(declared):,} bytes (the answer was cut short); "
            "nothing written"
        )
    return b"".join(chunks)
