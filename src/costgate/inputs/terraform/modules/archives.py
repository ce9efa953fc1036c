"""Safe extraction of module archives (tar, gzip/bzip2/xz tar, zip).

Only regular files and directories are written; an archive holding an absolute path, a
`..` component, a symlink, a hard link or a device is refused as a whole (UnsafeArchive);
one with more than MAX_MODULE_FILES entries or MAX_MODULE_TREE_BYTES of content stops the
run (FetchLimit). Files are written by costgate (not `extractall`), with modes 0644 / 0755
only. `write_objects` writes an S3 or GCS key prefix's objects with the same rules.
"""

from __future__ import annotations

import hashlib
import io
import json
import posixpath
import stat
import tarfile
import time
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from costgate.inputs.terraform.modules.failures import FetchLimit
from costgate.limits import MAX_MODULE_FILES, MAX_MODULE_TREE_BYTES


class UnsafeArchive(ValueError):
    """An archive that is refused; the message names the entry."""


def member_path(name: str) -> str | None:
    """The relative path of an entry, None for the archive root; UnsafeArchive when it
    would land outside the target."""
    if "\0" in name or name.startswith(("/", "\\")) or "\\" in name or ":" in name[:3]:
        raise UnsafeArchive(f"entry {name!r} has an absolute or Windows path")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise UnsafeArchive(f"entry {name!r} leaves the target directory")
    return posixpath.join(*parts) if parts else None


class Writer:
    """Writes a module's files under *target*, counting files and bytes against the limits."""

    def __init__(self, target: Path):
        self.target = target
        self.files = 0
        self.bytes = 0
        self.digests: dict[str, str] = {}
        """relative path -> SHA-256 of each file written."""

    def count(self, name: str) -> None:
        """One more entry (file or directory)."""
        self.files += 1
        if self.files > MAX_MODULE_FILES:
            raise FetchLimit(f"the module has more than {MAX_MODULE_FILES:,} files")

    def directory(self, relative: str) -> None:
        """Create directory *relative*."""
        (self.target / relative).mkdir(parents=True, exist_ok=True)

    def file(self, relative: str, source: IO[bytes], executable: bool) -> None:
        """Copy *source* to the new file *relative* (FetchLimit past the byte limit)."""
        path = self.target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        remaining = MAX_MODULE_TREE_BYTES - self.bytes
        digest = hashlib.sha256()
        with path.open("xb") as out:
            while True:
                chunk = source.read(min(1024 * 1024, remaining + 1))
                if not chunk:
                    break
                digest.update(chunk)
                remaining -= len(chunk)
                if remaining < 0:
                    raise FetchLimit(
                        f"the module holds more than {MAX_MODULE_TREE_BYTES:,} bytes unpacked"
                    )
                out.write(chunk)
        self.bytes = MAX_MODULE_TREE_BYTES - remaining
        self.digests[relative] = digest.hexdigest()
        path.chmod(0o755 if executable else 0o644)

    def key(self) -> str:
        """A content key for what was written: the SHA-256 of its sorted file digests."""
        listing = json.dumps(sorted(self.digests.items())).encode()
        return hashlib.sha256(listing).hexdigest()


def write_objects(
    names: Iterable[str], open_object: Callable[[str], IO[bytes]], target: Path, deadline: float
) -> str:
    """Write the objects *names* (paths relative to the module's root, read with
    *open_object*) as files of the new directory *target*, as go-getter copies an S3 or
    GCS "folder"; returns the tree's content key. UnsafeArchive for a name that would
    leave *target*; FetchLimit past the file or byte limits, or after *deadline*
    (`time.monotonic()`: many slow objects must not add up to hours)."""
    target.mkdir()
    writer = Writer(target)
    for name in names:
        if time.monotonic() > deadline:
            raise FetchLimit("downloading its objects took longer than this run's fetch budget")
        writer.count(name)
        relative = member_path(name)
        if relative is None:
            continue
        try:
            with open_object(name) as handle:
                writer.file(relative, handle, False)
        except (FileExistsError, NotADirectoryError):
            raise UnsafeArchive(f"object {name!r} clashes with another object") from None
    if not writer.digests:
        raise UnsafeArchive("there are no objects under that prefix")
    return writer.key()


def extract(data: bytes, kind: str, target: Path) -> None:
    """Unpack archive *data* of type *kind* (`zip` or a tar type) into the empty
    directory *target*; UnsafeArchive (a ValueError) when refused or malformed."""
    writer = Writer(target)
    try:
        if kind == "zip":
            _zip(data, writer)
        else:
            _tar(data, writer)
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as exc:
        if isinstance(exc, FileExistsError):
            raise UnsafeArchive(f"entry {exc.filename} appears twice") from None
        raise UnsafeArchive(f"not a readable {kind} archive: {exc}") from None


def _tar(data: bytes, writer: Writer) -> None:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
        for member in archive:
            writer.count(member.name)
            relative = member_path(member.name)
            if member.isdir():
                if relative:
                    writer.directory(relative)
            elif member.isreg():
                if relative is None:
                    raise UnsafeArchive(f"entry {member.name!r} has no name")
                handle = archive.extractfile(member)
                if handle is None:
                    raise UnsafeArchive(f"entry {member.name!r} cannot be read")
                writer.file(relative, handle, bool(member.mode & 0o111))
            elif member.issym() or member.islnk():
                raise UnsafeArchive(f"entry {member.name!r} is a link; links are refused")
            else:
                raise UnsafeArchive(f"entry {member.name!r} is a device, FIFO or special file")


def _zip(data: bytes, writer: Writer) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            writer.count(info.filename)
            relative = member_path(info.filename)
            mode = info.external_attr >> 16
            kind = stat.S_IFMT(mode)
            if info.is_dir():
                if relative:
                    writer.directory(relative)
            elif kind and kind != stat.S_IFREG:
                what = "a link" if kind == stat.S_IFLNK else "a device or special file"
                raise UnsafeArchive(f"entry {info.filename!r} is {what}; refused")
            else:
                if relative is None:
                    raise UnsafeArchive(f"entry {info.filename!r} has no name")
                with archive.open(info) as handle:
                    writer.file(relative, handle, bool(mode & 0o111))
