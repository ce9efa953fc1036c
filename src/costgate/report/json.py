"""The stable JSON report (schema: costgate/schemas/report.schema.json)."""

from __future__ import annotations

from typing import Any

from costgate.model import CostLine, Finding, PricedResource, Report, ResourceDelta, Severity
from costgate.money import exact, money, shown_delta
from costgate.report.summary import counts

SCHEMA_VERSION = 1


def _line(line: CostLine) -> dict[str, Any]:
    price = line.price
    return {
        "name": line.name,
        "unit": line.unit,
        "quantity": exact(line.quantity),
        "unit_price": exact(line.unit_price),
        "monthly_cost": exact(line.quantity * line.unit_price),
        "price_key": price.key if price else None,
        "source": price.source if price else None,
        "as_of": price.as_of if price else None,
    }


def _resource(p: PricedResource) -> dict[str, Any]:
    r = p.resource
    return {
        "address": r.address,
        "type": r.type,
        "provider": r.provider,
        "region": r.region,
        "action": r.action.value,
        "origin": r.origin.value,
        "source": str(r.source) if r.source else None,
        "monthly_cost": money(p.monthly_cost),
        "tags": dict(sorted(r.tags.items())),
        "cost_lines": [_line(c) for c in p.cost_lines],
        "unpriced_reason": p.unpriced_reason,
        "free": p.free,
        "missing": list(p.missing),
        "notes": list(p.notes),
    }


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "id": f.id,
        "severity": f.severity.value,
        "resource": f.resource,
        "message": f.message,
        "remediation": f.remediation,
        "monthly_cost": money(f.monthly_cost) if f.monthly_cost is not None else None,
        "location": str(f.location) if f.location else None,
        "exempted": f.exempted,
        "exemption": (
            {
                "reason": f.exemption.reason,
                "expires": f.exemption.expires,
                "source": f.exemption.source,
            }
            if f.exemption
            else None
        ),
    }


def _delta(d: ResourceDelta) -> dict[str, Any]:
    return {
        "address": d.address,
        "change": d.change,
        "base_monthly_cost": money(d.base_monthly_cost),
        "head_monthly_cost": money(d.head_monthly_cost),
        "delta": money(shown_delta(d)),
    }


def report_document(report: Report) -> dict[str, Any]:
    """The report as plain JSON-ready data."""
    counted = [f for f in report.findings if not f.exempted]
    resources = counts(report)
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "result": "fail" if report.failed else "pass",
        "currency": report.currency,
        "catalog_as_of": report.catalog_as_of,
        "inputs": list(report.inputs),
        "summary": {
            "monthly_cost": money(report.monthly_cost),
            "resources": resources.resources,
            "priced": resources.priced,
            "free": resources.free,
            "partial": resources.partial,
            "unpriced": resources.unpriced,
            "cost_bearing": resources.cost_bearing,
            "findings": {s.value: sum(1 for f in counted if f.severity is s) for s in Severity},
            "exempted": sum(1 for f in report.findings if f.exempted),
        },
        "resources": [_resource(p) for p in report.resources],
        "findings": [_finding(f) for f in report.findings],
        "warnings": list(report.warnings),
    }
    if report.policy_change is not None:
        change = report.policy_change
        doc["policy_change"] = {
            "ref": change.ref,
            "applied": change.applied,
            "files": list(change.files),
            "changes": list(change.changes),
        }
    if report.diff is not None:
        diff = report.diff
        doc["diff"] = {
            "base_monthly_cost": money(diff.base_monthly_cost),
            "head_monthly_cost": money(diff.head_monthly_cost),
            "delta": money(shown_delta(diff)),
            "delta_percent": money(diff.delta_percent) if diff.delta_percent is not None else None,
            "resources": [_delta(d) for d in diff.resources],
        }
    return doc


def render(report: Report) -> str:
    """Compact, key-stable JSON on one line (pipe through `jq .` to read it)."""
    from costgate.report.escape import json_bytes

    return json_bytes(report_document(report)).decode() + "\n"
