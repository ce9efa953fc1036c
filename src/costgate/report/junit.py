"""JUnit XML so CI dashboards list policy results as tests: one test case per rule x resource.

Each evaluated rule is a test suite; each resource that exists after the change is a test
case in it. A finding that counts against the verdict is a `<failure>`; one below the
fail-on severity passes with the finding in `<system-out>`; an exempted one is
`<skipped>` with the exemption's reason. Plan-wide findings (no resource) get a case of
their own. No timestamps or durations, so the output is reproducible.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from costgate.model import Finding, Report
from costgate.report.escape import xml_text

PLAN_CASE = "(whole plan)"


def _suites(report: Report) -> dict[tuple[str, str], list[Finding]]:
    """(rule id, rule name) -> findings, for evaluated rules and rules that reported."""
    by_rule: dict[tuple[str, str], list[Finding]] = {}
    ids = {r.name: r.id for r in report.rule_catalog}
    ids.update({f.rule: f.id for f in report.findings})
    for name in report.rules:
        by_rule.setdefault((ids.get(name, name), name), [])
    for f in report.findings:
        by_rule.setdefault((f.id, f.rule), []).append(f)
    return dict(sorted(by_rule.items()))


def _case(
    suite: ET.Element,
    classname: str,
    name: str,
    findings: list[Finding],
    report: Report,
    file: str | None,
) -> dict[str, int]:
    case = ET.SubElement(suite, "testcase", {"classname": classname, "name": name})
    if file:
        case.set("file", file)
    failing = [f for f in findings if not f.exempted and f.severity.rank <= report.fail_on.rank]
    passing = [f for f in findings if not f.exempted and f.severity.rank > report.fail_on.rank]
    exempted = [f for f in findings if f.exempted]
    for f in failing:
        failure = ET.SubElement(case, "failure", {"type": f.severity.value, "message": f.message})
        failure.text = f.message + (f"\nFix: {f.remediation}" if f.remediation else "")
    if not failing and exempted:
        reasons = "; ".join(
            (f.exemption.reason if f.exemption else "")
            + (f" (expires {f.exemption.expires})" if f.exemption and f.exemption.expires else "")
            for f in exempted
        )
        ET.SubElement(case, "skipped", {"message": f"exempted: {reasons}"})
    if passing:
        out = ET.SubElement(case, "system-out")
        out.text = "\n".join(f"{f.severity.value}: {f.message}" for f in passing)
    return {
        "tests": 1,
        "failures": 1 if failing else 0,
        "skipped": 1 if exempted and not failing else 0,
    }


def render(report: Report) -> str:
    """A `<testsuites>` document."""
    root = ET.Element("testsuites", {"name": "costgate"})
    totals: dict[str, int] = defaultdict(int)
    resources = [p.resource for p in report.resources if p.resource.action.exists_after]
    for (rule_id, rule), findings in _suites(report).items():
        suite = ET.SubElement(root, "testsuite", {"name": f"{rule_id} {rule}"})
        counts: dict[str, int] = defaultdict(int)
        by_resource: dict[str | None, list[Finding]] = defaultdict(list)
        for f in findings:
            by_resource[f.resource].append(f)
        classname = f"costgate.{rule}"
        addresses = [r.address for r in resources]
        addresses += sorted(a for a in by_resource if a is not None and a not in addresses)
        sources = {r.address: r.source.file for r in resources if r.source}
        cases = [(a, by_resource.get(a, []), sources.get(a)) for a in addresses]
        if None in by_resource:
            cases.append((PLAN_CASE, by_resource[None], None))
        for name, found, file in cases:
            for key, n in _case(suite, classname, name, found, report, file).items():
                counts[key] += n
        for key in ("tests", "failures", "skipped"):
            suite.set(key, str(counts[key]))
            totals[key] += counts[key]
        suite.set("errors", "0")
    for key in ("tests", "failures", "skipped"):
        root.set(key, str(totals[key]))
    root.set("errors", "0")
    _clean(root)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + _inert(ET.tostring(root, "unicode")) + "\n"


def _clean(root: ET.Element) -> None:
    """Drop the characters XML 1.0 cannot hold from every text and attribute (see escape.py)."""
    for element in root.iter():
        if element.text:
            element.text = xml_text(element.text)
        for key, value in element.attrib.items():
            element.set(key, xml_text(value))


_LINE_COMMAND = re.compile(r"^([ \t]*)::", re.M)


def _inert(document: str) -> str:
    """The same XML, with nothing the Actions runner reads as a command when it is printed.

    Element text keeps the message's own line breaks, so a message line could start with
    `::`: its first colon is written as the character reference `&#58;`, `##[` as `&#35;#[`,
    and CR as `&#13;`. A parser reads back exactly the original text.
    """
    document = document.replace("\r", "&#13;").replace("##[", "&#35;#[")
    return _LINE_COMMAND.sub(r"\1&#58;:", document)
