"""Storage accounts: capacity from the usage file (split by a management policy), then the
operations, retrieval, index tags and early deletion the usage file counts.

Azure charges early deletion from the time a blob enters a tier (Cool 30, Cold 90,
Archive 180 days), so a tier change before the minimum is billed for the remainder, the
same steady-state model the S3 pricer uses. Each account kind is billed on its own Retail
API product (general-purpose v2, legacy Blob Storage, general-purpose v1, premium block
blob, Data Lake hierarchical namespace, premium Files), a catalog product prefix.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from costgate.facts.azure_zones import not_offered_reason
from costgate.facts.azurerm import AccountSku, account_sku
from costgate.facts.specs import ObjectStorage
from costgate.facts.storage import object_storage
from costgate.model import ZERO
from costgate.pricing.lifecycle import minimum_days, volume_groups
from costgate.pricing.quote import Quote, Unpriceable

COOL_TIERS = ("Cool", "Cold", "Archive")
GEO_LINE = "Geo-replication data transfer"
FILE_SHARE_KEYS = ("data_at_rest_storage_gb", "metadata_at_rest_storage_gb")
"""Infracost's Files keys that price nothing outside a premium FileStorage account: said
in a note, never dropped silently."""


@dataclass(frozen=True, slots=True)
class Meter:
    """One usage-counted charge: the usage key, the catalog kind, units per priced unit
    and the account SKUs Azure bills it for (others: no charge, said in a note)."""

    name: str
    key: str
    kind: str
    per: Decimal
    applies: str
    """Which accounts Azure bills it for: a key of `WHERE`, decided by `applies`."""


TEN_K = Decimal(10000)
ACCOUNT_LEVEL = ("list_ops", "other_ops")
"""Meters the Retail API lists only under the Hot SKU of each redundancy, with no access tier
in their names (`All Other Operations`, `GRS List and Create Container Operations`: one meter
id across the Hot SKUs of general-purpose v2 and Blob Storage; Cool, Cold and Archive SKUs have
none): an account in another tier is billed on the same meter."""
TIERLESS_PREFIXES = ("", "BlobStorage_")
"""The flat-namespace products whose `ACCOUNT_LEVEL` meters name no tier. The hierarchical
namespace's other-operations meter names its tier (`Hot LRS Other Operations`), so a Cool
or Cold HNS account has no meter of its own and stays missing."""
METERS = (
    Meter("Write operations", "monthly_write_operations", "write_ops", TEN_K, "blob"),
    Meter(
        "List and create container operations",
        "monthly_list_and_create_container_operations",
        "list_ops",
        TEN_K,
        "blob",
    ),
    Meter("Read operations", "monthly_read_operations", "read_ops", TEN_K, "blob"),
    Meter("All other operations", "monthly_other_operations", "other_ops", TEN_K, "blob"),
    Meter(
        "Iterative read operations",
        "monthly_iterative_read_operations",
        "iterative_read_ops",
        TEN_K,
        "hns",
    ),
    Meter(
        "Iterative write operations",
        "monthly_iterative_write_operations",
        "iterative_write_ops",
        Decimal(100),
        "hns",
    ),
    Meter("Data retrieval", "monthly_data_retrieval_gb", "data_retrieval", Decimal(1), "cool"),
    Meter("Data write", "monthly_data_write_gb", "data_write", Decimal(1), "blobstorage-cool"),
    Meter("Blob index tags", "blob_index_tags", "index_tags", TEN_K, "indexed"),
    Meter("Early deletion", "early_deletion_gb", "early_delete", Decimal(1), "cool-v2"),
    Meter("Snapshots", "snapshots_storage_gb", "snapshots", Decimal(1), "files"),
)
"""Infracost's usage keys for `azurerm_storage_account`, read as they are."""

WHERE = {
    "blob": "blob accounts",
    "hns": "standard accounts with a hierarchical namespace (NFSv3 / Data Lake)",
    "cool": "the Cool, Cold and Archive tiers",
    "blobstorage-cool": "legacy Blob Storage accounts in the Cool tier",
    "indexed": "standard general-purpose v2 and Blob Storage accounts",
    "cool-v2": "general-purpose v2 accounts in the Cool, Cold and Archive tiers",
    "files": "premium file shares",
}


def applies(meter: Meter, sku: AccountSku) -> bool:
    """Whether Azure bills *meter* on an account of *sku* (Azure blob and Files pricing
    pages: retrieval and early deletion only off Hot, iterative operations only with a
    hierarchical namespace, index tags only on standard flat-namespace blob accounts,
    data write only on legacy Blob Storage Cool; premium Files bills provisioned GB and
    snapshots, transactions included)."""
    cool = sku.tier in COOL_TIERS
    return {
        "blob": not sku.files,
        "hns": sku.hns and not sku.premium,
        "cool": cool and not sku.files,
        "blobstorage-cool": cool and sku.prefix == "BlobStorage_",
        "indexed": not (sku.premium or sku.hns or sku.files or sku.prefix == "V1_"),
        "cool-v2": cool and sku.prefix in ("", "HNS_"),
        "files": sku.files,
    }[meter.applies]


def price_storage_account(q: Quote) -> None:
    """`azurerm_storage_account`: capacity per access tier (steady state under a management
    policy), then each usage-counted charge; a charge the catalog lacks is listed as
    missing while the rest is priced."""
    r = q.resource
    sku = account_sku(r)
    if sku.invalid:
        raise Unpriceable(sku.invalid)
    if r.region and (offered := not_offered_reason(_zone_kind(sku), sku.replication, r.region)):
        raise Unpriceable(offered)
    spec = object_storage(r, q.ctx.index)
    assert spec is not None
    if spec.initial_class_assumed:
        q.note("access_tier not set: priced as Hot, the default")
    if sku.files:
        _files_capacity(q, sku)
    else:
        _blob_capacity(q, spec, sku)
    for meter in METERS:
        value = q.usage.get(meter.key)
        if value is None:
            continue
        if not applies(meter, sku):
            q.note(
                f"{meter.key}: no charge for this account (billed only for {WHERE[meter.applies]})"
            )
            continue
        name, product = meter.name, sku.product
        if (
            meter.kind in ACCOUNT_LEVEL
            and sku.tier in COOL_TIERS
            and sku.prefix in TIERLESS_PREFIXES
        ):
            name = f"{meter.name} (no access tier: the meter Azure lists under Hot)"
            product = f"{sku.prefix}Hot_{sku.replication}"
        with q.component(meter.name):
            q.add(name, Decimal(value) / meter.per, sku.service, product, meter.kind)
    for key in FILE_SHARE_KEYS:
        if key in q.usage and not (sku.files and key == "data_at_rest_storage_gb"):
            q.note(
                f"{key}: not priced on this account (standard file shares are billed per "
                "share and its tier; premium shares by provisioned GB)"
            )
    written = q.usage.get("monthly_data_write_gb")
    if written is not None and sku.geo_replicated:
        q.note(
            f"geo-replication: the {written} GB written a month (monthly_data_write_gb) are "
            f"copied to the secondary region ({sku.replication})"
        )
        # the refresh module names the product; imported here, not at the top, so a run
        # does not load the Retail API client (urllib, ssl) for one string
        from costgate.pricing.refresh.azure import GEO_REPLICATION

        with q.component(GEO_LINE):
            q.add(GEO_LINE, Decimal(written), "blob", GEO_REPLICATION, "transfer")


def _zone_kind(sku: AccountSku) -> str:
    """Which of Microsoft's ZRS region lists covers the account: premium file shares,
    premium block blobs, or standard accounts."""
    if sku.files:
        return "premium-files"
    return "premium-block-blob" if sku.premium else "standard"


def _files_capacity(q: Quote, sku: AccountSku) -> None:
    """Premium file shares bill the provisioned size (`data_at_rest_storage_gb`)."""
    provisioned = q.usage.get("data_at_rest_storage_gb")
    if provisioned is None:
        raise Unpriceable(
            f"usage unknown: set data_at_rest_storage_gb (provisioned GB) for "
            f"{q.resource.base_address} in a usage file (--usage)"
        )
    with q.component("Provisioned storage"):
        q.add(
            "Provisioned storage",
            Decimal(provisioned),
            "files",
            sku.product,
            "storage",
        )


def _blob_capacity(q: Quote, spec: ObjectStorage, sku: AccountSku) -> None:
    """Stored GB-months per tier the objects pass through, early deletion on tier change."""
    for group in volume_groups(q, spec, lambda tier: minimum_days(q.ctx.catalog, spec, tier)):
        where = f", {group.where()}" if group.where() else ""
        path, volume = group.path, group.volume
        life = path.lifetime_days
        for stage in path.stages:
            product = spec.products(stage.storage_class)[0]
            label = f"Storage ({product}{where}, {stage.days}/{life} d)"
            with q.component(label):
                q.add(label, volume * stage.days / life, sku.service, product, "storage")
            if stage.early_deletion_days > ZERO and "early_deletion_gb" not in q.usage:
                early = (
                    f"Early deletion ({product}{where}, {stage.early_deletion_days} d short of "
                    f"{stage.billed_days}-day minimum)"
                )
                with q.component(early):
                    q.add(
                        early,
                        volume * stage.early_deletion_days / life,
                        sku.service,
                        product,
                        "storage",
                    )
        if sku.tiered and not path.expires:
            q.note(
                f"no delete action{where}; blobs assumed to live {life} days "
                "(set object_lifetime_days in the usage file)"
            )
