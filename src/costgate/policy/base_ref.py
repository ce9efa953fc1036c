"""The base revision's policy judges a pull request (`costgate diff --base-ref REF`).

A pull request's files are untrusted: if its own `.costgate.yml` judged it, a PR could
relax the policy and pass its own gate. So the policy files (`.costgate.yml` discovery
and `--policy` files inside the repository) and the usage file are read as they are at
REF; files given outside the repository stay as given (the PR cannot change them). The
PR's own versions are still read, to say what the PR changes.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from costgate.errors import CostgateError
from costgate.git import file_at, repository_root, resolve_ref
from costgate.model import PolicyChange, Severity
from costgate.policy.changes import policy_changes
from costgate.policy.loader import (
    REPO_POLICY_FILE,
    Policy,
    default_policy_file,
    discover_policy_files,
    load_policy,
)


@dataclass(frozen=True)
class PolicyRequest:
    """The policy and usage files a diff was asked to use, and whose version applies."""

    explicit: tuple[Path, ...] = ()
    """--policy files (none: `.costgate.yml` in *cwd*, else the bundled policy)."""
    usage_file: Path | None = None
    cwd: Path = Path()
    fail_on: Severity | None = None
    """--fail-on; None: the applied policy's `fail_on`, else error."""
    from_head: bool = False
    """Judge by the PR's own policy (still reporting the change): for trusted branches."""
    fail_on_change: bool = False


@dataclass(frozen=True)
class Judging:
    """The policy that judges the run, its usage file, and what the PR changes in them."""

    policy: Policy
    usage_file: Path | None
    fail_on: Severity
    change: PolicyChange | None
    usage_label: str | None = None
    """`REF:path` when *usage_file* is the base's temporary copy: how warnings name it."""


@dataclass(frozen=True)
class _Side:
    """One file (policy or usage) on both sides: working tree path and base copy."""

    head: Path
    relative: PurePosixPath | None
    """Repository path, or None for a file outside the repository (used as given)."""
    base: Path | None
    """The base version (a temporary copy), the file itself when outside, None if absent."""


def _in_repository(path: Path, cwd: Path, top: Path) -> PurePosixPath | None:
    """*path*'s repository path, without following a symlink the file itself may be."""
    absolute = Path(os.path.abspath(cwd / path))
    for candidate in (absolute, Path(os.path.realpath(absolute.parent)) / absolute.name):
        with contextlib.suppress(ValueError):
            return PurePosixPath(candidate.relative_to(top).as_posix())
    return None


@contextlib.contextmanager
def judging_policy(ref: str, directory: Path, request: PolicyRequest) -> Iterator[Judging]:
    """The policy to judge a diff against *ref* with; base copies live inside the block."""
    top = repository_root(directory).resolve()
    commit = resolve_ref(ref, top)
    with tempfile.TemporaryDirectory(prefix="costgate-policy-") as tmp:

        def side(path: Path) -> _Side:
            relative = _in_repository(path, request.cwd, top)
            if relative is None:
                return _Side(path, None, path)
            data = file_at(commit, top, relative)
            if data is None:
                return _Side(path, relative, None)
            copy = Path(tmp, *relative.parts)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_bytes(data)
            return _Side(path, relative, copy)

        candidates = list(request.explicit) or [request.cwd / REPO_POLICY_FILE]
        policies = [
            s
            for s in map(side, candidates)
            if request.explicit or s.relative is not None or s.head.is_file()
        ]
        usage = side(request.usage_file) if request.usage_file else None
        head_files = discover_policy_files(list(request.explicit), request.cwd)
        base, base_error = _attempt(lambda: _load_base(policies, ref, tmp))
        head, head_error = _attempt(lambda: load_policy(head_files))
        applied, applied_error = (head, head_error) if request.from_head else (base, base_error)
        if applied is None:
            assert applied_error is not None
            raise applied_error  # the policy that judges the run must load: exit 2
        other_error = base_error if request.from_head else head_error
        change = _change(ref, policies, usage, base, head, other_error, request.from_head)
        copied = usage is not None and not request.from_head and usage.relative is not None
        yield Judging(
            policy=applied,
            usage_file=(usage.head if request.from_head else usage.base) if usage else None,
            fail_on=request.fail_on or applied.fail_on or Severity.ERROR,
            change=change,
            usage_label=f"{ref}:{usage.relative}" if copied and usage else None,
        )


def _load_base(policies: list[_Side], ref: str, tmp: str) -> Policy:
    """The base's policy, named `REF:path` in its messages; the bundled policy when the
    base has none of the files."""
    files = [s.base for s in policies if s.base is not None] or [default_policy_file()]
    try:
        policy = load_policy(files)
    except CostgateError as err:
        if err.path and err.path.startswith(tmp):
            err.path = f"{ref}:{Path(err.path).relative_to(tmp).as_posix()}"
        raise
    names = {str(s.base): f"{ref}:{s.relative}" for s in policies if s.relative and s.base}
    return replace(
        policy,
        files=tuple(names.get(f, f) for f in policy.files),
        exemptions=tuple(
            replace(e, source=names.get(e.source, e.source)) for e in policy.exemptions
        ),
    )


def _attempt(load: Callable[[], Policy]) -> tuple[Policy | None, CostgateError | None]:
    """A policy, or why it does not load: an error only for the side that judges the run;
    for the other side it is a change (a PR that breaks its policy file is still judged)."""
    try:
        return load(), None
    except CostgateError as err:
        return None, err


def _read(path: Path | None) -> bytes | None:
    try:
        return path.read_bytes() if path is not None else None
    except OSError:
        return None


def _change(
    ref: str,
    policies: list[_Side],
    usage: _Side | None,
    base: Policy | None,
    head: Policy | None,
    other_error: CostgateError | None,
    from_head: bool,
) -> PolicyChange | None:
    files: list[str] = []
    lines: list[str] = []
    for item, kind in [*((p, "policy") for p in policies), *([(usage, "usage")] if usage else [])]:
        if item.relative is None:
            continue
        before, after = _read(item.base), _read(item.head)
        if before == after:
            continue
        files.append(str(item.relative))
        if before is None:
            lines.append(f"{kind} file {item.relative} added")
        elif after is None:
            lines.append(f"{kind} file {item.relative} removed")
        elif kind == "usage":
            lines.append(f"usage file {item.relative} changed")
    if other_error is not None:
        side = f"the policy at {ref}" if from_head else "the pull request's policy"
        lines.append(f"{side} does not load: {other_error}")
    elif base is not None and head is not None:
        lines += policy_changes(base, head)
    if not files or len(lines) == 0:
        return None
    return PolicyChange(
        ref=ref, applied="head" if from_head else "base", files=tuple(files), changes=tuple(lines)
    )
