"""Typed reads of single attribute values: known numbers, strings and blocks."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from costgate.model import EMPTY, is_unknown


def number(value: Any) -> int | None:
    """An integer attribute, or None when unset, unknown at plan time or not a number."""
    if value is None or is_unknown(value) or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def days(value: Any) -> Decimal | None:
    """A day count (lifecycle ages), or None when unset, unknown or not a number."""
    if value is None or is_unknown(value) or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def text(value: Any) -> str | None:
    """A string attribute, or None when unset or unknown."""
    return value if isinstance(value, str) and value else None


def first(block: Any) -> Mapping[str, Any]:
    """The first block of a block list (or the block itself); empty if absent or unknown."""
    if isinstance(block, tuple):
        block = block[0] if block else None
    return block if isinstance(block, Mapping) else EMPTY


def blocks(value: Any) -> tuple[Mapping[str, Any], ...]:
    """Every known block of a block list."""
    if not isinstance(value, tuple):
        return ()
    return tuple(b for b in value if isinstance(b, Mapping))
