"""Type constraints of variables: converting a value the way Terraform does, including
`optional(type, default)` attributes of object types.

Terraform converts every value given for a variable to its declared type before the
module sees it: an object attribute declared `optional` and not given becomes its default
(or null), at any depth, and attributes the type does not declare are dropped. A value that
cannot be converted is a type error Terraform rejects, so it is one here too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from costgate.inputs.terraform.hcl.evaluate import (
    EvalError,
    Expr,
    boolean,
    number,
    string,
    tidy,
    type_name,
)
from costgate.model import is_unknown

Literal = Callable[[Expr], Any]
"""Evaluates a default's expression (a constant) to a value."""


def conform(value: Any, type_expr: Expr, literal: Literal, where: str = "") -> Any:
    """*value* converted to the type *type_expr* describes (UNKNOWN and null pass)."""
    if value is None or is_unknown(value):
        return value
    kind, args = _shape(type_expr)
    at = f" at {where}" if where else ""
    if kind == "any":
        return value
    if kind in ("string", "number", "bool"):
        if isinstance(value, (dict, tuple)):
            raise EvalError(f"a {kind} is required{at}, got {type_name(value)}")
        if kind == "string":
            return string(value)
        return tidy(number(value)) if kind == "number" else boolean(value)
    if kind in ("list", "set"):
        items = _items(value, kind, at)
        return tuple(conform(v, args[0], literal, f"{where}[{i}]") for i, v in enumerate(items))
    if kind == "tuple":
        items = _items(value, kind, at)
        types = args[0][1] if args and args[0][0] == "tuple" else ()
        if len(types) != len(items):
            raise EvalError(f"a tuple of {len(types)} elements is required{at}")
        return tuple(
            conform(v, t, literal, f"{where}[{i}]")
            for i, (v, t) in enumerate(zip(items, types, strict=True))
        )
    if not isinstance(value, dict):
        raise EvalError(f"a {kind} is required{at}, got {type_name(value)}")
    if kind == "map":
        return {k: conform(v, args[0], literal, f"{where}.{k}") for k, v in value.items()}
    return _object(value, args, literal, where)


def _object(value: dict[str, Any], args: tuple[Any, ...], literal: Literal, where: str) -> Any:
    fields = args[0][1] if args and args[0][0] == "object" else ()
    out: dict[str, Any] = {}
    for key_expr, attr_type in fields:
        name = str(key_expr[1])
        path = f"{where}.{name}" if where else name
        optional = attr_type[0] == "call" and attr_type[1] == "optional"
        inner = attr_type[2][0] if optional else attr_type
        given = value.get(name)
        if given is None and optional and len(attr_type[2]) > 1:
            given = literal(attr_type[2][1])
        elif name not in value and not optional:
            raise EvalError(f"attribute {name!r} is required{' at ' + where if where else ''}")
        out[name] = conform(given, inner, literal, path)
    return out


def _items(value: Any, kind: str, at: str) -> tuple[Any, ...]:
    if isinstance(value, tuple):
        return value
    raise EvalError(f"a {kind} is required{at}, got {type_name(value)}")


def _shape(type_expr: Expr) -> tuple[str, tuple[Any, ...]]:
    """("string", ()), ("list", (element type,)), ("object", (object expression,)) ..."""
    if type_expr[0] == "var":
        return str(type_expr[1]), ()
    if type_expr[0] == "call":
        return str(type_expr[1]), tuple(type_expr[2])
    raise EvalError("invalid type constraint")
