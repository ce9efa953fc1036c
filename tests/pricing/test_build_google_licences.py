"""The pricing.yml reader's premium OS licence table (`compute.license`): one worldwide rate
per machine type and OS, read for the machine types the catalog prices."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from costgate.pricing.build import Dump, Known, gcp_cyclenerd_pricing_yml

YML = """
compute:
  instance:
    a3-highgpu-8g:
      cost:
        us-central1:
          hour: 88.49
      cpu: 208
      ram: 1872
  license:
    a3-highgpu-8g:
      cost:
        windows:
          hour: 9.568
          month: 6984.64
        rhel-sap:
          hour: 3.12
    n1-standard-8:
      cost:
        sles-sap:
          hour: 0.41
          month_1y: 119.939
        rhel:
          hour: 0
    c3-standard-4:
      cost:
        windows:
          hour: 0.184
"""


def dump(licenses: bool) -> Dump:
    return Dump(
        id="fixture-gcp",
        provider="google",
        reader="gcp-cyclenerd-pricing-yml",
        repository="Cyclenerd/google-cloud-pricing-cost-calculator",
        commit="fd66b26ff84fee5cdd94f341ea89206e76c06b99",
        path="pricing.yml",
        data_date="2026-07-30",
        description="pricing.yml.",
        options={"families": ["a3"], "licenses": licenses},
    )


def test_licences_of_priced_and_known_machine_types(tmp_path: Path) -> None:
    path = tmp_path / "pricing.yml"
    path.write_text(YML, encoding="utf-8")
    known = Known(frozenset({("compute", "n1-standard-8")}))
    read = gcp_cyclenerd_pricing_yml(path, dump(True), known)
    got = {
        (p.product, p.region, p.kind, p.unit): p.price
        for p in read.prices
        if p.service == "license"
    }
    # a3 priced by this dump, n1-standard-8 known to the catalog; c3 neither: left out.
    # A zero rate is not a price; `rhel-sap` is spelt `rhel_sap` (kinds are [a-z0-9_]).
    assert got == {
        ("a3-highgpu-8g", "global", "windows", "hour"): Decimal("9.568"),
        ("a3-highgpu-8g", "global", "rhel_sap", "hour"): Decimal("3.12"),
        ("n1-standard-8", "global", "sles_sap", "hour"): Decimal("0.41"),
    }
    notes = {p.note for p in read.prices if p.service == "license"}
    assert "pricing.yml @fd66b26f: compute.license.a3-highgpu-8g.cost.windows.hour" in notes


def test_licences_only_with_the_option(tmp_path: Path) -> None:
    path = tmp_path / "pricing.yml"
    path.write_text(YML, encoding="utf-8")
    read = gcp_cyclenerd_pricing_yml(path, dump(False), Known(frozenset()))
    assert not [p for p in read.prices if p.service == "license"]
