"""EBS snapshots and snapshot copies: stored GB (usage `storage_gb`, else the source
volume's size as a stated upper bound, else "usage unknown"), the archive tier, fast
snapshot restore and the EBS direct APIs. Rates from the AWS pricing-page EBS map of
2024-07-18 in us-east-1: standard $0.05 and archive $0.0125 per GB-month, archive restore
$0.03 per GB, fast snapshot restore $0.75 per DSU-hour, direct API List $0.0006, Get $0.003
and Put $0.006 per 1,000 (per request or 512 KiB block)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from costgate.model import UNKNOWN, PricedResource, Resource
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from costgate.usage import Usage, load_usage
from tests.conftest import make_resource, usage

D = Decimal


def _volume(size: Any = 10, region: str = "us-east-1") -> Resource:
    return make_resource(
        "aws_ebs_volume",
        {"availability_zone": f"{region}a", "size": size},
        address="aws_ebs_volume.data",
        region=region,
    )


def _snapshot(attributes: dict[str, Any] | None = None, *, linked: bool = True) -> Resource:
    return make_resource(
        "aws_ebs_snapshot",
        {"volume_id": "vol-0123" if not linked else UNKNOWN, **(attributes or {})},
        address="aws_ebs_snapshot.ckpt",
        references={"volume_id": ("aws_ebs_volume.data.id",)} if linked else None,
    )


def _price(
    catalog: Catalog, *resources: Resource, use: Usage | None = None
) -> dict[str, PricedResource]:
    priced = price_resources(resources, catalog, use or usage())
    return {p.resource.address: p for p in priced}


@pytest.mark.parametrize(
    ("kind", "unit", "price"),
    [
        ("storage", "GB-month", "0.05"),
        ("archive_storage", "GB-month", "0.0125"),
        ("archive_retrieval", "GB", "0.03"),
        ("fast_snapshot_restore", "hour", "0.75"),
        ("list_requests", "1k requests", "0.0006"),
        ("get_block_requests", "1k requests", "0.003"),
        ("put_block_requests", "1k requests", "0.006"),
    ],
)
def test_snapshot_rates_are_built_from_the_ebs_map(
    catalog: Catalog, kind: str, unit: str, price: str
) -> None:
    entry = catalog.price("aws", "ebs", "snapshot", "us-east-1", kind)
    assert entry is not None
    assert (entry.unit, entry.price, entry.source) == (
        unit,
        D(price),
        "aws-pricing-page-ebs-2024-07-18",
    )


def test_the_referenced_volume_size_is_the_stated_upper_bound(catalog: Catalog) -> None:
    priced = _price(catalog, _volume(10), _snapshot())["aws_ebs_snapshot.ckpt"]
    (line,) = priced.cost_lines
    # 10 GB x $0.05 = $0.50
    assert (line.name, line.quantity, line.unit_price) == (
        "Snapshot storage (10 GB)",
        10,
        D("0.05"),
    )
    assert priced.monthly_cost == D("0.50")
    (note,) = [n for n in priced.notes if n.startswith("stored size")]
    assert "10 GB, the size of its volume aws_ebs_volume.data (10 GB): an upper bound" in note
    # the usage-driven extras are listed as missing, never $0
    assert len(priced.missing) == 4
    assert all("usage unknown" in m for m in priced.missing)


def test_the_usage_file_size_wins_over_the_volume(catalog: Catalog) -> None:
    use = usage({"aws_ebs_snapshot.ckpt": {"storage_gb": 37}})
    priced = _price(catalog, _volume(500), _snapshot(), use=use)["aws_ebs_snapshot.ckpt"]
    # 37 GB x $0.05 = $1.85
    assert priced.monthly_cost == D("1.85")
    assert "stored size from the usage file: 37 GB" in priced.notes


def test_a_state_volume_size_is_used_without_the_volume(catalog: Catalog) -> None:
    priced = _price(catalog, _snapshot({"volume_size": 40}, linked=False))["aws_ebs_snapshot.ckpt"]
    assert priced.monthly_cost == D("2.00")  # 40 GB x $0.05


def test_without_a_volume_in_the_stack_the_size_is_usage_unknown(catalog: Catalog) -> None:
    priced = _price(catalog, _snapshot(linked=False))["aws_ebs_snapshot.ckpt"]
    assert priced.monthly_cost == D(0)
    assert not priced.cost_lines
    assert priced.unpriced_reason is not None
    assert priced.unpriced_reason.startswith("usage unknown: set `storage_gb`")
    assert "volume_id does not refer to an aws_ebs_volume" in priced.unpriced_reason


def test_a_volume_size_unknown_until_apply_is_not_guessed(catalog: Catalog) -> None:
    priced = _price(catalog, _volume(UNKNOWN), _snapshot())["aws_ebs_snapshot.ckpt"]
    assert priced.unpriced_reason is not None
    assert "size of its volume aws_ebs_volume.data is unknown until apply" in (
        priced.unpriced_reason
    )


def test_usage_prices_fast_snapshot_restore_and_direct_api_requests(catalog: Catalog) -> None:
    use = usage(
        {
            "aws_ebs_snapshot.ckpt": {
                "storage_gb": 8,
                "fast_snapshot_restore_hours": 100,
                "monthly_list_block_requests": 1_000_000,
                "monthly_get_block_requests": 100_000,
                "monthly_put_block_requests": 200_000,
            }
        }
    )
    priced = _price(catalog, _snapshot(linked=False), use=use)["aws_ebs_snapshot.ckpt"]
    costs = {line.name: line.monthly_cost for line in priced.cost_lines}
    assert costs == {
        "Snapshot storage (8 GB)": D("0.40"),  # 8 x 0.05
        "Fast snapshot restore (DSU-hours)": D("75.00"),  # 100 x 0.75
        "ListChangedBlocks and ListSnapshotBlocks requests": D("0.60"),  # 1,000 x 0.0006
        "GetSnapshotBlock requests (512 KiB blocks)": D("0.30"),  # 100 x 0.003
        "PutSnapshotBlock requests (512 KiB blocks)": D("1.20"),  # 200 x 0.006
    }
    assert not priced.missing
    assert priced.monthly_cost == D("77.50")


def test_the_archive_tier_is_priced_at_its_rate_with_the_90_day_minimum(catalog: Catalog) -> None:
    use = usage({"aws_ebs_snapshot.ckpt": {"monthly_data_retrieval_gb": 50}})
    priced = _price(catalog, _volume(200), _snapshot({"storage_tier": "archive"}), use=use)[
        "aws_ebs_snapshot.ckpt"
    ]
    costs = {line.name: line.monthly_cost for line in priced.cost_lines}
    assert costs == {
        "Snapshot storage (archive tier, 200 GB)": D("2.50"),  # 200 x 0.0125
        "Archive restores (GB restored)": D("1.50"),  # 50 x 0.03
    }
    assert any("at least 90 days" in n for n in priced.notes)


def test_a_standard_snapshot_says_why_retrieval_usage_is_not_used(catalog: Catalog) -> None:
    use = usage({"aws_ebs_snapshot.ckpt": {"monthly_data_retrieval_gb": 50}})
    priced = _price(catalog, _volume(10), _snapshot(), use=use)["aws_ebs_snapshot.ckpt"]
    assert priced.usage_skipped["monthly_data_retrieval_gb"] == (
        "a snapshot in the standard tier has no restore fee"
    )
    assert priced.monthly_cost == D("0.50")


def test_an_unknown_tier_is_priced_as_standard_and_said_so(catalog: Catalog) -> None:
    priced = _price(catalog, _volume(10), _snapshot({"storage_tier": UNKNOWN}))[
        "aws_ebs_snapshot.ckpt"
    ]
    assert priced.monthly_cost == D("0.50")
    assert any(n.startswith("storage_tier unknown until apply") for n in priced.notes)


def test_a_copy_takes_its_source_snapshots_volume_size_in_its_own_region(catalog: Catalog) -> None:
    copy = make_resource(
        "aws_ebs_snapshot_copy",
        {"source_snapshot_id": UNKNOWN, "source_region": "us-east-1"},
        address="aws_ebs_snapshot_copy.dr",
        region="eu-west-1",
        references={"source_snapshot_id": ("aws_ebs_snapshot.ckpt.id",)},
    )
    priced = _price(catalog, _volume(10), _snapshot(), copy)["aws_ebs_snapshot_copy.dr"]
    (line,) = priced.cost_lines
    assert line.price is not None
    assert "eu-west-1" in line.price.key
    # 10 GB at eu-west-1's snapshot rate, read from the catalog and checked by hand: 0.05
    assert (line.quantity, line.unit_price, line.monthly_cost) == (10, D("0.05"), D("0.50"))
    assert any("its source snapshot aws_ebs_snapshot.ckpt" in n for n in priced.notes)
    assert any(
        n.startswith(
            "copied from us-east-1: the first copy of a snapshot to another Region is a full"
        )
        and "later ones incremental" in n
        for n in priced.notes
    )


def test_a_copy_of_a_copy_follows_the_chain_and_an_unknown_source_is_usage_unknown(
    catalog: Catalog,
) -> None:
    first = make_resource(
        "aws_ebs_snapshot_copy",
        {"source_snapshot_id": UNKNOWN},
        address="aws_ebs_snapshot_copy.a",
        references={"source_snapshot_id": ("aws_ebs_snapshot.ckpt.id",)},
    )
    second = make_resource(
        "aws_ebs_snapshot_copy",
        {"source_snapshot_id": UNKNOWN},
        address="aws_ebs_snapshot_copy.b",
        references={"source_snapshot_id": ("aws_ebs_snapshot_copy.a.id",)},
    )
    orphan = make_resource(
        "aws_ebs_snapshot_copy", {"source_snapshot_id": "snap-1"}, address="aws_ebs_snapshot_copy.c"
    )
    priced = _price(catalog, _volume(30), _snapshot(), first, second, orphan)
    assert priced["aws_ebs_snapshot_copy.b"].monthly_cost == D("1.50")  # 30 x 0.05
    reason = priced["aws_ebs_snapshot_copy.c"].unpriced_reason
    assert reason is not None
    assert "source_snapshot_id does not refer to a snapshot in this stack" in reason


def test_an_fsr_resource_is_priced_per_zone_hour_and_not_twice(catalog: Catalog) -> None:
    fsr = make_resource(
        "aws_ebs_fast_snapshot_restore",
        {"availability_zone": "us-east-1a", "snapshot_id": UNKNOWN},
        address="aws_ebs_fast_snapshot_restore.a",
        references={"snapshot_id": ("aws_ebs_snapshot.ckpt.id",)},
    )
    use = usage({"aws_ebs_snapshot.ckpt": {"fast_snapshot_restore_hours": 100}})
    priced = _price(catalog, _volume(10), _snapshot(), fsr, use=use)
    (line,) = priced["aws_ebs_fast_snapshot_restore.a"].cost_lines
    # 730 DSU-hours x $0.75 = $547.50
    assert (line.quantity, line.monthly_cost) == (730, D("547.50"))
    snapshot = priced["aws_ebs_snapshot.ckpt"]
    assert not any(line.name.startswith("Fast snapshot") for line in snapshot.cost_lines)
    assert snapshot.usage_skipped["fast_snapshot_restore_hours"] == (
        "fast snapshot restore is priced on aws_ebs_fast_snapshot_restore.a"
    )


def test_a_region_without_an_fsr_rate_lists_it_as_missing(catalog: Catalog) -> None:
    snap = make_resource(
        "aws_ebs_snapshot",
        {"volume_id": "vol-1"},
        address="aws_ebs_snapshot.z",
        region="eu-central-2",
    )
    use = usage({"aws_ebs_snapshot.z": {"storage_gb": 10, "fast_snapshot_restore_hours": 5}})
    priced = _price(catalog, snap, use=use)["aws_ebs_snapshot.z"]
    assert [line.name for line in priced.cost_lines] == ["Snapshot storage (10 GB)"]
    (fsr,) = [m for m in priced.missing if m.startswith("Fast snapshot restore")]
    assert "eu-central-2" in fsr


def test_infracost_usage_keys_are_read(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "infracost-usage.yml"
    path.write_text(
        "version: 0.1\nresource_usage:\n  aws_ebs_snapshot.ckpt:\n"
        "    monthly_list_block_requests: 1000000\n    monthly_get_block_requests: 100000\n"
        "    monthly_put_block_requests: 100000\n    fast_snapshot_restore_hours: 10\n"
    )
    loaded = load_usage(path)
    assert not loaded.warnings
    priced = _price(catalog, _volume(10), _snapshot(), use=loaded)["aws_ebs_snapshot.ckpt"]
    # 0.50 storage + 7.50 FSR (10 x 0.75) + 0.60 list + 0.30 get + 0.60 put
    assert priced.monthly_cost == D("9.50")
    assert not priced.missing
