"""The AWS pricing-page map readers on small maps written here (never a third-party file)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from costgate.errors import CatalogError
from costgate.pricing.build import READERS, Dump, Known
from costgate.pricing.refresh import Fetched


def _dump(reader: str, path: str = "data/x.json") -> Dump:
    return Dump("aws-test", "aws", reader, "o/r", "0123456789abcdef", path, "2025-01-01", "test")


def _write(tmp_path: Path, source: str, regions: dict[str, Any]) -> Path:
    path = tmp_path / "map.json"
    manifest = {"serviceId": "ec2", "hawkFilePublicationDate": "2025-01-01T00:00:00Z"}
    path.write_text(json.dumps({"manifest": {**manifest, "source": source}, "regions": regions}))
    return path


def _item(price: str) -> dict[str, str]:
    return {"rateCode": "X.JRTCKXETXF.6YS6EN2CT7", "price": price}


NOTHING_KNOWN = Known(frozenset())


def _read(reader: str, path: Path, known: Known = NOTHING_KNOWN) -> list[Fetched]:
    return READERS[reader](path, _dump(reader), known).prices


def test_ebs_meters_become_catalog_keys_with_tiers_and_unit_conversion(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "ebs",
        {
            "EU (Ireland)": {
                "Storage General Purpose gp3 GB Mo": _item("0.0880000000"),
                "Provisioned Throughput gp3 per GiBps mo": _item("45.0560000000"),
                "Provisioned EBS IOPS Tier 2 io2 Volumes per IOPS Mo": _item("0.0504000000"),
                "Storage Provisioned IOPS io2 GB month": _item("0.1380000000"),
                "Storage Snapshot Amazon S3 Outpost GB Mo": _item("0.0297000000"),  # not read
                "HASHKEY": _item("0.1"),  # meters keyed by hash are not read
            },
            "EU (Zurich)": {  # 58.4909 / 1024 needs rounding: left unpriced
                "Provisioned Throughput gp3 per GiBps mo": _item("58.4909000000")
            },
            "US East (Verizon) - Boston": {  # a Wavelength Zone: not a region
                "Storage General Purpose gp3 GB Mo": _item("0.1000000000")
            },
        },
    )
    got = {(p.product, p.region, p.kind, p.tier_start): p.price for p in _read(_READER, path)}
    assert got == {
        ("gp3", "eu-west-1", "storage", Decimal(0)): Decimal("0.088"),
        # 45.056 per GiB/s-month / 1024 = 0.044 per MiB/s-month
        ("gp3", "eu-west-1", "throughput", Decimal(0)): Decimal("0.044"),
        ("io2", "eu-west-1", "iops", Decimal(32000)): Decimal("0.0504"),
        ("io2", "eu-west-1", "storage", Decimal(0)): Decimal("0.138"),
    }


_READER = "aws-metered-unit-map-json"


def test_ebs_snapshot_meters_are_read_per_thousand_requests(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "ebs",
        {
            "EU (Ireland)": {
                "Storage Snapshot Amazon S3 GB Mo": _item("0.0500000000"),
                "Storage Snapshot Amazon S3 SnapshotArchiveStorage GB Mo": _item("0.0125000000"),
                "Storage Snapshot Amazon S3 SnapshotArchiveRetrieval GB": _item("0.0300000000"),
                "Fast Snapshot Restore per hours": _item("0.8250000000"),
                "List Requests for EBS direct APIs per Requests": _item("0.0000006600"),
                "Get Requests for EBS direct APIs per SnapshotAPIUnits": _item("0.0000033000"),
                "Put Requests for EBS direct APIs per SnapshotAPIUnits": _item("0.0000066000"),
                # Storage Gateway's snapshots and the early-delete charge: not read
                "Backup SGW Storage Snapshot Amazon S3 GB Mo": _item("0.0500000000"),
                "Storage Snapshot Amazon S3 SnapshotArchiveEarlyDelete GB Mo": _item("0.0125"),
            },
        },
    )
    got = {(p.kind, p.unit): p.price for p in _read(_READER, path) if p.product == "snapshot"}
    assert got == {
        ("storage", "GB-month"): Decimal("0.05"),
        ("archive_storage", "GB-month"): Decimal("0.0125"),
        ("archive_retrieval", "GB"): Decimal("0.03"),
        ("fast_snapshot_restore", "hour"): Decimal("0.825"),
        # per request (per 512 KiB block for Get and Put) x 1,000
        ("list_requests", "1k requests"): Decimal("0.00066"),
        ("get_block_requests", "1k requests"): Decimal("0.0033"),
        ("put_block_requests", "1k requests"): Decimal("0.0066"),
    }


def test_per_request_meters_are_stored_per_thousand_and_free_tiers_skipped(
    tmp_path: Path,
) -> None:
    path = _write(
        tmp_path,
        "s3",
        {
            "EU (Frankfurt)": {
                "Lifecycle Transition Requests into Glacier per Requests": _item("0.0000360000"),
                "Standard Storage First 50 TB per GB Mo": _item("0.0245000000"),
                "Standard Storage Over 500 TB per GB Mo": _item("0.0000000000"),
            }
        },
    )
    (transition, storage) = sorted(_read(_READER, path), key=lambda p: p.kind, reverse=True)
    assert (transition.product, transition.kind, transition.unit) == (
        "GLACIER",
        "transition_requests",
        "1k requests",
    )
    assert transition.price == Decimal("0.036")  # 0.000036 x 1,000
    assert (storage.product, storage.region, storage.price) == (
        "STANDARD",
        "eu-central-1",
        Decimal("0.0245"),
    )


def test_a_map_without_a_meter_table_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "lambda", {"EU (Ireland)": {}})
    with pytest.raises(CatalogError, match="no meter table"):
        _read(_READER, path)


def test_a_file_that_is_not_a_map_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "map.json"
    path.write_text("[]")
    with pytest.raises(CatalogError, match="not an AWS pricing-page price map"):
        _read(_READER, path)


def _instance(name: str, price: str, **extra: str) -> dict[str, str]:
    return {
        "price": price,
        "Instance Type": name,
        "Operating System": "Linux",
        "Pre Installed S/W": "NA",
        "License Model": "No License required",
        **extra,
    }


def test_ec2_on_demand_reads_plain_linux_of_known_non_accelerated_types(tmp_path: Path) -> None:
    path = tmp_path / "ec2.json"
    items = {
        "a": _instance("m5.large", "0.1150000000"),
        "b": _instance("p4d.24xlarge", "40.9447500000"),  # accelerated: left to vantage
        "c": _instance("c5.large", "0.1", **{"Pre Installed S/W": "SQL Std"}),
        "d": _instance("r5.large", "0.2", **{"Operating System": "Windows"}),
        "e": _instance("z9.large", "0.3"),  # a type the catalog does not know
        "f": _instance("trn2.48xlarge", "85.964"),  # Trainium2: no newer dump prices it
    }
    path.write_text(json.dumps({"manifest": {}, "regions": {"EU (Frankfurt)": items}}))
    names = ("m5.large", "p4d.24xlarge", "c5.large", "r5.large", "trn2.48xlarge")
    known = Known(frozenset({("ec2", n) for n in names}))
    read = _read("aws-metered-ec2-ondemand-json", path, known)
    assert [(f.product, f.region, f.kind, f.unit, f.price) for f in read] == [
        ("m5.large", "eu-central-1", "on_demand", "hour", Decimal("0.115")),
        ("trn2.48xlarge", "eu-central-1", "on_demand", "hour", Decimal("85.964")),
    ]


def _reserved(name: str, price: str, term: str = "1yr", **extra: str) -> dict[str, str]:
    lease = {"LeaseContractLength": term, "PurchaseOption": "No Upfront", "Tenancy": "Shared"}
    return {**_instance(name, price), **lease, **extra}


def test_ec2_reserved_reads_no_upfront_linux_rates_by_class_and_term(tmp_path: Path) -> None:
    items = {
        "a": _reserved("m5.large", "0.0600000000"),
        "b": _reserved("m5.large", "0.0410000000", term="3yr"),
        "c": _reserved("g5.xlarge", "0.63"),  # accelerated types are read too
        "c2": _reserved("p4d.24xlarge", "25.0"),  # not a rate the June 2025 P4/P5 cut replaced
        "d": _reserved("c5.large", "0.05", PurchaseOption="Partial Upfront"),
        "e": _reserved("c5.large", "0.06", Tenancy="Dedicated"),
        "f": _reserved("r5.large", "0.2", **{"Operating System": "Windows"}),
        "g": _reserved("z9.large", "0.3"),  # a type the catalog does not know
    }
    known = Known(
        frozenset(
            {("ec2", n) for n in ("m5.large", "g5.xlarge", "p4d.24xlarge", "c5.large", "r5.large")}
        )
    )
    standard = _write(tmp_path, "ec2-reservedinstance", {"US East (N. Virginia)": items})
    read = {(f.product, f.kind): f.price for f in _read(_RESERVED, standard, known)}
    assert read == {
        ("m5.large", "reserved_standard_1_year_no_upfront"): Decimal("0.06"),
        ("m5.large", "reserved_standard_3_year_no_upfront"): Decimal("0.041"),
        ("g5.xlarge", "reserved_standard_1_year_no_upfront"): Decimal("0.63"),
    }
    convertible = _write(tmp_path, "ec2-reservedinstance-convertible", {"EU (Ireland)": items})
    fetched = _read(_RESERVED, convertible, known)
    assert {(f.region, f.kind, f.unit) for f in fetched if f.product == "m5.large"} == {
        ("eu-west-1", "reserved_convertible_1_year_no_upfront", "hour"),
        ("eu-west-1", "reserved_convertible_3_year_no_upfront", "hour"),
    }


def test_ec2_reserved_rejects_a_map_of_another_source(tmp_path: Path) -> None:
    path = _write(tmp_path, "ebs", {})
    with pytest.raises(CatalogError, match="not a reserved-instance price map"):
        _read(_RESERVED, path)


_RESERVED = "aws-metered-ec2-reserved-json"


def test_magnetic_io_requests_are_stored_per_thousand(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "ebs",
        {
            "EU (Ireland)": {
                "Provisioned EBS I O Requests standard Volumes per IOs": _item("0.0000000550"),
                "Provisioned EBS I O Requests Volumes per IOs": _item("0.0000000550"),  # unread
            }
        },
    )
    (io,) = _read(_READER, path)
    assert (io.service, io.product, io.region, io.kind, io.unit) == (
        "ebs",
        "standard",
        "eu-west-1",
        "io_requests",
        "1k requests",
    )
    assert io.price == Decimal("0.000055")  # 0.000000055 per request x 1,000


def test_s3_request_retrieval_and_select_meters_by_class(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "s3",
        {
            "EU (Frankfurt)": {
                "PUT COPY/POST or LIST requests per Requests": _item("0.0000054000"),
                "GET and all other requests to Standard Infrequent Access per Requests": _item(
                    "0.0000010000"
                ),
                "Object Retrieval in One Zone Infrequent Access per GB": _item("0.0100000000"),
                "Object Retrieval in Intelligent Tiering per GB": _item("0.0100000000"),  # unread
                "Data Returned by S3 Select in Standard per GB": _item("0.0008000000"),
                "GET and all other requests to GDA per Requests": _item("0.0000004300"),
            }
        },
    )
    got = {(p.product, p.kind): (p.unit, p.price) for p in _read(_READER, path)}
    assert got == {
        # per request x 1,000
        ("STANDARD", "tier1_requests"): ("1k requests", Decimal("0.0054")),
        ("STANDARD_IA", "tier2_requests"): ("1k requests", Decimal("0.001")),
        ("DEEP_ARCHIVE", "tier2_requests"): ("1k requests", Decimal("0.00043")),
        # per GB as they are
        ("ONEZONE_IA", "retrieval"): ("GB", Decimal("0.01")),
        ("STANDARD", "select_returned"): ("GB", Decimal("0.0008")),
    }


def test_eks_extended_support_is_the_fee_plus_the_standard_rate(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "eks",
        {
            "US East (Ohio)": {
                "Compute per Hours": _item("0.1000000000"),
                "Compute ExtendedSupport per Hours": _item("0.5000000000"),
                "EKS Auto Mode c5.large per Hours": _item("0.0102000000"),  # not read
            },
            "EU (Milan)": {  # the fee without the rate it is added to: not read
                "Compute ExtendedSupport per Hours": _item("0.5000000000")
            },
        },
    )
    got = {(p.region, p.kind): (p.unit, p.price, p.note) for p in _read(_READER, path)}
    assert got == {
        ("us-east-2", "standard_support"): (
            "hour",
            Decimal("0.1"),
            "x.json @01234567: Compute per Hours",
        ),
        ("us-east-2", "extended_support"): (
            "hour",
            Decimal("0.6"),  # 0.10 + 0.50
            "x.json @01234567: Compute per Hours + Compute ExtendedSupport per Hours",
        ),
    }


def test_kms_requests_are_stored_per_ten_thousand(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "kms",
        {
            "EU (Frankfurt)": {
                "Encryption Key": _item("1.0000000000"),
                "API request - Non Free Tier": _item("0.0000030000"),
                "Asymmetric Requests RSA_2048": _item("0.0000030000"),  # not read
            },
            "AWS GovCloud (US)": {"Encryption Key": _item("1.0000000000")},  # not a region
        },
    )
    got = {(p.product, p.region, p.kind): (p.unit, p.price) for p in _read(_READER, path)}
    assert got == {
        ("key", "eu-central-1", "storage"): ("month", Decimal("1")),
        ("key", "eu-central-1", "requests"): ("10k requests", Decimal("0.03")),  # x 10,000
    }


def test_route53_global_locations_are_filed_under_us_east_1(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "route53",
        {
            "Any": {"DNS Zone first 25": _item("0.5000000000"), "DNS Zone": _item("0.1")},
            "": {
                "Query Standard External first 1B": _item("0.0000004000"),
                "Query Standard External over 1B": _item("0.0000002000"),
            },
            # a region repeating a query meter is not read: the pricer looks in us-east-1
            "Asia Pacific (Taipei)": {"Query Standard External first 1B": _item("0.0000004")},
        },
    )
    got = {
        (p.product, p.region, p.kind, p.tier_start): (p.unit, p.price) for p in _read(_READER, path)
    }
    assert got == {
        ("hosted_zone", "us-east-1", "storage", Decimal(0)): ("month", Decimal("0.5")),
        ("queries", "us-east-1", "standard", Decimal(0)): ("1M queries", Decimal("0.4")),
        ("queries", "us-east-1", "standard", Decimal(1000)): ("1M queries", Decimal("0.2")),
    }
