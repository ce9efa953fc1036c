"""`costgate pricing refresh` against recorded API responses (local server) and botocore Stubber."""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner

from costgate.cli import main
from costgate.pricing.catalog import load_catalog
from costgate.pricing.engine import price_resources
from costgate.pricing.refresh import Request, build_document, write_catalog
from costgate.pricing.refresh import aws as aws_refresh
from costgate.pricing.refresh import azure as azure_refresh
from costgate.pricing.trust import diff_catalogs
from costgate.pricing.validate import validate_files
from tests.conftest import REPO, make_resource, usage
from tests.helpers import loopback

D = Decimal
DATA = REPO / "tests" / "data"
GCP_TOKEN = json.loads((DATA / "gcp-billing" / "page-1-opencost-a2.json").read_text())[
    "nextPageToken"
]


def recorded_pages(request: loopback.Request) -> loopback.Response:
    """Serves the recorded pages; pagination links point back at this server."""
    Recorded.requests.append(request.target)
    query = request.query
    if request.path.startswith("/v1/services/6F81-5844-456A/skus"):
        name = (
            "page-2-opencost-e2-idr.json"
            if query.get("pageToken") == [GCP_TOKEN]
            else "page-1-opencost-a2.json"
        )
        body: Any = json.loads((DATA / "gcp-billing" / name).read_text())
    elif request.path.startswith("/v1/services/C7E2-9256-1C43/skus"):  # Vertex AI
        body = json.loads((DATA / "gcp-billing" / "vertex-prediction-skus.json").read_text())
    elif request.path.startswith("/v1/services/95FF-2EF5-5EA1/skus"):  # Cloud Storage
        body = json.loads((DATA / "gcp-billing" / "synthetic-gcs-skus.json").read_text())
    elif request.path == "/api/retail/prices" and "Standard_NC6s_v3" in request.target:
        body = {"Items": [RETIRED_ITEM], "NextPageLink": None, "Count": 1}
    elif request.path == "/api/retail/prices" and "page" not in query:
        body = json.loads((DATA / "azure-retail" / "ace-aks-ultrassd.json").read_text())
        body["NextPageLink"] = f"{request.base_url}/api/retail/prices?page=2"
    elif request.path == "/api/retail/prices":
        item = json.loads((DATA / "azure-retail" / "ms-learn-sample-item.json").read_text())
        body = {"Items": [item], "NextPageLink": None, "Count": 1}
    else:
        return loopback.Response(404, {"message": "not recorded"})
    return loopback.Response(200, body)


RETIRED_ITEM = {  # our own fixture: the meter a retired size may still list
    "currencyCode": "USD",
    "retailPrice": 3.06,
    "armRegionName": "westeurope",
    "meterId": "test-nc6s-v3",
    "meterName": "NC6s v3",
    "productName": "Virtual Machines NCSv3 Series",
    "skuName": "NC6s v3",
    "serviceName": "Virtual Machines",
    "unitOfMeasure": "1 Hour",
    "type": "Consumption",
    "armSkuName": "Standard_NC6s_v3",
}


class Recorded:
    """The request targets (path and query) the running server received, in order."""

    requests: ClassVar[list[str]] = []


@pytest.fixture()
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with loopback.LoopbackServer(recorded_pages) as httpd:
        base = httpd.url
        monkeypatch.setenv("COSTGATE_GCP_BILLING_URL", f"{base}/v1")
        monkeypatch.setenv("COSTGATE_AZURE_PRICES_URL", f"{base}/api/retail/prices")
        monkeypatch.setenv("COSTGATE_GCP_API_KEY", "test-key")
        Recorded.requests = []
        yield base


def a2_fixtures() -> tuple:
    return (
        make_resource(
            "google_compute_instance",
            {"machine_type": "a2-highgpu-1g"},
            region="us-central1",
            address="google_compute_instance.a2",
        ),
        make_resource(
            "google_compute_instance",
            {"machine_type": "a2-highgpu-8g"},
            region="us-east1",
            address="google_compute_instance.a2_8",
        ),
        make_resource(
            "google_compute_instance",
            {"machine_type": "e2-medium"},
            region="us-central1",
            address="google_compute_instance.small",
        ),
    )


def test_gcp_refresh_reproduces_the_shipped_a2_prices(server: str, tmp_path: Path) -> None:
    out = tmp_path / "google.json"
    result = CliRunner().invoke(
        main, ["pricing", "refresh", "gcp", "--regions", "us-central1,us-east1", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert any("key=test-key" in r and "pageToken" not in r for r in Recorded.requests)
    assert any("pageToken=" in r for r in Recorded.requests)  # followed nextPageToken
    # Vertex AI prices A3 only in us-central1 (a coverage warning, nothing else)
    assert [p.location for p in validate_files([out])] == ["vertex"]
    doc = json.loads(out.read_text())
    assert all(p["source"] == "gcp-cloud-billing-catalog-api" and p["as_of"] for p in doc["prices"])
    shipped, refreshed = load_catalog(), load_catalog([out])
    before = price_resources(a2_fixtures(), shipped, usage())
    after = price_resources(a2_fixtures(), refreshed, usage())
    # A2 prices did not change between the shipped catalog and the API: identical pricing
    assert [p.monthly_cost for p in before[:2]] == [p.monthly_cost for p in after[:2]]
    assert after[0].monthly_cost == 730 * D("3.673385")
    # e2-medium comes from IDR SKUs: 1 vCPU (shared core) + 4 GiB, divided by the rate
    e2 = refreshed.price("google", "compute", "e2-medium", "us-central1", "on_demand")
    assert e2 is not None
    # (327.173848364 + 4 x 43.852949780) IDR / 14999.999925 = 0.0335057099998 -> 10 places
    assert e2.price == D("0.03350571")
    assert e2.price.quantize(D("0.00001")) == D("0.03351")  # the autoscaler's rounded price
    # the shipped e2-medium is the dated dump's 0.03350571 (it supersedes the autoscaler's
    # 0.03351), so the API pages reproduce every shipped price they give: the diff lists
    # only the keys the two recorded pages do not cover
    changes = diff_catalogs(REPO / "pricing" / "google", out)
    assert changes and all(c.new is None for c in changes if "/vertex/" not in c.key)
    changed = {c.key for c in changes}
    assert "google/compute/us-central1/e2-medium/on_demand" not in changed
    assert "google/compute/us-central1/a2-highgpu-1g/on_demand" not in changed


def test_azure_refresh_follows_next_page_and_keeps_consumption_meters(
    server: str, tmp_path: Path
) -> None:
    out = tmp_path / "azurerm.json"
    result = refresh_azure(out, "Standard_D2s_v3", "Premium_LRS:P10")
    assert result.exit_code == 0, result.output
    assert any("page=2" in r for r in Recorded.requests)
    assert any("armSkuName+eq+%27Standard_D2s_v3%27" in r for r in Recorded.requests)
    # a disk tier is asked for by the product and SKU names the parser reads back
    disk_filter = "productName eq 'Premium SSD Managed Disks' and skuName eq 'P10 LRS'"
    assert any(urllib.parse.quote_plus(disk_filter) in r for r in Recorded.requests)
    prices = {(p["product"], p["kind"]): p for p in json.loads(out.read_text())["prices"]}
    assert set(prices) == {("Standard_D2s_v3", "on_demand_windows"), ("Premium_LRS:P10", "storage")}
    assert prices[("Standard_D2s_v3", "on_demand_windows")]["price"] == "0.212"
    assert prices[("Premium_LRS:P10", "storage")]["unit"] == "month"
    assert validate_files([out]) == []
    refreshed = load_catalog([out])
    vm = make_resource(
        "azurerm_windows_virtual_machine", {"size": "Standard_D2s_v3"}, region="westeurope"
    )
    linux = make_resource(
        "azurerm_linux_virtual_machine",
        {"size": "Standard_D2s_v3"},
        region="westeurope",
        address="azurerm_linux_virtual_machine.l",
    )
    win, lin = price_resources((vm, linux), refreshed, usage())
    assert win.monthly_cost == 730 * D("0.212")
    # the Linux price was not in the response: unchanged from the shipped catalog
    (shipped_linux,) = price_resources((linux,), load_catalog(), usage())
    assert lin.monthly_cost == shipped_linux.monthly_cost == 730 * D("0.12")


def test_azure_refresh_asks_for_a_zrs_disk_tier_by_its_sku_and_reads_it_back(
    server: str, tmp_path: Path
) -> None:
    result = refresh_azure(tmp_path / "azurerm.json", "StandardSSD_ZRS:E10")
    wanted = "productName eq 'Standard SSD Managed Disks' and skuName eq 'E10 ZRS'"
    assert any(urllib.parse.quote_plus(wanted) in r for r in Recorded.requests), result.output
    zrs_meter = {  # our own item, shaped like the LRS meter of the recorded page
        "retailPrice": 9.6,
        "armRegionName": "westeurope",
        "meterName": "E10 ZRS Disk",
        "productName": "Standard SSD Managed Disks",
        "skuName": "E10 ZRS",
        "serviceName": "Storage",
        "unitOfMeasure": "1/Month",
        "type": "Consumption",
    }
    (found,) = azure_refresh.parse_items([zrs_meter])
    assert (found.service, found.product, found.kind) == ("disk", "StandardSSD_ZRS:E10", "storage")
    assert found.price == D("9.6")


@pytest.mark.parametrize(
    "bad",
    [
        "Premium:P10",
        "Premium_SSD_LRS:P10",
        "Premium_LRS:",
        "Premium_GRS:P10",  # disks are LRS or ZRS
        "Premium_LRS:P10' or serviceName eq 'Storage",  # nothing else reaches the filter
    ],
)
def test_azure_refresh_refuses_a_disk_tier_it_cannot_name(
    server: str, tmp_path: Path, bad: str
) -> None:
    result = refresh_azure(tmp_path / "azurerm.json", bad)
    assert result.exit_code == 2, result.output
    # ("::" is printed escaped: output never carries a GitHub workflow command)
    assert f"--types {bad.rstrip(':')}" in result.output
    assert "expected a managed disk tier as ACCOUNT_TYPE:TIER" in result.output
    assert not (tmp_path / "azurerm.json").exists()


def refresh_azure(out: Path, *types: str) -> Any:
    args = ["pricing", "refresh", "azure", "--regions", "westeurope", "-o", str(out)]
    return CliRunner().invoke(main, [*args, *(a for t in types for a in ("--types", t))])


def test_azure_refresh_skips_a_retired_size_and_names_its_retirement(
    server: str, tmp_path: Path
) -> None:
    shipped = load_catalog(user_files=False)
    assert shipped.product("azurerm", "vm", "Standard_NC6s_v3")["retired"] == "2025-09-30"
    out = tmp_path / "azurerm.json"
    result = refresh_azure(out, "Standard_NC6s_v3", "Standard_D2s_v3")
    assert result.exit_code == 0, result.output
    assert validate_files([out]) == []  # was: "a retired product keeps no price"
    assert "skipping Standard_NC6s_v3: retired on 2025-09-30" in result.output
    assert not any("Standard_NC6s_v3" in r for r in Recorded.requests)  # never asked for
    document = json.loads(out.read_text())
    assert "Standard_NC6s_v3" not in {p["product"] for p in document["prices"]}
    assert "Standard_D2s_v3" in {p["product"] for p in document["prices"]}
    assert not any("retired" in facts for facts in document["products"].values())


def test_azure_refresh_of_only_retired_sizes_exits_2_and_writes_nothing(
    server: str, tmp_path: Path
) -> None:
    out = tmp_path / "azurerm.json"
    result = refresh_azure(out, "Standard_NC6s_v3,Standard_NC12")
    assert result.exit_code == 2, result.output
    assert "every requested azurerm type is retired" in result.output
    assert "Standard_NC6s_v3: retired on 2025-09-30" in result.output
    assert "Standard_NC12: retired on 2023-09-06" in result.output
    assert Recorded.requests == []
    assert not out.exists()


def test_failed_refresh_never_replaces_the_existing_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "azurerm.json"
    target.write_text("previous catalog")
    monkeypatch.setenv("COSTGATE_AZURE_PRICES_URL", "http://127.0.0.1:9/api/retail/prices")
    result = CliRunner().invoke(
        main,
        [
            "pricing",
            "refresh",
            "azure",
            "--regions",
            "eastus",
            "--types",
            "Standard_NC24ads_A100_v4",
            "-o",
            str(target),
        ],
    )
    assert result.exit_code == 2
    assert "cannot reach the Azure Retail Prices API" in result.output
    assert target.read_text() == "previous catalog"
    assert [p.name for p in tmp_path.iterdir()] == ["azurerm.json"]  # no temp file left


def test_gcp_refresh_without_key_exits_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("COSTGATE_GCP_API_KEY", raising=False)
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
    result = CliRunner().invoke(main, ["pricing", "refresh", "gcp", "-o", str(tmp_path / "g.json")])
    assert result.exit_code == 2 and "COSTGATE_GCP_API_KEY" in result.output
    assert not (tmp_path / "g.json").exists()


def test_refresh_for_an_unknown_type_writes_nothing(server: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["pricing", "refresh", "gcp", "--types", "zz-huge-1", "-o", str(tmp_path / "g.json")]
    )
    assert result.exit_code == 2 and "found no google prices" in result.output
    assert not (tmp_path / "g.json").exists()


def test_default_output_is_the_user_catalog_dir_loaded_by_every_run(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("COSTGATE_CATALOG_DIR", raising=False)
    result = CliRunner().invoke(
        main,
        ["pricing", "refresh", "azure", "--regions", "westeurope", "--types", "Standard_D2s_v3"],
    )
    assert result.exit_code == 0, result.output
    written = tmp_path / "costgate" / "pricing" / "azurerm.json"
    assert written.is_file()
    entry = load_catalog().price(
        "azurerm", "vm", "Standard_D2s_v3", "westeurope", "on_demand_windows"
    )
    assert entry is not None and entry.file == str(written)


# --------------------------------------------------------------------------- AWS (Stubber)


def _price_list(instance_type: str, region: str, usd: str) -> str:
    """A Price List product document in the AWS format (JSON string, as GetProducts returns)."""
    return json.dumps(
        {
            "product": {
                "productFamily": "Compute Instance",
                "sku": "8Q5N7JFM9EXBM2FQ",
                "attributes": {
                    "instanceType": instance_type,
                    "regionCode": region,
                    "operatingSystem": "Linux",
                    "tenancy": "Shared",
                    "preInstalledSw": "NA",
                    "capacitystatus": "Used",
                    "servicecode": "AmazonEC2",
                },
            },
            "serviceCode": "AmazonEC2",
            "terms": {
                "OnDemand": {
                    "8Q5N7JFM9EXBM2FQ.JRTCKXETXF": {
                        "offerTermCode": "JRTCKXETXF",
                        "sku": "8Q5N7JFM9EXBM2FQ",
                        "effectiveDate": "2026-07-01T00:00:00Z",
                        "termAttributes": {},
                        "priceDimensions": {
                            "8Q5N7JFM9EXBM2FQ.JRTCKXETXF.6YS6EN2CT7": {
                                "unit": "Hrs",
                                "endRange": "Inf",
                                "beginRange": "0",
                                "rateCode": "8Q5N7JFM9EXBM2FQ.JRTCKXETXF.6YS6EN2CT7",
                                "appliesTo": [],
                                "description": f"${usd} per On Demand Linux {instance_type} "
                                "Instance Hour",
                                "pricePerUnit": {"USD": usd},
                            }
                        },
                    }
                }
            },
            "version": "20260701000000",
            "publicationDate": "2026-07-01T00:00:00Z",
        }
    )


def test_aws_refresh_with_stubber_pages_and_spot_history(tmp_path: Path) -> None:
    import boto3
    from botocore.stub import ANY, Stubber

    session = boto3.session.Session(
        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret", region_name="us-east-1"
    )
    pricing, ec2 = session.client("pricing"), session.client("ec2", region_name="us-east-1")
    stub_pricing, stub_ec2 = Stubber(pricing), Stubber(ec2)
    stub_pricing.add_response(
        "get_products",
        {"FormatVersion": "aws_v1", "PriceList": [], "NextToken": "page-2"},
        {"ServiceCode": "AmazonEC2", "Filters": ANY},
    )
    stub_pricing.add_response(
        "get_products",
        {
            "FormatVersion": "aws_v1",
            "PriceList": [_price_list("p4d.24xlarge", "us-east-1", "21.9576420000")],
        },
        {"ServiceCode": "AmazonEC2", "Filters": ANY, "NextToken": "page-2"},
    )
    now = dt.datetime(2026, 11, 25, 12, tzinfo=dt.timezone.utc)
    stub_ec2.add_response(
        "describe_spot_price_history",
        {
            "SpotPriceHistory": [
                {
                    "AvailabilityZone": "us-east-1a",
                    "InstanceType": "p4d.24xlarge",
                    "ProductDescription": "Linux/UNIX",
                    "SpotPrice": "9.100000",
                    "Timestamp": now,
                },
                {
                    "AvailabilityZone": "us-east-1b",
                    "InstanceType": "p4d.24xlarge",
                    "ProductDescription": "Linux/UNIX",
                    "SpotPrice": "8.500000",
                    "Timestamp": now,
                },
                {
                    "AvailabilityZone": "us-east-1a",
                    "InstanceType": "p4d.24xlarge",
                    "ProductDescription": "Linux/UNIX",
                    "SpotPrice": "12.0",
                    "Timestamp": now - dt.timedelta(hours=3),
                },
            ]
        },
        {
            "InstanceTypes": ["p4d.24xlarge"],
            "ProductDescriptions": ["Linux/UNIX"],
            "StartTime": now,
        },
    )
    stub_ec2.add_response(  # p4d is sold as Capacity Blocks; no offering this time
        "describe_capacity_block_offerings",
        {"CapacityBlockOfferings": []},
        {"InstanceType": "p4d.24xlarge", "InstanceCount": 1, "CapacityDurationHours": 24},
    )
    clients = {"pricing": pricing, "ec2": ec2}
    with stub_pricing, stub_ec2:
        fetched = aws_refresh.fetch(
            Request(("us-east-1",), ("p4d.24xlarge",)),
            lambda service, _region: clients[service],
            now=now,
        )
    stub_pricing.assert_no_pending_responses()
    stub_ec2.assert_no_pending_responses()
    assert {f.kind for f in fetched} == {"on_demand", "spot"}
    shipped = load_catalog()
    doc = build_document(
        "aws",
        fetched,
        aws_refresh.SOURCE_ID,
        "https://api.pricing.us-east-1.amazonaws.com",
        aws_refresh.DESCRIPTION,
        shipped,
        now.date(),
    )
    out = tmp_path / "aws.json"
    write_catalog(doc, out)
    assert validate_files([out]) == []
    refreshed = load_catalog([out])
    od = refreshed.price("aws", "ec2", "p4d.24xlarge", "us-east-1", "on_demand")
    spot = refreshed.price("aws", "ec2", "p4d.24xlarge", "us-east-1", "spot")
    assert od is not None and od.price == D("21.957642") and od.as_of == "2026-11-25"
    # latest price per AZ (the 3-hour-old 12.0 is superseded), highest AZ wins
    assert spot is not None and spot.price == D("9.1")
    vm = make_resource("aws_instance", {"instance_type": "p4d.24xlarge"})
    (before,) = price_resources((vm,), shipped, usage())
    (after,) = price_resources((vm,), refreshed, usage())
    root = 8 * D("0.1")  # the AMI's root volume, assumed 8 GB gp2
    assert before.monthly_cost == after.monthly_cost == 730 * D("21.957642") + root


def test_aws_refresh_without_credentials_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    result = CliRunner().invoke(
        main,
        [
            "pricing",
            "refresh",
            "aws",
            "--regions",
            "us-east-1",
            "--types",
            "p4d.24xlarge",
            "-o",
            str(tmp_path / "a.json"),
        ],
    )
    assert result.exit_code == 2 and "no AWS credentials" in result.output
    assert not (tmp_path / "a.json").exists()
