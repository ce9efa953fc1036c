"""The steady-state lifecycle timeline, computed once per distinct rule."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from costgate.pricing.lifecycle import timeline
from costgate.pricing.quote import Unpriceable

MINIMUMS = {"STANDARD": D(0), "STANDARD_IA": D(30), "GLACIER": D(90)}


def test_glacier_minimum_is_billed_as_early_deletion() -> None:
    path = timeline("STANDARD", [(D(30), "GLACIER")], D(90), D(365), MINIMUMS.__getitem__)
    assert [(s.storage_class, s.days, s.billed_days) for s in path.stages] == [
        ("STANDARD", D(30), D(30)),
        ("GLACIER", D(60), D(90)),
    ]
    assert path.stages[1].early_deletion_days == D(30)


def test_repeated_rules_share_one_result_but_keep_their_spelling() -> None:
    first = timeline("STANDARD", [(D(30), "STANDARD_IA")], D(180), D(365), MINIMUMS.__getitem__)
    again = timeline("STANDARD", [(D(30), "STANDARD_IA")], D(180), D(365), MINIMUMS.__getitem__)
    assert again is first  # thousands of buckets with one rule compute it once
    spelt = timeline(
        "STANDARD", [(D("30.0"), "STANDARD_IA")], D("180.0"), D(365), MINIMUMS.__getitem__
    )
    assert [str(s.days) for s in spelt.stages] == ["30.0", "150.0"]
    assert [str(s.days) for s in first.stages] == ["30", "150"]


def test_a_changed_minimum_is_not_served_from_an_earlier_result() -> None:
    short = {**MINIMUMS, "GLACIER": D(0)}
    path = timeline("STANDARD", [(D(30), "GLACIER")], D(90), D(365), short.__getitem__)
    assert path.stages[1].billed_days == D(60)


def test_rejected_days_fail_every_time() -> None:
    for _ in range(2):
        with pytest.raises(Unpriceable, match="after -1 days"):
            timeline("STANDARD", [(D(-1), "GLACIER")], D(90), D(365), MINIMUMS.__getitem__)
