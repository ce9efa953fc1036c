"""Plain HTTPS GETs of JSON for the public price APIs, with errors a user can act on."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from costgate.errors import CatalogError

TIMEOUT_SECONDS = 60


def get_json(url: str, what: str) -> Any:
    """GET *url* and parse JSON; no network, HTTP errors and bad JSON become CatalogError."""
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "costgate-pricing-refresh"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode("utf-8", "replace")
        raise CatalogError(f"{what} answered HTTP {exc.code}: {detail}; nothing written") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise CatalogError(
            f"cannot reach {what} ({reason}); check the network or proxy; nothing written"
        ) from exc
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        raise CatalogError(f"{what} did not return JSON ({exc.msg}); nothing written") from exc
