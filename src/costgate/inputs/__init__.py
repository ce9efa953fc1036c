"""Input adapters, one module per format, and the detection that picks one.

Adapters are listed here by hand (no registration by import side effect); the CLI's
`--input-format` choices come from this registry.
"""

from __future__ import annotations

from pathlib import Path

from costgate.errors import InputError
from costgate.inputs.base import JsonInput, Stack, load_json
from costgate.inputs.terraform_plan import TerraformPlan, TerraformState

JSON_INPUTS: dict[str, JsonInput] = {
    adapter.name: adapter for adapter in (TerraformPlan(), TerraformState())
}


def read_input(path: Path, forced: str | None = None) -> Stack:
    """Read one input path, detecting its format from content unless *forced*."""
    if path.is_dir():
        raise InputError(
            "no recognisable input in this directory; expected a Terraform plan or state "
            "JSON file (`terraform show -json plan.out > plan.json`)",
            path=str(path),
        )
    if not path.exists():
        raise InputError("no such file or directory", path=str(path))
    data = load_json(path)
    if forced is not None:
        adapter = JSON_INPUTS[forced]
        if not adapter.recognises(data):
            raise InputError(f"this document is not {forced} JSON", path=str(path))
        return adapter.read(path, data)
    for adapter in JSON_INPUTS.values():
        if adapter.recognises(data):
            return adapter.read(path, data)
    raise InputError(
        "JSON is not a recognised input: expected a Terraform plan (`format_version` and "
        "`resource_changes`) or state (`values.root_module`)",
        path=str(path),
    )


__all__ = ["JSON_INPUTS", "Stack", "read_input"]
