"""Small fakes of S3 and Cloud Storage for the module tests, served by LoopbackServer on
127.0.0.1: real HTTP, the services' own wire formats (S3 REST GetObject and
ListObjectsV2 XML, the Cloud Storage JSON API), no mocks of costgate's code."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from email.utils import formatdate
from urllib.parse import unquote
from xml.sax.saxutils import escape

from tests.helpers.loopback import Request, Response

XML = "application/xml"


class FakeS3:
    """Path-style S3: `GET /bucket/key` (GetObject) and `GET /bucket?list-type=2`
    (ListObjectsV2, *page_size* keys a page, continuation tokens)."""

    def __init__(self, objects: Mapping[tuple[str, str], bytes], page_size: int = 1000):
        self.objects = dict(objects)
        self.page_size = page_size

    def __call__(self, request: Request) -> Response:
        bucket, _, key = request.path.lstrip("/").partition("/")
        key = unquote(key)
        if request.method != "GET":
            return _s3_error(405, "MethodNotAllowed", request.path)
        if not key and request.query.get("list-type") == ["2"]:
            return self._list(bucket, request)
        body = self.objects.get((bucket, key))
        if body is None:
            return _s3_error(404, "NoSuchKey", request.path)
        return Response(
            body=body,
            content_type="application/octet-stream",
            headers={
                "ETag": f'"{hashlib.md5(body).hexdigest()}"',
                "Last-Modified": formatdate(0, usegmt=True),
                "Accept-Ranges": "bytes",
            },
        )

    def _list(self, bucket: str, request: Request) -> Response:
        prefix = request.query.get("prefix", [""])[0]
        start = int(request.query.get("continuation-token", ["0"])[0])
        keys = sorted(k for b, k in self.objects if b == bucket and k.startswith(prefix))
        page = keys[start : start + self.page_size]
        truncated = start + self.page_size < len(keys)
        contents = "".join(
            f"<Contents><Key>{escape(k)}</Key><Size>{len(self.objects[(bucket, k)])}</Size>"
            "<StorageClass>STANDARD</StorageClass></Contents>"
            for k in page
        )
        following = (
            f"<NextContinuationToken>{start + self.page_size}</NextContinuationToken>"
            if truncated
            else ""
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
            f"<Name>{escape(bucket)}</Name><Prefix>{escape(prefix)}</Prefix>"
            f"<KeyCount>{len(page)}</KeyCount><MaxKeys>{self.page_size}</MaxKeys>"
            f"<IsTruncated>{'true' if truncated else 'false'}</IsTruncated>"
            f"{contents}{following}</ListBucketResult>"
        )
        return Response(body=body.encode(), content_type=XML)


def _s3_error(status: int, code: str, resource: str) -> Response:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<Error><Code>{code}</Code><Message>{code}</Message>"
        f"<Resource>{escape(resource)}</Resource><RequestId>1</RequestId></Error>"
    )
    return Response(status, body.encode(), content_type=XML)


class FakeGcs:
    """The Cloud Storage JSON API: `GET /storage/v1/b/B/o/NAME?alt=media` and
    `GET /storage/v1/b/B/o?prefix=` (*page_size* items a page, `pageToken`)."""

    def __init__(self, objects: Mapping[tuple[str, str], bytes], page_size: int = 1000):
        self.objects = dict(objects)
        self.page_size = page_size

    def __call__(self, request: Request) -> Response:
        parts = request.path.split("/")
        # ['', 'storage', 'v1', 'b', BUCKET, 'o', NAME?]
        if parts[1:4] != ["storage", "v1", "b"] or len(parts) < 6 or parts[5] != "o":
            return Response(404, {"error": {"code": 404, "message": "Not Found"}})
        bucket = unquote(parts[4])
        if len(parts) == 6:
            return self._list(bucket, request)
        name = unquote("/".join(parts[6:]))
        body = self.objects.get((bucket, name))
        if body is None or request.query.get("alt") != ["media"]:
            return Response(404, {"error": {"code": 404, "message": "No such object"}})
        return Response(body=body, content_type="application/octet-stream")

    def _list(self, bucket: str, request: Request) -> Response:
        prefix = request.query.get("prefix", [""])[0]
        start = int(request.query.get("pageToken", ["0"])[0])
        names = sorted(n for b, n in self.objects if b == bucket and n.startswith(prefix))
        page = names[start : start + self.page_size]
        document: dict[str, object] = {
            "kind": "storage#objects",
            "items": [{"kind": "storage#object", "name": n, "bucket": bucket} for n in page],
        }
        if start + self.page_size < len(names):
            document["nextPageToken"] = str(start + self.page_size)
        return Response(body=document)
