"""Version constraints resolve as Terraform resolves module versions (hashicorp/go-version)."""

from __future__ import annotations

import pytest

from costgate.inputs.terraform.modules.versions import newest

AVAILABLE = [
    "0.9.0",
    "1.0.0",
    "1.0.4",
    "1.0.10",
    "1.1.0",
    "1.2.0",
    "1.3.0-beta1",
    "2.0.0",
    "2.1.0-rc.1",
    "not-a-version",
]


@pytest.mark.parametrize(
    ("constraint", "expected"),
    [
        (None, "2.0.0"),
        ("", "2.0.0"),
        ("1.0.4", "1.0.4"),
        ("= 1.1.0", "1.1.0"),
        ("!= 2.0.0", "1.2.0"),
        ("> 1.0.4", "2.0.0"),
        (">= 1.0.10, < 2.0.0", "1.2.0"),
        ("< 1.0.0", "0.9.0"),
        ("<= 1.0.10", "1.0.10"),
        ("~> 1.0.4", "1.0.10"),  # >= 1.0.4, < 1.1.0
        ("~> 1.0", "1.2.0"),  # >= 1.0, < 2.0
        ("~> 1.1", "1.2.0"),
        ("~> 2.0", "2.0.0"),
        ("~> 1", "2.0.0"),  # go-version: one segment fixes nothing (>= 1)
        (">= 1.2.0, != 2.0.0", "1.2.0"),
        ("1.3.0-beta1", "1.3.0-beta1"),  # a prerelease only when named exactly
        (">= 1.3.0-beta1, < 2.0.0", None),
        ("~> 3.0", None),
        ("2.1.0-rc.1", "2.1.0-rc.1"),
        ("v1.1.0", "1.1.0"),
    ],
)
def test_newest_matching_version(constraint: str | None, expected: str | None) -> None:
    assert newest(constraint, AVAILABLE) == expected


def test_prerelease_ordering_and_malformed_constraints() -> None:
    assert newest("= 1.0.0-rc.2", ["1.0.0-rc.10", "1.0.0-rc.2", "1.0.0"]) == "1.0.0-rc.2"
    assert newest(None, ["1.0.0-rc.10", "0.9.0"]) == "0.9.0"
    with pytest.raises(ValueError, match="not a version"):
        newest("~> banana", AVAILABLE)
