"""The pricer registry: resource type -> pricer, plus types that are free or priced elsewhere."""

from __future__ import annotations

from costgate.pricing.quote import Pricer


def _build() -> tuple[dict[str, Pricer], dict[str, str], frozenset[str]]:
    from costgate.pricing import aws, azurerm, google

    pricers: dict[str, Pricer] = {}
    elsewhere: dict[str, str] = {}
    free: set[str] = set()
    for provider in (aws, google, azurerm):
        pricers.update(provider.PRICERS)
        elsewhere.update(provider.PRICED_ELSEWHERE)
        free.update(provider.FREE)
    return pricers, elsewhere, frozenset(free)


PRICERS, PRICED_ELSEWHERE, FREE = _build()
