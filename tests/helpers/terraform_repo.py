"""Terraform files in throwaway git repositories, for tests of git base refs and hooks."""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True, env=env
    ).stdout


def instance(name: str, instance_type: str, tags: str = "") -> str:
    return textwrap.dedent(f"""
        resource "aws_instance" "{name}" {{
          instance_type = "{instance_type}"
          tags = {{ {tags} }}
        }}
    """)


PROVIDER = 'provider "aws" {\n  region = "us-east-1"\n}\n'
