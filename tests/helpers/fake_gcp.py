"""A fake Cloud Billing Catalog API for `costgate pricing refresh gcp`, served by
`LoopbackServer` on 127.0.0.1: recorded `skus` pages per service, every other path a 404,
and the refresh pointed at it through `COSTGATE_GCP_BILLING_URL` with a test API key."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pytest

from tests.helpers import loopback

COMPUTE_ENGINE = "6F81-5844-456A"
VERTEX_AI = "C7E2-9256-1C43"
CLOUD_STORAGE = "95FF-2EF5-5EA1"
NO_SKUS: Mapping[str, Any] = {"skus": []}


@contextmanager
def fake_billing(
    monkeypatch: pytest.MonkeyPatch, pages: Mapping[str, Any], seen: list[str] | None = None
) -> Iterator[str]:
    """Serve *pages* (service id -> one `skus` page) and yield the server's URL; every path
    asked for is appended to *seen* when given."""

    def app(request: loopback.Request) -> loopback.Response:
        if seen is not None:
            seen.append(request.path)
        for service, page in pages.items():
            if request.path.startswith(f"/v1/services/{service}/skus"):
                return loopback.Response(200, page)
        return loopback.Response(404, {"message": "not recorded"})

    with loopback.LoopbackServer(app) as httpd:
        monkeypatch.setenv("COSTGATE_GCP_BILLING_URL", f"{httpd.url}/v1")
        monkeypatch.setenv("COSTGATE_GCP_API_KEY", "test-key")
        yield httpd.url
