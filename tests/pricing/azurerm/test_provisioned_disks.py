"""Ultra Disk and Premium SSD v2 (issues 15 and 16): provisioned GiB, IOPS and MB/s billed
by the hour, read from Retail Prices API meters by the parser `pricing refresh azure` and
`pricing build` share; figures worked out by hand at 730 h."""

from __future__ import annotations

from decimal import Decimal

from costgate.pricing.azurerm.disks import ultra_billed_gib
from costgate.pricing.catalog import Catalog
from costgate.pricing.refresh.azure import parse_items
from tests.pricing.helpers import D, azure, list_price, price


def item(product: str, sku: str, meter: str, unit: str, price_: float) -> dict[str, object]:
    return {
        "type": "Consumption",
        "armRegionName": "westeurope",
        "productName": product,
        "skuName": sku,
        "meterName": meter,
        "unitOfMeasure": unit,
        "retailPrice": price_,
        "serviceName": "Storage",
    }


def test_the_parser_reads_capacity_iops_and_throughput_meters_only() -> None:
    found = parse_items(
        [
            item(
                "Ultra Disks", "Ultra LRS", "Ultra LRS Provisioned Capacity", "1 GiB/Hour", 2.13e-4
            ),
            item("Ultra Disks", "Ultra LRS", "Ultra LRS Provisioned IOPS", "1/Hour", 8.8e-5),
            item(
                "Ultra Disks",
                "Ultra LRS",
                "Ultra LRS Provisioned Throughput (MBps)",
                "1/Hour",
                5.72e-4,
            ),
            # the per-vCPU reservation and snapshots are other charges
            item(
                "Ultra Disks",
                "Ultra LRS",
                "Ultra LRS Reservation per vCPU Provisioned",
                "1/Hour",
                0.0078,
            ),
            item(
                "Azure Premium SSD v2",
                "Instant Access Snapshots LRS",
                "Instant Access Snapshots LRS",
                "1 GB/Hour",
                1.3e-4,
            ),
            item(
                "Azure Premium SSD v2",
                "Premium LRS",
                "Premium LRS Provisioned Capacity",
                "1 GiB/Hour",
                1.3e-4,
            ),
        ]
    )
    got = {(f.product, f.kind, f.unit): f.price for f in found}
    assert got == {
        ("UltraSSD_LRS", "storage", "GiB-hour"): Decimal("0.000213"),
        ("UltraSSD_LRS", "iops", "IOPS-hour"): Decimal("0.000088"),
        ("UltraSSD_LRS", "throughput", "MBps-hour"): Decimal("0.000572"),
        ("PremiumV2_LRS", "storage", "GiB-hour"): Decimal("0.00013"),
    }


def test_ultra_sizes_round_up_to_azures_table() -> None:
    assert ultra_billed_gib(D(3)) == 4
    assert ultra_billed_gib(D(100)) == 128
    assert ultra_billed_gib(D(2000)) == 2048
    assert ultra_billed_gib(D(70000)) == 65536


def test_ultra_disk_in_westeurope(catalog: Catalog) -> None:
    rates = [
        list_price(catalog, "azurerm", "disk", "UltraSSD_LRS", kind, "westeurope")
        for kind in ("storage", "iops", "throughput")
    ]
    assert rates == [D("0.000213"), D("0.000088"), D("0.000572")]
    disk = azure(
        "azurerm_managed_disk",
        {
            "create_option": "Empty",
            "storage_account_type": "UltraSSD_LRS",
            "disk_size_gb": 2000,
            "disk_iops_read_write": 4000,
            "disk_mbps_read_write": 20,
        },
        region="westeurope",
    )
    (p,) = price(catalog, disk)
    # 2,048 GiB x 730 h x 0.000213 = 318.44352; 4,000 x 730 x 0.000088 = 256.96;
    # 20 x 730 x 0.000572 = 8.3512
    assert p.monthly_cost == D("318.44352") + D("256.96") + D("8.3512")
    assert any("billed as 2048 GiB" in c.name for c in p.cost_lines)


def test_premium_ssd_v2_baseline_is_included(catalog: Catalog) -> None:
    assert list_price(catalog, "azurerm", "disk", "PremiumV2_LRS", "iops", "westeurope") == D(
        "0.000008"
    )
    base, busy = (
        azure(
            "azurerm_managed_disk",
            {"storage_account_type": "PremiumV2_LRS", "disk_size_gb": 100, **extra},
            region="westeurope",
            address=f"azurerm_managed_disk.{name}",
        )
        for name, extra in (("base", {}), ("busy", {"disk_iops_read_write": 5000}))
    )
    b, u = price(catalog, base, busy)
    # 100 GiB x 730 x 0.00013 = 9.49; 3,000 IOPS and 125 MB/s included
    assert b.monthly_cost == D("9.49")
    assert any("3000 IOPS assumed" in n for n in b.notes)
    # 2,000 IOPS above the baseline x 730 x 0.000008 = 11.68; throughput baseline
    assert u.monthly_cost == D("9.49") + D("11.68")


def test_empty_disk_without_a_size_is_unpriced_with_azures_rule(catalog: Catalog) -> None:
    disk = azure(
        "azurerm_managed_disk", {"create_option": "Empty", "storage_account_type": "Premium_LRS"}
    )
    (p,) = price(catalog, disk)
    assert p.unpriced_reason and "Azure requires it for create_option Empty" in p.unpriced_reason


def test_premium_ssd_v2_performance_unknown_in_a_plan_is_the_included_baseline(
    catalog: Catalog,
) -> None:
    # disk_iops_read_write / disk_mbps_read_write are Optional + Computed in azurerm: a
    # plan shows them unknown when they are not set, which left IOPS and throughput missing
    from costgate.model import UNKNOWN

    (disk,) = price(
        catalog,
        azure(
            "azurerm_managed_disk",
            {
                "storage_account_type": "PremiumV2_LRS",
                "disk_size_gb": 100,
                "disk_iops_read_write": UNKNOWN,
                "disk_mbps_read_write": UNKNOWN,
            },
            region="westeurope",
        ),
    )
    # 100 GiB x 730 x 0.00013 = 9.49, as with both unset
    assert disk.monthly_cost == D("9.49")
    assert disk.missing == ()
    assert any("unknown in the plan" in n and "3000 IOPS assumed" in n for n in disk.notes)
