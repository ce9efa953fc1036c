"""Storage accounts by kind, tier and redundancy, with Infracost's usage keys, against the
Retail Prices API meters of westeurope (azure-pricing-radar dump of 2026-08-22), computed by
hand."""

from __future__ import annotations

from decimal import Decimal

from costgate.model import Resource
from costgate.pricing.catalog import Catalog
from tests.conftest import usage
from tests.pricing.helpers import azure, lines, list_price, price

D = Decimal
ADDRESS = "azurerm_storage_account.a"


def account(**attributes: object) -> Resource:
    return azure("azurerm_storage_account", dict(attributes), region="westeurope", address=ADDRESS)


def test_premium_block_blob_prices_capacity_and_operations(catalog: Catalog) -> None:
    assert list_price(catalog, "azurerm", "blob", "Premium_LRS", "storage", "westeurope") == D(
        "0.195"
    )
    (a,) = price(
        catalog,
        account(
            account_kind="BlockBlobStorage", account_tier="Premium", account_replication_type="LRS"
        ),
        use=usage(
            {
                ADDRESS: {
                    "storage_gb": 1000,
                    "monthly_write_operations": 1_000_000,
                    "monthly_list_and_create_container_operations": 1_000_000,
                    "monthly_read_operations": 100_000,
                    "monthly_other_operations": 1_000_000,
                    "monthly_data_retrieval_gb": 500,
                    "blob_index_tags": 10_000,
                }
            }
        ),
    )
    got = lines(a)
    # Premium LRS meters, westeurope: 0.195/GB, 0.0228 write, 0.065 list, 0.00182 read/other
    assert got["Storage (Premium_LRS, 365/365 d)"] == (D(1000), D("0.195"))
    assert got["Write operations"] == (D(100), D("0.0228"))
    assert got["List and create container operations"] == (D(100), D("0.065"))
    assert got["Read operations"] == (D(10), D("0.00182"))
    assert got["All other operations"] == (D(100), D("0.00182"))
    assert a.monthly_cost == D("195") + D("2.28") + D("6.5") + D("0.0182") + D("0.182")
    # premium block blobs bill no retrieval and no index tags: said, not priced
    assert any(n.startswith("monthly_data_retrieval_gb: no charge") for n in a.notes)
    assert any(n.startswith("blob_index_tags: no charge") for n in a.notes)
    assert not a.missing


def test_cool_grs_general_purpose_v2(catalog: Catalog) -> None:
    (a,) = price(
        catalog,
        account(account_tier="Standard", account_replication_type="GRS", access_tier="Cool"),
        use=usage(
            {
                ADDRESS: {
                    "storage_gb": 1000,
                    "monthly_write_operations": 10_000,
                    "monthly_data_retrieval_gb": 100,
                    "early_deletion_gb": 50,
                    "blob_index_tags": 20_000,
                    "monthly_other_operations": 10_000,
                    "monthly_list_and_create_container_operations": 20_000,
                    "monthly_data_write_gb": 300,
                    "metadata_at_rest_storage_gb": 5,
                }
            }
        ),
    )
    got = lines(a)
    # Cool GRS westeurope: 0.02/GB stored, 0.2 per 10k writes, 0.01/GB retrieval,
    # 0.02/GB early delete, 0.075 per 10k index tags
    assert got["Storage (Cool_GRS, 365/365 d)"] == (D(1000), D("0.02"))
    assert got["Write operations"] == (D(1), D("0.2"))
    assert got["Data retrieval"] == (D(100), D("0.01"))
    assert got["Early deletion"] == (D(50), D("0.02"))
    assert got["Blob index tags"] == (D(2), D("0.075"))
    # GRS copies every GB written to the secondary region: Geo-Replication v2 Data Transfer
    # 0.02/GB; a v2 account has no Data Write charge (legacy Blob Storage Cool only)
    assert got["Geo-replication data transfer"] == (D(300), D("0.02"))
    assert "Data write" not in got
    assert any(n.startswith("metadata_at_rest_storage_gb: not priced") for n in a.notes)
    # list/create container and other operations have no Cool meters: the Retail API lists
    # them, without a tier in their names, under Hot GRS only (0.108 and 0.0043 per 10k)
    hot = "(no access tier: the meter Azure lists under Hot)"
    assert got[f"List and create container operations {hot}"] == (D(2), D("0.108"))
    assert got[f"All other operations {hot}"] == (D(1), D("0.0043"))
    assert a.monthly_cost == (
        D("20") + D("0.2") + D("1") + D("1") + D("0.15") + D("6") + D("0.216") + D("0.0043")
    )
    assert not a.missing


def test_hot_only_operation_meters_stay_missing_where_hot_lacks_them(catalog: Catalog) -> None:
    # westeurope's dump has no Hot LRS list/create meter: a Cool LRS account borrows nothing
    # else (the Blob Storage product's meter has another id), so the line is listed missing
    assert catalog.price("azurerm", "blob", "Hot_LRS", "westeurope", "list_ops") is None
    (a,) = price(
        catalog,
        account(account_replication_type="LRS", access_tier="Cool"),
        use=usage(
            {ADDRESS: {"storage_gb": 100, "monthly_list_and_create_container_operations": 10_000}}
        ),
    )
    assert a.missing and a.missing[0].startswith(
        "List and create container operations not priced: no list-ops price for blob Hot_LRS"
    )


def test_hot_capacity_stays_unpriced_when_the_dump_hides_its_volume_tier(
    catalog: Catalog,
) -> None:
    (a,) = price(
        catalog,
        account(account_replication_type="LRS"),
        use=usage({ADDRESS: {"storage_gb": 100, "monthly_read_operations": 10_000}}),
    )
    assert lines(a)["Read operations"] == (D(1), D("0.0043"))
    assert a.missing and a.missing[0].startswith("Storage (Hot_LRS, 365/365 d) not priced")
    assert any("priced as Hot, the default" in n for n in a.notes)


def test_premium_file_share_bills_provisioned_size_and_snapshots(catalog: Catalog) -> None:
    (a,) = price(
        catalog,
        account(account_kind="FileStorage", account_tier="Premium", account_replication_type="ZRS"),
        use=usage(
            {
                ADDRESS: {
                    "data_at_rest_storage_gb": 1000,
                    "snapshots_storage_gb": 100,
                    "monthly_write_operations": 1_000_000,
                }
            }
        ),
    )
    got = lines(a)
    # Premium ZRS Provisioned 0.24/GB, Snapshots 0.204/GB (westeurope)
    assert got["Provisioned storage"] == (D(1000), D("0.24"))
    assert got["Snapshots"] == (D(100), D("0.204"))
    assert a.monthly_cost == D("240") + D("20.4")
    assert any(n.startswith("monthly_write_operations: no charge") for n in a.notes)


def test_general_purpose_v1_uses_its_own_meters(catalog: Catalog) -> None:
    (a,) = price(
        catalog,
        account(account_kind="Storage", account_replication_type="RAGRS"),
        use=usage({ADDRESS: {"storage_gb": 10, "monthly_write_operations": 20_000}}),
    )
    # RA-GRS Write Operations of "General Block Blob" (v1): 0.00036 per 10k, not v2's 0.108
    assert lines(a)["Write operations"] == (D(2), D("0.00036"))
    # v1 capacity is volume-tiered and the dump does not say which tier it kept
    assert a.missing[0].startswith("Storage (V1_Standard_RA-GRS, 365/365 d) not priced")


def test_accounts_azure_does_not_sell_are_unpriced_with_the_reason(catalog: Catalog) -> None:
    use = usage({ADDRESS: {"storage_gb": 10}})
    cases = {
        "Premium only": account(account_kind="FileStorage", account_tier="Standard"),
        "hold page blobs": account(account_kind="StorageV2", account_tier="Premium"),
        "LRS or ZRS only": account(
            account_kind="BlockBlobStorage", account_tier="Premium", account_replication_type="GRS"
        ),
        "Standard only": account(account_kind="BlobStorage", account_tier="Premium"),
        # the legacy kinds have no zone-redundant option, in any region (westeurope has zones)
        "General-purpose v1 (Storage) accounts support LRS, GRS or RA-GRS only, not ZRS": account(
            account_kind="Storage", account_replication_type="ZRS"
        ),
        "Legacy Blob Storage (BlobStorage) accounts support LRS, GRS or RA-GRS only, not RA-GZRS": (
            account(account_kind="BlobStorage", account_replication_type="RAGZRS")
        ),
    }
    for why, resource in cases.items():
        (a,) = price(catalog, resource, use=use)
        assert a.unpriced_reason and why in a.unpriced_reason, (why, a.unpriced_reason)


def test_locally_redundant_and_v1_accounts_pay_no_geo_replication(catalog: Catalog) -> None:
    writes = usage({ADDRESS: {"storage_gb": 10, "monthly_data_write_gb": 300}})
    for attributes in (
        {"account_replication_type": "ZRS", "access_tier": "Cool"},
        {"account_kind": "Storage", "account_replication_type": "GRS"},
    ):
        (a,) = price(catalog, account(**attributes), use=writes)
        assert "Geo-replication data transfer" not in lines(a), attributes


def test_a_management_policy_moves_cool_blobs_to_archive_in_westeurope(catalog: Catalog) -> None:
    base = {
        "tier_to_archive_after_days_since_modification_greater_than": 30,
        "delete_after_days_since_modification_greater_than": 90,
    }
    policy = azure(
        "azurerm_storage_management_policy",
        {"rule": [{"enabled": True, "actions": [{"base_blob": [base]}]}]},
        region="westeurope",
        address="azurerm_storage_management_policy.p",
        references={"storage_account_id": (ADDRESS,)},
    )
    a, _ = price(
        catalog,
        account(account_replication_type="LRS", access_tier="Cool"),
        policy,
        use=usage({ADDRESS: {"storage_gb": 1000}}),
    )
    got = lines(a)
    # Cool LRS 0.01, Archive LRS 0.0018 (westeurope); 30 of 90 days in Cool, 60 in Archive,
    # deleted 120 days short of Archive's 180-day minimum
    assert got["Storage (Cool_LRS, 30/90 d)"] == (D("333.333333"), D("0.01"))
    assert got["Storage (Archive_LRS, 60/90 d)"] == (D("666.666667"), D("0.0018"))
    assert got["Early deletion (Archive_LRS, 120 d short of 180-day minimum)"] == (
        D("1333.333333"),
        D("0.0018"),
    )
    assert not a.missing


def test_westus_accounts_are_priced_by_volume_tier_from_the_westus_export(
    catalog: Catalog,
) -> None:
    """westus (jokamotonpi/azure-price-mirror export, meters in effect on 2026-09-01): Hot GRS
    capacity in its three volume tiers and general-purpose v1 capacity in its TB bands."""
    assert list_price(catalog, "azurerm", "blob", "Hot_GRS", "storage", "westus") == D("0.0458")
    hot = azure(
        "azurerm_storage_account",
        {"account_tier": "Standard", "account_replication_type": "GRS"},
        region="westus",
        address="azurerm_storage_account.hot",
    )
    v1 = azure(
        "azurerm_storage_account",
        {"account_kind": "Storage", "account_tier": "Standard", "account_replication_type": "LRS"},
        region="westus",
        address="azurerm_storage_account.v1",
    )
    use = usage(
        {
            "azurerm_storage_account.hot": {
                "storage_gb": 60_000,
                "monthly_write_operations": 100_000,
            },
            "azurerm_storage_account.v1": {"storage_gb": 60_000},
        }
    )
    a, b = price(catalog, hot, v1, use=use)
    # Hot GRS: 51,200 GB x 0.0458 + 8,800 GB x 0.043968 (from 51,200 GB); 10 x 0.11 per 10k writes
    assert a.monthly_cost == D(51_200) * D("0.0458") + D(8_800) * D("0.043968") + D("1.10")
    # v1 LRS: 1,024 x 0.024 + 50,176 x 0.0236 (from 1 TB) + 8,800 x 0.0232 (from 50 TB)
    v1_tiers = D(1_024) * D("0.024") + D(50_176) * D("0.0236") + D(8_800) * D("0.0232")
    assert b.monthly_cost == v1_tiers
    assert b.monthly_cost.quantize(D("0.01")) == D("1412.89")
    assert not a.missing and not b.missing


def test_hierarchical_namespace_cool_other_operations_borrow_no_hot_meter(catalog: Catalog) -> None:
    # the HNS other-operations meter names its tier ("Hot GRS Other Operations", 0.006 per
    # 10k in westeurope) and the dump has no Cool one: a Cool HNS account's other operations
    # are missing, not priced at the Hot meter as if it had no tier
    assert list_price(catalog, "azurerm", "blob", "HNS_Hot_GRS", "other_ops", "westeurope") == D(
        "0.006"
    )
    (a,) = price(
        catalog,
        account(account_replication_type="GRS", access_tier="Cool", is_hns_enabled=True),
        use=usage({ADDRESS: {"storage_gb": 100, "monthly_other_operations": 10_000}}),
    )
    assert not any(name.startswith("All other operations") for name in lines(a))
    assert any(
        m.startswith("All other operations not priced: no other-ops price for blob HNS_Cool_GRS")
        for m in a.missing
    ), a.missing
