"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One `reportingDescriptor` per policy rule (all of `ALL_RULES`, plus any meta rule a
finding names), its help text taken from the rule's docstring. Results point at the
resource's file and line; a finding with no location points at the head input. Exempted
findings are kept, with an external suppression carrying the exemption's reason.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import quote

from costgate import __version__
from costgate.model import Finding, Report, Severity
from costgate.money import money, shown_delta
from costgate.report.escape import json_bytes, json_text

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rule_descriptor(
    rule_id: str, name: str, summary: str, help_text: str, severity: Severity
) -> dict[str, Any]:
    return {
        "id": rule_id,
        "name": name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": help_text.split("\n\n", 1)[0]},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {"tags": ["cost"]},
    }


def _descriptors(report: Report) -> list[dict[str, Any]]:
    out = [
        _rule_descriptor(r.id, r.name, r.summary, r.help, r.default_severity)
        for r in report.rule_catalog
    ]
    known = {d["id"] for d in out}
    for f in report.findings:
        if f.id not in known:
            known.add(f.id)
            out.append(
                _rule_descriptor(f.id, f.rule, f.message, f.remediation or f.message, f.severity)
            )
    return out


def _uri(path: str) -> str:
    """A relative URI reference for a path (forward slashes, percent-encoded)."""
    return quote(json_text(path).replace("\\", "/"))


def _location(f: Finding, report: Report) -> list[dict[str, Any]]:
    file = f.location.file if f.location else (report.inputs[-1] if report.inputs else None)
    if file is None:
        return []
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(file)}}
    if f.location and f.location.line:
        physical["region"] = {"startLine": f.location.line}
    location: dict[str, Any] = {"physicalLocation": physical}
    if f.resource:
        location["logicalLocations"] = [{"fullyQualifiedName": f.resource, "kind": "resource"}]
    return [location]


def _fingerprint(f: Finding) -> str:
    """Stable across runs and line moves, so code scanning tracks one alert per finding."""
    key = "\0".join((f.id, f.resource or "", f.message))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _result(f: Finding, report: Report, index: dict[str, int]) -> dict[str, Any]:
    message = f"{f.resource}: {f.message}" if f.resource else f.message
    if f.remediation:
        message += f" Fix: {f.remediation}"
    result: dict[str, Any] = {
        "ruleId": f.id,
        "ruleIndex": index[f.id],
        "level": LEVELS[f.severity],
        "message": {"text": message},
        "locations": _location(f, report),
        "partialFingerprints": {"costgateFinding/v1": _fingerprint(f)},
        "properties": {"rule": f.rule},
    }
    if f.monthly_cost is not None:
        result["properties"]["monthlyCost"] = money(f.monthly_cost)
    if f.exemption is not None:
        justification = f.exemption.reason + (
            f" (expires {f.exemption.expires})" if f.exemption.expires else ""
        )
        result["suppressions"] = [{"kind": "external", "justification": justification}]
    return result


def sarif_document(report: Report) -> dict[str, Any]:
    """The SARIF log as plain data."""
    rules = _descriptors(report)
    index = {d["id"]: i for i, d in enumerate(rules)}
    properties: dict[str, Any] = {
        "result": "fail" if report.failed else "pass",
        "currency": report.currency,
        "monthlyCost": money(report.monthly_cost),
        "catalogAsOf": report.catalog_as_of,
    }
    if report.diff is not None:
        properties["baseMonthlyCost"] = money(report.diff.base_monthly_cost)
        properties["delta"] = money(shown_delta(report.diff))
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "costgate",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": rules,
                    }
                },
                "results": [_result(f, report, index) for f in report.findings],
                "columnKind": "unicodeCodePoints",
                "properties": properties,
            }
        ],
    }


def render(report: Report) -> str:
    """Indented SARIF JSON."""
    import orjson

    return json_bytes(sarif_document(report), option=orjson.OPT_INDENT_2).decode() + "\n"
