"""Terraform HCL directories (`*.tf`, `*.tf.json`) -> resources, without `terraform plan`.

The directory is read the way a reviewer reads it: variables, locals, count / for_each,
functions, provider blocks and local-path modules are evaluated (`inputs/terraform/hcl/`); whatever
only apply can know is `UNKNOWN`; remote modules are read from `.terraform/modules` or fetched
(`inputs/terraform/modules/`), else listed as not evaluated.
"""

from __future__ import annotations

from pathlib import Path

from costgate.inputs.base import InputOptions, Stack


class TerraformHcl:
    """Reads a Terraform root module directory."""

    name = "terraform-hcl"

    def recognises(self, path: Path) -> bool:
        from costgate.inputs.terraform.hcl.module import terraform_files

        if path.is_file():  # a single `.tf` file: its directory is the module
            return path.name.endswith(".tf")
        return bool(terraform_files(path))

    def read(self, path: Path, options: InputOptions) -> Stack:
        from costgate.inputs.terraform.hcl.module import Run

        if path.is_file():
            directory = path.parent
            run = Run(directory, str(directory), options, only=path.name)
            run.warnings.insert(
                0,
                f"{path}: a single file was given, so only it is read as the module in "
                f"{directory} (its other .tf files are not; terraform.tfvars and "
                "*.auto.tfvars there still set variables); give the directory to read them all",
            )
        else:
            run = Run(path, str(path), options)
        resources = run.resources()
        return Stack(
            path=str(path),
            format=self.name,
            resources=tuple(resources),
            warnings=tuple(run.warnings),
        )


TERRAFORM_SUFFIXES = (".tf", ".tf.json", ".tfvars", ".tfvars.json")


def changed_directories(paths: list[Path]) -> list[Path]:
    """The Terraform directories behind changed file names (as pre-commit passes them).

    Files that are not Terraform are ignored; a directory given as such is kept; a
    directory left without `.tf` files (all deleted) is skipped.
    """
    from costgate.inputs.terraform.hcl.module import terraform_files

    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            found[path] = None
        elif path.name.endswith(TERRAFORM_SUFFIXES):
            found[path.parent] = None
    return [d for d in found if d.is_dir() and terraform_files(d)]
