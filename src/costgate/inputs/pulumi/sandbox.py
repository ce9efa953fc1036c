"""What a Pulumi program's child process may see, and how it is stopped.

A pull request's program is untrusted code running on a CI runner that holds tokens and
cloud keys, so the child gets an allow-listed environment (no GITHUB_TOKEN, no OIDC
request token, no AWS/Azure/Google credentials, no Pulumi access token or passphrase),
runs in its own session, and at the timeout everything it started is killed.

Limits, honestly: the child runs as the same user with the same file access as costgate
(this is not a container); and a process that leaves the child's session (`setsid()`)
*and* is orphaned before the timeout (its parent exited, so it is re-parented to init)
is no longer found: costgate kills the child's session and every process descended from
it that is still in the tree, found through /proc. Run costgate in a disposable job
container for a stronger boundary.
"""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Mapping
from pathlib import Path

_ALLOWED = frozenset(
    {
        "PATH",
        "HOME",
        "USER",  # programs name resources or tag them after the user (pulumi/examples)
        "LOGNAME",
        "LANG",
        "LANGUAGE",
        "TZ",
        "TMPDIR",
        "TEMP",
        "TMP",
        "PYTHONPATH",
        "SYSTEMROOT",  # Windows: Python cannot start without it
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "NO_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "no_proxy",
        "all_proxy",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "REQUESTS_CA_BUNDLE",
    }
)
_SECRET_NAME = re.compile(r"TOKEN|PASSPHRASE|SECRET|PASSWORD|CREDENTIAL|ACCESS_KEY", re.I)
RUNNER_ENVIRONMENT = {
    "PYTHONDONTWRITEBYTECODE": "1",  # leave no __pycache__ in the repository
    "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
}
"""Set for every run: what the runner itself needs."""


def allowed(name: str) -> bool:
    """Whether the variable *name* is passed to a program: locale, paths, proxies and
    Pulumi settings, never anything named like a token, key or password."""
    if name in _ALLOWED or name.startswith("LC_"):
        return True
    return name.startswith("PULUMI_") and name != "PULUMI_CONFIG" and not _SECRET_NAME.search(name)


def scrubbed_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The child's environment: the allowed part of *environ* plus the runner's settings."""
    return {**{k: v for k, v in environ.items() if allowed(k)}, **RUNNER_ENVIRONMENT}


def _proc_children() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, session id) of every process, from /proc."""
    table: dict[int, tuple[int, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
        table[int(entry.name)] = (int(fields[1]), int(fields[3]))
    return table


def process_tree(root: int) -> set[int]:
    """*root*, its descendants and the members of its session (Linux /proc; elsewhere
    just *root*)."""
    if not Path("/proc/self/stat").exists():
        return {root}
    table = _proc_children()
    found = {root} | {pid for pid, (_, sid) in table.items() if sid == root}
    grew = True
    while grew:
        more = {pid for pid, (ppid, _) in table.items() if ppid in found} - found
        found |= more
        grew = bool(more)
    return found


def kill_tree(root: int) -> None:
    """Stop the child *root* (a session leader) and everything it started.

    Everything found is first stopped (SIGSTOP: nothing forks or re-parents while the
    tree is walked again), then killed, session included.
    """
    stopped: set[int] = set()
    for _ in range(3):  # until a walk finds nothing new
        found = process_tree(root) - stopped
        if not found:
            break
        for pid in found:
            _signal(pid, signal.SIGSTOP)
        stopped |= found
    for pid in stopped:
        _signal(pid, signal.SIGKILL)
    try:
        os.killpg(root, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _signal(pid: int, sig: signal.Signals) -> None:
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass
