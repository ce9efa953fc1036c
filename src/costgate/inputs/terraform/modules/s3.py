"""S3 module sources, read through boto3 (the `refresh` extra) as go-getter's S3 getter does.

A key that names an archive (`.zip`, `.tar.gz`, ... or `?archive=`) is downloaded and
unpacked; any other key is a prefix whose objects are the module's files.

Credentials come from boto3's standard chain (environment, shared files, profile, SSO,
container or instance role) and are used only for AWS itself: an `s3::` source naming
an AWS host (`s3.eu-west-1.amazonaws.com`), answered by AWS or by the endpoint the
runner's environment configures (`AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`, boto3's own
settings). A source naming another host (`s3::http://127.0.0.1:9000/bucket/key`, an
S3-compatible service) is read with unsigned requests unless that host is the configured
endpoint: a pull request cannot make costgate sign requests for a host it chooses. With
no credentials in the chain, requests are unsigned (a public bucket).
"""

from __future__ import annotations

import hashlib
import importlib
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from costgate.inputs.terraform.modules import archives
from costgate.inputs.terraform.modules.failures import FetchError, FetchLimit, FetchStop
from costgate.inputs.terraform.modules.sources import RemoteSource, S3Location, s3_location
from costgate.limits import MAX_MODULE_ARCHIVE_BYTES, MAX_MODULE_FILES, MODULE_FETCH_TIMEOUT

WHAT = "S3 module sources"


def _boto3() -> Any:
    from costgate.extras import missing

    try:
        return importlib.import_module("boto3")
    except ImportError:
        raise FetchStop(missing("refresh", WHAT).message) from None


def _configured_endpoint(environ: Mapping[str, str]) -> str | None:
    return environ.get("AWS_ENDPOINT_URL_S3") or environ.get("AWS_ENDPOINT_URL") or None


def _same_origin(a: str, b: str) -> bool:
    x, y = urlsplit(a), urlsplit(b)
    return (x.scheme, x.hostname, x.port) == (y.scheme, y.hostname, y.port)


def client(location: S3Location, environ: Mapping[str, str]) -> Any:
    """A boto3 S3 client for *location*, signed only where credentials belong."""
    boto3 = _boto3()
    botocore = importlib.import_module("botocore")
    config = importlib.import_module("botocore.config")

    configured = _configured_endpoint(environ)
    session = boto3.session.Session()
    trusted = location.endpoint is None or (
        configured is not None and _same_origin(location.endpoint, configured)
    )
    signed = trusted and session.get_credentials() is not None
    options: dict[str, Any] = {
        "connect_timeout": MODULE_FETCH_TIMEOUT,
        "read_timeout": MODULE_FETCH_TIMEOUT,
        "retries": {"max_attempts": 2, "mode": "standard"},
    }
    if location.endpoint is not None or configured is not None:
        options["s3"] = {"addressing_style": "path"}
    if not signed:
        options["signature_version"] = botocore.UNSIGNED
    return session.client(
        "s3",
        region_name=location.region,
        endpoint_url=location.endpoint,  # None: AWS, or the configured endpoint
        config=config.Config(**options),
    )


class _Body:
    """An object's body read within the time limit (per read and overall)."""

    def __init__(self, stream: Any, label: str, deadline: float):
        self.stream = stream
        self.label = label
        self.deadline = deadline

    def read(self, size: int = -1) -> bytes:
        if time.monotonic() > self.deadline:
            raise FetchLimit(f"{self.label} took longer than {MODULE_FETCH_TIMEOUT:g} s")
        data: bytes = self.stream.read(size if size >= 0 else None)
        return data

    def __enter__(self) -> _Body:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stream.close()


def fetch(source: RemoteSource, target: Path, environ: Mapping[str, str], deadline: float) -> str:
    """Download *source* into the new directory *target* (a key prefix's objects by
    *deadline*, `time.monotonic()`); returns the tree's content key."""
    location = s3_location(source.url)
    label = source.label
    try:
        s3 = client(location, environ)
        if source.archive:
            data = _object_bytes(s3, location, location.key, label)
            target.mkdir()
            archives.extract(data, source.archive, target)
            return hashlib.sha256(data).hexdigest()
        prefix = location.key.rstrip("/") + "/"
        names = [key[len(prefix) :] for key in _keys(s3, location, prefix)]
        return archives.write_objects(
            (n for n in names if n and not n.endswith("/")),
            lambda name: _open(s3, location, prefix + name, label),
            target,
            deadline,
        )
    except FetchError:
        raise
    except Exception as exc:  # botocore's errors, without importing botocore up front
        raise _translated(exc, label) from None


def _object_bytes(s3: Any, location: S3Location, key: str, label: str) -> bytes:
    with _open(s3, location, key, label) as body:
        chunks: list[bytes] = []
        size = 0
        while chunk := body.read(1024 * 1024):
            size += len(chunk)
            if size > MAX_MODULE_ARCHIVE_BYTES:
                raise FetchLimit(f"{label} is larger than {MAX_MODULE_ARCHIVE_BYTES:,} bytes")
            chunks.append(chunk)
    return b"".join(chunks)


def _open(s3: Any, location: S3Location, key: str, label: str) -> IO[bytes]:
    arguments = {"Bucket": location.bucket, "Key": key}
    if location.version:
        arguments["VersionId"] = location.version
    deadline = time.monotonic() + MODULE_FETCH_TIMEOUT
    reply = s3.get_object(**arguments)
    length = reply.get("ContentLength")
    if isinstance(length, int) and length > MAX_MODULE_ARCHIVE_BYTES:
        raise FetchLimit(f"{label} is larger than {MAX_MODULE_ARCHIVE_BYTES:,} bytes")
    return _Body(reply["Body"], label, deadline)  # type: ignore[return-value]


def _keys(s3: Any, location: S3Location, prefix: str) -> Iterator[str]:
    """The keys under *prefix*, at most MAX_MODULE_FILES + 1 (the writer stops past it)."""
    count = 0
    token: str | None = None
    while True:
        arguments = {"Bucket": location.bucket, "Prefix": prefix}
        if token:
            arguments["ContinuationToken"] = token
        page = s3.list_objects_v2(**arguments)
        for item in page.get("Contents", []):
            key = item.get("Key")
            if isinstance(key, str):
                count += 1
                yield key
                if count > MAX_MODULE_FILES:
                    return
        token = page.get("NextContinuationToken")
        if not page.get("IsTruncated") or not token:
            return


def _translated(exc: Exception, label: str) -> FetchError:
    """A botocore error as a FetchError (a timeout as FetchLimit), naming no credential."""
    errors = importlib.import_module("botocore.exceptions")
    if isinstance(exc, errors.ConnectTimeoutError | errors.ReadTimeoutError):
        return FetchLimit(f"{label} took longer than {MODULE_FETCH_TIMEOUT:g} s")
    if isinstance(exc, errors.ClientError):
        error = exc.response.get("Error", {})
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "?")
        return FetchError(f"{label}: S3 answered HTTP {status} {error.get('Code', '')}".strip())
    if isinstance(exc, OSError | ValueError) and not isinstance(exc, errors.BotoCoreError):
        return FetchError(f"{label}: {exc}")
    return FetchError(f"{label}: {type(exc).__name__}")
