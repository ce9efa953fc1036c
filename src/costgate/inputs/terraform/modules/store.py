"""Fetched module sources in costgate's cache directory (`<cache>/modules/`).

    trees/<key>/          one unpacked source tree, named by its content: the SHA-256
                          of the downloaded archive, or `git-<commit id>`
    sources/<digest>.json what a source address (and version constraint) resolved to:
                          {"tree": key, "subdir": "...", "version": "..."}
    lock                  fcntl.flock'ed while a run fetches and installs

A tree is unpacked into a temporary directory and renamed into place, so a reader never
sees half a tree; fetching happens under the lock, so parallel runs fetch a source once.
Index entries are validated as they are read (a corrupt one is a cache miss).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from costgate.inputs.terraform.modules.failures import FetchError
from costgate.inputs.terraform.modules.sources import BadSource, clean_subdir

_TREE = re.compile(r"^(?:[0-9a-f]{64}|git-[0-9a-f]{40,64})$")
LOCK_WAIT = 300.0
"""Seconds a run waits for another run's fetch before giving up on the lock."""


@dataclass(frozen=True)
class Entry:
    """A resolved source: its tree, the module's subdirectory and the version picked."""

    tree: str
    subdir: str
    version: str


class Store:
    """The module cache under *root* (`<costgate cache>/modules`)."""

    def __init__(self, root: Path):
        self.root = root

    def tree(self, key: str) -> Path:
        """The directory of tree *key* (which may not exist)."""
        return self.root / "trees" / key

    def lookup(self, digest: str) -> Entry | None:
        """The entry remembered for *digest* when it and its tree exist and are valid."""
        try:
            data = json.loads((self.root / "sources" / f"{digest}.json").read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        tree, subdir, version = data.get("tree"), data.get("subdir"), data.get("version")
        if not (isinstance(tree, str) and _TREE.match(tree)):
            return None
        if not isinstance(subdir, str) or not isinstance(version, str):
            return None
        try:
            subdir = clean_subdir(subdir)
        except BadSource:
            return None
        if not self.tree(tree).is_dir():
            return None
        return Entry(tree, subdir, version)

    def remember(self, digest: str, entry: Entry) -> None:
        """Record what *digest* resolved to (atomically)."""
        folder = self.root / "sources"
        folder.mkdir(parents=True, exist_ok=True)
        data = json.dumps({"tree": entry.tree, "subdir": entry.subdir, "version": entry.version})
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(fd, "w") as handle:
            handle.write(data)
        os.replace(tmp, folder / f"{digest}.json")

    def install(self, populate: Callable[[Path], str]) -> str:
        """Run *populate* on a new temporary directory; it returns the tree's key, under
        which the directory is kept (an existing tree of that key is reused)."""
        trees = self.root / "trees"
        trees.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(dir=trees, prefix=".tmp-"))
        try:
            target = work / "tree"
            key = populate(target)
            if not _TREE.match(key):
                raise FetchError(f"bad tree key {key!r}")
            if not self.tree(key).is_dir():
                os.rename(target, self.tree(key))
            return key
        finally:
            shutil.rmtree(work, ignore_errors=True)

    @contextlib.contextmanager
    def locked(self, wait: float = LOCK_WAIT) -> Iterator[None]:
        """Hold the cache's lock (waiting at most *wait* seconds for another run)."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / "lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise FetchError(
                            f"another costgate run held the module cache lock for {wait:g} s"
                        ) from None
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
