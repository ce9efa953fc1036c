"""Terraform's text encodings: YAML, CSV, URL query escaping, gzip and other charsets.

Kept apart from `functions` because each needs care about what an untrusted string can
ask for: YAML goes through costgate's safe loader with its alias and nesting limits, and
every decoded value is converted to the evaluator's types (tuples, Decimal, str keys).
"""

from __future__ import annotations

import base64
import codecs
import csv
import gzip
import io
import json
import urllib.parse
from decimal import Decimal
from typing import Any

from costgate.inputs.terraform.hcl.evaluate import (
    EvalError,
    LimitExceeded,
    check_size,
    has_surrogate,
    number,
    string,
    tidy,
)
from costgate.limits import MAX_NESTING


def yamldecode(text: str) -> Any:
    """`yamldecode()`: one YAML document as HCL values."""
    import yaml

    from costgate.validation import parse_yaml_text

    try:
        data = parse_yaml_text(text)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise EvalError(f"yamldecode(): {problem}") from None
    except ValueError as exc:
        raise LimitExceeded(f"yamldecode(): {exc}") from None
    return _from_yaml(data)


def _from_yaml(value: Any) -> Any:
    if isinstance(value, list):
        return check_size(tuple(_from_yaml(v) for v in value))
    if isinstance(value, dict):
        return check_size({_key(k): _from_yaml(v) for k, v in value.items()})
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return tidy(number(Decimal(repr(value)) if isinstance(value, float) else Decimal(value)))
    if isinstance(value, str):
        if has_surrogate(value):
            raise EvalError("yamldecode(): a string holds a lone UTF-16 surrogate")
        return value
    raise EvalError(f"yamldecode(): unsupported YAML value of type {type(value).__name__}")


def _key(key: Any) -> str:
    if isinstance(key, (dict, list)):
        raise EvalError("yamldecode(): a mapping key must be a scalar")
    return "null" if key is None else string(_from_yaml(key))


def yamlencode(value: Any) -> str:
    """`yamlencode()` in Terraform's block style: keys and strings double-quoted."""
    return (
        "".join(_yaml_lines(value, 0))
        if isinstance(value, (dict, tuple)) and value
        else (_yaml_scalar(value) + "\n")
    )


def _yaml_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, tuple):
        return "[]"
    if isinstance(value, (int, Decimal)):
        return string(value)
    return json.dumps(value, ensure_ascii=False)


def _yaml_lines(value: Any, depth: int) -> list[str]:
    if depth > MAX_NESTING:
        raise LimitExceeded(f"yamlencode(): value nested more than {MAX_NESTING} levels")
    pad = "  " * depth
    lines: list[str] = []
    items = (
        [(json.dumps(k, ensure_ascii=False) + ":", v) for k, v in sorted(value.items())]
        if isinstance(value, dict)
        else [("-", v) for v in value]
    )
    for head, item in items:
        if isinstance(item, (dict, tuple)) and item:
            # a list under a key starts at the key's column, as Terraform writes it
            nested = depth if head != "-" and isinstance(item, tuple) else depth + 1
            inner = _yaml_lines(item, nested)
            if head == "-":  # a list item starts on the dash's line
                lines.append(f"{pad}- {inner[0].lstrip()}")
                lines.extend(inner[1:])
            else:
                lines.append(f"{pad}{head}\n")
                lines.extend(inner)
        else:
            lines.append(f"{pad}{head} {_yaml_scalar(item)}\n")
    return lines


def csvdecode(text: str) -> tuple[dict[str, str], ...]:
    """`csvdecode()`: the first line names the columns; every row must have them all."""
    rows = list(csv.reader(io.StringIO(text), strict=True))
    if not rows:
        return ()
    header, out = rows[0], []
    for number_, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise EvalError(f"csvdecode(): line {number_} has {len(row)} fields, not {len(header)}")
        out.append(dict(zip(header, row, strict=True)))
    result = tuple(out)
    check_size(result)
    return result


def urlencode(text: str) -> str:
    """`urlencode()`: Go's QueryEscape (space as `+`)."""
    return urllib.parse.quote_plus(text, safe="")


def base64gzip(text: str) -> str:
    """`base64gzip()`: gzip (no file name, no time stamp) then base64."""
    return base64.b64encode(gzip.compress(text.encode(), mtime=0)).decode()


def _codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise EvalError(f"{name[:40]!r} is not a supported character encoding") from None


def textencodebase64(text: str, encoding: str) -> str:
    """`textencodebase64()`: *text* in *encoding* (`UTF-16LE`, `windows-1252`), base64."""
    try:
        return base64.b64encode(text.encode(_codec(encoding))).decode()
    except UnicodeEncodeError:
        raise EvalError(f"textencodebase64(): the text cannot be encoded in {encoding}") from None


def textdecodebase64(data: str, encoding: str) -> str:
    """`textdecodebase64()`: base64 of text in *encoding*, as a string."""
    try:
        return base64.b64decode(data, validate=True).decode(_codec(encoding))
    except (ValueError, UnicodeDecodeError):
        raise EvalError(f"textdecodebase64(): not valid base64 of {encoding} text") from None
