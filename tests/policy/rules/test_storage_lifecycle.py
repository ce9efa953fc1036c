"""storage-lifecycle: required tiering/expiry, S3 rejections, early deletion on each cloud."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from costgate.model import Resource
from costgate.pricing.catalog import Catalog
from tests.conftest import make_resource, usage
from tests.policy.helpers import Case, run_rule

RULE = "storage-lifecycle"
BUCKET = "aws_s3_bucket.checkpoints"


def s3(
    transitions: list[tuple[int, str]], expire: int | None, *, prefix: str = ""
) -> list[Resource]:
    bucket = make_resource("aws_s3_bucket", {"bucket": "team-checkpoints"}, address=BUCKET)
    rule = {
        "id": "ckpt",
        "status": "Enabled",
        "filter": [{"prefix": prefix}],
        "transition": [{"days": d, "storage_class": c} for d, c in transitions],
        "expiration": [{"days": expire}] if expire else [],
    }
    config = make_resource(
        "aws_s3_bucket_lifecycle_configuration",
        {"rule": [rule]},
        address="aws_s3_bucket_lifecycle_configuration.checkpoints",
        references={"bucket": (f"{BUCKET}.id", BUCKET)},
    )
    return [bucket, config]


STORED = usage({BUCKET: {"storage_gb": Decimal(9000)}})


def test_aws_well_tiered_bucket_passes(catalog: Catalog) -> None:
    assert (
        run_rule(RULE, s3([(30, "STANDARD_IA"), (60, "GLACIER")], 180), catalog, usage=STORED) == []
    )


def test_aws_bucket_without_lifecycle_fails_with_its_cost(catalog: Catalog) -> None:
    [finding] = run_rule(RULE, s3([], None)[:1], catalog, usage=STORED)
    # 9,000 GB x 0.023 STANDARD
    assert finding.monthly_cost == Decimal("207.000")
    assert finding.message == (
        "no lifecycle rules: every object stays in STANDARD and is never deleted ($207.00/month)"
    )


def test_aws_rules_must_tier_and_expire_in_time(catalog: Catalog) -> None:
    found = run_rule(RULE, s3([(90, "GLACIER")], 365), catalog, usage=STORED)
    assert {f.message for f in found} == {
        "no lifecycle rule moves objects to a colder class within 30 days ($75.45/month)",
        "no lifecycle rule deletes objects within 180 days ($75.45/month)",
    }
    # the bucket as priced: 9,000 GB x (90/365 x 0.023 STANDARD + 275/365 x 0.0036 GLACIER)
    expected = Decimal(9000) * (
        Decimal(90) / 365 * Decimal("0.023") + Decimal(275) / 365 * Decimal("0.0036")
    )
    assert all(abs(f.monthly_cost - expected) < Decimal("0.0001") for f in found)
    # an expiry within the tiering window counts as tiering (logs deleted after 14 days)
    assert run_rule(RULE, s3([], 14), catalog, usage=STORED) == []


def test_other_bucket_names_need_no_lifecycle(catalog: Catalog) -> None:
    site = make_resource("aws_s3_bucket", {"bucket": "static-site"}, address="aws_s3_bucket.site")
    assert run_rule(RULE, [site], catalog) == []
    found = run_rule(RULE, [site], catalog, options={"buckets": ["static-*"]})
    assert [f.resource for f in found] == ["aws_s3_bucket.site"]
    # globs match whole names, case-insensitively; an empty list requires no bucket to tier
    assert run_rule(RULE, [site], catalog, options={"buckets": ["static"]}) == []
    assert len(run_rule(RULE, [site], catalog, options={"buckets": ["STATIC-SITE"]})) == 1
    assert run_rule(RULE, s3([], None)[:1], catalog, usage=STORED, options={"buckets": []}) == []


def test_aws_seed_example_is_rejected_and_pays_early_deletion(catalog: Catalog) -> None:
    findings = run_rule(RULE, s3([(7, "STANDARD_IA"), (30, "GLACIER")], 90), catalog, usage=STORED)
    messages = {f.message: f.monthly_cost for f in findings}
    assert messages == {
        "S3 rejects lifecycle rule 'ckpt': transition to STANDARD_IA at day 7, 7 days after "
        "entering STANDARD (minimum 30)": None,
        # 9,000 GB x 7/90 x 0.0125
        "lifecycle rule 'ckpt' pays early deletion: objects are moved on after 23 days in "
        "STANDARD_IA, which bills at least 30 days: $8.75/month wasted on 9000 GB": Decimal(9000)
        * 7
        / 90
        * Decimal("0.0125"),
        # 9,000 GB x 30/90 x 0.0036
        "lifecycle rule 'ckpt' pays early deletion: objects are deleted after 60 days in "
        "GLACIER, which bills at least 90 days: $10.80/month wasted on 9000 GB": Decimal(9000)
        * 30
        / 90
        * Decimal("0.0036"),
    }


def test_aws_deep_archive_and_glacier_ir_minimums(catalog: Catalog) -> None:
    [deep] = run_rule(RULE, s3([(30, "DEEP_ARCHIVE")], 120), catalog, usage=STORED)
    # 90 days in a 180-day class: 9,000 x 90/120 x 0.00099
    assert deep.monthly_cost == Decimal(9000) * 90 / 120 * Decimal("0.00099")
    [ir] = run_rule(RULE, s3([(30, "GLACIER_IR")], 100), catalog, usage=STORED)
    assert "70 days in GLACIER_IR, which bills at least 90 days" in ir.message


def test_aws_upward_transition_and_early_expiry_are_rejected(catalog: Catalog) -> None:
    found = run_rule(RULE, s3([(30, "GLACIER"), (120, "STANDARD_IA")], 120), catalog, usage=STORED)
    messages = {f.message for f in found if f.message.startswith("S3 rejects")}
    assert messages == {
        "S3 rejects lifecycle rule 'ckpt': transition from GLACIER up to STANDARD_IA at day 120",
        "S3 rejects lifecycle rule 'ckpt': expiration at day 120 is not after its last "
        "transition (day 120)",
    }


def test_aws_early_deletion_without_usage_says_what_is_missing(catalog: Catalog) -> None:
    [finding] = run_rule(RULE, s3([(30, "GLACIER")], 60), catalog)
    assert finding.monthly_cost is None
    assert finding.message.endswith(
        "cost not priced: set storage_gb for aws_s3_bucket.checkpoints in the usage file"
    )


def test_aws_prefix_volumes_go_to_their_rule(catalog: Catalog) -> None:
    split = usage(
        {
            BUCKET: {
                "prefixes": {
                    "checkpoints/": {"storage_gb": Decimal(3000)},
                    "models/": {"storage_gb": Decimal(500)},
                }
            }
        }
    )
    [finding] = run_rule(
        RULE, s3([(30, "GLACIER")], 60, prefix="checkpoints/"), catalog, usage=split
    )
    # only the 3,000 GB under checkpoints/: 3,000 x 60/60 x 0.0036
    assert finding.monthly_cost == Decimal(3000) * 60 / 60 * Decimal("0.0036")


def test_aws_tagged_rule_pays_early_deletion_on_its_usage_share(catalog: Catalog) -> None:
    bucket, config = s3([(30, "GLACIER")], 60)
    rules = [{**config.attributes["rule"][0], "filter": [{"tag": [{"key": "k", "value": "v"}]}]}]
    tagged = make_resource(
        config.type, {"rule": rules}, address=config.address, references=config.references
    )
    shared = usage(
        {BUCKET: {"storage_gb": Decimal(9000), "lifecycle_rule_share": {"ckpt": Decimal("0.4")}}}
    )
    findings = run_rule(RULE, [bucket, tagged], catalog, usage=shared)
    [early] = [f for f in findings if "early deletion" in f.message]
    # 40 % of 9,000 GB = 3,600 GB; 30 days in GLACIER, billed 90: 60/60 x 0.0036
    assert early.monthly_cost == Decimal(3600) * 60 / 60 * Decimal("0.0036")


def gcs(rules: list[dict[str, Any]]) -> Resource:
    return make_resource(
        "google_storage_bucket",
        {"name": "ml-checkpoints", "storage_class": "STANDARD", "lifecycle_rule": rules},
        region="us-central1",
        address="google_storage_bucket.ckpt",
    )


def rule(action: str, age: int, storage_class: str | None = None) -> dict[str, Any]:
    return {
        "action": [{"type": action, "storage_class": storage_class}],
        "condition": [{"age": age}],
    }


def test_google_tiered_bucket_passes(catalog: Catalog) -> None:
    # GCS counts minimum durations from creation: COLDLINE at 30, deleted at 120 >= 90
    good = gcs([rule("SetStorageClass", 30, "COLDLINE"), rule("Delete", 120)])
    assert run_rule(RULE, [good], catalog) == []


def test_google_bucket_fails_without_lifecycle_and_on_early_deletion(catalog: Catalog) -> None:
    [none] = run_rule(RULE, [gcs([])], catalog)
    assert none.message.startswith("no lifecycle rules")
    early = gcs([rule("SetStorageClass", 30, "ARCHIVE"), rule("Delete", 180)])
    stored = usage({"google_storage_bucket.ckpt": {"storage_gb": Decimal(1000)}})
    [finding] = run_rule(RULE, [early], catalog, usage=stored)
    assert finding.message == (
        "lifecycle rule 'lifecycle_rule[*]' pays early deletion: objects are deleted at 180 days"
        " old in ARCHIVE, which bills at least 365 days from creation: $1.23/month wasted on "
        "1000 GB"
    )
    # 1,000 GB x 185/180 x 0.0012 ARCHIVE (us-central1)
    assert finding.monthly_cost == Decimal(1000) * 185 / 180 * Decimal("0.0012")


def test_azure_policy_passes_and_fails(catalog: Catalog) -> None:
    account = make_resource(
        "azurerm_storage_account",
        {"name": "mlartifacts", "access_tier": "Hot"},
        address="azurerm_storage_account.ml",
        region="eastus",
    )

    def policy(cool: int, archive: int, delete: int) -> Resource:
        base = {
            "tier_to_cool_after_days_since_modification_greater_than": cool,
            "tier_to_archive_after_days_since_modification_greater_than": archive,
            "delete_after_days_since_modification_greater_than": delete,
        }
        return make_resource(
            "azurerm_storage_management_policy",
            {
                "rule": [
                    {
                        "name": "artifacts",
                        "enabled": True,
                        "filters": [{"prefix_match": ["artifacts/"], "blob_types": ["blockBlob"]}],
                        "actions": [{"base_blob": [base]}],
                    }
                ]
            },
            references={
                "storage_account_id": (
                    "azurerm_storage_account.ml.id",
                    "azurerm_storage_account.ml",
                )
            },
        )

    long = {"expire_within_days": 365}
    assert run_rule(RULE, [account, policy(30, 60, 240)], catalog, options=long) == []
    found = run_rule(RULE, [account, policy(10, 30, 90)], catalog)
    assert [f.message.split(":")[0] for f in found] == [
        "lifecycle rule 'artifacts' pays early deletion",
        "lifecycle rule 'artifacts' pays early deletion",
    ]
    assert all(f.monthly_cost is None for f in found)  # no storage_gb in the usage file
    messages = " | ".join(f.message for f in found)
    assert "moved on after 20 days in Cool, which bills at least 30 days" in messages
    assert "deleted after 60 days in Archive, which bills at least 180 days" in messages
    # -1 is the provider's "not set": a rule of -1s neither tiers nor deletes
    assert {f.message for f in run_rule(RULE, [account, policy(-1, -1, -1)], catalog)} == {
        "no lifecycle rule moves objects to a colder class within 30 days",
        "no lifecycle rule deletes objects within 180 days",
    }
    [none] = run_rule(RULE, [account], catalog)
    assert none.message == "no lifecycle rules: every object stays in Hot and is never deleted"


def test_azure_early_deletion_is_priced_from_the_catalog(catalog: Catalog) -> None:
    account = make_resource(
        "azurerm_storage_account",
        {"name": "mlartifacts", "account_replication_type": "LRS"},
        address="azurerm_storage_account.ml",
        region="westus",
    )
    policy = make_resource(
        "azurerm_storage_management_policy",
        {
            "rule": [
                {
                    "name": "artifacts",
                    "enabled": True,
                    "filters": [{"prefix_match": []}],
                    "actions": [
                        {
                            "base_blob": [
                                {
                                    "tier_to_cool_after_days_since_modification_greater_than": 10,
                                    "delete_after_days_since_modification_greater_than": 20,
                                }
                            ]
                        }
                    ],
                }
            ]
        },
        references={"storage_account_id": ("azurerm_storage_account.ml",)},
    )
    stored = usage({"azurerm_storage_account.ml": {"storage_gb": Decimal(1000)}})
    [finding] = run_rule(RULE, [account, policy], catalog, usage=stored)
    # 10 days in Cool (30-day minimum): 1,000 GB x 20/20 x 0.0115 Cool_LRS (westus)
    assert finding.monthly_cost == Decimal(1000) * 20 / 20 * Decimal("0.0115")
    assert finding.message.endswith(
        "deleted after 10 days in Cool, which bills at least 30 "
        "days: $11.50/month wasted on 1000 GB"
    )


CASES = {
    "aws": Case(s3([(30, "STANDARD_IA"), (60, "GLACIER")], 180), s3([(7, "STANDARD_IA")], 90)),
    "google": Case(
        [gcs([rule("SetStorageClass", 30, "NEARLINE"), rule("Delete", 90)])],
        [gcs([rule("SetStorageClass", 30, "NEARLINE")])],
    ),
    "azurerm": Case([], [make_resource("azurerm_storage_account", {"name": "mlartifacts"})]),
}
