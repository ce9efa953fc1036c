"""The Terraform module registry protocol, and the credentials for private registries.

1. service discovery: `GET https://HOST/.well-known/terraform.json` -> `modules.v1`
   (a URL, or a path relative to the discovery document);
2. `GET <modules.v1>/<namespace>/<name>/<provider>/versions` -> the available versions;
3. `GET <modules.v1>/<namespace>/<name>/<provider>/<version>/download` -> the source in
   the `X-Terraform-Get` header (or a JSON body's `location`), relative to that URL.

A token for HOST is found as Terraform finds it (`credentials.py`); it is sent to HOST's
registry API, and to a download location on the same scheme, host and port (a private
registry serving its own archives), never to another host, nor along a redirect.

`COSTGATE_REGISTRY_OVERRIDES=host=http://127.0.0.1:8080,other=https://mirror` maps a
registry host to the base URL its discovery document is read from: a hook for tests and
for mirrors (the token of `host` is then sent to that base URL).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from costgate.inputs.terraform.modules.credentials import token_for
from costgate.inputs.terraform.modules.failures import FetchError
from costgate.inputs.terraform.modules.http import get
from costgate.inputs.terraform.modules.sources import RegistrySource, split_subdir
from costgate.inputs.terraform.modules.versions import newest
from costgate.limits import MAX_REGISTRY_RESPONSE_BYTES, MODULE_FETCH_TIMEOUT


def overrides(environ: Mapping[str, str]) -> dict[str, str]:
    """`COSTGATE_REGISTRY_OVERRIDES` as host -> base URL."""
    found: dict[str, str] = {}
    for item in environ.get("COSTGATE_REGISTRY_OVERRIDES", "").split(","):
        host, sep, url = item.strip().partition("=")
        if sep and host and url:
            found[host.strip().lower()] = url.strip().rstrip("/")
    return found


@dataclass(frozen=True)
class Download:
    """Where a registry module version's files are: a source address and its base URL."""

    version: str
    location: str


class Registry:
    """One registry host: discovery once, then versions and download locations."""

    def __init__(self, host: str, environ: Mapping[str, str], notes: list[str] | None = None):
        self.host = host
        base = overrides(environ).get(host, f"https://{host}")
        self.discovery = f"{base}/.well-known/terraform.json"
        self.origin = _origin(base)
        self._token = token_for(host, environ, notes)
        self._modules: str | None = None
        self._failed: str | None = None

    def token_for(self, url: str) -> str | None:
        """The registry's token when *url* is on the registry's own scheme, host and port."""
        return self._token if _origin(url) == self.origin else None

    def _get(self, url: str) -> Any:
        token = self.token_for(url)
        reply = get(
            url,
            limit=MAX_REGISTRY_RESPONSE_BYTES,
            timeout=MODULE_FETCH_TIMEOUT,
            token=token,
            accept="application/json",
        )
        return reply

    def _json(self, url: str) -> Any:
        body = self._get(url).body
        try:
            return json.loads(body) if body else None
        except ValueError:
            raise FetchError(f"{self.host}: {urlsplit(url).path} is not JSON") from None

    def modules_url(self) -> str:
        """The `modules.v1` base URL (ending in `/`)."""
        if self._failed is not None:
            raise FetchError(self._failed)
        if self._modules is None:
            try:
                document = self._json(self.discovery)
            except FetchError as exc:
                self._failed = str(exc)  # one slow or broken host costs one timeout a run
                raise
            path = document.get("modules.v1") if isinstance(document, dict) else None
            if not isinstance(path, str):
                raise FetchError(f"{self.host} is not a module registry (no modules.v1)")
            url = urljoin(self.discovery, path)
            self._modules = url if url.endswith("/") else url + "/"
        return self._modules

    def versions(self, module: RegistrySource) -> list[str]:
        """The versions the registry lists for *module*."""
        url = urljoin(
            self.modules_url(), f"{module.namespace}/{module.name}/{module.provider}/versions"
        )
        document = self._json(url)
        found: list[str] = []
        for entry in document.get("modules", []) if isinstance(document, dict) else []:
            for item in entry.get("versions", []) if isinstance(entry, dict) else []:
                if isinstance(item, dict) and isinstance(item.get("version"), str):
                    found.append(item["version"])
        return found

    def download(self, module: RegistrySource, constraint: str | None) -> Download:
        """The newest version allowed by *constraint* and where its files are."""
        available = self.versions(module)
        try:
            version = newest(constraint, available)
        except ValueError as exc:
            raise FetchError(f"version constraint: {exc}") from None
        if version is None:
            raise FetchError(
                f"no version of {module.address} matches {constraint or 'any'} "
                f"({len(available)} listed)"
            )
        url = urljoin(
            self.modules_url(),
            f"{module.namespace}/{module.name}/{module.provider}/{version}/download",
        )
        reply = self._get(url)
        location = reply.headers.get("x-terraform-get")
        if not location and reply.body:
            try:
                document = json.loads(reply.body)
            except ValueError:
                document = None
            if isinstance(document, dict) and isinstance(document.get("location"), str):
                location = document["location"]
        if not location:
            raise FetchError(
                f"{self.host} gave no download location for {module.address} {version}"
            )
        if location.startswith(("./", "../", "/")) and not location.startswith("//"):
            url, subdir = split_subdir(location)  # urljoin would drop the empty segment
            location = urljoin(reply.url, url)
            if subdir:
                location, query = location.partition("?")[::2]
                location += f"//{subdir}" + (f"?{query}" if query else "")
        return Download(version, location)


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.lower()
