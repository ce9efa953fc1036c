"""Format-specific guarantees: SARIF schema, JUnit XML, annotation escaping, comment size."""

from __future__ import annotations

import inspect
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from costgate.model import (
    Action,
    CostDiff,
    CostLine,
    Exemption,
    Finding,
    PricedResource,
    Report,
    ResourceDelta,
    Severity,
    SourceLocation,
)
from costgate.policy.rules import ALL_RULES, rule_catalog
from costgate.report import github, junit, markdown, sarif
from tests.conftest import REPO, make_resource

SARIF_SCHEMA = json.loads((REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
GOLDEN = Path(__file__).parent / "golden"
TF = "infra/main.tf"


def priced(
    address: str,
    cost: str,
    *,
    project: str | None = None,
    line: int | None = None,
    action: Action = Action.CREATE,
    unpriced: str | None = None,
    lines: int = 1,
) -> PricedResource:
    tags = {"project": project} if project else {}
    resource = make_resource(
        "aws_instance",
        {"instance_type": "m5.large", "tags": tags},
        address=address,
        tags=tags,
        action=action,
    )
    resource = replace(resource, source=SourceLocation(TF, line))
    if unpriced:
        return PricedResource(resource, unpriced_reason=unpriced)
    per_line = Decimal(cost) / lines
    cost_lines = tuple(
        CostLine(address, f"Instance usage part {i}", "hour", Decimal(730), per_line / 730)
        for i in range(lines)
    )
    return PricedResource(resource, cost_lines)


def finding(
    rule: str,
    rule_id: str,
    severity: Severity,
    resource: str | None,
    message: str,
    *,
    line: int | None = None,
    exemption: Exemption | None = None,
) -> Finding:
    return Finding(
        rule=rule,
        id=rule_id,
        severity=severity,
        resource=resource,
        message=message,
        remediation="tag it",
        monthly_cost=Decimal("10"),
        location=SourceLocation(TF, line) if resource else None,
        exemption=exemption,
    )


NASTY = "tag owner='a,b: 50%' \n::set-env name=X::pwned <!-- hidden --> | *bold*"


@pytest.fixture
def report() -> Report:
    resources = (
        priced("aws_instance.a", "100", project="llm", line=3),
        priced("aws_instance.b", "50", project="vision", line=12),
        priced("aws_instance.c", "25", line=20),
        priced("aws_instance.gpu", "0", unpriced="type not in catalog: p9.huge", line=30),
    )
    findings = (
        finding("required-tags", "CG301", Severity.ERROR, "aws_instance.c", NASTY, line=20),
        finding("required-tags", "CG301", Severity.WARNING, "aws_instance.b", "tag style", line=12),
        finding(
            "required-tags",
            "CG301",
            Severity.ERROR,
            "aws_instance.a",
            "missing team",
            line=3,
            exemption=Exemption("migration in progress", "2030-01-01", "p.yml"),
        ),
        finding("exemption", "CG900", Severity.ERROR, None, "exemption has no reason"),
    )
    return Report(
        resources=resources,
        findings=findings,
        catalog_as_of="2026-11-25",
        inputs=("plan.json",),
        rules=("required-tags",),
        rule_catalog=rule_catalog(),
        warnings=("variable 'x' has no default",),
    )


def test_sarif_validates_against_the_official_schema(report: Report) -> None:
    documents = [json.loads(sarif.render(report))]
    documents += [json.loads(p.read_text()) for p in sorted(GOLDEN.glob("*.sarif"))]
    assert len(documents) == 4
    for doc in documents:
        jsonschema.Draft4Validator(SARIF_SCHEMA).validate(doc)


def test_sarif_rules_results_locations_and_suppressions(report: Report) -> None:
    run = json.loads(sarif.render(report))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [*sorted(r.id for r in ALL_RULES), "CG900"]
    by_id = {r["id"]: r for r in rules}
    for rule in ALL_RULES:
        assert by_id[rule.id]["name"] == rule.name
        assert by_id[rule.id]["help"]["text"] == inspect.getdoc(rule)
        assert by_id[rule.id]["shortDescription"]["text"] == rule.summary
    results = run["results"]
    assert [rules[r["ruleIndex"]]["id"] for r in results] == [r["ruleId"] for r in results]
    assert [r["level"] for r in results] == ["error", "warning", "error", "error"]
    first = results[0]["locations"][0]
    assert first["physicalLocation"] == {
        "artifactLocation": {"uri": "infra/main.tf"},
        "region": {"startLine": 20},
    }
    assert first["logicalLocations"] == [
        {"fullyQualifiedName": "aws_instance.c", "kind": "resource"}
    ]
    assert results[2]["suppressions"] == [
        {"kind": "external", "justification": "migration in progress (expires 2030-01-01)"}
    ]
    assert "suppressions" not in results[0]
    # a plan-wide finding points at the input
    assert results[3]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "plan.json"}
    }
    fingerprints = {r["partialFingerprints"]["costgateFinding/v1"] for r in results}
    assert len(fingerprints) == 4
    assert run["properties"]["monthlyCost"] == "175.00"


def test_junit_has_one_case_per_rule_and_resource(report: Report) -> None:
    root = ET.fromstring(junit.render(report).encode("utf-8"))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"CG301 required-tags", "CG900 exemption"}
    tags = suites["CG301 required-tags"]
    cases = {c.get("name"): c for c in tags.iter("testcase")}
    assert list(cases) == ["aws_instance.a", "aws_instance.b", "aws_instance.c", "aws_instance.gpu"]
    assert cases["aws_instance.c"].find("failure").get("message") == NASTY
    assert cases["aws_instance.a"].find("skipped").get("message") == (
        "exempted: migration in progress (expires 2030-01-01)"
    )
    assert cases["aws_instance.b"].find("failure") is None  # warning below fail-on: passes
    assert cases["aws_instance.b"].find("system-out").text == "warning: tag style"
    assert cases["aws_instance.gpu"].find("*") is None
    assert cases["aws_instance.c"].get("file") == TF
    assert (tags.get("tests"), tags.get("failures"), tags.get("skipped")) == ("4", "1", "1")
    meta = list(suites["CG900 exemption"].iter("testcase"))
    assert len(meta) == 5 and meta[-1].get("name") == junit.PLAN_CASE
    assert meta[-1].find("failure") is not None
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("9", "2", "1")
    for path in GOLDEN.glob("*.xml"):
        assert ET.parse(path).getroot().tag == "testsuites"


def unescape_data(value: str) -> str:
    return value.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


def test_github_annotations_are_escaped_and_located(report: Report) -> None:
    lines = github.render(report).splitlines()
    assert len(lines) == 5  # 3 counted findings (exempted left out), 1 warning, 1 verdict
    assert all(line.startswith("::") for line in lines)
    first = lines[0]
    assert first.startswith("::error file=infra/main.tf,line=20,title=CG301 required-tags::")
    message = first.split("::", 2)[2]
    assert "\n" not in message and "%0A::set-env" in message
    assert unescape_data(message) == f"aws_instance.c: {NASTY}\nFix: tag it"
    assert lines[1].startswith("::warning file=infra/main.tf,line=12,")
    assert lines[2] == "::error title=CG900 exemption::exemption has no reason%0AFix: tag it"
    assert lines[3] == "::warning title=costgate::variable 'x' has no default"
    assert lines[4] == (
        "::notice title=costgate::Monthly cost $175.00 USD: FAIL (2 errors, 1 warning)"
    )


def test_github_property_escaping() -> None:
    assert github.command("error", "50% done\r\n", file="a,b:c.tf", line=1) == (
        "::error file=a%2Cb%3Ac.tf,line=1::50%25 done%0D%0A"
    )


def test_markdown_sections_and_escaping(report: Report) -> None:
    text = markdown.render(report)
    assert text.startswith("## costgate: $175.00 / month\n\n❌ **FAIL** (2 errors, 1 warning)")
    assert "<!--" not in text and "&lt;!-- hidden --&gt;" in text
    assert "\n::set-env" not in text
    projects = re.findall(r"^\| (`\w+`|_\(no project tag\)_) \| (\d) \| (\S+) \|$", text, re.M)
    assert projects == [
        ("`llm`", "1", "$100.00"),
        ("`vision`", "1", "$50.00"),
        ("_(no project tag)_", "2", "$25.00"),
    ]
    assert "#### ⚠️ Warnings (1) (do not fail the check)" in text
    assert "#### Exempted (1)" in text
    assert "Exempted: migration in progress, until 2030-01-01" in text
    assert (
        "**1 resource could not be priced** and is not in the totals: `aws_instance.gpu` "
        "(type not in catalog: p9.huge)."
    ) in text
    assert "catalog as of 2026-11-25" in text
    assert "<details><summary>Full breakdown: 4 resources, $175.00 / month</summary>" in text


def test_markdown_diff_project_table(report: Report) -> None:
    base = (
        priced("aws_instance.a", "40", project="llm"),
        priced("aws_instance.old", "30", project="vision"),
    )
    head = report.resources
    deltas = (
        ResourceDelta("aws_instance.a", "changed", base[0], head[0]),
        ResourceDelta("aws_instance.b", "added", None, head[1]),
        ResourceDelta("aws_instance.c", "added", None, head[2]),
        ResourceDelta("aws_instance.old", "removed", base[1], None),
        ResourceDelta("aws_instance.gpu", "added", None, head[3]),
    )
    diff = CostDiff(Decimal(70), Decimal(175), deltas)
    text = markdown.render(Report(resources=head, diff=diff))
    assert text.startswith(
        "## costgate: +$105.00 / month (+150.0%)\n\n✅ **PASS** · "
        "Monthly cost **$70.00 → $175.00** USD"
    )
    assert "| `llm` | $40.00 | $100.00 | +$60.00 |" in text
    assert "| `vision` | $30.00 | $50.00 | +$20.00 |" in text
    assert "| _(no project tag)_ | $0.00 | $25.00 | +$25.00 |" in text
    assert "| **Total** | $70.00 | $175.00 | **+$105.00** |" in text
    movers = text.split("### Top cost movers")[1].split("###")[0]
    assert movers.index("aws_instance.a") < movers.index("aws_instance.b")
    assert "aws_instance.gpu" not in movers  # no delta: not a mover


def big_report(resources: int, findings: int) -> Report:
    priced_resources = tuple(
        priced(
            f'module.team_{i % 40}.aws_instance.worker["{i}"]',
            f"{i}.37",
            project=f"project-{i % 40}",
            line=i + 1,
            lines=4,
        )
        for i in range(resources)
    )
    found = tuple(
        finding(
            "required-tags",
            "CG301",
            Severity.ERROR,
            p.resource.address,
            f"missing required tags: team, cost_center (#{n})",
            line=n + 1,
        )
        for n, p in enumerate(priced_resources[:findings])
    )
    return Report(resources=priced_resources, findings=found, catalog_as_of="2026-11-25")


@pytest.mark.parametrize(("resources", "findings"), [(3000, 40), (3000, 3000)])
def test_markdown_fits_a_github_comment_and_keeps_the_verdict(
    resources: int, findings: int
) -> None:
    report = big_report(resources, findings)
    text = markdown.render(report)
    assert len(text.encode("utf-8")) <= markdown.LIMIT < markdown.GITHUB_COMMENT_LIMIT
    assert text.startswith("## costgate: $")
    assert "❌ **FAIL** (" + f"{findings} errors)" in text
    assert re.search(r"\| … \| (\d+) more rows cut to fit GitHub's comment size limit", text)
    assert "</details>" in text and "catalog as of 2026-11-25" in text
    if findings == 40:  # the findings fit: only the breakdown was cut
        assert text.count("- `CG301` **required-tags**") == 40
    else:
        cut = re.search(r"- … (\d+) more findings cut", text)
        assert cut is not None
        shown = text.count("- `CG301` **required-tags**")
        assert 0 < shown < findings
        assert shown + int(cut.group(1)) == findings


def test_markdown_cut_counts_add_up() -> None:
    report = big_report(3000, 0)
    text = markdown.render(report)
    shown = len(re.findall(r"^\| \| Instance usage part", text, re.M)) + len(
        re.findall(r"^\| `module\.team", text.split("<details>")[1], re.M)
    )
    cut = int(re.search(r"(\d+) more rows cut", text).group(1))
    assert shown + cut == 3000 * 5  # a resource row and four cost lines each


def test_json_and_sarif_keep_non_ascii_text_intact() -> None:
    from costgate.report import json as json_report

    item = priced("aws_instance.entraînement", "10", project="données-€")
    finding = Finding(
        "required-tags",
        "CG301",
        Severity.ERROR,
        item.resource.address,
        "étiquette manquante: équipe",
        location=SourceLocation(TF, 3),
    )
    report = Report(resources=(item,), findings=(finding,))
    doc = json.loads(json_report.render(report))
    assert doc["resources"][0]["address"] == "aws_instance.entraînement"
    assert doc["resources"][0]["tags"] == {"project": "données-€"}
    assert doc["findings"][0]["message"] == "étiquette manquante: équipe"
    results = json.loads(sarif.render(report))["runs"][0]["results"]
    assert results[0]["message"]["text"] == "aws_instance.entraînement: étiquette manquante: équipe"
