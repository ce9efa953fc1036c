"""Parsed bodies as JSON for the parse cache: plain data with explicit type tags, no pickle.

A cache entry is read back as data and checked shape by shape while it is rebuilt, so a
corrupt or planted entry is rejected (`ValueError`: the file is parsed again), never run.

Layout: a body is `[[[key, name, expr, file, line], ...], [block, ...]]`, a block
`[type, [labels], body, file, line, [directives]]`. In expressions a JSON array is a
tuple, and objects tag what JSON lacks: `{"d": "1.5"}` Decimal, `{"l": [...]}` list,
`{"m": [[key, value], ...]}` dict.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import orjson

from costgate.inputs.terraform.hcl.syntax import Attribute, Block, Body

_SCALARS = (str, int, float, bool, type(None))


def dumps(body: Body) -> bytes:
    """*body* as JSON bytes; TypeError for a value the format cannot hold."""
    return orjson.dumps(_body_out(body))


def loads(data: bytes) -> Body:
    """The body *data* encodes; ValueError when it is not a well-formed entry."""
    try:
        return _body_in(orjson.loads(data))
    except (TypeError, KeyError, IndexError, InvalidOperation, RecursionError) as exc:
        raise ValueError(f"not a parse cache entry: {exc}") from None


def _body_out(body: Body) -> list[Any]:
    return [
        [[key, a.name, _out(a.expr), a.file, a.line] for key, a in body.attributes.items()],
        [
            [b.type, list(b.labels), _body_out(b.body), b.file, b.line, list(b.directives)]
            for b in body.blocks
        ],
    ]


def _out(value: Any) -> Any:
    kind = type(value)
    if kind is tuple:
        return [_out(v) for v in value]
    if kind in _SCALARS:
        return value
    if kind is Decimal:
        return {"d": str(value)}
    if kind is list:
        return {"l": [_out(v) for v in value]}
    if kind is dict:
        return {"m": [[_out(k), _out(v)] for k, v in value.items()]}
    raise TypeError(f"cannot cache a {kind.__name__}")


def _body_in(data: Any) -> Body:
    attributes_in, blocks_in = _pair(data)
    attributes = {}
    for item in _list(attributes_in):
        key, name, expr, file, line = _list(item, 5)
        attributes[_str(key)] = Attribute(_str(name), _expr(expr), _str(file), _int(line))
    blocks = []
    for item in _list(blocks_in):
        type_, labels, body, file, line, directives = _list(item, 6)
        blocks.append(
            Block(
                _str(type_),
                tuple(_str(label) for label in _list(labels)),
                _body_in(body),
                _str(file),
                _int(line),
                tuple(_str(d) for d in _list(directives)),
            )
        )
    return Body(attributes, tuple(blocks))


def _expr(value: Any) -> tuple[Any, ...]:
    out = _in(value)
    if type(out) is not tuple:
        raise TypeError("an expression is not a tuple")
    return out


def _in(value: Any) -> Any:
    kind = type(value)
    if kind is list:
        return tuple([_in(v) for v in value])
    if kind in _SCALARS:
        return value
    if kind is dict and len(value) == 1:
        [(tag, content)] = value.items()
        if tag == "d":
            return Decimal(_str(content))
        if tag == "l":
            return [_in(v) for v in _list(content)]
        if tag == "m":
            return {_in(k): _in(v) for k, v in (_list(p, 2) for p in _list(content))}
    raise TypeError(f"unexpected {kind.__name__} in an expression")


def _list(value: Any, length: int | None = None) -> list[Any]:
    if type(value) is not list or (length is not None and len(value) != length):
        raise TypeError("malformed entry")
    return value


def _pair(value: Any) -> list[Any]:
    return _list(value, 2)


def _str(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("expected a string")
    return value


def _int(value: Any) -> int:
    if type(value) is not int:
        raise TypeError("expected an integer")
    return value
