"""Root module variable values, from the places Terraform reads them, in its precedence.

Lowest to highest: `TF_VAR_name` environment variables, `terraform.tfvars`,
`terraform.tfvars.json`, `*.auto.tfvars(.json)` in lexical order, `--var-file` files in
the order given, then `--var NAME=VALUE`. Environment and command-line values are strings
that are converted according to the variable's declared type, as Terraform does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from costgate.errors import InputError
from costgate.inputs.base import InputOptions
from costgate.inputs.terraform.hcl.evaluate import (
    EvalError,
    Expr,
    HclError,
    Scope,
    boolean,
    evaluate,
    number,
    string,
    tidy,
)
from costgate.inputs.terraform.hcl.sandbox import Sandbox
from costgate.inputs.terraform.hcl.syntax import parse_expression
from costgate.inputs.terraform.hcl.types import conform
from costgate.model import is_unknown


@dataclass(frozen=True, slots=True)
class VariableValue:
    """A value given for a variable, and where it was given (for error messages)."""

    value: Any
    origin: str
    raw_string: bool = False


class _Constants:
    """The context of a variables file: literal values and functions, no references."""

    def __init__(self, origin: str):
        self.origin = origin

    def root(self, name: str) -> Any:
        raise HclError(f"variable values cannot refer to {name!r}: only literal values allowed")

    def call(self, name: str, args: list[Any]) -> Any:
        from costgate.inputs.terraform.hcl.functions import FUNCTIONS, call

        if name not in FUNCTIONS:
            raise HclError(f"function {name!r} is not available here")
        return call(name, FUNCTIONS[name], args)


def constant(expr: Expr, origin: str, file: str, line: int | None) -> Any:
    """Evaluate a literal expression (a variables file entry, a --var value)."""
    try:
        return evaluate(expr, Scope(_Constants(origin)))
    except HclError as exc:
        raise InputError(
            f"{origin}: {exc}", path=file, location=str(line) if line else None
        ) from None


def root_values(
    directory: Path, display: str, options: InputOptions, sandbox: Sandbox
) -> dict[str, VariableValue]:
    """Every value given for the root module's variables, highest precedence winning."""
    values: dict[str, VariableValue] = {}
    environ = os.environ if options.environ is None else options.environ
    for key, raw in sorted(environ.items()):
        if key.startswith("TF_VAR_") and len(key) > 7:
            values[key[7:]] = VariableValue(raw, f"environment variable {key}", raw_string=True)
    files = [directory / "terraform.tfvars", directory / "terraform.tfvars.json"]
    files += sorted(
        p for p in directory.iterdir() if p.name.endswith((".auto.tfvars", ".auto.tfvars.json"))
    )
    for path in files:
        if os.path.lexists(path):
            values.update(_file_values(path, str(Path(display) / path.name), sandbox))
    for path in options.var_files:
        if not os.path.lexists(path):
            raise InputError("variables file not found (--var-file)", path=str(path))
        values.update(_file_values(path, str(path), sandbox))
    for name, raw in options.variables:
        values[name] = VariableValue(raw, f"--var {name}=...", raw_string=True)
    return values


def _file_values(path: Path, display: str, sandbox: Sandbox) -> dict[str, VariableValue]:
    from costgate.inputs.terraform.hcl.parsing import parse_files

    body = parse_files(
        [(path, display)], lambda p, d: sandbox.source_file(p, d, "the variables file")
    )[0]
    if body.blocks:
        block = body.blocks[0]
        raise InputError(
            f"a variables file holds only `name = value` lines, found a {block.type!r} block",
            path=display,
            location=str(block.line),
        )
    return {
        name: VariableValue(
            constant(attr.expr, f"value of {name}", display, attr.line), f"{display}:{attr.line}"
        )
        for name, attr in body.attributes.items()
    }


def parse_var_option(text: str) -> tuple[str, str]:
    """`NAME=VALUE` from `--var`; the value stays a string until the type is known."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise InputError(f"--var expects NAME=VALUE, got {text!r}")
    return name.strip(), value


_PRIMITIVES = {"string", "number", "bool", "any"}


def declared_type(type_expr: Expr | None) -> str:
    """`string`, `number`, `bool`, `any` or `complex` (lists, maps, objects...)."""
    if type_expr is None:
        return "any"
    if type_expr[0] == "var" and type_expr[1] in _PRIMITIVES:
        return str(type_expr[1])
    return "complex"


def typed(given: VariableValue, type_expr: Expr | None, name: str) -> Any:
    """The value converted to the variable's declared type, as Terraform converts it."""
    kind = declared_type(type_expr)
    value = given.value
    if given.raw_string and kind == "complex":
        value = constant(parse_expression(value, given.origin, 1), given.origin, given.origin, None)
    if value is None or is_unknown(value):
        return value
    if kind == "complex":
        assert type_expr is not None
        try:
            return conform(
                value,
                type_expr,
                lambda e: constant(e, f"a default in the type of {name}", "", None),
            )
        except EvalError as exc:
            raise InputError(
                f"variable {name!r}: {given.origin} does not match its type: {exc}"
            ) from None
    try:
        if kind == "number":
            return tidy(number(value))
        if kind == "bool":
            return boolean(value)
        if kind == "string":
            return string(value)
    except EvalError as exc:
        raise InputError(
            f"variable {name!r} is declared {kind} but {given.origin} gives {value!r}: {exc}"
        ) from None
    return value
