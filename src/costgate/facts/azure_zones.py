"""Where Azure offers zone-redundant storage: Microsoft's region lists, one place.

ZRS, GZRS and RA-GZRS copy data across availability zones, so Azure creates them only in
regions with zones, and Microsoft publishes which regions support each (storage accounts
by kind; ZRS managed disks in every region with availability zones). A region outside a
list is reported "not offered" only when Microsoft's regions list also shows it without
availability zones: then the answer cannot be a list that lags behind a new zonal region.
Any other region the lists do not know (a new one, a sovereign cloud) is None, and the
pricers keep looking for prices as before.
"""

from __future__ import annotations

from dataclasses import dataclass

ZONE_REDUNDANT = frozenset({"ZRS", "GZRS", "RA-GZRS"})
"""Replication types that need availability zones (storage accounts; a disk's `_ZRS`)."""


@dataclass(frozen=True, slots=True)
class RegionList:
    """One of Microsoft's published region lists: what it lists, where, and its date."""

    subject: str
    """What the list is of, as the message names it."""
    url: str
    as_of: str
    """The list's own date (ms.date of the page or of the include that holds the list)."""
    names: tuple[str, ...]
    """Display names as Microsoft prints them ("West US 2")."""

    @property
    def regions(self) -> frozenset[str]:
        """ARM region names ("westus2"), as `location` is written in Terraform."""
        return frozenset(arm_name(name) for name in self.names)


def arm_name(display: str) -> str:
    """A region's ARM (programmatic) name from its display name: lower case, no spaces
    ("West US 2" -> "westus2", "US Gov Virginia" -> "usgovvirginia"), the form Microsoft's
    regions list gives in its Programmatic name column."""
    return display.lower().replace(" ", "")


def normalise(region: str) -> str:
    """A Terraform `location` as an ARM name: "West US" and "westus" are the same region."""
    return arm_name(region.strip())


STANDARD_ZRS = RegionList(
    "regions that support zone-redundant storage (ZRS) for standard accounts",
    "https://learn.microsoft.com/azure/storage/common/redundancy-regions-zrs "
    "(include storage-redundancy-standard-zrs.md)",
    "2024-03-07",
    (
        "South Africa North",
        "Australia East",
        "Central India",
        "China North 3",
        "East Asia",
        "Japan East",
        "Korea Central",
        "Southeast Asia",
        "France Central",
        "Germany West Central",
        "Italy North",
        "North Europe",
        "Norway East",
        "Poland Central",
        "Sweden Central",
        "Switzerland North",
        "UK South",
        "West Europe",
        "Israel Central",
        "Qatar Central",
        "UAE North",
        "Canada Central",
        "Central US",
        "East US",
        "East US 2",
        "South Central US",
        "US Gov Virginia",
        "West US 2",
        "West US 3",
        "Brazil South",
    ),
)
"""ZRS for standard general-purpose v2 accounts (the page's "Standard storage accounts"
section). The published page read in December 2026 also lists Spain Central and Mexico
Central; both have availability zones, so either reading gives the same answer here."""

PREMIUM_BLOCK_BLOB_ZRS = RegionList(
    "regions that support zone-redundant storage (ZRS) for premium block blob accounts",
    "https://learn.microsoft.com/azure/storage/common/redundancy-regions-zrs "
    "(include storage-redundancy-premium-block-blob-zrs.md)",
    "2023-03-24",
    (
        "Australia East",
        "East Asia",
        "Japan East",
        "Southeast Asia",
        "France Central",
        "North Europe",
        "West Europe",
        "UK South",
        "East US",
        "East US 2",
        "West US 2",
        "South Central US",
        "Brazil South",
    ),
)
"""ZRS for `BlockBlobStorage` accounts (the page's "Premium block blob accounts"
section). The published page lists more zonal regions since; none without zones."""

PREMIUM_FILES_ZRS = RegionList(
    "regions that support zone-redundant storage (ZRS) for premium file shares",
    "https://learn.microsoft.com/azure/storage/files/redundancy-premium-file-shares",
    "2025-01-07",
    (
        "South Africa North",
        "Australia East",
        "China North 3",
        "Southeast Asia",
        "Korea Central",
        "East Asia",
        "Japan East",
        "Central India",
        "Canada Central",
        "France Central",
        "Germany West Central",
        "North Europe",
        "West Europe",
        "UK South",
        "Poland Central",
        "Norway East",
        "Spain Central",
        "Sweden Central",
        "Switzerland North",
        "Italy North",
        "Qatar Central",
        "Israel Central",
        "UAE North",
        "East US",
        "East US 2",
        "West US 2",
        "West US 3",
        "Central US",
        "South Central US",
        "Mexico Central",
        "Brazil South",
        "US Gov Virginia",
    ),
)
"""ZRS for `FileStorage` accounts (premium file shares)."""

GZRS = RegionList(
    "regions that support geo-zone-redundant storage (GZRS)",
    "https://learn.microsoft.com/azure/storage/common/redundancy-regions-gzrs "
    "(include storage-redundancy-standard-gzrs.md)",
    "2024-02-12",
    (
        "South Africa North",
        "Australia East",
        "East Asia",
        "Japan East",
        "Korea Central",
        "Southeast Asia",
        "Central India",
        "France Central",
        "Germany West Central",
        "North Europe",
        "Norway East",
        "Sweden Central",
        "Switzerland North",
        "UK South",
        "West Europe",
        "UAE North",
        "Canada Central",
        "Central US",
        "East US",
        "East US 2",
        "South Central US",
        "West US 2",
        "West US 3",
        "US Gov Virginia",
        "Brazil South",
    ),
)
"""GZRS and RA-GZRS (standard general-purpose v2 accounts only)."""

ZONAL_REGIONS = RegionList(
    "regions with availability zones, where ZRS managed disks are available",
    "https://learn.microsoft.com/azure/reliability/regions-list (ZRS disks: "
    "https://learn.microsoft.com/azure/virtual-machines/disks-redundancy)",
    "2025-09-23",
    (
        "Australia East",
        "Austria East",
        "Belgium Central",
        "Brazil South",
        "Canada Central",
        "Central India",
        "Central US",
        "Chile Central",
        "Denmark East",
        "East Asia",
        "East US",
        "East US 2",
        "France Central",
        "Germany West Central",
        "Indonesia Central",
        "Israel Central",
        "Italy North",
        "Japan East",
        "Japan West",
        "Korea Central",
        "Malaysia West",
        "Mexico Central",
        "New Zealand North",
        "North Europe",
        "Norway East",
        "Poland Central",
        "Qatar Central",
        "South Africa North",
        "South Central US",
        "Southeast Asia",
        "Spain Central",
        "Sweden Central",
        "Switzerland North",
        "UAE North",
        "UK South",
        "West Europe",
        "West US 2",
        "West US 3",
    ),
)
"""Public-cloud regions with a tick in the regions list's "Availability zone support"
column. "ZRS disks are available in all regions that have availability zone support"
(managed disks redundancy page, include disk-storage-zrs-regions.md)."""

NO_ZONES = RegionList(
    "public-cloud regions without availability zones",
    "https://learn.microsoft.com/azure/reliability/regions-list",
    "2025-09-23",
    (
        "Australia Central",
        "Australia Central 2",
        "Australia Southeast",
        "Brazil Southeast",
        "Canada East",
        "France South",
        "Germany North",
        "Korea South",
        "North Central US",
        "Norway West",
        "South Africa West",
        "South India",
        "Switzerland West",
        "UAE Central",
        "UK West",
        "West Central US",
        "West India",
        "West US",
    ),
)
"""The rows of the regions list with no availability zone support: no zone-redundant
storage of any kind can be created there."""

STORAGE_LISTS = {
    "standard": STANDARD_ZRS,
    "premium-block-blob": PREMIUM_BLOCK_BLOB_ZRS,
    "premium-files": PREMIUM_FILES_ZRS,
    "disk": ZONAL_REGIONS,
}
"""Microsoft's ZRS list for each kind of storage (GZRS has one list, standard only)."""


def region_list(kind: str, replication: str) -> RegionList:
    """The list that decides *replication* for storage of *kind* (a key of STORAGE_LISTS)."""
    if replication in ("GZRS", "RA-GZRS"):
        return GZRS
    return STORAGE_LISTS[kind]


def zone_redundancy_offered(kind: str, replication: str, region: str) -> bool | None:
    """Whether Azure offers *replication* for *kind* in *region*: True when it is not zone
    redundant or the region is listed, False when the region is not listed and has no
    availability zones, None when the lists do not know the region."""
    if replication not in ZONE_REDUNDANT:
        return True
    name = normalise(region)
    if name in region_list(kind, replication).regions:
        return True
    if name in NO_ZONES.regions:
        return False
    return None


def not_offered_reason(kind: str, replication: str, region: str) -> str | None:
    """Why Azure would reject *replication* for *kind* in *region*, citing the list and its
    date; None when it is offered or the lists do not know the region."""
    if zone_redundancy_offered(kind, replication, region) is not False:
        return None
    listed = region_list(kind, replication)
    what = "ZRS disks are" if kind == "disk" else f"{replication} is"
    return (
        f"{what} not offered in {normalise(region)}: Microsoft's list of {listed.subject} "
        f"(as of {listed.as_of}) does not include it"
    )
