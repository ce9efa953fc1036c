"""The price APIs `costgate pricing refresh` can read: one module per cloud, listed by hand.

Each module (aws.py, gcp.py, azure.py) provides a `SOURCE` satisfying `PriceSource`; the
CLI takes its cloud choices from `PRICE_SOURCES` and calls whichever the user named, with
no per-cloud branches. The registry imports a module only when its source is used, so
boto3 is never loaded at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from costgate.registry import LazyRegistry

if TYPE_CHECKING:
    from costgate.pricing.catalog import Catalog
    from costgate.pricing.refresh import Fetched, Request


class PriceSource(Protocol):
    """One cloud's price API, as `costgate pricing refresh CLOUD` reads it."""

    @property
    def name(self) -> str:
        """The CLI's name for the cloud: aws, gcp, azure."""

    @property
    def provider(self) -> str:
        """The catalog's (Terraform's) provider name: aws, google, azurerm."""

    @property
    def source_id(self) -> str:
        """The id every refreshed entry names as its `source`."""

    @property
    def description(self) -> str:
        """What exactly is read, recorded in the catalog's `sources`."""

    def url(self) -> str:
        """The API address read (environment overrides, e.g. a proxy, applied)."""

    def fetch(self, request: Request, shipped: Catalog) -> list[Fetched]:
        """Current prices for the requested regions and types; *shipped* supplies facts
        such as a machine type's vCPUs where the API prices components."""


PRICE_SOURCES: LazyRegistry[PriceSource] = LazyRegistry(
    {
        "aws": "costgate.pricing.refresh.aws:SOURCE",
        "gcp": "costgate.pricing.refresh.gcp:SOURCE",
        "azure": "costgate.pricing.refresh.azure:SOURCE",
    }
)
"""CLI cloud name -> its price source."""

REFRESH_CLOUDS = {"aws": "aws", "google": "gcp", "azurerm": "azure"}
"""Catalog provider -> the `pricing refresh` cloud that fetches its prices (each source's
`provider`, written out so naming it imports no source module)."""
