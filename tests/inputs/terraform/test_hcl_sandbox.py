"""The HCL reader reads files only inside the repository (issue 17, item 1)."""

from __future__ import annotations

import os
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from costgate.cli import main
from costgate.errors import InputError
from costgate.inputs import InputOptions, read_input
from costgate.model import UNKNOWN

SECRET = "hunter2-secret-token"


def repo_with(tmp_path: Path, tag_expression: str) -> Path:
    """tmp_path/repo (a git work tree, by its .git entry) with infra/main.tf tagging an
    instance with *tag_expression*; a secret sits beside the repository and in its .git."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".git" / "config").write_text(f"extraheader = AUTHORIZATION: basic {SECRET}\n")
    (tmp_path / "secret.txt").write_text(SECRET)
    infra = repo / "infra"
    infra.mkdir()
    (infra / "main.tf").write_text(
        textwrap.dedent(f"""\
        resource "aws_instance" "gpu" {{
          instance_type = "p3.2xlarge"
          tags = {{ Leak = {tag_expression} }}
        }}
        """)
    )
    return infra


def read_tag(tmp_path: Path, expression: str) -> tuple[object, tuple[str, ...]]:
    stack = read_input(repo_with(tmp_path, expression), options=InputOptions())
    (resource,) = stack.resources
    return resource.attributes["tags"]["Leak"], stack.warnings


@pytest.mark.parametrize(
    "expression",
    [
        'file("../.git/config")',
        'file("../../secret.txt")',
        'file("/proc/self/environ")',
        'file("/etc/hostname")',
        'file("~/.bashrc")',
        'filebase64("../../secret.txt")',
        'fileexists("/proc/self/environ")',
    ],
)
def test_file_functions_outside_the_repository_are_unknown_with_a_warning(
    tmp_path: Path, expression: str
) -> None:
    value, warnings = read_tag(tmp_path, expression)
    assert value is UNKNOWN
    (warning,) = warnings
    assert "main.tf:3" in warning
    assert "treated as unknown" in warning
    assert SECRET not in warning


def test_the_markdown_report_never_holds_the_secret(tmp_path: Path) -> None:
    infra = repo_with(tmp_path, 'file("../.git/config")')
    result = CliRunner().invoke(main, ["check", str(infra), "--format", "markdown"])
    assert result.exit_code in (0, 1), result.output
    assert SECRET not in result.output
    assert "reads git metadata; treated as unknown" in result.output


def test_a_file_inside_the_repository_is_read(tmp_path: Path) -> None:
    infra = repo_with(tmp_path, 'file("${path.module}/../tag.txt")')
    (infra.parent / "tag.txt").write_text("ml-team")
    (resource,) = read_input(infra, options=InputOptions()).resources
    assert resource.attributes["tags"]["Leak"] == "ml-team"


def test_a_symlink_pointing_outside_is_not_followed(tmp_path: Path) -> None:
    infra = repo_with(tmp_path, 'file("link.txt")')
    (infra / "link.txt").symlink_to(tmp_path / "secret.txt")
    stack = read_input(infra, options=InputOptions())
    assert stack.resources[0].attributes["tags"]["Leak"] is UNKNOWN
    assert "reads outside the repository" in stack.warnings[0]


def test_a_fifo_does_not_hang(tmp_path: Path) -> None:
    infra = repo_with(tmp_path, 'file("pipe")')
    os.mkfifo(infra / "pipe")
    started = time.monotonic()
    (resource,) = read_input(infra, options=InputOptions()).resources
    assert resource.attributes["tags"]["Leak"] is UNKNOWN
    assert time.monotonic() - started < 15  # would hang forever: a guard, not a speed target


def test_dev_zero_is_not_read(tmp_path: Path) -> None:
    value, warnings = read_tag(tmp_path, 'file("/dev/zero")')
    assert value is UNKNOWN
    assert "system file" in warnings[0]


def test_a_file_over_the_size_limit_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("costgate.inputs.terraform.hcl.sandbox.MAX_FILE_BYTES", 200)
    infra = repo_with(tmp_path, 'file("big.txt")')
    (infra / "big.txt").write_text("x" * 201)
    with pytest.raises(InputError) as error:
        read_input(infra, options=InputOptions())
    assert "larger than" in str(error.value)
    assert error.value.location == "3"


def test_a_tf_symlink_to_a_file_outside_is_an_error_without_its_content(
    tmp_path: Path,
) -> None:
    infra = repo_with(tmp_path, '"x"')
    outside = tmp_path / "environ"
    outside.write_text(f"GITHUB_TOKEN={SECRET}\n")  # a syntax error if it were parsed
    (infra / "leak.tf").symlink_to(outside)
    result = CliRunner().invoke(main, ["check", str(infra)])
    assert result.exit_code == 2, result.output
    assert "leak.tf" in result.output
    assert "outside the repository" in result.output
    assert SECRET not in result.output


def test_a_tf_symlink_to_proc_is_an_error(tmp_path: Path) -> None:
    infra = repo_with(tmp_path, '"x"')
    (infra / "env.tf").symlink_to("/proc/self/environ")
    with pytest.raises(InputError, match="system file"):
        read_input(infra, options=InputOptions())


def test_a_var_file_symlink_outside_is_an_error(tmp_path: Path) -> None:
    infra = repo_with(tmp_path, '"x"')
    (infra / "terraform.tfvars").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(InputError, match="variables file reads outside") as error:
        read_input(infra, options=InputOptions())
    assert SECRET not in str(error.value)


def test_a_local_module_outside_the_repository_is_an_error(tmp_path: Path) -> None:
    infra = repo_with(tmp_path, '"x"')
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "main.tf").write_text("")
    (infra / "call.tf").write_text('module "m" {\n  source = "../../mod"\n}\n')
    with pytest.raises(InputError, match="reads outside the repository"):
        read_input(infra, options=InputOptions())


def test_without_git_the_input_directory_is_the_root(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text(SECRET)
    infra = tmp_path / "infra"
    infra.mkdir()
    (infra / "main.tf").write_text(
        'resource "aws_instance" "a" {\n  tags = { Leak = file("../secret.txt") }\n}\n'
    )
    (resource,) = read_input(infra, options=InputOptions()).resources
    assert resource.attributes["tags"]["Leak"] is UNKNOWN
