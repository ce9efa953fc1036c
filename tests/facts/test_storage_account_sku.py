"""What a storage account is billed as, read from its Terraform attributes: the Retail API
product family, first tier and redundancy as Azure spells it, or why Azure would refuse it."""

from __future__ import annotations

from costgate.facts.azurerm import AccountSku, account_sku
from tests.conftest import make_resource


def sku(**attributes: object) -> AccountSku:
    return account_sku(make_resource("azurerm_storage_account", dict(attributes)))


def test_defaults_are_general_purpose_v2_hot_lrs() -> None:
    s = sku(account_tier="Standard")
    assert (s.kind, s.service, s.product, s.tier_assumed) == ("StorageV2", "blob", "Hot_LRS", True)
    assert s.tiered and not s.geo_replicated


def test_spellings_families_and_namespaces() -> None:
    assert sku(account_replication_type="RAGRS").product == "Hot_RA-GRS"
    assert sku(account_replication_type="ragzrs", access_tier="Cool").product == "Cool_RA-GZRS"
    assert sku(account_kind="BlobStorage", access_tier="Cool").product == "BlobStorage_Cool_LRS"
    assert sku(account_kind="Storage", account_replication_type="ZRS").product == "V1_Standard_ZRS"
    assert sku(nfsv3_enabled=True, is_hns_enabled=True).product == "HNS_Hot_LRS"
    premium = sku(account_kind="BlockBlobStorage", account_tier="Premium", is_hns_enabled=True)
    assert (premium.product, premium.tiered) == ("HNS_Premium_LRS", False)
    files = sku(account_kind="FileStorage", account_tier="Premium", account_replication_type="ZRS")
    assert (files.service, files.product, files.files) == ("files", "Premium_ZRS", True)


def test_geo_redundancy_and_invalid_combinations() -> None:
    assert sku(account_replication_type="GZRS").geo_replicated
    assert not sku(account_kind="Storage", account_replication_type="GRS").geo_replicated
    assert (
        "LRS or ZRS only"
        in sku(
            account_kind="FileStorage", account_tier="Premium", account_replication_type="GRS"
        ).invalid
    )
    assert "page blobs" in sku(account_kind="Storage", account_tier="Premium").invalid
    assert "Premium only" in sku(account_kind="BlockBlobStorage", account_tier="Standard").invalid
    assert not sku(account_kind="StorageV2", account_tier="Standard").invalid
