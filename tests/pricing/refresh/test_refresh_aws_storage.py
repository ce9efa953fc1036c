"""`costgate pricing refresh aws --types ebs,s3`, end to end: the CLI's boto3 client talks real
HTTP to a fake Price List Query API on 127.0.0.1 (tests/helpers/fake_aws.py) answering with
recorded products in the documented shape (product family, `usagetype` with a region prefix,
`volumeApiName`, `volumeType`, `operation`, OnDemand price dimensions with beginRange /
endRange). The region is ap-southeast-5, where the shipped catalog has no EBS prices.

Every price below is TEST DATA chosen for easy hand arithmetic, not an AWS price, and the
`TST5-` usage-type prefix is made up; the expected catalog prices and costs are worked out by
hand in the comments (730 hours a month)."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from costgate.cli import main
from costgate.pricing.catalog import Catalog, load_catalog
from costgate.pricing.engine import price_resources
from costgate.pricing.refresh import Request, default_request
from costgate.pricing.refresh.aws import with_shipped_sagemaker
from costgate.pricing.refresh.aws_storage import STORAGE_TYPES, usage_of, volume_matches
from costgate.pricing.validate import validate_files
from tests.conftest import make_resource, usage
from tests.helpers.fake_aws import FakeAws, product, use_fake_aws
from tests.helpers.loopback import LoopbackServer

pytest.importorskip("boto3")

D = Decimal
REGION = "ap-southeast-5"
PREFIX = "TST5-"
API = "https://api.pricing.us-east-1.amazonaws.com"


def row(
    service: str,
    family: str,
    usagetype: str,
    unit: str,
    tiers: list[tuple[str, str, str]],
    **attributes: str,
) -> str:
    """A product of *service* in ap-southeast-5 with one price dimension per (beginRange,
    endRange, USD)."""
    sku = f"T{zlib.crc32((service + usagetype + json.dumps(attributes)).encode()):010d}"
    document = json.loads(
        product(
            sku,
            tiers[0][2],
            {"usagetype": PREFIX + usagetype, "regionCode": REGION, **attributes},
            family=family,
            service=service,
            unit=unit,
        )
    )
    (term,) = document["terms"]["OnDemand"].values()
    term["priceDimensions"] = {
        f"{sku}.JRTCKXETXF.{i}": {
            "unit": unit,
            "beginRange": begin,
            "endRange": end,
            "description": f"TEST DATA ${usd} per {unit}",
            "appliesTo": [],
            "rateCode": f"{sku}.JRTCKXETXF.{i}",
            "pricePerUnit": {"USD": usd},
        }
        for i, (begin, end, usd) in enumerate(tiers)
    }
    return json.dumps(document)


def ebs(family: str, usagetype: str, unit: str, usd: str, **attributes: str) -> str:
    return row("AmazonEC2", family, usagetype, unit, [("0", "Inf", usd)], **attributes)


def s3(usagetype: str, unit: str, usd: str, family: str = "API Request", **attrs: str) -> str:
    return row("AmazonS3", family, usagetype, unit, [("0", "Inf", usd)], **attrs)


def _family(name: str) -> frozenset[tuple[str, str]]:
    return frozenset({("regionCode", REGION), ("productFamily", name)})


def recorded() -> FakeAws:
    """The answers of one `--regions ap-southeast-5 --types ebs,s3` refresh."""
    fake = FakeAws()
    ec2 = "AmazonEC2"
    fake.products[(ec2, _family("Storage"))] = [
        [
            ebs("Storage", "EBS:VolumeUsage.gp2", "GB-Mo", "0.12", volumeApiName="gp2"),
            ebs("Storage", "EBS:VolumeUsage.gp3", "GB-Mo", "0.096", volumeApiName="gp3"),
            ebs("Storage", "EBS:VolumeUsage.piops", "GB-Mo", "0.138", volumeApiName="io1"),
        ],
        [  # page 2; io2 storage is per "GB-month", the others per "GB-Mo"
            ebs("Storage", "EBS:VolumeUsage.io2", "GB-month", "0.138", volumeApiName="io2"),
            ebs("Storage", "EBS:VolumeUsage.st1", "GB-Mo", "0.054", volumeApiName="st1"),
            ebs("Storage", "EBS:VolumeUsage.sc1", "GB-Mo", "0.018", volumeApiName="sc1"),
            ebs("Storage", "EBS:VolumeUsage", "GB-Mo", "0.06", volumeApiName="standard"),
        ],
    ]
    fake.products[(ec2, _family("System Operation"))] = [
        [
            ebs("System Operation", "EBS:VolumeP-IOPS.gp3", "IOPS-Mo", "0.006"),
            ebs("System Operation", "EBS:VolumeP-IOPS.piops", "IOPS-Mo", "0.072"),
            # one usage type per io2 tier, every row 0-Inf: the tier comes from the name
            ebs("System Operation", "EBS:VolumeP-IOPS.io2", "IOPS-Mo", "0.072"),
            ebs("System Operation", "EBS:VolumeP-IOPS.io2.tier2", "IOPS-Mo", "0.0504"),
            ebs("System Operation", "EBS:VolumeP-IOPS.io2.tier3", "IOPS-Mo", "0.03528"),
            # magnetic I/O: per IO, 0.00000006 x 1,000 = 0.00006 per 1k requests
            ebs("System Operation", "EBS:VolumeIOUsage", "IOs", "0.00000006"),
        ]
    ]
    fake.products[(ec2, _family("Provisioned Throughput"))] = [
        [  # per GiBps-month: 49.152 / 1,024 = 0.048 per MiBps-month
            ebs("Provisioned Throughput", "EBS:VolumeP-Throughput.gp3", "GiBps-mo", "49.152")
        ]
    ]
    fake.products[(ec2, _family("Storage Snapshot"))] = [
        [
            ebs("Storage Snapshot", "EBS:SnapshotUsage", "GB-Mo", "0.055"),
            ebs("Storage Snapshot", "EBS:SnapshotArchiveStorage", "GB-Mo", "0.0137"),
            # not a rate the catalog keeps: skipped
            ebs("Storage Snapshot", "EBS:FastSnapshotRestore", "DSU-Hour", "0.825"),
        ]
    ]
    fake.products[("AmazonS3", frozenset({("regionCode", REGION)}))] = [
        [
            row(  # S3 Standard: three tiers by beginRange (GB)
                "AmazonS3",
                "Storage",
                "TimedStorage-ByteHrs",
                "GB-Mo",
                [("0", "51200", "0.025"), ("51200", "512000", "0.024"), ("512000", "Inf", "0.023")],
                volumeType="Standard",
                storageClass="General Purpose",
            ),
            # another product on the same usage type (volumeType differs): not Standard's
            s3("TimedStorage-ByteHrs", "GB-Mo", "0.5", "Storage", volumeType="Test Other"),
            s3("TimedStorage-SIA-ByteHrs", "GB-Mo", "0.0138", "Storage"),
            s3("TimedStorage-GIR-ByteHrs", "GB-Mo", "0.005", "Storage"),
            s3("TimedStorage-INT-FA-ByteHrs", "GB-Mo", "0.025", "Storage"),
            s3("Requests-Tier1", "Requests", "0.000005"),  # 0.005 per 1,000
            s3("Requests-Tier2", "Requests", "0.0000004"),  # 0.0004 per 1,000
            s3("Requests-GDA-Tier1", "Requests", "0.00006", operation="PostObject"),
        ],
        [
            s3("Retrieval-SIA", "GB", "0.01", "Fee"),
            s3("Select-Scanned-Bytes", "GB", "0.0022", "Fee"),
            s3("Monitoring-Automation-INT", "Objects", "0.0000025", "Fee"),  # 0.0025 / 1k
            # transitions: Tier4 without operation = SIA, ZIA, INT; a named one wins
            s3("Requests-Tier4", "Requests", "0.00001"),
            s3("Requests-Tier4", "Requests", "0.000011", operation="S3-SIATransition"),
            s3("Requests-Tier4", "Requests", "0.00002", operation="S3-GIRTransition"),
            s3("Requests-Tier3", "Requests", "0.00006", operation="S3-GDATransition"),
            s3("Requests-Tier3", "Requests", "0.00005"),  # Glacier restores: not a transition
        ],
    ]
    fake.products[("AmazonS3GlacierDeepArchive", frozenset({("regionCode", REGION)}))] = [
        [
            s3("TimedStorage-GDA-ByteHrs", "GB-Mo", "0.002", "Storage"),
            # already given by AmazonS3 (0.06): not read again
            s3("Requests-GDA-Tier1", "Requests", "0.00007", operation="PostObject"),
        ]
    ]
    return fake


EXPECTED = {  # (service, product, kind, tier start) -> price, worked out from recorded()
    ("ebs", "gp2", "storage", None): "0.12",
    ("ebs", "gp3", "storage", None): "0.096",
    ("ebs", "gp3", "iops", None): "0.006",
    ("ebs", "gp3", "throughput", None): "0.048",  # 49.152 / 1024
    ("ebs", "io1", "storage", None): "0.138",
    ("ebs", "io1", "iops", None): "0.072",
    ("ebs", "io2", "storage", None): "0.138",
    ("ebs", "io2", "iops", None): "0.072",
    ("ebs", "io2", "iops", "32000"): "0.0504",
    ("ebs", "io2", "iops", "64000"): "0.03528",
    ("ebs", "st1", "storage", None): "0.054",
    ("ebs", "sc1", "storage", None): "0.018",
    ("ebs", "standard", "storage", None): "0.06",
    ("ebs", "standard", "io_requests", None): "0.00006",  # 0.00000006 x 1000
    ("ebs", "snapshot", "storage", None): "0.055",
    ("ebs", "snapshot", "archive_storage", None): "0.0137",
    ("s3", "STANDARD", "storage", None): "0.025",
    ("s3", "STANDARD", "storage", "51200"): "0.024",
    ("s3", "STANDARD", "storage", "512000"): "0.023",
    ("s3", "STANDARD_IA", "storage", None): "0.0138",
    ("s3", "GLACIER_IR", "storage", None): "0.005",
    ("s3", "INTELLIGENT_TIERING_FREQUENT", "storage", None): "0.025",
    ("s3", "DEEP_ARCHIVE", "storage", None): "0.002",  # from AmazonS3GlacierDeepArchive
    ("s3", "STANDARD", "tier1_requests", None): "0.005",
    ("s3", "STANDARD", "tier2_requests", None): "0.0004",
    ("s3", "DEEP_ARCHIVE", "tier1_requests", None): "0.06",  # AmazonS3's, not 0.07
    ("s3", "STANDARD_IA", "retrieval", None): "0.01",
    ("s3", "STANDARD", "select_scanned", None): "0.0022",
    ("s3", "INTELLIGENT_TIERING", "monitoring", None): "0.0025",
    ("s3", "STANDARD_IA", "transition_requests", None): "0.011",  # named beats generic
    ("s3", "ONEZONE_IA", "transition_requests", None): "0.01",
    ("s3", "INTELLIGENT_TIERING", "transition_requests", None): "0.01",
    ("s3", "GLACIER_IR", "transition_requests", None): "0.02",
    ("s3", "DEEP_ARCHIVE", "transition_requests", None): "0.06",
}


@pytest.fixture()
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeAws]:
    """Dummy credentials and the Price List endpoint pointed at the fake, which is yielded."""
    fake = recorded()
    with LoopbackServer(fake) as server:
        use_fake_aws(monkeypatch, server.url, tmp_path)
        yield fake


def refresh(out: Path, types: str = "ebs,s3") -> CliRunner:
    result = CliRunner().invoke(
        main, ["pricing", "refresh", "aws", "--regions", REGION, "--types", types, "-o", str(out)]
    )
    return result


def test_refresh_fills_ebs_and_s3_from_recorded_pages(aws_env: FakeAws, tmp_path: Path) -> None:
    out = tmp_path / "aws.json"
    result = refresh(out)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {len(EXPECTED)} aws price(s)")
    assert validate_files([out]) == []
    doc = json.loads(out.read_text())
    got = {
        (p["service"], p["product"], p["kind"], p.get("tier_start")): p["price"]
        for p in doc["prices"]
    }
    assert got == EXPECTED
    assert {p["region"] for p in doc["prices"]} == {REGION}
    units = {(p["service"], p["kind"]): p["unit"] for p in doc["prices"]}
    assert units[("ebs", "throughput")] == "MBps-month"
    assert units[("ebs", "io_requests")] == "1k requests"
    assert units[("s3", "monitoring")] == "1k objects-month"
    notes = {(p["product"], p["kind"], p.get("tier_start")): p["note"] for p in doc["prices"]}
    tier2 = notes[("io2", "iops", "32000")]
    assert tier2 == "Price List API usagetype TST5-EBS:VolumeP-IOPS.io2.tier2"
    assert doc["products"]["ebs:gp3"] == {"free_iops": 3000, "free_throughput_mbps": 125}
    # what went over the wire: four EC2 families, then S3 and Deep Archive by region
    asked = [
        (b["ServiceCode"], {f["Field"]: f["Value"] for f in b["Filters"]}.get("productFamily"))
        for name, b in aws_env.calls
        if name == "GetProducts" and not b.get("NextToken")
    ]
    assert asked == [
        ("AmazonEC2", "Storage"),
        ("AmazonEC2", "System Operation"),
        ("AmazonEC2", "Provisioned Throughput"),
        ("AmazonEC2", "Storage Snapshot"),
        ("AmazonS3", None),
        ("AmazonS3GlacierDeepArchive", None),
    ]


def _lines(priced: object) -> list[tuple[str, str, Decimal, Decimal]]:
    return [
        (line.name, line.unit, line.quantity, line.unit_price)
        for line in priced.cost_lines  # type: ignore[attr-defined]
    ]


def test_refreshed_prices_price_an_io2_volume_and_a_bucket_where_the_shipped_catalog_has_none(
    aws_env: FakeAws, tmp_path: Path, catalog: Catalog
) -> None:
    out = tmp_path / "aws.json"
    assert refresh(out).exit_code == 0
    refreshed = load_catalog([out])
    as_of = json.loads(out.read_text())["as_of"]
    volume = make_resource(
        "aws_ebs_volume",
        {"type": "io2", "size": 200, "iops": 70000},
        address="aws_ebs_volume.db",
        region=REGION,
    )
    bucket = make_resource(
        "aws_s3_bucket", {"bucket": "lake"}, address="aws_s3_bucket.lake", region=REGION
    )
    figures = {
        "class_storage_gb": {"STANDARD": 60000, "DEEP_ARCHIVE": 1000},
        "class_usage": {"STANDARD": {"tier1_requests": 2000000, "tier2_requests": 10000000}},
    }
    # the shipped catalog has no EBS in ap-southeast-5, and no Deep Archive storage there
    (shipped,) = price_resources((volume,), catalog, usage())
    assert not shipped.priced
    assert not catalog.tiers("aws", "s3", "DEEP_ARCHIVE", REGION, "storage")
    vol, lake = price_resources((volume, bucket), refreshed, usage({"aws_s3_bucket.lake": figures}))
    assert _lines(vol) == [
        ("Storage (io2, 200 GB)", "GB-month", D(200), D("0.138")),
        ("Provisioned IOPS (io2)", "IOPS-month", D(32000), D("0.072")),
        ("Provisioned IOPS (io2) (tier from 32000 IOPS)", "IOPS-month", D(32000), D("0.0504")),
        ("Provisioned IOPS (io2) (tier from 64000 IOPS)", "IOPS-month", D(6000), D("0.03528")),
    ]
    # 200 x 0.138 = 27.60; 32,000 x 0.072 = 2,304; 32,000 x 0.0504 = 1,612.80;
    # 6,000 x 0.03528 = 211.68
    assert vol.monthly_cost == D("4156.08")
    assert {line.price.source for line in vol.cost_lines} == {API}  # type: ignore[union-attr]
    assert {line.price.as_of for line in vol.cost_lines} == {as_of}  # type: ignore[union-attr]
    assert _lines(lake) == [
        ("Storage (DEEP_ARCHIVE, usage file class_storage_gb)", "GB-month", D(1000), D("0.002")),
        ("Storage (STANDARD, usage file class_storage_gb)", "GB-month", D(51200), D("0.025")),
        (
            "Storage (STANDARD, usage file class_storage_gb) (tier from 51200 GB)",
            "GB-month",
            D(8800),
            D("0.024"),
        ),
        ("PUT, COPY, POST, LIST requests (STANDARD)", "1k requests", D(2000), D("0.005")),
        ("GET and all other requests (STANDARD)", "1k requests", D(10000), D("0.0004")),
    ]
    # 1,000 x 0.002 = 2; 51,200 x 0.025 = 1,280; 8,800 x 0.024 = 211.20;
    # 2,000 x 0.005 = 10; 10,000 x 0.0004 = 4
    assert lake.monthly_cost == D("1507.20")
    assert not lake.missing


def test_conflicting_rows_write_nothing(aws_env: FakeAws, tmp_path: Path) -> None:
    aws_env.products[("AmazonEC2", _family("Storage"))] = [
        [
            ebs("Storage", "EBS:VolumeUsage.gp3", "GB-Mo", "0.096", volumeApiName="gp3"),
            ebs("Storage", "EBS:VolumeUsage.gp3", "GB-Mo", "0.1", volumeApiName="gp3"),
        ]
    ]
    out = tmp_path / "aws.json"
    result = refresh(out, "ebs")
    assert result.exit_code == 2
    assert "2 different ebs storage prices for gp3 in ap-southeast-5" in result.output
    assert not out.exists()


def test_an_unexpected_unit_is_a_clear_error(aws_env: FakeAws, tmp_path: Path) -> None:
    aws_env.products[("AmazonEC2", _family("Provisioned Throughput"))] = [
        [ebs("Provisioned Throughput", "EBS:VolumeP-Throughput.gp3", "MiBps-mo", "0.048")]
    ]
    out = tmp_path / "aws.json"
    result = refresh(out, "ebs")
    assert result.exit_code == 2
    assert "TST5-EBS:VolumeP-Throughput.gp3 in ap-southeast-5 is priced per 'MiBps-mo'" in (
        result.output
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("{not json", "not a JSON product document"),
        (ebs("Storage", "EBS:VolumeUsage.gp3", "GB-Mo", "N/A", volumeApiName="gp3"), "'N/A'"),
        (
            row("AmazonEC2", "Storage", "EBS:VolumeUsage.gp3", "GB-Mo", [("x", "Inf", "0.1")]),
            "'x'",
        ),
    ],
)
def test_a_malformed_price_list_document_is_exit_2_and_writes_nothing(
    aws_env: FakeAws, tmp_path: Path, document: str, expected: str
) -> None:
    # a document that is not JSON, or a price / beginRange that is not a number, used to
    # end the refresh with an internal error (exit 3) instead of naming the bad answer
    aws_env.products[("AmazonEC2", _family("Storage"))] = [[document]]
    out = tmp_path / "aws.json"
    result = refresh(out, "ebs")
    assert result.exit_code == 2, result.output
    assert "AWS Pricing API" in result.output and expected in result.output
    assert "nothing written" in result.output
    assert not out.exists()


def test_only_the_named_storage_service_is_asked_for(aws_env: FakeAws, tmp_path: Path) -> None:
    out = tmp_path / "aws.json"
    assert refresh(out, "s3").exit_code == 0
    doc = json.loads(out.read_text())
    assert {p["service"] for p in doc["prices"]} == {"s3"}
    codes = {b["ServiceCode"] for name, b in aws_env.calls if name == "GetProducts"}
    assert codes == {"AmazonS3", "AmazonS3GlacierDeepArchive"}


def test_default_types_include_ebs_and_s3(catalog: Catalog) -> None:
    defaults = default_request(catalog, "aws", [REGION], [])
    widened = with_shipped_sagemaker(defaults, catalog)
    assert set(STORAGE_TYPES) <= set(widened.types)
    named = Request((REGION,), ("m5.large",))
    assert with_shipped_sagemaker(named, catalog) == named


@pytest.mark.parametrize(
    ("usagetype", "usage"),
    [
        ("EBS:VolumeUsage.gp3", "EBS:VolumeUsage.gp3"),  # us-east-1: no prefix
        ("APS1-EBS:VolumeUsage.gp3", "EBS:VolumeUsage.gp3"),
        ("EU-TimedStorage-ByteHrs", "TimedStorage-ByteHrs"),
        ("TimedStorage-ByteHrs", "TimedStorage-ByteHrs"),
        ("Requests-GIR-Tier1", "Requests-GIR-Tier1"),
        ("USE1-Requests-GIR-Tier1", "Requests-GIR-Tier1"),
    ],
)
def test_region_prefix_is_removed(usagetype: str, usage: str) -> None:
    assert usage_of(usagetype) == usage


@pytest.mark.parametrize(
    ("usage", "volume_api_name", "matches"),
    [
        ("EBS:VolumeUsage.piops", "io1", True),
        ("EBS:VolumeUsage", "standard", True),
        ("EBS:VolumeP-IOPS.io2.tier3", "io2", True),
        ("EBS:VolumeUsage.gp2", "gp3", False),  # a row naming another type is not this meter
        ("EBS:VolumeUsage.gp2", "", True),  # rows without the attribute are taken by usage type
    ],
)
def test_volume_api_name_must_agree(usage: str, volume_api_name: str, matches: bool) -> None:
    assert volume_matches(usage, {"volumeApiName": volume_api_name}) is matches
