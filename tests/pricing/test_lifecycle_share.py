"""`lifecycle_rule_share`: the share of a bucket's objects that a rule filtered by tag, size
or suffix matches follows that rule; the rest follows the prefix's own rule. Figures are
computed by hand from the shipped catalog's prices."""

from __future__ import annotations

from decimal import Decimal

import pytest

from costgate.errors import ConfigError
from costgate.model import Resource
from costgate.pricing.catalog import Catalog
from tests.conftest import make_resource, usage
from tests.pricing.helpers import azure, gcp, lines, list_price, price

D = Decimal
S3 = "aws_s3_bucket.ckpt"


def _s3(rules: list[dict[str, object]]) -> tuple[Resource, Resource]:
    bucket = make_resource("aws_s3_bucket", {"bucket": "ckpt"}, address=S3)
    config = make_resource(
        "aws_s3_bucket_lifecycle_configuration",
        {"rule": rules},
        address="aws_s3_bucket_lifecycle_configuration.ckpt",
        references={"bucket": (f"{S3}.id", S3)},
    )
    return bucket, config


TAGGED = {
    "id": "cold-runs",
    "status": "Enabled",
    "filter": [{"tag": [{"key": "tier", "value": "cold"}]}],
    "transition": [{"days": 30, "storage_class": "GLACIER"}],
    "expiration": [{"days": 90}],
}


def test_s3_tagged_share_goes_to_glacier_and_the_rest_stays_standard(catalog: Catalog) -> None:
    standard = list_price(catalog, "aws", "s3", "STANDARD", "storage", "us-east-1")
    glacier = list_price(catalog, "aws", "s3", "GLACIER", "storage", "us-east-1")
    assert (standard, glacier) == (D("0.023"), D("0.0036"))
    use = usage(
        {S3: {"storage_gb": 1000, "objects": 9000, "lifecycle_rule_share": {"cold-runs": D("0.4")}}}
    )
    p, _ = price(catalog, *_s3([TAGGED]), use=use)
    got = lines(p)
    said = "bucket, 40 % of objects match tag tier=cold (usage file)"
    # 400 GB: 30 of 90 days in STANDARD (133.33 GB-months), 60 in GLACIER (266.67), and
    # GLACIER's 90-day minimum bills 30 more days (133.33); 600 GB stay in STANDARD
    assert got[f"Storage (STANDARD, {said}, 30/90 d of 90-day expires)"] == (
        D("133.333333"),
        standard,
    )
    assert got[f"Storage (GLACIER, {said}, 60/90 d of 90-day expires)"] == (
        D("266.666667"),
        glacier,
    )
    assert got[f"Early deletion (GLACIER, 30 d short of 90-day minimum, {said})"] == (
        D("133.333333"),
        glacier,
    )
    rest = "bucket, the other 60 % of objects (usage file lifecycle_rule_share)"
    assert got[f"Storage (STANDARD, {rest}, no lifecycle rule)"] == (D(600), standard)
    # 3,600 of the 9,000 objects live 90 days: 40 a day x 730/24 days = 1,216.67 a month
    assert got[f"Lifecycle transitions to GLACIER ({said})"][0] == D("1.216667")
    assert not any("not applied" in n for n in p.notes)
    assert p.monthly_cost == (
        D("133.333333") * standard
        + D("266.666667") * glacier
        + D("133.333333") * glacier
        + 600 * standard
        + D("1.216667") * D("0.03")
    )


def test_s3_without_a_share_the_tagged_rule_is_not_applied(catalog: Catalog) -> None:
    p, _ = price(catalog, *_s3([TAGGED]), use=usage({S3: {"storage_gb": 1000}}))
    assert p.monthly_cost == 1000 * D("0.023")
    assert any("applies only to objects with tag tier=cold" in n for n in p.notes)


def test_s3_share_next_to_a_bucket_wide_rule(catalog: Catalog) -> None:
    everything = {
        "id": "all",
        "status": "Enabled",
        "filter": [{"prefix": ""}],
        "transition": [{"days": 60, "storage_class": "STANDARD_IA"}],
        "expiration": [{"days": 120}],
    }
    use = usage({S3: {"storage_gb": 1000, "lifecycle_rule_share": {"cold-runs": D("0.25")}}})
    p, _ = price(catalog, *_s3([everything, TAGGED]), use=use)
    rest = "bucket, the other 75 % of objects (usage file lifecycle_rule_share)"
    got = lines(p)
    # 750 GB under "all": 60/120 STANDARD, 60/120 STANDARD_IA (30-day minimum met)
    assert got[f"Storage (STANDARD, {rest}, 60/120 d of 120-day expires)"][0] == D(375)
    assert got[f"Storage (STANDARD_IA, {rest}, 60/120 d of 120-day expires)"][0] == D(375)
    assert any("priced under its actions alone, not also under rule 'all'" in n for n in p.notes)


@pytest.mark.parametrize(
    ("shares", "message"),
    [
        ({"nope": D("0.5")}, "lifecycle_rule_share 'nope': the bucket has no lifecycle rule"),
        ({"plain": D("0.5")}, "lifecycle_rule_share 'plain': that rule filters by prefix alone"),
    ],
)
def test_a_share_for_a_rule_that_cannot_take_one_is_exit_2(
    catalog: Catalog, shares: dict[str, Decimal], message: str
) -> None:
    plain = {"id": "plain", "status": "Enabled", "expiration": [{"days": 30}]}
    use = usage({S3: {"storage_gb": 10, "lifecycle_rule_share": shares}})
    with pytest.raises(ConfigError, match=message) as err:
        price(catalog, *_s3([plain, TAGGED]), use=use)
    assert "('cold-runs')" in err.value.message  # the ids a share may name


def test_shares_over_100_percent_are_exit_2(catalog: Catalog) -> None:
    other = {**TAGGED, "id": "big", "filter": [{"object_size_greater_than": 1000000}]}
    use = usage(
        {S3: {"storage_gb": 10, "lifecycle_rule_share": {"cold-runs": D("0.6"), "big": D("0.5")}}}
    )
    with pytest.raises(ConfigError, match="add up to 110 % of storage_gb"):
        price(catalog, *_s3([TAGGED, other]), use=use)


def test_gcs_suffix_rule_share_moves_to_archive(catalog: Catalog) -> None:
    bucket = gcp(
        "google_storage_bucket",
        {
            "location": "US-CENTRAL1",
            "storage_class": "STANDARD",
            "lifecycle_rule": [
                {
                    "action": [{"type": "SetStorageClass", "storage_class": "ARCHIVE"}],
                    "condition": [{"age": 30, "matches_suffix": [".ckpt"]}],
                },
            ],
        },
        address="google_storage_bucket.data",
    )
    rule = "lifecycle_rule[*|name suffix .ckpt]"
    use = usage(
        {
            "google_storage_bucket.data": {
                "storage_gb": 1000,
                "lifecycle_rule_share": {rule: D("0.4")},
            }
        }
    )
    (p,) = price(catalog, bucket, use=use)
    got = lines(p)
    said = "40 % of objects match name suffix .ckpt (usage file)"
    # 400 GB over the 365-day assumed lifetime: 30/365 STANDARD, 335/365 ARCHIVE; no Delete,
    # so no early deletion; the other 600 GB stay in STANDARD
    assert got[f"Storage (STANDARD, {said}, 30/365 d)"] == (D("32.876712"), D("0.02"))
    assert got[f"Storage (ARCHIVE, {said}, 335/365 d)"] == (D("367.123288"), D("0.0012"))
    rest = "the other 60 % of objects (usage file lifecycle_rule_share)"
    assert got[f"Storage (STANDARD, {rest}, 365/365 d)"] == (D(600), D("0.02"))
    assert p.monthly_cost == (
        D("32.876712") * D("0.02") + D("367.123288") * D("0.0012") + 600 * D("0.02")
    )


def test_azure_index_tag_rule_share_moves_blobs_to_archive(catalog: Catalog) -> None:
    address = "azurerm_storage_account.a"
    account = azure(
        "azurerm_storage_account",
        {"account_replication_type": "LRS", "access_tier": "Cool"},
        region="westeurope",
        address=address,
    )
    base = {
        "tier_to_archive_after_days_since_modification_greater_than": 30,
        "delete_after_days_since_modification_greater_than": 90,
    }
    tags = [{"name": "stage", "operation": "==", "value": "done"}]
    policy = azure(
        "azurerm_storage_management_policy",
        {
            "rule": [
                {
                    "name": "done-runs",
                    "enabled": True,
                    "filters": [{"blob_types": ["blockBlob"], "match_blob_index_tag": tags}],
                    "actions": [{"base_blob": [base]}],
                }
            ]
        },
        region="westeurope",
        address="azurerm_storage_management_policy.p",
        references={"storage_account_id": (address,)},
    )
    use = usage({address: {"storage_gb": 1000, "lifecycle_rule_share": {"done-runs": D("0.4")}}})
    a, _ = price(catalog, account, policy, use=use)
    got = lines(a)
    said = "40 % of objects match tag stage == done (usage file)"
    # Cool LRS 0.01, Archive LRS 0.0018 (westeurope). 400 GB: 30 of 90 days in Cool
    # (133.33), 60 in Archive (266.67), deleted 120 days short of Archive's 180-day minimum
    # (533.33); the other 600 GB stay in Cool
    assert got[f"Storage (Cool_LRS, {said}, 30/90 d)"] == (D("133.333333"), D("0.01"))
    assert got[f"Storage (Archive_LRS, {said}, 60/90 d)"] == (D("266.666667"), D("0.0018"))
    assert got[f"Early deletion (Archive_LRS, {said}, 120 d short of 180-day minimum)"] == (
        D("533.333333"),
        D("0.0018"),
    )
    rest = "the other 60 % of objects (usage file lifecycle_rule_share)"
    assert got[f"Storage (Cool_LRS, {rest}, 365/365 d)"] == (D(600), D("0.01"))


def test_a_zero_share_prices_no_lines_for_the_rule(catalog: Catalog) -> None:
    use = usage({S3: {"storage_gb": 1000, "lifecycle_rule_share": {"cold-runs": D(0)}}})
    p, _ = price(catalog, *_s3([TAGGED]), use=use)
    rest = "bucket, the other 100 % of objects (usage file lifecycle_rule_share)"
    assert lines(p) == {f"Storage (STANDARD, {rest}, no lifecycle rule)": (D(1000), D("0.023"))}
