"""Module source addresses as Terraform (go-getter) reads them, split into what to fetch.

- registry: `[host/]namespace/name/provider[//subdir]` (host `registry.terraform.io`);
- git: `git::URL[//subdir][?ref=REF]`, `github.com/org/repo[//subdir][?ref=]`,
  `git@github.com:org/repo.git`;
- http(s): an archive (`.tar.gz`, `.tgz`, `.tar`, `.tar.bz2`, `.tar.xz`, `.zip`, or
  `?archive=zip`), or a page answering with an `X-Terraform-Get` header;
- others (S3, GCS, Mercurial, Bitbucket) are named as such and not fetched.
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


class BadSource(ValueError):
    """A source address costgate cannot or will not fetch; the message says why."""


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
    """A download: `kind` is git or http; `url` without `ref`/`archive`; `archive` the
    archive type of an http download ("" when the URL is not recognised as one)."""

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
        return (
            shown
            + (f"?ref={self.ref}" if self.ref else "")
            + (f"//{self.subdir}" if self.subdir else "")
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
        elif ".s3" in text.split("/", 1)[0] and "amazonaws.com" in text:
            forced = "s3"
        elif text.startswith("www.googleapis.com/storage/"):
            forced = "gcs"
        elif text.startswith(("http://", "https://")):
            forced = "http"
        else:
            raise BadSource(f"{source!r} is not a module source costgate recognises")
    if forced in ("s3", "gcs", "hg"):
        raise BadSource(
            f"{forced} sources need that service's credentials; costgate does not fetch them"
        )
    if forced not in ("git", "http", "https"):
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
    url = urlunsplit(parts._replace(query=urlencode(rest)))
    return RemoteSource("http", url, "", subdir, archive)


def _dot_git(text: str) -> str:
    path, _, query = text.partition("?")
    segments = path.split("/")
    if len(segments) >= 3 and not segments[2].endswith(".git"):
        segments[2] += ".git"
    return "/".join(segments) + (f"?{query}" if query else "")
