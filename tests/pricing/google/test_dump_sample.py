"""A sample of shipped Compute Engine prices against the dump they were built from.

Each row is (machine type, region, field, value) as written in Cyclenerd's pricing.yml at
commit fd66b26ff84f (generated 2026-07-30 from the Cloud Billing Catalog API); `hour` is the
on-demand list price, `hour_spot` the Spot price. The rows were drawn at random (seed 15)
across the families the build reads, so a rebuild that misreads the file, or a hand edit of
google.json, fails here.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from costgate.pricing.catalog import Catalog
from costgate.pricing.refresh import PRICE_STEP

DUMP = "gcp-cyclenerd-pricing-2026-07-30"

SAMPLE = [
    ("n1-highcpu-96", "africa-south1", "hour", "3.7409184"),
    ("n1-highcpu-96", "africa-south1", "hour_spot", "0.3366816"),
    ("n1-standard-2", "asia-east2", "hour", "0.132922"),
    ("n1-standard-2", "asia-east2", "hour_spot", "0.02861"),
    ("n1-highcpu-8", "europe-southwest1", "hour", "0.334405392"),
    ("n1-highcpu-8", "europe-southwest1", "hour_spot", "0.0302072"),
    ("n1-highcpu-16", "asia-northeast1", "hour", "0.7279216"),
    ("n1-highcpu-16", "asia-northeast1", "hour_spot", "0.2419344"),
    ("n2-standard-96", "asia-southeast2", "hour", "6.26824992"),
    ("n2-standard-96", "asia-southeast2", "hour_spot", "3.2736"),
    ("n2-standard-80", "europe-west9", "hour", "4.5062752"),
    ("n2-standard-80", "europe-west9", "hour_spot", "1.1136"),
    ("n2-highcpu-80", "asia-south2", "hour", "3.44464"),
    ("n2-highcpu-80", "asia-south2", "hour_spot", "0.31024"),
    ("n2-highmem-16", "southamerica-east1", "hour", "1.66368"),
    ("n2-highmem-16", "southamerica-east1", "hour_spot", "0.337472"),
    ("n2d-standard-2", "europe-west8", "hour", "0.09801072"),
    ("n2d-standard-2", "europe-west8", "hour_spot", "0.017384"),
    ("n2d-highcpu-8", "me-central2", "hour", "0.3992064"),
    ("n2d-highcpu-8", "me-central2", "hour_spot", "0.061784"),
    ("n2d-highcpu-8", "europe-west8", "hour", "0.28942464"),
    ("n2d-highcpu-8", "europe-west8", "hour_spot", "0.051344"),
    ("n2d-highcpu-64", "europe-north1", "hour", "2.197696"),
    ("n2d-highcpu-64", "europe-north1", "hour_spot", "0.743168"),
    ("e2-small", "europe-west3", "hour", "0.02158389"),
    ("e2-small", "europe-west3", "hour_spot", "0.010483"),
    ("e2-highmem-4", "europe-west2", "hour", "0.23292744"),
    ("e2-highmem-4", "europe-west2", "hour_spot", "0.073848"),
    ("e2-standard-8", "me-central2", "hour", "0.428873056"),
    ("e2-standard-8", "me-central2", "hour_spot", "0.222944"),
    ("e2-highmem-4", "us-east5", "hour", "0.18079932"),
    ("e2-highmem-4", "us-east5", "hour_spot", "0.062728"),
    ("c2-standard-60", "me-central2", "hour", "5.011392"),
    ("c2-standard-60", "me-central2", "hour_spot", "0.45084"),
    ("c2-standard-60", "asia-northeast3", "hour", "4.01784"),
    ("c2-standard-60", "asia-northeast3", "hour_spot", "0.8658"),
    ("c2-standard-60", "us-east5", "hour", "3.13212"),
    ("c2-standard-60", "us-east5", "hour_spot", "0.41004"),
    ("c2-standard-4", "northamerica-northeast1", "hour", "0.229872"),
    ("c2-standard-4", "northamerica-northeast1", "hour_spot", "0.049024"),
    ("m1-ultramem-40", "us-west4", "hour", "7.1038792"),
    ("m1-ultramem-40", "us-west4", "hour_spot", "0.638998"),
    ("m1-ultramem-80", "me-central1", "hour", "15.292233"),
    ("m1-ultramem-80", "me-central1", "hour_spot", "1.386564"),
    ("m1-megamem-96", "southamerica-east1", "hour", "16.09792"),
    ("m1-megamem-96", "southamerica-east1", "hour_spot", "1.7375616"),
    ("m1-megamem-96", "europe-central2", "hour", "13.09178752"),
    ("m1-megamem-96", "europe-central2", "hour_spot", "1.1771904"),
    ("m2-megamem-416", "us-east1", "hour", "50.291328"),
    ("m2-megamem-416", "us-west2", "hour", "57.6775504"),
    ("m2-hypermem-416", "europe-west12", "hour", "82.670000064"),
    ("m2-ultramem-416", "asia-southeast2", "hour", "108.150683424"),
    ("f1-micro", "asia-south2", "hour", "0.0091"),
    ("f1-micro", "asia-south2", "hour_spot", "0.000978"),
    ("f1-micro", "asia-northeast1", "hour", "0.0092"),
    ("f1-micro", "asia-northeast1", "hour_spot", "0.000828"),
    ("f1-micro", "northamerica-northeast1", "hour", "0.0084"),
    ("f1-micro", "northamerica-northeast1", "hour_spot", "0.000806"),
    ("f1-micro", "europe-west9", "hour", "0.008816"),
    ("f1-micro", "europe-west9", "hour_spot", "0.003664"),
    ("g1-small", "australia-southeast1", "hour", "0.0357"),
    ("g1-small", "australia-southeast1", "hour_spot", "0.003488"),
    ("g1-small", "asia-northeast3", "hour", "0.0322"),
    ("g1-small", "asia-northeast3", "hour_spot", "0.005927"),
    ("g1-small", "europe-west12", "hour", "0.0324"),
    ("g1-small", "europe-west12", "hour_spot", "0.002996"),
    ("a2-ultragpu-1g", "me-central1", "hour", "6.15858929684932"),
    ("a2-ultragpu-1g", "me-central1", "hour_spot", "0.823029589041096"),
    ("a2-ultragpu-4g", "europe-west6", "hour", "28.347790630137"),
    ("a2-ultragpu-4g", "europe-west6", "hour_spot", "3.52474082191781"),
    ("a2-ultragpu-4g", "asia-northeast2", "hour", "26.026042630137"),
    ("a2-ultragpu-4g", "asia-northeast2", "hour_spot", "3.23157589041096"),
    ("a2-megagpu-16g", "us-central1", "hour_spot", "29.25568"),
    ("a3-highgpu-2g", "asia-south2", "hour", "26.5711598739726"),
    ("a3-highgpu-2g", "asia-south2", "hour_spot", "7.78005797260274"),
    ("a3-highgpu-8g", "me-central1", "hour", "107.515357405589"),
    ("a3-highgpu-8g", "me-central1", "hour_spot", "9.81136942465753"),
    ("a3-highgpu-8g", "africa-south1", "hour", "115.542415126575"),
    ("a3-highgpu-8g", "africa-south1", "hour_spot", "12.6208381369863"),
    ("a3-highgpu-4g", "asia-northeast3", "hour", "56.824623316274"),
    ("a3-highgpu-4g", "asia-northeast3", "hour_spot", "18.1200284931507"),
    ("g2-standard-4", "asia-northeast2", "hour", "0.907714004"),
    ("g2-standard-4", "asia-northeast2", "hour_spot", "0.0906"),
    ("g2-standard-12", "northamerica-northeast2", "hour", "1.101558412"),
    ("g2-standard-12", "northamerica-northeast2", "hour_spot", "0.592432"),
    ("g2-standard-12", "europe-west10", "hour", "1.38147256"),
    ("g2-standard-12", "europe-west10", "hour_spot", "0.179196"),
    ("g2-standard-24", "us-central1", "hour_spot", "1.124816"),
]
KINDS = {"hour": "on_demand", "hour_spot": "spot"}


@pytest.mark.parametrize(("machine", "region", "field", "value"), SAMPLE)
def test_shipped_price_is_the_dump_value(
    catalog: Catalog, machine: str, region: str, field: str, value: str
) -> None:
    entry = catalog.price("google", "compute", machine, region, KINDS[field])
    assert entry is not None, f"{machine} {region} {field} not shipped"
    assert entry.price == Decimal(value).quantize(PRICE_STEP).normalize()
    assert (entry.source, entry.as_of) == (DUMP, "2026-07-30")


def test_hand_checked_against_googles_pages(catalog: Catalog) -> None:
    # Google's sustained-use discount page prices n1-standard-1 at $0.0475/h (us-central1);
    # the dump's 0.04749975 (which supersedes the autoscaler's rounded 0.0475) rounds to it
    n1 = catalog.price("google", "compute", "n1-standard-1", "us-central1", "on_demand")
    assert n1 is not None and n1.price == Decimal("0.04749975")
    assert n1.source == DUMP and n1.price.quantize(Decimal("0.0001")) == Decimal("0.0475")
    # local SSD $0.080 per GB-month in us-central1 (Compute Engine disk pricing)
    ssd = catalog.price("google", "disk", "local-ssd", "us-central1", "storage")
    assert ssd is not None and ssd.price == Decimal("0.08")
