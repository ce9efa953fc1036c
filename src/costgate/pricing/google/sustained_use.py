"""Compute Engine sustained-use discounts (SUD): Google lowers the rate of every further
hour a VM runs past each quarter of the month, automatically and without commitment.

The schedules are Google's ([Sustained use discounts][sud]): N1 (predefined and custom),
M1, M2, f1-micro, g1-small and GPUs attached to N1 VMs pay 100 %, 80 %, 60 % and 40 % of the
base rate in the four quarters of the month (30 % off a full month); N2, N2D (predefined
and custom) and C2 pay 100 %, 86.78 %, 73.3 % and 60 % (20 % off a full month). Spot and
preemptible VMs, E2 and the accelerator-optimised families (A2, A3, G2) get none. SUDs
apply to VMs that GKE creates as well.

[sud]: https://cloud.google.com/compute/docs/sustained-use-discounts
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from costgate.model import HOURS_PER_MONTH


@dataclass(frozen=True)
class Schedule:
    """The share of the base rate charged in each quarter of the month."""

    name: str
    rates: tuple[Decimal, Decimal, Decimal, Decimal]

    def billed_hours(self, hours: Decimal) -> Decimal:
        """*hours* of running in a month, expressed as hours at the base rate. The month is
        730 h, or the hours given when more (a 31-day month has 744)."""
        hours = Decimal(hours)
        quarter = max(hours, HOURS_PER_MONTH) / 4
        billed, left = Decimal(0), hours
        for rate in self.rates:
            step = min(left, quarter)
            billed += step * rate
            left -= step
        return billed


UP_TO_30 = Schedule("up to 30 %", (Decimal(1), Decimal("0.8"), Decimal("0.6"), Decimal("0.4")))
UP_TO_20 = Schedule("up to 20 %", (Decimal(1), Decimal("0.8678"), Decimal("0.733"), Decimal("0.6")))

FAMILY_SCHEDULES = {
    "n1": UP_TO_30,
    "custom": UP_TO_30,  # `custom-2-4096` is an N1 custom machine type
    "m1": UP_TO_30,
    "m2": UP_TO_30,
    "f1": UP_TO_30,
    "g1": UP_TO_30,
    "n2": UP_TO_20,
    "n2d": UP_TO_20,
    "c2": UP_TO_20,
}
"""Machine family (the machine type's first segment) -> its SUD schedule."""

N1_GPU_SCHEDULE = UP_TO_30
"""GPUs attached to N1 VMs; GPUs bundled in A2/A3/G2 machines get no SUD."""


def schedule_for(machine_type: str) -> Schedule | None:
    """The SUD schedule of a machine type, None when its family gets none."""
    return FAMILY_SCHEDULES.get(machine_type.split("-", 1)[0].lower())


def discount_label(schedule: Schedule, hours: Decimal) -> str:
    """What the line says: the effective discount and the hours it bills."""
    billed = schedule.billed_hours(hours)
    share = (1 - billed / hours) * 100 if hours else Decimal(0)
    return (
        f"sustained-use discount {share:.1f} % ({schedule.name}): {hours.normalize():f} h "
        f"billed as {billed.normalize():f} h at the list rate"
    )
