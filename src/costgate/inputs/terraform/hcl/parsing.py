"""Parse many Terraform files fast: a content-addressed cache, and worker processes.

python-hcl2's Lark grammar (run by lark-cython where installed, see `syntax._fast_parser`)
is most of the time of a cold check. Files whose text was parsed before (the usual case for
a pre-commit hook, and for the base side of `diff --base-ref`) are loaded from costgate's
on-disk cache (`costgate.cache`; `COSTGATE_CACHE_DIR=off` disables it); the rest are parsed
in worker processes when there are many.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from costgate import cache as disk_cache
from costgate.errors import InputError
from costgate.inputs.terraform.hcl import codec
from costgate.inputs.terraform.hcl.syntax import Body, parse_file, relocate

CACHE_FORMAT = "hcl-json-2"
"""Bump when the shape of parsed bodies or what parsing accepts changes, so old cache
entries are not read (the key also holds costgate's version and python-hcl2's grammar)."""
PARALLEL_FROM = 8
"""Parse with the grammar in worker processes when at least this many files need it."""
_CACHE = "hcl"
"""The parse cache's namespace in costgate's on-disk cache (`costgate.cache`)."""


@functools.cache
def _version_tag() -> bytes:
    """The cache format and python-hcl2's grammar and post-lexer, which decide every parse
    (read from their files: asking package metadata for the version costs ~30 ms)."""
    import importlib.util

    spec = importlib.util.find_spec("hcl2")
    folder = Path(next(iter(spec.submodule_search_locations or ()), "")) if spec else Path()
    parts = [CACHE_FORMAT.encode()]
    for name in ("hcl2.lark", "postlexer.py"):
        try:
            parts.append((folder / name).read_bytes())
        except OSError:
            parts.append(b"?")
    return b"\0".join(parts)


def cache_key(data: bytes) -> str:
    """The parse cache key of a file's bytes (with costgate's version, via the digest)."""
    return disk_cache.digest(_version_tag(), data)


def _read(path: Path, display: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", path=display) from None


def parse_files(
    files: list[tuple[Path, str]], read: Callable[[Path, str], bytes] = _read
) -> list[Body]:
    """Parsed bodies of (path, display name) pairs, in order; *read* reads each file once
    (the HCL reader passes its sandbox's, which refuses files outside the repository)."""
    caching = disk_cache.cache_dir() is not None
    results: list[Body | None] = [None] * len(files)
    keys: list[str] = []
    misses: list[int] = []
    texts: list[bytes] = []
    for i, (path, display) in enumerate(files):
        data = read(path, display)
        texts.append(data)
        key = cache_key(data) if caching else ""
        keys.append(key)
        cached = _load(key) if caching else None
        if cached is None:
            misses.append(i)
        else:
            results[i] = (
                cached if _file_of(cached) in (display, None) else relocate(cached, display)
            )
    jobs = [(*files[i], texts[i]) for i in misses]
    for i, body in zip(misses, _parse_all(jobs), strict=True):
        results[i] = body
        if caching:
            _store(keys[i], body)
    return [body for body in results if body is not None]


def _file_of(body: Body) -> str | None:
    for attr in body.attributes.values():
        return attr.file
    for block in body.blocks:
        return block.file
    return None


def _parse_all(files: list[tuple[Path, str, bytes]]) -> list[Body]:
    """Bodies of *files* in order; the first file's input error (in file order) is raised."""
    workers = min(os.cpu_count() or 1, 4)
    if (
        len(files) < PARALLEL_FROM
        or workers < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        outcomes = [_parse_job(job) for job in files]
    else:
        from costgate.inputs.terraform.hcl.syntax import prepare_parser

        prepare_parser()
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            outcomes = list(pool.map(_parse_job, files))  # one file a task: sizes differ
    bodies = []
    for outcome in outcomes:
        if isinstance(outcome, tuple):
            message, path, location = outcome
            raise InputError(message, path=path, location=location)
        bodies.append(outcome)
    return bodies


def _parse_job(job: tuple[Path, str, bytes]) -> Body | tuple[str, str | None, str | None]:
    """Worker: a body, or an input error as plain data (exceptions do not pickle well)."""
    try:
        return parse_file(*job)
    except InputError as exc:
        return exc.message, exc.path, exc.location


def _store(key: str, body: Body) -> None:
    try:
        data = codec.dumps(body)
    except TypeError:
        return  # a value the cache format cannot hold: parsed again next time
    disk_cache.write(_CACHE, key, data)


def _load(key: str) -> Body | None:
    """A cached body, or None: entries are JSON data checked as they are read (never
    unpickled), so a corrupt or planted entry is parsed again, not executed."""
    data = disk_cache.read(_CACHE, key)
    if data is None:
        return None
    try:
        return codec.loads(data)
    except ValueError:
        return None
