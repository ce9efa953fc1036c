"""Azure size names read by the facts layer."""

from __future__ import annotations

import pytest

from costgate.facts.azurerm import constrained_parent


@pytest.mark.parametrize(
    ("size", "parent"),
    [
        ("Standard_E8-4s_v3", "Standard_E8s_v3"),
        ("Standard_E16-8as_v4", "Standard_E16as_v4"),
        ("Standard_DS11-1_v2", "Standard_DS11_v2"),
        # M- and GS-series constrained sizes have no version suffix (Azure constrained vCPU
        # sizes table): still billed as their original size
        ("Standard_M8-2ms", "Standard_M8ms"),
        ("Standard_GS4-8", "Standard_GS4"),
        ("Standard_D2s_v3", None),
        ("Standard_NC24ads_A100_v4", None),
    ],
)
def test_constrained_vcpu_sizes_name_their_original_size(size: str, parent: str | None) -> None:
    assert constrained_parent(size) == parent
