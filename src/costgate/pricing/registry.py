"""The pricer registry: resource type -> pricer, plus types that are free (`free.py`, one
list for every provider) or priced elsewhere."""

from __future__ import annotations

from costgate.pricing.free import FREE
from costgate.pricing.quote import Pricer


def _build() -> tuple[dict[str, Pricer], dict[str, str]]:
    from costgate.pricing import aws, azurerm, google

    pricers: dict[str, Pricer] = {}
    elsewhere: dict[str, str] = {}
    for provider in (aws, google, azurerm):
        pricers.update(provider.PRICERS)
        elsewhere.update(provider.PRICED_ELSEWHERE)
    return pricers, elsewhere


PRICERS, PRICED_ELSEWHERE = _build()

__all__ = ["FREE", "PRICED_ELSEWHERE", "PRICERS"]
