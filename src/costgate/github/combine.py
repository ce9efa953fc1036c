"""One comment for several projects: a per-project table, then each project's report folded.

Used by `costgate comment github --project-body NAME=FILE ...` when one job has the
markdown reports of several projects (stacks, directories), so a pull request gets one
comment instead of one per project. The table is read from the first lines of each report,
which costgate writes itself (user text never starts a line of the markdown report); a
body that does not start like one shows `?`. When the whole would not fit in a comment,
the largest reports are replaced by a note, the table always stays.
"""

from __future__ import annotations

import html
import re

from costgate.report.escape import markdown_code, markdown_text, visible_controls
from costgate.report.markdown import NO_CHANGE

_TITLE = re.compile(r"^## costgate: (?P<figure>[^\n]{1,80})$")
_STATUS = re.compile(
    r"^(?P<status>(?:✅|❌) \*\*(?:PASS|FAIL|ERROR)\*\*(?: \([a-z0-9, ]{1,80}\))?)"
)
_FAILED = ("**FAIL**", "**ERROR**")
OMITTED = (
    "_This report is left out: the comment would be longer than GitHub allows. "
    "See the job's step summary._"
)


def _summary(body: str) -> tuple[str, str]:
    """(figure, status) from a costgate markdown report, or ('?', '?')."""
    lines = body.split("\n", 3)
    title = _TITLE.match(lines[0]) if lines else None
    status = _STATUS.match(lines[2]) if len(lines) > 2 else None
    return (
        title["figure"] if title else "?",
        status["status"] if status else "?",
    )


def _strip_no_change(body: str) -> str:
    return body[len(NO_CHANGE) + 1 :] if body.startswith(NO_CHANGE + "\n") else body


def combined_body(parts: list[tuple[str, str]], limit: int) -> str:
    """The comment for *parts* (project name, markdown report), at most *limit* characters."""
    unchanged = all(body.startswith(NO_CHANGE) for _, body in parts)
    bodies = [(name, _strip_no_change(body).rstrip("\n")) for name, body in parts]
    rows = []
    failed = 0
    for name, body in bodies:
        figure, status = _summary(body)
        failed += any(word in status for word in _FAILED)
        rows.append(f"| {markdown_code(name)} | {status} | {markdown_text(figure)} |")
    verdict = f"❌ **FAIL** ({failed} of {len(parts)} projects)" if failed else "✅ **PASS**"
    head = [
        *([NO_CHANGE] if unchanged else []),
        f"## costgate: {len(parts)} projects",
        "",
        verdict,
        "",
        "| Project | Result | Monthly |",
        "|---|---|---|",
        *rows,
        "",
    ]
    kept = [True] * len(bodies)

    def render() -> str:
        folded = []
        for (name, body), keep in zip(bodies, kept, strict=True):
            summary = html.escape(visible_controls(name))
            folded += [
                f"<details><summary><code>{summary}</code></summary>",
                "",
                body if keep else OMITTED,
                "",
                "</details>",
                "",
            ]
        return "\n".join([*head, *folded]).rstrip("\n") + "\n"

    text = render()
    for index in sorted(range(len(bodies)), key=lambda i: -len(bodies[i][1])):
        if len(text) <= limit:
            break
        kept[index] = False
        text = render()
    return text
