"""Sustained-use discounts: Google's incremental schedules, and which machines get them."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from costgate.facts.google import CustomMachine, custom_machine
from costgate.pricing.catalog import Catalog
from costgate.pricing.google import sustained_use
from costgate.pricing.google.sustained_use import UP_TO_20, UP_TO_30, schedule_for
from tests.pricing.helpers import gcp, lines, price


@pytest.mark.parametrize(
    ("schedule", "hours", "billed"),
    [
        (UP_TO_30, D(730), D(511)),  # 182.5 x (1 + 0.8 + 0.6 + 0.4): 30 % off
        (UP_TO_30, D(100), D(100)),  # under a quarter of the month: no discount
        (UP_TO_30, D(365), D("328.5")),  # 182.5 + 182.5 x 0.8: 10 % off at half a month
        (UP_TO_20, D(730), D("584.146")),  # 182.5 x 3.2008: 19.98 % off
        (UP_TO_20, D(470), D("417.8385")),  # 182.5 + 158.3735 + 105 x 0.733
        (UP_TO_30, D(744), D("520.8")),  # a 31-day month: quarters of 186 h, 70 % of 744
    ],
)
def test_billed_hours_follow_googles_quarters(
    schedule: sustained_use.Schedule, hours: D, billed: D
) -> None:
    assert schedule.billed_hours(hours) == billed


def test_families_with_and_without_a_discount() -> None:
    assert schedule_for("n1-standard-16") is UP_TO_30
    assert schedule_for("custom-6-20480") is UP_TO_30  # N1 custom
    assert schedule_for("m1-ultramem-80") is UP_TO_30
    assert schedule_for("f1-micro") is UP_TO_30
    assert schedule_for("n2d-custom-4-20480") is UP_TO_20
    assert schedule_for("c2-standard-4") is UP_TO_20
    for none in ("e2-medium", "a2-highgpu-1g", "g2-standard-4", "c3-standard-4", "n4-standard-2"):
        assert schedule_for(none) is None


def test_custom_machine_types_parse_with_extended_memory() -> None:
    assert custom_machine("n1-standard-8") is None
    assert custom_machine("custom-6-20480") == CustomMachine("n1", 6, D(20), D(0))
    # N1 holds 6.5 GB per vCPU at the normal rate: 15 GB on 2 vCPUs is 13 + 2 extended
    assert custom_machine("custom-2-15360-ext") == CustomMachine("n1", 2, D(13), D(2))
    # N2 holds 8 GB per vCPU; 4,608 MB = 4.5 GB
    assert custom_machine("n2-custom-2-4608") == CustomMachine("n2", 2, D("4.5"), D(0))
    assert custom_machine("n2d-custom-2-20480-ext") == CustomMachine("n2d", 2, D(16), D(4))


def test_m1_discount_n1_extended_memory_and_n2_custom_without_rates(catalog: Catalog) -> None:
    m1, ext, n2 = price(
        catalog,
        gcp("google_compute_instance", {"machine_type": "m1-ultramem-80"}),
        gcp(
            "google_compute_instance",
            {"machine_type": "custom-2-15360-ext"},
            address="google_compute_instance.ext",
        ),
        gcp(
            "google_compute_instance",
            {"machine_type": "n2-custom-6-20480"},
            address="google_compute_instance.n2",
        ),
    )
    # m1-ultramem-80 12.5862/h (pricing.yml 2026-07-30) x 511 h = 6,431.5482
    assert m1.monthly_cost == D("6431.5482")
    # N1 custom: 2 vCPU + 13 GB priced (511 h each), the 2 GB of extended memory missing
    assert ext.monthly_cost == 2 * 511 * D("0.03319155") + 13 * 511 * D("0.004446")
    assert any("extended memory" in m and "no N1 custom" in m for m in ext.missing)
    # no N2 custom rate in the catalog: unpriced with the reason, never $0
    assert n2.unpriced_reason is not None and "no N2 custom vCPU rate" in n2.unpriced_reason
    assert not lines(n2)
