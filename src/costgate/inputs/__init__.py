"""Input adapters, one module per format, and the detection that picks one.

Adapters are listed here by hand (no registration by import side effect); the CLI's
`--input-format` choices come from these registries. JSON documents are recognised by
their content, directories by the files they hold.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from costgate.errors import InputError
from costgate.inputs.base import DirectoryInput, InputOptions, JsonInput, Stack, load_json
from costgate.registry import LazyRegistry


def _instance(cls: Any) -> Any:
    """Adapters are registered as classes and used as instances."""
    return cls()


JSON_INPUTS: LazyRegistry[JsonInput] = LazyRegistry(
    {
        "terraform-plan": "costgate.inputs.terraform.plan:TerraformPlan",
        "terraform-state": "costgate.inputs.terraform.plan:TerraformState",
        "pulumi-preview": "costgate.inputs.pulumi.preview:PulumiPreview",
        "pulumi-state": "costgate.inputs.pulumi.export:PulumiStackExport",
    },
    _instance,
)
DIRECTORY_INPUTS: LazyRegistry[DirectoryInput] = LazyRegistry(
    {
        "terraform-hcl": "costgate.inputs.terraform.directory:TerraformHcl",
        "pulumi-program": "costgate.inputs.pulumi.program:PulumiProgram",
    },
    _instance,
)
FILE_IN_DIRECTORY_INPUTS: dict[str, str] = {
    "pulumi-program": "Pulumi.*.y*ml",
    "terraform-hcl": "*.tf",
}
"""Directory adapters that also take a file inside their directory, read in its context
(a Pulumi stack file `Pulumi.<stack>.yaml` selects the stack), with the file names they
take: other files never load those adapters (a plan check does not import Pulumi code)."""

INPUT_FORMATS: tuple[str, ...] = (*JSON_INPUTS, *DIRECTORY_INPUTS)


def read_input(path: Path, forced: str | None = None, options: InputOptions | None = None) -> Stack:
    """Read one input path, detecting its format from content unless *forced*."""
    if not path.exists():
        raise InputError("no such file or directory", path=str(path))
    if path.is_dir() or _source_file(path, forced):
        return _read_directory(path, forced, options or InputOptions())
    data = load_json(path)
    if forced is not None:
        adapter = JSON_INPUTS.get(forced)
        if adapter is None or not adapter.recognises(data):
            raise InputError(f"this document is not {forced} input", path=str(path))
        return adapter.read(path, data)
    for adapter in JSON_INPUTS.values():
        if adapter.recognises(data):
            return adapter.read(path, data)
    raise InputError(
        "JSON is not a recognised input: expected a Terraform plan (`format_version` and "
        "`resource_changes`) or state (`values.root_module`), a Pulumi preview (`steps`) or "
        "a Pulumi stack export (`deployment.resources`)",
        path=str(path),
    )


def _source_file(path: Path, forced: str | None) -> bool:
    """A file a directory adapter reads in the context of its directory (a stack file)."""
    from fnmatch import fnmatchcase

    names = [
        name
        for name, pattern in FILE_IN_DIRECTORY_INPUTS.items()
        if forced in (None, name) and fnmatchcase(path.name, pattern)
    ]
    return any(DIRECTORY_INPUTS[name].recognises(path) for name in names)


PULUMI_PROJECT_FILES = ("Pulumi.yaml", "Pulumi.yml")
"""A directory holding one of these is a Pulumi project, whatever else it holds."""


def _detection_order(path: Path) -> tuple[str, ...]:
    """Directory adapters to try, in order: a Pulumi project first (a stray `.tf` file in
    it must not turn it into a Terraform directory and its stack into $0.00), else
    Terraform first (so a Terraform directory never imports Pulumi code)."""
    if path.is_file():
        from fnmatch import fnmatchcase

        return tuple(n for n, p in FILE_IN_DIRECTORY_INPUTS.items() if fnmatchcase(path.name, p))
    if any((path / name).is_file() for name in PULUMI_PROJECT_FILES):
        return ("pulumi-program", *(n for n in DIRECTORY_INPUTS if n != "pulumi-program"))
    return tuple(DIRECTORY_INPUTS)


def _note_ignored_terraform(stack: Stack, path: Path) -> Stack:
    """A Pulumi project's stray Terraform files are not read: the report says so."""
    if stack.format != "pulumi-program" or not path.is_dir():
        return stack
    stray = sorted(p.name for p in path.iterdir() if p.name.endswith((".tf", ".tf.json")))
    if not stray:
        return stack
    note = (
        f"{path}: a Pulumi project; its Terraform file{'s' if len(stray) > 1 else ''} "
        f"{', '.join(stray)} {'are' if len(stray) > 1 else 'is'} not read "
        "(pass --input-format terraform-hcl to read the directory as Terraform)"
    )
    return replace(stack, warnings=(*stack.warnings, note))


def _read_directory(path: Path, forced: str | None, options: InputOptions) -> Stack:
    names = _detection_order(path)
    if forced is not None and forced in DIRECTORY_INPUTS:
        names = (forced,)
    for name in names:  # one at a time: a Terraform directory never imports Pulumi code
        adapter = DIRECTORY_INPUTS[name]
        if adapter.recognises(path):
            return _note_ignored_terraform(adapter.read(path, options), path)
    expected = ", ".join(DIRECTORY_INPUTS) or "none supported yet"
    raise InputError(
        "no recognisable input in this directory (directory formats: "
        f"{expected}); a Terraform directory needs .tf or .tf.json files, a Pulumi program "
        "a Pulumi.yaml",
        path=str(path),
    )


__all__ = [
    "DIRECTORY_INPUTS",
    "INPUT_FORMATS",
    "JSON_INPUTS",
    "PULUMI_PROJECT_FILES",
    "InputOptions",
    "Stack",
    "read_input",
]
