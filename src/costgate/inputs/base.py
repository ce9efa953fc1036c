"""What every input adapter produces, and the shared helpers they use."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from costgate.errors import InputError
from costgate.limits import json_constant, json_number
from costgate.model import Resource


@dataclass(frozen=True, slots=True)
class Stack:
    """The resources read from one input, plus what the reader could not evaluate."""

    path: str
    format: str
    resources: tuple[Resource, ...]
    warnings: tuple[str, ...] = ()
    baseline: tuple[Resource, ...] | None = None
    """The resources as they were before the change, when the input itself says so (a
    Pulumi preview's `oldState`s): lets `costgate diff` work from that one input."""


@dataclass(frozen=True, slots=True)
class InputOptions:
    """What a source-code input needs besides its path: Terraform variable values.

    `variables` are `--var NAME=VALUE` pairs in command-line order; `var_files` are
    `--var-file` paths. `environ` defaults to the process environment (`TF_VAR_name`).
    `unset_variables_unknown` evaluates variables without a value as unknown (with a
    warning) instead of failing: `check --changed-only` reads child module directories
    on their own, where the caller's inputs are not available.
    """

    var_files: tuple[Path, ...] = ()
    variables: tuple[tuple[str, str], ...] = ()
    environ: Mapping[str, str] | None = None
    unset_variables_unknown: bool = False
    allow_program_interpreter: bool = False
    """Run a Pulumi program under its own virtualenv's Python (the PR's executable)."""
    offline: bool = False
    """Never fetch remote Terraform modules (also `COSTGATE_OFFLINE=1`): modules.json and
    costgate's cache are still read."""


class JsonInput(Protocol):
    """An adapter for a JSON document recognised by its content."""

    name: str

    def recognises(self, data: Any) -> bool:
        """True when *data* (the parsed document) is this adapter's format."""

    def read(self, path: Path, data: Any) -> Stack:
        """Convert the parsed document into resources."""


class DirectoryInput(Protocol):
    """An adapter for a directory of source files (Terraform HCL, a Pulumi program)."""

    name: str

    def recognises(self, path: Path) -> bool:
        """True when the directory holds this adapter's files."""

    def read(self, path: Path, options: InputOptions) -> Stack:
        """Evaluate the directory into resources."""


def load_json(path: Path) -> Any:
    """Parse a JSON input file with numbers as Decimal, naming file and position on failure."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", path=str(path)) from exc
    try:
        return json.loads(
            raw, parse_float=json_number, parse_int=_int, parse_constant=json_constant
        )
    except RecursionError:
        raise InputError("JSON nested too deeply", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError("not a text file; expected a JSON document", path=str(path)) from exc
    except json.JSONDecodeError as exc:
        hint = "the file looks truncated" if exc.pos >= len(raw.rstrip()) else exc.msg
        raise InputError(
            f"not valid JSON ({hint}); expected `terraform show -json` output, "
            "a Terraform state, a Pulumi preview or a stack export",
            path=str(path),
            location=f"{exc.lineno}:{exc.colno}",
        ) from exc
    except ValueError as exc:  # json_number, json_constant: out of range, NaN, Infinity
        raise InputError(f"not a valid input: {exc}", path=str(path)) from None


def _int(text: str) -> int:
    """A JSON integer, within the number limits (`int()` of 4,300 digits is an error)."""
    return int(text) if len(text) <= 20 else int(json_number(text))
