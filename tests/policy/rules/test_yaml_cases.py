"""Rule cases as data (sqlfluff-style): `cases/<rule-name>.yml`, one test id `<rule>-<case>`.

A file is `rule: <name>` plus named `cases:`; each case has `resources:` (see
tests/helpers/yaml_cases.py), optional `options:`, `usage:` (per address) and `base:` (the
BASE stack for diff rules: `resources` is then HEAD), and `expect:`, the findings as
{resource, message_contains}, matched one to one; `expect: []` is a passing case.
Run one rule's cases with `pytest -k required-tags`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from costgate.diff import diff_stacks
from costgate.policy.rules import ALL_RULES, RULES
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.helpers.yaml_cases import YamlCase, build_resources, build_usage, load_cases
from tests.policy.helpers import run_rule

CASES_DIR = Path(__file__).parent / "cases"
CASE_KEYS = {"resources", "options", "usage", "base", "expect"}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "rule_case" in metafunc.fixturenames:
        cases = load_cases(CASES_DIR)
        metafunc.parametrize("rule_case", cases, ids=[c.id for c in cases])


def _rule_of(case: YamlCase) -> str:
    return str(yaml.safe_load(case.file.read_text())["rule"])


def test_rule_case(rule_case: YamlCase, catalog: Catalog) -> None:
    body = rule_case.body
    assert set(body) <= CASE_KEYS, f"unknown keys {sorted(set(body) - CASE_KEYS)}"
    rule = RULES[_rule_of(rule_case)]
    assert rule_case.file.stem == rule.name
    resources = build_resources(body.get("resources"))
    use = build_usage(body.get("usage"))
    diff = None
    if "base" in body:
        base = price_resources(tuple(build_resources(body["base"])), catalog, use)
        diff = diff_stacks(base, price_resources(tuple(resources), catalog, use))
    found = run_rule(
        rule.name, resources, catalog, options=body.get("options"), usage=use, diff=diff
    )
    got = [(f.resource, f.message) for f in found]
    assert all(f.id == rule.id for f in found), got
    expected: list[dict[str, Any]] = body["expect"]
    assert len(found) == len(expected), f"expected {len(expected)} findings, got {got}"
    unmatched = list(got)
    for want in expected:
        match = next(
            (
                g
                for g in unmatched
                if g[0] == want.get("resource") and want["message_contains"] in g[1]
            ),
            None,
        )
        assert match is not None, f"no finding like {want} in {got}"
        unmatched.remove(match)


def _clouds(case: YamlCase) -> set[str]:
    specs = [*(case.body.get("resources") or []), *(case.body.get("base") or [])]
    return {spec["type"].split("_", 1)[0] for spec in specs}


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.name)
def test_every_rule_has_a_passing_and_a_failing_case_per_cloud(rule: Any) -> None:
    path = CASES_DIR / f"{rule.name}.yml"
    assert path.is_file(), f"{rule.name}: no {path.relative_to(CASES_DIR.parent)}"
    assert _rule_of(YamlCase(path, "", {})) == rule.name
    cases = [c for c in load_cases(CASES_DIR) if c.file == path]
    for cloud in rule.clouds:
        mine = [c for c in cases if _clouds(c) == {cloud}]
        assert any(c.body["expect"] == [] for c in mine), f"{rule.name}: no passing {cloud} case"
        assert any(c.body["expect"] for c in mine), f"{rule.name}: no failing {cloud} case"
