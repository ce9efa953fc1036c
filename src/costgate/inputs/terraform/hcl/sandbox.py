"""Where the HCL reader may read files: inside the repository, regular files, bounded size.

A pull request controls its `.tf` files, so it controls the paths they name. `file()`,
module sources and var files could otherwise read `../.git/config` (the checkout token),
`/proc/self/environ` (every secret of the runner), block on a FIFO or stream `/dev/zero`.
The repository root is the git work tree holding the input directory (found by walking up
to a `.git` entry), else the input directory itself. A path is readable when its real path
(symlinks resolved) lies under that root, not under its `.git` folder, and is a regular
file; files are opened with O_NONBLOCK and checked again with `fstat` on the open
descriptor, so a FIFO swapped in after the check cannot block the run either.

A remote module fetched into costgate's cache is read from its own tree: `allow(tree)`
adds that tree as a further root, with the same rules (real path under it, no `.git`).
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from costgate.errors import InputError
from costgate.inputs.terraform.hcl.evaluate import LimitExceeded
from costgate.limits import MAX_FILE_BYTES

_SYSTEM = (Path("/proc"), Path("/dev"), Path("/sys"))


def repository_root(directory: Path) -> Path:
    """The git work tree holding *directory*, else *directory* itself (real paths)."""
    start = Path(os.path.realpath(directory))
    for candidate in (start, *start.parents):
        if os.path.lexists(candidate / ".git"):
            return candidate
    return start


class Outside(Exception):
    """A path the sandbox does not read; the message says why, never the content."""


class Sandbox:
    """The repository root, and the notes of file functions that were refused."""

    def __init__(self, root: Path):
        self.root = root
        self.trees: list[Path] = []
        """Fetched module trees (real paths), readable like the repository."""
        self.notes: list[str] = []

    def allow(self, tree: Path) -> None:
        """Let the reader read files under *tree* (a fetched module source)."""
        real = Path(os.path.realpath(tree))
        if real not in self.trees:
            self.trees.append(real)

    def real(self, path: Path) -> Path:
        """The real path of *path*, when it may be read at all (else Outside)."""
        text = str(path)
        if text.startswith("~"):
            raise Outside("names a home directory")
        real = Path(os.path.realpath(path))
        if any(real == s or s in real.parents for s in _SYSTEM):
            raise Outside("reads a system file")
        for root in (self.root, *self.trees):
            if real == root or root in real.parents:
                if ".git" in real.relative_to(root).parts:
                    raise Outside("reads git metadata")
                return real
        raise Outside("reads outside the repository")

    def is_regular(self, path: Path) -> bool:
        """True for a regular file inside the repository (never follows into a device)."""
        try:
            return stat.S_ISREG(os.lstat(self.real(path)).st_mode)
        except (Outside, OSError):
            return False

    def read_bytes(self, path: Path) -> bytes:
        """The bytes of a regular file inside the repository, at most MAX_FILE_BYTES.

        Raises Outside (not read: the caller decides what that means), LimitExceeded
        for a file too large, OSError when it cannot be read.
        """
        real = self.real(path)
        if not stat.S_ISREG(os.lstat(real).st_mode):
            raise Outside("is not a regular file (a device, FIFO, socket or directory)")
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise Outside("is not a regular file (a device, FIFO, socket or directory)")
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise LimitExceeded(
                f"{path.name} is larger than {MAX_FILE_BYTES:,} bytes, the limit on files "
                "costgate reads"
            )
        return data

    def refuse(self, function: str, argument: str, why: Outside) -> None:
        """Remember a refused file function call; the caller adds the location."""
        shown = json.dumps(argument[:80])
        self.notes.append(f"`{function}({shown})` {why}; treated as unknown")

    def take_notes(self) -> list[str]:
        """The refusals since the last call (one attribute's evaluation)."""
        notes, self.notes = self.notes, []
        return notes

    def source_file(self, path: Path, display: str, what: str) -> bytes:
        """A `.tf` or variables file: inside the repository and regular, else exit 2.

        A path given outside the repository (a `--var-file` the user typed) is read when
        it is itself a regular file; one inside it must stay inside through its symlinks.
        """
        lexical = Path(os.path.abspath(path))
        inside = any(lexical == r or r in lexical.parents for r in (self.root, *self.trees))
        try:
            if inside:
                return self.read_bytes(path)
            return Sandbox(Path(os.path.realpath(lexical.parent))).read_bytes(path)
        except Outside as why:
            raise InputError(
                f"{what} {why}; not read (a symlink must point inside the repository {self.root})",
                path=display,
            ) from None
        except LimitExceeded as exc:
            raise InputError(str(exc), path=display) from None
        except OSError as exc:
            raise InputError(f"cannot read the file: {exc.strerror}", path=display) from None
