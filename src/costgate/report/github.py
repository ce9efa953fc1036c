"""GitHub Actions workflow commands: one annotation per finding, at the resource's file and line.

Printed to a step's stdout, `::error file=main.tf,line=12,title=…::message` becomes an
annotation on the run and on the pull request's changed files. Values are escaped as the
Actions toolkit does (`@actions/core` command.ts): `%`, CR and LF in the message; also `:`
and `,` in properties. So a tag value can never start a new workflow command.
GitHub shows at most 10 annotations of each kind per step; errors are printed first.
"""

from __future__ import annotations

from costgate.model import Finding, Report, Severity
from costgate.report.escape import github_data, github_property
from costgate.report.summary import headline

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


escape_data = github_data
escape_property = github_property


def command(name: str, message: str, **properties: str | int | None) -> str:
    """`::name k=v,k=v::message` with every part escaped; None properties are left out."""
    props = ",".join(
        f"{k}={escape_property(str(v))}" for k, v in properties.items() if v is not None
    )
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def _annotation(f: Finding) -> str:
    message = f"{f.resource}: {f.message}" if f.resource else f.message
    if f.remediation:
        message += f"\nFix: {f.remediation}"
    location = f.location
    return command(
        _COMMANDS[f.severity],
        message,
        file=location.file if location else None,
        line=location.line if location else None,
        title=f"{f.id} {f.rule}",
    )


def render(report: Report) -> str:
    """Annotations for the findings that are not exempted, then warnings, then the verdict."""
    lines = [_annotation(f) for f in report.findings if not f.exempted]
    lines += [command("warning", w, title="costgate") for w in report.warnings]
    lines.append(command("notice", headline(report), title="costgate"))
    return "\n".join(lines) + "\n"
