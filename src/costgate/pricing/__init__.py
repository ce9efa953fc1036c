"""Pricing: the catalog, the per-provider pricers and the engine that applies them."""
