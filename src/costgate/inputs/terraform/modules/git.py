"""Shallow git clones of module sources, bounded in time and kept away from local files.

git runs with a scrubbed transport list (`GIT_ALLOW_PROTOCOL=https:http:git:ssh`: no
`file://`, no `ext::` helpers), no terminal prompts, ssh in batch mode, no LFS smudging,
no system or global config, in its own session, killed with its children at the timeout.
The clone's `.git` directory is removed; its commit id names the tree in the cache.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Mapping
from pathlib import Path

from costgate.inputs.terraform.modules.failures import FetchError, FetchLimit
from costgate.limits import MAX_MODULE_FILES, MAX_MODULE_TREE_BYTES

_PASS = ("PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "SSL_CERT_FILE", "SSL_CERT_DIR")
_PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy")


def _environment(environ: Mapping[str, str]) -> dict[str, str]:
    env = {k: environ[k] for k in (*_PASS, *_PROXIES) if k in environ}
    env.update(
        GIT_ALLOW_PROTOCOL=environ.get("COSTGATE_GIT_ALLOW_PROTOCOL", "https:http:git:ssh"),
        GIT_TERMINAL_PROMPT="0",
        GIT_SSH_COMMAND="ssh -o BatchMode=yes",
        GIT_LFS_SKIP_SMUDGE="1",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
    )
    return env


def _git(args: list[str], cwd: Path | None, env: dict[str, str], timeout: float) -> str:
    process = subprocess.Popen(
        ["git", "-c", "protocol.file.allow=never", "-c", "core.hooksPath=/dev/null", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise FetchLimit(f"git {args[0]} took longer than {timeout:g} s") from None
    if process.returncode != 0:
        last = err.decode(errors="replace").strip().splitlines()[-1:] or ["failed"]
        raise FetchError(f"git {args[0]} failed: {last[0][:200]}")
    return out.decode(errors="replace").strip()


def clone(url: str, ref: str, target: Path, environ: Mapping[str, str], timeout: float) -> str:
    """Clone *url* at *ref* (branch, tag or commit; "" the default branch) into the new
    directory *target*; returns the commit id. FetchError on failure."""
    if shutil.which("git") is None:
        raise FetchError("git is not installed")
    env = _environment(environ)
    shallow = ["clone", "--quiet", "--depth", "1", "--no-tags"]
    try:
        _git(
            [*shallow, *(["--branch", ref] if ref else []), "--", url, str(target)],
            None,
            env,
            timeout,
        )
    except FetchError:
        if not ref:
            raise
        shutil.rmtree(target, ignore_errors=True)
        _git(["clone", "--quiet", "--no-checkout", "--", url, str(target)], None, env, timeout)
        _git(["checkout", "--quiet", "--detach", ref, "--"], target, env, timeout)
    commit = _git(["rev-parse", "HEAD"], target, env, timeout)
    shutil.rmtree(target / ".git")
    _check_size(target)
    return commit


def _check_size(target: Path) -> None:
    files = size = 0
    for _dirpath, dirnames, filenames in os.walk(target):
        files += len(filenames) + len(dirnames)
        for name in filenames:
            try:
                size += os.lstat(os.path.join(_dirpath, name)).st_size
            except OSError:
                continue
        if files > MAX_MODULE_FILES or size > MAX_MODULE_TREE_BYTES:
            raise FetchLimit(
                f"the clone holds more than {MAX_MODULE_FILES:,} files or "
                f"{MAX_MODULE_TREE_BYTES:,} bytes"
            )
