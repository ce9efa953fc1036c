"""Optional dependencies: import one, or say which extra installs it.

The core install stays slim (no boto3, no Pulumi SDK); the few features that need them
call `require` where they start, so a missing extra is a one-line configuration error
(exit 2) naming the `pip install` that fixes it, never an ImportError traceback.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from costgate.errors import ConfigError


def missing(extra: str, what: str) -> ConfigError:
    """The error for *what* (a feature) when the *extra* it needs is not installed."""
    return ConfigError(f"{what} needs the {extra} extra: pip install 'costgate[{extra}]'")


def require(module: str, extra: str, what: str) -> ModuleType:
    """Import *module*, which the *extra* installs; a ConfigError saying so if it cannot."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise missing(extra, what) from exc


def require_installed(module: str, extra: str, what: str) -> None:
    """Like `require` without importing *module* (for code that imports it in another
    process): only checks that this interpreter can find it."""
    try:
        found = importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a parent package missing, or a None entry
        found = False
    if not found:
        raise missing(extra, what)
