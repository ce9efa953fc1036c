"""costgate's on-disk cache: results that depend only on content, keyed by its digest.

A pre-commit hook runs costgate on every commit with the same policy and usage files and
mostly the same Terraform files; re-parsing and re-validating them each time is waste.
Entries are keyed by a SHA-256 of everything the result depends on (including costgate's
version), so a stale entry is never read, only left behind. The cache lives in
`$COSTGATE_CACHE_DIR`, else `$XDG_CACHE_HOME/costgate`, else `~/.cache/costgate`;
`COSTGATE_CACHE_DIR=off` disables it. A cache that cannot be written is ignored.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def cache_dir() -> Path | None:
    """Where results are cached, or None when caching is off."""
    configured = os.environ.get("COSTGATE_CACHE_DIR")
    if configured:
        return None if configured.lower() in ("off", "0", "none") else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "costgate"


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
