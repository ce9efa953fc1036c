"""Typed reads of single attribute values: known numbers, strings and blocks."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
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
    if type(value) is not tuple:
        return ()
    for b in value:  # frozen blocks, the common case, are returned as they are
        if type(b) is not MappingProxyType and not isinstance(b, Mapping):
            return tuple(b for b in value if isinstance(b, Mapping))
    return value


class MalformedAttribute(Exception):
    """An attribute holds a value of the wrong shape (a block where a string belongs, a
    string where a list of blocks belongs): the input is wrong, not costgate."""

    def __init__(self, what: str, expected: str, value: Any):
        if isinstance(value, Mapping):
            shown = "a block"
        elif isinstance(value, tuple):
            shown = "a list"
        else:
            shown = repr(value) if isinstance(value, str) else str(value)
        super().__init__(f"{what} should be {expected}, not {shown}")


def scalar(value: Any, what: str) -> Any:
    """*value* when it is a string, number, bool, None or unknown; a block or list is
    malformed input."""
    if isinstance(value, (Mapping, tuple)):
        raise MalformedAttribute(what, "a string or number", value)
    return value


def block_list(value: Any, what: str) -> tuple[Any, ...]:
    """The blocks of a block list: unset is empty, unknown ones stay UNKNOWN for the caller
    to note; anything else (a string where blocks belong) is malformed input."""
    if value is None or is_unknown(value):
        return ()
    if isinstance(value, Mapping):
        return (value,)
    if not isinstance(value, tuple) or not all(
        isinstance(b, Mapping) or is_unknown(b) for b in value
    ):
        raise MalformedAttribute(what, "a list of blocks", value)
    return value
