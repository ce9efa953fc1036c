"""API tokens for private module registries, found where Terraform finds them.

In Terraform's order (`cliconfig.CredentialsSource.ForHost`), for registry host HOST:

1. the environment variable `TF_TOKEN_<HOST>`, dots written as `_` and hyphens as `__`
   (`TF_TOKEN_app_terraform_io`, `TF_TOKEN_my__registry_example_com`);
2. a `credentials "HOST" { token = "..." }` block in the CLI configuration file:
   `$TF_CLI_CONFIG_FILE`, else `~/.terraformrc` (HCL, or JSON when the name ends in `.json`);
3. the credentials file `terraform login` writes, `~/.terraform.d/credentials.tfrc.json`
   (`{"credentials": {"HOST": {"token": "..."}}}`).

Credential helpers (`credentials_helper`) are not run. Host names compare lower-cased,
`:443` dropped. A file that cannot be read is a note, never an error: it is the runner's,
not the pull request's. Nothing here logs or returns a token except to its caller.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from costgate.limits import MAX_REGISTRY_RESPONSE_BYTES


def host_key(host: str) -> str:
    """*host* as Terraform compares it: lower case, without the default `:443`."""
    host = host.strip().lower()
    return host[:-4] if host.endswith(":443") else host


def env_name(host: str) -> str:
    """The `TF_TOKEN_` variable for *host* (Terraform's spelling)."""
    key = host_key(host)
    return "TF_TOKEN_" + key.replace("-", "__").replace(".", "_").replace(":", "_")


def token_for(host: str, environ: Mapping[str, str], notes: list[str] | None = None) -> str | None:
    """The token for registry *host*, else None; problems reading a file go to *notes*."""
    wanted = env_name(host).lower()
    for key, value in environ.items():
        if key.lower() == wanted and value:
            return value
    key = host_key(host)
    for path in _config_files(environ):
        found = _tokens(path, notes if notes is not None else [])
        if key in found:
            return found[key]
    return None


def _config_files(environ: Mapping[str, str]) -> list[Path]:
    files: list[Path] = []
    home = environ.get("HOME")
    configured = environ.get("TF_CLI_CONFIG_FILE") or environ.get("TERRAFORM_CONFIG")
    if configured:
        files.append(Path(configured))
    elif home:
        files.append(Path(home) / ".terraformrc")
    if home:
        files.append(Path(home) / ".terraform.d" / "credentials.tfrc.json")
    return files


def _tokens(path: Path, notes: list[str]) -> dict[str, str]:
    """host -> token from one CLI configuration or credentials file ({} when absent)."""
    if not os.path.lexists(path):
        return {}
    try:
        text = _read(path)
        if path.name.endswith(".json"):
            data = json.loads(text)
            credentials = data.get("credentials") if isinstance(data, dict) else None
            entries = credentials.items() if isinstance(credentials, dict) else ()
            return {
                host_key(h): e["token"]
                for h, e in entries
                if isinstance(e, dict) and isinstance(e.get("token"), str) and e["token"]
            }
        return _hcl_tokens(text, str(path))
    except (OSError, ValueError) as exc:
        notes.append(f"Terraform CLI credentials in {path} are not read: {exc}")
        return {}


def _hcl_tokens(text: str, display: str) -> dict[str, str]:
    from costgate.errors import InputError
    from costgate.inputs.terraform.hcl.syntax import parse_hcl
    from costgate.inputs.terraform.hcl.variables import constant

    try:
        body = parse_hcl(text, display)
    except InputError as exc:  # its message may quote the line, and the line a token
        raise ValueError(f"it is not valid HCL (line {exc.location or '?'})") from None
    found: dict[str, str] = {}
    for block in body.blocks:
        attribute = block.body.attributes.get("token")
        if block.type != "credentials" or len(block.labels) != 1 or attribute is None:
            continue
        try:
            token: Any = constant(attribute.expr, "credentials token", display, attribute.line)
        except InputError:
            raise ValueError(f"the token on line {attribute.line} is not a string") from None
        if isinstance(token, str) and token:
            found.setdefault(host_key(block.labels[0]), token)
    return found


def _read(path: Path) -> str:
    """A regular file of at most MAX_REGISTRY_RESPONSE_BYTES (no FIFO, no device)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise ValueError("it is not a regular file")
        data = handle.read(MAX_REGISTRY_RESPONSE_BYTES + 1)
    if len(data) > MAX_REGISTRY_RESPONSE_BYTES:
        raise ValueError(f"it is larger than {MAX_REGISTRY_RESPONSE_BYTES:,} bytes")
    return data.decode("utf-8", errors="replace")
