"""Pricer cases as data: `cases/<resource_type>.yml`, one test id `<resource_type>-<case>`.

A file is `resource_type: <type>` plus named `cases:`; each case has `resources:` (see
tests/helpers/yaml_cases.py; the first resource of the file's type is the one checked,
unless `address:` names another), optional `usage:` (per address) and `overhead:` (the spot
interruption overhead, default 0.05), and `expect:`, every cost line as name, quantity,
unit, unit_price and a hand-computed monthly. The runner prices with the real engine and
the shipped catalog, compares each line and checks quantity x unit_price == monthly, so
each figure is checked by hand rather than copied from the output.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import usage
from tests.helpers.yaml_cases import YamlCase, build_resources, decimals, load_cases

CASES_DIR = Path(__file__).parent / "cases"
CASE_KEYS = {"resources", "usage", "overhead", "address", "expect"}
LINE_KEYS = {"name", "quantity", "unit", "unit_price", "monthly"}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "pricer_case" in metafunc.fixturenames:
        cases = load_cases(CASES_DIR)
        metafunc.parametrize("pricer_case", cases, ids=[c.id for c in cases])


def test_pricer_case(pricer_case: YamlCase, catalog: Catalog) -> None:
    body = pricer_case.body
    assert set(body) <= CASE_KEYS, f"unknown keys {sorted(set(body) - CASE_KEYS)}"
    resource_type = yaml.safe_load(pricer_case.file.read_text())["resource_type"]
    assert pricer_case.file.stem == resource_type
    resources = build_resources(body["resources"])
    address = body.get("address") or next(r.address for r in resources if r.type == resource_type)
    use = usage(decimals(body.get("usage") or {}), overhead=str(body.get("overhead", "0.05")))
    priced = {p.resource.address: p for p in price_resources(tuple(resources), catalog, use)}
    got = priced[address]
    assert got.priced, got.unpriced_reason
    expected = [decimals(line) for line in body["expect"]]
    assert expected, "a pricer case lists its cost lines"
    for line in expected:
        assert set(line) == LINE_KEYS, f"a line needs exactly {sorted(LINE_KEYS)}: {line}"
        assert line["quantity"] * line["unit_price"] == line["monthly"], f"hand sum: {line}"
    actual = [
        {
            "name": c.name,
            "quantity": c.quantity,
            "unit": c.unit,
            "unit_price": c.unit_price,
            "monthly": c.monthly_cost,
        }
        for c in got.cost_lines
    ]
    assert actual == expected
    assert got.monthly_cost == sum((line["monthly"] for line in expected), Decimal(0))
