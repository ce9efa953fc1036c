"""Lifecycle rules apply only to the objects their filters select, in pricing and policy.

Regression cases from issue 13/14: a rule limited to `tmp/` (GCS, Azure) or to objects
with a tag (S3) was applied to the whole bucket. Figures by hand at 1,000 GB, one month.
"""

from __future__ import annotations

from decimal import Decimal

from costgate.facts.index import StackIndex
from costgate.facts.storage import object_storage
from costgate.model import Resource
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import make_resource, usage

GB = Decimal(1000)


def _total(
    catalog: Catalog, resources: list[Resource], address: str
) -> tuple[Decimal, tuple[str, ...]]:
    use = usage({address: {"storage_gb": 1000}})
    priced = {p.resource.address: p for p in price_resources(tuple(resources), catalog, use)}
    return priced[address].monthly_cost, priced[address].notes


def test_gcs_rule_for_a_prefix_leaves_the_rest_of_the_bucket_standard(catalog: Catalog) -> None:
    rule = {
        "action": [{"type": "SetStorageClass", "storage_class": "ARCHIVE"}],
        "condition": [{"age": 1, "matches_prefix": ["tmp/"]}],
    }
    bucket = make_resource(
        "google_storage_bucket",
        {"storage_class": "STANDARD", "lifecycle_rule": [rule]},
        region="us-central1",
    )
    standard = catalog.price("google", "gcs", "STANDARD", "us-central1", "storage")
    assert standard is not None and standard.price == Decimal("0.020")
    cost, _ = _total(catalog, [bucket], bucket.address)
    assert cost == GB * standard.price == Decimal("20.00")  # was $1.25 (rule applied to all)
    spec = object_storage(bucket, StackIndex((bucket,)))
    assert spec is not None and spec.rule_for("") is None
    assert spec.rule_for("tmp/x") is not None


def test_azure_rule_for_a_prefix_leaves_the_rest_of_the_account_hot(catalog: Catalog) -> None:
    account = make_resource(
        "azurerm_storage_account",
        {"access_tier": "Hot", "account_replication_type": "LRS", "account_tier": "Standard"},
        region="westus",
    )
    policy = make_resource(
        "azurerm_storage_management_policy",
        {
            "rule": [
                {
                    "name": "tmp",
                    "enabled": True,
                    "filters": [{"prefix_match": ["tmp/"], "blob_types": ["blockBlob"]}],
                    "actions": [
                        {
                            "base_blob": [
                                {"tier_to_archive_after_days_since_modification_greater_than": 1}
                            ]
                        }
                    ],
                }
            ]
        },
        region="westus",
        references={"storage_account_id": ("azurerm_storage_account.test",)},
    )
    hot = catalog.price("azurerm", "blob", "Hot_LRS", "westus", "storage")
    assert hot is not None and hot.price == Decimal("0.0208")
    cost, _ = _total(catalog, [account, policy], account.address)
    assert cost == GB * hot.price == Decimal("20.80")  # was $11.53


def test_s3_rule_filtered_by_object_tag_is_not_applied_to_the_bucket(catalog: Catalog) -> None:
    bucket = make_resource("aws_s3_bucket", {"bucket": "ckpt"})
    config = make_resource(
        "aws_s3_bucket_lifecycle_configuration",
        {
            "bucket": "ckpt",
            "rule": [
                {
                    "id": "scratch",
                    "status": "Enabled",
                    "filter": [{"tag": [{"key": "scratch", "value": "true"}]}],
                    "transition": [{"days": 0, "storage_class": "GLACIER"}],
                }
            ],
        },
    )
    standard = catalog.price("aws", "s3", "STANDARD", "us-east-1", "storage")
    assert standard is not None and standard.price == Decimal("0.023")
    cost, notes = _total(catalog, [bucket, config], bucket.address)
    assert cost == GB * standard.price == Decimal("23.00")  # was $5.19
    assert any("tag scratch=true" in note for note in notes)
