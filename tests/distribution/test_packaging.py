"""The wheel carries the catalog, policies and schemas, and finds them when installed."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow  # builds a wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("costgate-*.whl")
    return built


def test_wheel_ships_catalog_policies_and_schemas(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = [*(REPO / "pricing").glob("*.json"), *(REPO / "pricing").glob("*/**/*.json")]
    assert len(shipped) > 40  # schema, three provider headers and their region shards
    for catalog in shipped:
        assert f"costgate/_data/pricing/{catalog.relative_to(REPO / 'pricing')}" in names
    assert "costgate/_data/policies/default.yaml" in names
    assert "costgate/_data/policies/policy.schema.json" in names
    assert "costgate/schemas/report.schema.json" in names
    assert "costgate/schemas/usage.schema.json" in names
    assert "costgate/py.typed" in names


def test_installed_wheel_prices_from_its_own_data(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = (
        "from costgate.resources import data_dir\n"
        "from costgate.pricing.catalog import load_catalog\n"
        "print(data_dir('pricing'))\n"
        "print(load_catalog().price('aws', 'ec2', 'p4d.24xlarge', 'us-east-1', 'on_demand').price)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
    )
    where, price = out.stdout.split()
    assert where == str(target / "costgate" / "_data" / "pricing")
    assert price == "21.957642"
