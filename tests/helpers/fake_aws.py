"""A fake AWS Price List Query API and EC2 API for `costgate pricing refresh aws`, served by
`LoopbackServer` on 127.0.0.1: boto3 clients reach it through `AWS_ENDPOINT_URL_PRICING` /
`AWS_ENDPOINT_URL_EC2`, so requests and responses go through botocore's real serializers
and parsers.

Wire formats, as AWS documents them:
- Price List Query API: JSON 1.1, `POST /` with `X-Amz-Target:
  AWSPriceListService.GetProducts`, body `{"ServiceCode", "Filters", "NextToken"}`; the answer
  is `{"FormatVersion": "aws_v1", "PriceList": [<product JSON as a string>], "NextToken"}`
  (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_pricing_GetProducts.html,
  whose example botocore ships as `pricing/2017-10-15/examples-1.json`). A product is
  `{"product": {"productFamily", "attributes", "sku"}, "serviceCode", "terms": {"OnDemand":
  {<sku.offerTermCode>: {"priceDimensions": {<rateCode>: {"unit", "pricePerUnit": {"USD"}}}}}}}`.
- EC2: the query protocol, `POST /` form-encoded `Action=...&Version=2016-11-15`, answered in
  XML: `DescribeSpotPriceHistoryResponse/spotPriceHistorySet/item`
  (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSpotPriceHistory.html)
  and `DescribeCapacityBlockOfferingsResponse/capacityBlockOfferingSet/item` with the
  CapacityBlockOffering members
  (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeCapacityBlockOfferings.html,
  https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CapacityBlockOffering.html);
  errors are `<Response><Errors><Error><Code>`.

Every price and fee below is TEST DATA chosen for easy hand arithmetic, not an AWS price.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from tests.helpers.loopback import Request, Response

EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/"
JSON_11 = "application/x-amz-json-1.1"


def product(
    sku: str,
    usd: str,
    attributes: Mapping[str, str],
    *,
    family: str,
    service: str,
    unit: str = "Hrs",
) -> str:
    """One Price List product document (a JSON string, as GetProducts returns it)."""
    rate = f"{sku}.JRTCKXETXF.6YS6EN2CT7"
    return json.dumps(
        {
            "product": {
                "productFamily": family,
                "attributes": {"servicecode": service, **attributes},
                "sku": sku,
            },
            "serviceCode": service,
            "terms": {
                "OnDemand": {
                    f"{sku}.JRTCKXETXF": {
                        "priceDimensions": {
                            rate: {
                                "unit": unit,
                                "endRange": "Inf",
                                "description": f"TEST DATA ${usd} per {unit}",
                                "appliesTo": [],
                                "rateCode": rate,
                                "beginRange": "0",
                                "pricePerUnit": {"USD": usd},
                            }
                        },
                        "sku": sku,
                        "effectiveDate": "2026-12-01T00:00:00Z",
                        "offerTermCode": "JRTCKXETXF",
                        "termAttributes": {},
                    }
                }
            },
            "version": "20261201000000",
            "publicationDate": "2026-12-01T00:00:00Z",
        }
    )


def sagemaker(usagetype: str, usd: str, component: str, *, unit: str = "Hrs") -> str:
    """An AmazonSageMaker ML Instance product in us-east-1 (`USE1-<usage>:<instance>`)."""
    instance = usagetype.split(":", 1)[1]
    return product(
        f"SM{zlib.crc32(usagetype.encode()):010d}",
        usd,
        {
            "usagetype": usagetype,
            "instanceName": instance,
            "component": component,
            "regionCode": "us-east-1",
            "location": "US East (N. Virginia)",
            "locationType": "AWS Region",
            "operation": "RunInstance",
        },
        family="ML Instance",
        service="AmazonSageMaker",
        unit=unit,
    )


def sagemaker_storage(usagetype: str, usd: str) -> str:
    """An AmazonSageMaker Storage product (ML storage volume, per GB-Mo) in us-east-1."""
    return product(
        f"SV{zlib.crc32(usagetype.encode()):010d}",
        usd,
        {
            "usagetype": usagetype,
            "regionCode": "us-east-1",
            "location": "US East (N. Virginia)",
            "locationType": "AWS Region",
            "volumeType": "General Purpose",
        },
        family="Storage",
        service="AmazonSageMaker",
        unit="GB-Mo",
    )


def ec2_linux(instance_type: str, usd: str) -> str:
    """An AmazonEC2 Linux shared-tenancy Compute Instance product in us-east-1."""
    return product(
        f"EC{zlib.crc32(instance_type.encode()):010d}",
        usd,
        {
            "instanceType": instance_type,
            "regionCode": "us-east-1",
            "operatingSystem": "Linux",
            "tenancy": "Shared",
            "preInstalledSw": "NA",
            "capacitystatus": "Used",
            "usagetype": f"BoxUsage:{instance_type}",
        },
        family="Compute Instance",
        service="AmazonEC2",
    )


def xml(action: str, body: str) -> Response:
    """An EC2 query-protocol answer."""
    text = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<{action}Response xmlns="{EC2_NS}">'
        f"<requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>{body}</{action}Response>"
    )
    return Response(200, text.encode(), content_type="text/xml;charset=UTF-8")


def items(set_name: str, rows: Sequence[Mapping[str, str]]) -> str:
    """`<set_name><item><k>v</k>...</item>...</set_name>`."""
    inner = "".join(
        "<item>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in row.items()) + "</item>"
        for row in rows
    )
    return f"<{set_name}>{inner}</{set_name}>"


def ec2_error(code: str, message: str) -> Response:
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
        f"<Code>{code}</Code><Message>{escape(message)}</Message></Error></Errors>"
        "<RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>"
    )
    return Response(400, text.encode(), content_type="text/xml;charset=UTF-8")


@dataclass
class FakeAws:
    """Recorded answers by request: GetProducts pages by (service code, filter values) and
    EC2 answers by (action, instance type)."""

    products: dict[tuple[str, frozenset[tuple[str, str]]], list[list[str]]] = field(
        default_factory=dict
    )
    ec2: dict[tuple[str, str], Response] = field(default_factory=dict)
    calls: list[tuple[str, Any]] = field(default_factory=list)

    def __call__(self, request: Request) -> Response:
        target = request.headers.get("x-amz-target", "")
        if target == "AWSPriceListService.GetProducts":
            return self._get_products(request.json())
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        self.calls.append((form.get("Action", "?"), form))
        key = (form.get("Action", ""), form.get("InstanceType", form.get("InstanceType.1", "")))
        answer = self.ec2.get(key)
        if answer is None:
            return ec2_error("InvalidAction", f"not recorded: {key}")
        return answer

    def _get_products(self, body: dict[str, Any]) -> Response:
        self.calls.append(("GetProducts", body))
        filters = frozenset((f["Field"], f["Value"]) for f in body.get("Filters", []))
        pages = next(
            (
                pages
                for (code, wanted), pages in self.products.items()
                if code == body["ServiceCode"] and wanted <= filters
            ),
            [[]],
        )
        index = int(body.get("NextToken", "0"))
        answer: dict[str, Any] = {"FormatVersion": "aws_v1", "PriceList": pages[index]}
        if index + 1 < len(pages):
            answer["NextToken"] = str(index + 1)
        return Response(200, answer, content_type=JSON_11)


def use_fake_aws(monkeypatch: Any, url: str, home: Path) -> None:
    """Dummy credentials, no shared config or instance metadata, and boto3's Price List and
    EC2 endpoints pointed at the fake served at *url* (boto3's standard
    `AWS_ENDPOINT_URL_<SERVICE>` variables)."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "AKIDTESTTESTTESTTEST",
        "AWS_SECRET_ACCESS_KEY": "test-secret-not-a-real-key",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL_PRICING": url,
        "AWS_ENDPOINT_URL_EC2": url,
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "none"),
        "AWS_CONFIG_FILE": str(home / "none"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
