"""String templates: `${...}` interpolations and `%{if}` / `%{for}` directives.

Quoted strings arrive from the grammar as flat parts; heredocs and Terraform JSON strings
arrive as text and are split here. Either way `build_template` nests the directives and
applies `~` strip markers, giving ("tmpl", parts) or, for a string that is a single
interpolation, the bare expression (Terraform returns its value unconverted).
"""

from __future__ import annotations

import re
from typing import Any

from costgate.errors import InputError

_FOR = re.compile(r"^for\s+([A-Za-z_][\w-]*)(?:\s*,\s*([A-Za-z_][\w-]*))?\s+in\s+(.+)$", re.S)

Part = tuple[Any, ...]


def split_template(text: str, file: str, line: int) -> list[Part]:
    """Flat parts of template *text* (a heredoc body or a JSON string)."""
    from costgate.inputs.terraform.hcl.syntax import parse_expression

    parts: list[Part] = []
    literal: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text.startswith(("$${", "%%{"), i):
            literal.append(text[i + 1 : i + 3])
            i += 3
            continue
        if not text.startswith(("${", "%{"), i):
            literal.append(text[i])
            i += 1
            continue
        if literal:
            parts.append(("str", "".join(literal)))
            literal = []
        at_line = line + text.count("\n", 0, i)
        end = _closing_brace(text, i + 2, file, at_line)
        inner = text[i + 2 : end]
        left, right = inner.startswith("~"), inner.endswith("~")
        inner = inner[1 if left else 0 : len(inner) - (1 if right else 0)].strip()
        if text[i] == "$":
            parts.append(("interp", parse_expression(inner, file, at_line), left, right))
        else:
            parts.append(_directive(inner, file, at_line, left, right))
        i = end + 1
    if literal:
        parts.append(("str", "".join(literal)))
    return parts


def _closing_brace(text: str, start: int, file: str, line: int) -> int:
    depth, i, quoted = 0, start, False
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == "\\":
                i += 1
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    raise InputError(
        "unterminated template interpolation (missing `}`)", path=file, location=str(line)
    )


def _directive(inner: str, file: str, line: int, left: bool, right: bool) -> Part:
    from costgate.inputs.terraform.hcl.syntax import parse_expression

    word = inner.split(None, 1)[0] if inner else ""
    if word == "if":
        return ("if", parse_expression(inner[2:], file, line), left, right)
    if word in ("else", "endif", "endfor"):
        return (word, None, left, right)
    if word == "for" and (match := _FOR.match(inner)):
        key_var, value_var = (
            (match.group(1), match.group(2)) if match.group(2) else (None, match.group(1))
        )
        return (
            "for",
            (key_var, value_var, parse_expression(match.group(3), file, line)),
            left,
            right,
        )
    raise InputError(f"unknown template directive %{{{inner}}}", path=file, location=str(line))


def build_template(flat: list[Part], file: str, by_line: bool = True) -> tuple[Any, ...]:
    """Nest directives, apply strip markers; a lone interpolation stays a bare expression.

    HCL scans a heredoc or template file as one literal token per line (each with its
    newline), and a `~` trims only the token it touches: `%{ endfor ~}` removes the rest of
    its line and the newline, never the next line's indentation (which YAML templates need).
    A quoted string is one token (*by_line* False): `~` trims all whitespace next to it."""
    parts = [list(p) for p in flat]
    for i, part in enumerate(parts):
        if part[0] == "str":
            continue
        if part[2] and i > 0 and parts[i - 1][0] == "str":
            parts[i - 1][1] = _trim_end(parts[i - 1][1], by_line)
        if part[3] and i + 1 < len(parts) and parts[i + 1][0] == "str":
            parts[i + 1][1] = _trim_start(parts[i + 1][1], by_line)
    if len(parts) == 1 and parts[0][0] == "interp":
        return tuple(parts[0][1])
    nested, rest = _nest(parts, 0, file, ())
    if rest != len(parts):  # pragma: no cover - _nest consumes everything at top level
        raise InputError("unbalanced template directives", path=file)
    if not nested:
        return ("lit", "")
    if len(nested) == 1 and nested[0][0] == "str":
        return ("lit", nested[0][1])
    return ("tmpl", tuple(nested))


def _trim_start(text: str, by_line: bool) -> str:
    """Leading whitespace, up to and including the first newline when *by_line*."""
    if not by_line:
        return text.lstrip()
    stripped = text.lstrip(" \t\r")
    return stripped[1:] if stripped.startswith("\n") else stripped


def _trim_end(text: str, by_line: bool) -> str:
    """Trailing whitespace of the last line token (its own final newline included)."""
    if not by_line:
        return text.rstrip()
    start = text.rfind("\n", 0, max(len(text) - 1, 0)) + 1
    return text[:start] + text[start:].rstrip()


def _nest(
    parts: list[list[Any]], i: int, file: str, until: tuple[str, ...]
) -> tuple[list[tuple[Any, ...]], int]:
    out: list[tuple[Any, ...]] = []
    while i < len(parts):
        kind = parts[i][0]
        if kind in until:
            return out, i
        if kind in ("else", "endif", "endfor"):
            raise InputError(f"template has %{{{kind}}} without its opening directive", path=file)
        if kind == "str":
            out.append(("str", parts[i][1]))
            i += 1
        elif kind == "interp":
            out.append(tuple(parts[i][1]))
            i += 1
        elif kind == "if":
            condition = tuple(parts[i][1])
            then, i = _nest(parts, i + 1, file, ("else", "endif"))
            otherwise: list[tuple[Any, ...]] = []
            if i < len(parts) and parts[i][0] == "else":
                otherwise, i = _nest(parts, i + 1, file, ("endif",))
            if i >= len(parts):
                raise InputError("template %{if} is missing its %{endif}", path=file)
            out.append(("tif", condition, tuple(then), tuple(otherwise)))
            i += 1
        elif kind == "for":
            start = i
            body, i = _nest(parts, i + 1, file, ("endfor",))
            if i >= len(parts):
                raise InputError("template %{for} is missing its %{endfor}", path=file)
            key_var, value_var, collection = parts[start][1]
            out.append(("tfor", key_var, value_var, collection, tuple(body)))
            i += 1
    return out, i
