"""Locate the data shipped with costgate: the pricing catalog, policies and JSON Schemas.

In a wheel the top-level `pricing/` and `policies/` folders are installed as
`costgate/_data/`; in a source checkout (editable install) they are read in place.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Directory holding the shipped `pricing` or `policies` data."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE.parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"costgate data folder {name!r} is missing from this installation")


def schema_path(name: str) -> Path:
    """Path of a JSON Schema published with the package (report, usage, policy)."""
    return _PACKAGE / "schemas" / name
