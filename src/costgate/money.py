"""Number formatting shared by the reporters: the only place amounts are rounded."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from costgate.model import CostDiff, ResourceDelta

CENT = Decimal("0.01")
MAX_PLACES = Decimal("1E-10")


def money(amount: Decimal) -> str:
    """An amount rounded half-up to cents, as a plain decimal string ('1234.56')."""
    return format(amount.quantize(CENT, rounding=ROUND_HALF_UP), "f")


def shown_delta(change: CostDiff | ResourceDelta) -> Decimal:
    """Head minus base as a reader sees them: each rounded to cents first, so a printed
    delta always equals the difference of the printed totals."""
    head = change.head_monthly_cost.quantize(CENT, rounding=ROUND_HALF_UP)
    return head - change.base_monthly_cost.quantize(CENT, rounding=ROUND_HALF_UP)


def exact(value: Decimal) -> str:
    """A quantity or unit price without exponent notation, at most 10 decimal places."""
    text = str(value)  # fast path; falls back when str() would use an exponent or >10 places
    dot = text.find(".")
    if "E" in text or (dot >= 0 and len(text) - dot - 1 > 10):
        if value.as_tuple().exponent < -10:  # type: ignore[operator]
            value = value.quantize(MAX_PLACES, rounding=ROUND_HALF_UP)
        text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def money_display(amount: Decimal) -> str:
    """'$12,345.68' / '-$3.00' for tables and markdown."""
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    return f"{sign}${abs(rounded):,.2f}"


def signed_money_display(amount: Decimal) -> str:
    """'+$1.00' / '-$1.00' / '$0.00' for deltas."""
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if rounded > 0:
        return "+" + money_display(rounded)
    return money_display(rounded)
