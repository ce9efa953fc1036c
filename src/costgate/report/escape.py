"""One escaping function per output format, for every string that comes from the input.

Resource addresses, tag values, file names, notes, reasons and messages that quote the input
are chosen by whoever wrote the pull request. Each reporter passes them through the function
for its format, so a crafted value stays text: no markdown link, mention or HTML in the PR
comment, no terminal escape sequence in a log, no workflow command (`::add-mask::`,
`##[...]`) for the GitHub Actions runner, no invalid XML or JSON.
"""

from __future__ import annotations

import re
from typing import Any

# C0 controls, DEL, C1 controls (0x9b is an 8-bit CSI), bidirectional overrides and isolates
# (text shown in another order than it is stored), line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_COMMAND_START = re.compile("::")
_LEGACY_COMMAND = re.compile(r"##\[")
_TERMINAL_ANY = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]|::|##\\["
)
"""Anything `terminal` changes: most strings have none and are returned as they are."""
_CODE_ANY = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff`|]|##\\[|^ | $"
)


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible_controls(value: str) -> str:
    """Control characters and lone surrogates as visible escapes (`\\x1b`, `\\n`, `\\ud800`)."""
    return _CONTROL.sub(_visible, _SURROGATE.sub(_visible, value))


def _no_workflow_commands(value: str) -> str:
    """Every `::` and the runner's older `##[` form, with their first character escaped.

    All of them, not only those at the start: the table wraps long words anywhere, so any
    `::` could begin a line.
    """
    return _LEGACY_COMMAND.sub(r"\\x23#[", _COMMAND_START.sub(r"\\x3a:", value))


def terminal(value: str) -> str:
    """Text for the table report and stderr: one line, nothing a terminal or runner executes.

    ESC, CSI, BEL, CR and the other controls become visible escapes (`\\x1b`), and every `::`
    or `##[`, which the Actions runner reads as a workflow command at the start of a line,
    has its first character escaped: a resource label `\\n::add-mask::x` prints as
    `\\n\\x3a:add-mask\\x3a:x`.
    """
    if not _TERMINAL_ANY.search(value):
        return value
    return _no_workflow_commands(visible_controls(value))


def stderr_message(value: str) -> str:
    """An error message as one inert line (see `terminal`); spaces are kept as they are."""
    return terminal(value)


# --- markdown (GitHub-flavoured, the PR comment) -------------------------------------------

# Punctuation that means something inside a line (user text never starts one): `$` opens
# GitHub's inline math, `~` strikethrough; `!` and `(` need a `[` first, which is escaped.
_MD_SPECIAL = re.compile(r"[\\`*_\[\]<>&|~$]")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ZWSP = "\u200b"
# What GitHub turns into links or notifications after rendering: @mentions, #123 and GH-123
# issue references, bare URLs (scheme://, www.) and the runner's `##[` command form.
_AUTO_REFERENCE = re.compile(r"(?i)(@|#|gh-)(?=[a-z0-9])|(:)(?=//)|(www)(?=\.)|(#)(?=#\[)")


_TEXT_ANY = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
    r"\\`*_\[\]<>&|~$@#:]|(?i:www|gh-)"
)
"""Anything `markdown_text` changes: most strings have none and are returned as they are."""


def _break_reference(match: re.Match[str]) -> str:
    return match.group() + _ZWSP


def _md_escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ENTITIES.get(char, "\\" + char)


def markdown_text(value: str) -> str:
    """Plain text in GitHub markdown, also inside a table cell.

    Markdown punctuation that acts inside a line is backslash-escaped and `&`, `<`, `>` become
    entities, so no emphasis, link, image, raw HTML or heading can start; CR, LF and other
    controls become spaces or visible escapes, so a value never ends a table row; a
    zero-width space after `@`, `#` and before `//` keeps GitHub from making mentions,
    issue links and bare-URL links of it.
    """
    if not _TEXT_ANY.search(value):
        return value
    value = visible_controls(value.replace("\r\n", " ").replace("\r", " ").replace("\n", " "))
    value = _AUTO_REFERENCE.sub(_break_reference, value)
    return _MD_SPECIAL.sub(_md_escape, value)


def markdown_code(value: str, *, in_table: bool = True) -> str:
    """An inline code span that no content can end early.

    The fence is one backtick longer than the longest run of backticks in the value (a
    double backtick in a resource key no longer closes the span); a space pads values that
    start or end with a backtick or a space. Controls become visible escapes, so the span
    stays on its line, and in a table cell `|` is escaped (GFM unescapes it inside code).
    Mentions, links and HTML are not processed inside code, so nothing else is needed but
    breaking the runner's `##[` form with a zero-width space.
    """
    if value and not _CODE_ANY.search(value):
        return f"`{value}`"
    value = _LEGACY_COMMAND.sub("#" + _ZWSP + "#[", visible_controls(value))
    if in_table:
        value = value.replace("|", "\\|")
    longest = max((len(run) for run in re.findall("`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value[:1] in ("`", " ") or value[-1:] in ("`", " ") or not value else ""
    return f"{fence}{pad}{value}{pad}{fence}"


# --- GitHub Actions workflow commands --------------------------------------------------------


def github_data(value: str) -> str:
    """A workflow command's message, escaped as the Actions toolkit does (command.ts)."""
    value = _SURROGATE.sub("\ufffd", value)
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(value: str) -> str:
    """A workflow command's property value (file, title): also `:` and `,`."""
    return github_data(value).replace(":", "%3A").replace(",", "%2C")


# --- XML (JUnit) and JSON (SARIF, json) -------------------------------------------------------

_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    """Text with the characters XML 1.0 cannot hold removed (NUL, ESC, lone surrogates, ...)."""
    return _XML_INVALID.sub("", value)


def json_text(value: str) -> str:
    """Text that encodes as UTF-8 JSON: lone surrogates become U+FFFD."""
    return _SURROGATE.sub("\ufffd", value)


def json_document(document: Any) -> Any:
    """*document* with `json_text` applied to every string, keys included."""
    if isinstance(document, str):
        return json_text(document)
    if isinstance(document, dict):
        return {json_document(k): json_document(v) for k, v in document.items()}
    if isinstance(document, list | tuple):
        return [json_document(v) for v in document]
    return document


def json_bytes(document: Any, *, option: int = 0) -> bytes:
    """orjson's encoding of *document*, safe to print in an Actions step.

    Lone surrogates, which orjson refuses, become U+FFFD (the walk happens only when the
    fast path fails, so ordinary reports pay nothing). `##[`, which the runner reads as a
    command anywhere in a line, can only occur inside a JSON string, where `#\\u0023[`
    means the same.
    """
    import orjson

    try:
        encoded = orjson.dumps(document, option=option)
    except orjson.JSONEncodeError:
        encoded = orjson.dumps(json_document(document), option=option)
    return encoded.replace(b"##[", b"#\\u0023[")
