"""Crafted input in every output format: it stays text (issue 17, item 5).

Each test renders one report whose user-controlled strings (addresses, keys, tag values,
messages, reasons, notes, cost-line names, file names) are hostile, and checks the output
as its reader sees it: the markdown with a CommonMark + GFM-tables renderer, the JUnit XML
with `xml.etree`, the JSON with `json`, the table and stderr line by line as the Actions
runner and a terminal read them.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt
from markdown_it.token import Token

from costgate.model import (
    CostLine,
    Exemption,
    Finding,
    PricedResource,
    Report,
    Severity,
    SourceLocation,
)
from costgate.report import escape, github, junit, markdown, sarif, table
from costgate.report import json as json_report
from tests.report.test_formats import TF, priced

TICKS = 'aws_instance.x["a``b <img src=x onerror=alert(1)> [link](https://evil.example) @org/team"]'
ROW_BREAK = 'aws_instance.y["k\r### ✅ PASS\r| fake | row |\n\n# PASS\n"]'
MESSAGE = (
    "quote ``end`` <details open><summary>x</summary> <a href='https://evil.example'>a</a> "
    "![img](https://evil.example/i.png) [click](javascript:alert(1)) @admin #12 "
    "www.evil.example https://evil.example/x \\| pipe | *bold* ~~s~~ $x$ &amp; "
    "\x1b[31mred\x1b[0m\x07bell\rover\n::add-mask::secret\n::stop-commands::tok ##[error]x"
)
ESCAPES = ("\x1b", "\x07", "\x9b", "\r")


def report_with(address: str, other: str, text: str, *, surrogate: str = "") -> Report:
    """Two resources, an unpriced one and findings: every user string set from the args."""
    a = priced(address, "100", project=text + surrogate, line=3)
    b = priced(other, "50", project="vision", line=4)
    line = CostLine(address, text, text, Decimal(730), Decimal("0.1"))
    a = PricedResource(a.resource, (line,), notes=(text,))
    gone = priced(other + "2", "0", unpriced=text, line=5)
    findings = (
        Finding(
            "required-tags",
            "CG301",
            Severity.ERROR,
            address,
            text + surrogate,
            remediation=text,
            location=SourceLocation(text + ".tf", 3),
        ),
        Finding(
            "required-tags",
            "CG301",
            Severity.ERROR,
            other,
            text,
            exemption=Exemption(text, text),
            location=SourceLocation(TF, 4),
        ),
        Finding("exemption", "CG900", Severity.WARNING, None, text),
    )
    return Report(
        resources=(a, b, gone), findings=findings, warnings=(text,), rules=("required-tags",)
    )


CLEAN = report_with("aws_instance.x", "aws_instance.y", "plain words")
NASTY = report_with(TICKS, ROW_BREAK, MESSAGE)
GFM = MarkdownIt("commonmark").enable("table")
OUR_HTML = ("<br>", "<sub>", "</sub>", "<details><summary>Full breakdown", "</details>")


def flat(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        out.append(token)
        out += flat(token.children or [])
    return out


def test_markdown_structure_does_not_depend_on_user_text() -> None:
    clean = GFM.parse(markdown.render(CLEAN))
    nasty = GFM.parse(markdown.render(NASTY))
    # the same blocks, table rows and cells, headings and list items as for plain words
    assert [t.type for t in nasty] == [t.type for t in clean]
    tokens = flat(nasty)
    assert not [t for t in tokens if t.type in ("link_open", "image", "s_open")]
    assert sum(t.type == "em_open" for t in tokens) == sum(t.type == "em_open" for t in flat(clean))
    html = [t.content for t in tokens if t.type in ("html_inline", "html_block")]
    assert html and all(h.startswith(OUR_HTML) for h in html), html
    headings = [nasty[i + 1].content for i, t in enumerate(nasty) if t.type == "heading_open"]
    assert not any("PASS" in h for h in headings)


def test_markdown_text_shows_the_input_and_cannot_mention_or_link() -> None:
    rendered = markdown.render(NASTY)
    html = GFM.render(rendered)
    assert "<img" not in html and "<a " not in html and "<details open" not in html
    texts = [t.content for t in flat(GFM.parse(rendered)) if t.type == "text"]
    joined = "".join(texts)
    assert not re.search(r"@[A-Za-z0-9]|#[0-9]|://|www\.", joined)  # GitHub's autolinks
    assert "@\u200badmin" in joined and "https:\u200b//evil.example/x" in joined
    # the address is one code span, its double backticks inside
    codes = [t.content for t in flat(GFM.parse(rendered)) if t.type == "code_inline"]
    assert TICKS in codes
    assert all(c not in rendered for c in ESCAPES)


@pytest.mark.parametrize("value", ["``", "`a", "a`", " a ", "a ``` b", "x\\|y", "`", "|", "a\\"])
def test_markdown_code_round_trips(value: str) -> None:
    row = f"| {escape.markdown_code(value)} | b |\n|---|---|\n| {escape.markdown_code(value)} | c |"
    tokens = flat(GFM.parse(row))
    assert [t.content for t in tokens if t.type == "code_inline"] == [value] * 2
    assert sum(t.type == "td_open" for t in tokens) == 2
    inline = GFM.parse(f"- {escape.markdown_code(value, in_table=False)}")
    assert [t.content for t in flat(inline) if t.type == "code_inline"] == [value]


@pytest.mark.parametrize("value", ["a\\|b", "\\", "*x* _y_ [z](w) <b> & ~ $ `q`", "a|b"])
def test_markdown_text_round_trips_in_a_cell(value: str) -> None:
    cells = GFM.parse(f"| h |\n|---|\n| {escape.markdown_text(value)} |")
    texts = [t for t in flat(cells) if t.type == "inline"]
    assert "".join(c.content for c in texts[1].children or []) == value


def test_table_shows_control_characters_as_escapes() -> None:
    text = table.render(NASTY, width=100)
    assert not any(c in text for c in ESCAPES)
    assert "\\x1b[31mred" in text and "\\x07bell" in text and "\\rover" in text
    assert "::" not in text and "##[" not in text


def test_github_annotations_stay_one_command_each() -> None:
    lines = github.render(NASTY).splitlines()
    assert all(line.startswith("::") for line in lines)
    assert len(lines) == 2 + 1 + 1  # two counted findings, one warning, the verdict
    assert "%0A::add-mask::secret" in lines[0] and "\r" not in "".join(lines)
    assert escape.github_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_junit_always_parses_and_keeps_the_text() -> None:
    document = junit.render(NASTY)
    root = ET.fromstring(document.encode("utf-8"))
    failure = root.find(".//failure")
    assert failure is not None
    message = failure.get("message") or ""
    assert "\x1b" not in message and "red" in message and "\rover" in message
    assert "\n::add-mask::secret" in (failure.text or "")  # the text is kept ...
    for line in document.splitlines():  # ... but never starts a runner command
        assert not line.lstrip().startswith("::"), line
    assert "##[" not in document and "\r" not in document


def test_lone_surrogates_give_valid_json_sarif_and_xml() -> None:
    report = report_with(TICKS, ROW_BREAK, MESSAGE, surrogate="\ud800")
    doc = json.loads(json_report.render(report))
    assert doc["findings"][0]["message"].endswith("\ufffd")
    sarif_doc = json.loads(sarif.render(report))
    assert sarif_doc["runs"][0]["results"][0]["message"]["text"].count("\ufffd") == 1
    ET.fromstring(junit.render(report).encode("utf-8"))
    for text in (markdown.render(report), table.render(report), github.render(report)):
        text.encode("utf-8")  # printable: no lone surrogate left
    assert "\\ud800" in table.render(report)


def test_json_and_sarif_print_no_runner_command() -> None:
    for text in (json_report.render(NASTY), sarif.render(NASTY)):
        assert "##[" not in text
        assert not any(line.lstrip().startswith("::") for line in text.splitlines())
    doc = json.loads(json_report.render(NASTY))
    assert doc["findings"][0]["message"] == MESSAGE


def test_terminal_escape() -> None:
    assert escape.terminal("a\x1b[2Jb\x9b1m\u202ec\td") == "a\\x1b[2Jb\\x9b1m\\u202ec\\td"
    assert escape.terminal("::add-mask::x") == "\\x3a:add-mask\\x3a:x"
    assert escape.terminal("a ::warning::x a::b") == "a \\x3a:warning\\x3a:x a\\x3a:b"
    assert escape.terminal("x ##[error]y") == "x \\x23#[error]y"


def test_xml_text_removes_what_xml_cannot_hold() -> None:
    assert escape.xml_text("a\x00b\x1bc\td\ud800e\ufffef\U0001f600") == "abc\tdef\U0001f600"


def test_stderr_error_messages_are_one_inert_line(tmp_path: Any) -> None:
    from costgate.cli import main

    name = "x\n::add-mask::ghp_secret\r::stop-commands::tok\x1b[2J.tf"
    result = CliRunner().invoke(main, ["check", str(tmp_path / name)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("costgate: error: "), lines
    assert (
        "x\\n\\x3a:add-mask\\x3a:ghp_secret\\r\\x3a:stop-commands\\x3a:tok\\x1b[2J.tf" in lines[0]
    )


def test_exemption_dates_and_currency_are_escaped_too() -> None:
    report = replace(CLEAN, currency="USD<img src=x>")
    assert "<img" not in GFM.render(markdown.render(report))


def test_random_strings_stay_one_cell_of_text() -> None:
    """Fixed-seed fuzz: any mix of markdown punctuation reads back as the same text."""
    import random

    rng = random.Random(17)
    alphabet = "ab `\\*_[]()<>!&|~$@#:/.w-=+\"'\r\n\x1b\u202e"
    for _ in range(400):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        text, code_span = escape.markdown_text(value), escape.markdown_code(value)
        cell = f"| h | i |\n|---|---|\n| {text} | {code_span} |"
        tokens = GFM.parse(cell)
        assert sum(t.type == "td_open" for t in tokens) == 2, repr(value)
        inline = [t for t in tokens if t.type == "inline"][2]
        children = inline.children or []
        assert all(c.type == "text" for c in children), (repr(value), children)
        shown = "".join(c.content for c in children).replace("\u200b", "")
        expected = escape.visible_controls(
            value.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
        )
        assert shown == expected.strip(" ") or shown == expected, (repr(value), shown)
        code = [t for t in tokens if t.type == "inline"][3]
        spans = [c.content for c in code.children or [] if c.type == "code_inline"]
        assert len(spans) == 1, (repr(value), code.children)
        if value.strip(" "):
            assert spans[0].replace("\u200b", "") == escape.visible_controls(value), repr(value)
