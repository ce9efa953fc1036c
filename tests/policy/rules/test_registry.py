"""Every registered rule is documented, uniquely identified and tested on each cloud it covers.

Adding a rule means one module in `costgate/policy/rules/`, a line in its `ALL_RULES`,
and `tests/policy/rules/test_<module>.py` with a `CASES` table this test runs.
"""

from __future__ import annotations

import importlib
import inspect
import re

import jsonschema
import pytest

from costgate.diff import diff_stacks
from costgate.policy.rules import ALL_RULES, RULES
from costgate.policy.rules.base import Rule
from costgate.pricing.catalog import Catalog
from costgate.pricing.engine import price_resources
from tests.conftest import usage
from tests.policy.helpers import Case, run_rule


def test_ids_and_names_are_unique_and_well_formed() -> None:
    ids = [r.id for r in ALL_RULES]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"CG\d{3}", i) for i in ids)
    assert len(RULES) == len(ALL_RULES)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", r.name) for r in ALL_RULES)
    assert "CG900" not in ids  # reserved for exemption findings


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.name)
def test_docstring_documents_why_bad_and_good(rule: type[Rule]) -> None:
    doc = inspect.getdoc(rule) or ""
    for section in ("Why:", "Bad:", "Good:"):
        assert f"\n{section}" in f"\n{doc}", f"{rule.name} docstring lacks {section}"
    assert rule.summary and rule.summary.endswith(".")
    jsonschema.validators.validator_for(rule.options_schema).check_schema(rule.options_schema)


def _cases(rule: type[Rule]) -> dict[str, Case]:
    module = rule.__module__.rsplit(".", 1)[1]
    tests = importlib.import_module(f"tests.policy.rules.test_{module}")
    return tests.CASES


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.name)
def test_each_cloud_has_a_passing_and_a_failing_case(rule: type[Rule], catalog: Catalog) -> None:
    cases = _cases(rule)
    assert set(cases) == set(rule.clouds), f"{rule.name}: cases for {sorted(cases)}"
    for cloud, case in cases.items():
        diffs = {}
        if case.base is not None:
            base = price_resources(tuple(case.base), catalog, usage())
            for side in ("passing", "failing"):
                head = price_resources(tuple(getattr(case, side)), catalog, usage())
                diffs[side] = diff_stacks(base, head)
        assert all(r.provider == cloud for r in case.failing), cloud
        passing = run_rule(
            rule.name, case.passing, catalog, options=case.options, diff=diffs.get("passing")
        )
        failing = run_rule(
            rule.name, case.failing, catalog, options=case.options, diff=diffs.get("failing")
        )
        assert passing == [], f"{rule.name} on {cloud}: {passing}"
        assert failing and all(f.id == rule.id for f in failing), f"{rule.name} on {cloud}"
