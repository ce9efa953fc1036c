"""Terraform HCL directories (`*.tf`, `*.tf.json`) -> resources, without `terraform plan`.

The directory is read the way a reviewer reads it: variables, locals, count / for_each,
functions, provider blocks and local-path modules are evaluated (`inputs/hcl/`); whatever
only apply can know is `UNKNOWN`; remote modules are listed as not evaluated.
"""

from __future__ import annotations

from pathlib import Path

from costgate.inputs.base import InputOptions, Stack


class TerraformHcl:
    """Reads a Terraform root module directory."""

    name = "terraform-hcl"

    def recognises(self, path: Path) -> bool:
        from costgate.inputs.hcl.module import terraform_files

        return bool(terraform_files(path))

    def read(self, path: Path, options: InputOptions) -> Stack:
        from costgate.inputs.hcl.module import Run

        run = Run(path, str(path), options)
        resources = run.resources()
        return Stack(path=str(path), format=self.name, resources=tuple(resources),
                     warnings=tuple(run.warnings))
