"""Module source addresses as Terraform (go-getter) reads them, split into what to fetch.

- registry: `[host/]namespace/name/provider[//subdir]` (host `registry.terraform.io`);
- git: `git::URL[//subdir][?ref=REF]`, `github.com/org/repo[//subdir][?ref=]`,
  `git@github.com:org/repo.git`;
- http(s): an archive (`.tar.gz`, `.tgz`, `.tar`, `.tar.bz2`, `.tar.xz`, `.zip`, or
  `?archive=zip`), or a page answering with an `X-Terraform-Get` header;
- S3: `s3::https://s3-eu-west-1.amazonaws.com/bucket/key` (every AWS host spelling, also
  the implied `bucket.s3.amazonaws.com/key`), or `s3::http(s)://host:port/bucket/key`
  for an S3-compatible endpoint (`?region=`, `?version=`); the URL is normalised to path
  style, `https://s3.<region>.amazonaws.com/bucket/key`, so that two spellings compare equal;
- GCS: `gcs::https://www.googleapis.com/storage/v1/bucket/path` (also implied);
- others (Mercurial, Bitbucket) are named as such and not fetched.

Two spellings of one source parse to equal values (`github.com/org/repo` and the
`git::https://github.com/org/repo.git` that `terraform init` records in modules.json).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

DEFAULT_REGISTRY = "registry.terraform.io"
_PART = r"[0-9A-Za-z](?:[0-9A-Za-z_-]{0,62}[0-9A-Za-z])?"
_REGISTRY = re.compile(
    rf"^(?:(?P<host>[0-9A-Za-z.-]+\.[A-Za-z0-9-]+(?::\d+)?|localhost(?::\d+)?)/)?"
    rf"(?P<namespace>{_PART})/(?P<name>{_PART})/(?P<provider>[0-9a-z]{{1,64}})$"
)
ARCHIVES = (".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar", ".zip")


_S3_CREDENTIALS = ("aws_access_key_id", "aws_access_key_secret", "aws_access_token", "aws_profile")


class BadSource(ValueError):
    """A source address costgate cannot or will not fetch; the message says why."""


@dataclass(frozen=True)
class S3Location:
    """One S3 object or key prefix: *endpoint* is None for AWS itself, else the
    S3-compatible service named in the source (`http://127.0.0.1:9000`)."""

    endpoint: str | None
    region: str
    bucket: str
    key: str
    version: str = ""


def s3_location(url: str) -> S3Location:
    """Where an `s3::` URL points (go-getter's S3 getter); BadSource when it is not an S3
    URL or carries credentials (those come from the AWS credential chain only)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    if any(k in query for k in _S3_CREDENTIALS):
        raise BadSource(
            "credentials in an s3:: source are not used: costgate reads AWS credentials "
            "from the standard chain (environment, profile, role) only"
        )
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise BadSource(f"{url!r} is not an s3:: URL")
    segments = parts.path.lstrip("/").split("/", 1)
    labels = host.split(".")
    aws = host.endswith((".amazonaws.com", ".amazonaws.com.cn"))
    if not aws:
        endpoint = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"
        bucket, key = segments if len(segments) == 2 else (segments[0], "")
        region = query.get("region") or "us-east-1"
    elif labels[0] == "s3" or labels[0].startswith("s3-"):
        endpoint = None
        bucket, key = segments if len(segments) == 2 else (segments[0], "")
        region = _aws_region(labels[0], labels[1:])
    else:  # virtual-hosted: bucket.s3[-.]region.amazonaws.com/key
        endpoint = None
        bucket, key = labels[0], parts.path.lstrip("/")
        region = _aws_region(labels[1], labels[2:])
    if not bucket or not key:
        raise BadSource(f"{url!r} names no bucket and key")
    return S3Location(
        endpoint, query.get("region") or region, bucket, key, query.get("version", "")
    )


def _aws_region(first: str, rest: list[str]) -> str:
    """The region of an AWS S3 host whose S3 label is *first*: `s3-eu-west-1`, or `s3`
    followed by `eu-west-1` (or by `amazonaws`: us-east-1)."""
    if first.startswith("s3-") and first != "s3-fips":
        return first[3:]
    labels = [label for label in rest if label != "dualstack"]
    if labels and labels[0] != "amazonaws":
        return labels[0]
    return "us-east-1"


def _s3_canonical(location: S3Location, query: list[tuple[str, str]]) -> str:
    """Path style, the region in the host for AWS: one spelling per object."""
    domain = "amazonaws.com.cn" if location.region.startswith("cn-") else "amazonaws.com"
    base = location.endpoint or f"https://s3.{location.region}.{domain}"
    rest = [(k, v) for k, v in query if k != "region" or location.endpoint is not None]
    if location.endpoint is not None and not any(k == "region" for k, _ in rest):
        rest.append(("region", location.region))
    path = "/" + "/".join((location.bucket, location.key))
    return base + path + (f"?{urlencode(sorted(rest))}" if rest else "")


def _s3_detect(text: str) -> str:
    """Terraform's S3 detector: a schemeless `*.amazonaws.com/...` address as a URL."""
    host, _, rest = text.partition("/")
    labels = host.split(".")
    if len(labels) == 3:
        return f"https://{host}/{rest}"
    if len(labels) == 4:
        return f"https://{labels[1]}.amazonaws.com/{labels[0]}/{rest}"
    if len(labels) == 5 and labels[1] == "s3":
        return f"https://s3.{labels[2]}.amazonaws.com/{labels[0]}/{rest}"
    raise BadSource(f"{text!r} is not a valid S3 address")


@dataclass(frozen=True)
class GcsLocation:
    """One GCS object or object-name prefix (and its generation, `#123`)."""

    bucket: str
    name: str
    generation: str = ""


def gcs_location(url: str) -> GcsLocation:
    """Where a `gcs::` URL points: `https://www.googleapis.com/storage/v1/BUCKET/PATH`
    (go-getter's GCS getter); BadSource otherwise."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    segments = parts.path.split("/", 4)
    if (
        parts.scheme != "https"
        or not host.endswith(".googleapis.com")
        or len(segments) != 5
        or segments[1:3] != ["storage", "v1"]
        or not segments[3]
        or not segments[4]
    ):
        raise BadSource(
            f"{url!r} is not a GCS source (gcs::https://www.googleapis.com/storage/v1/BUCKET/PATH)"
        )
    generation = parts.fragment
    if generation and not generation.isdigit():
        raise BadSource(f"GCS generation {generation!r} is not a number")
    return GcsLocation(segments[3], segments[4], generation)


@dataclass(frozen=True)
class RegistrySource:
    """A module registry address."""

    host: str
    namespace: str
    name: str
    provider: str
    subdir: str = ""

    @property
    def address(self) -> str:
        """`host/namespace/name/provider`, as modules.json records it."""
        return f"{self.host}/{self.namespace}/{self.name}/{self.provider}"


@dataclass(frozen=True)
class RemoteSource:
    """A download: `kind` is git, http, s3 or gcs; `url` without `ref`/`archive`;
    `archive` the archive type of the download ("" when the URL is not recognised as one:
    for s3 and gcs, a key prefix whose objects are the module's files)."""

    kind: str
    url: str
    ref: str = ""
    subdir: str = ""
    archive: str = ""

    @property
    def label(self) -> str:
        """The source without credentials or query: safe to show in a report."""
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        if parts.port:
            host += f":{parts.port}"
        shown = f"{parts.scheme}://{host}{parts.path}" if parts.scheme else self.url
        # the kind as a word: reports escape every `::` (GitHub workflow commands)
        forced = f"{self.kind} " if self.kind in ("git", "s3", "gcs") else ""
        return (
            forced
            + shown
            + (f"?ref={self.ref}" if self.ref else "")
            + (f"//{self.subdir}" if self.subdir else "")
        )

    @property
    def display(self) -> str:
        """The label as a path prefix for the module's file names (no `//`, which a path
        would collapse): `s3 s3.eu-west-1.amazonaws.com/bucket/gpu.zip/modules/gpu`."""
        parts = urlsplit(self.url)
        host = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
        return (
            f"{self.kind} {host}{parts.path}"
            + (f" {self.ref}" if self.ref else "")
            + (f"/{self.subdir}" if self.subdir else "")
        )


def split_subdir(source: str) -> tuple[str, str]:
    """go-getter's `SourceDirSubdir`: `url//sub?q` -> (`url?q`, `sub`)."""
    stop = source.find("?")
    stop = len(source) if stop < 0 else stop
    scheme = source.find("://", 0, stop)
    offset = scheme + 3 if scheme >= 0 else 0
    index = source.find("//", offset, stop)
    if index < 0:
        return source, ""
    subdir = source[index + 2 :]
    source = source[:index]
    query = subdir.find("?")
    if query >= 0:
        source += subdir[query:]
        subdir = subdir[:query]
    return source, subdir


def clean_subdir(subdir: str) -> str:
    """A subdirectory inside the fetched tree ("" for its root); BadSource when it
    is absolute, escapes with `..` or uses a glob."""
    if not subdir:
        return ""
    if subdir.startswith(("/", "\\")) or "\\" in subdir or "\0" in subdir:
        raise BadSource(f"subdirectory {subdir!r} must be a relative path")
    if any(c in subdir for c in "*?["):
        raise BadSource(f"subdirectory {subdir!r}: globs are not supported")
    normal = posixpath.normpath(subdir)
    if normal == ".":
        return ""
    if normal == ".." or normal.startswith("../"):
        raise BadSource(f"subdirectory {subdir!r} leaves the module's files")
    return normal


def join_subdirs(first: str, second: str) -> str:
    """*second* inside *first*, both relative."""
    return clean_subdir(posixpath.join(first, second) if first else second)


def parse_source(source: str) -> RegistrySource | RemoteSource:
    """Classify a non-local module source; BadSource for kinds costgate does not fetch."""
    text = source.strip()
    forced = ""
    match = re.match(r"^([A-Za-z0-9]+)::(.*)$", text)
    if match:
        forced, text = match.group(1).lower(), match.group(2)
    text, subdir = split_subdir(text)
    subdir = clean_subdir(subdir)
    if not forced:
        registry = _REGISTRY.match(text)
        if registry and "://" not in text:
            return RegistrySource(
                (registry.group("host") or DEFAULT_REGISTRY).lower(),
                registry.group("namespace"),
                registry.group("name"),
                registry.group("provider"),
                subdir,
            )
        if text.startswith("github.com/"):
            forced, text = "git", "https://" + _dot_git(text)
        elif re.match(r"^git@[^:/]+:", text):
            forced = "git"
            host, path = text[4:].split(":", 1)
            text = f"ssh://git@{host}/{path}"
        elif text.startswith("bitbucket.org/"):
            raise BadSource("Bitbucket sources are not fetched by costgate (use git::https://)")
        elif ".amazonaws.com/" in text and "://" not in text:
            forced, text = "s3", _s3_detect(text)
        elif "googleapis.com/" in text and "://" not in text:
            forced, text = "gcs", "https://" + text
        elif text.startswith(("http://", "https://")):
            forced = "http"
        else:
            raise BadSource(f"{source!r} is not a module source costgate recognises")
    if forced == "hg":
        raise BadSource("Mercurial sources are not fetched by costgate (use terraform init)")
    if forced == "git" and re.match(r"^[A-Za-z0-9._-]+@[^:/]+:", text):
        user_host, path = text.split(":", 1)  # scp style, as Terraform normalises it
        text = f"ssh://{user_host}/{path}"
    if forced not in ("git", "http", "https", "s3", "gcs"):
        raise BadSource(f"{forced}:: sources are not supported")
    if text.startswith("-"):
        raise BadSource(f"{source!r} is not a URL")
    parts = urlsplit(text)
    query = parse_qsl(parts.query, keep_blank_values=True)
    params = dict(query)
    if forced == "git":
        if parts.scheme not in ("https", "http", "ssh", "git"):
            raise BadSource(f"git source {source!r}: scheme {parts.scheme!r} is not fetched")
        if "sshkey" in params:
            raise BadSource("git sources with an `sshkey` are not fetched")
        ref = params.get("ref", "")
        if ref.startswith("-"):
            raise BadSource(f"ref {ref!r} is not a git reference")
        rest = [(k, v) for k, v in query if k not in ("ref", "depth")]
        url = urlunsplit(parts._replace(query=urlencode(rest)))
        return RemoteSource("git", url, ref, subdir)
    if parts.scheme not in ("https", "http"):
        raise BadSource(f"{source!r} is not an http(s) URL")
    archive = params.get("archive", "")
    if not archive:
        archive = next((a.lstrip(".") for a in ARCHIVES if parts.path.endswith(a)), "")
    rest = [(k, v) for k, v in query if k != "archive"]
    if forced == "s3":
        url = _s3_canonical(s3_location(urlunsplit(parts._replace(query=urlencode(rest)))), rest)
        return RemoteSource("s3", url, "", subdir, archive)
    if forced == "gcs":
        if rest:
            raise BadSource(f"GCS source {source!r}: query parameters are not supported")
        gcs_location(text)
        return RemoteSource("gcs", urlunsplit(parts._replace(query="")), "", subdir, archive)
    url = urlunsplit(parts._replace(query=urlencode(rest)))
    return RemoteSource("http", url, "", subdir, archive)


def _dot_git(text: str) -> str:
    path, _, query = text.partition("?")
    segments = path.split("/")
    if len(segments) >= 3 and not segments[2].endswith(".git"):
        segments[2] += ".git"
    return "/".join(segments) + (f"?{query}" if query else "")
