"""GCS module sources, read through the Cloud Storage JSON API as go-getter's GCS getter
reads them (`gcs::https://www.googleapis.com/storage/v1/BUCKET/PATH`).

An object that names an archive is downloaded (`GET /storage/v1/b/BUCKET/o/NAME?alt=media`)
and unpacked; any other path is a prefix whose objects (listed with `GET
/storage/v1/b/BUCKET/o?prefix=`) are the module's files.

Requests go to `https://storage.googleapis.com`, or to the emulator the runner's
environment names in `STORAGE_EMULATOR_HOST` (the variable Google's client libraries
read). The bearer token is `GOOGLE_OAUTH_ACCESS_TOKEN` (the variable Terraform's GCS
getter and Google provider read; e.g. `gcloud auth print-access-token`), sent to that
endpoint only, never along a redirect; without it requests are anonymous (a public
bucket). The host written in the source is only checked to be `*.googleapis.com`: a pull
request cannot send the token elsewhere.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO
from urllib.parse import quote, urlencode

from costgate.inputs.terraform.modules import archives
from costgate.inputs.terraform.modules.failures import FetchError
from costgate.inputs.terraform.modules.http import get
from costgate.inputs.terraform.modules.sources import GcsLocation, RemoteSource, gcs_location
from costgate.limits import (
    MAX_MODULE_ARCHIVE_BYTES,
    MAX_MODULE_FILES,
    MAX_REGISTRY_RESPONSE_BYTES,
    MODULE_FETCH_TIMEOUT,
)

GOOGLE_STORAGE = "https://storage.googleapis.com"
TOKEN_VARIABLE = "GOOGLE_OAUTH_ACCESS_TOKEN"


def endpoint(environ: Mapping[str, str]) -> str:
    """The JSON API's base URL: Google's, or the configured emulator's."""
    emulator = environ.get("STORAGE_EMULATOR_HOST", "").strip().rstrip("/")
    if not emulator:
        return GOOGLE_STORAGE
    return emulator if "://" in emulator else f"http://{emulator}"


class _Api:
    def __init__(self, location: GcsLocation, environ: Mapping[str, str], label: str):
        self.location = location
        self.base = f"{endpoint(environ)}/storage/v1/b/{quote(location.bucket, safe='')}/o"
        self.token = environ.get(TOKEN_VARIABLE) or None
        self.label = label

    def download(self, name: str, limit: int) -> bytes:
        query = {"alt": "media"}
        if self.location.generation and name == self.location.name:
            query["generation"] = self.location.generation
        url = f"{self.base}/{quote(name, safe='')}?{urlencode(query)}"
        return get(url, limit=limit, timeout=MODULE_FETCH_TIMEOUT, token=self.token).body

    def names(self, prefix: str) -> Iterator[str]:
        """Object names under *prefix*, at most MAX_MODULE_FILES + 1."""
        count = 0
        page = ""
        while True:
            query = {"prefix": prefix, "fields": "items(name),nextPageToken"}
            if page:
                query["pageToken"] = page
            reply = get(
                f"{self.base}?{urlencode(query)}",
                limit=MAX_REGISTRY_RESPONSE_BYTES,
                timeout=MODULE_FETCH_TIMEOUT,
                token=self.token,
                accept="application/json",
            )
            try:
                document = json.loads(reply.body)
            except ValueError:
                raise FetchError(f"{self.label}: the object listing is not JSON") from None
            items = document.get("items", []) if isinstance(document, dict) else []
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict) and isinstance(item.get("name"), str):
                    count += 1
                    yield item["name"]
                    if count > MAX_MODULE_FILES:
                        return
            following = document.get("nextPageToken") if isinstance(document, dict) else None
            if not isinstance(following, str) or not following:
                return
            page = following


def fetch(source: RemoteSource, target: Path, environ: Mapping[str, str], deadline: float) -> str:
    """Download *source* into the new directory *target* (a key prefix's objects by
    *deadline*, `time.monotonic()`); returns the tree's content key."""
    location = gcs_location(source.url)
    api = _Api(location, environ, source.label)
    if source.archive:
        data = api.download(location.name, MAX_MODULE_ARCHIVE_BYTES)
        target.mkdir()
        archives.extract(data, source.archive, target)
        return hashlib.sha256(data).hexdigest()
    prefix = location.name.rstrip("/") + "/"
    names = [name[len(prefix) :] for name in api.names(prefix)]

    def open_object(name: str) -> IO[bytes]:
        return io.BytesIO(api.download(prefix + name, MAX_MODULE_ARCHIVE_BYTES))

    return archives.write_objects(
        (n for n in names if n and not n.endswith("/")), open_object, target, deadline
    )
