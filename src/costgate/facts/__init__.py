"""What each resource *is*, read once from its attributes: the layer pricing and policy share.

Inputs normalise resources (`inputs/`); this layer turns a resource's attributes into typed
specs (`specs.py`) — machines and capacity, object storage with its lifecycle rules and
their filters — with one reader module per cloud (`aws.py`, `google.py`, `azurerm.py`)
and the cross-cloud dispatch in `compute.py` and `storage.py`. Pricers price a spec,
policy rules judge the same spec, so an attribute is never read two ways.
"""
