"""Which directory holds a remote module call: modules.json, the cache, or a fetch.

1. `.terraform/modules/modules.json` as `terraform init` leaves it in the root module
   directory: the entry whose `Key` is the call's path (`eks`, `eks.node_group`), when its
   `Source` is the call's and its `Version` satisfies the call's constraint, and its `Dir`
   lies under `<root>/.terraform/modules/`.
2. the module cache (`store.py`): a source fetched by an earlier run, no network;
3. a fetch (unless offline): registry protocol, then a git clone, an http archive, or
   S3 / GCS objects.

A failure is a reason string for the placeholder; only a `FetchStop` (a download over a
bound of `costgate.limits`, an optional dependency missing) is raised, for exit 2.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from costgate import cache
from costgate.inputs.terraform.modules.failures import FetchError, FetchLimit, FetchStop
from costgate.inputs.terraform.modules.sources import (
    BadSource,
    RegistrySource,
    RemoteSource,
    join_subdirs,
    parse_source,
    split_subdir,
)
from costgate.inputs.terraform.modules.store import Entry, Store
from costgate.inputs.terraform.modules.versions import Constraint, Version
from costgate.limits import (
    MAX_FILE_BYTES,
    MAX_MODULE_ARCHIVE_BYTES,
    MAX_MODULE_FETCHES,
    MODULE_FETCH_BUDGET,
    MODULE_FETCH_TIMEOUT,
    MODULE_GIT_TIMEOUT,
)

if TYPE_CHECKING:
    from costgate.inputs.terraform.modules.registry import Registry

_FAILURES = (FetchError, OSError, ValueError, subprocess.SubprocessError)
"""What a fetch may raise (http.py turns http.client's errors into FetchError)."""


@dataclass(frozen=True)
class Located:
    """A module's directory, how to show it, and the tree the reader may read it from
    (None: it is inside the repository and the repository's sandbox applies)."""

    directory: Path
    display: str
    tree: Path | None = None


def offline_requested(environ: Mapping[str, str]) -> bool:
    """True when `COSTGATE_OFFLINE` is set to a true value."""
    return environ.get("COSTGATE_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


class ModuleResolver:
    """Resolves remote module calls of one run rooted at *directory*."""

    def __init__(self, directory: Path, display: str, environ: Mapping[str, str], offline: bool):
        self.directory = directory
        self.display = display
        self.environ = environ
        self.offline = offline or offline_requested(environ)
        self.fetches = 0
        self.fetch_seconds = 0.0
        self._manifest: dict[str, dict[str, Any]] | None = None
        self._registries: dict[str, Registry] = {}
        self.notes: list[str] = []

    # -- modules.json -------------------------------------------------------------------

    def manifest(self) -> dict[str, dict[str, Any]]:
        """modules.json entries by key ({} when absent or unreadable, with a note)."""
        if self._manifest is None:
            self._manifest = {}
            path = self.directory / ".terraform" / "modules" / "modules.json"
            if not os.path.lexists(path):
                return self._manifest
            try:
                data = json.loads(_read_regular(path))
            except (OSError, ValueError) as exc:
                self.notes.append(f".terraform/modules/modules.json is not read: {exc}")
                return self._manifest
            modules = data.get("Modules") if isinstance(data, dict) else None
            for item in modules if isinstance(modules, list) else []:
                if isinstance(item, dict) and isinstance(item.get("Key"), str):
                    self._manifest[item["Key"]] = item
        return self._manifest

    def _from_manifest(self, key: str, source: str, version: str | None) -> Located | str | None:
        item = self.manifest().get(key)
        if item is None:
            return None
        recorded, directory = item.get("Source"), item.get("Dir")
        if not isinstance(directory, str) or not isinstance(recorded, str):
            return "its modules.json entry has no Dir or Source"
        if _canonical(recorded) != _canonical(source):
            return f"modules.json records source {recorded!r} for it (run `terraform init`)"
        found = item.get("Version")
        if version and isinstance(found, str) and found:
            try:
                if not Constraint.parse(version).allows(Version.parse(found)):
                    return f"modules.json has version {found}, outside {version}"
            except ValueError:
                pass
        path = Path(os.path.normpath(self.directory / directory))
        base = os.path.realpath(self.directory / ".terraform" / "modules")
        real = os.path.realpath(path)
        if not real.startswith(base + os.sep):
            return f"modules.json Dir {directory!r} is not under .terraform/modules/"
        if not os.path.isdir(real):
            return f"modules.json Dir {directory!r} does not exist (run `terraform init`)"
        return Located(path, os.path.normpath(os.path.join(self.display, directory)))

    # -- resolving ------------------------------------------------------------------------

    def locate(self, key: str, source: str, version: str | None) -> Located | str:
        """The directory of module call *key*, else why it is not evaluated; FetchStop
        (naming the source, never a credential) when the run must stop."""
        stale = self._from_manifest(key, source, version)
        if isinstance(stale, Located):
            return stale
        prefix = f"{stale}; " if stale else ""
        try:
            parsed = parse_source(source)
        except BadSource as exc:
            return f"{prefix}{exc}"
        store = self._store()
        digest = _digest(source, version)
        if store is not None:
            entry = store.lookup(digest)
            if entry is not None:
                return self._located(store, entry, parsed)
        if self.offline:
            return (
                f"{prefix}fetching is off (--offline / COSTGATE_OFFLINE) and the module "
                "is neither in .terraform/modules (run `terraform init`) nor in costgate's cache"
            )
        if store is None:
            return f"{prefix}costgate's cache directory is off or unusable, so nothing is fetched"
        label = _label(parsed)
        if self.fetches >= MAX_MODULE_FETCHES:
            raise FetchLimit(
                f"fetching {label}: more than {MAX_MODULE_FETCHES} module sources to fetch "
                "in one run"
            )
        if self.fetch_seconds > MODULE_FETCH_BUDGET:
            raise FetchLimit(
                f"fetching {label}: this run spent more than {MODULE_FETCH_BUDGET:g} s "
                "fetching modules"
            )
        self.fetches += 1
        started = time.monotonic()
        try:
            with store.locked():
                entry = store.lookup(digest) or self._fetch(store, parsed, version)
                store.remember(digest, entry)
        except FetchStop as exc:
            raise type(exc)(f"fetching {label}: {exc}") from None
        except _FAILURES as exc:
            return f"{prefix}fetching it failed: {exc}"
        finally:
            self.fetch_seconds += time.monotonic() - started
        return self._located(store, entry, parsed)

    def _located(
        self, store: Store, entry: Entry, parsed: RegistrySource | RemoteSource
    ) -> Located | str:
        tree = store.tree(entry.tree)
        directory = tree / entry.subdir if entry.subdir else tree
        if not directory.is_dir():
            return f"the fetched source has no directory {entry.subdir!r}"
        if isinstance(parsed, RegistrySource):
            shown = f"{parsed.address} {entry.version}".strip()
        else:
            shown = parsed.display
        return Located(directory, shown, tree)

    def _store(self) -> Store | None:
        directory = cache.cache_dir()
        return None if directory is None else Store(directory / "modules")

    # -- fetching -------------------------------------------------------------------------

    def _fetch(
        self, store: Store, parsed: RegistrySource | RemoteSource, version: str | None
    ) -> Entry:
        if isinstance(parsed, RegistrySource):
            from costgate.inputs.terraform.modules.registry import Registry

            registry = self._registries.get(parsed.host)
            if registry is None:
                registry = Registry(parsed.host, self.environ, self.notes)
                self._registries[parsed.host] = registry
            download = registry.download(parsed, version)
            location, getter_subdir = split_subdir(download.location)
            target = parse_source(location)
            if isinstance(target, RegistrySource):
                raise FetchError("the download location is another registry address")
            subdir = join_subdirs(join_subdirs(getter_subdir, target.subdir), parsed.subdir)
            tree = self._download(store, target, registry)
            return Entry(tree, subdir, download.version)
        return Entry(self._download(store, parsed), parsed.subdir, parsed.ref)

    def _download(
        self, store: Store, source: RemoteSource, registry: Registry | None = None
    ) -> str:
        """Fetch *source* into the store; *registry* lends its token to a download on its
        own scheme, host and port (a private registry serving its archives)."""
        from costgate.inputs.terraform.modules import archives, gcs, git, s3
        from costgate.inputs.terraform.modules.http import get

        if source.kind == "git":
            return store.install(
                lambda target: (
                    "git-"
                    + git.clone(source.url, source.ref, target, self.environ, MODULE_GIT_TIMEOUT)
                )
            )
        deadline = time.monotonic() + max(
            MODULE_FETCH_BUDGET - self.fetch_seconds, MODULE_FETCH_TIMEOUT
        )
        if source.kind == "s3":
            return store.install(lambda target: s3.fetch(source, target, self.environ, deadline))
        if source.kind == "gcs":
            return store.install(lambda target: gcs.fetch(source, target, self.environ, deadline))
        token = registry.token_for(source.url) if registry is not None else None
        reply = get(
            source.url, limit=MAX_MODULE_ARCHIVE_BYTES, timeout=MODULE_FETCH_TIMEOUT, token=token
        )
        if not source.archive:
            pointer = reply.headers.get("x-terraform-get")
            if pointer:
                nested = parse_source(pointer)
                if isinstance(nested, RegistrySource) or (
                    nested.kind == "http" and not nested.archive
                ):
                    raise FetchError(
                        "X-Terraform-Get points to another page, not an archive or git"
                    )
                return self._download(store, nested, registry)
            raise FetchError(f"{source.label} is not an archive (.tar.gz, .zip, ?archive=)")
        data = reply.body

        def unpack(target: Path) -> str:
            target.mkdir()
            archives.extract(data, source.archive, target)
            return hashlib.sha256(data).hexdigest()

        return store.install(unpack)


def _label(parsed: RegistrySource | RemoteSource) -> str:
    """The source as shown in reports: no credentials, no query."""
    return parsed.address if isinstance(parsed, RegistrySource) else parsed.label


def _read_regular(path: Path) -> bytes:
    """A regular file inside its own folder (no symlink out, no device or FIFO), at most
    MAX_FILE_BYTES: modules.json may come with the pull request."""
    real = os.path.realpath(path)
    if os.path.dirname(real) != os.path.realpath(path.parent):
        raise ValueError("it is a symlink out of .terraform/modules")
    fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise ValueError("it is not a regular file")
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(f"it is larger than {MAX_FILE_BYTES:,} bytes")
    return data


def _canonical(source: str) -> str:
    """One spelling per source: what the call says and what `terraform init` recorded
    (`github.com/o/r` is `git::https://github.com/o/r.git`) compare equal."""
    try:
        return repr(parse_source(source))
    except BadSource:
        return source.strip()


def _digest(source: str, version: str | None) -> str:
    return hashlib.sha256(json.dumps([source.strip(), version or ""]).encode()).hexdigest()
