"""Fixtures shared by the module fetch tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def online(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Fetching on, a cache of the test's own, no credentials from the environment."""
    monkeypatch.delenv("COSTGATE_OFFLINE", raising=False)
    monkeypatch.setenv("COSTGATE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in list(os.environ):
        if name.startswith(("TF_TOKEN_", "TF_CLI_CONFIG", "AWS_", "GOOGLE_", "STORAGE_EMULATOR")):
            monkeypatch.delenv(name)
    monkeypatch.delenv("TERRAFORM_CONFIG", raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance-role probe
    return tmp_path / "cache"
