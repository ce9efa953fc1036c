"""Read the base version of a Terraform directory from git, leaving the working tree alone.

`git archive <ref> -- <dir>` is unpacked into a temporary directory, together with the
local-path modules the directory calls (found transitively, wherever they sit in the
repository), so the base is evaluated exactly as the head is.
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from costgate.errors import InputError

_LOCAL_SOURCE = re.compile(r"""["']?source["']?\s*[=:]\s*"(\.{1,2}/[^"]*)\"""")


def _git(args: list[str], cwd: Path) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise InputError("git is not installed (needed for --base-ref)") from None
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise InputError(
            f"git {' '.join(args[:2])} failed: {message[-1] if message else ''}", path=str(cwd)
        )
    return done.stdout


def repository_root(directory: Path) -> Path:
    """Top of the git work tree holding *directory*."""
    try:
        return Path(_git(["rev-parse", "--show-toplevel"], directory).decode().strip())
    except InputError:
        raise InputError(
            "not inside a git repository (--base-ref compares with a git ref)", path=str(directory)
        ) from None


def resolve_ref(ref: str, cwd: Path) -> str:
    """The commit *ref* names, or an error saying how to make it available."""
    try:
        return _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd).decode().strip()
    except InputError:
        raise InputError(
            f"git ref {ref!r} not found; fetch it first (e.g. `git fetch origin "
            "main`; CI checkouts are often shallow)",
            path=str(cwd),
        ) from None


@contextlib.contextmanager
def base_tree(ref: str, directory: Path) -> Iterator[Path | None]:
    """The directory as it is at *ref*, in a temporary copy; None if it did not exist."""
    directory = directory.resolve()
    top = repository_root(directory).resolve()
    commit = resolve_ref(ref, top)
    relative = PurePosixPath(directory.relative_to(top).as_posix())
    with tempfile.TemporaryDirectory(prefix="costgate-base-") as tmp:
        root = Path(tmp)
        # the copy's top is the repository root for the HCL reader's file sandbox
        # (inputs/terraform/hcl/sandbox.py), as the work tree's is for the head side
        (root / ".git").write_bytes(b"")
        extracted: set[PurePosixPath] = set()
        pending = [relative]
        while pending:
            path = pending.pop()
            if any(path == done or done in path.parents for done in extracted):
                continue
            extracted.add(path)
            if _extract(commit, path, top, root):
                pending.extend(_local_modules(root, path))
        target = root / relative
        yield (
            target
            if target.is_dir()
            and any(p.name.endswith((".tf", ".tf.json")) for p in target.iterdir())
            else None
        )


def file_at(commit: str, top: Path, relative: PurePosixPath) -> bytes | None:
    """A regular file's content at *commit*, or None when it is not one there."""
    listing = _git(["ls-tree", "-z", commit, "--", str(relative)], top).split(b"\0")[0]
    if not listing:
        return None
    mode, kind = listing.split(b" ")[:2]
    if kind != b"blob" or mode == b"120000":  # a symlink's blob is its target, not content
        return None
    return _git(["cat-file", "blob", f"{commit}:{relative}"], top)


def _extract(commit: str, path: PurePosixPath, top: Path, into: Path) -> bool:
    spec = str(path) if str(path) != "." else "."
    if spec != "." and not _git(["ls-tree", commit, "--", spec], top).strip():
        return False
    data = _git(["archive", "--format=tar", commit, "--", spec], top)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        if hasattr(tarfile, "data_filter"):
            archive.extractall(into, filter="data")
        else:  # pragma: no cover - Python < 3.10.12
            archive.extractall(into)
    return True


def _local_modules(root: Path, path: PurePosixPath) -> Iterator[PurePosixPath]:
    """Repository paths of the local modules called from files under *path*."""
    base = root / path
    for file in base.rglob("*.tf*"):
        if not file.name.endswith((".tf", ".tf.json")):
            continue
        for source in _LOCAL_SOURCE.findall(file.read_text(encoding="utf-8", errors="replace")):
            target = (file.parent / source).resolve()
            try:
                yield PurePosixPath(target.relative_to(root.resolve()).as_posix())
            except ValueError:
                continue  # outside the repository


def _try_git(args: list[str], cwd: Path) -> str | None:
    """Output of a git command that may fail for ordinary reasons (no upstream, no ref)."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        return None
    return done.stdout.decode().strip() if done.returncode == 0 else None


def merge_base(ref: str, cwd: Path) -> str:
    """The commit where HEAD forked from *ref*: what a pull request changes is measured
    from there, not from *ref*'s tip, which may hold other people's later changes."""
    commit = resolve_ref(ref, cwd)
    found = _try_git(["merge-base", commit, "HEAD"], cwd)
    if not found:
        raise InputError(
            f"no merge base of {ref!r} and HEAD (unrelated histories, or a shallow clone: "
            "fetch with `fetch-depth: 0`)",
            path=str(cwd),
        )
    return found


def default_base(cwd: Path) -> tuple[str, str] | None:
    """What a branch's changes are compared with when nobody says: (ref, description).

    The upstream branch when there is one (`@{upstream}`); else the merge base of HEAD and
    the default branch (`origin/HEAD`, else `main`, else `master`, local or on origin);
    None when there is neither (a new repository, no default branch), so a pre-commit hook
    can skip instead of blocking the first commit on a new branch.
    """
    if _try_git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], cwd) is None:
        return None
    upstream = _try_git(["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"], cwd)
    if upstream:
        return "@{upstream}", f"the upstream branch {upstream}"
    candidates = []
    origin_head = _try_git(["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"], cwd)
    if origin_head:
        candidates.append(origin_head)
    candidates += ["main", "master", "origin/main", "origin/master"]
    for name in candidates:
        if _try_git(["rev-parse", "--verify", "--quiet", f"{name}^{{commit}}"], cwd) is None:
            continue
        found = _try_git(["merge-base", name, "HEAD"], cwd)
        if found:
            return found, f"the merge base of {name} ({found[:12]})"
    return None
