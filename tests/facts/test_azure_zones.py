"""Microsoft's zone-redundant storage region lists: a region is "not offered" only when the
list leaves it out and it has no availability zones; a region the lists do not know is
None, so pricing goes on as before."""

from __future__ import annotations

import pytest

from costgate.facts.azure_zones import (
    GZRS,
    NO_ZONES,
    STANDARD_ZRS,
    STORAGE_LISTS,
    ZONAL_REGIONS,
    not_offered_reason,
    zone_redundancy_offered,
)


@pytest.mark.parametrize("replication", ["ZRS", "GZRS", "RA-GZRS"])
def test_west_us_has_no_zone_redundant_storage(replication: str) -> None:
    assert zone_redundancy_offered("standard", replication, "westus") is False
    # the Terraform location may be the display name
    assert zone_redundancy_offered("standard", replication, "West US") is False


@pytest.mark.parametrize("region", ["eastus2", "westeurope", "westus2", "West US 2"])
def test_listed_regions_offer_zrs_and_gzrs(region: str) -> None:
    assert zone_redundancy_offered("standard", "ZRS", region) is True
    assert zone_redundancy_offered("standard", "GZRS", region) is True
    assert zone_redundancy_offered("disk", "ZRS", region) is True


@pytest.mark.parametrize("replication", ["LRS", "GRS", "RA-GRS"])
def test_redundancy_without_zones_is_offered_everywhere(replication: str) -> None:
    assert zone_redundancy_offered("standard", replication, "westus") is True


def test_regions_the_lists_do_not_know_are_none() -> None:
    # a new region, a sovereign cloud region
    assert zone_redundancy_offered("standard", "ZRS", "marsnorth") is None
    assert zone_redundancy_offered("standard", "ZRS", "usgovarizona") is None
    # zonal regions the dated storage list leaves out: the list may lag behind the region
    assert zone_redundancy_offered("standard", "ZRS", "austriaeast") is None
    assert zone_redundancy_offered("standard", "GZRS", "italynorth") is None
    assert zone_redundancy_offered("standard", "ZRS", "italynorth") is True


def test_each_kind_reads_its_own_list() -> None:
    # Central US is in the standard list, not in the 2023 premium block blob list; it has
    # zones, so the premium answer is unknown rather than "not offered"
    assert zone_redundancy_offered("standard", "ZRS", "centralus") is True
    assert zone_redundancy_offered("premium-block-blob", "ZRS", "centralus") is None
    assert zone_redundancy_offered("premium-files", "ZRS", "mexicocentral") is True
    for kind in STORAGE_LISTS:
        assert zone_redundancy_offered(kind, "ZRS", "northcentralus") is False


def test_no_listed_region_is_a_region_without_zones() -> None:
    """The lists agree with the regions list: nothing they offer ZRS in lacks zones."""
    for listed in (*STORAGE_LISTS.values(), GZRS):
        assert not listed.regions & NO_ZONES.regions, listed.subject
    assert len(STANDARD_ZRS.regions) == 30 and len(GZRS.regions) == 25
    assert len(ZONAL_REGIONS.regions) == 38 and len(NO_ZONES.regions) == 18


def test_reason_names_the_list_and_its_date() -> None:
    assert not_offered_reason("standard", "ZRS", "westus") == (
        "ZRS is not offered in westus: Microsoft's list of regions that support "
        "zone-redundant storage (ZRS) for standard accounts (as of 2024-03-07) does not "
        "include it"
    )
    assert not_offered_reason("standard", "RA-GZRS", "West US") == (
        "RA-GZRS is not offered in westus: Microsoft's list of regions that support "
        "geo-zone-redundant storage (GZRS) (as of 2024-02-12) does not include it"
    )
    assert "ZRS disks are not offered in ukwest" in str(not_offered_reason("disk", "ZRS", "ukwest"))
    assert not_offered_reason("standard", "ZRS", "eastus2") is None
    assert not_offered_reason("standard", "ZRS", "marsnorth") is None
