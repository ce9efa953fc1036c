"""A missing optional extra is a one-line error naming its `pip install`, exit 2.

The blocked modules are hidden for real: costgate runs in a child process whose
`sitecustomize` puts a finder in front of `sys.meta_path` that refuses to find them, as
if the extra had never been installed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import costgate
from costgate.errors import ConfigError
from tests.conftest import REPO

BLOCKER = '''
import os
import sys


class _Blocker:
    """Finds nothing for the blocked top-level packages, so importing them fails."""

    blocked = set(os.environ["COSTGATE_TEST_BLOCK"].split(","))

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in self.blocked:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, _Blocker())
'''


def costgate_without(blocked: str, *args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m costgate ARGS` where the *blocked* packages cannot be imported."""
    site = tmp_path / "blocker"
    site.mkdir()
    (site / "sitecustomize.py").write_text(BLOCKER)
    env = {k: v for k, v in os.environ.items() if not k.startswith("COSTGATE_")}
    env["PYTHONPATH"] = os.pathsep.join([str(site), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["COSTGATE_TEST_BLOCK"] = blocked
    env["COSTGATE_CACHE_DIR"] = str(tmp_path / "cache")
    return subprocess.run(
        [sys.executable, "-m", "costgate", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )


def test_aws_refresh_without_boto3_names_the_refresh_extra(tmp_path: Path) -> None:
    done = costgate_without(
        "boto3,botocore",
        "pricing",
        "refresh",
        "aws",
        "--regions",
        "us-east-1",
        "--types",
        "p4d.24xlarge",
        "-o",
        str(tmp_path / "aws.json"),
        tmp_path=tmp_path,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        "costgate: error: `costgate pricing refresh aws` needs the refresh extra: "
        "pip install 'costgate[refresh]'\n"
    )
    assert not (tmp_path / "aws.json").exists()


def test_pulumi_program_without_the_sdk_names_the_pulumi_extra(tmp_path: Path) -> None:
    program = tmp_path / "program"
    program.mkdir()
    (program / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    (program / "__main__.py").write_text("import pulumi\n")
    done = costgate_without("pulumi", "check", str(program), tmp_path=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        "costgate: error: reading Pulumi programs needs the pulumi extra: "
        "pip install 'costgate[pulumi]'\n"
    )


def test_the_core_commands_run_without_any_extra(tmp_path: Path) -> None:
    plan = REPO / "fixtures" / "terraform-plan" / "ml-training" / "plan.json"
    usage = REPO / "fixtures" / "usage.yml"
    done = costgate_without(
        "boto3,botocore,pulumi,pulumi_policy,pulumi_aws",
        "check",
        str(plan),
        "--usage",
        str(usage),
        tmp_path=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "Result: PASS" in done.stdout


def test_policy_pack_without_pulumi_policy_names_the_pulumi_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from costgate.pulumi import policies

    monkeypatch.setitem(sys.modules, "pulumi_policy", None)  # None: "import" raises
    with pytest.raises(ConfigError) as caught:
        policies()
    assert str(caught.value) == (
        "the Pulumi policy pack needs the pulumi extra: pip install 'costgate[pulumi]'"
    )


def test_version_has_one_source() -> None:
    # pyproject declares the version dynamic; hatchling reads costgate.__version__
    assert re.search(r"(?m)^version\s*=", (REPO / "pyproject.toml").read_text()) is None
    done = subprocess.run(
        [sys.executable, "-m", "costgate", "--version"], capture_output=True, text=True
    )
    assert done.stdout.strip().endswith(f", version {costgate.__version__}")
