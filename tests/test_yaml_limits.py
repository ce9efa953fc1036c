"""YAML and JSON inputs with bounded work: alias bombs, huge and non-finite numbers,
deep nesting are exit 2 with the file named (issue 17, item 2)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from costgate.errors import ConfigError, InputError
from costgate.inputs.base import load_json
from costgate.validation import load_yaml

BILLION_LAUGHS = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{b}: &{b} [{','.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


def test_a_billion_laughs_policy_is_rejected_fast(tmp_path: Path) -> None:
    path = tmp_path / ".costgate.yml"
    path.write_text(BILLION_LAUGHS)
    assert len(BILLION_LAUGHS) < 400
    started = time.monotonic()
    with pytest.raises(ConfigError, match="aliases expand to more than 100,000") as error:
        load_yaml(path, "policy file")
    # a guard against unbounded work (over 20 s before the limit), not a speed target: the
    # bound is loose so a loaded CI machine does not fail it
    assert time.monotonic() - started < 10.0
    assert error.value.path == str(path)
    assert error.value.location is not None


@pytest.mark.parametrize(
    "text", ["n: " + "9" * 5000 + "\n", "n: " + "9" * 200 + "\n", "a:\n" + "  " * 0 + "[" * 5000]
)
def test_huge_numbers_and_deep_nesting_in_yaml(tmp_path: Path, text: str) -> None:
    path = tmp_path / "usage.yml"
    path.write_text(text)
    with pytest.raises(ConfigError):
        load_yaml(path, "usage file")


@pytest.mark.parametrize(
    "text", ['{"a": NaN}', '{"a": Infinity}', '{"a": 1e1000000}', '{"a": ' + "9" * 4400 + "}"]
)
def test_json_inputs_with_nan_or_huge_numbers(tmp_path: Path, text: str) -> None:
    path = tmp_path / "plan.json"
    path.write_text(text)
    with pytest.raises(InputError) as error:
        load_json(path)
    assert error.value.path == str(path)


def test_deeply_nested_json(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(InputError, match="nested too deeply"):
        load_json(path)
