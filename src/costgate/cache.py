"""costgate's on-disk cache: results that depend only on content, keyed by its digest.

A pre-commit hook runs costgate on every commit with the same policy and usage files and
mostly the same Terraform files; re-parsing and re-validating them each time is waste.
Entries are keyed by a SHA-256 of everything the result depends on (including costgate's
version), so a stale entry is never read, only left behind. The cache lives in
`$COSTGATE_CACHE_DIR`, else `$XDG_CACHE_HOME/costgate`, else `~/.cache/costgate`;
`COSTGATE_CACHE_DIR=off` disables it. A cache that cannot be written is ignored.

Entries are data, never code: callers store JSON (no pickle), and validate what they load.
Because an entry decides what costgate believes a file says, the directory must be
costgate's user's alone: it is created with mode 0700, and one that is a symlink, owned
by another user or writable by group or others is not used (the run says so in a
warning and goes on without the cache); one of ours that others can only read is
tightened to 0700.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path

_verdicts: dict[str, str | None] = {}
"""Directory -> why it is not used (None: usable), checked once per process."""


def configured_dir() -> Path | None:
    """The configured cache directory, or None when caching is off."""
    configured = os.environ.get("COSTGATE_CACHE_DIR")
    if configured:
        return None if configured.lower() in ("off", "0", "none") else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "costgate"


def cache_dir() -> Path | None:
    """Where results are cached, or None when caching is off or the directory is unsafe."""
    directory = configured_dir()
    if directory is None:
        return None
    key = str(directory)
    if key not in _verdicts:
        _verdicts[key] = _unsafe(directory)
    return None if _verdicts[key] else directory


def problems() -> tuple[str, ...]:
    """Warnings about cache directories this process refused to use."""
    return tuple(
        f"cache directory {path} is not used: {why}; running without the cache"
        for path, why in _verdicts.items()
        if why
    )


def _unsafe(directory: Path) -> str | None:
    """Why *directory* must not hold the cache, or None when it is ours alone (created
    0700 if missing; a cache that cannot be created is simply not written)."""
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        directory.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError:
        return None  # not creatable: writes fail quietly, as before
    try:
        info = directory.lstat()
    except OSError:
        return None
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        return "it is a symlink or not a directory"
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return f"it is owned by another user (uid {info.st_uid})"
    if info.st_mode & 0o022:
        return f"group or others can write to it (mode {stat.S_IMODE(info.st_mode):o})"
    if info.st_mode & 0o077:
        try:
            directory.chmod(0o700)
        except OSError:
            return "its mode cannot be set to 0700"
    return None


def digest(*parts: bytes) -> str:
    """Hex key for content *parts* and costgate's version (parts are length-prefixed, so
    they cannot run into each other)."""
    from costgate import __version__

    h = hashlib.sha256(__version__.encode())
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def entry(namespace: str, key: str) -> Path | None:
    """Path of a cache entry (which may not exist), or None when caching is off."""
    directory = cache_dir()
    return directory / namespace / key[:2] / key if directory else None


def read(namespace: str, key: str) -> bytes | None:
    """An entry's bytes, or None when absent, unreadable or caching is off."""
    path = entry(namespace, key)
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def write(namespace: str, key: str, data: bytes) -> None:
    """Store an entry atomically (a reader never sees half a file); failures are ignored."""
    path = entry(namespace, key)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        return  # a read-only home must not break a check
