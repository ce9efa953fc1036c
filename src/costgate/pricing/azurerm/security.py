"""Key Vaults and their keys: a vault bills its operations; software-protected keys have no
charge of their own, HSM-protected keys do."""

from __future__ import annotations

from decimal import Decimal

from costgate.pricing.quote import Quote, Unpriceable


def price_key_vault(q: Quote) -> None:
    """Operations per 10,000 (`monthly_operations`); the vault itself has no fee."""
    q.add_usage(
        "Operations",
        "monthly_operations",
        "keyvault",
        "standard",
        "operations",
        per=Decimal(10_000),
    )


def price_key_vault_key(q: Quote) -> None:
    """Software-protected keys (RSA, EC) are free (their operations bill on the vault);
    HSM-protected keys bill a monthly fee per key that the catalog does not have."""
    key_type = q.known(q.resource.attr("key_type"), "key_type")
    if not str(key_type).endswith("-HSM"):
        q.free("a software-protected key has no charge; its operations bill on its vault")
        return
    raise Unpriceable(f"{key_type} keys bill a monthly fee per key: not in the pricing catalog")
